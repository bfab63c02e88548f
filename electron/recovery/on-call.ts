/**
 * Who is on call at a time, from the vault's records alone (issue 23;
 * docs/recovery.md "On call now"): a service's escalation policy, its levels
 * in order, each schedule's person at that time and the next one, each
 * person's phones and channels from the contact records.
 *
 * Honest coverage: a schedule is read only inside its coverage window and
 * only where a shift covers the time; otherwise nobody is on call on it and
 * a notice says why ("PagerDuty export ends …; after that: escalation
 * contacts by hand") and the contacts' escalation order is given instead.
 * A stale person is never shown as on call.
 *
 * Pure: the operation (electron/operations/on-call.ts) reads the records,
 * logs, and hands them here.
 */
import { parseEscalationLevel } from '../../shared/escalation-levels.js';
import type { OnCallLevel, OnCallPerson, ScheduleNow, ServiceOnCall } from '../../shared/on-call.js';
import { timeInZone } from '../../shared/on-call.js';
import { calendarShifts, parseCalendar, type Shift, type ShiftPerson } from '../catalog/calendar-shifts.js';

export interface OnCallRecord {
  id: string;
  title: string;
  data: Record<string, unknown>;
}

export interface OnCallRecords {
  services: readonly OnCallRecord[];
  escalations: readonly OnCallRecord[];
  schedules: readonly OnCallRecord[];
  contacts: readonly OnCallRecord[];
}

/** How far ahead "who is next" looks. */
const NEXT_HORIZON_MS = 62 * 86_400_000;

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
const lower = (value: string): string => value.trim().toLowerCase();
const isoUtc = (date: Date): string => `${date.toISOString().slice(0, 19)}Z`;

function annotations(record: OnCallRecord): Record<string, unknown> {
  const meta = record.data['meta'];
  const value = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>)['annotations'] : undefined;
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function pagerDutyMeta(record: OnCallRecord): Record<string, unknown> {
  const meta = record.data['meta'];
  const value = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>)['pagerduty'] : undefined;
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function catalogKey(record: OnCallRecord): string | null {
  const ref = record.data['catalogRef'];
  return typeof ref === 'object' && ref !== null ? text((ref as Record<string, unknown>)['key']) : null;
}

const live = (record: OnCallRecord): boolean => record.data['archived'] !== true;

/** Every e-mail a contact answers to: its `emails` and its `email:` channels. */
function contactEmails(contact: OnCallRecord): string[] {
  const fromChannels = strings(contact.data['channels'])
    .filter((c) => /^e-?mail:/i.test(c))
    .map((c) => c.slice(c.indexOf(':') + 1));
  return [...strings(contact.data['emails']), ...fromChannels].map(lower);
}

/**
 * The contact(s) of a person: by e-mail (all contacts with it: a Backstage
 * User and a PagerDuty user may both hold one person's numbers), else by
 * name (flagged), else none.
 */
export function matchPerson(person: ShiftPerson, contacts: readonly OnCallRecord[]): OnCallPerson {
  const byEmail = person.email === null ? [] : contacts.filter((c) => contactEmails(c).includes(lower(person.email ?? '')));
  const byName = byEmail.length > 0 ? [] : contacts.filter((c) => lower(c.title) === lower(person.name));
  const found = byEmail.length > 0 ? byEmail : byName;
  const first = [...found].sort((a, b) => strings(b.data['phones']).length - strings(a.data['phones']).length)[0];
  return {
    name: person.name,
    email: person.email,
    match: byEmail.length > 0 ? 'email' : byName.length > 0 ? 'name' : 'none',
    contact: first ? { id: first.id, title: first.title } : null,
    phones: [...new Set(found.flatMap((c) => strings(c.data['phones'])))],
    channels: [...new Set(found.flatMap((c) => strings(c.data['channels'])))],
  };
}

/** A person target of a policy (`person Ana Lima` or `person ana@example.com`). */
function namedPerson(name: string, contacts: readonly OnCallRecord[]): OnCallPerson {
  return matchPerson(name.includes('@') ? { name, email: lower(name) } : { name, email: null }, contacts);
}

/** The schedule's shifts overlapping [from, to); none when its calendar cannot be read. */
export function scheduleShifts(schedule: OnCallRecord, from: Date, to: Date): Shift[] {
  const calendar = text(schedule.data['calendar']);
  // A schedule record edited by hand to hold something else covers nothing (said by the notice below).
  if (calendar === null) {
    return [];
  }
  try {
    return calendarShifts(parseCalendar(calendar), from, to);
  } catch {
    return [];
  }
}

function exportName(schedule: OnCallRecord): string {
  return text(schedule.data['source']) === 'PagerDuty export' ? 'PagerDuty export' : `${schedule.title} calendar`;
}

