/**
 * Recovery sessions against real vaults (issue #6): the checklist frozen from
 * the plan, the engine's own timings (time to useful service), the audit
 * trail of every tick, durability across lock/unlock, and who may do what.
 *
 * Only Date is faked: the engine stamps ticks with `new Date()`, so moving the
 * fake clock is how a test says "twenty minutes later", while libsodium,
 * sql.js and the file system keep running for real.
 */
import { describe, expect, it } from 'vitest';
import { LifeboatError } from '../../shared/errors.js';
import type { RecoverySession, SessionService } from '../../shared/recovery.js';
import { at, MINUTE, T0, thrown, useEngineClock } from '../../test/support/engine-clock.js';
import { PASSPHRASES, newVault, unlockAs } from '../../test/support/test-vault.js';
import { auditEntries, verifyAudit } from '../vault/audit/vault-audit.js';
import { addMember } from '../vault/vault-members.js';
import { createRecord } from '../vault/records/vault-records.js';
import type { VaultSession } from '../vault/vault-session.js';
import { addJournal, endSession, getSession, listSessions, markStep, recordCheck, startSession } from './recovery-sessions.js';

const open = useEngineClock();

async function vault(): Promise<{ dir: string; session: VaultSession }> {
  const created = await newVault();
  open.push(created.session);
  return created;
}

async function unlock(dir: string, name: string): Promise<VaultSession> {
  const session = await unlockAs(dir, name);
  open.push(session);
  return session;
}

function service(recovery: RecoverySession, title: string): SessionService {
  const found = recovery.services.find((s) => s.title === title);
  if (!found) {
    throw new Error(`no service ${title} in the session`);
  }
  return found;
}

/**
 * Identity ← Postgres ← Billing API (which also names a Mainframe the vault
 * does not have), and an unrelated Wiki. Postgres has two runbooks (one per
 * failure mode) that share a validation check.
 */
async function seedServices(session: VaultSession): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  const add = async (title: string, data: Record<string, unknown>): Promise<void> => {
    ids[title] = (await createRecord(session, { type: 'service', title, data })).id;
  };
  await add('Identity', { tier: 0, owner: 'iam', rtoMinutes: 30, rpoMinutes: 5, recoveryMethod: 'failover' });
  await add('Postgres', { tier: 1, owner: 'dba', rtoMinutes: 60, rpoMinutes: 15, recoveryMethod: 'restore', dependsOn: ['Identity'] });
  await add('Billing API', { tier: 1, owner: 'billing', rtoMinutes: 90, recoveryMethod: 'redeploy', dependsOn: ['Postgres', 'Mainframe'] });
  await add('Wiki', { tier: 3, rtoMinutes: 480 });
  const runbook = (title: string, data: Record<string, unknown>): Promise<unknown> =>
    createRecord(session, { type: 'runbook', title, data: { lastReviewed: '2026-02-01', ...data } });
  await runbook('Restore Identity', {
    service: 'Identity',
    steps: ['Fail over the IdP', 'Rotate signing keys'],
    validation: ['Login works'],
    estimatedMinutes: 20,
  });
  await runbook('Restore Postgres from backup', {
    service: 'Postgres',
    steps: ['Stop writes', 'Restore base backup'],
    validation: ['SELECT 1 works', 'Replica lag under 1 min'],
    estimatedMinutes: 45,
  });
  await runbook('Fail over Postgres', { service: 'Postgres', steps: ['Promote the replica'], validation: ['SELECT 1 works'], estimatedMinutes: 10 });
  await runbook('Redeploy Billing', { service: 'Billing API', steps: ['Deploy last good build'], validation: ['Invoice page loads', 'Test payment passes'] });
  await runbook('Restore Wiki', { service: 'Wiki', steps: ['Restore pages'], validation: ['Home page loads'] });
  return ids;
}

