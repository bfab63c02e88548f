/**
 * Encrypted database snapshots: snapshot-<generation>.lbs. A generation is
 * either **full** (the whole SQLite image) or a **delta** (the blocks that
 * changed since the generation it builds on), docs/vault-format.md, "Snapshots".
 *
 * Layout of both:
 *   "LBSNAP" 0x00 kind | generation u64 BE | key epoch u32 BE | secretstream header (24 bytes)
 *   then frames: length u32 BE | ciphertext
 * kind 0x01 is full, 0x02 a delta. The stream is libsodium's
 * crypto_secretstream_xchacha20poly1305 under the content key; every frame's
 * associated data is the 20-byte prefix, binding kind, generation and epoch.
 * Frame 1 is the metadata JSON. A full snapshot's other frames are the
 * SQLite bytes in 1 MiB chunks; a delta's are the changed blocks' indexes
 * (u32 BE each, ascending) and then their bytes in 1 MiB chunks. The last
 * frame carries TAG_FINAL, so truncation is detected.
 * Decryption writes straight into one buffer: one plaintext copy, never two.
 * Plaintext is zeroed with fill(0) (a native memset): sodium.memzero in
 * libsodium-wrappers is a JavaScript loop, 100 ms per 100 MiB.
 */
import { closeSync, fstatSync, readSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LifeboatError } from '../../../shared/errors.js';
import { writeFileAtomic } from './atomic-file.js';
import { openVaultFile, openVaultFileSync, readVaultFile } from './vault-files.js';
import type { Sodium } from '../keys/crypto-runtime.js';

const MAGIC = new Uint8Array([0x4c, 0x42, 0x53, 0x4e, 0x41, 0x50, 0x00]); // "LBSNAP" 0, then the kind
const KIND_FULL = 0x01;
const KIND_DELTA = 0x02;
const PREFIX_BYTES = 20;
const CHUNK_BYTES = 1024 * 1024;
export const GENERATIONS_KEPT = 4;
const NAME_PATTERN = /^snapshot-(\d{12})\.lbs$/;

export interface AuditHead {
  /** Number of records in the log when the snapshot was taken. */
  size: number;
  /** Hex BLAKE2b-256 of the last record (all zeros for an empty log). */
  hash: string;
}

export interface SnapshotMeta {
  vaultId: string;
  generation: number;
  keyEpoch: number;
  savedAt: string;
  savedBy: string;
  auditHead: AuditHead;
  /** The header this snapshot was saved under: its serial and hash (absent in snapshots written before format 2). */
  header?: SealedHeader;
  /** Length of the database image this generation stands for (a delta: after its blocks are applied). */
  dbBytes: number;
  /** 16 random bytes as hex, naming this file for the deltas built on it (absent before deltas existed). */
  snapshotId?: string;
}

/** What a delta's metadata adds: the generation it builds on, and how its blocks are cut. */
export interface DeltaMeta extends SnapshotMeta {
  snapshotId: string;
  base: { generation: number; snapshotId: string };
  /** Block size in bytes: a power of two from 512 to 65,536; dbBytes is a multiple of it. */
  blockBytes: number;
  /** How many blocks the delta carries. */
  blocks: number;
}

export type SnapshotKind = 'full' | 'delta';

/** A delta's content: the indexes of the blocks it replaces (ascending) and their bytes, in that order. */
export interface DeltaBlocks {
  indexes: Uint32Array;
  data: Uint8Array;
}

export interface SealedHeader {
  serial: number;
  /** Hex BLAKE2b-256 of the header's canonical JSON (keys/vault-header.ts headerHash). */
  hash: string;
}

export function snapshotFileName(generation: number): string {
  return `snapshot-${String(generation).padStart(12, '0')}.lbs`;
}

