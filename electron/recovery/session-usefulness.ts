/**
 * When a service of a recovery session counts as useful again (issue #19,
 * item 6; docs/recovery.md, "Useful, waiting, overridden"). This is the time
 * its RTO is measured against, so it is decided here, once, for the CLI, the
 * window and the evidence report:
 *
 * - Its own validation checks have all passed (a service with none can never
 *   be shown useful), and
 * - every service it needs from outside its own recover-together group is
 *   useful too (`needs`, frozen at the start from the plan's hard
 *   dependencies). Inside a group there is no order, so members do not wait
 *   for each other.
 * - Then it is useful from the latest of those moments: a wave-3 service
 *   whose checks pass at 0 min, while its wave-1 database is back at 40 min,
 *   is useful at 40 min, not 0.
 * - Until then it is waiting on the needs not back yet (named), unless the
 *   commander overrode the wait (logged with a reason): then it is useful
 *   from the later of its checks passing and the override.
 *
 * Everything is derived from the stored ticks, so a later failure of a
 * dependency's check takes its dependents' usefulness away with it.
 */
import type { RecoverySession, SessionService } from '../../shared/recovery.js';
import { minutesBetween } from './session-time.js';

/** When all of its own checks had passed, or null. */
function checksPassedAt(service: SessionService): string | null {
  if (service.checks.length === 0 || service.checks.some((c) => c.passedAt === undefined)) {
    return null;
  }
  return service.checks.map((c) => c.passedAt as string).reduce((a, b) => (b > a ? b : a));
}

const latest = (times: readonly string[]): string => times.reduce((a, b) => (b > a ? b : a));

/** Sets usefulAt, usefulMinutes and waitingOn on every service of the session. */
export function settleUseful(recovery: RecoverySession): void {
  const byId = new Map(recovery.services.map((s) => [s.id, s]));
  const done = new Map<string, string | null>();
  const visiting = new Set<string>();

  const usefulAt = (service: SessionService): string | null => {
    const known = done.get(service.id);
    if (known !== undefined) {
      return known;
    }
    // `needs` never closes a loop (it skips the service's own group); a tampered one cannot hang us.
    if (visiting.has(service.id)) {
      return null;
    }
    visiting.add(service.id);
    const needs = (service.needs ?? []).map((id) => byId.get(id)).filter((s): s is SessionService => s !== undefined && s.id !== service.id);
    const back = needs.map((need) => ({ need, at: usefulAt(need) }));
    const waiting = back.filter((b) => b.at === null).map((b) => b.need.id);
    const own = checksPassedAt(service);
    let at: string | null = null;
    if (own !== null && waiting.length === 0) {
      at = latest([own, ...back.map((b) => b.at as string)]);
    } else if (own !== null && service.override !== undefined) {
      at = latest([own, service.override.at]);
    }
    if (waiting.length > 0) {
      service.waitingOn = waiting;
    } else {
      delete service.waitingOn;
    }
    if (at === null) {
      delete service.usefulAt;
      delete service.usefulMinutes;
    } else {
      service.usefulAt = at;
      service.usefulMinutes = minutesBetween(recovery.startedAt, at);
    }
    visiting.delete(service.id);
    done.set(service.id, at);
    return at;
  };
  recovery.services.forEach(usefulAt);
}

/** The services a service waits on right now, by title (for messages). */
export function waitingTitles(recovery: RecoverySession, service: SessionService): string[] {
  return (service.waitingOn ?? []).map((id) => recovery.services.find((s) => s.id === id)?.title ?? id);
}
