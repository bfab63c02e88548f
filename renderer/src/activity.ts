/**
 * The idle countdown's clock, kept in one place: when main last heard from
 * this window.
 *
 * Main locks the vault after autoLockMinutes without a request (each vault
 * request restarts its timer); the session bar counts down from the same
 * moment, so the two agree. Two things move it, and nothing else:
 * - every request through lifeboat-client.ts (noteRequest, when it is sent:
 *   main restarts its timer when it handles the request, never before, so
 *   the countdown never promises more time than main will give), except the
 *   channels main does not count either (IDLE_NEUTRAL_CHANNELS: the status
 *   the countdown itself reads, the engine self-test…);
 * - what the person does in the window: keys, pointer, wheel, scrolling.
 *   While a vault is open, this sends main the `vault:activity` heartbeat at
 *   most every KEEP_ALIVE_MS, which restarts main's timer (and so the
 *   countdown): reading a runbook does not lock the vault under the
 *   person's hands (issue 19). Activity inside a quiet period is reported
 *   when it ends, so the lock comes autoLockMinutes after the last activity,
 *   never up to 15 s before it.
 */
import { useSyncExternalStore } from 'react';

/** How often, at most, activity in the window is reported to main. */
export const KEEP_ALIVE_MS = 15_000;

/** What counts as the person doing something (pointermove and scroll fire often: see trackActivity). */
export const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'scroll'] as const;

let lastRequest = Date.now();
const listeners = new Set<() => void>();

/** A request to main is on its way (called by lifeboat-client.ts for every one). */
export function noteRequest(at = Date.now()): void {
  lastRequest = at;
  listeners.forEach((listener) => {
    listener();
  });
}

/** Epoch ms of the last request to main. */
export function lastActivity(): number {
  return lastRequest;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** lastActivity(), re-rendering when it moves. */
export function useLastActivity(): number {
  return useSyncExternalStore(subscribe, lastActivity);
}

type ActivityTarget = Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;

/**
 * Listens for the person's activity on `target` (the window; capturing, so
 * scrolling inside a pane counts too) and calls `keepAlive` at most every
 * KEEP_ALIVE_MS while there is some. `keepAlive` reports it to main and
 * returns true, or returns false when there is nothing to keep alive (no
 * vault open): the next activity then tries again. Every event is a clock
 * read and a comparison until the next report is due, so the frequent ones
 * (pointermove, scroll) are throttled by the same test. Returns the
 * function that stops listening.
 */
export function trackActivity(
  target: ActivityTarget,
  keepAlive: () => boolean,
  now: () => number = Date.now,
  timers: Pick<typeof globalThis, 'setTimeout' | 'clearTimeout'> = globalThis,
): () => void {
  let reported = Number.NEGATIVE_INFINITY;
  let trailing: ReturnType<typeof setTimeout> | undefined;
  const report = (at: number): void => {
    if (keepAlive()) {
      reported = at;
    }
  };
  const onActivity = (): void => {
    const at = now();
    const wait = reported + KEEP_ALIVE_MS - at;
    if (wait <= 0) {
      report(at);
    } else if (trailing === undefined) {
      // Activity in the quiet period: reported once when it ends.
      trailing = timers.setTimeout(() => {
        trailing = undefined;
        report(now());
      }, wait);
    }
  };
  const options = { capture: true, passive: true };
  for (const type of ACTIVITY_EVENTS) {
    target.addEventListener(type, onActivity, options);
  }
  return () => {
    if (trailing !== undefined) {
      timers.clearTimeout(trailing);
    }
    for (const type of ACTIVITY_EVENTS) {
      target.removeEventListener(type, onActivity, options);
    }
  };
}
