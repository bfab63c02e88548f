import { afterEach, describe, expect, it } from 'vitest';
import { loadSodium, type Sodium } from './keys/crypto-runtime.js';
import { argon2id } from './keys/kdf-worker.js';
import { engineWarmedUp, prepareUnlock, resetWarmUpForTests, warmUpEngine, warmUpSettled } from './warm-up.js';

/** The smallest Argon2id libsodium allows: what matters is that one starts. */
async function startArgon2id(): Promise<void> {
  const sodium = await loadSodium();
  argon2id(sodium, 'passphrase', new Uint8Array(16), 1, sodium.crypto_pwhash_MEMLIMIT_MIN);
}

afterEach(async () => {
  await warmUpSettled();
  resetWarmUpForTests();
});

describe('the warm-up before an unlock', () => {
  it('runs every step once per process, then costs nothing', async () => {
    const sodium = await loadSodium();
    expect(engineWarmedUp()).toBe(false);
    expect(await warmUpEngine(sodium)).toBe(4);
    expect(engineWarmedUp()).toBe(true);
    expect(await warmUpEngine(sodium)).toBe(0);
  });

  it('stops between steps when Argon2id starts, and runs again at the next prompt', async () => {
    const sodium = await loadSodium();
    let steps = 0;
    // Told to stop once the first step has run.
    expect(await warmUpEngine(sodium, () => steps++ >= 1)).toBe(1);
    expect(engineWarmedUp()).toBe(false);
    prepareUnlock();
    expect(await warmUpSettled()).toBe(4);
    expect(engineWarmedUp()).toBe(true);
  });

  it('gets out of the way of any Argon2id that starts after the prompt', async () => {
    await loadSodium();
    prepareUnlock();
    await startArgon2id();
    expect(await warmUpSettled()).toBe(0);
    expect(engineWarmedUp()).toBe(false);
    // The next prompt starts it again, at once.
    prepareUnlock();
    expect(await warmUpSettled()).toBe(4);
  });

  it('never fails an unlock: a step that throws only leaves the engine cold', async () => {
    const broken = {} as Sodium;
    await expect(warmUpEngine(broken)).resolves.toBe(0);
    expect(engineWarmedUp()).toBe(false);
  });
});
