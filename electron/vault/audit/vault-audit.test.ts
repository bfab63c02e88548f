import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { anotherLaptop, newVault, PASSPHRASES, tempVaultDir, unlockAs } from '../../../test/support/test-vault.js';
import { createVault } from '../vault-open.js';
import { canonicalJson } from '../canonical-json.js';
import { setParallelMinEventsForTests } from './audit-event-threads.js';
import {
  auditEntriesOnThreads,
  currentCheckpoint,
  eventsForEvidence,
  exportAudit,
  exportSignatureMessage,
  verifyAudit,
  verifyExportFile,
  verifySince,
  type AuditExport,
} from './vault-audit.js';
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

  it('version 3: the file is the canonical JSON a line per record and event, signed over its SHA-512; a downgrade or an edited header is caught', async () => {
    const { dir, session } = await newVault();
    const out = join(dir, '..', 'audit-export-v3.json');
    await createRecord(session, { type: 'contact', title: 'DBA "on call" — ünïcode', data: {} });
    await exportAudit(session, out);
    await session.lock();
    const text = readFileSync(out, 'utf8');
    const doc = JSON.parse(text) as AuditExport;
    expect(doc.version).toBe(3);
    // One line per event and per record; without its line breaks the file is the canonical JSON.
    expect(text.split('\n').length).toBeGreaterThan(doc.events.length + doc.records.length);
    expect(text.replaceAll('\n', '')).toBe(canonicalJson(doc));
    const { signature: _signature, ...unsigned } = doc;
    const message = exportSignatureMessage(unsigned);
    expect(Buffer.from(message.subarray(0, 25)).toString('utf8')).toBe('lifeboat-audit-export-v3\n');
    expect(message.length).toBe(25 + 64);
    for (const edit of [{ version: 2 }, { exportedAt: '2020-01-01T00:00:00.000Z' }, { vaultName: 'Payments laptop' }]) {
      writeFileSync(out, JSON.stringify({ ...doc, ...edit }));
      await expect(verifyExportFile(out)).rejects.toMatchObject({
        code: 'AUDIT_BROKEN',
        message: expect.stringMatching(/exporter's signature does not match/) as string,
      });
    }
  });

  it('opens the events on threads for a long log: the same export, verified', async () => {
    const { dir, session } = await newVault();
    open.push(session);
    await createRecord(session, { type: 'contact', title: 'DBA', data: {} });
    const inline = eventsForEvidence(session).map((e) => e.event);
    setParallelMinEventsForTests(1);
    try {
      const { entries, canonical } = await auditEntriesOnThreads(session);
      expect(entries.map((e) => e.event)).toEqual(inline);
      expect(canonical).toEqual(inline.map((e) => canonicalJson(e)));
      const out = join(dir, '..', 'threaded.json');
      await exportAudit(session, out);
      expect((await verifyExportFile(out)).records).toBe(session.internals().log.size);
    } finally {
      setParallelMinEventsForTests(null);
    }
  });

  it('an export of version 2 (before the digest) still verifies, pinned to its vault, and an edit to it is still caught', async () => {
    const fixture = join(import.meta.dirname, '../../../test/fixtures/audit-export-v2/export-v2.json');
    const fingerprint = '2582 6692 e23f f658 4a5b 5799 9460 acd0 3976 ef15 41f4 f063 bddb 01d4 cf92 da24';
    const report = await verifyExportFile(fixture, fingerprint);
    expect(report.checks.join('\n')).toMatch(/the whole document .* is signed with the audit key of epoch 1/);
    const edited = join(tempVaultDir(), '..', 'edited-v2.json');
    const doc = JSON.parse(readFileSync(fixture, 'utf8')) as AuditExport;
    writeFileSync(edited, JSON.stringify({ ...doc, exportedBy: 'mallory' }));
    await expect(verifyExportFile(edited, fingerprint)).rejects.toMatchObject({ code: 'AUDIT_BROKEN' });
    writeFileSync(edited, JSON.stringify({ ...doc, version: 3 }));
    await expect(verifyExportFile(edited, fingerprint)).rejects.toMatchObject({ code: 'AUDIT_BROKEN' });
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
