/**
 * The evidence report of an ended session, from a real vault (issue #6):
 * verdicts against RTO, the steps that caused delay, failed checks, the
 * journal, and which secrets were revealed inside the session's window and
 * whether each has been rotated since. Only Date is faked, so every tick and
 * every audit event gets the time the test chooses.
 */
import { describe, expect, it } from 'vitest';
import type { EvidenceReport } from '../../shared/recovery.js';
import { at, MINUTE, T0, thrown, useEngineClock } from '../../test/support/engine-clock.js';
import { PASSPHRASES, newVault, unlockAs } from '../../test/support/test-vault.js';
import { auditEntries, verifyAudit } from '../vault/audit/vault-audit.js';
import { addMember } from '../vault/vault-members.js';
import { copyField, createRecord, editRecord, revealField } from '../vault/records/vault-records.js';
import type { VaultSession } from '../vault/vault-session.js';
import { markRotated, sessionReport } from './evidence-report.js';
import { addJournal, endSession, markStep, recordCheck, startSession } from './recovery-sessions.js';

const open = useEngineClock();

async function unlock(dir: string, name: string): Promise<VaultSession> {
  const session = await unlockAs(dir, name);
  open.push(session);
  return session;
}

function reportService(report: EvidenceReport, title: string): EvidenceReport['services'][number] {
  const found = report.services.find((s) => s.title === title);
  if (!found) {
    throw new Error(`no service ${title} in the report`);
  }
  return found;
}

interface Drill {
  dir: string;
  sessionId: string;
  secrets: { rootDb: string; cloud: string; before: string; after: string; unrelated: string };
  /** Times (ISO) the engine stamped, for the assertions. */
  times: Record<string, string>;
}

/**
 * A drill of 90 minutes with five services: Identity met (useful at 28 of 30),
 * Postgres missed (useful at 70 of 60, after a failed check), Billing missed
 * (never useful), Wiki not measured (no RTO), Cache not measured (no checks).
 * Alice and Bob reveal secrets during it; other secrets are revealed just
 * before it starts and just after it ends. Alice is left unlocked.
 */
