/**
 * Reading, verifying, checkpointing and exporting the audit log of an
 * unlocked vault, and verifying an export with no vault key at all.
 *
 * Checkpoints (docs/vault-format.md, "Checkpoints"): the log's lines are the
 * leaves of an RFC 6962 Merkle tree; a checkpoint is a C2SP signed note
 * (origin, tree size, root hash) signed by the epoch's audit key. A saved
 * checkpoint lets an auditor prove later that the log only grew since, even
 * if the whole vault folder was rolled back in between.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { LifeboatError } from '../../../shared/errors.js';
import { writeLinesAtomic } from '../storage/atomic-file.js';
import { canonicalLines } from '../canonical-json.js';
import {
  CHECKPOINT_FILE,
  checkpointKeyName,
  checkpointOrigin,
  checkpointState,
  logLeaves,
  signCheckpointFor,
  writeCheckpointFor,
  type CheckpointState,
  type LogRoot,
} from './checkpoint.js';
import { ZERO_HASH, openRecordEventChecked, type AuditEvent } from './audit-log.js';
import { openEventsOnThreads, parallelMinEvents } from './audit-event-threads.js';
import { verifyAuditLines, verifyAuditLinesOnThreads, type VerifyOptions, type VerifyReport } from './audit-verify.js';
import { loadSodium, type Sodium } from '../keys/crypto-runtime.js';
import { auditKeyFor, publicKeyMap } from '../keys/epoch-keys.js';
import { consistencyProof, rootHash, verifyConsistency } from './merkle-tree.js';
import { parseNote, verifyNote, type VerifiedCheckpoint } from './signed-note.js';
import { b64decode, b64encode } from '../keys/vault-header.js';
import { statementBytes, verifiesDetached } from '../keys/signed-statement.js';
import { ExportedKeySchema, verifyKeyChain } from './exported-keys.js';
import type { VaultSession } from '../vault-session.js';
import { readVaultText } from '../storage/vault-files.js';
import { identityFingerprint } from '../keys/vault-fingerprint.js';
import type { SiemRecord, SiemVault } from './siem-formats.js';

export interface AuditEntry {
  seq: number;
  time: string;
  epoch: number;
  event: AuditEvent;
}

/** A fresh checkpoint signed now (full members), over the whole log. */
export function signCheckpoint(session: VaultSession): string {
  return signCheckpointFor(session.internals());
}

/** Writes the current checkpoint to the vault folder (at lock and at export). */
export async function writeCheckpoint(session: VaultSession): Promise<string> {
  return writeCheckpointFor(session.internals());
}

function rawLines(session: VaultSession): string[] {
  return session.internals().log.lines.map((l) => l.line);
}

/** Every event, decrypted, oldest first. */
export function auditEntries(session: VaultSession): AuditEntry[] {
  session.require('audit.read');
  return eventsForEvidence(session);
}

/** Every event with the canonical JSON its commitment was checked against (what a signed export's digest reads). */
export interface OpenedEntries {
  entries: AuditEntry[];
  canonical: string[];
}

/**
 * auditEntries for a long log, with the events opened on worker threads
 * (audit-event-threads.ts); a short one is opened here. Same events, same
 * first error.
 */
export async function auditEntriesOnThreads(session: VaultSession): Promise<OpenedEntries> {
  session.require('audit.read');
  const { log, keys, header } = session.internals();
  if (log.lines.length < parallelMinEvents()) {
    const keyFor = auditKeyFor(keys);
    const opened = log.lines.map((parsed, index) => ({ parsed, ...openRecordEventChecked(session.sodium, header.vaultId, parsed.record, index + 1, keyFor) }));
    return {
      entries: opened.map(({ parsed, event }) => ({ seq: parsed.record.seq, time: parsed.record.time, epoch: parsed.record.epoch, event })),
      canonical: opened.map(({ canonical }) => canonical),
    };
  }
  const auditKeys = new Map(keys.keyring);
  auditKeys.set(keys.epoch, keys.audit);
  const opened = await openEventsOnThreads(
    header.vaultId,
    log.lines.map((l) => l.line),
    auditKeys,
  );
  // The chain was checked at load: the record at index i has seq i.
  const entries = opened.canonical.map((text, seq) => ({
    seq,
    time: opened.times[seq] ?? '',
    epoch: opened.epochs[seq] ?? 0,
    event: JSON.parse(text) as AuditEvent,
  }));
  return { entries, canonical: opened.canonical };
}

