import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSodium } from './crypto-runtime.js';
import { argon2id, argon2idAsync, deriveAhead, kdfRuns, kdfStarts, prewarmKdf, setKdfWorkerSodiumPathForTests, WORKER_MIN_MEMLIMIT } from './kdf-worker.js';
import { ARGON2ID_MOST } from './kdf-params.js';

afterEach(() => {
  setKdfWorkerSodiumPathForTests(null);
});

describe('Argon2id in a worker thread', () => {
  const salt = new Uint8Array(16).map((_, i) => i * 7);

  it('derives the same key as libsodium in the main thread, warm or cold', async () => {
    const sodium = await loadSodium();
    const expected = sodium.crypto_pwhash(32, 'correct horse', salt, 1, WORKER_MIN_MEMLIMIT, sodium.crypto_pwhash_ALG_ARGON2ID13);
    const before = kdfRuns();
    expect(argon2id(sodium, 'correct horse', salt, 1, WORKER_MIN_MEMLIMIT)).toEqual(expected);
    prewarmKdf();
    expect(argon2id(sodium, 'correct horse', salt, 1, WORKER_MIN_MEMLIMIT)).toEqual(expected);
    expect(argon2id(sodium, 'wrong horse', salt, 1, WORKER_MIN_MEMLIMIT)).not.toEqual(expected);
    expect(kdfRuns()).toEqual({ worker: before.worker + 3, mainThread: before.mainThread });
  });

  it('still derives the key, in the main thread, when a worker cannot load libsodium', async () => {
    const sodium = await loadSodium();
    const expected = sodium.crypto_pwhash(32, 'pw', salt, 1, WORKER_MIN_MEMLIMIT, sodium.crypto_pwhash_ALG_ARGON2ID13);
    setKdfWorkerSodiumPathForTests('/nonexistent/libsodium.js');
    prewarmKdf();
    const before = kdfRuns();
    expect(argon2id(sodium, 'pw', salt, 1, WORKER_MIN_MEMLIMIT)).toEqual(expected);
    expect(kdfRuns()).toEqual({ worker: before.worker, mainThread: before.mainThread + 1 });
  });

  it('derives the same key without blocking the main thread, which can work meanwhile', async () => {
    const sodium = await loadSodium();
    const expected = sodium.crypto_pwhash(32, 'correct horse', salt, 2, WORKER_MIN_MEMLIMIT, sodium.crypto_pwhash_ALG_ARGON2ID13);
    const before = kdfRuns();
    let ticks = 0;
    const timer = setInterval(() => {
      ticks += 1;
    }, 1);
    const key = await argon2idAsync(sodium, 'correct horse', salt, 2, WORKER_MIN_MEMLIMIT);
    clearInterval(timer);
    expect(key).toEqual(expected);
    expect(kdfRuns().worker).toBe(before.worker + 1);
    // The event loop kept turning while the worker derived the key.
    expect(ticks).toBeGreaterThan(0);
    setKdfWorkerSodiumPathForTests('/nonexistent/libsodium.js');
    expect(await argon2idAsync(sodium, 'correct horse', salt, 2, WORKER_MIN_MEMLIMIT)).toEqual(expected);
    expect(kdfRuns().mainThread).toBe(before.mainThread + 1);
  });

  it('falls back at once when the warm worker ended while it waited for a passphrase', async () => {
    const sodium = await loadSodium();
    const expected = sodium.crypto_pwhash(32, 'pw', salt, 1, WORKER_MIN_MEMLIMIT, sodium.crypto_pwhash_ALG_ARGON2ID13);
    // A "libsodium" that ends its thread as it loads: no FAILED status, only an exit.
    const dying = join(mkdtempSync(join(tmpdir(), 'lifeboat-kdf-')), 'dying.cjs');
    writeFileSync(dying, 'process.exit(3);\n');
    setKdfWorkerSodiumPathForTests(dying);
    prewarmKdf();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = kdfRuns();
    const started = Date.now();
    expect(await argon2idAsync(sodium, 'pw', salt, 1, WORKER_MIN_MEMLIMIT)).toEqual(expected);
    expect(kdfRuns().mainThread).toBe(before.mainThread + 1);
    // Before, it waited for the job's ten-minute time-out.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('replaces a warm worker that ended while idle, for a blocking derivation too', async () => {
    const sodium = await loadSodium();
    const expected = sodium.crypto_pwhash(32, 'pw', salt, 1, WORKER_MIN_MEMLIMIT, sodium.crypto_pwhash_ALG_ARGON2ID13);
    // Dies the first time it is loaded (the warm worker), is the real libsodium after (its replacement).
    const dir = mkdtempSync(join(tmpdir(), 'lifeboat-kdf-'));
    const once = join(dir, 'dies-once.cjs');
    const real = createRequire(import.meta.url).resolve('libsodium-wrappers-sumo');
    const marker = join(dir, 'died');
    writeFileSync(
      once,
      `const fs = require('node:fs');\nif (!fs.existsSync(${JSON.stringify(marker)})) { fs.writeFileSync(${JSON.stringify(marker)}, ''); process.exit(3); }\nmodule.exports = require(${JSON.stringify(real)});\n`,
    );
    setKdfWorkerSodiumPathForTests(once);
    prewarmKdf();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = kdfRuns();
    const started = Date.now();
    expect(argon2id(sodium, 'pw', salt, 1, WORKER_MIN_MEMLIMIT)).toEqual(expected);
    expect(kdfRuns()).toEqual({ worker: before.worker + 1, mainThread: before.mainThread });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('gives the same typed failure as before for parameters libsodium refuses', async () => {
    const sodium = await loadSodium();
    // opslimit 0 is below Argon2id's minimum: the worker fails, the main thread throws libsodium's own error.
    expect(() => argon2id(sodium, 'pw', salt, 0, WORKER_MIN_MEMLIMIT)).toThrow();
  });

  it('a derivation started ahead is the key of the unlock that asks for the same inputs: one derivation, not two', async () => {
    const sodium = await loadSodium();
    const expected = sodium.crypto_pwhash(32, 'correct horse', salt, 1, WORKER_MIN_MEMLIMIT, sodium.crypto_pwhash_ALG_ARGON2ID13);
    const starts = kdfStarts();
    deriveAhead('correct horse', salt, 1, WORKER_MIN_MEMLIMIT);
    expect(await argon2idAsync(sodium, 'correct horse', salt, 1, WORKER_MIN_MEMLIMIT)).toEqual(expected);
    expect(kdfStarts()).toBe(starts + 1);
  });

  it('a derivation started ahead keeps the process alive only once an unlock takes it (a busy vault exits at once)', async () => {
    const sodium = await loadSodium();
    const ports = () => process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;
    const idle = ports();
    deriveAhead('correct horse', salt, 1, WORKER_MIN_MEMLIMIT);
    expect(ports()).toBe(idle);
    const taking = argon2idAsync(sodium, 'correct horse', salt, 1, WORKER_MIN_MEMLIMIT);
    expect(ports()).toBe(idle + 1);
    await taking;
  });

  it('a derivation started ahead for other inputs is not used: the unlock derives its own key', async () => {
    const sodium = await loadSodium();
    const otherSalt = salt.map((b) => b ^ 1);
    for (const [passphrase, s, ops] of [
      ['wrong horse', salt, 1],
      ['correct horse', otherSalt, 1],
      ['correct horse', salt, 2],
    ] as const) {
      const starts = kdfStarts();
      deriveAhead(passphrase, s, ops, WORKER_MIN_MEMLIMIT);
      const key = await argon2idAsync(sodium, 'correct horse', salt, 1, WORKER_MIN_MEMLIMIT);
      expect(key).toEqual(sodium.crypto_pwhash(32, 'correct horse', salt, 1, WORKER_MIN_MEMLIMIT, sodium.crypto_pwhash_ALG_ARGON2ID13));
      expect(kdfStarts()).toBe(starts + 2);
    }
  });

  it("the costs unlock-ahead bounds a derivation with are libsodium's SENSITIVE", async () => {
    const sodium = await loadSodium();
    expect(ARGON2ID_MOST).toEqual({ opslimit: sodium.crypto_pwhash_OPSLIMIT_SENSITIVE, memlimit: sodium.crypto_pwhash_MEMLIMIT_SENSITIVE });
  });
});
