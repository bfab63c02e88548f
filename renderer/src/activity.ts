/**
 * The idle countdown's clock, kept in one place: when main last heard from
 * this window.
 *
 * Main locks the vault after autoLockMinutes without a request (each vault
 * request restarts its timer); the session bar counts down from the same
 * moment, so the two agree. Two things move it, and nothing else:
 * - every request through lifeboat-client.ts (noteRequest, when it is sent:
 *   main restarts its timer when it handles the request, never before, so
 *   the countdown never promises more time than main will give);
 * - what the person does in the window: keys, pointer, wheel, scrolling.
 *   While a vault is open, this asks main for the vault's status at most
 *   every KEEP_ALIVE_MS, a request that restarts main's timer like any other
 *   (and so the countdown): typing a long runbook, or reading one, does not
 *   lock the vault under the person's hands.
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
export function trackActivity(target: ActivityTarget, keepAlive: () => boolean, now: () => number = Date.now): () => void {
  let reported = Number.NEGATIVE_INFINITY;
  const onActivity = (): void => {
    const at = now();
    if (at - reported >= KEEP_ALIVE_MS && keepAlive()) {
      reported = at;
    }
  };
  const options = { capture: true, passive: true };
  for (const type of ACTIVITY_EVENTS) {
    target.addEventListener(type, onActivity, options);
  }
  return () => {
    for (const type of ACTIVITY_EVENTS) {
      target.removeEventListener(type, onActivity, options);
    }
  };
}