/**
 * `known` (the first events, decrypted earlier by the caller from this same
 * session) followed by every event after them: a screen that asks again on
 * each filter decrypts only what was appended since. A `known` that is not
 * a prefix of this log (longer, or another last sequence number) is ignored.
 */
export function auditEntriesAfter(session: VaultSession, known: readonly AuditEntry[]): AuditEntry[] {
  session.require('audit.read');
  const { log, keys } = session.internals();
  const prefix = known.length <= log.lines.length && (known.length === 0 || log.lines[known.length - 1]?.record.seq === known.at(-1)?.seq) ? known : [];
  const keyFor = auditKeyFor(keys);
  const fresh = log.lines.slice(prefix.length).map((parsed, i) => ({
    seq: parsed.record.seq,
    time: parsed.record.time,
    epoch: parsed.record.epoch,
    event: log.openEvent(prefix.length + i, keyFor),
  }));
  return fresh.length === 0 ? [...prefix] : [...prefix, ...fresh];
}

/**
 * The decrypted events, for the engine's own derived views (a recovery
 * session's evidence: who revealed what during it, and what was rotated
 * since). Any full member may run those views; unlike auditEntries this is
 * not the audit screen, and the caller decides which events leave the engine.
 */
export function eventsForEvidence(session: VaultSession): AuditEntry[] {
  session.assertOpen();
  const { log, keys } = session.internals();
  const keyFor = auditKeyFor(keys);
  return log.lines.map((parsed, index) => ({
    seq: parsed.record.seq,
    time: parsed.record.time,
    epoch: parsed.record.epoch,
    event: log.openEvent(index, keyFor),
  }));
}

/** When the newest event was logged (its time is in the clear): evidence for the clock check (shared/clock-check.ts). */
export function newestEventTime(session: VaultSession): string | undefined {
  session.assertOpen();
  const lines = session.internals().log.lines;
  return lines[lines.length - 1]?.record.time;
}

/** Chain, signatures, times, commitments, and (for full members) the head sealed in the snapshot. */
export function verifyAudit(session: VaultSession): VerifyReport {
  session.require('audit.read');
  return verifyAuditLines(session.sodium, rawLines(session), verifyOptions(session));
}

/**
 * The same verification with a long log's signatures checked on worker
 * threads (audit-signatures.ts): what `audit verify` and the window run.
 * Same answer, same first error.
 */
export async function verifyAuditOnThreads(session: VaultSession): Promise<VerifyReport> {
  session.require('audit.read');
  return verifyAuditLinesOnThreads(session.sodium, rawLines(session), verifyOptions(session));
}

function verifyOptions(session: VaultSession): VerifyOptions {
  const { sodium, header, keys, sealedHead } = session.internals();
  return {
    vaultId: header.vaultId,
    publicKeys: publicKeyMap(sodium, header),
    auditKeyFor: auditKeyFor(keys),
    ...(sealedHead ? { sealedHead } : {}),
  };
}

/** The current checkpoint: signed now by a full member; an auditor gets the last one written. */
export async function currentCheckpoint(session: VaultSession): Promise<string> {
  session.require('audit.read');
  if (session.internals().keys.signingSecret) {
    return signCheckpoint(session);
  }
  try {
    return await readVaultText(join(session.internals().dir, CHECKPOINT_FILE));
  } catch (error) {
    if (error instanceof LifeboatError) {
      throw error;
    }
    throw new LifeboatError('VAULT_NOT_FOUND', 'No checkpoint has been written yet: one is written each time a member locks the vault.');
  }
}