function prefix(generation: number, keyEpoch: number, kind: SnapshotKind = 'full'): Uint8Array {
  const bytes = new Uint8Array(PREFIX_BYTES);
  bytes.set(MAGIC, 0);
  bytes[7] = kind === 'full' ? KIND_FULL : KIND_DELTA;
  const view = new DataView(bytes.buffer);
  view.setBigUint64(8, BigInt(generation));
  view.setUint32(16, keyEpoch);
  return bytes;
}

/**
 * Seals frames into one buffer of the final size (frame sizes are known up
 * front), so a save holds the database once in clear and once encrypted,
 * never a third copy while frames are joined. The last frame is TAG_FINAL.
 */
function sealFrames(sodium: Sodium, contentKey: Uint8Array, ad: Uint8Array, frames: readonly Uint8Array[]): Uint8Array {
  const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(contentKey);
  const TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
  const TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  const ABYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES;
  const out = new Uint8Array(PREFIX_BYTES + header.length + frames.reduce((sum, frame) => sum + 4 + ABYTES + frame.length, 0));
  const view = new DataView(out.buffer);
  out.set(ad, 0);
  out.set(header, PREFIX_BYTES);
  let offset = PREFIX_BYTES + header.length;
  frames.forEach((message, i) => {
    const ciphertext = sodium.crypto_secretstream_xchacha20poly1305_push(state, message, ad, i === frames.length - 1 ? TAG_FINAL : TAG_MESSAGE);
    view.setUint32(offset, ciphertext.length);
    out.set(ciphertext, offset + 4);
    offset += 4 + ciphertext.length;
  });
  if (offset !== out.length) {
    throw new Error(`snapshot size mismatch: wrote ${offset} of ${out.length} bytes`);
  }
  return out;
}

/** A full snapshot: metadata, then the whole database in 1 MiB frames (an empty database still has one). */
export function encryptSnapshot(sodium: Sodium, contentKey: Uint8Array, meta: SnapshotMeta, db: Uint8Array): Uint8Array {
  const chunkCount = Math.max(1, Math.ceil(db.length / CHUNK_BYTES));
  const frames = [sodium.from_string(JSON.stringify(meta))];
  for (let i = 0; i < chunkCount; i += 1) {
    frames.push(db.subarray(i * CHUNK_BYTES, Math.min(db.length, (i + 1) * CHUNK_BYTES)));
  }
  return sealFrames(sodium, contentKey, prefix(meta.generation, meta.keyEpoch, 'full'), frames);
}

/**
 * A delta: metadata, the changed blocks' indexes (u32 BE, ascending), then
 * those blocks of `image` in 1 MiB frames. meta.blocks must equal the
 * number of indexes and meta.dbBytes the image's length (a delta of no
 * block needs no image: null).
 */
export function encryptDeltaSnapshot(sodium: Sodium, contentKey: Uint8Array, meta: DeltaMeta, image: Uint8Array | null, indexes: Uint32Array): Uint8Array {
  const { blockBytes } = meta;
  if (meta.blocks !== indexes.length || meta.dbBytes % blockBytes !== 0 || (image ? image.length !== meta.dbBytes : indexes.length > 0)) {
    throw new Error('delta metadata does not match its blocks');
  }
  const indexBytes = new Uint8Array(indexes.length * 4);
  const indexView = new DataView(indexBytes.buffer);
  indexes.forEach((index, i) => {
    indexView.setUint32(i * 4, index);
  });
  const frames = [sodium.from_string(JSON.stringify(meta)), indexBytes];
  const perFrame = Math.max(1, Math.floor(CHUNK_BYTES / blockBytes));
  const gathered: Uint8Array[] = [];
  for (let first = 0; first < indexes.length; first += perFrame) {
    const count = Math.min(perFrame, indexes.length - first);
    const chunk = new Uint8Array(count * blockBytes);
    for (let i = 0; i < count; i += 1) {
      const index = indexes[first + i] as number;
      chunk.set((image as Uint8Array).subarray(index * blockBytes, (index + 1) * blockBytes), i * blockBytes);
    }
    gathered.push(chunk);
  }
  try {
    return sealFrames(sodium, contentKey, prefix(meta.generation, meta.keyEpoch, 'delta'), [...frames, ...gathered]);
  } finally {
    for (const chunk of gathered) {
      chunk.fill(0);
    }
  }
}

