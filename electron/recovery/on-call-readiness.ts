/**
 * The readiness review's on-call findings (issue 23; docs/recovery.md
 * "Readiness rules"), self-contained: readiness-review.ts adds what this
 * returns. Only a vault that holds a schedule or an escalation policy is
 * reviewed for them: one that keeps no on-call data is not told about each
 * service.
 *
 * - oncall-export-ending (vault): a schedule's coverage ends within N days
 *   (DEFAULT_ONCALL_EXPORT_DAYS), or has ended: export it again;
 * - no-escalation-path (service): no escalation policy reaches it;
 * - oncall-no-phone (vault): someone on call in the next 14 days has no phone
 *   in the vault (no contact, or a contact without one);
 * - oncall-gap (vault): the next 14 days inside a schedule's coverage have
 *   hours nobody is on call.
 */
import type { Finding } from '../../shared/recovery.js';
import { timeInZone } from '../../shared/zoned-time.js';
import { matchPerson, policyOf, scheduleShifts, type OnCallRecord, type OnCallRecords } from './on-call.js';

export const DEFAULT_ONCALL_EXPORT_DAYS = 7;
const LOOK_AHEAD_DAYS = 14;
const DAY = 86_400_000;

export interface OnCallFindings {
  vault: Finding[];
  /** By service record id. */
  services: Map<string, Finding[]>;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

function scheduleFindings(schedule: OnCallRecord, contacts: readonly OnCallRecord[], now: Date, exportDays: number): Finding[] {
  const findings: Finding[] = [];
  const zone = text(schedule.data['timeZone']) ?? 'UTC';
  const until = text(schedule.data['coverageUntil']);
  const untilMs = until === null ? Infinity : Date.parse(until);
  if (until !== null && untilMs <= now.getTime()) {
    findings.push({
      rule: 'oncall-export-ending',
      severity: 'critical',
      message: `The on-call schedule "${schedule.title}" ended ${timeInZone(until, zone)}: nobody is shown on call until it is exported and synced again.`,
      recordId: schedule.id,
    });
    return findings;
  }
  if (until !== null && untilMs - now.getTime() <= exportDays * DAY) {
    findings.push({
      rule: 'oncall-export-ending',
      severity: 'high',
      message: `The on-call schedule "${schedule.title}" ends ${timeInZone(until, zone)}, within ${exportDays} days: export it again with a longer window.`,
      recordId: schedule.id,
    });
  }
  const end = Math.min(now.getTime() + LOOK_AHEAD_DAYS * DAY, untilMs);
  const from = Math.max(now.getTime(), Date.parse(text(schedule.data['coverageFrom']) ?? '') || now.getTime());
  const shifts = scheduleShifts(schedule, new Date(from), new Date(end));
  let covered = from;
  const gaps: string[] = [];
  for (const shift of shifts) {
    if (shift.start.getTime() > covered) {
      gaps.push(`${timeInZone(new Date(covered).toISOString(), zone)} to ${timeInZone(shift.start.toISOString(), zone)}`);
    }
    covered = Math.max(covered, shift.end.getTime());
  }
  if (covered < end) {
    gaps.push(`${timeInZone(new Date(covered).toISOString(), zone)} to ${timeInZone(new Date(end).toISOString(), zone)}`);
  }
  if (gaps.length > 0) {
    findings.push({
      rule: 'oncall-gap',
      severity: 'high',
      message: `Nobody is on the "${schedule.title}" rota from ${gaps.slice(0, 3).join('; from ')}${gaps.length > 3 ? ` (and ${gaps.length - 3} more gaps)` : ''} in the next ${LOOK_AHEAD_DAYS} days.`,
      recordId: schedule.id,
    });
  }
  const noPhone = new Set<string>();
  for (const shift of shifts) {
    const person = matchPerson(shift.person, contacts);
    if (person.phones.length === 0) {
      noPhone.add(person.name);
    }
  }
  if (noPhone.size > 0) {
    findings.push({
      rule: 'oncall-no-phone',
      severity: 'high',
      message: `On call on "${schedule.title}" in the next ${LOOK_AHEAD_DAYS} days with no phone in the vault: ${[...noPhone].join(', ')}. Add their numbers to their contact records.`,
      recordId: schedule.id,
    });
  }
  return findings;
}

export function onCallFindings(records: OnCallRecords, now: Date, exportDays = DEFAULT_ONCALL_EXPORT_DAYS): OnCallFindings {
  const services = new Map<string, Finding[]>();
  if (records.schedules.length === 0 && records.escalations.length === 0) {
    return { vault: [], services };
  }
  for (const service of records.services) {
    if (!policyOf(service, records.escalations)) {
      services.set(service.id, [
        {
          rule: 'no-escalation-path',
          severity: 'medium',
          message: `${service.title} has no escalation path: nobody can say who to call for it but the escalation order kept by hand.`,
        },
      ]);
    }
  }
  return { vault: records.schedules.flatMap((schedule) => scheduleFindings(schedule, records.contacts, now, exportDays)), services };
}