/** Finds which epoch's key signed a checkpoint and verifies it. */
export function verifyCheckpointNote(sodium: Sodium, vaultId: string, publicKeys: ReadonlyMap<number, Uint8Array>, text: string): VerifiedCheckpoint {
  const note = parseNote(text);
  for (const signature of note.signatures) {
    for (const [epoch, key] of publicKeys) {
      if (signature.keyName === checkpointKeyName(vaultId, epoch)) {
        let verified: VerifiedCheckpoint;
        try {
          verified = verifyNote(sodium, text, signature.keyName, key);
        } catch (error) {
          // A well-formed note whose signature fails is forged or altered: integrity, not input.
          throw new LifeboatError('AUDIT_BROKEN', error instanceof Error ? error.message : 'The checkpoint signature does not verify.');
        }
        if (verified.origin !== checkpointOrigin(vaultId)) {
          throw new LifeboatError('AUDIT_BROKEN', `The checkpoint is for another log (${verified.origin}).`);
        }
        return verified;
      }
    }
  }
  throw new LifeboatError('AUDIT_BROKEN', 'The checkpoint is not signed by any audit key of this vault.');
}

export interface SinceReport {
  oldSize: number;
  newSize: number;
  proofHashes: number;
}

/**
 * Proves with an RFC 6962 consistency proof that the current log extends the
 * one a saved checkpoint describes. Throws AUDIT_BROKEN (exit 4) if not.
 */
export function verifySince(session: VaultSession, checkpointText: string): SinceReport {
  session.require('audit.read');
  const { sodium, header } = session.internals();
  const publicKeys = publicKeyMap(sodium, header);
  const old = verifyCheckpointNote(sodium, header.vaultId, publicKeys, checkpointText);
  const lines = rawLines(session);
  if (old.treeSize > lines.length) {
    throw new LifeboatError(
      'AUDIT_BROKEN',
      `The log has shrunk: the checkpoint covers ${old.treeSize} records, the log now has ${lines.length}. It was truncated or rolled back.`,
    );
  }
  const hashes = logLeaves(sodium, lines);
  const proof = consistencyProof(sodium, hashes, old.treeSize, lines.length);
  const newRoot = rootHash(sodium, hashes);
  if (!verifyConsistency(sodium, old.treeSize, lines.length, old.rootHash, newRoot, proof)) {
    throw new LifeboatError(
      'AUDIT_BROKEN',
      `The log does not extend the checkpoint: its first ${old.treeSize} records are not the ones the checkpoint signed. It was rewritten.`,
    );
  }
  return { oldSize: old.treeSize, newSize: lines.length, proofHashes: proof.length };
}

export const AuditExportSchema = z
  .object({
    format: z.literal('lifeboat-audit-export'),
    /**
     * 1: before the vault identity; 2: identityKey, signed audit keys, and the
     * exporter's signature; 3: that signature over a SHA-512 digest of the
     * document (exportSignatureMessage).
     */
    version: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    vaultId: z.string(),
    vaultName: z.string(),
    exportedAt: z.string(),
    exportedBy: z.string(),
    /** Format-2 vaults: the vault identity (base64 Ed25519), which signs every audit key. */
    identityKey: z.string().optional(),
    publicKeys: z.array(ExportedKeySchema).min(1),
    records: z.array(z.string()),
    events: z.array(z.record(z.string(), z.unknown())),
    checkpoint: z.string(),
    /**
     * A full member's export: Ed25519 signature by the epoch's audit key over
     * everything else in the document (exportSignatureMessage). An auditor
     * cannot sign: then vaultName, exportedAt and exportedBy are unsigned.
     */
    signature: z.object({ epoch: z.number().int().positive(), value: z.string() }).strict().optional(),
  })
  .strict();

const EXPORT_CONTEXT_V2 = 'lifeboat-audit-export-v2\n';
const EXPORT_CONTEXT_V3 = 'lifeboat-audit-export-v3\n';

/**
 * What an export's signature covers: the document without `signature`, as
 * canonical JSON. Version 2 signs the context line followed by those bytes;
 * version 3 the context line followed by their SHA-512 (64 bytes), hashed as
 * they are produced (canonicalLines) so that no 80 MiB string is built and
 * Ed25519 hashes 89 bytes, not the whole document twice in WebAssembly.
 * `texts`: canonical JSON of array elements already computed (canonicalLines).
 */
export function exportSignatureMessage(doc: Omit<AuditExport, 'signature'>, texts?: Map<readonly unknown[], readonly string[]>): Uint8Array {
  if (doc.version < 3) {
    return statementBytes(EXPORT_CONTEXT_V2, doc);
  }
  const hash = createHash('sha512');
  for (const line of canonicalLines(doc, texts)) {
    hash.update(line);
  }
  return Buffer.concat([Buffer.from(EXPORT_CONTEXT_V3, 'utf8'), hash.digest()]);
}
export type AuditExport = z.output<typeof AuditExportSchema>;

