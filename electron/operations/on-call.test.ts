/**
 * Who is on call (issue 23), through a vault that synced the on-call
 * fixture catalog (test/fixtures/oncall/catalog): schedules, escalation
 * policies, a PagerDuty export, Backstage services and contacts. One vault
 * for the file: every test only reads (and logs).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceOnCall } from '../../shared/on-call.js';
import { packCatalog } from '../catalog/catalog-manifest.js';
import { syncCatalog } from '../catalog/catalog-sync.js';
import { trustPublisher } from '../catalog/catalog-trust.js';
import { encodeBase64, generatePublisherKey, writePublisherKey } from '../catalog/publisher-key.js';
import { auditEntries } from '../vault/audit/vault-audit.js';
import type { VaultSession } from '../vault/vault-session.js';
import { newVault } from '../../test/support/test-vault.js';
import { onCall } from './on-call.js';
import { readinessOf } from './recovery.js';
import { readSettings, setOnCallWarningDays } from './vault-access.js';

const CATALOG = join(process.cwd(), 'test/fixtures/oncall/catalog');
let session: VaultSession;

beforeAll(async () => {
  ({ session } = await newVault());
  await syncCatalog(session, { kind: 'unsigned', dir: CATALOG, catalogId: 'oncall' });
}, 60_000);

afterAll(async () => {
  await session.lock();
});

const NOW = new Date('2026-12-07T21:00:00Z');

async function forService(name: string, at: string): Promise<ServiceOnCall> {
  const report = await onCall(session, { services: [name], at: new Date(at) }, NOW);
  const [answer] = report.services;
  if (!answer) {
    throw new Error('no answer');
  }
  return answer;
}

function firstSchedule(answer: ServiceOnCall) {
  const target = answer.levels[0]?.targets[0];
  if (target?.kind !== 'schedule' || !target.schedule) {
    throw new Error('level 1 is not a schedule');
  }
  return target.schedule;
}

describe('on call for a service', () => {
  it('resolves the path: level 1 the rota now (phone from the contact, matched by e-mail), who is next and from when, level 2', async () => {
    const answer = await forService('Ledger', '2026-12-08T12:00:00Z');
    expect(answer.policy?.title).toBe('Ledger escalation');
    const schedule = firstSchedule(answer);
    expect(schedule.now).toMatchObject({
      name: 'Ana Lima',
      match: 'email',
      phones: ['+44 7700 900001'],
      channels: expect.arrayContaining(['signal:+447700900001']) as unknown,
    });
    expect(schedule.nowUntil).toBe('2026-12-14T09:00:00Z');
    expect(schedule.next).toMatchObject({ person: { name: 'Ben Okafor', phones: ['+44 7700 900002'] }, from: '2026-12-14T09:00:00Z' });
    expect(answer.levels[0]?.escalateAfterMinutes).toBe(30);
    expect(answer.levels[1]).toMatchObject({
      level: 2,
      escalateAfterMinutes: 15,
      // The policy names her, so she is found by name (flagged), with the PagerDuty user's phone.
      targets: [{ kind: 'person', name: 'Grace Hopper', person: { match: 'name', phones: ['+44 7700900123'] } }],
    });
    expect(answer.notices).toEqual([]);
    expect(answer.fallback).toBeNull();
  });

  it('--at across a hand-over: the minute before and the minute of 09:00 London (GMT) on Monday 14 December', async () => {
    expect(firstSchedule(await forService('Ledger', '2026-12-14T08:59:00Z')).now?.name).toBe('Ana Lima');
    expect(firstSchedule(await forService('Ledger', '2026-12-14T09:00:00Z')).now?.name).toBe('Ben Okafor');
  });

  it('flags a person found by name only', async () => {
    expect(firstSchedule(await forService('Ledger', '2026-12-01T12:00:00Z')).now).toMatchObject({
      name: 'Chloe Martin',
      match: 'name',
      phones: ['+44 7700 900003'],
    });
  });

  it('past the export: nobody on call, said plainly, and the contacts escalation order instead', async () => {
    const answer = await forService('Payments API', '2026-12-21T10:00:00Z');
    expect(answer.policy?.title).toBe('Payments'); // linked by pagerduty.com/service-id
    const schedule = firstSchedule(answer);
    expect(schedule.now).toBeNull();
    expect(schedule.notice).toBe('PagerDuty export ends 2026-12-20 09:00 GMT; after that: escalation contacts by hand.');
    expect(answer.notices).toContain(schedule.notice);
    expect(answer.fallback?.map((c) => [c.name, c.phones[0]])).toEqual([
      ['Duty manager', '+44 20 7946 0000'],
      ['Priya Shah', '+44 7700 900099'],
    ]);
  });

  it('inside the export, the PagerDuty rota answers', async () => {
    const schedule = firstSchedule(await forService('Payments API', '2026-12-19T10:00:00Z'));
    expect(schedule.now?.name).toBe('Ines Duarte');
    expect(schedule.nowUntil).toBe('2026-12-20T09:00:00Z');
    expect(schedule.next).toBeNull();
  });

  it('a gap in coverage (an EXDATE week) is a gap, with the fallback, never the last person', async () => {
    const answer = await forService('Ledger', '2026-11-25T12:00:00Z');
    expect(firstSchedule(answer).now).toBeNull();
    expect(answer.notices[0]).toMatch(/Nobody is on the Payments primary rota at this time \(a gap in coverage until 2026-11-30 09:00 GMT\)/);
    expect(answer.fallback?.[0]?.name).toBe('Duty manager');
  });

  it('a service with no escalation path says so and gives the escalation order', async () => {
    const answer = await forService('Legacy batch', '2026-12-08T12:00:00Z');
    expect(answer.policy).toBeNull();
    expect(answer.notices).toEqual(['Legacy batch has no escalation path in the vault; escalation contacts by hand.']);
    expect(answer.fallback?.length).toBe(2);
  });

  it('refuses an unknown service with a typed error', async () => {
    await expect(onCall(session, { services: ['Nope'] }, NOW)).rejects.toMatchObject({ code: 'VAULT_NOT_FOUND' });
  });
});

describe('every schedule at a time', () => {
  it('lists each schedule with its person on call and phones', async () => {
    const report = await onCall(session, { at: new Date('2026-12-08T12:00:00Z') }, NOW);
    const now = Object.fromEntries(report.schedules.map((s) => [s.title, s.now ? `${s.now.name} ${s.now.phones.join(' ')}` : null]));
    expect(now).toMatchObject({
      'Payments primary': 'Ana Lima +44 7700 900001',
      'Payments primary (PagerDuty)': 'Hiro Tanaka +44 7700900456',
      'Holiday cover': null,
    });
    expect(now['Platform NYC']).toMatch(/^(Dana Reyes \+1 212 555 0101|Eli Novak \+1 212 555 0102)$/);
  });
});

describe('the clock and the log', () => {
  it('warns when the laptop clock is earlier than the newest audit event', async () => {
    const report = await onCall(session, {}, new Date('2025-01-01T00:00:00Z'));
    expect(report.clock.suspect).toBe(true);
    expect(report.clock.warning).toMatch(/earlier than the newest audit event/);
  });

  it('logs the lookup before answering, naming the records read', async () => {
    const before = auditEntries(session).length;
    const report = await onCall(session, { services: ['Ledger'], at: new Date('2026-12-08T12:00:00Z') }, NOW);
    const events = auditEntries(session).slice(before);
    expect(events.map((e) => e.event.type)).toEqual(['oncall.opened']);
    const records = String(events[0]?.event.details?.['records']).split(',');
    const schedule = firstSchedule(report.services[0] as ServiceOnCall);
    expect(records).toEqual(expect.arrayContaining([report.services[0]?.service.id, schedule.id, schedule.now?.contact?.id]) as unknown);
  });
});

describe('the readiness review', () => {
  it('names the synced service no escalation policy reaches, and only that one', () => {
    const review = readinessOf(session, {});
    const without = review.services.filter((s) => s.findings.some((f) => f.rule === 'no-escalation-path')).map((s) => s.title);
    expect(without).toEqual(['Legacy batch']);
  });

  it('warns before a schedule export ends as far ahead as the owner sets, logged (default 7 days)', async () => {
    // The fixture rota's export ends 2026-12-28 09:00 GMT: 18 days after this "now".
    const now = new Date('2026-12-10T12:00:00Z');
    const ending = (): string[] =>
      readinessOf(session, { now })
        .vault.filter((f) => f.rule === 'oncall-export-ending')
        .map((f) => f.message);
    expect(readSettings(session).onCallWarningDays).toBe(7);
    expect(ending()).toEqual([]);
    await setOnCallWarningDays(session, 21);
    expect(ending().length).toBeGreaterThan(0);
    expect(ending().every((m) => m.includes('within 21 days'))).toBe(true);
    expect(auditEntries(session).at(-1)?.event).toMatchObject({ type: 'vault.settings-changed', details: { onCallExportWarningDays: 21 } });
    await expect(setOnCallWarningDays(session, 366)).rejects.toMatchObject({ code: 'VAULT_BAD_INPUT' });
    await setOnCallWarningDays(session, 7);
  });
});

describe('the clock and a signed catalog', () => {
  it('warns when the laptop clock is earlier than the signing time of the catalog it synced', async () => {
    const { session: signed } = await newVault();
    try {
      const work = await mkdtemp(join(tmpdir(), 'lifeboat-oncall-signed-'));
      const key = await generatePublisherKey('Platform team');
      const keyPath = join(work, 'platform.key');
      await writePublisherKey(keyPath, key);
      // Packed by a publisher whose clock says 2030: this laptop's clock (now) is earlier than that.
      const packed = await packCatalog({ srcDir: CATALOG, keyPath, catalogVersion: 1, catalogId: 'oncall', now: new Date('2030-01-01T00:00:00Z') });
      await trustPublisher(signed, { name: 'Platform team', keyId: key.keyId, publicKey: encodeBase64(key.publicKey) });
      await syncCatalog(signed, { kind: 'signed', bytes: packed.bytes, label: 'oncall.lbcat' });
      const report = await onCall(signed, {}, new Date());
      expect(report.clock.suspect).toBe(true);
      expect(report.clock.warning).toMatch(/earlier than the signing time of the last catalog synced \(2030-01-01T00:00:00.000Z\)/);
    } finally {
      await signed.lock();
    }
  });
});
