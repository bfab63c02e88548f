import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LifeboatError, type ErrorCode } from '../../shared/errors.js';
import { loadSodium } from '../vault/keys/crypto-runtime.js';
import {
  encodeBase64,
  formatPublicKey,
  generatePublisherKey,
  parsePublicKey,
  publisherKeyFileText,
  publisherKeyId,
  readPublisherKey,
  writePublisherKey,
} from './publisher-key.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifeboat-pubkey-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function expectRefused(run: () => unknown, code: ErrorCode, ...parts: string[]): Promise<void> {
  let caught: unknown;
  try {
    await run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(LifeboatError);
  const error = caught as LifeboatError;
  expect(error.code).toBe(code);
  for (const part of parts) {
    expect(error.message).toContain(part);
  }
}

describe('publisher keys', () => {
  it('generates an Ed25519 key pair whose id is the first 8 bytes of SHA-256(public key), in hex', async () => {
    const sodium = await loadSodium();
    const key = await generatePublisherKey('Ops');
    expect(key.publicKey.length).toBe(32);
    expect(key.secretKey.length).toBe(64);
    expect(key.name).toBe('Ops');
    expect(key.keyId).toBe(Buffer.from(sodium.crypto_hash_sha256(key.publicKey).subarray(0, 8)).toString('hex'));
    expect(await publisherKeyId(key.publicKey)).toBe(key.keyId);
    const signature = sodium.crypto_sign_detached(new Uint8Array([1, 2, 3]), key.secretKey);
    expect(sodium.crypto_sign_verify_detached(signature, new Uint8Array([1, 2, 3]), key.publicKey)).toBe(true);
  });

  it('formats and parses the lbpub1: text form', async () => {
    const key = await generatePublisherKey();
    const text = formatPublicKey(key.publicKey);
    expect(text).toMatch(/^lbpub1:[A-Za-z0-9+/]{43}=$/);
    expect(parsePublicKey(`  ${text}\n`)).toEqual(key.publicKey);
  });

  it.each([
    ['no prefix', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', 'starts with "lbpub1:"'],
    ['another prefix', 'lbpub2:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', 'starts with "lbpub1:"'],
    ['bad base64', 'lbpub1:not base64!', 'not valid base64'],
    ['non-canonical base64', 'lbpub1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=', 'not valid base64'],
    ['a short key', `lbpub1:${encodeBase64(new Uint8Array(16))}`, 'is 16 bytes'],
  ])('refuses a public key with %s', async (_case, text, why) => {
    await expectRefused(() => parsePublicKey(text), 'VAULT_BAD_INPUT', why);
  });

  it('writes the key file 0600 and reads it back', async () => {
    const key = await generatePublisherKey('Ops');
    const path = join(dir, 'ops.key');
    await writePublisherKey(path, key);
    if (process.platform !== 'win32') {
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    }
    const json = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    expect(json).toEqual({
      format: 'lifeboat-publisher-key',
      version: 1,
      name: 'Ops',
      publicKey: encodeBase64(key.publicKey),
      secretKey: encodeBase64(key.secretKey),
    });
    expect(await readPublisherKey(path)).toEqual(key);
  });

  it('never overwrites an existing key file', async () => {
    const path = join(dir, 'keep.key');
    const first = await generatePublisherKey();
    await writePublisherKey(path, first);
    await expectRefused(() => writePublisherKey(path, { ...first, publicKey: new Uint8Array(32) }), 'VAULT_BAD_INPUT', path, 'already exists');
    expect((await readPublisherKey(path)).publicKey).toEqual(first.publicKey);
  });

  it('refuses a key file whose secret key belongs to another public key', async () => {
    const a = await generatePublisherKey();
    const b = await generatePublisherKey();
    const path = join(dir, 'mixed.key');
    await writeFile(path, publisherKeyFileText({ ...a, secretKey: Uint8Array.from([...b.secretKey.subarray(0, 32), ...a.publicKey]) }));
    await expectRefused(() => readPublisherKey(path), 'VAULT_BAD_INPUT', path, 'does not belong');
  });

  it('refuses a key file with an unknown field, naming it', async () => {
    const key = await generatePublisherKey();
    const path = join(dir, 'extra.key');
    await writeFile(path, JSON.stringify({ ...JSON.parse(publisherKeyFileText(key)), seed: 'x' }));
    await expectRefused(() => readPublisherKey(path), 'VAULT_BAD_INPUT', path, 'unknown field seed');
  });

  it('refuses a file that is not a key file', async () => {
    const path = join(dir, 'notes.txt');
    await writeFile(path, 'hello');
    await expectRefused(() => readPublisherKey(path), 'VAULT_BAD_INPUT', path, 'not a publisher key file');
  });

  it('reports a missing key file as not found', async () => {
    await expectRefused(() => readPublisherKey(join(dir, 'missing.key')), 'VAULT_NOT_FOUND', 'missing.key');
  });
});
