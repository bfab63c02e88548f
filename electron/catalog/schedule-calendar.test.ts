/**
 * On-call calendars (issue 23): test/fixtures/oncall/catalog/schedules, written
 * for these tests (README there). Who is on call at an instant, as the
 * calendar says it, through recurrence, overrides, exclusions and DST.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calendarShifts, parseCalendar } from './calendar-shifts.js';
import { parseCatalogContent } from './catalog-content.js';
import { parseScheduleFile } from './schedule-calendar.js';

const DIR = join(process.cwd(), 'test/fixtures/oncall');
const read = (path: string): string => readFileSync(join(DIR, path), 'utf8');

/** Who the calendar puts on call at an instant (the shift that began last, as the lookup does). */
function whoAt(path: string, iso: string): string | null {
  const at = new Date(iso);
  const shifts = calendarShifts(parseCalendar(read(path)), new Date(at.getTime() - 1), new Date(at.getTime() + 1));
  return shifts.filter((s) => s.start <= at && s.end > at).at(-1)?.person.name ?? null;
}

const PAYMENTS = 'catalog/schedules/payments-primary.ics';
const NYC = 'catalog/schedules/platform-nyc.ics';

describe('a weekly rotation (RRULE, Europe/London)', () => {
  it('hands over every Monday at 09:00 London time, rotating three people', () => {
    expect(whoAt(PAYMENTS, '2026-10-06T12:00:00Z')).toBe('Ana Lima');
    expect(whoAt(PAYMENTS, '2026-10-13T12:00:00Z')).toBe('Ben Okafor');
    expect(whoAt(PAYMENTS, '2026-10-20T12:00:00Z')).toBe('Chloe Martin');
    expect(whoAt(PAYMENTS, '2026-10-27T12:00:00Z')).toBe('Ana Lima');
  });

  it('keeps the 09:00 hand-over across the end of British Summer Time (25 October 2026)', () => {
    // Before: 09:00 BST is 08:00 UTC. After: 09:00 GMT is 09:00 UTC.
    expect(whoAt(PAYMENTS, '2026-10-12T07:59:00Z')).toBe('Ana Lima');
    expect(whoAt(PAYMENTS, '2026-10-12T08:00:00Z')).toBe('Ben Okafor');
    expect(whoAt(PAYMENTS, '2026-10-26T08:30:00Z')).toBe('Chloe Martin');
    expect(whoAt(PAYMENTS, '2026-10-26T09:00:00Z')).toBe('Ana Lima');
  });

  it('takes an override (RECURRENCE-ID): Ben covers Ana the week of 16 November', () => {
    expect(whoAt(PAYMENTS, '2026-11-17T12:00:00Z')).toBe('Ben Okafor');
    expect(whoAt(PAYMENTS, '2026-12-08T12:00:00Z')).toBe('Ana Lima');
  });

  it('leaves a gap where an EXDATE removes a week (23 November): nobody, not the week before', () => {
    expect(whoAt(PAYMENTS, '2026-11-24T12:00:00Z')).toBeNull();
    expect(whoAt(PAYMENTS, '2026-11-30T09:00:00Z')).toBe('Chloe Martin');
  });

  it('adds an RDATE week (21 December) and ends with the rotation (UNTIL)', () => {
    expect(whoAt(PAYMENTS, '2026-12-22T12:00:00Z')).toBe('Chloe Martin');
    expect(whoAt(PAYMENTS, '2026-12-28T09:00:00Z')).toBeNull();
  });

  it('never puts two people on call at once across the DST change (no overlapping shifts)', () => {
    const shifts = calendarShifts(parseCalendar(read(PAYMENTS)), new Date('2026-10-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z'));
    for (let i = 1; i < shifts.length; i++) {
      expect(shifts[i]?.start.getTime()).toBeGreaterThanOrEqual(shifts[i - 1]?.end.getTime() ?? 0);
    }
  });
});

