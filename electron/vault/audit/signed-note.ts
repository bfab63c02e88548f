/**
 * Checkpoints of the audit log as C2SP signed notes.
 *
 * c2sp.org/signed-note: a note is a text ending in a newline, a blank line,
 * then one or more signature lines `— <key name> <base64(key ID || sig)>`
 * (em dash U+2014, space). The signature covers the text including its final
 * newline, not the blank line. Notes are UTF-8 with no control characters
 * other than newline; the text is separated from the signatures by the LAST
 * blank line. Ed25519 key IDs are SHA-256(name || 0x0A || 0x01 || key)[:4].
 *
 * c2sp.org/tlog-checkpoint: the text is `<origin>\n<tree size>\n<base64 root>\n`,
 * optionally followed by non-empty extension lines; the size is decimal with
 * no leading zeroes.
 *
 * Parsing is strict (no tolerated whitespace, canonical base64 only) and every
 * refusal is a LifeboatError whose message says what is wrong. Signing and
 * verification use libsodium's Ed25519 only.
 */
import { LifeboatError, type ErrorCode } from '../../../shared/errors.js';
import type { Sodium } from '../keys/crypto-runtime.js';

/** The code every refusal here carries: the input (a note or checkpoint) is wrong. */
const BAD_INPUT: ErrorCode = 'VAULT_BAD_INPUT';

/** The signature type identifier byte of Ed25519 in c2sp.org/signed-note. */
export const ED25519_SIGNATURE_TYPE = 0x01;

/** Verifiers must accept at least 16; this is the cap Go's sumdb/note applies. */
export const MAX_NOTE_SIGNATURES = 100;

const EM_DASH_SPACE = '\u2014 ';
const KEY_ID_BYTES = 4;
const ED25519_PUBLIC_KEY_BYTES = 32;
const ED25519_SECRET_KEY_BYTES = 64;
const ED25519_SIGNATURE_BYTES = 64;
const ROOT_HASH_BYTES = 32;

export interface NoteSignature {
  keyName: string;
  /** The 4-byte key ID, big-endian as on the wire. */
  keyId: Uint8Array;
  /** The signature bytes that follow the key ID. */
  signature: Uint8Array;
}

export interface ParsedNote {
  /** The signed text, including its final newline. */
  body: string;
  signatures: NoteSignature[];
}

export interface CheckpointBody {
  origin: string;
  treeSize: number;
  rootHash: Uint8Array;
  /** Optional extension lines (c2sp.org/tlog-checkpoint); Lifeboat writes one (checkpoint.ts, `lifeboat-state`). */
  extensions: string[];
}

export interface VerifiedCheckpoint extends CheckpointBody {
  /** The exact text the verified signature covers. */
  body: string;
}

/** `${origin}\n${treeSize}\n${base64(rootHash)}\n` and any extension lines, after checking each part. */
export function formatCheckpointBody(origin: string, treeSize: number, rootHash: Uint8Array, extensions: readonly string[] = []): string {
  if (typeof origin !== 'string' || origin.length === 0) {
    throw refuse('checkpoint: origin is empty');
  }
  if (origin.includes('\n')) {
    throw refuse('checkpoint: origin contains a newline');
  }
  checkNoteCharacters(origin, 'origin');
  if (!Number.isSafeInteger(treeSize) || treeSize < 0) {
    throw refuse('checkpoint: tree size is not a non-negative whole number');
  }
  if (!(rootHash instanceof Uint8Array) || rootHash.length !== ROOT_HASH_BYTES) {
    throw refuse(`checkpoint: root hash is not ${ROOT_HASH_BYTES} bytes`);
  }
  for (const line of extensions) {
    if (line.length === 0 || line.includes('\n')) {
      throw refuse('checkpoint: an extension line is empty or contains a newline');
    }
    checkNoteCharacters(line, 'extension line');
  }
  return `${origin}\n${treeSize}\n${encodeBase64(rootHash)}\n${extensions.map((line) => `${line}\n`).join('')}`;
}

