/**
 * A runbook's checklist ticked from the record view (issue 19, item 2): the
 * ticks belong to the running exercise or incident, survive closing the
 * record and locking, land on the session's own service steps when the
 * runbook is one of them, and are never kept when nothing is running.
 */
import { describe, expect, it } from 'vitest';
import { at, useEngineClock } from '../../test/support/engine-clock.js';
import { PASSPHRASES, newVault, unlockAs } from '../../test/support/test-vault.js';
import { auditEntries, verifyAudit } from '../vault/audit/vault-audit.js';
import { addMember } from '../vault/vault-members.js';
import { createRecord, editRecord } from '../vault/records/vault-records.js';
import type { VaultSession } from '../vault/vault-session.js';
import { sessionReport } from './evidence-report.js';
import { endSession, getSession, startSession } from './recovery-sessions.js';
import { reportMarkdown } from './report-render.js';
import { runbookTicks, tickRunbookStep } from './runbook-ticks.js';

const open = useEngineClock();

async function vault(): Promise<{ dir: string; session: VaultSession; ids: Record<string, string> }> {
  const created = await newVault();
  open.push(created.session);
  const { session } = created;
  const ids: Record<string, string> = {};
  ids['Postgres'] = (await createRecord(session, { type: 'service', title: 'Postgres', data: { tier: 1, rtoMinutes: 60 } })).id;
  ids['Wiki'] = (await createRecord(session, { type: 'service', title: 'Wiki', data: { tier: 3, rtoMinutes: 480 } })).id;
  const runbook = async (title: string, data: Record<string, unknown>): Promise<void> => {
    ids[title] = (await createRecord(session, { type: 'runbook', title, data: { lastReviewed: '2026-02-01', ...data } })).id;
  };
  await runbook('Restore Postgres', { service: 'Postgres', steps: ['Stop writes', 'Restore `pg_basebackup`'], validation: ['SELECT 1 works'] });
  // A page of no service (as GOV.UK's RDS page is): its ticks still belong to the running session.
  await runbook('Backup and restore RDS', { steps: ['Find the snapshot', 'Restore it', 'Check the app'] });
  return { ...created, ids };
}

async function unlock(dir: string, name: string): Promise<VaultSession> {
  const session = await unlockAs(dir, name);
  open.push(session);
  return session;
}

const ticked = (view: { steps: ({ by: string } | null)[] }): boolean[] => view.steps.map((s) => s !== null);