describe('starting a session', () => {
  it('freezes a checklist per service in wave order, with the dependencies of what was chosen', async () => {
    const { session } = await vault();
    const ids = await seedServices(session);
    const recovery = await startSession(session, { kind: 'exercise', scenario: 'Region outage drill', services: ['Billing API'] });

    // Only Billing was chosen: Postgres and Identity come with it (transitively), Wiki does not.
    expect(recovery.services.map((s) => [s.title, s.wave])).toEqual([
      ['Identity', 0],
      ['Postgres', 1],
      ['Billing API', 2],
    ]);
    expect(recovery.status).toBe('active');
    expect(recovery.startedBy).toBe('alice');
    expect(recovery.startedAt).toBe(new Date(T0).toISOString());

    // One runbook: its steps and checks as written, nothing ticked.
    const identity = service(recovery, 'Identity');
    expect(identity.id).toBe(ids['Identity']);
    expect(identity.rtoMinutes).toBe(30);
    expect(identity.estimatedMinutes).toBe(20);
    expect(identity.steps).toEqual([{ text: 'Fail over the IdP' }, { text: 'Rotate signing keys' }]);
    expect(identity.checks).toEqual([{ text: 'Login works', failures: [] }]);
    expect(identity.usefulAt).toBeUndefined();

    // Two runbooks are alternatives: each step says which runbook it comes from, a shared check appears once.
    const postgres = service(recovery, 'Postgres');
    expect(postgres.runbooks.map((r) => r.title).sort()).toEqual(['Fail over Postgres', 'Restore Postgres from backup']);
    expect(postgres.steps.map((s) => s.text).sort()).toEqual(
      ['Fail over Postgres: Promote the replica', 'Restore Postgres from backup: Stop writes', 'Restore Postgres from backup: Restore base backup'].sort(),
    );
    expect(postgres.checks.map((c) => c.text).sort()).toEqual(['Replica lag under 1 min', 'SELECT 1 works']);
    // The longest runbook decides the estimate (they are alternatives, not a sequence).
    expect(postgres.estimatedMinutes).toBe(45);

    // A dependency the vault does not have is carried, not silently dropped.
    expect(recovery.missing).toEqual([{ serviceId: ids['Billing API'], serviceTitle: 'Billing API', ref: 'Mainframe' }]);
  });

  it('refuses a session with no scenario, no services or an unknown service, and logs nothing', async () => {
    const { session } = await vault();
    await seedServices(session);
    const before = session.internals().log.size;

    await expect(startSession(session, { kind: 'incident', scenario: '   ', services: ['Postgres'] })).rejects.toMatchObject({ code: 'VAULT_BAD_INPUT' });
    await expect(startSession(session, { kind: 'incident', scenario: 'Outage', services: [] })).rejects.toMatchObject({ code: 'VAULT_BAD_INPUT' });
    await expect(startSession(session, { kind: 'incident', scenario: 'Outage', services: ['Postgres', 'Mainframe'] })).rejects.toMatchObject({
      code: 'VAULT_NOT_FOUND',
      message: expect.stringContaining('Mainframe') as unknown,
    });

    expect(session.internals().log.size).toBe(before);
    expect(listSessions(session)).toEqual([]);
  });

  it('lists services that depend on each other together, in their group’s wave, and keeps the group', async () => {
    const { session } = await vault();
    const ids = await seedServices(session);
    await createRecord(session, { type: 'service', title: 'Queue', data: { dependsOn: ['Scheduler', 'Postgres'] } });
    await createRecord(session, { type: 'service', title: 'Scheduler', data: { dependsOn: ['Queue'] } });
    await createRecord(session, { type: 'service', title: 'Auditor', data: { dependsOn: ['Postgres'] } });
    const recovery = await startSession(session, { kind: 'exercise', scenario: 'Queue outage drill', services: ['Scheduler', 'Auditor'] });

    // Queue and Scheduler need each other: one group, after Postgres, listed side by side (Auditor first by title).
    expect(recovery.services.map((s) => [s.title, s.wave, s.group])).toEqual([
      ['Identity', 0, undefined],
      ['Postgres', 1, undefined],
      ['Auditor', 2, undefined],
      ['Queue', 2, 0],
      ['Scheduler', 2, 0],
    ]);
    expect(recovery.groups).toEqual([{ index: 0, wave: 2, services: [service(recovery, 'Queue').id, service(recovery, 'Scheduler').id] }]);
    expect(getSession(session, recovery.id).groups).toEqual(recovery.groups);
    expect(ids['Postgres']).toBe(service(recovery, 'Postgres').id);
  });
});

