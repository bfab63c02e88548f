import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuditLog } from '../audit/audit-log.js';
import { auditEntries } from '../audit/vault-audit.js';
import { addMember } from '../vault-members.js';
import { createRecord, deleteRecord, editRecord, listRecords, openRecord, recordHistory, revealField, revisionChanges } from './vault-records.js';
import type { VaultSession } from '../vault-session.js';
import { PASSPHRASES, newVault, unlockAs } from '../../../test/support/test-vault.js';

const open: VaultSession[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const session of open.splice(0)) {
    await session.lock();
  }
});

async function vault(): Promise<{ dir: string; session: VaultSession }> {
  const created = await newVault();
  open.push(created.session);
  return created;
}

describe('records', () => {
  it('stores each record type and lists it back by type', async () => {
    const { session } = await vault();
    await createRecord(session, {
      type: 'service',
      title: 'Billing API',
      data: { tier: 1, rtoMinutes: 60, dependsOn: ['Postgres'], recoveryMethod: 'redeploy' },
    });
    await createRecord(session, {
      type: 'runbook',
      title: 'Restore Postgres',
      data: { body: '# Restore\n', steps: ['Stop writes', 'Restore'], validation: ['SELECT 1'] },
    });
    await createRecord(session, { type: 'contact', title: 'DBA on call', data: { phones: ['+44 20 7946 0000'], escalationOrder: 1 } });
    await createRecord(session, { type: 'key-location', title: 'HSM recovery cards', data: { where: 'Safe B, London office', whoCanReach: ['Facilities'] } });
    expect(
      listRecords(session)
        .map((r) => r.type)
        .sort(),
    ).toEqual(['contact', 'key-location', 'runbook', 'service']);
    expect(listRecords(session, 'runbook').map((r) => r.title)).toEqual(['Restore Postgres']);
  });

  it('refuses invalid fields with a sentence naming the field, and changes nothing', async () => {
    const { session } = await vault();
    const before = session.internals().log.size;
    await expect(createRecord(session, { type: 'service', title: 'X', data: { tier: 9 } })).rejects.toMatchObject({
      code: 'VAULT_BAD_INPUT',
      message: expect.stringContaining('"tier"') as unknown,
    });
    await expect(createRecord(session, { type: 'contact', title: 'X', data: { colour: 'red' } })).rejects.toMatchObject({
      code: 'VAULT_BAD_INPUT',
      message: expect.stringContaining('colour') as unknown,
    });
    await expect(createRecord(session, { type: 'runbook', title: '   ', data: {} })).rejects.toMatchObject({ code: 'VAULT_BAD_INPUT' });
    expect(listRecords(session)).toEqual([]);
    expect(session.internals().log.size).toBe(before);
  });

  it('masks sealed fields, keeps them ciphertext on disk, and reveals only with a reason, logged first', async () => {
    const { dir, session } = await vault();
    const secret = await createRecord(session, { type: 'secret', title: 'Root DB', data: { username: 'postgres', password: 'pw-9f8e7d-unique' } });
    const view = await openRecord(session, secret.id);
    expect(view.data).toMatchObject({ username: '••••', password: '••••' });
    expect(view.sealedFields.sort()).toEqual(['password', 'username']);
    // Not in the snapshot files nor in the in-memory database export.
    for (const file of readdirSync(dir)) {
      expect(readFileSync(join(dir, file)).includes('pw-9f8e7d-unique')).toBe(false);
    }
    expect(Buffer.from(session.internals().store?.export() ?? []).includes('pw-9f8e7d-unique')).toBe(false);
    await expect(revealField(session, secret.id, 'password', ' ')).rejects.toMatchObject({ code: 'VAULT_BAD_INPUT' });
    expect(await revealField(session, secret.id, 'password', 'INC-1 restore')).toBe('pw-9f8e7d-unique');
    const last = auditEntries(session).at(-1)?.event;
    expect(last).toMatchObject({ type: 'secret.revealed', recordId: secret.id, field: 'password', reason: 'INC-1 restore' });
  });

  it('shows nothing when the reveal cannot be logged (write-ahead)', async () => {
    const { session } = await vault();
    const secret = await createRecord(session, { type: 'secret', title: 'Root DB', data: { password: 'never-shown' } });
    vi.spyOn(AuditLog.prototype, 'append').mockRejectedValue(new Error('disk full'));
    await expect(revealField(session, secret.id, 'password', 'INC-2')).rejects.toThrow();
    await expect(openRecord(session, secret.id)).rejects.toThrow();
  });

  it('keeps a revision per edit with who and which fields, never sealed values', async () => {
    const { dir, session } = await vault();
    const rb = await createRecord(session, { type: 'runbook', title: 'Failover DNS', data: { steps: ['a'] } });
    await addMember(session, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
    await session.lock();
    const bob = await unlockAs(dir, 'bob');
    open.push(bob);
    await editRecord(bob, rb.id, { set: { steps: ['a', 'b'], estimatedMinutes: 20 } });
    await editRecord(bob, rb.id, { title: 'Fail over DNS', set: {} });
    const history = recordHistory(bob, rb.id);
    expect(history.map((h) => [h.revision, h.action, h.by])).toEqual([
      [1, 'created', 'alice'],
      [2, 'edited', 'bob'],
      [3, 'edited', 'bob'],
    ]);
    expect(history[1]?.changed.sort()).toEqual(['estimatedMinutes', 'steps']);
    expect(history[2]?.changed).toEqual(['title']);
    await deleteRecord(bob, rb.id);
    expect(listRecords(bob)).toEqual([]);
    await expect(openRecord(bob, rb.id)).rejects.toMatchObject({ code: 'VAULT_NOT_FOUND' });
  });

  it('survives a lock and unlock with everything in place, in owner-only files', async () => {
    const { dir, session } = await vault();
    await createRecord(session, { type: 'procedure', title: 'Break glass: AWS root', data: { steps: ['Get card from safe'] } });
    await session.lock();
    open.length = 0;
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const file of readdirSync(dir)) {
      expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
    }
    const again = await unlockAs(dir, 'alice');
    open.push(again);
    expect(listRecords(again).map((r) => r.title)).toEqual(['Break glass: AWS root']);
  });
});