/** Who is on call on one schedule at `at`, who is next, and a notice when nobody is. */
export function scheduleAt(schedule: OnCallRecord, contacts: readonly OnCallRecord[], at: Date): ScheduleNow {
  const timeZone = text(schedule.data['timeZone']) ?? 'UTC';
  const coverageFrom = text(schedule.data['coverageFrom']);
  const coverageUntil = text(schedule.data['coverageUntil']);
  const base = { id: schedule.id, title: schedule.title, timeZone, source: text(schedule.data['source']) ?? 'iCalendar file', coverageFrom, coverageUntil };
  const when = (iso: string): string => timeInZone(iso, timeZone);
  if (coverageUntil !== null && at.getTime() >= Date.parse(coverageUntil)) {
    return {
      ...base,
      now: null,
      nowUntil: null,
      next: null,
      notice: `${exportName(schedule)} ends ${when(coverageUntil)}; after that: escalation contacts by hand.`,
    };
  }
  const shifts = scheduleShifts(schedule, new Date(at.getTime() - 1), new Date(at.getTime() + NEXT_HORIZON_MS));
  // Overlapping shifts: the one that began last has taken over (a hand-over, an override).
  const current = shifts.filter((s) => s.start <= at && s.end > at).sort((a, b) => b.start.getTime() - a.start.getTime())[0];
  const after = current?.end ?? at;
  const following = shifts.find((s) => s.start >= after && (current === undefined || s.person.name !== current.person.name || s.start > current.end));
  const next = following ? { person: matchPerson(following.person, contacts), from: isoUtc(following.start), until: isoUtc(following.end) } : null;
  if (current) {
    return { ...base, now: matchPerson(current.person, contacts), nowUntil: isoUtc(current.end), next, notice: null };
  }
  const notice =
    coverageFrom !== null && at.getTime() < Date.parse(coverageFrom)
      ? `${schedule.title} starts ${when(coverageFrom)}; until then: escalation contacts by hand.`
      : `Nobody is on the ${schedule.title} rota at this time (a gap in coverage${following ? ` until ${when(isoUtc(following.start))}` : ''}); escalation contacts by hand.`;
  return { ...base, now: null, nowUntil: null, next, notice };
}

/** The escalation policy of a service, by its annotations or the policy's own list of services. */
export function policyOf(service: OnCallRecord, escalations: readonly OnCallRecord[]): OnCallRecord | undefined {
  const notes = annotations(service);
  const named = text(notes['lifeboat.dev/escalation']);
  if (named !== null) {
    const found = escalations.find((e) => lower(e.title) === lower(named) || catalogKey(e) === named || e.id === named);
    if (found) {
      return found;
    }
  }
  const pdId = text(notes['pagerduty.com/service-id']);
  if (pdId !== null) {
    const found = escalations.find((e) => strings(pagerDutyMeta(e)['serviceIds']).includes(pdId));
    if (found) {
      return found;
    }
  }
  const names = [lower(service.title), ...(catalogKey(service) ? [lower(catalogKey(service) ?? '')] : [])];
  return escalations.find((e) => strings(e.data['services']).some((s) => names.includes(lower(s)) || names.some((n) => n.endsWith(`/${lower(s)}`))));
}

/** The contacts' escalation order: the fallback whenever a level has nobody on call. */
export function escalationContacts(contacts: readonly OnCallRecord[]): ServiceOnCall['fallback'] {
  return contacts
    .flatMap((c) => {
      const order = c.data['escalationOrder'];
      return typeof order === 'number'
        ? [{ id: c.id, name: c.title, escalationOrder: order, phones: strings(c.data['phones']), channels: strings(c.data['channels']) }]
        : [];
    })
    .sort((a, b) => a.escalationOrder - b.escalationOrder || a.name.localeCompare(b.name));
}

export function serviceOnCall(service: OnCallRecord, records: OnCallRecords, at: Date): ServiceOnCall {
  const contacts = records.contacts.filter(live);
  const policy = policyOf(service, records.escalations.filter(live));
  const notices: string[] = [];
  const levels: OnCallLevel[] = [];
  if (!policy) {
    notices.push(`${service.title} has no escalation path in the vault; escalation contacts by hand.`);
  } else {
    strings(policy.data['levels']).forEach((line, index) => {
      const level = parseEscalationLevel(line);
      if ('error' in level) {
        notices.push(`Level ${index + 1} of ${policy.title} cannot be read: ${level.error}`);
        return;
      }
      levels.push({
        level: index + 1,
        escalateAfterMinutes: level.escalateAfterMinutes,
        targets: level.targets.map((target) => {
          if (target.kind === 'person') {
            return { kind: 'person' as const, name: target.name, person: namedPerson(target.name, contacts) };
          }
          const schedule = records.schedules.filter(live).find((s) => lower(s.title) === lower(target.name));
          if (!schedule) {
            notices.push(`${policy.title} names the schedule ${target.name}, which is not in the vault.`);
            return { kind: 'schedule' as const, name: target.name, schedule: null };
          }
          const now = scheduleAt(schedule, contacts, at);
          if (now.notice !== null) {
            notices.push(now.notice);
          }
          return { kind: 'schedule' as const, name: target.name, schedule: now };
        }),
      });
    });
  }
  // Nobody reachable at the first level (or no path at all): the hand-kept order, never a guess.
  const firstLevel = levels[0];
  const covered = firstLevel?.targets.some((t) => (t.kind === 'person' ? true : t.schedule?.now !== null && t.schedule !== null)) ?? false;
  return {
    service: { id: service.id, title: service.title },
    policy: policy ? { id: policy.id, title: policy.title } : null,
    levels,
    notices: [...new Set(notices)],
    fallback: covered && notices.length === 0 ? null : escalationContacts(contacts),
  };
}
