/**
 * An on-call calendar (iCalendar, RFC 5545) → its shifts: who is on call
 * from when to when. Recurrence (RRULE, RDATE, EXDATE), overrides
 * (RECURRENCE-ID) and time zones (TZID with the file's VTIMEZONE, DST
 * included) are ical.js's work, never ours (issue 23). Used by the catalog
 * reader (schedule-calendar.ts: the coverage window, the people) and the
 * on-call lookup (electron/recovery/on-call.ts), both over the same text.
 *
 * Rules (docs/catalog-format.md "On-call schedules"):
 * - the person of a shift is its first ATTENDEE (CN, and the mailto: address),
 *   else its SUMMARY;
 * - a DATE (all-day) or floating time is read in the calendar's own zone
 *   (X-WR-TIMEZONE, when the file defines it in a VTIMEZONE), else in UTC;
 * - a TZID with no VTIMEZONE in the file is an error (RFC 5545 3.2.19 says
 *   every TZID used has one): guessing a zone would guess the hand-over hour;
 * - an event with no DTEND nor DURATION lasts one day if all-day, else is
 *   an instant (no coverage);
 * - a rotation with no end (an RRULE without UNTIL or COUNT) covers for ever.
 */
import ICAL from 'ical.js';

export interface ShiftPerson {
  name: string;
  /** Lower-cased, from ATTENDEE's mailto:, if any. */
  email: string | null;
}

export interface Shift {
  start: Date;
  end: Date;
  person: ShiftPerson;
}

export interface ParsedCalendar {
  root: ICAL.Component;
  name: string | undefined;
  timeZone: string | undefined;
  /** The calendar's zone as ical.js knows it (from the file's VTIMEZONE), for all-day and floating times. */
  zone: ICAL.Timezone;
  events: CalendarEvent[];
}

interface CalendarEvent {
  event: ICAL.Event;
  component: ICAL.Component;
}

/** A calendar that cannot be read, with the file line it is about (1-based), when known. */
export class CalendarError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
  ) {
    super(message);
  }
}

/** A recurrence is never followed further than this many occurrences (a rule every minute for years). */
export const MAX_OCCURRENCES = 20_000;

/** The first line (1-based) of `text` holding `needle`, or undefined. */
export function lineOf(text: string, needle: string): number | undefined {
  const index = text.indexOf(needle);
  if (index < 0 || needle === '') {
    return undefined;
  }
  return text.slice(0, index).split('\n').length;
}

function parseError(text: string, error: unknown): CalendarError {
  const message = error instanceof Error ? error.message : 'unknown error';
  // ical.js quotes the offending content line; find it in the file for its line number.
  const quoted = /["']([^"']{3,})["']\s*$/.exec(message)?.[1] ?? /(?:in|line) '(.+)'$/.exec(message)?.[1];
  const line = quoted === undefined ? undefined : lineOf(text, quoted.trim());
  return new CalendarError(`It is not valid iCalendar: ${message}.`, line);
}

