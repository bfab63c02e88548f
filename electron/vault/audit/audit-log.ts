/**
 * audit.log: the append-only, tamper-evident record of who opened what.
 * One canonical-JSON record per line (docs/vault-format.md, "Audit log"):
 *
 *   { v, seq, time, epoch, prev, commit, body, sig }
 *
 * - prev: hex BLAKE2b-256 of the previous line's bytes (64 zeros for seq 0);
 * - body: the event, sealed under the audit key of `epoch` (nonce ‖ ciphertext, base64);
 * - commit: hex BLAKE2b-256 of the event's canonical JSON, which carries a
 *   random salt, so an export can prove its decrypted events without a key
 *   while the log file alone confirms no guess about an event;
 * - sig: Ed25519, by the epoch's audit signing key, over
 *   "lifeboat-audit-record-v1\n" ‖ canonical JSON of the record without sig.
 * Each line is also a leaf of an RFC 6962 Merkle tree (see audit-checkpoint.ts).
 */
import { join } from 'node:path';
import { LifeboatError } from '../../../shared/errors.js';
import { appendDurable, errnoCode } from '../storage/atomic-file.js';
import { openVaultFile, READ_WRITE_FLAGS, readVaultText } from '../storage/vault-files.js';
import { AUDIT_EVENT_TYPES, type AuditEventType } from '../../../shared/audit-events.js';
import { canonicalBytes, canonicalJson } from '../canonical-json.js';
import type { Sodium } from '../keys/crypto-runtime.js';
import { seal, unseal } from '../keys/key-hierarchy.js';

export const AUDIT_FILE = 'audit.log';
export const ZERO_HASH = '0'.repeat(64);
const SIGNING_PREFIX = 'lifeboat-audit-record-v1\n';

export { AUDIT_EVENT_TYPES };
export type { AuditEventType };

/** Announces a rekey's new-epoch snapshot before it is written (docs/vault-format.md, "Rekey"). */
export const REKEY_STARTED = 'vault.rekey-started' satisfies AuditEventType;

export interface AuditEvent {
  type: AuditEventType;
  actor: string;
  role: string;
  recordId?: string;
  recordTitle?: string;
  field?: string;
  reason?: string;
  details?: Record<string, string | number | boolean>;
  /** Random, so the commitment reveals nothing about a guessable event. */
  salt: string;
}

export interface AuditRecord {
  v: 1;
  seq: number;
  time: string;
  epoch: number;
  prev: string;
  commit: string;
  body: string;
  sig: string;
}

export interface AuditSigner {
  epoch: number;
  auditKey: Uint8Array;
  signingSecretKey: Uint8Array;
}

export interface ParsedLine {
  record: AuditRecord;
  line: string;
  /** hex BLAKE2b-256 of the line's bytes: the next record's prev. */
  hash: string;
}

export function eventAd(vaultId: string, seq: number, epoch: number): string {
  return `lifeboat-audit-event|${vaultId}|${seq}|${epoch}`;
}

export function signedBytes(record: Omit<AuditRecord, 'sig'>): Uint8Array {
  const body = canonicalJson(record);
  return new TextEncoder().encode(SIGNING_PREFIX + body);
}

export function lineHash(sodium: Sodium, line: string): string {
  return sodium.to_hex(sodium.crypto_generichash(32, line, null));
}

export function eventCommit(sodium: Sodium, event: AuditEvent): string {
  return sodium.to_hex(sodium.crypto_generichash(32, canonicalBytes(event), null));
}