describe('America/New_York', () => {
  it('keeps the Monday 10:00 hand-over across the end of daylight time (1 November 2026)', () => {
    // 10:00 EDT = 14:00 UTC on 26 October; 10:00 EST = 15:00 UTC on 2 November.
    expect(whoAt(NYC, '2026-10-26T13:59:00Z')).toBe('Dana Reyes');
    expect(whoAt(NYC, '2026-10-26T14:00:00Z')).toBe('Eli Novak');
    expect(whoAt(NYC, '2026-11-02T14:30:00Z')).toBe('Eli Novak');
    expect(whoAt(NYC, '2026-11-02T15:00:00Z')).toBe('Dana Reyes');
  });

  it('runs on for ever when the rule has no end', () => {
    expect(whoAt(NYC, '2031-06-03T12:00:00Z')).not.toBeNull();
  });
});

describe('an all-day event', () => {
  it('covers whole days in the calendar zone', () => {
    const path = 'catalog/schedules/holiday-cover.ics';
    expect(whoAt(path, '2026-12-23T23:59:00Z')).toBeNull();
    expect(whoAt(path, '2026-12-24T00:00:00Z')).toBe('Farah Haddad');
    expect(whoAt(path, '2026-12-26T23:59:00Z')).toBe('Farah Haddad');
    expect(whoAt(path, '2026-12-27T00:00:00Z')).toBeNull();
  });
});

describe('schedule records from .ics files', () => {
  it('gives name, time zone, coverage window and the people on the rota', () => {
    const { entry, problems } = parseScheduleFile('schedules/payments-primary.ics', read(PAYMENTS));
    expect(problems.list).toEqual([]);
    expect(entry).toMatchObject({
      key: 'schedules/payments-primary.ics',
      type: 'schedule',
      title: 'Payments primary',
      data: {
        timeZone: 'Europe/London',
        source: 'iCalendar file',
        coverageFrom: '2026-10-05T08:00:00Z',
        coverageUntil: '2026-12-28T09:00:00Z',
        people: ['Ana Lima <ana.lima@example.com>', 'Ben Okafor <ben.okafor@example.com>', 'Chloe Martin'],
      },
    });
  });

  it('leaves the coverage open for a rotation with no end', () => {
    const { entry } = parseScheduleFile('platform-nyc.ics', read(NYC));
    expect(entry?.data['coverageUntil']).toBeUndefined();
    expect(entry?.data['timeZone']).toBe('America/New_York');
  });

  it('refuses a malformed file naming the file and the line', () => {
    const { entry, problems } = parseScheduleFile('malformed.ics', read('malformed.ics'));
    expect(entry).toBeUndefined();
    expect(problems.list).toEqual([{ file: 'malformed.ics', line: 9, message: expect.stringContaining('SUMMARY Ana Lima without a colon') as unknown }]);
  });

  it('refuses a TZID the file does not define, rather than guess the hand-over hour', () => {
    const text = read(NYC).replace(/BEGIN:VTIMEZONE[\s\S]*?END:VTIMEZONE\r\n/, '');
    const { problems } = parseScheduleFile('nyc.ics', text);
    expect(problems.list[0]?.message).toMatch(/America\/New_York, which the file does not define/);
    expect(problems.list[0]?.line).toBe(text.split('\r\n').findIndex((l) => l.includes('TZID=America/New_York')) + 1);
  });

  it('refuses a calendar with no event', () => {
    const { problems } = parseScheduleFile('empty.ics', 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nEND:VCALENDAR\r\n');
    expect(problems.list[0]?.message).toMatch(/no event/);
  });

  it('fails the whole catalog on one malformed calendar: no partial import', () => {
    const files = new Map<string, Uint8Array>([
      ['schedules/payments-primary.ics', new TextEncoder().encode(read(PAYMENTS))],
      ['schedules/broken.ics', new TextEncoder().encode(read('malformed.ics'))],
    ]);
    const content = parseCatalogContent(files);
    expect(content.problems).toEqual([expect.objectContaining({ file: 'schedules/broken.ics', line: 9 })]);
  });
});
