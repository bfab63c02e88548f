/**
 * Delta snapshots (docs/vault-format.md, "Snapshots"): a save writes only
 * the 4 KiB blocks of the database image that changed since the generation
 * before it, and a full snapshot again once the deltas since the last full
 * one add up to an eighth of the image (or 64 links). A generation's
 * database is its full base with every delta after it applied in order.
 *
 * What is trusted: every file of the chain is authenticated with the
 * content key (its own AEAD stream, bound to its kind, generation and
 * epoch), and each delta names its base by generation **and** by the
 * base's random snapshotId, so a base deleted, replaced by another genuine
 * file of the same number (a copy of the vault that went its own way) or
 * reordered is VAULT_TAMPERED, never silently mixed in.
 *
 * Which blocks changed is found by hashing every block of the exported
 * image (SHA-256, node:crypto, in memory only; not part of the format) and
 * comparing with the hashes of the image last written or loaded.
 */
import { createHash } from 'node:crypto';
import { LifeboatError } from '../../../shared/errors.js';
import type { Sodium } from '../keys/crypto-runtime.js';
import { DOCTOR_HINT } from './snapshot-census.js';
import {
  decryptSnapshotFile,
  readSnapshotMetaFile,
  type DecryptedSnapshot,
  type DeltaBlocks,
  type DeltaMeta,
  type KnownSnapshot,
  type SnapshotMeta,
} from './snapshot-file.js';

/** Deltas are cut in blocks of SQLite's default page size. */
export const BLOCK_BYTES = 4096;
const HASH_BYTES = 32;
/** A full snapshot again once the deltas since the last one hold this share of the image, or this many links. */
const COMPACT_SHARE = 1 / 8;
const COMPACT_MIN_BYTES = 1024 * 1024;
const MAX_LINKS = 64;

/** What a session knows of the chain its newest generation ends: enough to write the next delta. */
export interface SnapshotChain {
  keyEpoch: number;
  /** The newest generation written or loaded, and its snapshotId. */
  tip: { generation: number; snapshotId: string };
  /** Bytes of blocks in the deltas since the full snapshot, and how many deltas. */
  deltaBytes: number;
  links: number;
  /** SHA-256 of each BLOCK_BYTES block of the tip's image. */
  hashes: Uint8Array;
  /**
   * The store's writeCount() when the tip's image was taken; -1 when not
   * known (the store changed its schema as it opened). Equal now: the
   * database is the tip's, and a save needs no export to know it.
   */
  writes: number;
}

/** The length of the image a chain's tip stands for. */
export function tipBytes(chain: SnapshotChain): number {
  return (chain.hashes.length / HASH_BYTES) * BLOCK_BYTES;
}

/** True when the next save can be a delta of no block without exporting the database: nothing was written since the tip. */
export function unchangedSince(chain: SnapshotChain | null, keyEpoch: number, writes: number): chain is SnapshotChain {
  return chain !== null && chain.keyEpoch === keyEpoch && chain.writes >= 0 && chain.writes === writes && chain.links < MAX_LINKS;
}

/** SHA-256 of every block of an image whose length is a multiple of BLOCK_BYTES. */
export function blockHashes(image: Uint8Array): Uint8Array {
  const count = image.length / BLOCK_BYTES;
  const out = new Uint8Array(count * HASH_BYTES);
  for (let i = 0; i < count; i += 1) {
    out.set(
      createHash('sha256')
        .update(image.subarray(i * BLOCK_BYTES, (i + 1) * BLOCK_BYTES))
        .digest(),
      i * HASH_BYTES,
    );
  }
  return out;
}

/** Indexes of the blocks whose hashes differ (every block past the old image's end counts as changed). */
export function changedBlocks(before: Uint8Array, after: Uint8Array): Uint32Array {
  const count = after.length / HASH_BYTES;
  const known = before.length / HASH_BYTES;
  const changed: number[] = [];
  const a = Buffer.from(before.buffer, before.byteOffset, before.length);
  const b = Buffer.from(after.buffer, after.byteOffset, after.length);
  for (let i = 0; i < count; i += 1) {
    if (i >= known || a.compare(b, i * HASH_BYTES, (i + 1) * HASH_BYTES, i * HASH_BYTES, (i + 1) * HASH_BYTES) !== 0) {
      changed.push(i);
    }
  }
  return Uint32Array.from(changed);
}

