/**
 * A catalog publisher's Ed25519 key.
 *
 * - Key file (`lifeboat catalog keygen --out publisher.key`), JSON, 0600:
 *   `{format:'lifeboat-publisher-key', version:1, name?, publicKey, secretKey}`
 *   with both keys in standard base64 (libsodium's 32-byte public key and
 *   64-byte secret key, which is seed ‖ public key).
 * - Public key text, what a vault owner pastes to trust a publisher:
 *   `lbpub1:` + base64 of the 32-byte public key.
 * - Key id: hex of the first 8 bytes of SHA-256(public key). It names a key;
 *   it proves nothing — only a signature check with the key itself does.
 */
import { lstat, readFile } from 'node:fs/promises';
import { z } from 'zod';
import { LifeboatError } from '../../shared/errors.js';
import { errnoCode, vaultIoError, writeFileAtomic } from '../vault/storage/atomic-file.js';
import { loadSodium, type Sodium } from '../vault/keys/crypto-runtime.js';

export const PUBLISHER_KEY_FORMAT = 'lifeboat-publisher-key';
export const PUBLISHER_KEY_VERSION = 1;
export const PUBLIC_KEY_PREFIX = 'lbpub1:';
export const PUBLIC_KEY_BYTES = 32;
export const SECRET_KEY_BYTES = 64;
const KEY_ID_BYTES = 8;
/** A key file is a few hundred bytes; anything much larger is not one. */
const MAX_KEY_FILE_BYTES = 64 * 1024;

export interface PublisherKey {
  name?: string;
  publicKey: Uint8Array;
  secretKey: Uint8Array;
  /** 16 lowercase hex digits. */
  keyId: string;
}

const base64Text = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected standard base64');

export const PublisherKeyFileSchema = z
  .object({
    format: z.literal(PUBLISHER_KEY_FORMAT),
    version: z.literal(PUBLISHER_KEY_VERSION),
    name: z.string().min(1).max(200).optional(),
    publicKey: base64Text,
    secretKey: base64Text,
  })
  .strict();
export type PublisherKeyFile = z.output<typeof PublisherKeyFileSchema>;

/** Standard padded base64 (RFC 4648 §4). An encoding, not crypto. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Decodes canonical standard base64 only; anything else is undefined. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
    return undefined;
  }
  const bytes = Uint8Array.from(Buffer.from(text, 'base64'));
  return encodeBase64(bytes) === text ? bytes : undefined;
}

/** The key id of a public key, with libsodium already loaded. */
export function keyIdWith(sodium: Sodium, publicKey: Uint8Array): string {
  return sodium.to_hex(sodium.crypto_hash_sha256(publicKey).subarray(0, KEY_ID_BYTES));
}

export async function publisherKeyId(publicKey: Uint8Array): Promise<string> {
  return keyIdWith(await loadSodium(), publicKey);
}

/** `lbpub1:<base64>`. */
export function formatPublicKey(publicKey: Uint8Array): string {
  if (publicKey.length !== PUBLIC_KEY_BYTES) {
    throw new LifeboatError('VAULT_BAD_INPUT', `A publisher public key is ${PUBLIC_KEY_BYTES} bytes, not ${publicKey.length}.`);
  }
  return `${PUBLIC_KEY_PREFIX}${encodeBase64(publicKey)}`;
}

/** Reads `lbpub1:<base64>` (surrounding whitespace ignored) into the 32-byte key. */
export function parsePublicKey(text: string): Uint8Array {
  const trimmed = text.trim();
  if (!trimmed.startsWith(PUBLIC_KEY_PREFIX)) {
    throw new LifeboatError('VAULT_BAD_INPUT', `A publisher public key starts with "${PUBLIC_KEY_PREFIX}" (as "lifeboat catalog keygen" prints it).`);
  }
  const bytes = decodeBase64(trimmed.slice(PUBLIC_KEY_PREFIX.length));
  if (bytes === undefined) {
    throw new LifeboatError('VAULT_BAD_INPUT', `The publisher public key after "${PUBLIC_KEY_PREFIX}" is not valid base64.`);
  }
  if (bytes.length !== PUBLIC_KEY_BYTES) {
    throw new LifeboatError('VAULT_BAD_INPUT', `The publisher public key is ${bytes.length} bytes; an Ed25519 public key is ${PUBLIC_KEY_BYTES}.`);
  }
  return bytes;
}

