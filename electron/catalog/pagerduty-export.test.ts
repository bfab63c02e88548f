/**
 * A PagerDuty REST export in a catalog (issue 23): fixtures built from the
 * shapes of PagerDuty's published API reference (test/fixtures/README.md).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calendarShifts, parseCalendar } from './calendar-shifts.js';
import { parseCatalogContent } from './catalog-content.js';
import { parsePagerDutyFile } from './pagerduty-export.js';

const DIR = join(process.cwd(), 'test/fixtures/oncall');
const EXPORT = readFileSync(join(DIR, 'catalog/pagerduty/payments.pagerduty.json'), 'utf8');

describe('a PagerDuty export', () => {
  const { entries, problems } = parsePagerDutyFile('pagerduty/payments.pagerduty.json', EXPORT);
  const byKey = new Map(entries.map((e) => [e.key, e]));

  it('reads users, schedules and escalation policies without problems', () => {
    expect(problems.list).toEqual([]);
    expect([...byKey.keys()].sort()).toEqual([
      'pagerduty:escalation_policy/pesc001',
      'pagerduty:schedule/psch001',
      'pagerduty:user/pusr001',
      'pagerduty:user/pusr002',
      'pagerduty:user/pusr003',
    ]);
  });

  it('makes each user a contact with phone and SMS numbers and every e-mail', () => {
    expect(byKey.get('pagerduty:user/pusr001')).toMatchObject({
      type: 'contact',
      title: 'Grace Hopper',
      data: { role: 'PagerDuty user', phones: ['+44 7700900123'], emails: ['grace.hopper@example.com'] },
    });
    expect(byKey.get('pagerduty:user/pusr002')?.data['emails']).toEqual(['hiro.tanaka@example.com', 'hiro@home.example.org']);
    expect(byKey.get('pagerduty:user/pusr003')?.data['phones']).toEqual([]);
  });

  it('makes each escalation rule a level, its targets named, its delay kept, its services linked by id', () => {
    expect(byKey.get('pagerduty:escalation_policy/pesc001')).toMatchObject({
      type: 'escalation',
      title: 'Payments',
      data: {
        levels: ['schedule Payments primary (PagerDuty), escalate after 30m', 'person Grace Hopper, escalate after 15m'],
        services: ['Payments API'],
        meta: { pagerduty: { id: 'PESC001', serviceIds: ['PSVC001'] } },
      },
    });
  });

  it('turns the rendered schedule entries into a schedule whose coverage ends with the export', () => {
    const schedule = byKey.get('pagerduty:schedule/psch001');
    expect(schedule).toMatchObject({
      type: 'schedule',
      title: 'Payments primary (PagerDuty)',
      data: { timeZone: 'Europe/London', source: 'PagerDuty export', coverageFrom: '2026-12-01T09:00:00Z', coverageUntil: '2026-12-20T09:00:00Z' },
    });
    const calendar = parseCalendar(String(schedule?.data['calendar']));
    const at = new Date('2026-12-05T12:00:00Z'); // a Saturday: the weekend cover
    const [shift] = calendarShifts(calendar, at, new Date(at.getTime() + 1));
    expect(shift?.person).toEqual({ name: 'Ines Duarte', email: 'ines.duarte@example.com' });
  });

  it('refuses a wrong shape, naming the rule and its line, and imports nothing of the file', () => {
    const broken = readFileSync(join(DIR, 'broken.pagerduty.json'), 'utf8');
    const result = parsePagerDutyFile('broken.pagerduty.json', broken);
    expect(result.entries).toEqual([]);
    expect(result.problems.list).toEqual([
      {
        file: 'broken.pagerduty.json',
        line: broken.split('\n').findIndex((l) => l.includes('"PRUL9"')) + 1,
        field: 'escalation_rules',
        message: expect.stringMatching(/rule 1 needs schedule or user targets and a whole escalation_delay_in_minutes \(found "soon"\)/) as unknown,
      },
    ]);
  });

  it('refuses invalid JSON with its line, and an object that is not an export', () => {
    expect(parsePagerDutyFile('x.pagerduty.json', '{\n  "users": [\n    {,\n  ]\n}').problems.list[0]).toMatchObject({ line: 3 });
    expect(parsePagerDutyFile('x.pagerduty.json', '{"dashboards": []}').problems.list[0]?.message).toMatch(/has none/);
  });

  it('is read by the catalog only under a .pagerduty.json name; other JSON stays skipped', () => {
    const bytes = new TextEncoder().encode(EXPORT);
    const content = parseCatalogContent(
      new Map([
        ['oncall/payments.pagerduty.json', bytes],
        ['dashboards/payments.json', bytes],
      ]),
    );
    expect(content.problems).toEqual([]);
    expect(content.entries).toHaveLength(5);
    expect(content.skipped.map((s) => s.file)).toEqual(['dashboards/payments.json']);
  });
});
