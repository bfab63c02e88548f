/**
 * Encrypted database snapshots: snapshot-<generation>.lbs, the newest four
 * kept (the current one and three previous generations).
 *
 * Layout (docs/vault-format.md, "Snapshots"):
 *   "LBSNAP" 0x00 0x01 | generation u64 BE | key epoch u32 BE | secretstream header (24 bytes)
 *   then frames: length u32 BE | ciphertext
 * The stream is libsodium's crypto_secretstream_xchacha20poly1305 under the
 * content key; every frame's associated data is the 20-byte prefix, binding
 * generation and epoch. Frame 1 is the metadata JSON, the rest are the SQLite
 * bytes in 1 MiB chunks; the last carries TAG_FINAL, so truncation is detected.
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

const MAGIC = new Uint8Array([0x4c, 0x42, 0x53, 0x4e, 0x41, 0x50, 0x00, 0x01]); // "LBSNAP" 0 1
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
  dbBytes: number;
}

export interface SealedHeader {
  serial: number;
  /** Hex BLAKE2b-256 of the header's canonical JSON (keys/vault-header.ts headerHash). */
  hash: string;
}

export function snapshotFileName(generation: number): string {
  return `snapshot-${String(generation).padStart(12, '0')}.lbs`;
}

function prefix(generation: number, keyEpoch: number): Uint8Array {
  const bytes = new Uint8Array(PREFIX_BYTES);
  bytes.set(MAGIC, 0);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(8, BigInt(generation));
  view.setUint32(16, keyEpoch);
  return bytes;
}

/**
 * Encrypts into one buffer of the final size (frame sizes are known up
 * front), so a save holds the database once in clear and once encrypted,
 * never a third copy while frames are joined.
 */
export function encryptSnapshot(sodium: Sodium, contentKey: Uint8Array, meta: SnapshotMeta, db: Uint8Array): Uint8Array {
  const ad = prefix(meta.generation, meta.keyEpoch);
  const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(contentKey);
  const TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
  const TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  const ABYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES;
  const metaBytes = sodium.from_string(JSON.stringify(meta));
  const chunkCount = Math.max(1, Math.ceil(db.length / CHUNK_BYTES));
  const out = new Uint8Array(PREFIX_BYTES + header.length + (4 + ABYTES) * (chunkCount + 1) + metaBytes.length + db.length);
  const view = new DataView(out.buffer);
  out.set(ad, 0);
  out.set(header, PREFIX_BYTES);
  let offset = PREFIX_BYTES + header.length;
  const push = (message: Uint8Array, tag: number): void => {
    const ciphertext = sodium.crypto_secretstream_xchacha20poly1305_push(state, message, ad, tag);
    view.setUint32(offset, ciphertext.length);
    out.set(ciphertext, offset + 4);
    offset += 4 + ciphertext.length;
  };
  push(metaBytes, TAG_MESSAGE);
  for (let i = 0; i < chunkCount; i += 1) {
    push(db.subarray(i * CHUNK_BYTES, Math.min(db.length, (i + 1) * CHUNK_BYTES)), i === chunkCount - 1 ? TAG_FINAL : TAG_MESSAGE);
  }
  if (offset !== out.length) {
    throw new Error(`snapshot size mismatch: wrote ${offset} of ${out.length} bytes`);
  }
  return out;
}

function tampered(file: string, what: string): LifeboatError {
  return new LifeboatError('VAULT_TAMPERED', `The database snapshot ${file} is damaged or altered (${what}).`);
}

export interface DecryptedSnapshot {
  meta: SnapshotMeta;
  db: Uint8Array;
}

export function readSnapshotPrefix(bytes: Uint8Array): { generation: number; keyEpoch: number } | null {
  if (bytes.length < PREFIX_BYTES || !MAGIC.every((b, i) => bytes[i] === b)) {
    return null;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, PREFIX_BYTES);
  return { generation: Number(view.getBigUint64(8)), keyEpoch: view.getUint32(16) };
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
export function decryptSnapshotFile(sodium: Sodium, contentKey: Uint8Array, vaultDir: string, file: string): DecryptedSnapshot {
  return withSnapshotSource(vaultDir, file, (source) => decryptFrom(sodium, contentKey, source, file));
}

/**
 * Authenticates a snapshot's metadata (its first frame) without decrypting
 * the database: proof that a key holder wrote this generation of this epoch,
 * which is what pruning needs before it may delete a file.
 */
export function readSnapshotMetaFile(sodium: Sodium, contentKey: Uint8Array, vaultDir: string, file: string): SnapshotMeta {
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
export async function readSnapshotFilePrefix(vaultDir: string, file: string): Promise<{ generation: number; keyEpoch: number } | null> {
  const handle = await openVaultFile(join(vaultDir, file));
  try {
    const bytes = new Uint8Array(PREFIX_BYTES);
    const { bytesRead } = await handle.read(bytes, 0, PREFIX_BYTES, 0);
    return readSnapshotPrefix(bytes.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

function decryptFrom(sodium: Sodium, contentKey: Uint8Array, source: ByteSource, file: string, options: { metaOnly?: boolean } = {}): DecryptedSnapshot {
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
  // Plaintext is never longer than what is left of the ciphertext: no allocation of a size it cannot have.
  if (meta.dbBytes > source.remaining()) {
    throw tampered(file, 'truncated');
  }
  if (options.metaOnly) {
    return { meta, db: new Uint8Array(0) };
  }
  const db = new Uint8Array(meta.dbBytes);
  let written = 0;
  let final = first.final;
  while (!final) {
    const part = next();
    if (written + part.message.length > db.length) {
      throw tampered(file, 'longer than declared');
    }
    db.set(part.message, written);
    written += part.message.length;
    part.message.fill(0);
    final = part.final;
  }
  if (written !== db.length || source.remaining() !== 0) {
    throw tampered(file, written !== db.length ? 'shorter than declared' : 'trailing bytes');
  }
  return { meta, db };
}

export interface GenerationFile {
  generation: number;
  file: string;
}

/** A snapshot whose authenticity this process established (read with the keys, or written by it). */
export interface KnownSnapshot extends GenerationFile {
  keyEpoch: number;
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
 * authenticity is established (`known`), all but the newest
 * GENERATIONS_KEPT, counting the one just written, which is never pruned.
 * A file this process did not authenticate is never deleted on the say-so
 * of its name or prefix (docs/vault-format.md, "Snapshots"). Returns the
 * known snapshots that remain.
 */
export async function writeSnapshot(vaultDir: string, written: KnownSnapshot, bytes: Uint8Array, known: readonly KnownSnapshot[]): Promise<KnownSnapshot[]> {
  await writeFileAtomic(join(vaultDir, written.file), bytes);
  const others = known.filter((entry) => entry.file !== written.file).sort((a, b) => b.generation - a.generation);
  const kept = others.slice(0, GENERATIONS_KEPT - 1);
  for (const old of others.slice(GENERATIONS_KEPT - 1)) {
    await rm(join(vaultDir, old.file), { force: true });
  }
  return [written, ...kept];
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
