import { afterEach, describe, expect, it } from 'vitest';
import { loadSodium, type Sodium } from './crypto-runtime.js';
import { engineWarmedUp, holdWarmUp, prepareUnlock, resetWarmUpForTests, warmUpEngine, warmUpSettled } from './warm-up.js';

afterEach(async () => {
  holdWarmUp();
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

  it('is held when the key derivation starts right after the prompt', async () => {
    prepareUnlock();
    holdWarmUp();
    expect(await warmUpSettled()).toBe(0);
    expect(engineWarmedUp()).toBe(false);
  });

  it('never fails an unlock: a step that throws only leaves the engine cold', async () => {
    const broken = {} as Sodium;
    await expect(warmUpEngine(broken)).resolves.toBe(0);
    expect(engineWarmedUp()).toBe(false);
  });
});
