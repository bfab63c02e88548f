/**
 * A PagerDuty REST export in a catalog (`*.pagerduty.json`) → escalation policies,
 * on-call schedules and contacts (docs/catalog-format.md "PagerDuty
 * export"). A publisher's CI fetches, with its own token and on its own
 * timer, GET /escalation_policies, GET /schedules/{id}?since=…&until=…
 * (whose `final_schedule.rendered_schedule_entries` are the shifts of that
 * window) and GET /users?include[]=contact_methods, writes one JSON object
 * with any of the keys `escalation_policies`, `schedules` (or one
 * `schedule`) and `users`, and packs the folder. Lifeboat never calls the API.
 *
 * - only files named `*.pagerduty.json` are read (other JSON, a dashboard or
 *   a package.json, is not catalog content and is never packed); invalid
 *   JSON, none of those keys, or a wrong shape is a problem (with the line
 *   of the object's id where it can be found);
 * - schedule → key `pagerduty:schedule/<id>`, title = name, timeZone =
 *   time_zone; its rendered entries become an iCalendar text (one VEVENT
 *   each, ATTENDEE = the user's name and e-mail from `users`), so the lookup
 *   reads every schedule one way; the coverage ends with the last entry;
 * - escalation policy → key `pagerduty:escalation_policy/<id>`; each
 *   escalation rule a level (schedule_reference → `schedule <its name>`,
 *   user_reference → `person <name>`), escalation_delay_in_minutes its delay;
 *   services = the service names; meta.pagerduty.serviceIds = their ids
 *   (a Backstage service's `pagerduty.com/service-id` annotation links to it);
 * - user → contact `pagerduty:user/<id>`: role "PagerDuty user", phones from
 *   phone and SMS contact methods (`+<country_code> <address>`), emails
 *   from `email` and e-mail contact methods.
 */
import ICAL from 'ical.js';
import { formatEscalationLevel, type EscalationTarget } from '../../shared/escalation-levels.js';
import { calendarCoverage, lineOf, parseCalendar } from './calendar-shifts.js';
import { describe, FileProblems, isPlainObject, validateEntryData, type CatalogEntry, type PlainObject } from './catalog-fields.js';
import { SCHEDULE_SOURCES, scheduleData } from './schedule-calendar.js';

const KEYS = ['escalation_policies', 'schedules', 'schedule', 'users'] as const;

export interface PagerDutyFileResult {
  entries: CatalogEntry[];
  problems: FileProblems;
}

export function isPagerDutyExportPath(path: string): boolean {
  return /\.pagerduty\.json$/i.test(path);
}

interface Context {
  file: string;
  text: string;
  problems: FileProblems;
  users: Map<string, { name: string; email: string | null }>;
  schedules: Map<string, string>;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

function lineOfId(ctx: Context, id: string | undefined): number | undefined {
  return id === undefined ? undefined : lineOf(ctx.text, `"${id}"`);
}

function list(ctx: Context, value: unknown, what: string): PlainObject[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    ctx.problems.add(`${what} must be a list, not ${describe(value)}.`, undefined, what);
    return [];
  }
  return value.filter((item, index): item is PlainObject => {
    if (!isPlainObject(item)) {
      ctx.problems.add(`${what} item ${index + 1} must be an object, not ${describe(item)}.`, undefined, what);
    }
    return isPlainObject(item);
  });
}

function entry(ctx: Context, key: string, type: CatalogEntry['type'], title: string, data: PlainObject, id: string): CatalogEntry | undefined {
  const line = lineOfId(ctx, id) ?? 1;
  const parsed = validateEntryData(type, data, new Map(), line, ctx.problems);
  return parsed ? { key, type, title, data: parsed, file: ctx.file, line } : undefined;
}

