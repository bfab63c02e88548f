/**
 * Honest sessions (issue #19, item 6): a service is useful, and meets its
 * RTO, only when what it needs from outside its recover-together group is
 * back too, or when the commander overrides the wait, logged with a reason.
 * Against real vaults; only Date is faked (engine-clock.ts).
 */
import { describe, expect, it } from 'vitest';
import type { RecoverySession, SessionService } from '../../shared/recovery.js';
import { at, MINUTE, T0, useEngineClock } from '../../test/support/engine-clock.js';
import { newVault, PASSPHRASES, unlockAs } from '../../test/support/test-vault.js';
import { auditEntries } from '../vault/audit/vault-audit.js';
import { createRecord } from '../vault/records/vault-records.js';
import { addMember } from '../vault/vault-members.js';
import type { VaultSession } from '../vault/vault-session.js';
import { sessionReport } from './evidence-report.js';
import { endSession, getSession, overrideWaiting, recordCheck, startSession } from './recovery-sessions.js';

const open = useEngineClock();

function service(recovery: RecoverySession, title: string): SessionService {
  const found = recovery.services.find((s) => s.title === title);
  if (!found) {
    throw new Error(`no service ${title} in the session`);
  }
  return found;
}

const minute = (m: number): string => new Date(T0 + m * MINUTE).toISOString();

/**
 * Wave 1 Database; wave 2 Queue ⇄ Scheduler (a group: each needs the other,
 * and Scheduler needs Database); wave 3 Orders API (needs Queue and
 * Database). Each has one validation check.
 */
async function seeded(): Promise<{ dir: string; session: VaultSession }> {
  const created = await newVault();
  open.push(created.session);
  const { session } = created;
  const service = (title: string, dependsOn: string[], rtoMinutes: number) =>
    createRecord(session, { type: 'service', title, data: { rtoMinutes, dependsOn } });
  await service('Database', [], 30);
  await service('Queue', ['Scheduler'], 60);
  await service('Scheduler', ['Queue', 'Database'], 60);
  await service('Orders API', ['Queue', 'Database'], 20);
  for (const title of ['Database', 'Queue', 'Scheduler', 'Orders API']) {
    await createRecord(session, {
      type: 'runbook',
      title: `Recover ${title}`,
      data: { service: title, steps: ['Do it'], validation: [`${title} answers`], estimatedMinutes: 10 },
    });
  }
  return created;
}

describe('useful only when what it needs is back', () => {
  it('a wave-3 service whose checks pass at 0 min waits, named, on its wave-1 dependency, and is useful (and late) when that is back', async () => {
    const { session } = await seeded();
    const recovery = await startSession(session, { kind: 'exercise', scenario: 'Orders down', services: ['Orders API'] });
    expect(recovery.services.map((s) => [s.title, s.wave])).toEqual([
      ['Database', 0],
      ['Queue', 1],
      ['Scheduler', 1],
      ['Orders API', 2],
    ]);
    const database = service(recovery, 'Database').id;
    const queue = service(recovery, 'Queue').id;
    expect(service(recovery, 'Orders API').waitingOn).toEqual([queue, database]);

    let now = await recordCheck(session, recovery.id, 'Orders API', 0, true);
    expect(service(now, 'Orders API').usefulAt).toBeUndefined();
    expect(service(now, 'Orders API').waitingOn).toEqual([queue, database]);

    at(25);
    now = await recordCheck(session, recovery.id, 'Database', 0, true);
    expect(service(now, 'Database')).toMatchObject({ usefulMinutes: 25 });
    expect(service(now, 'Orders API').waitingOn).toEqual([queue]);
    // Inside the group there is no order: Queue does not wait for Scheduler; Scheduler waits only for Database (back).
    expect(service(now, 'Queue').waitingOn).toBeUndefined();
    expect(service(now, 'Scheduler').waitingOn).toBeUndefined();

    at(40);
    now = await recordCheck(session, recovery.id, 'Queue', 0, true);
    expect(service(now, 'Queue')).toMatchObject({ usefulMinutes: 40 });
    // Useful when the last thing it needs is back, 40 min: its 20 min RTO is missed, not "met at 0 min".
    expect(service(now, 'Orders API')).toMatchObject({ usefulAt: minute(40), usefulMinutes: 40 });
    expect(service(now, 'Orders API').waitingOn).toBeUndefined();

    at(45);
    await endSession(session, recovery.id);
    const report = sessionReport(session, recovery.id);
    expect(report.services.find((s) => s.title === 'Orders API')).toMatchObject({ usefulMinutes: 40, verdict: 'missed' });
  });

  it('loses its usefulness when a dependency’s check fails again, and says what it waits on in the report', async () => {
    const { session } = await seeded();
    const recovery = await startSession(session, { kind: 'incident', scenario: 'Orders down', services: ['Orders API'] });
    for (const title of ['Database', 'Queue', 'Scheduler', 'Orders API']) {
      await recordCheck(session, recovery.id, title, 0, true);
    }
    expect(service(getSession(session, recovery.id), 'Orders API').usefulMinutes).toBe(0);

    at(5);
    const now = await recordCheck(session, recovery.id, 'Database', 0, false, 'replica gone');
    expect(service(now, 'Orders API').usefulAt).toBeUndefined();
    expect(service(now, 'Orders API').waitingOn).toEqual([service(now, 'Database').id]);
    expect(service(now, 'Scheduler').usefulAt).toBeUndefined();

    at(10);
    await endSession(session, recovery.id);
    const report = sessionReport(session, recovery.id);
    expect(report.services.find((s) => s.title === 'Orders API')).toMatchObject({ usefulMinutes: null, verdict: 'missed', waitingOn: ['Database'] });
  });
});

