import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { anotherLaptop, newVault, PASSPHRASES, tempVaultDir, unlockAs } from '../../../test/support/test-vault.js';
import { createVault } from '../vault-open.js';
import { currentCheckpoint, exportAudit, verifyAudit, verifyExportFile, verifySince } from './vault-audit.js';
import { createRecord, openRecord, revealField } from '../records/vault-records.js';
import type { VaultSession } from '../vault-session.js';

const open: VaultSession[] = [];
afterEach(async () => {
  for (const session of open.splice(0)) {
    await session.lock();
  }
});

describe('audit checkpoints', () => {
  it('writes a C2SP checkpoint at lock and proves later that the log only grew', async () => {
    const { dir, session } = await newVault();
    const rb = await createRecord(session, { type: 'runbook', title: 'Restore', data: {} });
    await session.lock();
    const saved = readFileSync(join(dir, 'checkpoint'), 'utf8');
    const lines = saved.split('\n');
    expect(lines[0]).toMatch(/^lifeboat\/vault\/[0-9a-f]{32}$/);
    expect(Number(lines[1])).toBeGreaterThan(0);
    // One extension line (c2sp.org/tlog-checkpoint): the newest snapshot and header it was signed at.
    expect(lines[3]).toMatch(/^lifeboat-state snapshot=[1-9][0-9]* header=1$/);
    expect(lines[5]).toMatch(/^— lifeboat-audit-[0-9a-f]{32}-e1 [A-Za-z0-9+/]+=*$/);

    const again = await unlockAs(dir, 'alice');
    open.push(again);
    await openRecord(again, rb.id);
    const report = verifySince(again, saved);
    expect(report.newSize).toBeGreaterThan(report.oldSize);
    expect((await currentCheckpoint(again)).split('\n')[1]).toBe(String(again.internals().log.size));
  });

  it('catches a rollback of the whole folder with an earlier saved checkpoint', async () => {
    const { dir, session } = await newVault();
    await session.lock();
    const earlyCopy = tempVaultDir();
    cpSync(dir, earlyCopy, { recursive: true });
    const alice = await unlockAs(dir, 'alice');
    await createRecord(alice, { type: 'runbook', title: 'Later work', data: {} });
    await alice.lock();
    const auditorsCheckpoint = readFileSync(join(dir, 'checkpoint'), 'utf8');
    // Someone restores the folder from the earlier copy: internally consistent.
    rmSync(dir, { recursive: true });
    cpSync(earlyCopy, dir, { recursive: true });
    // This laptop saw the later state (its local anchor refuses the copy), but a laptop that
    // never did has only the folder to go by: the checkpoint kept elsewhere is what catches it there.
    await expect(unlockAs(dir, 'alice')).rejects.toMatchObject({ code: 'VAULT_TAMPERED' });
    const rolledBack = await unlockAs(dir, 'alice', undefined, { stateDir: anotherLaptop() });
    open.push(rolledBack);
    expect(() => verifyAudit(rolledBack)).not.toThrow();
    expect(() => verifySince(rolledBack, auditorsCheckpoint)).toThrow(expect.objectContaining({ code: 'AUDIT_BROKEN' }) as Error);
  });

  it('refuses a checkpoint from another vault or with a bad signature', async () => {
    const a = await newVault();
    const b = await newVault();
    open.push(a.session, b.session);
    const fromB = await currentCheckpoint(b.session);
    expect(() => verifySince(a.session, fromB)).toThrow(expect.objectContaining({ code: 'AUDIT_BROKEN' }) as Error);
    const fromA = await currentCheckpoint(a.session);
    const forged = fromA.replace(/\n(\d+)\n/, (_m, n: string) => `\n${Number(n) + 1}\n`);
    expect(() => verifySince(a.session, forged)).toThrow();
  });
});