function userEntry(ctx: Context, user: PlainObject): CatalogEntry | undefined {
  const id = str(user['id']);
  const name = str(user['name']) ?? str(user['summary']);
  if (id === undefined || name === undefined) {
    ctx.problems.add('A user needs an id and a name.', lineOfId(ctx, id), 'users');
    return undefined;
  }
  const phones = new Set<string>();
  const emails = new Set<string>();
  const email = str(user['email']);
  if (email) {
    emails.add(email.toLowerCase());
  }
  for (const method of list(ctx, user['contact_methods'], 'users.contact_methods')) {
    const address = str(method['address']);
    const type = str(method['type']) ?? '';
    if (address === undefined) {
      continue;
    }
    if (type.startsWith('phone_contact_method') || type.startsWith('sms_contact_method')) {
      const code = method['country_code'];
      phones.add(typeof code === 'number' ? `+${code} ${address}` : address);
    } else if (type.startsWith('email_contact_method')) {
      emails.add(address.toLowerCase());
    }
  }
  ctx.users.set(id, { name, email: email?.toLowerCase() ?? null });
  const data = {
    role: 'PagerDuty user',
    phones: [...phones],
    channels: [...emails].map((e) => `email:${e}`),
    emails: emails.size === 0 ? undefined : [...emails],
    meta: { pagerduty: { id, ...(str(user['time_zone']) ? { timeZone: str(user['time_zone']) } : {}) } },
  };
  return entry(ctx, `pagerduty:user/${id.toLowerCase()}`, 'contact', name, data, id);
}

/** The schedule's rendered entries as an iCalendar text, built by ical.js. */
function entriesCalendar(ctx: Context, name: string, timeZone: string, rendered: PlainObject[], id: string): string | undefined {
  const calendar = new ICAL.Component(['vcalendar', [], []]);
  calendar.addPropertyWithValue('version', '2.0');
  calendar.addPropertyWithValue('prodid', '-//Lifeboat//PagerDuty export//EN');
  calendar.addPropertyWithValue('x-wr-calname', name);
  calendar.addPropertyWithValue('x-wr-timezone', timeZone);
  for (const [index, shift] of rendered.entries()) {
    const start = Date.parse(str(shift['start']) ?? '');
    const end = Date.parse(str(shift['end']) ?? '');
    const user = isPlainObject(shift['user']) ? shift['user'] : {};
    const userId = str(user['id']);
    const known = userId === undefined ? undefined : ctx.users.get(userId);
    const who = known?.name ?? str(user['summary']);
    if (Number.isNaN(start) || Number.isNaN(end) || end <= start || who === undefined) {
      ctx.problems.add(
        `Schedule ${name}: rendered entry ${index + 1} needs an ISO 8601 start before its end and a user (found start ${describe(shift['start'])}, end ${describe(shift['end'])}).`,
        lineOfId(ctx, id),
        'final_schedule.rendered_schedule_entries',
      );
      return undefined;
    }
    const event = new ICAL.Component('vevent');
    event.addPropertyWithValue('uid', `${id}-${index + 1}@pagerduty.lifeboat`);
    event.addPropertyWithValue('dtstart', ICAL.Time.fromJSDate(new Date(start), true));
    event.addPropertyWithValue('dtend', ICAL.Time.fromJSDate(new Date(end), true));
    event.addPropertyWithValue('summary', who);
    if (known?.email) {
      const attendee = event.addPropertyWithValue('attendee', `mailto:${known.email}`);
      attendee.setParameter('cn', who);
    }
    calendar.addSubcomponent(event);
  }
  return calendar.toString();
}

function scheduleEntry(ctx: Context, schedule: PlainObject): CatalogEntry | undefined {
  const id = str(schedule['id']);
  const name = str(schedule['name']) ?? str(schedule['summary']);
  if (id === undefined || name === undefined) {
    ctx.problems.add('A schedule needs an id and a name.', lineOfId(ctx, id), 'schedules');
    return undefined;
  }
  ctx.schedules.set(id, name);
  const final = isPlainObject(schedule['final_schedule']) ? schedule['final_schedule'] : {};
  const rendered = list(ctx, final['rendered_schedule_entries'], 'final_schedule.rendered_schedule_entries');
  if (rendered.length === 0) {
    ctx.problems.add(
      `Schedule ${name} has no final_schedule.rendered_schedule_entries: fetch it with since= and until= (GET /schedules/${id}?since=…&until=…) so the export says who is on call.`,
      lineOfId(ctx, id),
      'final_schedule',
    );
    return undefined;
  }
  const timeZone = str(schedule['time_zone']) ?? 'UTC';
  const text = entriesCalendar(ctx, name, timeZone, rendered, id);
  if (text === undefined) {
    return undefined;
  }
  const data = { ...scheduleData(text, calendarCoverage(parseCalendar(text)), timeZone, SCHEDULE_SOURCES.pagerduty), meta: { pagerduty: { id } } };
  return entry(ctx, `pagerduty:schedule/${id.toLowerCase()}`, 'schedule', name, data, id);
}

