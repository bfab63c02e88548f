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
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LifeboatError } from '../../shared/errors.js';
import { writeFileAtomic } from './atomic-file.js';
import type { Sodium } from './crypto-runtime.js';

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
  dbBytes: number;
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

function frame(ciphertext: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + ciphertext.length);
  new DataView(out.buffer).setUint32(0, ciphertext.length);
  out.set(ciphertext, 4);
  return out;
}

export function encryptSnapshot(sodium: Sodium, contentKey: Uint8Array, meta: SnapshotMeta, db: Uint8Array): Uint8Array {
  const ad = prefix(meta.generation, meta.keyEpoch);
  const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(contentKey);
  const TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
  const TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  const parts: Uint8Array[] = [ad, header];
  const chunkCount = Math.max(1, Math.ceil(db.length / CHUNK_BYTES));
  parts.push(frame(sodium.crypto_secretstream_xchacha20poly1305_push(state, JSON.stringify(meta), ad, TAG_MESSAGE)));
  for (let i = 0; i < chunkCount; i += 1) {
    const chunk = db.subarray(i * CHUNK_BYTES, Math.min(db.length, (i + 1) * CHUNK_BYTES));
    const tag = i === chunkCount - 1 ? TAG_FINAL : TAG_MESSAGE;
    parts.push(frame(sodium.crypto_secretstream_xchacha20poly1305_push(state, chunk, ad, tag)));
  }
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
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

export function decryptSnapshot(sodium: Sodium, contentKey: Uint8Array, bytes: Uint8Array, file: string): DecryptedSnapshot {
  const headerBytes = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES;
  const head = readSnapshotPrefix(bytes);
  if (!head || bytes.length < PREFIX_BYTES + headerBytes) {
    throw tampered(file, 'not a Lifeboat snapshot');
  }
  const ad = bytes.subarray(0, PREFIX_BYTES);
  let state: ReturnType<Sodium['crypto_secretstream_xchacha20poly1305_init_pull']>;
  try {
    state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerBytes), contentKey);
  } catch {
    throw tampered(file, 'bad stream header');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = PREFIX_BYTES + headerBytes;
  const next = (): { message: Uint8Array; final: boolean } => {
    if (offset + 4 > bytes.length) {
      throw tampered(file, 'truncated');
    }
    const length = view.getUint32(offset);
    if (offset + 4 + length > bytes.length) {
      throw tampered(file, 'truncated');
    }
    const ciphertext = bytes.subarray(offset + 4, offset + 4 + length);
    offset += 4 + length;
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
    sodium.memzero(part.message);
    final = part.final;
  }
  if (written !== db.length || offset !== bytes.length) {
    throw tampered(file, written !== db.length ? 'shorter than declared' : 'trailing bytes');
  }
  return { meta, db };
}

export interface GenerationFile {
  generation: number;
  file: string;
}

/** Snapshot files present, newest first. */
export async function listGenerations(vaultDir: string): Promise<GenerationFile[]> {
  const names = await readdir(vaultDir);
  return names
    .map((file) => ({ file, match: NAME_PATTERN.exec(file) }))
    .filter((entry): entry is { file: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ file, match }) => ({ generation: Number(match[1]), file }))
    .sort((a, b) => b.generation - a.generation);
}

export async function readSnapshotBytes(vaultDir: string, file: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(join(vaultDir, file)));
}

/** Writes a new generation durably, then prunes all but the newest GENERATIONS_KEPT. */
export async function writeSnapshot(vaultDir: string, generation: number, bytes: Uint8Array): Promise<void> {
  await writeFileAtomic(join(vaultDir, snapshotFileName(generation)), bytes);
  const all = await listGenerations(vaultDir);
  for (const old of all.slice(GENERATIONS_KEPT)) {
    await rm(join(vaultDir, old.file), { force: true });
  }
}

/** Deletes every snapshot of a key epoch older than `epoch` (after a rekey has committed). */
export async function pruneSnapshotsBefore(vaultDir: string, epoch: number): Promise<void> {
  for (const entry of await listGenerations(vaultDir)) {
    const prefix = readSnapshotPrefix(await readSnapshotBytes(vaultDir, entry.file));
    if (prefix && prefix.keyEpoch < epoch) {
      await rm(join(vaultDir, entry.file), { force: true });
    }
  }
}