async function runDrill(): Promise<Drill & { alice: VaultSession }> {
  const { dir, session } = await newVault();
  open.push(session);
  await addMember(session, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
  const svc = (title: string, data: Record<string, unknown>): Promise<unknown> => createRecord(session, { type: 'service', title, data });
  await svc('Identity', { tier: 0, rtoMinutes: 30 });
  await svc('Postgres', { tier: 1, rtoMinutes: 60, dependsOn: ['Identity'] });
  await svc('Billing', { tier: 1, rtoMinutes: 45, dependsOn: ['Postgres', 'Fraud scoring'] });
  await svc('Wiki', { tier: 3 });
  await svc('Cache', { tier: 2, rtoMinutes: 10 });
  const rb = (title: string, data: Record<string, unknown>): Promise<unknown> => createRecord(session, { type: 'runbook', title, data });
  await rb('Restore Identity', { service: 'Identity', steps: ['Fail over the IdP', 'Rotate signing keys'], validation: ['Login works'], estimatedMinutes: 20 });
  await rb('Restore Postgres', {
    service: 'Postgres',
    steps: ['Restore base backup'],
    validation: ['SELECT 1 works', 'Replica lag under 1 min'],
    estimatedMinutes: 40,
  });
  await rb('Redeploy Billing', { service: 'Billing', steps: ['Deploy'], validation: ['Invoice page loads'] });
  await rb('Restore Wiki', { service: 'Wiki', steps: ['Restore pages'], validation: ['Home page loads'] });
  await rb('Warm Cache', { service: 'Cache', steps: ['Warm keys'] });
  const secret = async (title: string): Promise<string> =>
    (await createRecord(session, { type: 'secret', title, data: { username: `${title}-user`, password: `${title}-pw`, notes: 'kept in the vault' } })).id;
  const secrets = {
    rootDb: await secret('Root DB'),
    cloud: await secret('Cloud root'),
    before: await secret('Before secret'),
    after: await secret('After secret'),
    unrelated: await secret('Never revealed'),
  };
  const times: Record<string, string> = {};

  at(5);
  await revealField(session, secrets.before, 'password', 'checking the vault before the drill');
  times['start'] = at(10);
  const { id } = await startSession(session, { kind: 'exercise', scenario: 'Region loss drill', services: ['Billing', 'Wiki', 'Cache'] });
  at(15);
  await markStep(session, id, 'Identity', 0, true);
  at(35);
  await markStep(session, id, 'Identity', 1, true);
  times['identityUseful'] = at(38);
  await recordCheck(session, id, 'Identity', 0, true);
  at(40);
  await revealField(session, secrets.rootDb, 'password', 'INC drill: restore Postgres');
  at(41);
  await revealField(session, secrets.cloud, 'password', 'drill: open the cloud console');
  times['blocker'] = at(45);
  await addJournal(session, id, { kind: 'blocker', serviceId: 'Postgres', text: 'Backup bucket needs the cloud root' });
  times['failed'] = at(50);
  await recordCheck(session, id, 'Postgres', 1, false, 'Replica 12 minutes behind');
  await session.lock();

  const bob = await unlock(dir, 'bob');
  times['bobCopy'] = at(55);
  await copyField(bob, secrets.rootDb, 'username', 'drill: connect as superuser');
  at(60);
  await markStep(bob, id, 'Postgres', 0, true);
  await recordCheck(bob, id, 'Postgres', 0, true);
  at(80);
  await recordCheck(bob, id, 'Postgres', 1, true);
  times['note'] = at(85);
  await addJournal(bob, id, { kind: 'note', text: 'Billing deploy pipeline was down all along' });
  await bob.lock();

  const alice = await unlock(dir, 'alice');
  times['cloudLast'] = at(92);
  await revealField(alice, secrets.cloud, 'username', 'drill: the last console login');
  times['end'] = at(100);
  await endSession(alice, id);
  at(105);
  await revealField(alice, secrets.after, 'password', 'after the drill, unrelated');
  return { dir, sessionId: id, secrets, times, alice };
}

describe('the evidence report', () => {
  it('is refused while the session runs', async () => {
    const { session } = await newVault();
    open.push(session);
    await createRecord(session, { type: 'service', title: 'Identity', data: { rtoMinutes: 30 } });
    const recovery = await startSession(session, { kind: 'incident', scenario: 'IdP down', services: ['Identity'] });
    const error = thrown(() => sessionReport(session, recovery.id));
    expect(error.code).toBe('VAULT_BAD_INPUT');
    expect(error.message).toContain('IdP down');
  });

  it('gives each service a verdict against its RTO, with steps, checks, failures and the journal', async () => {
    const { alice, sessionId, times } = await runDrill();
    at(120);
    const report = sessionReport(alice, sessionId);

    expect(report.session).toMatchObject({
      id: sessionId,
      kind: 'exercise',
      scenario: 'Region loss drill',
      startedAt: times['start'],
      startedBy: 'alice',
      endedAt: times['end'],
      endedBy: 'alice',
      durationMinutes: 90,
    });
    expect(report.vault).toEqual({ id: alice.vaultId, name: 'Ops' });
    expect(report.generatedBy).toBe('alice');
    expect(report.generatedAt).toBe(at(120));

    // Identity useful 28 min after the start (RTO 30): met. Postgres 70 (RTO 60): missed.
    expect(reportService(report, 'Identity')).toMatchObject({
      usefulMinutes: 28,
      verdict: 'met',
      stepsDone: 2,
      stepsTotal: 2,
      checksPassed: 1,
      checksTotal: 1,
    });
    expect(reportService(report, 'Postgres')).toMatchObject({
      usefulMinutes: 70,
      verdict: 'missed',
      stepsDone: 1,
      stepsTotal: 1,
      checksPassed: 2,
      checksTotal: 2,
    });
    // Never useful at all is missed too, not "not measured".
    expect(reportService(report, 'Billing')).toMatchObject({
      usefulMinutes: null,
      verdict: 'missed',
      stepsDone: 0,
      stepsTotal: 1,
      checksPassed: 0,
      checksTotal: 1,
    });
    // Without an RTO, or without a check saying it works, there is nothing to measure against.
    expect(reportService(report, 'Wiki')).toMatchObject({ rtoMinutes: null, verdict: 'not-measured' });
    expect(reportService(report, 'Cache')).toMatchObject({ rtoMinutes: 10, checksTotal: 0, verdict: 'not-measured' });
    expect(report.services.map((s) => s.title)).toEqual(['Cache', 'Identity', 'Wiki', 'Postgres', 'Billing']);

    // The failed check keeps its note, even though it passed later.
    expect(reportService(report, 'Postgres').failedChecks).toEqual([
      { text: 'Replica lag under 1 min', failures: [{ at: times['failed'], by: 'alice', note: 'Replica 12 minutes behind' }] },
    ]);
    expect(reportService(report, 'Identity').failedChecks).toEqual([]);
    expect(report.missing).toEqual([{ serviceId: reportService(report, 'Billing').id, serviceTitle: 'Billing', ref: 'Fraud scoring' }]);
    expect(report.journal).toEqual([
      { at: times['blocker'], by: 'alice', kind: 'blocker', serviceId: reportService(report, 'Postgres').id, text: 'Backup bucket needs the cloud root' },
      { at: times['note'], by: 'bob', kind: 'note', text: 'Billing deploy pipeline was down all along' },
    ]);
  });

  it('counts useful exactly at the RTO as met, and a tenth of a minute later as missed', async () => {
    const { session } = await newVault();
    open.push(session);
    for (const title of ['On time', 'Just late']) {
      await createRecord(session, { type: 'service', title, data: { rtoMinutes: 30 } });
      await createRecord(session, { type: 'runbook', title: `Recover ${title}`, data: { service: title, validation: ['It answers'] } });
    }
    const { id } = await startSession(session, { kind: 'exercise', scenario: 'Boundary', services: ['On time', 'Just late'] });
    at(30);
    await recordCheck(session, id, 'On time', 0, true);
    at(30.1);
    await recordCheck(session, id, 'Just late', 0, true);
    await endSession(session, id);
    const report = sessionReport(session, id);
    expect(reportService(report, 'On time')).toMatchObject({ usefulMinutes: 30, verdict: 'met' });
    expect(reportService(report, 'Just late')).toMatchObject({ usefulMinutes: 30.1, verdict: 'missed' });
  });

  it('times each step from the previous tick of the same service, slowest first', async () => {
    const { alice, sessionId } = await runDrill();
    const report = sessionReport(alice, sessionId);
    // Identity: step 1 at +5 from the start, step 2 twenty minutes later. Postgres: its only step at +50.
    expect(report.delays).toEqual([
      { serviceId: reportService(report, 'Postgres').id, serviceTitle: 'Postgres', step: 'Restore base backup', minutes: 50, by: 'bob' },
      { serviceId: reportService(report, 'Identity').id, serviceTitle: 'Identity', step: 'Rotate signing keys', minutes: 20, by: 'alice' },
      { serviceId: reportService(report, 'Identity').id, serviceTitle: 'Identity', step: 'Fail over the IdP', minutes: 5, by: 'alice' },
    ]);
  });
});

describe('secrets revealed during the session', () => {
  it('lists only reveals and copies inside the session window, with who, which field and why', async () => {
    const { alice, sessionId, secrets, times } = await runDrill();
    const report = sessionReport(alice, sessionId);
    expect(report.reveals.map((r) => [r.actor, r.action, r.recordTitle, r.field, r.reason])).toEqual([
      ['alice', 'revealed', 'Root DB', 'password', 'INC drill: restore Postgres'],
      ['alice', 'revealed', 'Cloud root', 'password', 'drill: open the cloud console'],
      ['bob', 'copied', 'Root DB', 'username', 'drill: connect as superuser'],
      ['alice', 'revealed', 'Cloud root', 'username', 'drill: the last console login'],
    ]);
    expect(report.reveals[2]).toMatchObject({ at: times['bobCopy'], recordId: secrets.rootDb });
    // The reveal before the start and the one after the end are in the log, but not in this session.
    const logged = auditEntries(alice)
      .filter((e) => e.event.type === 'secret.revealed')
      .map((e) => e.event.recordId);
    expect(logged).toEqual(expect.arrayContaining([secrets.before, secrets.after]));
    expect(report.reveals.map((r) => r.recordId)).not.toContain(secrets.before);
    expect(report.reveals.map((r) => r.recordId)).not.toContain(secrets.after);
    // Nothing in the report is a secret's value.
    expect(JSON.stringify(report)).not.toMatch(/-pw|-user/);
  });

  it('lists each revealed secret once to rotate, and marking it rotated is logged and sticks', async () => {
    const { dir, alice, sessionId, secrets, times } = await runDrill();
    const report = sessionReport(alice, sessionId);
    expect(report.rotation).toEqual([
      { recordId: secrets.cloud, recordTitle: 'Cloud root', fields: ['password', 'username'], lastRevealedAt: times['cloudLast'], revealedBy: ['alice'] },
      { recordId: secrets.rootDb, recordTitle: 'Root DB', fields: ['password', 'username'], lastRevealedAt: times['bobCopy'], revealedBy: ['alice', 'bob'] },
    ]);
    expect(report.rotation.every((item) => item.rotatedAt === undefined)).toBe(true);

    const rotatedAt = at(130);
    const after = await markRotated(alice, sessionId, secrets.cloud);
    expect(after.rotation.find((r) => r.recordId === secrets.cloud)).toMatchObject({ rotatedAt, rotatedBy: 'alice' });
    expect(after.rotation.find((r) => r.recordId === secrets.rootDb)?.rotatedAt).toBeUndefined();
    const logged = auditEntries(alice).filter((e) => e.event.type === 'secret.rotated');
    expect(logged.map((e) => [e.event.recordId, e.event.recordTitle, e.event.details?.['sessionId']])).toEqual([[secrets.cloud, 'Cloud root', sessionId]]);

    // Marking it again changes nothing and logs nothing more.
    at(131);
    await markRotated(alice, sessionId, secrets.cloud);
    expect(auditEntries(alice).filter((e) => e.event.type === 'secret.rotated')).toHaveLength(1);

    // Only a secret this session revealed can be marked for it.
    const before = alice.internals().log.size;
    for (const recordId of [secrets.before, secrets.after, secrets.unrelated, 'sec-0000000000']) {
      await expect(markRotated(alice, sessionId, recordId)).rejects.toMatchObject({ code: 'VAULT_BAD_INPUT' });
    }
    expect(alice.internals().log.size).toBe(before);

    // It is derived from the log, so it survives a restart.
    await alice.lock();
    const again = await unlock(dir, 'alice');
    expect(sessionReport(again, sessionId).rotation.find((r) => r.recordId === secrets.cloud)).toMatchObject({ rotatedAt, rotatedBy: 'alice' });
    expect(verifyAudit(again).records).toBe(again.internals().log.size);
  });

  it('counts storing a new password as a rotation, but not editing the notes', async () => {
    const { alice, sessionId, secrets } = await runDrill();
    at(140);
    await editRecord(alice, secrets.rootDb, { set: { notes: 'the incident is over' } });
    expect(sessionReport(alice, sessionId).rotation.find((r) => r.recordId === secrets.rootDb)?.rotatedAt).toBeUndefined();

    const rotatedAt = at(150);
    await editRecord(alice, secrets.rootDb, { set: { password: 'a brand new password' } });
    const item = sessionReport(alice, sessionId).rotation.find((r) => r.recordId === secrets.rootDb);
    expect(item).toMatchObject({ rotatedAt, rotatedBy: 'alice' });
    // Outstanding items sort first: the Cloud root is still to do.
    expect(sessionReport(alice, sessionId).rotation.map((r) => [r.recordTitle, r.rotatedAt === undefined])).toEqual([
      ['Cloud root', true],
      ['Root DB', false],
    ]);
  });

  it('counts a rotation only after the last reveal in the session', async () => {
    // A password changed mid-session and then revealed again is exposed again.
    const { session } = await newVault();
    open.push(session);
    await createRecord(session, { type: 'service', title: 'Identity', data: { rtoMinutes: 30 } });
    const secret = (await createRecord(session, { type: 'secret', title: 'IdP admin', data: { password: 'one' } })).id;
    const { id } = await startSession(session, { kind: 'incident', scenario: 'IdP down', services: ['Identity'] });
    at(1);
    await revealField(session, secret, 'password', 'log in to the IdP');
    at(2);
    await editRecord(session, secret, { set: { password: 'two' } });
    at(3);
    await revealField(session, secret, 'password', 'log in again');
    at(4);
    await endSession(session, id);
    expect(sessionReport(session, id).rotation).toEqual([
      { recordId: secret, recordTitle: 'IdP admin', fields: ['password'], lastRevealedAt: new Date(T0 + 3 * MINUTE).toISOString(), revealedBy: ['alice'] },
    ]);
  });
});

describe('who may see the report', () => {
  it('refuses a responder the report and the rotation mark', async () => {
    const { dir, alice, sessionId, secrets } = await runDrill();
    await addMember(alice, { name: 'dave', role: 'responder', passphrase: PASSPHRASES['dave'] ?? '' });
    await alice.lock();
    const dave = await unlock(dir, 'dave');
    expect(thrown(() => sessionReport(dave, sessionId)).code).toBe('VAULT_FORBIDDEN');
    await expect(markRotated(dave, sessionId, secrets.rootDb)).rejects.toMatchObject({ code: 'VAULT_FORBIDDEN' });
  });
});

describe('the session window in log order', () => {
  it('leaves out a reveal logged in the same millisecond just before the session started', async () => {
    const { session } = await newVault();
    open.push(session);
    await createRecord(session, { type: 'service', title: 'Identity', data: { dependsOn: [] } });
    const early = await createRecord(session, { type: 'secret', title: 'Early secret', data: { password: 'a' } });
    const inside = await createRecord(session, { type: 'secret', title: 'Inside secret', data: { password: 'b' } });
    // Date is frozen: the reveal, the start, the second reveal and the end share one timestamp.
    await revealField(session, early.id, 'password', 'before the drill');
    const drill = await startSession(session, { kind: 'exercise', scenario: 'same instant', services: ['Identity'] });
    await revealField(session, inside.id, 'password', 'during the drill');
    await endSession(session, drill.id);
    await revealField(session, early.id, 'password', 'after the drill');
    const report = sessionReport(session, drill.id);
    expect(report.reveals.map((r) => r.recordTitle)).toEqual(['Inside secret']);
  });
});