function tampered(file: string, what: string): LifeboatError {
  return new LifeboatError('VAULT_TAMPERED', `The database snapshot ${file} is damaged or altered (${what}).`);
}

/** A decrypted snapshot file: a full one's database, or a delta's blocks (storage/snapshot-chain.ts applies them). */
export type DecryptedSnapshot = { kind: 'full'; meta: SnapshotMeta; db: Uint8Array } | { kind: 'delta'; meta: DeltaMeta; delta: DeltaBlocks };

export interface SnapshotPrefix {
  generation: number;
  keyEpoch: number;
  kind: SnapshotKind;
}

export function readSnapshotPrefix(bytes: Uint8Array): SnapshotPrefix | null {
  if (bytes.length < PREFIX_BYTES || !MAGIC.every((b, i) => bytes[i] === b) || (bytes[7] !== KIND_FULL && bytes[7] !== KIND_DELTA)) {
    return null;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, PREFIX_BYTES);
  return { generation: Number(view.getBigUint64(8)), keyEpoch: view.getUint32(16), kind: bytes[7] === KIND_FULL ? 'full' : 'delta' };
}

/** Where a snapshot's bytes come from: a buffer, or a file read frame by frame. */
interface ByteSource {
  /** Up to `length` bytes from the current position (fewer only at the end). */
  read(length: number): Uint8Array;
  remaining(): number;
}

function bufferSource(bytes: Uint8Array): ByteSource {
  let position = 0;
  return {
    read(length) {
      const out = bytes.subarray(position, Math.min(bytes.length, position + length));
      position += out.length;
      return out;
    },
    remaining: () => bytes.length - position,
  };
}

export function decryptSnapshot(sodium: Sodium, contentKey: Uint8Array, bytes: Uint8Array, file: string): DecryptedSnapshot {
  return decryptFrom(sodium, contentKey, bufferSource(bytes), file);
}

/**
 * Decrypts a snapshot file reading one frame at a time, so unlocking never
 * holds the whole encrypted file and the whole plaintext at once (at 20,000
 * records that is the difference between fitting in 400 MB and not).
 */
export function decryptSnapshotFile(
  sodium: Sodium,
  contentKey: Uint8Array,
  vaultDir: string,
  file: string,
  options: { capacity?: number } = {},
): DecryptedSnapshot {
  return withSnapshotSource(vaultDir, file, (source) => decryptFrom(sodium, contentKey, source, file, options));
}

/**
 * Authenticates a snapshot's metadata (its first frame) without decrypting
 * the database: proof that a key holder wrote this generation of this epoch,
 * which is what pruning needs before it may delete a file.
 */
export function readSnapshotMetaFile(sodium: Sodium, contentKey: Uint8Array, vaultDir: string, file: string): SnapshotMeta | DeltaMeta {
  return withSnapshotSource(vaultDir, file, (source) => decryptFrom(sodium, contentKey, source, file, { metaOnly: true }).meta);
}

