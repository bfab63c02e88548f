/**
 * lifeboat oncall DIR --as NAME [--service S] [--at TIME] [--json]: who is
 * on call (issue 23). With --service, its escalation path at the time: each
 * level, who is on call now and who is next, with phones and channels; the
 * contacts' escalation order when nobody is. Without, every schedule's
 * person on call. The work is operations/on-call.ts (logged there).
 */
import { LifeboatError } from '../../../shared/errors.js';
import { timeForBoth, type OnCallPerson, type OnCallReport, type ScheduleNow, type ServiceOnCall } from '../../../shared/on-call.js';
import { formatMinutes } from '../../../shared/durations.js';
import { onCall } from '../../operations/on-call.js';
import { COMMON_OPTIONS, printJson, requirePositional, withSession } from '../cli-context.js';
import { defineVerb } from '../verb.js';

const LINE = 'oncall DIR --as NAME [--service S]... [--at TIME] [--json]';
const USAGE = `lifeboat ${LINE}`;

/** ISO 8601 with a date, and a time with its offset or Z when a time is given (`2026-12-20T09:00Z`, `2026-12-20`). */
export function parseAt(text: string): Date {
  const iso = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i;
  const ms = Date.parse(text.replace(' ', 'T'));
  if (!iso.test(text.trim()) || Number.isNaN(ms)) {
    throw new LifeboatError(
      'CLI_USAGE',
      `--at ${text}: expected an ISO 8601 time with its zone, like 2026-12-20T09:00Z or 2026-12-20T10:00+01:00 (a date alone is midnight UTC).`,
    );
  }
  return new Date(ms);
}

const laptopZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

function personLine(person: OnCallPerson): string {
  const flag = person.match === 'name' ? ' (matched by name only)' : person.match === 'none' ? ' (no contact in the vault)' : '';
  const phones = person.phones.length > 0 ? person.phones.join(', ') : 'no phone in the vault';
  const channels = person.channels.length > 0 ? `; ${person.channels.join(', ')}` : '';
  return `${person.name}${flag} — ${phones}${channels}`;
}

function scheduleLines(schedule: ScheduleNow, indent: string): string[] {
  const when = (iso: string): string => timeForBoth(iso, schedule.timeZone, laptopZone());
  const lines: string[] = [];
  if (schedule.now) {
    lines.push(`${indent}Now: ${personLine(schedule.now)}`);
    if (schedule.nowUntil) {
      lines.push(`${indent}  until ${when(schedule.nowUntil)}`);
    }
  } else {
    lines.push(`${indent}Now: nobody. ${schedule.notice ?? ''}`.trimEnd());
  }
  if (schedule.next) {
    lines.push(`${indent}Next: ${personLine(schedule.next.person)}`, `${indent}  from ${when(schedule.next.from)}`);
  }
  return lines;
}

function serviceLines(answer: ServiceOnCall): string[] {
  const lines = [`${answer.service.title}: ${answer.policy ? `escalation policy ${answer.policy.title}` : 'no escalation path'}`];
  for (const level of answer.levels) {
    const delay = level.escalateAfterMinutes === null ? '' : ` (escalates after ${formatMinutes(level.escalateAfterMinutes)})`;
    lines.push(`  Level ${level.level}${delay}:`);
    for (const target of level.targets) {
      if (target.kind === 'person') {
        lines.push(`    Person: ${personLine(target.person)}`);
      } else if (target.schedule === null) {
        lines.push(`    Schedule ${target.name}: not in the vault`);
      } else {
        lines.push(`    Schedule ${target.schedule.title} (${target.schedule.timeZone}):`, ...scheduleLines(target.schedule, '      '));
      }
    }
  }
  for (const notice of answer.notices) {
    lines.push(`  ! ${notice}`);
  }
  if (answer.fallback) {
    lines.push(
      answer.fallback.length === 0 ? '  Escalation contacts: none has an escalation order in the vault.' : '  Escalation contacts, in order:',
      ...answer.fallback.map(
        (c) =>
          `    ${c.escalationOrder}. ${c.name} — ${c.phones.join(', ') || 'no phone in the vault'}${c.channels.length > 0 ? `; ${c.channels.join(', ')}` : ''}`,
      ),
    );
  }
  return lines;
}

export function formatOnCall(report: OnCallReport): string {
  const lines = [`On call at ${report.at} (laptop clock ${report.clock.nowUtc}, UTC; this laptop's zone: ${laptopZone()})`];
  if (report.clock.warning) {
    lines.push(`WARNING: ${report.clock.warning}`);
  }
  lines.push('');
  for (const answer of report.services) {
    lines.push(...serviceLines(answer), '');
  }
  if (report.services.length === 0) {
    if (report.schedules.length === 0) {
      lines.push('The vault has no on-call schedules. Add .ics files or a PagerDuty export to a catalog and sync it (docs/catalog-format.md).');
    }
    for (const schedule of report.schedules) {
      lines.push(`${schedule.title} (${schedule.timeZone}, ${schedule.source}):`, ...scheduleLines(schedule, '  '), '');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

export const oncallVerb = defineVerb({
  name: 'oncall',
  group: 'recovery',
  summary: "who is on call: a service's escalation path at a time, or every schedule's person, with phones (logged)",
  usage: [
    {
      line: LINE,
      note: [
        '--service: its escalation path (level 1 now and next, level 2…); without: every schedule',
        '--at: ISO 8601 (2026-12-20T09:00Z); the laptop clock otherwise',
      ],
    },
  ],
  options: {
    ...COMMON_OPTIONS,
    service: { type: 'string', value: 'S', multiple: true, help: 'a service (id or title); repeat for several' },
    at: { type: 'string', value: 'TIME', help: 'the time to ask about, ISO 8601 with its zone (default: now, by the laptop clock)' },
  },
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    const at = values.at === undefined ? undefined : parseAt(values.at);
    const report = await withSession(ctx, dir, values, USAGE, (session) => onCall(session, { services: values.service ?? [], at }));
    if (values.json) {
      printJson(ctx, report);
    } else {
      ctx.io.out(formatOnCall(report));
    }
    return 0;
  },
});
