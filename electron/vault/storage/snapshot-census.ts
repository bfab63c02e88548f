/**
 * What the snapshot files in a vault folder are, decided at unlock before
 * anything trusts them (docs/vault-format.md, "Snapshots"). Someone who can
 * write to the folder can plant, rename, replace or delete files; they
 * cannot produce a file that authenticates under the content key, nor an
 * audit record signed with the epoch's key. So:
 *
 * - a file named like a snapshot that is not one (wrong name form, not a
 *   regular file, no snapshot prefix, a prefix naming another generation)
 *   is VAULT_TAMPERED;
 * - a file of the header's key epoch is authenticated with the content key
 *   (the newest in full by the caller, the others by their metadata frame);
 * - a file of the next epoch is an interrupted rekey only if the audit log,
 *   verified, announces exactly it (epoch, generation and BLAKE2b-256 of its
 *   bytes) in a `vault.rekey-started` record; anything else newer is VAULT_TAMPERED;
 * - a file of an older epoch is a rekey's leftover (a crash before its
 *   prune) only if it is older than every current-epoch file; it is never
 *   read, trusted or deleted.
 * Only the authenticated current files may later be pruned.
 */
import { LifeboatError } from '../../../shared/errors.js';
import type { Sodium } from '../keys/crypto-runtime.js';
import { listGenerations, readSnapshotBytes, readSnapshotFilePrefix, readSnapshotMetaFile, type KnownSnapshot } from './snapshot-file.js';

export const DOCTOR_HINT = 'Run `lifeboat doctor` to see what is on disk and restore the newest good snapshot.';

export interface SnapshotCensus {
  /** Files of the header's key epoch, newest first (not yet authenticated). */
  current: KnownSnapshot[];
  /** Files of the next epoch: interrupted rekeys, if announced. */
  future: KnownSnapshot[];
  /** Files of older epochs, all older than the current ones. */
  superseded: KnownSnapshot[];
}

/** What a `vault.rekey-started` audit event announces (its details). */
export interface RekeyAnnouncement {
  epoch: number;
  generation: number;
  snapshotHash: string;
}

function tampered(message: string): LifeboatError {
  return new LifeboatError('VAULT_TAMPERED', `${message} ${DOCTOR_HINT}`);
}

/** Every file named like a snapshot, checked for form; newest first. */
export async function surveySnapshots(dir: string): Promise<KnownSnapshot[]> {
  const entries: KnownSnapshot[] = [];
  for (const entry of await listGenerations(dir)) {
    if (Number.isNaN(entry.generation)) {
      throw tampered(`${entry.file} in the vault folder is named like a database snapshot but is not one (a snapshot is named snapshot-<12 digits>.lbs).`);
    }
    const prefix = await readSnapshotFilePrefix(dir, entry.file);
    if (!prefix) {
      throw tampered(`The database snapshot ${entry.file} is not a Lifeboat snapshot: it was planted or damaged.`);
    }
    if (prefix.generation !== entry.generation) {
      throw tampered(`The database snapshot ${entry.file} holds generation ${prefix.generation}: it was renamed or replaced.`);
    }
    entries.push({ ...entry, keyEpoch: prefix.keyEpoch });
  }
  return entries;
}

/** Sorts the surveyed files by key epoch; refuses what no crash can leave behind. */
export function classifySnapshots(dir: string, entries: readonly KnownSnapshot[], keyEpoch: number): SnapshotCensus {
  const current = entries.filter((e) => e.keyEpoch === keyEpoch);
  const future = entries.filter((e) => e.keyEpoch > keyEpoch);
  const superseded = entries.filter((e) => e.keyEpoch < keyEpoch);
  for (const entry of future) {
    if (entry.keyEpoch !== keyEpoch + 1) {
      throw tampered(`The database snapshot ${entry.file} claims key epoch ${entry.keyEpoch}, the header ${keyEpoch}: it is damaged or altered.`);
    }
  }
  const oldestCurrent = current.at(-1);
  if (!oldestCurrent) {
    throw tampered(`The vault at ${dir} has no readable database snapshot for its current keys (key epoch ${keyEpoch}): it is incomplete or damaged.`);
  }
  for (const entry of superseded) {
    // A rekey writes the new epoch's first snapshot after every snapshot of the old one.
    if (entry.generation >= oldestCurrent.generation) {
      throw tampered(
        `The database snapshot ${entry.file} claims the older key epoch ${entry.keyEpoch} but is newer than ${oldestCurrent.file} of the current one: it is damaged or altered.`,
      );
    }
  }
  return { current, future, superseded };
}

/**
 * Each next-epoch file must be the very snapshot a verified
 * `vault.rekey-started` record announced (same generation, same bytes);
 * otherwise it was planted or altered.
 */
export async function checkInterruptedRekeys(
  sodium: Sodium,
  dir: string,
  future: readonly KnownSnapshot[],
  announcements: readonly RekeyAnnouncement[],
): Promise<void> {
  for (const entry of future) {
    const claims = announcements.filter((a) => a.epoch === entry.keyEpoch && a.generation === entry.generation);
    if (claims.length === 0) {
      throw tampered(
        `The database snapshot ${entry.file} claims key epoch ${entry.keyEpoch}, newer than the header's, but the audit log announces no rekey that wrote it: it was planted or altered.`,
      );
    }
    const hash = sodium.to_hex(sodium.crypto_generichash(32, await readSnapshotBytes(dir, entry.file), null));
    if (!claims.some((a) => a.snapshotHash === hash)) {
      throw tampered(`The database snapshot ${entry.file} is not the one the audit log's rekey announcement describes: it was replaced or altered.`);
    }
  }
}

/**
 * Authenticates the metadata of every current-epoch file but the newest
 * (which the caller decrypts in full): each must have been written with this
 * epoch's content key for this vault. Notes on each what it builds on
 * (`base`: null for a full snapshot), which pruning follows.
 */
export function authenticateOlderSnapshots(sodium: Sodium, contentKey: Uint8Array, dir: string, vaultId: string, older: readonly KnownSnapshot[]): void {
  for (const entry of older) {
    let meta;
    try {
      meta = readSnapshotMetaFile(sodium, contentKey, dir, entry.file);
    } catch (error) {
      if (error instanceof LifeboatError && error.code === 'VAULT_TAMPERED') {
        throw tampered(error.message);
      }
      throw error;
    }
    if (meta.vaultId !== vaultId) {
      throw tampered(`The database snapshot ${entry.file} belongs to another vault.`);
    }
    entry.base = 'base' in meta ? meta.base.generation : null;
  }
}

/** The announcements among decoded audit events (anything malformed is not one). */
export function rekeyAnnouncement(details: Record<string, string | number | boolean> | undefined): RekeyAnnouncement | null {
  const epoch = details?.epoch;
  const generation = details?.generation;
  const snapshotHash = details?.snapshotHash;
  if (typeof epoch !== 'number' || typeof generation !== 'number' || typeof snapshotHash !== 'string') {
    return null;
  }
  return { epoch, generation, snapshotHash };
}