function withSnapshotSource<T>(vaultDir: string, file: string, use: (source: ByteSource) => T): T {
  let fd: number;
  try {
    fd = openVaultFileSync(join(vaultDir, file));
  } catch (error) {
    if (error instanceof LifeboatError) {
      throw error;
    }
    throw new LifeboatError('VAULT_IO', `Could not read the database snapshot ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const size = fstatSync(fd).size;
    let position = 0;
    let scratch = new Uint8Array(0);
    return use({
      read(length) {
        const want = Math.min(length, size - position);
        if (scratch.length < want) {
          scratch = new Uint8Array(want);
        }
        const got = readSync(fd, scratch, 0, want, position);
        position += got;
        return scratch.subarray(0, got);
      },
      remaining: () => size - position,
    });
  } finally {
    closeSync(fd);
  }
}

/** The prefix of a snapshot file (generation and key epoch), reading only its first bytes. */
export async function readSnapshotFilePrefix(vaultDir: string, file: string): Promise<SnapshotPrefix | null> {
  const handle = await openVaultFile(join(vaultDir, file));
  try {
    const bytes = new Uint8Array(PREFIX_BYTES);
    const { bytesRead } = await handle.read(bytes, 0, PREFIX_BYTES, 0);
    return readSnapshotPrefix(bytes.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * `capacity`: a full snapshot's database goes at the start of a buffer of at
 * least that many bytes (deltas applied on it then grow it in place).
 */
function decryptFrom(
  sodium: Sodium,
  contentKey: Uint8Array,
  source: ByteSource,
  file: string,
  options: { metaOnly?: boolean; capacity?: number } = {},
): DecryptedSnapshot {
  const headerBytes = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES;
  const ad = source.read(PREFIX_BYTES).slice();
  const head = readSnapshotPrefix(ad);
  const streamHeader = source.read(headerBytes).slice();
  if (!head || streamHeader.length < headerBytes) {
    throw tampered(file, 'not a Lifeboat snapshot');
  }
  let state: ReturnType<Sodium['crypto_secretstream_xchacha20poly1305_init_pull']>;
  try {
    state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(streamHeader, contentKey);
  } catch {
    throw tampered(file, 'bad stream header');
  }
  const next = (): { message: Uint8Array; final: boolean } => {
    const lengthBytes = source.read(4);
    if (lengthBytes.length < 4) {
      throw tampered(file, 'truncated');
    }
    const length = new DataView(lengthBytes.buffer, lengthBytes.byteOffset, 4).getUint32(0);
    if (length > source.remaining()) {
      throw tampered(file, 'truncated');
    }
    const ciphertext = source.read(length);
    let pulled: { message: Uint8Array; tag: number } | false;
    try {
      pulled = sodium.crypto_secretstream_xchacha20poly1305_pull(state, ciphertext, ad);
    } catch {
      pulled = false;
    }
    if (!pulled) {
      throw tampered(file, 'authentication failed');
    }
    return { message: pulled.message, final: pulled.tag === sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL };
  };
  const first = next();
  let meta: SnapshotMeta;
  try {
    meta = JSON.parse(sodium.to_string(first.message)) as SnapshotMeta;
  } catch {
    throw tampered(file, 'unreadable metadata');
  }
  if (meta.generation !== head.generation || meta.keyEpoch !== head.keyEpoch || !Number.isSafeInteger(meta.dbBytes) || meta.dbBytes < 0) {
    throw tampered(file, 'metadata does not match the file');
  }
  if (meta.snapshotId !== undefined && !SNAPSHOT_ID.test(meta.snapshotId)) {
    throw tampered(file, 'metadata does not match the file');
  }
  if (head.kind === 'delta') {
    return readDelta(file, checkDeltaMeta(file, meta), first.final, next, source, options);
  }
  if ('base' in meta) {
    throw tampered(file, 'metadata does not match the file');
  }
  // Plaintext is never longer than what is left of the ciphertext: no allocation of a size it cannot have.
  if (meta.dbBytes > source.remaining()) {
    throw tampered(file, 'truncated');
  }
  if (options.metaOnly) {
    return { kind: 'full', meta, db: new Uint8Array(0) };
  }
  const buffer = new Uint8Array(Math.max(meta.dbBytes, options.capacity ?? 0));
  const db = buffer.subarray(0, meta.dbBytes);
  const written = readInto(file, db, first.final, next);
  if (written !== db.length || source.remaining() !== 0) {
    db.fill(0);
    throw tampered(file, written !== db.length ? 'shorter than declared' : 'trailing bytes');
  }
  return { kind: 'full', meta, db };
}

const SNAPSHOT_ID = /^[0-9a-f]{32}$/;

/** A new snapshot's name for the deltas that will build on it. */
export function newSnapshotId(sodium: Sodium): string {
  return sodium.to_hex(sodium.randombytes_buf(16));
}

type NextFrame = () => { message: Uint8Array; final: boolean };

/** Reads frames into `into` until TAG_FINAL; returns the bytes written (never more than it holds). */
function readInto(file: string, into: Uint8Array, finalAlready: boolean, next: NextFrame): number {
  let written = 0;
  let final = finalAlready;
  while (!final) {
    const part = next();
    if (written + part.message.length > into.length) {
      part.message.fill(0);
      into.fill(0);
      throw tampered(file, 'longer than declared');
    }
    into.set(part.message, written);
    written += part.message.length;
    part.message.fill(0);
    final = part.final;
  }
  return written;
}

function checkDeltaMeta(file: string, meta: SnapshotMeta): DeltaMeta {
  const delta = meta as Partial<DeltaMeta> & SnapshotMeta;
  // Parsed JSON: base may be anything, null included.
  const base = delta.base as { generation?: unknown; snapshotId?: unknown } | null | undefined;
  const blockBytes = delta.blockBytes;
  const blocks = delta.blocks;
  const sound =
    typeof delta.snapshotId === 'string' &&
    typeof base === 'object' &&
    base !== null &&
    typeof base.generation === 'number' &&
    Number.isSafeInteger(base.generation) &&
    base.generation >= 0 &&
    base.generation < meta.generation &&
    typeof base.snapshotId === 'string' &&
    SNAPSHOT_ID.test(base.snapshotId) &&
    typeof blockBytes === 'number' &&
    Number.isInteger(blockBytes) &&
    blockBytes >= 512 &&
    blockBytes <= 65536 &&
    (blockBytes & (blockBytes - 1)) === 0 &&
    meta.dbBytes % blockBytes === 0 &&
    typeof blocks === 'number' &&
    Number.isSafeInteger(blocks) &&
    blocks >= 0 &&
    blocks <= meta.dbBytes / blockBytes;
  if (!sound) {
    throw tampered(file, 'metadata does not match the file');
  }
  return delta as DeltaMeta;
}

function readDelta(
  file: string,
  meta: DeltaMeta,
  finalAlready: boolean,
  next: NextFrame,
  source: ByteSource,
  options: { metaOnly?: boolean },
): DecryptedSnapshot {
  const dataBytes = meta.blocks * meta.blockBytes;
  if (dataBytes + meta.blocks * 4 > source.remaining()) {
    throw tampered(file, 'truncated');
  }
  if (options.metaOnly) {
    return { kind: 'delta', meta, delta: { indexes: new Uint32Array(0), data: new Uint8Array(0) } };
  }
  if (finalAlready) {
    throw tampered(file, 'shorter than declared');
  }
  const indexFrame = next();
  if (indexFrame.message.length !== meta.blocks * 4 || indexFrame.final !== (meta.blocks === 0)) {
    throw tampered(file, 'block list does not match the metadata');
  }
  const indexes = new Uint32Array(meta.blocks);
  const view = new DataView(indexFrame.message.buffer, indexFrame.message.byteOffset, indexFrame.message.length);
  const blockCount = meta.dbBytes / meta.blockBytes;
  for (let i = 0; i < meta.blocks; i += 1) {
    const index = view.getUint32(i * 4);
    if (index >= blockCount || (i > 0 && index <= (indexes[i - 1] as number))) {
      throw tampered(file, 'block list out of order or out of range');
    }
    indexes[i] = index;
  }
  const data = new Uint8Array(dataBytes);
  const written = readInto(file, data, indexFrame.final, next);
  if (written !== data.length || source.remaining() !== 0) {
    data.fill(0);
    throw tampered(file, written !== data.length ? 'shorter than declared' : 'trailing bytes');
  }
  return { kind: 'delta', meta, delta: { indexes, data } };
}

export interface GenerationFile {
  generation: number;
  file: string;
}

/** A snapshot whose authenticity this process established (read with the keys, or written by it). */
export interface KnownSnapshot extends GenerationFile {
  keyEpoch: number;
  /**
   * null: a full snapshot; a number: the generation this delta builds on;
   * absent: not known (then pruning keeps every older file, to be safe).
   */
  base?: number | null;
}

/** Names that claim to be a snapshot: the exact form, and anything else a person would take for one. */
const CLAIMS_SNAPSHOT = /^snapshot-.*\.lbs$/i;

/**
 * Snapshot files present, newest first, by name only: nothing here is
 * authenticated. A name that looks like a snapshot's but is not the exact
 * form is returned with generation NaN, for the caller to refuse.
 */
export async function listGenerations(vaultDir: string): Promise<GenerationFile[]> {
  const names = await readdir(vaultDir);
  return names
    .filter((file) => CLAIMS_SNAPSHOT.test(file))
    .map((file) => {
      const match = NAME_PATTERN.exec(file);
      return { generation: match ? Number(match[1]) : Number.NaN, file };
    })
    .sort((a, b) => (Number.isNaN(a.generation) ? -1 : Number.isNaN(b.generation) ? 1 : b.generation - a.generation));
}

/** The file's bytes as read (a Buffer is a Uint8Array: no second copy of a large file). */
export async function readSnapshotBytes(vaultDir: string, file: string): Promise<Uint8Array> {
  return readVaultFile(join(vaultDir, file));
}

/**
 * Writes a new generation durably, then prunes: of the snapshots whose
 * authenticity is established (`known`), every file that neither is one of
 * the newest GENERATIONS_KEPT generations, counting the one just written
 * (never pruned), nor is a file one of them builds on (filesToKeep).
 * A file this process did not authenticate is never deleted on the say-so
 * of its name or prefix (docs/vault-format.md, "Snapshots"). Returns the
 * known snapshots that remain.
 */
export async function writeSnapshot(vaultDir: string, written: KnownSnapshot, bytes: Uint8Array, known: readonly KnownSnapshot[]): Promise<KnownSnapshot[]> {
  await writeFileAtomic(join(vaultDir, written.file), bytes);
  const all = [written, ...known.filter((entry) => entry.file !== written.file)];
  const keep = filesToKeep(all, GENERATIONS_KEPT);
  for (const old of all) {
    if (!keep.has(old.file)) {
      await rm(join(vaultDir, old.file), { force: true });
    }
  }
  return all.filter((entry) => keep.has(entry.file)).sort((a, b) => b.generation - a.generation);
}

/**
 * The files pruning keeps: the newest `keep` generations and every file
 * they build on. A file whose base is unknown keeps everything older than
 * it (a file is never deleted while something might need it).
 */
export function filesToKeep(known: readonly KnownSnapshot[], keep: number): Set<string> {
  const newestFirst = [...known].sort((a, b) => b.generation - a.generation);
  const byGeneration = new Map(newestFirst.map((k) => [`${k.keyEpoch}:${k.generation}`, k]));
  const kept = new Set<string>();
  for (const start of newestFirst.slice(0, keep)) {
    let entry: KnownSnapshot | undefined = start;
    while (entry && !kept.has(entry.file)) {
      kept.add(entry.file);
      if (entry.base === undefined) {
        const from = entry.generation;
        newestFirst.filter((k) => k.generation < from).forEach((k) => kept.add(k.file));
        break;
      }
      entry = entry.base === null ? undefined : byGeneration.get(`${entry.keyEpoch}:${entry.base}`);
    }
  }
  return kept;
}

/** Deletes the known snapshots of key epochs older than `epoch` (after a rekey has committed); returns the rest. */
export async function pruneSnapshotsBefore(vaultDir: string, epoch: number, known: readonly KnownSnapshot[]): Promise<KnownSnapshot[]> {
  const kept: KnownSnapshot[] = [];
  for (const entry of known) {
    if (entry.keyEpoch < epoch) {
      await rm(join(vaultDir, entry.file), { force: true });
    } else {
      kept.push(entry);
    }
  }
  return kept;
}