describe('ticks from the record view', () => {
  it('are not kept when no session is running: the view says so (session null, nothing ticked)', async () => {
    const { session, ids } = await vault();
    expect(runbookTicks(session, ids['Backup and restore RDS'] ?? '')).toEqual({ session: null, steps: [null, null, null] });
  });

  it('belong to the running session, survive closing the record and a lock, and are logged', async () => {
    const { dir, session, ids } = await vault();
    const rds = ids['Backup and restore RDS'] ?? '';
    const drill = await startSession(session, { kind: 'exercise', scenario: 'RDS drill', services: ['Wiki'] });
    at(3);
    await tickRunbookStep(session, { id: drill.id, recordId: rds, index: 0, done: true });
    at(7);
    const view = await tickRunbookStep(session, { id: drill.id, recordId: rds, index: 2, done: true });
    expect(view).toEqual({
      session: { id: drill.id, kind: 'exercise', scenario: 'RDS drill' },
      steps: [{ at: at(3), by: 'alice' }, null, { at: at(7), by: 'alice' }],
    });
    expect(getSession(session, drill.id).runbooks).toEqual([
      {
        id: rds,
        title: 'Backup and restore RDS',
        steps: [{ text: 'Find the snapshot', at: at(3), by: 'alice' }, { text: 'Restore it' }, { text: 'Check the app', at: at(7), by: 'alice' }],
      },
    ]);
    const steps = auditEntries(session).filter((e) => e.event.type === 'session.step');
    expect(steps.map((e) => [e.event.recordId, e.event.details])).toEqual([
      [rds, { sessionId: drill.id, step: 1, done: true }],
      [rds, { sessionId: drill.id, step: 3, done: true }],
    ]);
    await session.lock();

    const again = await unlock(dir, 'alice');
    expect(ticked(runbookTicks(again, rds))).toEqual([true, false, true]);
    const unticked = await tickRunbookStep(again, { id: drill.id, recordId: rds, index: 0, done: false });
    expect(ticked(unticked)).toEqual([false, false, true]);
    expect(verifyAudit(again).records).toBe(again.internals().log.size);
  });

  it("tick the session's own service steps when the runbook is one of them: the session screen shows the same ticks", async () => {
    const { session, ids } = await vault();
    const restore = ids['Restore Postgres'] ?? '';
    const incident = await startSession(session, { kind: 'incident', scenario: 'DB down', services: ['Postgres'] });
    at(2);
    await tickRunbookStep(session, { id: incident.id, recordId: restore, index: 1, done: true });
    const stored = getSession(session, incident.id);
    expect(stored.services.find((s) => s.id === ids['Postgres'])?.steps).toEqual([
      { text: 'Stop writes' },
      { text: 'Restore `pg_basebackup`', at: at(2), by: 'alice' },
    ]);
    expect(stored.runbooks).toBeUndefined();
    expect(ticked(runbookTicks(session, restore))).toEqual([false, true]);
  });

  it('show a step whose text changed since it was ticked as not ticked, never as another step', async () => {
    const { session, ids } = await vault();
    const rds = ids['Backup and restore RDS'] ?? '';
    const drill = await startSession(session, { kind: 'exercise', scenario: 'RDS drill', services: ['Wiki'] });
    await tickRunbookStep(session, { id: drill.id, recordId: rds, index: 0, done: true });
    await tickRunbookStep(session, { id: drill.id, recordId: rds, index: 2, done: true });
    await editRecord(session, rds, { set: { steps: ['Find the newest snapshot', 'Restore it', 'Check the app'] } });
    expect(ticked(runbookTicks(session, rds))).toEqual([false, false, true]);
    // The next tick brings the session's copy up to the runbook, keeping the unchanged step's tick.
    const view = await tickRunbookStep(session, { id: drill.id, recordId: rds, index: 1, done: true });
    expect(ticked(view)).toEqual([false, true, true]);
  });

  it('are in the evidence report of the ended session, step by step, with who and when', async () => {
    const { session, ids } = await vault();
    const rds = ids['Backup and restore RDS'] ?? '';
    const drill = await startSession(session, { kind: 'exercise', scenario: 'RDS drill', services: ['Wiki'] });
    at(4);
    await tickRunbookStep(session, { id: drill.id, recordId: rds, index: 1, done: true });
    at(9);
    await endSession(session, drill.id);
    const report = sessionReport(session, drill.id);
    expect(report.runbooks).toEqual([
      { id: rds, title: 'Backup and restore RDS', stepsTotal: 3, ticked: [{ step: 2, text: 'Restore it', at: at(4), by: 'alice' }] },
    ]);
    expect(reportMarkdown(report)).toContain('## Runbooks ticked from their page');
    expect(reportMarkdown(report)).toMatch(/Backup and restore RDS \| 1\/3 \| 2\. Restore it \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC alice\)/u);
  });

  it('are refused in an ended session or for a step that does not exist, and nothing is logged', async () => {
    const { session, ids } = await vault();
    const rds = ids['Backup and restore RDS'] ?? '';
    const drill = await startSession(session, { kind: 'exercise', scenario: 'RDS drill', services: ['Wiki'] });
    const before = session.internals().log.size;
    await expect(tickRunbookStep(session, { id: drill.id, recordId: rds, index: 3, done: true })).rejects.toMatchObject({
      code: 'VAULT_BAD_INPUT',
      message: 'Backup and restore RDS has no step 4 (it has 3).',
    });
    await expect(tickRunbookStep(session, { id: drill.id, recordId: 'rb-nothing', index: 0, done: true })).rejects.toMatchObject({ code: 'VAULT_NOT_FOUND' });
    expect(session.internals().log.size).toBe(before);
    await endSession(session, drill.id);
    await expect(tickRunbookStep(session, { id: drill.id, recordId: rds, index: 0, done: true })).rejects.toMatchObject({ code: 'SESSION_ENDED' });
    // With the only session ended, none is running: ticks are offered a new session again.
    expect(runbookTicks(session, rds).session).toBeNull();
  });

  it('may be made by a responder; an auditor may neither read nor tick them', async () => {
    const { dir, session, ids } = await vault();
    const rds = ids['Backup and restore RDS'] ?? '';
    await addMember(session, { name: 'dave', role: 'responder', passphrase: PASSPHRASES['dave'] ?? '' });
    await addMember(session, { name: 'carol', role: 'auditor', passphrase: PASSPHRASES['carol'] ?? '' });
    const drill = await startSession(session, { kind: 'exercise', scenario: 'RDS drill', services: ['Wiki'] });
    await session.lock();
    const dave = await unlock(dir, 'dave');
    expect((await tickRunbookStep(dave, { id: drill.id, recordId: rds, index: 1, done: true })).steps[1]).toMatchObject({ by: 'dave' });
    await dave.lock();
    const carol = await unlock(dir, 'carol');
    expect(() => runbookTicks(carol, rds)).toThrow(expect.objectContaining({ code: 'VAULT_FORBIDDEN' }) as Error);
    await expect(tickRunbookStep(carol, { id: drill.id, recordId: rds, index: 0, done: true })).rejects.toMatchObject({ code: 'VAULT_FORBIDDEN' });
  });
});
