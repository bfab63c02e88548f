/**
 * A hand-moved clock for main's idle lock (VaultService's IdleTimers): a test
 * says "eight seconds later" and the idle timer fires if it is due, without
 * waiting and without faking the timers of the engine (libsodium's worker,
 * sql.js, the file system keep running for real). Used by the unit tests of
 * the idle rule and by the e2e tests, whose browser host takes it.
 */
import type { IdleTimers } from '../../electron/operations/vault-service.js';

interface Pending {
  at: number;
  run: () => void;
}

export interface IdleClock extends IdleTimers {
  /** Moves the clock on by `ms`, running every timer that falls due on the way. */
  advance(ms: number): void;
  /** Timers still waiting. */
  pending(): number;
}

export function idleClock(start = Date.parse('2026-03-02T03:00:00.000Z')): IdleClock {
  let now = start;
  const timers = new Map<object, Pending>();
  const setTimeout = ((run: () => void, ms = 0) => {
    const handle = { unref: () => handle, ref: () => handle, hasRef: () => false, refresh: () => handle };
    timers.set(handle, { at: now + ms, run });
    return handle;
  }) as unknown as typeof globalThis.setTimeout;
  const clearTimeout = ((handle: object | undefined) => {
    if (handle) {
      timers.delete(handle);
    }
  }) as typeof globalThis.clearTimeout;
  return {
    setTimeout,
    clearTimeout,
    now: () => now,
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) {
          break;
        }
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].run();
      }
      now = end;
    },
    pending: () => timers.size,
  };
}
