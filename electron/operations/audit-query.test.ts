/**
 * The auditor's window filters (shared/audit-filter.ts) over a synthetic log:
 * each dimension alone, combined, sessions by kind, the built-in views, and
 * a 100,000-event log answered a page at a time fast enough to type into.
 */
import { describe, expect, it } from 'vitest';
import { builtInViews, LOCAL_DEVICE, type AuditFilter } from '../../shared/audit-filter.js';
import type { AuditEntry } from '../vault/audit/vault-audit.js';
import { filterAuditEntries } from './audit-query.js';

let seq = 0;
function entry(time: string, type: string, actor: string, extra: Partial<AuditEntry['event']> = {}): AuditEntry {
  return {
    seq: seq++,
    time,
    epoch: 1,
    event: { type: type as AuditEntry['event']['type'], actor, role: actor === 'carol' ? 'auditor' : 'owner', salt: 's', ...extra },
  };
}

const LOG: AuditEntry[] = [
  entry('2026-01-05T09:00:00.000Z', 'vault.unlocked', 'alice', { reason: 'routine' }),
  entry('2026-01-05T09:01:00.000Z', 'secret.revealed', 'alice', { recordId: 'sec-a', recordTitle: 'AWS root', reason: 'key audit' }),
  entry('2026-02-10T10:00:00.000Z', 'session.started', 'bob', { reason: 'DB down', details: { sessionId: 'ses-1', kind: 'incident' } }),
  entry('2026-02-10T10:05:00.000Z', 'secret.revealed', 'bob', {
    recordId: 'sec-b',
    recordTitle: 'Orders DB',
    reason: 'INC-42 restore',
    details: { device: 'laptop-b' },
  }),
  entry('2026-02-10T10:30:00.000Z', 'session.ended', 'bob', { details: { sessionId: 'ses-1', kind: 'incident' } }),
  entry('2026-03-01T08:00:00.000Z', 'session.started', 'bob', { reason: 'drill', details: { sessionId: 'ses-2', kind: 'exercise' } }),
  entry('2026-03-01T08:10:00.000Z', 'secret.copied', 'bob', { recordId: 'sec-a', recordTitle: 'AWS root', reason: 'drill login' }),
  entry('2026-03-01T09:00:00.000Z', 'session.ended', 'bob', { details: { sessionId: 'ses-2', kind: 'exercise' } }),
  entry('2026-03-02T12:00:00.000Z', 'member.added', 'alice', { details: { member: 'dave', role: 'responder' } }),
];

const titles = (filter: AuditFilter): string[] => filterAuditEntries(LOG, filter, 0, 100).entries.map((e) => `${e.event.type}:${e.event.recordTitle ?? ''}`);

describe('audit filters', () => {
  it('newest first, with what the pickers offer from the whole log', () => {
    const page = filterAuditEntries(LOG, {}, 0, 3);
    expect(page.entries.map((e) => e.seq)).toEqual([8, 7, 6]);
    // "Show more" asks for the next page from where the window is.
    expect(filterAuditEntries(LOG, {}, 3, 3).entries.map((e) => e.seq)).toEqual([5, 4, 3]);
    expect(filterAuditEntries(LOG, { member: 'alice' }, 2, 3).entries.map((e) => e.seq)).toEqual([0]);
    expect(page).toMatchObject({ total: 9, logSize: 9, members: ['alice', 'bob'], devices: ['laptop-b', LOCAL_DEVICE] });
    expect(page.records).toEqual([
      { id: 'sec-a', title: 'AWS root' },
      { id: 'sec-b', title: 'Orders DB' },
    ]);
  });

  it('by period (a bare "to" date includes its day), member, record, type, device and reason words', () => {
    expect(titles({ from: '2026-02-10', to: '2026-02-10' })).toHaveLength(3);
    expect(titles({ member: 'alice' })).toEqual(['member.added:', 'secret.revealed:AWS root', 'vault.unlocked:']);
    expect(titles({ record: 'sec-a' })).toEqual(['secret.copied:AWS root', 'secret.revealed:AWS root']);
    expect(titles({ types: ['secret.revealed', 'secret.copied'], member: 'bob' })).toEqual(['secret.copied:AWS root', 'secret.revealed:Orders DB']);
    expect(titles({ device: 'laptop-b' })).toEqual(['secret.revealed:Orders DB']);
    expect(titles({ text: 'inc-42 RESTORE' })).toEqual(['secret.revealed:Orders DB']);
    expect(titles({ text: 'restore nothing-like-this' })).toEqual([]);
  });

  it('by the kind of session an event fell in (after its start, before its end)', () => {
    expect(titles({ during: 'incident' })).toEqual(['secret.revealed:Orders DB']);
    expect(titles({ during: 'exercise' })).toEqual(['secret.copied:AWS root']);
    expect(titles({ during: 'any-session' })).toHaveLength(2);
  });

  it('built-in views: "reveals in incidents this quarter" finds the incident reveal of this quarter only', () => {
    const views = builtInViews(new Date('2026-03-15T00:00:00Z'));
    const incidents = views.find((v) => v.name === 'Reveals in incidents this quarter');
    expect(incidents?.filter.from).toBe('2026-01-01');
    expect(titles(incidents?.filter ?? {})).toEqual(['secret.revealed:Orders DB']);
    expect(titles(builtInViews(new Date('2026-04-02T00:00:00Z'))[0]?.filter ?? {})).toEqual([]);
    expect(titles(views.find((v) => v.name === 'Configuration changes')?.filter ?? {})).toEqual(['member.added:']);
  });

  it('a 100,000-event log: a filtered page in well under a second', () => {
    const big: AuditEntry[] = [];
    for (let i = 0; i < 100_000; i++) {
      const time = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
      big.push(
        entry(time, i % 10 === 0 ? 'secret.revealed' : 'record.opened', i % 3 === 0 ? 'bob' : 'alice', {
          recordId: `r${i % 50}`,
          recordTitle: `Record ${i % 50}`,
          reason: `ticket ${i}`,
        }),
      );
    }
    const started = performance.now();
    const page = filterAuditEntries(big, { types: ['secret.revealed'], member: 'bob', text: 'ticket' }, 0, 200);
    const ms = performance.now() - started;
    expect(page.total).toBe(3334);
    expect(page.entries).toHaveLength(200);
    expect(ms).toBeLessThan(1500);
  });
});