function broken(message: string): LifeboatError {
  return new LifeboatError('AUDIT_BROKEN', message);
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Structural check of one line: canonical JSON with exactly the record's fields. */
export function parseLine(sodium: Sodium, line: string, lineNumber: number): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw broken(`audit.log line ${lineNumber} is not valid JSON.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw broken(`audit.log line ${lineNumber} is not a well-formed audit record.`);
  }
  const r = value as Partial<AuditRecord>;
  const keys = Object.keys(value).sort().join(',');
  const ok =
    keys === 'body,commit,epoch,prev,seq,sig,time,v' &&
    r.v === 1 &&
    Number.isSafeInteger(r.seq) &&
    Number.isSafeInteger(r.epoch) &&
    typeof r.time === 'string' &&
    typeof r.prev === 'string' &&
    HEX64.test(r.prev) &&
    typeof r.commit === 'string' &&
    HEX64.test(r.commit) &&
    typeof r.body === 'string' &&
    typeof r.sig === 'string';
  if (!ok || canonicalJson(value) !== line) {
    throw broken(`audit.log line ${lineNumber} is not a well-formed audit record.`);
  }
  return { record: value as AuditRecord, line, hash: lineHash(sodium, line) };
}

function where(lineNumber: number, seq: number): string {
  return `Audit log broken at line ${lineNumber} (seq ${seq})`;
}

/** Sequence and chain: the record at `index` must follow the one hashed to `prevHash`. */
export function checkLink(parsed: ParsedLine, index: number, prevHash: string): void {
  const { record } = parsed;
  if (record.seq !== index) {
    throw broken(`${where(index + 1, record.seq)}: expected sequence number ${index} (records missing or reordered).`);
  }
  if (record.prev !== prevHash) {
    throw broken(`${where(index + 1, record.seq)}: it does not chain to the previous record (a record was removed, altered or reordered).`);
  }
}

export function verifyRecordSignature(sodium: Sodium, parsed: ParsedLine, publicKeys: ReadonlyMap<number, Uint8Array>, lineNumber: number): void {
  const { sig, ...unsigned } = parsed.record;
  const key = publicKeys.get(unsigned.epoch);
  if (key?.length !== sodium.crypto_sign_PUBLICKEYBYTES) {
    throw broken(`${where(lineNumber, unsigned.seq)}: no public key for key epoch ${unsigned.epoch}.`);
  }
  let signature: Uint8Array;
  try {
    signature = sodium.from_base64(sig, sodium.base64_variants.ORIGINAL);
  } catch {
    signature = new Uint8Array(0);
  }
  if (signature.length !== sodium.crypto_sign_BYTES || !sodium.crypto_sign_verify_detached(signature, signedBytes(unsigned), key)) {
    throw broken(`${where(lineNumber, unsigned.seq)}: the signature does not verify.`);
  }
}

/**
 * A crash mid-append can leave a partial last line (never acknowledged).
 * Readers ignore it; before anything is appended it must go, or the next
 * record would be glued to it. Call with the vault lock held, and only once
 * the complete lines before it have been verified: `verifiedBytes` is their
 * length, and the file is cut to exactly that or not at all (a log that
 * changed since it was read is AUDIT_BROKEN, not trimmed). The file is opened
 * without following a link and must be a regular file, so a planted link
 * cannot turn this into the truncation of a file outside the vault.
 */
export async function cutTornTail(vaultDir: string, verifiedBytes: number): Promise<void> {
  const path = join(vaultDir, AUDIT_FILE);
  let handle;
  try {
    handle = await openVaultFile(path, READ_WRITE_FLAGS);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') {
      return;
    }
    throw error;
  }
  try {
    const bytes = await handle.readFile();
    if (bytes.length === 0 || bytes[bytes.length - 1] === 0x0a) {
      return;
    }
    const keep = bytes.lastIndexOf(0x0a) + 1;
    if (keep !== verifiedBytes) {
      throw broken(`audit.log changed while it was being checked (${keep} bytes of whole records, ${verifiedBytes} verified): nothing was trimmed.`);
    }
    await handle.truncate(keep);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The bytes the lines take in the file, newlines included: what cutTornTail keeps. */
export function linesByteLength(lines: readonly { line: string }[]): number {
  let total = 0;
  for (const { line } of lines) {
    total += Buffer.byteLength(line, 'utf8') + 1;
  }
  return total;
}

export async function readAuditLines(vaultDir: string): Promise<string[]> {
  let text: string;
  try {
    text = await readVaultText(join(vaultDir, AUDIT_FILE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw broken('audit.log is missing.');
    }
    if (error instanceof LifeboatError) {
      throw error;
    }
    throw new LifeboatError('VAULT_IO', `Could not read audit.log: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}.`);
  }
  if (text.length > 0 && !text.endsWith('\n')) {
    // A torn final line from a crash mid-append is not an acknowledged write:
    // the append had not returned. Everything before it is intact.
    text = text.slice(0, text.lastIndexOf('\n') + 1);
  }
  return text.length === 0 ? [] : text.slice(0, -1).split('\n');
}

/**
 * A line of the loaded log: its text and hash are kept, its record is parsed
 * again when asked for. Keeping every parsed record tripled the log's memory
 * (about 3 KB a line: 300 MiB at 100,000 records) for the few that are read.
 */
class LoadedLine implements ParsedLine {
  constructor(
    readonly line: string,
    readonly hash: string,
  ) {}

  get record(): AuditRecord {
    // Checked by parseLine when the log was loaded or the line appended.
    return JSON.parse(this.line) as AuditRecord;
  }
}

/**
 * The log as loaded for a session: its lines (parsed on demand) and the head. Appends go to
 * disk (fsynced) before the in-memory state moves, so "append returned" means
 * "on disk".
 */
export class AuditLog {
  private constructor(
    private readonly sodium: Sodium,
    private readonly vaultDir: string,
    private readonly vaultId: string,
    readonly lines: ParsedLine[],
  ) {}

  /**
   * Loads and checks the chain (sequence numbers and prev hashes): cheap, so
   * done at every unlock. Signatures are checked by audit-verify.ts.
   */
  static async load(sodium: Sodium, vaultDir: string, vaultId: string, options: { readOnly?: boolean } = {}): Promise<AuditLog> {
    // Read-only: the torn tail is ignored, not cut; cut it (cutTornTail) before the first append.
    const raw = await readAuditLines(vaultDir);
    const lines: ParsedLine[] = [];
    let prevHash = ZERO_HASH;
    for (const [index, line] of raw.entries()) {
      const parsed = parseLine(sodium, line, index + 1);
      checkLink(parsed, index, prevHash);
      prevHash = parsed.hash;
      lines.push(new LoadedLine(parsed.line, parsed.hash));
    }
    if (!options.readOnly) {
      await cutTornTail(vaultDir, linesByteLength(lines));
    }
    return new AuditLog(sodium, vaultDir, vaultId, lines);
  }

  verifySignature(index: number, publicKeys: ReadonlyMap<number, Uint8Array>): void {
    const parsed = this.lines[index];
    if (!parsed) {
      throw broken(`audit.log has no record ${index}.`);
    }
    verifyRecordSignature(this.sodium, parsed, publicKeys, index + 1);
  }

  static empty(sodium: Sodium, vaultDir: string, vaultId: string): AuditLog {
    return new AuditLog(sodium, vaultDir, vaultId, []);
  }

  get size(): number {
    return this.lines.length;
  }

  headHash(): string {
    return this.lines.at(-1)?.hash ?? ZERO_HASH;
  }

  /** Hash of the record at `size - 1` (the head of a log of that size). */
  hashAtSize(size: number): string | undefined {
    if (size === 0) {
      return ZERO_HASH;
    }
    return this.lines[size - 1]?.hash;
  }

  /** Appends in call order, one at a time, whatever the callers' timing. */
  private appending: Promise<unknown> = Promise.resolve();

  /** Told of each append once it is on disk: this laptop's anchor (anchor/local-anchor.ts). */
  private followers: ((log: AuditLog) => Promise<void>)[] = [];

  /**
   * Calls `follower` after every append, once the record is fsynced, and
   * waits for it before the append returns: what a reveal logged is anchored
   * before it is shown. A follower must not reject (the record is on disk
   * whatever it does).
   */
  follow(follower: (log: AuditLog) => Promise<void>): void {
    this.followers.push(follower);
  }

  /**
   * Appends one event. Concurrent calls are queued: each record's sequence
   * number and prev hash are taken only when the previous append has reached
   * the disk, so two at once can never share a sequence number (which would
   * leave a log that no longer verifies, and a vault that will not open).
   */
  append(event: Omit<AuditEvent, 'salt'>, signer: AuditSigner, now?: Date): Promise<AuditRecord> {
    const run = this.appending.then(() => this.appendNow(event, signer, now ?? new Date()));
    this.appending = run.catch(() => undefined);
    return run;
  }

  private async appendNow(event: Omit<AuditEvent, 'salt'>, signer: AuditSigner, now: Date): Promise<AuditRecord> {
    const sodium = this.sodium;
    const seq = this.lines.length;
    const last = this.lines.at(-1)?.record;
    // Time never goes backwards in the log, even if the laptop's clock does.
    const time = last && last.time > now.toISOString() ? last.time : now.toISOString();
    const full: AuditEvent = { ...event, salt: sodium.to_base64(sodium.randombytes_buf(16), sodium.base64_variants.ORIGINAL) };
    const sealed = seal(sodium, signer.auditKey, canonicalJson(full), eventAd(this.vaultId, seq, signer.epoch));
    const unsigned: Omit<AuditRecord, 'sig'> = {
      v: 1,
      seq,
      time,
      epoch: signer.epoch,
      prev: this.headHash(),
      commit: eventCommit(sodium, full),
      body: sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL),
    };
    const sig = sodium.crypto_sign_detached(signedBytes(unsigned), signer.signingSecretKey);
    const record: AuditRecord = { ...unsigned, sig: sodium.to_base64(sig, sodium.base64_variants.ORIGINAL) };
    const line = canonicalJson(record);
    await appendDurable(join(this.vaultDir, AUDIT_FILE), `${line}\n`);
    this.lines.push(new LoadedLine(line, lineHash(sodium, line)));
    for (const follower of this.followers) {
      await follower(this);
    }
    return record;
  }

  /** Decrypts one record's event and checks it against its commitment. */
  openEvent(index: number, auditKeyFor: (epoch: number) => Uint8Array | undefined): AuditEvent {
    const parsed = this.lines[index];
    if (!parsed) {
      throw broken(`audit.log has no record ${index}.`);
    }
    return openRecordEvent(this.sodium, this.vaultId, parsed.record, index + 1, auditKeyFor);
  }
}

export function openRecordEvent(
  sodium: Sodium,
  vaultId: string,
  record: AuditRecord,
  lineNumber: number,
  auditKeyFor: (epoch: number) => Uint8Array | undefined,
): AuditEvent {
  return openRecordEventChecked(sodium, vaultId, record, lineNumber, auditKeyFor).event;
}

/**
 * The event, and its canonical JSON (the bytes its commitment hashes, and
 * what a signed export's digest reads: audit-event-threads.ts hands these
 * back from its threads so they are not computed twice).
 */
export function openRecordEventChecked(
  sodium: Sodium,
  vaultId: string,
  record: Pick<AuditRecord, 'seq' | 'epoch' | 'body' | 'commit'>,
  lineNumber: number,
  auditKeyFor: (epoch: number) => Uint8Array | undefined,
): { event: AuditEvent; canonical: string } {
  const key = auditKeyFor(record.epoch);
  if (!key) {
    throw broken(`audit.log line ${lineNumber} (seq ${record.seq}) uses key epoch ${record.epoch}, which this vault does not know.`);
  }
  let sealed: Uint8Array;
  try {
    sealed = sodium.from_base64(record.body, sodium.base64_variants.ORIGINAL);
  } catch {
    throw broken(`audit.log line ${lineNumber} (seq ${record.seq}): the event body is not base64.`);
  }
  const plain = unseal(sodium, key, sealed, eventAd(vaultId, record.seq, record.epoch), () =>
    broken(`audit.log line ${lineNumber} (seq ${record.seq}): the event body does not decrypt.`),
  );
  const event = JSON.parse(sodium.to_string(plain)) as AuditEvent;
  // eventCommit's bytes, computed once: the commitment is over the canonical JSON.
  const canonical = canonicalJson(event);
  if (sodium.to_hex(sodium.crypto_generichash(32, canonical, null)) !== record.commit) {
    throw broken(`audit.log line ${lineNumber} (seq ${record.seq}): the event does not match its commitment.`);
  }
  return { event, canonical };
}