describe('time to useful service', () => {
  it('is measured from the start to the last passing check, and undone by a later failure', async () => {
    const { session } = await vault();
    await seedServices(session);
    const recovery = await startSession(session, { kind: 'incident', scenario: 'Primary database lost', services: ['Postgres'] });
    const pg = 'Postgres';
    // Postgres needs Identity (wave 1): it is back first (session-usefulness.test.ts: what happens when it is not).
    at(5);
    await recordCheck(session, recovery.id, 'Identity', 0, true);

    at(10);
    let now = await recordCheck(session, recovery.id, pg, 0, true);
    expect(service(now, pg).checks[0]).toMatchObject({ passedAt: new Date(T0 + 10 * MINUTE).toISOString(), passedBy: 'alice' });
    expect(service(now, pg).usefulAt).toBeUndefined();

    at(20);
    // A failure must say what it showed: that note is the evidence.
    await expect(recordCheck(session, recovery.id, pg, 1, false, '  ')).rejects.toMatchObject({ code: 'VAULT_BAD_INPUT' });
    await expect(recordCheck(session, recovery.id, pg, 1, false)).rejects.toMatchObject({ code: 'VAULT_BAD_INPUT' });
    now = await recordCheck(session, recovery.id, pg, 1, false, 'Replica 12 minutes behind');
    expect(service(now, pg).checks[1]?.failures).toEqual([{ at: at(20), by: 'alice', note: 'Replica 12 minutes behind' }]);
    expect(service(now, pg).usefulAt).toBeUndefined();

    const useful = at(35);
    now = await recordCheck(session, recovery.id, pg, 1, true);
    expect(service(now, pg)).toMatchObject({ usefulAt: useful, usefulMinutes: 35 });
    // The failure stays on record even though the check passes now.
    expect(service(now, pg).checks[1]?.failures).toHaveLength(1);
    expect(service(now, 'Identity')).toMatchObject({ usefulAt: new Date(T0 + 5 * MINUTE).toISOString(), usefulMinutes: 5 });

    at(40);
    now = await recordCheck(session, recovery.id, pg, 0, false, 'SELECT 1 times out again');
    expect(service(now, pg).usefulAt).toBeUndefined();
    expect(service(now, pg).usefulMinutes).toBeUndefined();
    expect(service(now, pg).checks[0]?.passedAt).toBeUndefined();

    // Useful again only when every check has passed again, timed from the session's start.
    at(52.5);
    now = await recordCheck(session, recovery.id, pg, 0, true, 'fixed the pool');
    expect(service(now, pg)).toMatchObject({ usefulAt: new Date(T0 + 52.5 * MINUTE).toISOString(), usefulMinutes: 52.5 });
    expect(getSession(session, recovery.id)).toEqual(now);
  });

  it('stamps steps with the engine clock and the member, and unticking clears both', async () => {
    const { session } = await vault();
    await seedServices(session);
    const recovery = await startSession(session, { kind: 'exercise', scenario: 'Drill', services: ['Identity'] });

    const ticked = at(7);
    let now = await markStep(session, recovery.id, 'Identity', 1, true);
    expect(service(now, 'Identity').steps).toEqual([{ text: 'Fail over the IdP' }, { text: 'Rotate signing keys', at: ticked, by: 'alice' }]);

    at(9);
    now = await markStep(session, recovery.id, 'Identity', 1, false);
    expect(service(now, 'Identity').steps[1]).toEqual({ text: 'Rotate signing keys' });
    // A service is addressed by id as well as by title.
    now = await markStep(session, recovery.id, service(now, 'Identity').id, 0, true);
    expect(service(now, 'Identity').steps[0]).toEqual({ text: 'Fail over the IdP', at: at(9), by: 'alice' });
  });

  it('refuses an item index out of range, naming the service, and a service outside the session', async () => {
    const { session } = await vault();
    await seedServices(session);
    const recovery = await startSession(session, { kind: 'exercise', scenario: 'Drill', services: ['Identity'] });
    const before = session.internals().log.size;

    for (const index of [2, -1, 1.5]) {
      await expect(markStep(session, recovery.id, 'Identity', index, true)).rejects.toMatchObject({
        code: 'VAULT_BAD_INPUT',
        message: expect.stringContaining('Identity') as unknown,
      });
    }
    await expect(recordCheck(session, recovery.id, 'Identity', 1, true)).rejects.toMatchObject({
      code: 'VAULT_BAD_INPUT',
      message: expect.stringContaining('Identity') as unknown,
    });
    await expect(markStep(session, recovery.id, 'Wiki', 0, true)).rejects.toMatchObject({
      code: 'VAULT_NOT_FOUND',
      message: expect.stringContaining('Wiki') as unknown,
    });
    await expect(addJournal(session, recovery.id, { kind: 'note', serviceId: 'Wiki', text: 'x' })).rejects.toMatchObject({ code: 'VAULT_NOT_FOUND' });
    await expect(markStep(session, 'ses-0000000000', 'Identity', 0, true)).rejects.toMatchObject({ code: 'VAULT_NOT_FOUND' });
    // Nothing refused reached the log or the session.
    expect(session.internals().log.size).toBe(before);
    expect(getSession(session, recovery.id)).toEqual(recovery);
  });
});