describe('the commander’s override', () => {
  it('counts it useful from the override, logged first with the reason and what it was waiting on', async () => {
    const { session } = await seeded();
    const recovery = await startSession(session, { kind: 'exercise', scenario: 'Orders down', services: ['Orders API'] });
    at(3);
    await recordCheck(session, recovery.id, 'Orders API', 0, true);

    at(8);
    const now = await overrideWaiting(session, recovery.id, 'Orders API', 'Orders runs read-only from the cache in this scenario');
    const orders = service(now, 'Orders API');
    expect(orders).toMatchObject({ usefulAt: minute(8), usefulMinutes: 8 });
    expect(orders.override).toEqual({
      at: minute(8),
      by: 'alice',
      reason: 'Orders runs read-only from the cache in this scenario',
      waitingOn: [service(now, 'Queue').id, service(now, 'Database').id],
    });
    const logged = auditEntries(session).filter((e) => e.event.type === 'session.override');
    expect(logged.map((e) => e.event)).toEqual([
      expect.objectContaining({
        actor: 'alice',
        recordTitle: 'Orders API',
        reason: 'Orders runs read-only from the cache in this scenario',
        details: { sessionId: recovery.id, waitingOn: 'Queue, Database' },
      }),
    ]);

    at(9);
    await endSession(session, recovery.id);
    const report = sessionReport(session, recovery.id);
    expect(report.services.find((s) => s.title === 'Orders API')).toMatchObject({
      usefulMinutes: 8,
      verdict: 'met',
      override: { by: 'alice', reason: 'Orders runs read-only from the cache in this scenario', waitingOn: ['Queue', 'Database'] },
    });
  });

  it('needs a reason and something to wait on, and is refused to a responder; nothing refused is logged', async () => {
    const { dir, session } = await seeded();
    const recovery = await startSession(session, { kind: 'exercise', scenario: 'Orders down', services: ['Orders API'] });
    await addMember(session, { name: 'dave', role: 'responder', passphrase: PASSPHRASES['dave'] ?? '' });
    const before = session.internals().log.size;
    await expect(overrideWaiting(session, recovery.id, 'Orders API', '  ')).rejects.toMatchObject({ code: 'VAULT_BAD_INPUT' });
    // Attack: a reason that would erase its own line of `lifeboat audit` on a terminal (issue 15, M6).
    await expect(overrideWaiting(session, recovery.id, 'Orders API', 'ok\u001b[2K\rvault.locked')).rejects.toMatchObject({ code: 'VAULT_BAD_INPUT' });
    await expect(overrideWaiting(session, recovery.id, 'Database', 'it is fine')).rejects.toMatchObject({
      code: 'VAULT_BAD_INPUT',
      message: 'Database is not waiting on any service: there is nothing to override.',
    });
    expect(session.internals().log.size).toBe(before);
    await session.lock();

    const dave = await unlockAs(dir, 'dave');
    open.push(dave);
    await expect(overrideWaiting(dave, recovery.id, 'Orders API', 'trust me')).rejects.toMatchObject({ code: 'VAULT_FORBIDDEN' });
    expect(service(getSession(dave, recovery.id), 'Orders API').override).toBeUndefined();
  });
});
