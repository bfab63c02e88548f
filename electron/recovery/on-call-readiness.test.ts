/**
 * The readiness review's on-call findings (issue 23), one test per rule,
 * on the on-call fixture calendars (test/fixtures/oncall/catalog).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScheduleFile } from '../catalog/schedule-calendar.js';
import { onCallFindings } from './on-call-readiness.js';
import type { OnCallRecord, OnCallRecords } from './on-call.js';

const DIR = join(process.cwd(), 'test/fixtures/oncall/catalog/schedules');

function schedule(file: string): OnCallRecord {
  const { entry } = parseScheduleFile(file, readFileSync(join(DIR, file), 'utf8'));
  if (!entry) {
    throw new Error(`${file} did not parse`);
  }
  return { id: `sch-${file}`, title: entry.title, data: entry.data };
}

const contact = (title: string, data: Record<string, unknown>): OnCallRecord => ({ id: `ct-${title}`, title, data });
const PHONES: OnCallRecord[] = [
  contact('Ana Lima', { phones: ['+44 1'], emails: ['ana.lima@example.com'] }),
  contact('Ben Okafor', { phones: ['+44 2'], emails: ['ben.okafor@example.com'] }),
  contact('Chloe Martin', { phones: ['+44 3'] }),
];

function records(over: Partial<OnCallRecords>): OnCallRecords {
  return { services: [], escalations: [], schedules: [schedule('payments-primary.ics')], contacts: PHONES, ...over };
}

const rules = (findings: { rule: string }[]): string[] => findings.map((f) => f.rule);

describe('on-call readiness findings', () => {
  it('a schedule export ending within 7 days (high), and one that has ended (critical)', () => {
    const soon = onCallFindings(records({}), new Date('2026-12-22T12:00:00Z')).vault;
    expect(soon).toContainEqual(
      expect.objectContaining({
        rule: 'oncall-export-ending',
        severity: 'high',
        message: expect.stringContaining('ends 2026-12-28 09:00 GMT, within 7 days') as unknown,
      }),
    );
    expect(rules(onCallFindings(records({}), new Date('2026-12-10T12:00:00Z')).vault)).not.toContain('oncall-export-ending');
    const ended = onCallFindings(records({}), new Date('2027-01-05T12:00:00Z')).vault;
    expect(ended).toEqual([expect.objectContaining({ rule: 'oncall-export-ending', severity: 'critical' })]);
  });

  it('a gap in coverage in the next 14 days (the EXDATE week), named with its times', () => {
    const { vault } = onCallFindings(records({}), new Date('2026-11-20T12:00:00Z'));
    expect(vault).toContainEqual(
      expect.objectContaining({ rule: 'oncall-gap', message: expect.stringContaining('from 2026-11-23 09:00 GMT to 2026-11-30 09:00 GMT') as unknown }),
    );
    expect(rules(onCallFindings(records({}), new Date('2026-12-01T12:00:00Z')).vault)).not.toContain('oncall-gap');
  });

  it('someone on call in the next 14 days with no phone in the vault', () => {
    const withoutBen = records({ contacts: PHONES.filter((c) => c.title !== 'Ben Okafor') });
    const { vault } = onCallFindings(withoutBen, new Date('2026-12-08T12:00:00Z'));
    expect(vault).toContainEqual(
      expect.objectContaining({ rule: 'oncall-no-phone', message: expect.stringContaining('no phone in the vault: Ben Okafor.') as unknown }),
    );
    expect(rules(onCallFindings(records({}), new Date('2026-12-08T12:00:00Z')).vault)).not.toContain('oncall-no-phone');
  });

  it('a service no escalation policy reaches; none at all in a vault that keeps no on-call data', () => {
    const services = [
      { id: 'svc-a', title: 'Ledger', data: {} },
      { id: 'svc-b', title: 'Search', data: {} },
    ];
    const escalations = [{ id: 'esc-1', title: 'Ledger escalation', data: { levels: ['schedule Payments primary'], services: ['ledger'] } }];
    const found = onCallFindings(records({ services, escalations }), new Date('2026-12-08T12:00:00Z'));
    expect([...found.services.keys()]).toEqual(['svc-b']);
    expect(found.services.get('svc-b')).toEqual([expect.objectContaining({ rule: 'no-escalation-path', severity: 'medium' })]);
    const none = onCallFindings({ services, escalations: [], schedules: [], contacts: [] }, new Date());
    expect(none.services.size + none.vault.length).toBe(0);
  });
});