/**
 * Writes a self-contained, verifiable export. Logged first (by full
 * members). The file is the signed document's canonical JSON with a line per
 * member and per record and event (canonicalLines), streamed to disk.
 */
export async function exportAudit(session: VaultSession, outPath: string): Promise<{ records: number }> {
  const { doc, texts } = await buildExport(session, { type: 'audit.exported', details: { to: outPath } });
  await writeLinesAtomic(outPath, canonicalLines(doc, texts));
  return { records: doc.records.length };
}

/**
 * The export document, in memory: `logged` is appended first (full members;
 * an auditor cannot log), so the export covers its own event. Used as is by
 * exportAudit, and carried inside a signed access report.
 */
export async function auditExportDocument(session: VaultSession, logged: Omit<AuditEvent, 'salt' | 'actor' | 'role'>): Promise<AuditExport> {
  return (await buildExport(session, logged)).doc;
}

/** The export document, and its arrays' elements as canonical JSON (for its digest, then its file). */
async function buildExport(
  session: VaultSession,
  logged: Omit<AuditEvent, 'salt' | 'actor' | 'role'>,
): Promise<{ doc: AuditExport; texts: Map<readonly unknown[], readonly string[]> }> {
  session.require('audit.read');
  const state = session.internals();
  if (state.keys.signingSecret) {
    await session.log(logged);
  }
  const { entries, canonical } = await auditEntriesOnThreads(session);
  const events = entries.map((entry) => entry.event as unknown as Record<string, unknown>);
  // The events' canonical JSON came back with them (checked against their commitments): not encoded again.
  const texts = new Map<readonly unknown[], readonly string[]>([[events, canonical]]);
  if (state.store) {
    // A checkpoint never covers more than the newest snapshot seals (unlock relies on it).
    await session.commit();
  }
  const checkpoint = state.keys.signingSecret ? await writeCheckpoint(session) : await currentCheckpoint(session);
  const unsignedDoc: Omit<AuditExport, 'signature'> = {
    format: 'lifeboat-audit-export',
    version: 3,
    vaultId: state.header.vaultId,
    vaultName: state.header.name,
    exportedAt: new Date().toISOString(),
    exportedBy: session.member.name,
    ...(state.header.identity ? { identityKey: state.header.identity.publicKey } : {}),
    publicKeys: state.header.auditPublicKeys,
    records: rawLines(session),
    events,
    checkpoint,
  };
  const signing = state.keys.signingSecret;
  const doc = signing
    ? {
        ...unsignedDoc,
        signature: {
          epoch: state.keys.epoch,
          value: b64encode(state.sodium, state.sodium.crypto_sign_detached(exportSignatureMessage(unsignedDoc, texts), signing)),
        },
      }
    : unsignedDoc;
  return { doc, texts };
}

/**
 * A SIEM export's source, straight from the unlocked log: the same records
 * and events a signed export made now would hold (so every line matches it),
 * without building and signing that document. Logged first (by full
 * members) with `details`. No checkpoint is written: a SIEM copy is not
 * evidence, the signed export is.
 */
export async function siemExportSource(
  session: VaultSession,
  details: { to: string; format: string },
): Promise<{ vault: SiemVault; records: () => Generator<SiemRecord> }> {
  session.require('audit.read');
  const state = session.internals();
  if (state.keys.signingSecret) {
    await session.log({ type: 'audit.exported', details });
  }
  const { entries } = await auditEntriesOnThreads(session);
  const lines = state.log.lines;
  const { header, sodium } = state;
  const vault: SiemVault = {
    vaultId: header.vaultId,
    fingerprint: header.identity ? identityFingerprint(sodium, header.vaultId, header.identity.publicKey) : null,
    vaultName: header.name,
    device: header.name,
  };
  function* records(): Generator<SiemRecord> {
    // `prev` is the previous line's hash (the chain was checked at load): no line is parsed again.
    let prevHash = ZERO_HASH;
    for (let index = 0; index < lines.length; index++) {
      const parsed = lines[index];
      const entry = entries[index];
      if (parsed && entry) {
        yield { seq: entry.seq, time: entry.time, epoch: entry.epoch, chainHash: parsed.hash, prevHash, event: entry.event };
        prevHash = parsed.hash;
      }
    }
  }
  return { vault, records };
}