/** Reads a checkpoint text (the body of the note), refusing anything off-format. */
export function parseCheckpointBody(body: string): CheckpointBody {
  if (typeof body !== 'string' || body.length === 0) {
    throw refuse('checkpoint: body is empty');
  }
  checkNoteCharacters(body, 'body');
  if (!body.endsWith('\n')) {
    throw refuse('checkpoint: body does not end with a newline');
  }
  const lines = body.slice(0, -1).split('\n');
  const [origin, size, root, ...extensions] = lines;
  if (origin === undefined || origin.length === 0) {
    throw refuse('checkpoint: origin line is empty');
  }
  if (size === undefined) {
    throw refuse('checkpoint: missing tree size line');
  }
  if (root === undefined) {
    throw refuse('checkpoint: missing root hash line');
  }
  if (!/^[0-9]+$/.test(size)) {
    throw refuse('checkpoint: tree size is not a decimal number');
  }
  if (size.length > 1 && size.startsWith('0')) {
    throw refuse('checkpoint: tree size has a leading zero');
  }
  const treeSize = Number(size);
  if (!Number.isSafeInteger(treeSize)) {
    throw refuse('checkpoint: tree size is too large');
  }
  const rootHash = decodeBase64(root);
  if (rootHash === undefined) {
    throw refuse('checkpoint: root hash is not canonical base64');
  }
  if (rootHash.length !== ROOT_HASH_BYTES) {
    throw refuse(`checkpoint: root hash is ${rootHash.length} bytes, not ${ROOT_HASH_BYTES}`);
  }
  extensions.forEach((line, i) => {
    if (line.length === 0) {
      throw refuse(`checkpoint: line ${i + 4} of the body is empty`);
    }
  });
  return { origin, treeSize, rootHash, extensions };
}

/** SHA-256(keyName || 0x0A || 0x01 || publicKey)[:4], the recommended Ed25519 key ID. */
export function ed25519KeyId(sodium: Sodium, keyName: string, publicKey: Uint8Array): Uint8Array {
  checkKeyName(keyName);
  checkPublicKey(publicKey);
  const name = utf8(keyName);
  const input = new Uint8Array(name.length + 2 + ED25519_PUBLIC_KEY_BYTES);
  input.set(name, 0);
  input[name.length] = 0x0a;
  input[name.length + 1] = ED25519_SIGNATURE_TYPE;
  input.set(publicKey, name.length + 2);
  return sodium.crypto_hash_sha256(input).slice(0, KEY_ID_BYTES);
}

/**
 * The complete signed note: `body`, a blank line, and one Ed25519 signature
 * line by `keyName`. `secretKey` is libsodium's 64-byte form (seed || public
 * key) and must belong to `publicKey`. Deterministic: the same inputs give
 * the same bytes.
 */
export function signNote(sodium: Sodium, body: string, keyName: string, secretKey: Uint8Array, publicKey: Uint8Array): string {
  checkBody(body);
  checkKeyName(keyName);
  checkPublicKey(publicKey);
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== ED25519_SECRET_KEY_BYTES) {
    throw refuse(`checkpoint: signing key is not a ${ED25519_SECRET_KEY_BYTES}-byte Ed25519 secret key`);
  }
  if (!sodium.memcmp(secretKey.subarray(32), publicKey)) {
    throw refuse('checkpoint: signing key does not belong to the public key');
  }
  const keyId = ed25519KeyId(sodium, keyName, publicKey);
  const signature = sodium.crypto_sign_detached(utf8(body), secretKey);
  const blob = new Uint8Array(KEY_ID_BYTES + signature.length);
  blob.set(keyId, 0);
  blob.set(signature, KEY_ID_BYTES);
  return `${body}\n${EM_DASH_SPACE}${keyName} ${encodeBase64(blob)}\n`;
}

/**
 * Splits a signed note into its text and signature lines, checking the
 * syntax only. Nothing in the result is trustworthy until verified.
 */
export function parseNote(text: string | Uint8Array): ParsedNote {
  const note = typeof text === 'string' ? text : decodeUtf8(text);
  if (typeof note !== 'string' || note.length === 0) {
    throw refuse('checkpoint: note is empty');
  }
  checkNoteCharacters(note, 'note');
  if (!note.endsWith('\n')) {
    throw refuse('checkpoint: note does not end with a newline');
  }
  const split = note.lastIndexOf('\n\n');
  if (split < 0) {
    const hasSignatureLine = note.startsWith(EM_DASH_SPACE) || note.includes(`\n${EM_DASH_SPACE}`);
    throw refuse(hasSignatureLine ? 'checkpoint: missing blank line between the text and its signatures' : 'checkpoint: missing signature line');
  }
  const body = note.slice(0, split + 1);
  const signatureBlock = note.slice(split + 2);
  if (signatureBlock.length === 0) {
    throw refuse('checkpoint: missing signature line');
  }
  const lines = signatureBlock.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) {
    throw refuse(`checkpoint: more than ${MAX_NOTE_SIGNATURES} signature lines`);
  }
  const signatures = lines.map((line, i) => parseSignatureLine(line, i + 1));
  return { body, signatures };
}

/**
 * Verifies that `text` carries a valid signature by the Ed25519 key
 * (`keyName`, `publicKey`) and that its text is a well-formed checkpoint.
 * Signatures by other keys are ignored (as the spec requires); a signature
 * that claims to be by this key but does not verify rejects the whole note.
 */