describe('audit export', () => {
  it('verifies with no key, and fails on any edit', async () => {
    const { dir, session } = await newVault();
    const out = join(dir, '..', 'audit-export.json');
    await createRecord(session, { type: 'contact', title: 'DBA', data: {} });
    const { records } = await exportAudit(session, out);
    await session.lock();
    const report = await verifyExportFile(out);
    expect(report.records).toBe(records);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { events: { type: string; actor: string }[] };
    expect(doc.events.map((e) => e.type)).toEqual(['vault.created', 'record.created', 'audit.exported']);
    doc.events[1] = { ...doc.events[1], actor: 'mallory' } as { type: string; actor: string };
    writeFileSync(out, JSON.stringify(doc));
    await expect(verifyExportFile(out)).rejects.toMatchObject({ code: 'AUDIT_BROKEN' });
  });
});

describe('the end of the log', () => {
  async function vaultWithReveal(): Promise<string> {
    const { dir, session } = await newVault();
    const secret = await createRecord(session, { type: 'secret', title: 'Root', data: { password: 'x-secret' } });
    await session.lock();
    const alice = await unlockAs(dir, 'alice');
    await revealField(alice, secret.id, 'password', 'INC-9');
    await alice.lock();
    return dir;
  }

  function dropLastLines(path: string, count: number): void {
    const lines = readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    writeFileSync(path, `${lines.slice(0, -count).join('\n')}\n`);
  }

  it('cannot lose a reveal: cutting unlock, reveal and lock from the end is caught at unlock', async () => {
    const dir = await vaultWithReveal();
    dropLastLines(join(dir, 'audit.log'), 3);
    await expect(unlockAs(dir, 'alice')).rejects.toMatchObject({ code: 'AUDIT_BROKEN' });
  });

  it('still catches it when the checkpoint file is deleted too (the lock sealed the head in a snapshot)', async () => {
    const dir = await vaultWithReveal();
    dropLastLines(join(dir, 'audit.log'), 3);
    rmSync(join(dir, 'checkpoint'));
    await expect(unlockAs(dir, 'alice')).rejects.toMatchObject({ code: 'AUDIT_BROKEN', message: expect.stringContaining('truncated') as unknown });
  });
});

describe('the log at unlock', () => {
  it('is only read, not changed, until the passphrase is proven; then a torn last line is cut', async () => {
    // Real Argon2id cost: only then is the log read while the key is derived (the path under test).
    const dir = tempVaultDir();
    const session = await createVault(dir, { owner: 'alice', passphrase: PASSPHRASES['alice'] ?? '', insecureFastKdf: false, name: 'Ops' });
    await session.lock();
    const path = join(dir, 'audit.log');
    // A crash mid-append leaves a partial line that was never acknowledged.
    writeFileSync(path, `${readFileSync(path, 'utf8')}{"body":"torn`);
    const torn = readFileSync(path);
    await expect(unlockAs(dir, 'alice', 'not the passphrase')).rejects.toMatchObject({ code: 'VAULT_AUTH_FAILED' });
    expect(readFileSync(path)).toEqual(torn);
    const alice = await unlockAs(dir, 'alice');
    open.push(alice);
    expect(readFileSync(path, 'utf8')).not.toContain('torn');
    expect(verifyAudit(alice).records).toBe(alice.internals().log.size);
  });

  it('reports a broken log only to someone who knows a passphrase', async () => {
    const { dir, session } = await newVault();
    await session.lock();
    const path = join(dir, 'audit.log');
    const lines = readFileSync(path, 'utf8').split('\n');
    // Two records swapped: the chain breaks.
    writeFileSync(path, [lines[1], lines[0], ...lines.slice(2)].join('\n'));
    await expect(unlockAs(dir, 'alice', 'not the passphrase')).rejects.toMatchObject({ code: 'VAULT_AUTH_FAILED' });
    await expect(unlockAs(dir, 'alice')).rejects.toMatchObject({ code: 'AUDIT_BROKEN' });
  });
});