/** A JSON file, read once; a missing file is VAULT_NOT_FOUND, anything unreadable VAULT_BAD_INPUT. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new LifeboatError(code === 'ENOENT' ? 'VAULT_NOT_FOUND' : 'VAULT_BAD_INPUT', code === 'ENOENT' ? `No file ${path}.` : `Could not read ${path}.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new LifeboatError('VAULT_BAD_INPUT', `${path} is not JSON.`);
  }
}

/** The `publicKeys` list an export or a signed report carries, decoded; a malformed key names its epoch. */
export function decodeAuditPublicKeys(sodium: Sodium, keys: readonly { epoch: number; publicKey: string }[], path: string): Map<number, Uint8Array> {
  const publicKeys = new Map<number, Uint8Array>();
  for (const { epoch, publicKey } of keys) {
    let key: Uint8Array;
    try {
      key = b64decode(sodium, publicKey);
    } catch {
      key = new Uint8Array(0);
    }
    if (key.length !== sodium.crypto_sign_PUBLICKEYBYTES) {
      throw new LifeboatError('VAULT_BAD_INPUT', `${path}: the public key of epoch ${epoch} is not a 32-byte base64 Ed25519 key.`);
    }
    publicKeys.set(epoch, key);
  }
  return publicKeys;
}

export type ExportReport = VerifyReport & { checkpointSize: number; vaultId: string; fingerprint: string | null };

/**
 * Verifies an export file with no vault key: signatures, chain, commitments,
 * checkpoint. The signatures of a long export are checked on worker threads
 * (audit-signatures.ts); the answer is verifyExportDocument's.
 */
export async function verifyExportFile(path: string, pinnedFingerprint?: string): Promise<ExportReport> {
  return verifyExportDocumentOnThreads(await loadSodium(), await readJsonFile(path), path, pinnedFingerprint);
}

/** verifyExportDocument, with a long export's signatures checked on worker threads. */
export async function verifyExportDocumentOnThreads(sodium: Sodium, json: unknown, path: string, pinnedFingerprint?: string): Promise<ExportReport> {
  const read = readExport(sodium, json, path, pinnedFingerprint);
  return finishExport(sodium, read, await verifyAuditLinesOnThreads(sodium, read.doc.records, read.lines));
}

/**
 * The same, for an export already read (`path` only names it in messages).
 * `pinnedFingerprint`: the vault's fingerprint obtained out of band; an
 * export of any other identity (however well re-signed) is VAULT_TAMPERED.
 */
export function verifyExportDocument(sodium: Sodium, json: unknown, path: string, pinnedFingerprint?: string): ExportReport {
  const read = readExport(sodium, json, path, pinnedFingerprint);
  return finishExport(sodium, read, verifyAuditLines(sodium, read.doc.records, read.lines));
}

interface ReadExport {
  doc: AuditExport;
  path: string;
  publicKeys: Map<number, Uint8Array>;
  chain: ReturnType<typeof verifyKeyChain>;
  lines: VerifyOptions;
}

function readExport(sodium: Sodium, json: unknown, path: string, pinnedFingerprint: string | undefined): ReadExport {
  const parsed = AuditExportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LifeboatError('VAULT_BAD_INPUT', `${path} is not a Lifeboat audit export (${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}).`);
  }
  const doc = parsed.data;
  const publicKeys = decodeAuditPublicKeys(sodium, doc.publicKeys, path);
  const chain = verifyKeyChain(sodium, doc, path, pinnedFingerprint);
  return { doc, path, publicKeys, chain, lines: { vaultId: doc.vaultId, publicKeys, events: doc.events as unknown as AuditEvent[] } };
}

