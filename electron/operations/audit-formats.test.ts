/**
 * SIEM exports, the match check and collection, on real vaults (fast KDF):
 * what a governance team relies on, and the two attacks #22 names — one
 * SIEM line altered, and a history rewritten between two collections.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LifeboatError } from '../../shared/errors.js';
import { PASSPHRASES, anotherLaptop, newVault, tempVaultDir, unlockAs } from '../../test/support/test-vault.js';
import type { VaultSession } from '../vault/vault-session.js';
import { addMember } from '../vault/vault-members.js';
import { signCollectionSummary, type SignedCollectionSummary } from '../vault/audit/collection-summary.js';
import { verifyExportedFile } from './audit.js';
import { collectAuditExports, exportAuditAs, parseTimeBound, verifySiemFile } from './audit-formats.js';
import { createRecord, revealField } from './records.js';

const work = mkdtempSync(join(tmpdir(), 'lb-siem-'));
let session: VaultSession;
let signed: string;
const copies: Record<'jsonl' | 'ocsf' | 'cef', string> = { jsonl: '', ocsf: '', cef: '' };

async function errorOf(work: Promise<unknown>): Promise<LifeboatError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof LifeboatError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a LifeboatError');
}

beforeAll(async () => {
  ({ session } = await newVault());
  const secret = await createRecord(session, { type: 'secret', title: 'DB | root = "prod"', data: { password: 'hunter2' } });
  await revealField(session, secret.id, 'password', 'INC-7 restore after outage a=b | c\\d');
  for (const format of ['jsonl', 'ocsf', 'cef'] as const) {
    copies[format] = join(work, `copy.${format}`);
    await exportAuditAs(session, copies[format], format);
  }
  signed = join(work, 'signed.json');
  await exportAuditAs(session, signed, 'lifeboat');
});

afterAll(async () => {
  await session.lock();
});

function lines(path: string): string[] {
  return readFileSync(path, 'utf8').trimEnd().split('\n');
}

describe('audit export --format', () => {
  it('writes one line per event, the reveal with its reason, and logs each export with its format first', () => {
    const jsonl = lines(copies.jsonl).map((l) => JSON.parse(l) as Record<string, unknown>);
    const reveal = jsonl.find((l) => l['event_type'] === 'secret.revealed');
    expect(reveal).toMatchObject({ actor: 'alice', role: 'owner', record_title: 'DB | root = "prod"', reason: 'INC-7 restore after outage a=b | c\\d' });
    expect(jsonl.at(-1)).toMatchObject({ event_type: 'audit.exported', detail_format: 'jsonl', detail_to: copies.jsonl });
    expect(lines(copies.cef).at(-1)).toContain('cs6={"format":"cef"');
    expect(lines(copies.cef).every((l) => l.startsWith('CEF:0|Lifeboat|'))).toBe(true);
  });

  it('keeps only the events inside --from/--to (a date alone is the whole UTC day)', async () => {
    const out = join(work, 'none.jsonl');
    const result = await exportAuditAs(session, out, 'jsonl', { to: parseTimeBound('2000-01-01', 'to') });
    // Only the export's own event would be after; nothing is before 2000.
    expect(result.records).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('');
    expect(parseTimeBound('2026-10-01', 'to')).toBe('2026-10-01T23:59:59.999Z');
    expect(() => parseTimeBound('last tuesday', 'from')).toThrow(/--from last tuesday is not a date/);
  });

  it('refuses a range on the signed export, and an unknown destination, writing nothing', async () => {
    const before = readdirSync(work).length;
    expect((await errorOf(exportAuditAs(session, join(work, 'x.json'), 'lifeboat', { from: '2026-01-01T00:00:00.000Z' }))).message).toMatch(
      /always the whole log/,
    );
    expect((await errorOf(exportAuditAs(session, join(work, 'missing', 'x.cef'), 'cef'))).code).toBe('VAULT_BAD_INPUT');
    expect(readdirSync(work).length).toBe(before);
  });
});

describe('audit verify --export SIGNED --siem FILE', () => {
  it.each(['jsonl', 'ocsf', 'cef'] as const)('%s: every line matches the event with its seq in the signed export', async (format) => {
    const report = await verifySiemFile(signed, copies[format]);
    expect(report).toMatchObject({ format, lines: lines(copies[format]).length, notCovered: 0, missing: [] });
    expect(report.matched).toBe(report.lines);
  });

  it('attack: one SIEM line altered (the reason of the reveal) is caught, naming the line and the field', async () => {
    for (const format of ['jsonl', 'ocsf', 'cef'] as const) {
      const original = lines(copies[format]);
      const index = original.findIndex((l) => l.includes('secret.revealed'));
      const tampered = [...original];
      tampered[index] = (tampered[index] ?? '').replace('INC-7', 'INC-8');
      const path = join(work, `tampered.${format}`);
      writeFileSync(path, `${tampered.join('\n')}\n`);
      const error = await errorOf(verifySiemFile(signed, path));
      expect(error.code, format).toBe('AUDIT_BROKEN');
      expect(error.message, format).toContain(`line ${index + 1} (seq `);
      expect(error.message, format).toMatch(/reason|comment/);
    }
  });

  it('attack: a line moved to another seq, or a field added, does not match either', async () => {
    const original = lines(copies.jsonl);
    const moved = JSON.parse(original[1] ?? '') as Record<string, unknown>;
    moved['seq'] = 0;
    const path = join(work, 'moved.jsonl');
    writeFileSync(path, `${JSON.stringify(moved)}\n`);
    expect((await errorOf(verifySiemFile(signed, path))).message).toMatch(/line 1 \(seq 0\).*differs/);
    const added = { ...(JSON.parse(original[0] ?? '') as object), approved: true };
    writeFileSync(path, `${JSON.stringify(added)}\n`);
    expect((await errorOf(verifySiemFile(signed, path))).message).toMatch(/approved was added/);
  });

  it('reports lines newer than the export as not covered, and events the copy lacks, without failing', async () => {
    const older = join(work, 'older-signed.json');
    await exportAuditAs(session, older, 'lifeboat');
    const newer = join(work, 'newer.jsonl');
    await exportAuditAs(session, newer, 'jsonl');
    const all = lines(newer);
    writeFileSync(newer, `${[all[0], ...all.slice(2)].join('\n')}\n`);
    const report = await verifySiemFile(older, newer);
    expect(report.notCovered).toBe(1);
    expect(report.missing).toEqual([1]);
    expect(report.matched).toBe(all.length - 2);
  });

  it('a file of no known format is bad input naming it', async () => {
    const path = join(work, 'syslog.txt');
    writeFileSync(path, 'Oct  1 09:00:00 host sshd[1]: hello\n');
    const error = await errorOf(verifySiemFile(signed, path));
    expect(error.code).toBe('VAULT_BAD_INPUT');
    expect(error.message).toMatch(/syslog\.txt line 1 is not a Lifeboat/);
  });
});

describe('audit collect', () => {
  it('verifies, proves successive exports extend each other, merges one timeline and reports gaps', async () => {
    const first = join(work, 'first.json');
    await exportAuditAs(session, first, 'lifeboat');
    const other = await newVault();
    const otherExport = join(work, 'laptop-b.json');
    await exportAuditAs(other.session, otherExport, 'lifeboat');
    await other.session.lock();
    const second = join(work, 'second.json');
    await exportAuditAs(session, second, 'lifeboat');
    const out = join(work, 'collected');
    const now = new Date(Date.now() + 63 * 86_400_000);
    const summary = await collectAuditExports([second, otherExport, first], out, { now });
    expect(summary.vaults).toHaveLength(2);
    const ops = summary.vaults.find((v) => v.vaultId === session.internals().header.vaultId);
    expect(ops?.exports).toBe(2);
    expect(ops?.consistency[0]).toMatch(/RFC 6962 consistency proof/);
    expect(summary.gaps.some((g) => /no export for 6[23] days/.test(g))).toBe(true);
    const timeline = lines(join(out, 'timeline.jsonl')).map((l) => JSON.parse(l) as { time: string; vault_id: string });
    expect(timeline).toHaveLength(summary.vaults.reduce((n, v) => n + v.records, 0));
    expect(timeline.map((l) => l.time)).toEqual([...timeline.map((l) => l.time)].sort());
    expect(new Set(timeline.map((l) => l.vault_id)).size).toBe(2);
    // The merged timeline is itself a SIEM copy: each vault's lines match its own signed export.
    const opsLines = lines(join(out, 'timeline.jsonl')).filter((l) => l.includes(`"vault_id":"${ops?.vaultId ?? ''}"`));
    writeFileSync(join(work, 'ops-only.jsonl'), `${opsLines.join('\n')}\n`);
    expect((await verifySiemFile(second, join(work, 'ops-only.jsonl'))).matched).toBe(opsLines.length);
    expect((await errorOf(verifySiemFile(second, join(out, 'timeline.jsonl')))).code).toBe('AUDIT_BROKEN');
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toMatchObject({ format: 'lifeboat-audit-collection', signed: false });
  });

  it('refuses an export from a vault whose fingerprint was not given, writing nothing', async () => {
    const out = join(work, 'pinned');
    const error = await errorOf(collectAuditExports([signed], out, { pins: ['0000 0000'] }));
    expect(error.code).toBe('VAULT_TAMPERED');
    expect(() => readdirSync(out)).toThrow();
  });

  it('attack: a history rewritten between two collections (a restored copy, used differently) is caught', async () => {
    const vaultDir = tempVaultDir();
    const created = await newVault(vaultDir);
    const breakGlass = await createRecord(created.session, { type: 'secret', title: 'Break-glass', data: { password: 'p' } });
    await created.session.lock();
    const copy = join(mkdtempSync(join(tmpdir(), 'lb-copy-')), 'ops.lifeboat');
    cpSync(vaultDir, copy, { recursive: true });
    // The first collection: the vault as it was, then a reveal.
    const honest = await unlockAs(vaultDir, 'alice');
    await revealField(honest, breakGlass.id, 'password', 'INC-9');
    const before = join(work, 'collection-1.json');
    await exportAuditAs(honest, before, 'lifeboat');
    await honest.lock();
    // Someone with the keys restores the copy elsewhere (no reveal in its history) and carries on.
    const rewritten = await unlockAs(copy, 'alice', undefined, { stateDir: anotherLaptop() });
    await createRecord(rewritten, { type: 'service', title: 'Nothing to see', data: { rtoMinutes: 30 } });
    await createRecord(rewritten, { type: 'service', title: 'Nothing at all', data: { rtoMinutes: 30 } });
    const after = join(work, 'collection-2.json');
    await exportAuditAs(rewritten, after, 'lifeboat');
    await rewritten.lock();
    const error = await errorOf(collectAuditExports([before, after], join(work, 'rewritten')));
    expect(error.code).toBe('AUDIT_BROKEN');
    expect(error.message).toMatch(/does not extend the one of .*record \d+ differs/);
  });

  describe('the signed summary', () => {
    // One signed collection, read by every attack below (each copies it first).
    let signer: { dir: string; session: VaultSession };
    let collected: string;

    beforeAll(async () => {
      signer = await newVault();
      collected = join(work, 'signed-collection');
      // 63 days on: the summary reports a gap, which an attacker would like gone.
      await collectAuditExports([signed], collected, { signer: signer.session, now: new Date(Date.now() + 63 * 86_400_000) });
    });

    afterAll(async () => {
      await signer.session.lock();
    });

    function copyOfCollection(name: string): string {
      const to = join(work, name);
      cpSync(collected, to, { recursive: true });
      return join(to, 'summary.json');
    }

    function readSummary(path: string): SignedCollectionSummary {
      return JSON.parse(readFileSync(path, 'utf8')) as SignedCollectionSummary;
    }

    it('binds every input (hash, fingerprint, range, checkpoint), the timeline and the gaps, and verifies pinned to the signer vault', async () => {
      const summary = readSummary(join(collected, 'summary.json'));
      const exported = readFileSync(signed);
      const doc = JSON.parse(exported.toString('utf8')) as { records: string[]; checkpoint: string };
      const [, size, root] = doc.checkpoint.split('\n');
      expect(summary).toMatchObject({ format: 'lifeboat-audit-collection', version: 2, signed: true, signer: { member: 'alice' } });
      expect(summary.inputs[0]).toMatchObject({
        sha256: createHash('sha256').update(exported).digest('hex'),
        fingerprint: session.fingerprint,
        records: doc.records.length,
        treeSize: Number(size),
        rootHash: Buffer.from(root ?? '', 'base64').toString('hex'),
      });
      expect(summary.inputs[0]?.firstTime).toMatch(/^\d{4}-/);
      expect(summary.gaps).toEqual([expect.stringMatching(/^Ops: no export for 6[23] days/)]);
      expect(summary.timeline.sha256).toBe(
        createHash('sha256')
          .update(readFileSync(join(collected, 'timeline.jsonl')))
          .digest('hex'),
      );
      const verified = await verifyExportedFile(join(collected, 'summary.json'), signer.session.fingerprint);
      expect(verified.kind).toBe('collection');
      expect(verified.fingerprint).toBe(signer.session.fingerprint);
      expect(verified.checks.join('\n')).toMatch(/the fingerprint is the one you gave[\s\S]*timeline\.jsonl: SHA-256 and \d+ lines as signed/);
    });

    it('attack: an edited summary (a gap removed, an input hash swapped) is refused', async () => {
      for (const edit of [
        (s: SignedCollectionSummary) => ({ ...s, gaps: [] }),
        (s: SignedCollectionSummary) => ({ ...s, inputs: s.inputs.map((i) => ({ ...i, sha256: '0'.repeat(64) })) }),
        (s: SignedCollectionSummary) => ({ ...s, vaults: s.vaults.map((v) => ({ ...v, consistency: ['all fine'] })) }),
      ]) {
        const path = copyOfCollection(`edited-summary-${Math.random().toString(36).slice(2)}`);
        const edited = edit(readSummary(path));
        writeFileSync(path, JSON.stringify(edited));
        const error = await errorOf(verifyExportedFile(path, signer.session.fingerprint));
        expect(error.code).toBe('AUDIT_BROKEN');
        expect(error.message).toMatch(/signature does not verify; it was altered after it was signed/);
      }
    });

    it('attack: an edited merged timeline (one reason changed) is refused', async () => {
      const path = copyOfCollection('edited-timeline');
      const timeline = join(work, 'edited-timeline', 'timeline.jsonl');
      writeFileSync(timeline, readFileSync(timeline, 'utf8').replace('INC-7 restore', 'routine check'));
      const error = await errorOf(verifyExportedFile(path, signer.session.fingerprint));
      expect(error.code).toBe('AUDIT_BROKEN');
      expect(error.message).toMatch(/timeline\.jsonl is not the timeline the signed summary names/);
    });

    it('attack: a summary re-signed by another vault, or by keys its identity never signed, is not the pinned vault’s', async () => {
      const path = copyOfCollection('resigned');
      const original = readSummary(path);
      const mallory = await newVault();
      const { signature: _s, signer: _signer, identityKey: _i, publicKeys: _p, ...body } = { ...original, gaps: [] };
      const forged = signCollectionSummary(mallory.session, { ...body, signed: false });
      // Their own vault: a valid signature, but not by the vault the auditor pinned.
      writeFileSync(path, JSON.stringify(forged));
      expect((await errorOf(verifyExportedFile(path, signer.session.fingerprint))).code).toBe('VAULT_TAMPERED');
      // Unpinned, it verifies as Mallory's vault: the fingerprint printed is not the signer's.
      expect((await verifyExportedFile(path)).fingerprint).toBe(mallory.session.fingerprint);
      // The real identity kept, Mallory's audit keys put beside it.
      writeFileSync(path, JSON.stringify({ ...forged, identityKey: original.identityKey }));
      const error = await errorOf(verifyExportedFile(path, signer.session.fingerprint));
      expect(error.code).toBe('VAULT_TAMPERED');
      expect(error.message).toMatch(/not signed by the vault identity/);
      await mallory.session.lock();
    });

    it('an unsigned summary is written (for who holds no signing key) but never verifies; an auditor cannot sign and nothing is written', async () => {
      const unsignedOut = join(work, 'unsigned-collection');
      const summary = await collectAuditExports([signed], unsignedOut);
      expect(summary.signed).toBe(false);
      const error = await errorOf(verifyExportedFile(join(unsignedOut, 'summary.json')));
      expect(error.code).toBe('AUDIT_BROKEN');
      expect(error.message).toMatch(/unsigned collection summary/);
      const audited = await newVault();
      await addMember(audited.session, { name: 'carol', role: 'auditor', passphrase: PASSPHRASES['carol'] ?? '' });
      await audited.session.lock();
      const carol = await unlockAs(audited.dir, 'carol');
      const out = join(work, 'auditor-collection');
      expect((await errorOf(collectAuditExports([signed], out, { signer: carol }))).code).toBe('VAULT_FORBIDDEN');
      expect(() => readdirSync(out)).toThrow();
      await carol.lock();
    });
  });
});