describe('the audit trail and durability', () => {
  it('logs every change with the session id, and the log still verifies', async () => {
    const { session } = await vault();
    await seedServices(session);
    const recovery = await startSession(session, { kind: 'incident', scenario: 'IdP down', services: ['Identity'] });
    const identityId = service(recovery, 'Identity').id;
    at(3);
    await markStep(session, recovery.id, 'Identity', 0, true);
    at(4);
    await recordCheck(session, recovery.id, 'Identity', 0, false, 'SAML assertion rejected');
    at(5);
    await addJournal(session, recovery.id, { kind: 'blocker', serviceId: 'Identity', text: 'HSM card in the other office' });
    at(6);
    await recordCheck(session, recovery.id, 'Identity', 0, true);
    at(8);
    await endSession(session, recovery.id);

    const events = auditEntries(session).filter((entry) => entry.event.details?.['sessionId'] === recovery.id);
    expect(events.map((entry) => entry.event.type)).toEqual([
      'session.started',
      'session.step',
      'session.check',
      'session.journal',
      'session.check',
      'session.ended',
    ]);
    expect(events.map((entry) => entry.event.actor)).toEqual(Array<string>(6).fill('alice'));
    const [started, step, failed, journal, passed, ended] = events.map((entry) => entry.event);
    expect(started).toMatchObject({ reason: 'IdP down', details: { kind: 'incident', services: 1 } });
    expect(step).toMatchObject({ recordId: identityId, recordTitle: 'Identity', details: { step: 1, done: true } });
    expect(failed).toMatchObject({ recordId: identityId, reason: 'SAML assertion rejected', details: { check: 1, passed: false } });
    expect(journal).toMatchObject({ recordId: identityId, reason: 'HSM card in the other office', details: { kind: 'blocker' } });
    expect(passed).toMatchObject({ details: { check: 1, passed: true } });
    expect(ended).toMatchObject({ details: { useful: 1, services: 1 } });
    // Each event carries the engine's time of the change.
    expect(events.map((entry) => entry.time)).toEqual([0, 3, 4, 5, 6, 8].map((m) => new Date(T0 + m * MINUTE).toISOString()));
    expect(verifyAudit(session).records).toBe(session.internals().log.size);
  });

  it('keeps the session and every tick across lock and unlock; an ended session is frozen', async () => {
    const { dir, session } = await vault();
    await seedServices(session);
    const first = await startSession(session, { kind: 'exercise', scenario: 'Quarterly drill', services: ['Identity'] });
    at(5);
    await markStep(session, first.id, 'Identity', 0, true);
    at(12);
    await recordCheck(session, first.id, 'Identity', 0, true);
    at(13);
    const beforeLock = await addJournal(session, first.id, { kind: 'note', text: 'Went smoothly' });
    await session.lock();

    at(60);
    const alice = await unlock(dir, 'alice');
    expect(getSession(alice, first.id)).toEqual(beforeLock);
    const ended = await endSession(alice, first.id);
    expect(ended).toMatchObject({ status: 'ended', endedAt: at(60), endedBy: 'alice' });

    for (const attempt of [
      () => markStep(alice, first.id, 'Identity', 1, true),
      () => recordCheck(alice, first.id, 'Identity', 0, false, 'late'),
      () => addJournal(alice, first.id, { kind: 'note', text: 'after the fact' }),
      () => endSession(alice, first.id),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: 'SESSION_ENDED' });
    }
    expect(getSession(alice, first.id)).toEqual(ended);

    at(90);
    const second = await startSession(alice, { kind: 'incident', scenario: 'Real outage', services: ['Postgres'] });
    const summaries = listSessions(alice);
    // Newest first, with how many services became useful.
    expect(summaries).toEqual([
      { id: second.id, kind: 'incident', scenario: 'Real outage', status: 'active', startedAt: second.startedAt, services: 2, useful: 0 },
      {
        id: first.id,
        kind: 'exercise',
        scenario: 'Quarterly drill',
        status: 'ended',
        startedAt: first.startedAt,
        endedAt: ended.endedAt,
        services: 1,
        useful: 1,
      },
    ]);
    await alice.lock();
    // The ended state itself survives a restart too.
    const again = await unlock(dir, 'alice');
    expect(getSession(again, first.id)).toEqual(ended);
    expect(listSessions(again).map((s) => s.id)).toEqual([second.id, first.id]);
  });
});

