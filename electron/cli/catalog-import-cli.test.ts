/**
 * Issue 17 at the command line: `catalog pack` of a GitLab-like repository
 * succeeds and says what every vault will skip and warn about; `sync`
 * (dry run and --json) lists the same; a folder holding a broken Backstage
 * entity is refused by pack and by sync alike (exit 2, naming file and line).
 */
import { runCliCaptured, type CapturedRun } from '../../test/support/cli-in-process.js';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newVault } from '../../test/support/test-vault.js';
import { trustPublisher } from '../catalog/catalog-trust.js';
import { encodeBase64, generatePublisherKey, writePublisherKey } from '../catalog/publisher-key.js';

const GITLAB = join(process.cwd(), 'test/fixtures/gitlab-like');
let work = '';
let keyPath = '';
let vault = '';

function lifeboat(...argv: string[]): Promise<CapturedRun> {
  return runCliCaptured(argv);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lifeboat-import-cli-'));
  keyPath = join(work, 'publisher.key');
  const key = await generatePublisherKey('Platform team');
  await writePublisherKey(keyPath, key);
  const created = await newVault(join(work, 'ops.lifeboat'));
  vault = created.dir;
  await trustPublisher(created.session, { name: 'Platform team', keyId: key.keyId, publicKey: encodeBase64(key.publicKey) });
  await created.session.lock();
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('catalog pack and sync of a docs repository as it is', () => {
  it('pack succeeds and prints what a vault will skip and warn about; --json carries both', async () => {
    const out = join(work, 'gitlab.lbcat');
    const packed = await lifeboat('catalog', 'pack', GITLAB, '--key', keyPath, '--version', '1', '--id', 'gitlab', '--out', out);
    expect(packed.code, packed.err).toBe(0);
    expect(packed.out).toContain('Packed 14 files as gitlab version 1');
    expect(packed.err).toContain('A vault syncing this catalog will report:');
    expect(packed.err).toContain('  skipped (not a catalog entity) (8):');
    expect(packed.err).toContain('    service-catalog.yml:3: not a Backstage entity (no apiVersion)');
    expect(packed.err).toContain('  warnings (6):');

    const json = await lifeboat('catalog', 'pack', GITLAB, '--key', keyPath, '--version', '1', '--id', 'gitlab', '--out', out, '--json');
    const parsed = JSON.parse(json.out) as { skipped: { file: string }[]; warnings: { message: string }[] };
    expect(parsed.skipped.map((s) => s.file)).toContain('teams.yml');
    expect(parsed.warnings).toHaveLength(6);
  });

  it('sync --dry-run lists them under the diff, and --json gives them as skipped and warnings', async () => {
    const file = join(work, 'gitlab.lbcat');
    const dry = await lifeboat('sync', vault, '--as', 'alice', file, '--dry-run');
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain('added 8, changed 0');
    expect(dry.out).toContain('  skipped (not a catalog entity) (6):\n    docs/uncategorized/blank.md: an empty page');
    expect(dry.out).toContain('    k8s/deployment.yaml:1: not a Backstage entity (apiVersion "apps/v1" is not backstage.io/…)');
    expect(dry.out).toContain(
      '    docs/ci-runners/restore-from-backup.md: 2 runbooks share the title "Restore from backup": docs/ci-runners/restore-from-backup.md, docs/patroni/restore-from-backup.md.',
    );
    const json = await lifeboat('sync', vault, '--as', 'alice', file, '--dry-run', '--json');
    const report = JSON.parse(json.out) as { skipped: { file: string; reason: string }[]; warnings: { files?: string[] }[] };
    expect(report.skipped.find((s) => s.file === 'teams.yml')?.reason).toBe('not a Backstage entity (no apiVersion)');
    expect(report.warnings.find((w) => w.files)?.files).toEqual(['docs/ci-runners/restore-from-backup.md', 'docs/patroni/restore-from-backup.md']);
  });

  it('a broken Backstage entity: pack and sync both refuse (exit 2), naming the file and line', async () => {
    const dir = join(work, 'broken');
    await cp(GITLAB, dir, { recursive: true });
    await writeFile(join(dir, 'catalog-info.yaml'), 'apiVersion: backstage.io/v1alpha1\nmetadata:\n  name: gitaly\n');
    const pack = await lifeboat('catalog', 'pack', dir, '--key', keyPath, '--version', '1', '--id', 'gitlab', '--out', join(work, 'broken.lbcat'));
    expect(pack.code).toBe(2);
    expect(pack.err).toContain('nothing was packed. First: catalog-info.yaml:1 (kind): The entity has no kind.');
    const sync = await lifeboat('sync', vault, '--as', 'alice', '--unsigned', dir, '--id', 'gitlab-folder', '--dry-run');
    expect(sync.code).toBe(2);
    expect(sync.err).toContain('nothing was changed. First: catalog-info.yaml:1 (kind): The entity has no kind.');
  });
});