/** A new Ed25519 key pair from libsodium's generator. */
export async function generatePublisherKey(name?: string): Promise<PublisherKey> {
  const sodium = await loadSodium();
  const { publicKey, privateKey } = sodium.crypto_sign_keypair();
  const key: PublisherKey = { publicKey, secretKey: privateKey, keyId: keyIdWith(sodium, publicKey) };
  if (name !== undefined) {
    key.name = name;
  }
  return key;
}

/** The key file's JSON text. */
export function publisherKeyFileText(key: PublisherKey): string {
  const file: PublisherKeyFile = {
    format: PUBLISHER_KEY_FORMAT,
    version: PUBLISHER_KEY_VERSION,
    ...(key.name === undefined ? {} : { name: key.name }),
    publicKey: encodeBase64(key.publicKey),
    secretKey: encodeBase64(key.secretKey),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * Writes the key file (0600, atomically). An existing file at `path` is
 * refused: overwriting a publisher key would orphan every vault trusting it.
 * (The existence check and the write are two steps; another process creating
 * the file in between would be overwritten.)
 */
export async function writePublisherKey(path: string, key: PublisherKey): Promise<void> {
  try {
    await lstat(path);
    throw new LifeboatError('VAULT_BAD_INPUT', `${path}: a file already exists there; Lifeboat never overwrites a key file.`);
  } catch (error) {
    if (error instanceof LifeboatError) {
      throw error;
    }
    if (errnoCode(error) !== 'ENOENT') {
      throw vaultIoError('Could not check', path, error);
    }
  }
  await writeFileAtomic(path, publisherKeyFileText(key), { mode: 0o600 });
}

/** Reads and checks a key file: shape, key lengths, and that the secret key belongs to the public key. */
export async function readPublisherKey(path: string): Promise<PublisherKey> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') {
      throw new LifeboatError('VAULT_NOT_FOUND', `${path}: there is no publisher key file there.`, { cause: error });
    }
    throw vaultIoError('Could not read', path, error);
  }
  const refuse = (why: string): LifeboatError => new LifeboatError('VAULT_BAD_INPUT', `${path}: ${why}`);
  if (bytes.length > MAX_KEY_FILE_BYTES) {
    throw refuse('this is too large to be a publisher key file.');
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw refuse('this is not a publisher key file (not UTF-8 JSON).');
  }
  const parsed = PublisherKeyFileSchema.safeParse(json);
  if (!parsed.success) {
    throw refuse(`not a valid publisher key file (${describeIssue(parsed.error.issues[0])}).`);
  }
  const publicKey = decodeBase64(parsed.data.publicKey);
  const secretKey = decodeBase64(parsed.data.secretKey);
  if (publicKey?.length !== PUBLIC_KEY_BYTES) {
    throw refuse(`publicKey is not ${PUBLIC_KEY_BYTES} bytes of canonical base64.`);
  }
  if (secretKey?.length !== SECRET_KEY_BYTES) {
    throw refuse(`secretKey is not ${SECRET_KEY_BYTES} bytes of canonical base64.`);
  }
  const sodium = await loadSodium();
  const derived = sodium.crypto_sign_seed_keypair(secretKey.subarray(0, 32)).publicKey;
  if (!sodium.memcmp(derived, publicKey) || !sodium.memcmp(secretKey.subarray(32), publicKey)) {
    throw refuse('secretKey does not belong to publicKey; the key file is damaged.');
  }
  const key: PublisherKey = { publicKey, secretKey, keyId: keyIdWith(sodium, publicKey) };
  if (parsed.data.name !== undefined) {
    key.name = parsed.data.name;
  }
  return key;
}

/** "field: why" for the first zod issue; unknown fields are named. */
export function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) {
    return 'invalid';
  }
  const field = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.join(', ');
    return field ? `${field}: unknown field ${keys}` : `unknown field ${keys}`;
  }
  return `${field || '(top level)'}: ${issue.message}`;
}
