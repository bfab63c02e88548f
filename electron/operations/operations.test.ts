/**
 * What the operations layer adds around the engine, the same for the window
 * and the CLI: a destination is checked before anything is logged or
 * created, and a two-person reveal's failure names the second person.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LifeboatError } from '../../shared/errors.js';
import { newVault, PASSPHRASES } from '../../test/support/test-vault.js';
import type { VaultSession } from '../vault/vault-session.js';
import { auditEntries, exportAudit } from './audit.js';
import { syncCatalogFrom } from './catalog.js';
import { requireFileDestination, requireOutputFolder } from './output-paths.js';
import { createShares, sharesStatus } from './quorum.js';
import { createRecord, revealField } from './records.js';
import { endSession, startSession } from './recovery.js';
import { exportEvidenceReport } from './reports.js';
import { addMember } from './vault-access.js';

const stubPrinter = (html: string): Promise<Uint8Array> => Promise.resolve(new TextEncoder().encode(`%PDF-stub\n${html}`));
const open: VaultSession[] = [];

async function vault(): Promise<VaultSession> {
  const { session } = await newVault();
  open.push(session);
  return session;
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'lb-ops-'));
}

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (error instanceof LifeboatError) {
      return error.code;
    }
    throw error;
  }
  return 'no error';
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.lock()));
});

describe('output paths', () => {
  it('accepts an existing folder and a file in one, and names what is wrong otherwise', async () => {
    const dir = scratch();
    await expect(requireOutputFolder(dir, 'sheets')).resolves.toBeUndefined();
    await expect(requireFileDestination(join(dir, 'report.pdf'))).resolves.toBeUndefined();
    await expect(requireOutputFolder(join(dir, 'missing'), 'sheets')).rejects.toThrow(/does not exist/);
    writeFileSync(join(dir, 'a-file'), 'x');
    await expect(requireOutputFolder(join(dir, 'a-file'), 'sheets')).rejects.toThrow(/is not a folder/);
    await expect(requireFileDestination(join(dir, 'missing', 'report.pdf'))).rejects.toThrow(/the folder .*missing does not exist/);
    await expect(requireFileDestination(dir)).rejects.toThrow(/is a folder/);
    await expect(requireFileDestination('  ')).rejects.toThrow(/Name the file/);
  });
});

describe('share creation', () => {
  it('refuses a missing sheets folder before any share exists or anything is logged', async () => {
    const session = await vault();
    const before = auditEntries(session).length;
    const code = await codeOf(createShares(session, { threshold: 2, custodians: ['Ana', 'Bea'], outDir: join(scratch(), 'nope') }, stubPrinter));
    expect(code).toBe('VAULT_BAD_INPUT');
    expect(sharesStatus(session)).toBeNull();
    expect(auditEntries(session).length).toBe(before);
  });

  it('refuses without a printer, and with one writes a sheet per custodian and reports no share', async () => {
    const session = await vault();
    const out = scratch();
    expect(await codeOf(createShares(session, { threshold: 2, custodians: ['Ana', 'Bea'], outDir: out }, undefined))).toBe('ENGINE_UNAVAILABLE');
    expect(sharesStatus(session)).toBeNull();
    const created = await createShares(session, { threshold: 2, custodians: ['Ana', 'Bea', 'Cy'], outDir: out }, stubPrinter);
    expect(created.rotated).toBeNull();
    expect(created.sheets.map((s) => s.custodian)).toEqual(['Ana', 'Bea', 'Cy']);
    expect(readdirSync(out).filter((f) => f.endsWith('.txt'))).toHaveLength(3);
    expect(sharesStatus(session)?.setId).toBe(created.set.setId);
    const again = await createShares(session, { threshold: 2, custodians: ['Ana', 'Bea'], outDir: out }, stubPrinter);
    expect(again.rotated).toBe(created.set.setId);
  });
});

describe('exports', () => {
  it('an evidence report to a missing folder is refused before the export is logged', async () => {
    const session = await vault();
    await createRecord(session, { type: 'service', title: 'Identity', data: { rtoMinutes: 30 } });
    const exercise = await startSession(session, { kind: 'exercise', scenario: 'Drill', services: ['Identity'] });
    await endSession(session, exercise.id);
    const before = auditEntries(session).filter((e) => e.event.type === 'session.report-exported').length;
    const code = await codeOf(exportEvidenceReport(session, { id: exercise.id, format: 'markdown', path: join(scratch(), 'gone', 'r.md') }, undefined));
    expect(code).toBe('VAULT_BAD_INPUT');
    expect(auditEntries(session).filter((e) => e.event.type === 'session.report-exported').length).toBe(before);
    const written = await exportEvidenceReport(session, { id: exercise.id, format: 'markdown', path: join(scratch(), 'r.md') }, undefined);
    expect(written.bytes).toBeGreaterThan(0);
    expect(auditEntries(session).filter((e) => e.event.type === 'session.report-exported').length).toBe(before + 1);
  });

  it('an audit export to a missing folder is refused before anything is written or logged', async () => {
    const session = await vault();
    const before = auditEntries(session).length;
    expect(await codeOf(exportAudit(session, join(scratch(), 'gone', 'audit.json')))).toBe('VAULT_BAD_INPUT');
    expect(auditEntries(session).length).toBe(before);
  });

  it('a catalog file that cannot be read is named, and nothing changes', async () => {
    const session = await vault();
    const before = auditEntries(session).length;
    const missing = join(scratch(), 'ops.lbcat');
    await expect(syncCatalogFrom(session, { file: missing })).rejects.toThrow(missing);
    expect(auditEntries(session).length).toBe(before);
  });
});

describe('two-person reveal', () => {
  it('a wrong second passphrase names the second person, not the member who is unlocked', async () => {
    const session = await vault();
    await addMember(session, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
    const secret = await createRecord(session, { type: 'secret', title: 'Root', data: { password: 'hunter2', twoPerson: true } });
    await expect(revealField(session, secret.id, 'password', 'incident 42', { member: 'bob', passphrase: 'not bobs' })).rejects.toThrow(
      /Wrong passphrase for bob \(the second person\)/,
    );
    await expect(revealField(session, secret.id, 'password', 'incident 42', { member: 'bob', passphrase: PASSPHRASES['bob'] ?? '' })).resolves.toBe('hunter2');
  });
});
