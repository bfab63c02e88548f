/**
 * Time as a recovery session shows it: a live elapsed clock (display only:
 * the engine stamps every tick with its own clock), times of day in 24-hour
 * form, and minutes against an RTO.
 */
import { useSyncExternalStore } from 'react';
import type { SessionKind } from '../../../../shared/recovery-kinds';
import { formatMinutes } from '../../../../shared/durations';

/** Re-exported so the session screens take durations from one place. */
export { formatMinutes };

// One interval for every clock on screen, running only while one is shown.
const listeners = new Set<() => void>();
let timer: number | undefined;
let now = Date.now();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === undefined) {
    now = Date.now();
    timer = window.setInterval(() => {
      now = Date.now();
      listeners.forEach((l) => {
        l();
      });
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      window.clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The current time, re-rendering once a second. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now);
}

/** 754_000 → "0:12:34". */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `${h}:${String(m).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}

/** "03:12:44": 24-hour, local, to the second (what a responder compares with a chat log). */
export function timeOfDay(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

/** "25 Nov 2026, 03:12". */
export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString([], { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
}

/** Minutes from the session start to `iso`: "T+4 min". */
export function sinceStart(startedAt: string, iso: string): string {
  const minutes = Math.max(0, (Date.parse(iso) - Date.parse(startedAt)) / 60_000);
  return `T+${minutes < 1 ? '<1 min' : formatMinutes(Math.floor(minutes))}`;
}

/** Time since the session started, ticking; frozen at the end. */
export function SessionClock({ startedAt, endedAt, label = 'Elapsed since the start' }: { startedAt: string; endedAt?: string | undefined; label?: string }) {
  const current = useNow();
  const until = endedAt === undefined ? current : Date.parse(endedAt);
  return (
    <span className="ses-clock" role="timer" aria-label={label}>
      {formatElapsed(until - Date.parse(startedAt))}
    </span>
  );
}

/**
 * One service's clock against its RTO: how long it has been down in this
 * session, and how long is left (or how far past) while it is not useful yet.
 */
export function ServiceClock({
  startedAt,
  endedAt,
  rtoMinutes,
  usefulMinutes,
}: {
  startedAt: string;
  endedAt?: string | undefined;
  rtoMinutes: number | null;
  usefulMinutes?: number | undefined;
}) {
  const current = useNow();
  if (usefulMinutes !== undefined) {
    return <span className="ses-clock-stopped">✓ useful at T+{formatMinutes(usefulMinutes)}</span>;
  }
  const elapsed = (endedAt === undefined ? current : Date.parse(endedAt)) - Date.parse(startedAt);
  const left = rtoMinutes === null ? null : rtoMinutes * 60_000 - elapsed;
  return (
    <span className="ses-service-clock">
      <span className="ses-clock" role="timer" aria-label="Elapsed since the start">
        {formatElapsed(elapsed)}
      </span>
      {left !== null &&
        (left >= 0 ? (
          <span className="ses-rto-left">RTO in {formatElapsed(left)}</span>
        ) : (
          <span className="ses-rto-over">RTO passed {formatElapsed(-left)} ago</span>
        ))}
    </span>
  );
}

/** A real incident must never be mistaken for a drill. */
export function KindBadge({ kind }: { kind: SessionKind }) {
  return kind === 'incident' ? <span className="ses-kind ses-kind-incident">REAL INCIDENT</span> : <span className="ses-kind ses-kind-exercise">Exercise</span>;
}