describe('roles', () => {
  it('lets a responder read and reveal but not write, and an auditor read only the log', async () => {
    const { dir, session } = await vault();
    const secret = await createRecord(session, { type: 'secret', title: 'VPN', data: { password: 'vpn-pass' } });
    await addMember(session, { name: 'dave', role: 'responder', passphrase: PASSPHRASES['dave'] ?? '' });
    await addMember(session, { name: 'carol', role: 'auditor', passphrase: PASSPHRASES['carol'] ?? '' });
    await session.lock();
    open.length = 0;
    const dave = await unlockAs(dir, 'dave');
    expect(await revealField(dave, secret.id, 'password', 'VPN down')).toBe('vpn-pass');
    await expect(createRecord(dave, { type: 'runbook', title: 'x', data: {} })).rejects.toMatchObject({ code: 'VAULT_FORBIDDEN' });
    await dave.lock();
    const carol = await unlockAs(dir, 'carol');
    open.push(carol);
    expect(() => listRecords(carol)).toThrow(expect.objectContaining({ code: 'VAULT_FORBIDDEN' }) as Error);
    await expect(revealField(carol, secret.id, 'password', 'curious')).rejects.toMatchObject({ code: 'VAULT_FORBIDDEN' });
    expect(carol.internals().keys.content).toBeNull();
    expect(carol.internals().store).toBeNull();
    expect(auditEntries(carol).some((e) => e.event.type === 'secret.revealed' && e.event.actor === 'dave')).toBe(true);
  });

  it('gives VAULT_BUSY to a second opener while the vault is open', async () => {
    const { dir } = await vault();
    await expect(unlockAs(dir, 'alice')).rejects.toMatchObject({ code: 'VAULT_BUSY', message: expect.stringContaining(`pid ${process.pid}`) as unknown });
  });
});

describe('revision changes', () => {
  it('shows each changed field before and after, and only that a sealed value changed', async () => {
    const { session } = await vault();
    const rb = await createRecord(session, { type: 'runbook', title: 'Failover', data: { steps: ['a'], estimatedMinutes: 10 } });
    await editRecord(session, rb.id, { title: 'Fail over', set: { steps: ['a', 'b'] } });
    expect(await revisionChanges(session, rb.id, 2)).toEqual([
      { field: 'title', before: 'Failover', after: 'Fail over' },
      { field: 'steps', before: 'a', after: 'a\nb' },
    ]);
    // A diff shows the record's text: logged like opening it (issue 15, M5).
    expect(auditEntries(session).at(-1)?.event).toMatchObject({ type: 'record.opened', recordId: rb.id, recordTitle: 'Fail over', details: { revision: 2 } });
    const secret = await createRecord(session, { type: 'secret', title: 'Root', data: { password: 'old-pass-123' } });
    await editRecord(session, secret.id, { set: { password: 'new-pass-456' } });
    const changes = await revisionChanges(session, secret.id, 2);
    expect(changes).toEqual([{ field: 'password', before: '••••', after: '•••• (new sealed value)' }]);
    expect(JSON.stringify(changes)).not.toMatch(/pass-/);
  });
});

describe('edit change detection', () => {
  it('does not count a cleared field that was never set as a change', async () => {
    const { session } = await vault();
    const svc = await createRecord(session, { type: 'service', title: 'api', data: { rtoMinutes: 60 } });
    await editRecord(session, svc.id, { set: { rtoMinutes: 45, owner: null, dependsOn: [], description: null } });
    expect(recordHistory(session, svc.id)[1]?.changed).toEqual(['rtoMinutes']);
  });
});