function finishExport(sodium: Sodium, { doc, path, publicKeys, chain }: ReadExport, report: VerifyReport): ExportReport {
  const checkpoint = verifyCheckpointNote(sodium, doc.vaultId, publicKeys, doc.checkpoint);
  const hashes = logLeaves(sodium, doc.records);
  if (checkpoint.treeSize > doc.records.length || !sodium.memcmp(rootHash(sodium, hashes, checkpoint.treeSize), checkpoint.rootHash)) {
    throw new LifeboatError('AUDIT_BROKEN', 'The export’s checkpoint does not match its records.');
  }
  report.checks.push(`signed checkpoint over the first ${checkpoint.treeSize} records matches (RFC 6962 root)`);
  report.checks.unshift(...chain.checks);
  report.checks.push(verifyExporterSignature(sodium, doc, publicKeys, path));
  return { ...report, checkpointSize: checkpoint.treeSize, vaultId: doc.vaultId, fingerprint: chain.fingerprint };
}

/** The exporter's signature over the whole document, when a full member exported; said plainly when absent. */
function verifyExporterSignature(sodium: Sodium, doc: AuditExport, publicKeys: ReadonlyMap<number, Uint8Array>, path: string): string {
  const { signature, ...rest } = doc;
  if (!signature) {
    // A full member's export ends with its own signed audit.exported event: one without a signature was stripped.
    const last = doc.events.at(-1);
    if (doc.version >= 2 && last?.['type'] === 'audit.exported' && last['role'] !== 'auditor') {
      throw new LifeboatError('AUDIT_BROKEN', `${path}: a full member made this export (its last event says so), but its exporter signature is missing.`);
    }
    return 'no exporter signature (an auditor exported it, or an older Lifeboat): vault name, export time and exporter are unsigned';
  }
  const key = publicKeys.get(signature.epoch);
  let value: Uint8Array;
  try {
    value = b64decode(sodium, signature.value, 'the export signature');
  } catch {
    value = new Uint8Array(0);
  }
  if (!key || !verifiesDetached(sodium, value, exportSignatureMessage(rest), key)) {
    throw new LifeboatError('AUDIT_BROKEN', `${path}: the exporter's signature does not match the document (a field was changed after export).`);
  }
  return `the whole document (vault name, export time, exporter included) is signed with the audit key of epoch ${signature.epoch}`;
}

/**
 * At unlock: the checkpoint written at creation and at every lock must
 * exist and describe a prefix of the current log. Catches a log cut back
 * below it, for auditors too (who cannot read the snapshot's sealed head).
 * Returns the checkpoint's tree size and the vault state it records.
 */
export async function checkStoredCheckpoint(
  sodium: Sodium,
  dir: string,
  vaultId: string,
  publicKeys: ReadonlyMap<number, Uint8Array>,
  lines: readonly string[],
  /** The log's root if already computed (used when the checkpoint covers the whole log, as after a lock). */
  precomputed?: LogRoot,
): Promise<{ treeSize: number; state: CheckpointState | null }> {
  let text: string;
  try {
    text = await readVaultText(join(dir, CHECKPOINT_FILE));
  } catch (error) {
    if (error instanceof LifeboatError) {
      throw error;
    }
    throw new LifeboatError(
      'AUDIT_BROKEN',
      'The audit checkpoint file is missing: it is written when the vault is created and at every lock, so it was deleted.',
    );
  }
  let checkpoint: VerifiedCheckpoint;
  try {
    checkpoint = verifyCheckpointNote(sodium, vaultId, publicKeys, text);
  } catch (error) {
    throw new LifeboatError('AUDIT_BROKEN', `The vault's checkpoint file is not valid: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (checkpoint.treeSize > lines.length) {
    throw new LifeboatError(
      'AUDIT_BROKEN',
      `The audit log has been truncated: the last checkpoint covers ${checkpoint.treeSize} records, the log has ${lines.length}.`,
    );
  }
  const root =
    precomputed?.size === checkpoint.treeSize && checkpoint.treeSize === lines.length
      ? precomputed.root
      : rootHash(sodium, logLeaves(sodium, lines), checkpoint.treeSize);
  if (!sodium.memcmp(root, checkpoint.rootHash)) {
    throw new LifeboatError('AUDIT_BROKEN', `The audit log's first ${checkpoint.treeSize} records are not the ones the last checkpoint signed.`);
  }
  return { treeSize: checkpoint.treeSize, state: checkpointState(checkpoint.extensions) };
}
