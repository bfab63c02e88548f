/**
 * Is the laptop's clock believable? A one-time code, an on-call lookup and a
 * rotation deadline all read the laptop's clock, and a laptop that sat in a
 * drawer with a flat battery can wake up in 1970 or last year. Lifeboat has
 * no network time, so it compares the clock with times it has already seen
 * and trusts: the newest audit event, the vault's last save, a catalog's
 * signing time. A clock earlier than any of them (beyond a small tolerance
 * for clocks that were stepped back by NTP before the outage) is wrong, and
 * the window and the CLI say so beside the time they show, in UTC.
 *
 * It cannot catch a clock that runs fast, nor one that is slow by less than
 * the gap since the newest evidence: that is said in docs/security.md.
 */

/** A time Lifeboat has already seen, and what it was ("the newest audit event"). */
export interface ClockEvidence {
  what: string;
  /** ISO 8601; missing evidence is skipped. */
  time: string | undefined;
}

export interface ClockCheck {
  /** The laptop's clock, ISO 8601 in UTC (`2026-12-07T21:05:07Z`). */
  nowUtc: string;
  /** True when the clock is earlier than a time already seen. */
  suspect: boolean;
  /** The sentence to show when suspect, naming the evidence and how far behind. */
  warning?: string;
}

/** Clocks stepped back by up to this much are not reported (NTP slews, a second laptop's clock). */
export const CLOCK_TOLERANCE_MS = 5 * 60_000;

export function checkLaptopClock(now: Date, evidence: readonly ClockEvidence[]): ClockCheck {
  const nowUtc = `${now.toISOString().slice(0, 19)}Z`;
  let newest: { what: string; ms: number; time: string } | undefined;
  for (const item of evidence) {
    if (item.time === undefined) {
      continue;
    }
    const ms = Date.parse(item.time);
    if (Number.isNaN(ms)) {
      continue;
    }
    if (newest === undefined || ms > newest.ms) {
      newest = { what: item.what, ms, time: item.time };
    }
  }
  if (newest === undefined || newest.ms - now.getTime() <= CLOCK_TOLERANCE_MS) {
    return { nowUtc, suspect: false };
  }
  const behind = describeGap(newest.ms - now.getTime());
  return {
    nowUtc,
    suspect: true,
    warning: `This laptop's clock (${nowUtc}) is ${behind} earlier than ${newest.what} (${newest.time}): it is probably wrong. Codes and on-call times read from it may be wrong too; set the clock before relying on them.`,
  };
}

function describeGap(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) {
    return `${minutes} minutes`;
  }
  const hours = Math.round(minutes / 60);
  if (hours < 48) {
    return `${hours} hours`;
  }
  return `${Math.round(hours / 24)} days`;
}
