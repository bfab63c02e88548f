/**
 * A catalog's `.ics` file → one on-call schedule record (docs/catalog-format.md
 * "On-call schedules"): key = the file path; title = X-WR-CALNAME ?? the file
 * name humanised; timeZone = X-WR-TIMEZONE ?? the first event's TZID ?? UTC;
 * coverage window and people from the expanded shifts (calendar-shifts.ts);
 * `calendar` keeps the text itself, so the lookup expands the very rules that
 * were signed. A file that does not parse, uses a TZID it does not define, or
 * holds no event is a problem with its line: the whole catalog is refused.
 */
import { FileProblems, validateEntryData, type CatalogEntry } from './catalog-fields.js';
import { CalendarError, calendarCoverage, parseCalendar, type Coverage, type ShiftPerson } from './calendar-shifts.js';
import { titleFromFileName } from './markdown-entry.js';

/** Where a schedule came from, as its record says. */
export const SCHEDULE_SOURCES = { ical: 'iCalendar file', pagerduty: 'PagerDuty export' } as const;

/** A calendar larger than this is refused: a real rota is a few hundred events. */
export const MAX_CALENDAR_BYTES = 2 * 1024 * 1024;

export function isoUtc(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** "Ana Lima <ana@example.com>" or "Ana Lima": the people list of a schedule record. */
export function personLine(person: ShiftPerson): string {
  return person.email === null ? person.name : `${person.name} <${person.email}>`;
}

/** The record data of a schedule, from its calendar text and what was learnt reading it. */
export function scheduleData(calendar: string, coverage: Coverage, timeZone: string, source: string): Record<string, unknown> {
  return {
    timeZone,
    source,
    coverageFrom: coverage.from === null ? undefined : isoUtc(coverage.from),
    coverageUntil: coverage.until === null ? undefined : isoUtc(coverage.until),
    people: coverage.people.map(personLine),
    calendar,
  };
}

export interface ScheduleFileResult {
  entry: CatalogEntry | undefined;
  problems: FileProblems;
}

export function parseScheduleFile(file: string, text: string): ScheduleFileResult {
  const problems = new FileProblems(file);
  if (text.length > MAX_CALENDAR_BYTES) {
    problems.add(`The calendar is larger than ${MAX_CALENDAR_BYTES / 1024 / 1024} MB; export a shorter window.`);
    return { entry: undefined, problems };
  }
  try {
    const calendar = parseCalendar(text);
    if (calendar.events.length === 0) {
      problems.add('The calendar holds no event (VEVENT): nobody would be on call.', 1);
      return { entry: undefined, problems };
    }
    const coverage = calendarCoverage(calendar);
    const firstZone = (calendar.events[0]?.event.startDate.zone as { tzid?: string } | undefined)?.tzid;
    const timeZone = calendar.timeZone ?? (firstZone !== undefined && firstZone !== 'floating' ? firstZone : 'UTC');
    const data = scheduleData(text, coverage, timeZone, SCHEDULE_SOURCES.ical);
    const parsed = validateEntryData('schedule', data, new Map(), 1, problems);
    const title = calendar.name ?? titleFromFileName(file.replace(/\.ics$/i, '.md'));
    return { entry: parsed ? { key: file, type: 'schedule', title, data: parsed, file, line: 1 } : undefined, problems };
  } catch (error) {
    if (error instanceof CalendarError) {
      problems.add(error.message, error.line);
      return { entry: undefined, problems };
    }
    throw error;
  }
}