function policyEntry(ctx: Context, policy: PlainObject): CatalogEntry | undefined {
  const id = str(policy['id']);
  const name = str(policy['name']) ?? str(policy['summary']);
  if (id === undefined || name === undefined) {
    ctx.problems.add('An escalation policy needs an id and a name.', lineOfId(ctx, id), 'escalation_policies');
    return undefined;
  }
  const levels: string[] = [];
  for (const [index, rule] of list(ctx, policy['escalation_rules'], 'escalation_rules').entries()) {
    const delay = rule['escalation_delay_in_minutes'];
    const targets: EscalationTarget[] = [];
    for (const target of list(ctx, rule['targets'], 'escalation_rules.targets')) {
      const targetId = str(target['id']) ?? '';
      const type = str(target['type']) ?? '';
      if (type.startsWith('schedule')) {
        targets.push({ kind: 'schedule', name: ctx.schedules.get(targetId) ?? str(target['summary']) ?? targetId });
      } else if (type.startsWith('user')) {
        targets.push({ kind: 'person', name: ctx.users.get(targetId)?.name ?? str(target['summary']) ?? targetId });
      }
    }
    if (targets.length === 0 || (delay !== undefined && (typeof delay !== 'number' || !Number.isSafeInteger(delay) || delay < 0))) {
      ctx.problems.add(
        `Escalation policy ${name}: rule ${index + 1} needs schedule or user targets and a whole escalation_delay_in_minutes (found ${describe(delay)}).`,
        lineOfId(ctx, str(rule['id']) ?? id),
        'escalation_rules',
      );
      return undefined;
    }
    levels.push(formatEscalationLevel({ targets, escalateAfterMinutes: typeof delay === 'number' ? delay : null }));
  }
  const services = list(ctx, policy['services'], 'services');
  const data = {
    levels,
    services: services.map((s) => str(s['summary']) ?? str(s['id']) ?? '').filter(Boolean),
    notes: str(policy['description']),
    meta: { pagerduty: { id, serviceIds: services.map((s) => str(s['id'])).filter(Boolean) } },
  };
  return entry(ctx, `pagerduty:escalation_policy/${id.toLowerCase()}`, 'escalation', name, data, id);
}

export function parsePagerDutyFile(file: string, text: string): PagerDutyFileResult {
  const problems = new FileProblems(file);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : 'unknown error';
    const position = /position (\d+)/.exec(message)?.[1];
    const line = position === undefined ? 1 : text.slice(0, Number(position)).split('\n').length;
    problems.add(`It is not valid JSON: ${message}.`, line);
    return { entries: [], problems };
  }
  if (!isPlainObject(value) || !KEYS.some((key) => key in value)) {
    problems.add(`A PagerDuty export is an object with any of ${KEYS.join(', ')} (the API's responses); this one has none.`, 1);
    return { entries: [], problems };
  }
  const ctx: Context = { file, text, problems, users: new Map(), schedules: new Map() };
  const users = list(ctx, value['users'], 'users').map((u) => userEntry(ctx, u));
  const oneSchedule = isPlainObject(value['schedule']) ? [value['schedule']] : [];
  const schedules = [...list(ctx, value['schedules'], 'schedules'), ...oneSchedule].map((s) => scheduleEntry(ctx, s));
  const policies = list(ctx, value['escalation_policies'], 'escalation_policies').map((p) => policyEntry(ctx, p));
  const entries = [...users, ...schedules, ...policies].filter((e): e is CatalogEntry => e !== undefined);
  return { entries: problems.list.length > 0 ? [] : entries, problems };
}