export function verifyNote(sodium: Sodium, text: string | Uint8Array, keyName: string, publicKey: Uint8Array): VerifiedCheckpoint {
  const keyId = ed25519KeyId(sodium, keyName, publicKey);
  const note = parseNote(text);
  const ours = note.signatures.filter((s) => s.keyName === keyName && sodium.memcmp(s.keyId, keyId));
  if (ours.length === 0) {
    throw refuse(`checkpoint: no signature by the key ${keyName}+${sodium.to_hex(keyId)}`);
  }
  const message = utf8(note.body);
  for (const { signature } of ours) {
    if (signature.length !== ED25519_SIGNATURE_BYTES || !sodium.crypto_sign_verify_detached(signature, message, publicKey)) {
      throw refuse(`checkpoint: the signature by ${keyName} does not verify`);
    }
  }
  return { body: note.body, ...parseCheckpointBody(note.body) };
}

// --- internals --------------------------------------------------------------

function parseSignatureLine(line: string, n: number): NoteSignature {
  if (!line.startsWith(EM_DASH_SPACE)) {
    throw refuse(`checkpoint: signature line ${n} does not start with an em dash and a space`);
  }
  const parts = line.slice(EM_DASH_SPACE.length).split(' ');
  const [keyName, encoded] = parts;
  if (parts.length !== 2 || keyName === undefined || encoded === undefined) {
    throw refuse(`checkpoint: signature line ${n} is not "— <key name> <signature>" with single spaces`);
  }
  if (!isKeyName(keyName)) {
    throw refuse(`checkpoint: signature line ${n} has an invalid key name`);
  }
  const blob = decodeBase64(encoded);
  if (blob === undefined) {
    throw refuse(`checkpoint: signature line ${n} is not canonical base64`);
  }
  if (blob.length <= KEY_ID_BYTES) {
    throw refuse(`checkpoint: signature line ${n} is too short to hold a key ID and a signature`);
  }
  return { keyName, keyId: blob.slice(0, KEY_ID_BYTES), signature: blob.slice(KEY_ID_BYTES) };
}

/** Key names are non-empty, with no Unicode space and no plus sign. */
function isKeyName(name: unknown): name is string {
  return typeof name === 'string' && name.length > 0 && !/[\p{White_Space}+]/u.test(name) && isNoteText(name);
}

function checkKeyName(name: unknown): void {
  if (!isKeyName(name)) {
    throw refuse('checkpoint: key name must be non-empty, with no spaces, plus signs or control characters');
  }
}

function checkPublicKey(key: unknown): void {
  if (!(key instanceof Uint8Array) || key.length !== ED25519_PUBLIC_KEY_BYTES) {
    throw refuse(`checkpoint: public key is not a ${ED25519_PUBLIC_KEY_BYTES}-byte Ed25519 key`);
  }
}

function checkBody(body: unknown): void {
  if (typeof body !== 'string' || body.length === 0) {
    throw refuse('checkpoint: body is empty');
  }
  checkNoteCharacters(body, 'body');
  if (!body.endsWith('\n')) {
    throw refuse('checkpoint: body does not end with a newline');
  }
}

/** Valid UTF-8 (no lone surrogates) and no control character but newline. */
function checkNoteCharacters(text: string, what: string): void {
  if (/\p{Cs}/u.test(text)) {
    throw refuse(`checkpoint: ${what} is not valid UTF-8`);
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) {
      throw refuse(`checkpoint: ${what} contains the control character U+${c.toString(16).padStart(4, '0').toUpperCase()}`);
    }
  }
}

function isNoteText(text: string): boolean {
  try {
    checkNoteCharacters(text, 'text');
    return !text.includes('\n');
  } catch {
    return false;
  }
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function decodeUtf8(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) {
    throw refuse('checkpoint: note is neither text nor bytes');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (cause) {
    throw new LifeboatError(BAD_INPUT, 'checkpoint: note is not valid UTF-8', { cause });
  }
}

/** Standard base64 with padding (RFC 4648 §4). */
function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Decodes standard, padded, canonical base64; anything else is `undefined`. */
function decodeBase64(text: string): Uint8Array | undefined {
  // Buffer's decoder is lenient (it skips whitespace and foreign characters,
  // accepts the URL-safe alphabet, missing padding and non-zero padding
  // bits); only a string that is exactly the re-encoding of its bytes passes.
  const bytes = Uint8Array.from(Buffer.from(text, 'base64'));
  return encodeBase64(bytes) === text ? bytes : undefined;
}

function refuse(message: string): LifeboatError {
  return new LifeboatError(BAD_INPUT, message);
}
