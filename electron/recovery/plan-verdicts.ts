/**
 * Honest planning (issue #19, item 6; docs/recovery.md, "Honest planning"):
 * what the plan may say about time and RTOs on paper. Missing data is
 * unknown, never good news:
 *
 * - A service's RTO is achievable on paper only when it has an RTO, and it
 *   and everything it waits for have estimates, and it is back in time.
 *   Back too late is a breach, even when the time is only a lower bound
 *   ("at least 50 min" against 30 is late whatever the unknowns add). With an
 *   RTO but an estimate missing on the way and not (yet) late: unknown. No
 *   RTO: no-rto.
 * - The plan's total is known when every service has an estimate, "at least
 *   N min, plus M services with no estimate" when some do not (a service
 *   without one may take longer than the whole critical path), and unknown
 *   when none has one: never "at least 0 min".
 * - "Every RTO in this plan is achievable on paper" only when every service
 *   has an RTO and every verdict is achievable.
 *
 * The CLI, the window (plan and readiness screens) and the JSON print these
 * sentences as they are.
 */
import { formatMinutes } from '../../shared/durations.js';
import type { PaperSummary } from '../../shared/recovery.js';
import type { PaperTone, RtoVerdict } from '../../shared/recovery-kinds.js';

export function rtoVerdict(rtoMinutes: number | null, finishMinute: number, lowerBound: boolean): RtoVerdict {
  if (rtoMinutes === null) {
    return 'no-rto';
  }
  if (finishMinute > rtoMinutes) {
    return 'breach';
  }
  return lowerBound ? 'unknown' : 'achievable';
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** "45 min", "115 min (1 h 55 min)": minutes first, as runbooks estimate them (the window's minutesText). */
function minutesText(minutes: number): string {
  const total = Math.round(minutes);
  return total < 90 ? `${total} min` : `${total} min (${formatMinutes(total)})`;
}

export interface PlannedForVerdict {
  estimatedMinutes: number | null;
  verdict: RtoVerdict;
}

/** The plan's total and verdicts, from its services and its critical path's minutes. */
export function paperSummary(services: readonly PlannedForVerdict[], criticalMinutes: number): PaperSummary {
  const counts = { achievable: 0, breach: 0, unknown: 0, noRto: 0, unestimated: 0 };
  for (const s of services) {
    counts[s.verdict === 'no-rto' ? 'noRto' : s.verdict] += 1;
    if (s.estimatedMinutes === null) {
      counts.unestimated += 1;
    }
  }
  const estimated = services.length - counts.unestimated;
  const total: PaperSummary['total'] =
    estimated === 0
      ? { state: 'unknown', minutes: 0, unestimated: counts.unestimated, text: 'unknown: no runbook in this plan gives a time estimate' }
      : counts.unestimated > 0
        ? {
            state: 'at-least',
            minutes: criticalMinutes,
            unestimated: counts.unestimated,
            text: `at least ${minutesText(criticalMinutes)}, plus ${count(counts.unestimated, 'service')} with no estimate`,
          }
        : { state: 'known', minutes: criticalMinutes, unestimated: 0, text: minutesText(criticalMinutes) };

  const lines: { tone: PaperTone; text: string }[] = [];
  if (counts.breach > 0) {
    lines.push({ tone: 'bad', text: `${count(counts.breach, 'RTO is', 'RTOs are')} not achievable on paper` });
  }
  if (counts.achievable > 0) {
    const every = counts.achievable === services.length;
    lines.push({
      tone: 'ok',
      text: every ? 'Every RTO in this plan is achievable on paper' : `${count(counts.achievable, 'RTO is', 'RTOs are')} achievable on paper`,
    });
  }
  if (counts.unknown > 0) {
    lines.push({ tone: 'unknown', text: `RTO unknown on paper — ${count(counts.unknown, 'service')} (an estimate is missing on the way)` });
  }
  if (counts.noRto > 0) {
    lines.push({ tone: 'unknown', text: `no RTO set — ${count(counts.noRto, 'service')}` });
  }
  if (counts.unestimated > 0) {
    lines.push({ tone: 'unknown', text: `no estimate — ${count(counts.unestimated, 'service')}` });
  }
  return { total, counts, lines };
}