/**
 * The blocks to write as a delta on `chain`, or null when this save must be
 * a full snapshot: no chain known (a vault saved before deltas, a restore),
 * a new key epoch, an image not cut in whole blocks, or a chain that has
 * grown long or heavy enough to compact.
 */
export function planDelta(chain: SnapshotChain | null, keyEpoch: number, hashes: Uint8Array | null, imageBytes: number): Uint32Array | null {
  if (!chain || !hashes || chain.keyEpoch !== keyEpoch || chain.links >= MAX_LINKS) {
    return null;
  }
  const changed = changedBlocks(chain.hashes, hashes);
  const bytes = chain.deltaBytes + changed.length * BLOCK_BYTES;
  return bytes > Math.max(COMPACT_MIN_BYTES, imageBytes * COMPACT_SHARE) ? null : changed;
}

/** The hashes to keep after saving `image` (null when it is not cut in whole blocks: the next save is full). */
export function hashesOf(image: Uint8Array): Uint8Array | null {
  return image.length % BLOCK_BYTES === 0 ? blockHashes(image) : null;
}

/** What a save writes, decided before anything is encrypted. */
export interface SavePlan {
  /** The exported database, or null when nothing was written since the tip (the caller zeroes it). */
  db: Uint8Array | null;
  /** Length of the database the new generation stands for. */
  dbBytes: number;
  /** The blocks to write as a delta on the chain's tip, or null: a full snapshot. */
  changed: Uint32Array | null;
  /** The block hashes of the new generation's database (null: the next save is full). */
  hashes: Uint8Array | null;
}

/**
 * Plans a save on `chain` (null: a full snapshot): a delta of no block,
 * without exporting, when the store wrote nothing since the tip (`writes`
 * is its writeCount()); else the exported image, hashed, as a delta of the
 * changed blocks or, when planDelta says so, whole.
 */
export function planSave(chain: SnapshotChain | null, keyEpoch: number, writes: number, exportImage: () => Uint8Array): SavePlan {
  if (unchangedSince(chain, keyEpoch, writes)) {
    return { db: null, dbBytes: tipBytes(chain), changed: new Uint32Array(0), hashes: chain.hashes };
  }
  const db = exportImage();
  const hashes = hashesOf(db);
  return { db, dbBytes: db.length, changed: planDelta(chain, keyEpoch, hashes, db.length), hashes };
}

/** The chain once the planned save is written as generation `tip`. */
export function chainAfter(chain: SnapshotChain | null, plan: SavePlan, keyEpoch: number, tip: SnapshotChain['tip'], writes: number): SnapshotChain | null {
  if (chain && plan.changed && plan.hashes) {
    return { ...chain, tip, deltaBytes: chain.deltaBytes + plan.changed.length * BLOCK_BYTES, links: chain.links + 1, hashes: plan.hashes, writes };
  }
  return plan.hashes ? { keyEpoch, tip, deltaBytes: 0, links: 0, hashes: plan.hashes, writes } : null;
}

function tampered(message: string): LifeboatError {
  return new LifeboatError('VAULT_TAMPERED', `${message} ${DOCTOR_HINT}`);
}

/**
 * The files from the full snapshot `target` builds on up to `target`, oldest
 * first, as their metadata says, and the largest image along the way.
 */
function chainFiles(
  sodium: Sodium,
  contentKey: Uint8Array,
  dir: string,
  target: KnownSnapshot,
  known: readonly KnownSnapshot[],
): { files: KnownSnapshot[]; capacity: number } {
  const byGeneration = new Map(known.filter((k) => k.keyEpoch === target.keyEpoch).map((k) => [k.generation, k]));
  const files = [target];
  let meta: SnapshotMeta | DeltaMeta = readSnapshotMetaFile(sodium, contentKey, dir, target.file);
  let capacity = meta.dbBytes;
  while ('base' in meta) {
    const { base } = meta;
    const below = byGeneration.get(base.generation);
    const above = files[0];
    if (!below) {
      throw tampered(`The database snapshot ${above?.file ?? target.file} builds on generation ${base.generation}, which is missing from the vault folder.`);
    }
    files.unshift(below);
    meta = readSnapshotMetaFile(sodium, contentKey, dir, below.file);
    capacity = Math.max(capacity, meta.dbBytes);
  }
  return { files, capacity };
}