function textOf(component: ICAL.Component, name: string): string | undefined {
  const value: unknown = component.getFirstPropertyValue(name);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Parses the text and checks what the lookup relies on; throws CalendarError with a line. */
export function parseCalendar(text: string): ParsedCalendar {
  let root: ICAL.Component;
  try {
    const jcal: unknown = ICAL.parse(text);
    if (!Array.isArray(jcal) || jcal.length === 0 || typeof jcal[0] !== 'string') {
      throw new CalendarError('It holds no VCALENDAR.', 1);
    }
    root = new ICAL.Component(jcal as [string, unknown[], unknown[]]);
  } catch (error) {
    throw error instanceof CalendarError ? error : parseError(text, error);
  }
  if (root.name !== 'vcalendar') {
    throw new CalendarError(`It begins with ${root.name.toUpperCase()}, not VCALENDAR.`, 1);
  }
  const defined = new Set(root.getAllSubcomponents('vtimezone').map((tz) => String(tz.getFirstPropertyValue('tzid'))));
  const timeZone = textOf(root, 'x-wr-timezone');
  const zone = (timeZone !== undefined && defined.has(timeZone) ? root.getTimeZoneByID(timeZone) : null) ?? ICAL.Timezone.utcTimezone;
  const events: CalendarEvent[] = [];
  const masters = new Map<string, ICAL.Event>();
  const exceptions: ICAL.Component[] = [];
  for (const component of root.getAllSubcomponents('vevent')) {
    const uid = textOf(component, 'uid') ?? '';
    const where = lineOf(text, `UID:${uid}`);
    for (const prop of component.getAllProperties()) {
      const tzid = prop.getParameter('tzid');
      if (typeof tzid === 'string' && !defined.has(tzid)) {
        throw new CalendarError(
          `${prop.name.toUpperCase()} names the time zone ${tzid}, which the file does not define (no VTIMEZONE with TZID:${tzid}).`,
          lineOf(text, `TZID=${tzid}`),
        );
      }
    }
    if (!component.hasProperty('dtstart')) {
      throw new CalendarError(`An event${uid ? ` (UID ${uid})` : ''} has no DTSTART.`, where);
    }
    try {
      // Reading the times now makes a bad value (DTSTART:2026-13-45) an error here, with the event's line.
      component.getFirstPropertyValue('dtstart');
      component.getFirstPropertyValue('dtend');
    } catch (error) {
      throw new CalendarError(
        `An event${uid ? ` (UID ${uid})` : ''} has a time that cannot be read: ${error instanceof Error ? error.message : 'unknown error'}.`,
        where,
      );
    }
    if (component.hasProperty('recurrence-id')) {
      exceptions.push(component);
      continue;
    }
    const event = new ICAL.Event(component);
    masters.set(uid, event);
    events.push({ event, component });
  }
  for (const component of exceptions) {
    const master = masters.get(textOf(component, 'uid') ?? '');
    if (master) {
      master.relateException(component);
    } else {
      // An override whose rotation is not in the file: a shift of its own.
      events.push({ event: new ICAL.Event(component), component });
    }
  }
  return { root, name: textOf(root, 'x-wr-calname'), timeZone, zone, events };
}

function personOf(component: ICAL.Component): ShiftPerson {
  const attendee = component.getFirstProperty('attendee');
  if (attendee) {
    const value = String(attendee.getFirstValue());
    const email = /^mailto:/i.test(value) ? value.slice(7).trim().toLowerCase() : null;
    const cn = attendee.getParameter('cn');
    const name = typeof cn === 'string' && cn.trim() !== '' ? cn.trim() : (email ?? value);
    return { name, email: email === '' ? null : email };
  }
  return { name: textOf(component, 'summary') ?? 'someone (the event names nobody)', email: null };
}

/** An instant from an ical.js time: dates and floating times in the calendar's zone. */
function instant(time: ICAL.Time, zone: ICAL.Timezone): Date {
  // ical.js's types say a time always has a zone; a floating one has the 'floating' zone or none.
  const zoneId = (time.zone as ICAL.Timezone | undefined)?.tzid;
  const floating = time.isDate || zoneId === undefined || zoneId === 'floating';
  if (floating) {
    const copy = time.clone();
    copy.isDate = false;
    copy.zone = zone;
    return new Date(copy.toUnixTime() * 1000);
  }
  return new Date(time.toUnixTime() * 1000);
}

function shiftEnd(start: ICAL.Time, end: ICAL.Time | null, isDate: boolean): ICAL.Time {
  if (end !== null && end.compare(start) > 0) {
    return end;
  }
  const copy = start.clone();
  if (isDate) {
    copy.adjust(1, 0, 0, 0);
  }
  return copy;
}

function endOf(event: ICAL.Event): ICAL.Time | null {
  return event.component.hasProperty('dtend') || event.component.hasProperty('duration') ? event.endDate : null;
}

/** The time's wall clock read as if in UTC: differences between two of them are nominal (a day is a day across DST). */
function wallClock(time: ICAL.Time): ICAL.Time {
  const copy = time.clone();
  copy.zone = ICAL.Timezone.utcTimezone;
  return copy;
}

/**
 * The length of every occurrence of a recurring event, in wall-clock
 * terms: Monday 09:00 to Monday 09:00 stays a hand-over at 09:00 across a
 * DST change (ical.js alone adds the exact length, which moves the end by
 * the hour the clocks moved and makes two shifts overlap).
 */
function nominalLength(event: ICAL.Event): ICAL.Duration | null {
  const end = endOf(event);
  if (end === null || end.compare(event.startDate) <= 0) {
    return null;
  }
  if (event.component.hasProperty('duration')) {
    return event.duration;
  }
  return wallClock(end).subtractDate(wallClock(event.startDate));
}

/**
 * Shifts overlapping [from, to), in start order. A recurring event is
 * expanded from its first occurrence up to `to` (at most MAX_OCCURRENCES).
 */
export function calendarShifts(calendar: ParsedCalendar, from: Date, to: Date): Shift[] {
  const shifts: Shift[] = [];
  const push = (start: ICAL.Time, end: ICAL.Time | null, component: ICAL.Component): void => {
    const s = instant(start, calendar.zone);
    const e = instant(shiftEnd(start, end, start.isDate), calendar.zone);
    if (e > from && s < to && e > s) {
      shifts.push({ start: s, end: e, person: personOf(component) });
    }
  };
  for (const { event } of calendar.events) {
    if (!event.isRecurring()) {
      push(event.startDate, endOf(event), event.component);
      continue;
    }
    const length = nominalLength(event);
    const iterator = event.iterator();
    // Overrides may move a shift by days: look a little past the window's end.
    const horizon = to.getTime() + 31 * 86_400_000;
    // next() returns undefined once a finite rule is done (its types do not say so).
    for (let i = 0, next = iterator.next() as ICAL.Time | undefined; next && i < MAX_OCCURRENCES; i++, next = iterator.next() as ICAL.Time | undefined) {
      if (instant(next, calendar.zone).getTime() > horizon) {
        break;
      }
      const details = event.getOccurrenceDetails(next) as unknown as OccurrenceDetails;
      if (details.item === event && length !== null) {
        const end = details.startDate.clone();
        end.addDuration(length);
        push(details.startDate, end, event.component);
      } else {
        // An override (RECURRENCE-ID) says its own start and end.
        push(details.startDate, details.item === event ? null : endOf(details.item), details.item.component);
      }
    }
  }
  return shifts.sort((a, b) => a.start.getTime() - b.start.getTime() || a.end.getTime() - b.end.getTime());
}

/** ical.js's occurrenceDetails (its published types do not resolve it). */
interface OccurrenceDetails {
  startDate: ICAL.Time;
  endDate: ICAL.Time;
  item: ICAL.Event;
}

export interface Coverage {
  from: Date | null;
  /** Null: a rotation with no end. */
  until: Date | null;
  people: ShiftPerson[];
}

/** Whether any event recurs for ever (an RRULE without UNTIL or COUNT). */
function endless(calendar: ParsedCalendar): boolean {
  return calendar.events.some(({ component }) =>
    component.getAllProperties('rrule').some((prop) => {
      const rule = prop.getFirstValue() as ICAL.Recur;
      return !rule.isFinite();
    }),
  );
}

/** The first and last covered instants, and everyone on the rota (the rotation's first year when endless). */
export function calendarCoverage(calendar: ParsedCalendar): Coverage {
  const open = endless(calendar);
  const starts = calendar.events.map(({ event }) => instant(event.startDate, calendar.zone).getTime());
  if (starts.length === 0) {
    return { from: null, until: null, people: [] };
  }
  const first = new Date(Math.min(...starts));
  const to = open ? new Date(first.getTime() + 366 * 86_400_000) : new Date(8.64e15);
  const shifts = calendarShifts(calendar, new Date(-8.64e15), to);
  const people = new Map<string, ShiftPerson>();
  for (const shift of shifts) {
    people.set(shift.person.email ?? shift.person.name.toLowerCase(), shift.person);
  }
  const until = open || shifts.length === 0 ? null : new Date(Math.max(...shifts.map((s) => s.end.getTime())));
  return { from: shifts[0]?.start ?? first, until, people: [...people.values()] };
}
