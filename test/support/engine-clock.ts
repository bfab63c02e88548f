/**
 * Test helper for engine code that stamps times with `new Date()`: only Date
 * is faked, so libsodium, sql.js and the file system keep running for real
 * while a test says "twenty minutes later". Sessions a test opens are locked
 * after it, before the clock is restored.
 */
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { LifeboatError } from '../../shared/errors.js';
import type { VaultSession } from '../../electron/vault/vault-session.js';

export const T0 = Date.parse('2026-03-02T09:00:00.000Z');
export const MINUTE = 60_000;

/** Moves the engine's clock to T0 + `minutes` and returns that time as the engine writes it. */
export function at(minutes: number): string {
  vi.setSystemTime(T0 + minutes * MINUTE);
  return new Date(T0 + minutes * MINUTE).toISOString();
}

/** Installs the fake clock around each test of the file; returns the list whose sessions get locked after each. */
export function useEngineClock(): VaultSession[] {
  const open: VaultSession[] = [];
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
  });
  afterEach(async () => {
    for (const session of open.splice(0)) {
      await session.lock();
    }
    vi.useRealTimers();
  });
  return open;
}

/** The error a synchronous engine call throws (so its code and message can be checked). */
export function thrown(fn: () => unknown): LifeboatError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(LifeboatError);
    return error as LifeboatError;
  }
  throw new Error('expected the call to throw');
}
