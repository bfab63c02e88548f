/**
 * The newest snapshot at unlock, and everything that must hold before it is
 * trusted: every snapshot-named file accounted for (storage/snapshot-census.ts),
 * the log head it seals present, the records after it signed.
 */
import { LifeboatError } from '../../shared/errors.js';
import { REKEY_STARTED, type AuditLog } from './audit/audit-log.js';
import { verifyAuditLines } from './audit/audit-verify.js';
import type { Sodium } from './keys/crypto-runtime.js';
import { auditKeyFor, publicKeyMap, type EpochKeys } from './keys/epoch-keys.js';
import { headerHash, headerSerial, type VaultHeader } from './keys/vault-header.js';
import { RecordStore } from './records/record-store.js';
import {
  authenticateOlderSnapshots,
  checkInterruptedRekeys,
  classifySnapshots,
  rekeyAnnouncement,
  surveySnapshots,
  type RekeyAnnouncement,
} from './storage/snapshot-census.js';
import { loadGeneration, type SnapshotChain } from './storage/snapshot-chain.js';
import type { AuditHead, KnownSnapshot, SealedHeader } from './storage/snapshot-file.js';

/**
 * Full members decrypt the newest snapshot and check the log contains the
 * head it seals; auditors cannot decrypt it, so they verify the whole log.
 * The newest snapshot failing is never papered over by an older one:
 * `lifeboat doctor` is the deliberate, logged way back. Every other file
 * named like a snapshot is accounted for first (storage/snapshot-census.ts).
 */
export async function loadNewestSnapshot(
  sodium: Sodium,
  dir: string,
  header: VaultHeader,
  keys: EpochKeys,
  log: AuditLog,
): Promise<{ store: RecordStore | null; generation: number; sealedHead: AuditHead | null; snapshots: KnownSnapshot[]; chain: SnapshotChain | null }> {
  const census = classifySnapshots(dir, await surveySnapshots(dir), header.keyEpoch);
  const [newest, ...older] = census.current as [KnownSnapshot, ...KnownSnapshot[]];
  const publicKeys = publicKeyMap(sodium, header);
  if (!keys.content) {
    verifyAuditLines(
      sodium,
      log.lines.map((l) => l.line),
      { vaultId: header.vaultId, publicKeys, auditKeyFor: auditKeyFor(keys) },
    );
    await checkInterruptedRekeys(sodium, dir, census.future, announcedRekeys(log, 0, keys, census.future.length > 0));
    return { store: null, generation: newest.generation, sealedHead: null, snapshots: [], chain: null };
  }
  // The newest generation: a full snapshot, or one with the deltas since it applied (storage/snapshot-chain.ts).
  const { meta, db, files, chain } = loadGeneration(sodium, keys.content, dir, header.vaultId, newest, census.current);
  let adopted = false;
  try {
    checkSealedHeader(sodium, header, newest.file, meta.header);
    // Cheap at unlock: the chain up to the sealed head was checked while
    // loading; records after it (opens, reveals since the last save) get
    // their signatures checked here. `audit verify` checks everything.
    checkSealedHead(log, meta.auditHead);
    verifyTailSignatures(log, meta.auditHead.size, publicKeys);
    // A rekey announces its new-epoch snapshot after the last save of the old epoch.
    await checkInterruptedRekeys(sodium, dir, census.future, announcedRekeys(log, meta.auditHead.size, keys, census.future.length > 0));
    const read = new Set(files.map((f) => f.file));
    authenticateOlderSnapshots(
      sodium,
      keys.content,
      dir,
      header.vaultId,
      older.filter((entry) => !read.has(entry.file)),
    );
    // The store takes the decrypted image over (no second copy) and zeroes it when it closes.
    adopted = true;
    const store = await RecordStore.adopt(db);
    // Nothing written by opening (no schema upgrade): a save with no change since can skip the export.
    const writes = store.writeCount();
    return {
      store,
      generation: meta.generation,
      sealedHead: meta.auditHead,
      snapshots: census.current,
      chain: chain ? { ...chain, writes: writes === 0 ? 0 : -1 } : null,
    };
  } finally {
    if (!adopted) {
      db.fill(0);
    }
  }
}

/** The rekeys announced by verified records from `from` on; none are decrypted unless a next-epoch file needs them. */
function announcedRekeys(log: AuditLog, from: number, keys: EpochKeys, needed: boolean): RekeyAnnouncement[] {
  if (!needed) {
    return [];
  }
  const keyFor = auditKeyFor(keys);
  const found: RekeyAnnouncement[] = [];
  for (let index = from; index < log.size; index += 1) {
    const event = log.openEvent(index, keyFor);
    const announcement = event.type === REKEY_STARTED ? rekeyAnnouncement(event.details) : null;
    if (announcement) {
      found.push(announcement);
    }
  }
  return found;
}

/**
 * The header on disk may be newer than the one the newest snapshot was saved
 * under (a member changed since and the save that seals it has not happened),
 * never older, and never another header of the same serial: that is an
 * earlier header.json put back (an old passphrase, a removed member).
 */
function checkSealedHeader(sodium: Sodium, header: VaultHeader, file: string, sealed: SealedHeader | undefined): void {
  if (!sealed) {
    return;
  }
  const serial = headerSerial(header);
  if (serial < sealed.serial) {
    throw new LifeboatError(
      'VAULT_TAMPERED',
      `header.json is older than the vault's newest snapshot (${file} was saved under header ${sealed.serial}, the file is header ${serial}): an earlier header was put back. Run \`lifeboat doctor\`.`,
    );
  }
  if (serial === sealed.serial && headerHash(sodium, header) !== sealed.hash) {
    throw new LifeboatError(
      'VAULT_TAMPERED',
      `header.json is not the header the vault's newest snapshot (${file}) was saved under, though it carries the same serial (${serial}): it was replaced.`,
    );
  }
}

function checkSealedHead(log: AuditLog, head: { size: number; hash: string }): void {
  if (log.size < head.size) {
    throw new LifeboatError(
      'AUDIT_BROKEN',
      `The audit log has been truncated: the vault's snapshot expects at least ${head.size} records, the log has ${log.size}.`,
    );
  }
  if (log.hashAtSize(head.size) !== head.hash) {
    throw new LifeboatError(
      'AUDIT_BROKEN',
      `The audit log has been replaced or rolled back: record ${head.size - 1} is not the one sealed in the vault's snapshot.`,
    );
  }
}

function verifyTailSignatures(log: AuditLog, from: number, publicKeys: Map<number, Uint8Array>): void {
  for (let index = from; index < log.size; index += 1) {
    log.verifySignature(index, publicKeys);
  }
}
