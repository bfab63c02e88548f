/**
 * The binder's CLI contract (issue #21), with the BUILT `lifeboat` (npm run
 * build first): `binder --services … --out` writes the PDF and says what it
 * holds, `binder verify` exits 0 for a current page and 1 once it changed,
 * and a usage mistake is exit 2 with nothing written. Everything else about
 * the binder is proven in-process (binder-print.test.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRecord, editRecord } from '../../electron/vault/records/vault-records.js';
import { unlockAs, newVault, PASSPHRASES } from '../support/test-vault.js';
import { cliRunner, expectFailure, json, show } from '../support/cli-run.js';

const work = mkdtempSync(join(tmpdir(), 'lifeboat-binder-cli-'));
const lifeboat = cliRunner(() => work);
const PASS = { pass: PASSPHRASES['alice'] ?? '' };
let dir: string;
let runbook: string;

beforeAll(async () => {
  const created = await newVault(join(work, 'ops.lifeboat'));
  dir = created.dir;
  await createRecord(created.session, { type: 'service', title: 'Orders DB', data: { tier: 0 } });
  runbook = (await createRecord(created.session, { type: 'runbook', title: 'Restore orders', data: { service: 'Orders DB', body: 'Restore it.' } })).id;
  await created.session.lock();
});

describe('lifeboat binder', () => {
  it('prints a binder, then verifies a page: current (exit 0), changed since (exit 1)', async () => {
    const out = join(work, 'binder.pdf');
    const printed = json(await lifeboat(['binder', dir, '--as', 'alice', '--services', 'Orders DB', '--out', out, '--json'], PASS)) as { records: number };
    expect(printed.records).toBe(2);
    expect(existsSync(out)).toBe(true);
    const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    const code = new RegExp(`lifeboat-binder:1:[0-9a-f]{32}:${runbook}:1:[0-9a-f]{16}`).exec(text)?.[0] ?? '';
    expect(code).not.toBe('');

    const current = await lifeboat(['binder', 'verify', dir, '--as', 'alice', '--code', code], PASS);
    expect(current.code, show(current)).toBe(0);
    expect(current.stdout).toContain('Current: “Restore orders” is still at revision 1');

    const session = await unlockAs(dir, 'alice');
    await editRecord(session, runbook, { set: { body: 'Restore it from the replica.' } });
    await session.lock();
    const changed = await lifeboat(['binder', 'verify', dir, '--as', 'alice', '--code', code], PASS);
    expect(changed.code, show(changed)).toBe(1);
    expect(changed.stdout).toMatch(/Changed since: “Restore orders” is at revision 2 \(printed at 1\); last changed .* by alice/);
    expect(changed.stdout).toContain('revision 2: edited');
  }, 60_000);

  it('refuses two choices at once (exit 2) and writes nothing', async () => {
    const out = join(work, 'never.pdf');
    expectFailure(
      await lifeboat(['binder', dir, '--as', 'alice', '--all', '--search', 'orders', '--out', out], PASS),
      2,
      /exactly one of --search Q, --services A,B or --all/,
    );
    expect(existsSync(out)).toBe(false);
  });
});