export interface LoadedGeneration {
  /** The metadata of the generation asked for. */
  meta: SnapshotMeta;
  /** Its database image (the caller zeroes it, or hands it to the store). */
  db: Uint8Array;
  /** The files read, oldest (the full snapshot) first, with their bases filled in. */
  files: KnownSnapshot[];
  /** The chain as it ends at this generation, for the next save's delta; null if its full snapshot predates deltas. */
  chain: SnapshotChain | null;
}

/**
 * The database of generation `target`: its full snapshot with every delta
 * up to it applied. Every file is decrypted and authenticated in full, and
 * each delta must name the file before it by generation and snapshotId.
 */
export function loadGeneration(
  sodium: Sodium,
  contentKey: Uint8Array,
  dir: string,
  vaultId: string,
  target: KnownSnapshot,
  known: readonly KnownSnapshot[],
): LoadedGeneration {
  const { files, capacity } = chainFiles(sodium, contentKey, dir, target, known);
  let image: Uint8Array = new Uint8Array(0);
  let length = 0;
  let previous: SnapshotMeta | null = null;
  let deltaBytes = 0;
  try {
    for (const file of files) {
      // The full snapshot is read into a buffer big enough for every delta after it: grown in place, never copied.
      const opened: DecryptedSnapshot = decryptSnapshotFile(sodium, contentKey, dir, file.file, { capacity: files.length > 1 ? capacity : 0 });
      if (opened.meta.vaultId !== vaultId) {
        if (opened.kind === 'full') {
          opened.db.fill(0);
        }
        throw tampered(`The database snapshot ${file.file} belongs to another vault.`);
      }
      if (opened.kind === 'full') {
        if (previous) {
          opened.db.fill(0);
          throw tampered(`The database snapshot ${file.file} changed while it was being read.`);
        }
        image = new Uint8Array(opened.db.buffer, opened.db.byteOffset, opened.db.buffer.byteLength - opened.db.byteOffset);
        length = opened.db.length;
        file.base = null;
      } else {
        const { meta, delta } = opened;
        if (!previous || meta.base.generation !== previous.generation || meta.base.snapshotId !== previous.snapshotId) {
          delta.data.fill(0);
          throw tampered(
            `The database snapshot ${file.file} does not build on the snapshot of generation ${meta.base.generation} in the folder: that file was replaced by another one of the same number.`,
          );
        }
        ({ image, length } = applyDelta(image, length, meta, delta, file.file));
        deltaBytes += delta.data.length;
        file.base = meta.base.generation;
      }
      previous = opened.meta;
    }
  } catch (error) {
    image.fill(0);
    throw error;
  }
  const meta = previous as SnapshotMeta;
  const db = image.subarray(0, length);
  const chain =
    meta.snapshotId === undefined || length % BLOCK_BYTES !== 0
      ? null
      : {
          keyEpoch: meta.keyEpoch,
          tip: { generation: meta.generation, snapshotId: meta.snapshotId },
          deltaBytes,
          links: files.length - 1,
          hashes: blockHashes(db),
          // Set once the store holds the image (newest-snapshot.ts).
          writes: -1,
        };
  return { meta, db, files, chain };
}

/**
 * Applies a delta to an image of `length` bytes (in a buffer that may be
 * bigger), growing the buffer when the delta's image is longer. A delta that
 * grows the image must carry every block past the old end.
 */
function applyDelta(image: Uint8Array, length: number, meta: DeltaMeta, delta: DeltaBlocks, file: string): { image: Uint8Array; length: number } {
  const { blockBytes, dbBytes } = meta;
  if (length % blockBytes !== 0) {
    delta.data.fill(0);
    throw tampered(`The database snapshot ${file} does not fit the image it builds on.`);
  }
  const oldBlocks = length / blockBytes;
  const newBlocks = dbBytes / blockBytes;
  if (newBlocks > oldBlocks && delta.indexes.filter((i) => i >= oldBlocks).length !== newBlocks - oldBlocks) {
    delta.data.fill(0);
    throw tampered(`The database snapshot ${file} grows the database but leaves blocks of it unwritten.`);
  }
  let out = image;
  if (dbBytes > image.length) {
    out = new Uint8Array(dbBytes);
    out.set(image.subarray(0, length));
    image.fill(0);
  } else if (dbBytes < length) {
    out.fill(0, dbBytes, length);
  }
  delta.indexes.forEach((index, i) => {
    out.set(delta.data.subarray(i * blockBytes, (i + 1) * blockBytes), index * blockBytes);
  });
  delta.data.fill(0);
  return { image: out, length: dbBytes };
}