describe('permissions', () => {
  it('lets a responder tick steps and checks and add notes, but not start or end a session', async () => {
    const { dir, session } = await vault();
    await seedServices(session);
    await addMember(session, { name: 'dave', role: 'responder', passphrase: PASSPHRASES['dave'] ?? '' });
    const recovery = await startSession(session, { kind: 'incident', scenario: 'IdP down', services: ['Identity'] });
    await session.lock();

    const dave = await unlock(dir, 'dave');
    at(4);
    await markStep(dave, recovery.id, 'Identity', 0, true);
    await recordCheck(dave, recovery.id, 'Identity', 0, true);
    const noted = await addJournal(dave, recovery.id, { kind: 'unblocked', serviceId: 'Identity', text: 'Found the HSM card' });
    expect(service(noted, 'Identity').steps[0]).toMatchObject({ by: 'dave' });
    expect(service(noted, 'Identity').checks[0]).toMatchObject({ passedBy: 'dave' });
    expect(noted.journal).toEqual([{ at: at(4), by: 'dave', kind: 'unblocked', serviceId: service(noted, 'Identity').id, text: 'Found the HSM card' }]);

    const before = dave.internals().log.size;
    await expect(startSession(dave, { kind: 'incident', scenario: 'Mine', services: ['Wiki'] })).rejects.toMatchObject({ code: 'VAULT_FORBIDDEN' });
    await expect(endSession(dave, recovery.id)).rejects.toMatchObject({ code: 'VAULT_FORBIDDEN' });
    expect(dave.internals().log.size).toBe(before);
    expect(getSession(dave, recovery.id).status).toBe('active');
  });

  it('does not let an auditor read sessions (they hold audit keys, not content)', async () => {
    const { dir, session } = await vault();
    await seedServices(session);
    await addMember(session, { name: 'carol', role: 'auditor', passphrase: PASSPHRASES['carol'] ?? '' });
    const recovery = await startSession(session, { kind: 'exercise', scenario: 'Drill', services: ['Identity'] });
    await session.lock();

    const carol = await unlock(dir, 'carol');
    expect(thrown(() => getSession(carol, recovery.id)).code).toBe('VAULT_FORBIDDEN');
    expect(thrown(() => listSessions(carol)).code).toBe('VAULT_FORBIDDEN');
    await expect(markStep(carol, recovery.id, 'Identity', 0, true)).rejects.toMatchObject({ code: 'VAULT_FORBIDDEN' });
    // What they can do is see that the session happened, in the log.
    expect(auditEntries(carol).some((entry) => entry.event.type === 'session.started' && entry.event.details?.['sessionId'] === recovery.id)).toBe(true);
  });
});

describe('naming a service of a session', () => {
  it('accepts its id, its title in any case, or the entity ref the vault resolves', async () => {
    const { session } = await vault();
    const ids = await seedServices(session);
    const catalogRef = { catalogId: 'ops', key: 'component:default/ledger', file: 'ledger.yaml', catalogVersion: 1, syncedRevision: 1, entryHash: 'h' };
    ids['Ledger'] = (await createRecord(session, { type: 'service', title: 'Ledger', data: { dependsOn: [], catalogRef } })).id;
    await createRecord(session, {
      type: 'runbook',
      title: 'Restore Ledger',
      data: { service: ids['Ledger'], steps: ['Restore it'], validation: ['Balances add up'] },
    });
    const recovery = await startSession(session, { kind: 'exercise', scenario: 'naming', services: ['component:ledger', 'identity'] });
    // A runbook may name its service by record id: its steps are in the checklist.
    expect(service(recovery, 'Ledger').steps.map((s) => s.text)).toEqual(['Restore it']);
    for (const name of [ids['Ledger'] ?? '', 'Ledger', 'ledger', 'component:ledger', 'component:default/ledger']) {
      const updated = await markStep(session, recovery.id, name, 0, true);
      expect(service(updated, 'Ledger').steps[0]?.at, name).toBeDefined();
    }
    const journal = await addJournal(session, recovery.id, { kind: 'note', serviceId: 'IDENTITY', text: 'IdP back' });
    expect(journal.journal.at(-1)?.serviceId).toBe(ids['Identity']);
  });

  it('refuses a title two services of the session share instead of guessing', async () => {
    const { session } = await vault();
    await createRecord(session, { type: 'service', title: 'db', data: { dependsOn: [] } });
    await createRecord(session, { type: 'service', title: 'DB', data: { dependsOn: [] } });
    const all = await startSession(session, { kind: 'exercise', scenario: 'twins', services: listIds(session) });
    const error = await markStep(session, all.id, 'db', 0, true).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LifeboatError);
    expect((error as LifeboatError).code).toBe('VAULT_BAD_INPUT');
    expect((error as LifeboatError).message).toMatch(/Several services .* "db"/);
  });
});

function listIds(session: VaultSession): string[] {
  return session
    .store()
    .list('service')
    .map((s) => s.id);
}
