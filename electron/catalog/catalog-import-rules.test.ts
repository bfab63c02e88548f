/**
 * Issue 17: real docs-as-code repositories imported as they are. Foreign
 * files are skipped (listed, never fatal), titles never come from a lower
 * heading, empty pages / generic and shared titles are warnings, generated
 * noise is stripped, and steps keep their code and link targets. Read on
 * the vendored fixtures (test/fixtures/README.md): GOV.UK's manual,
 * prometheus-operator's runbooks, and a GitLab-like repository layout.
 * `catalog pack` reads content with the same function a sync does, so both
 * skip, warn about and refuse the same files.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LifeboatError } from '../../shared/errors.js';
import { RECORD_KINDS } from '../../shared/record-kinds.js';
import { newVault } from '../../test/support/test-vault.js';
import { searchRecords } from '../vault/records/vault-records.js';
import { parseCatalogContent, type CatalogEntry } from './catalog-content.js';
import { packCatalog } from './catalog-manifest.js';
import { syncCatalog } from './catalog-sync.js';
import { trustPublisher } from './catalog-trust.js';
import { encodeBase64, generatePublisherKey, readPublisherKey, writePublisherKey } from './publisher-key.js';
import { isAlertName, titleFromFileName } from './markdown-entry.js';
import { stripNoise } from './markdown-text.js';

const FIXTURES = join(process.cwd(), 'test/fixtures');
const GITLAB = join(FIXTURES, 'gitlab-like');

function readFolder(root: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path);
      } else {
        files.set(relative(root, path).split('\\').join('/'), readFileSync(path));
      }
    }
  };
  walk(root);
  return files;
}

function entry(entries: readonly CatalogEntry[], key: string): CatalogEntry {
  const found = entries.find((e) => e.key === key);
  expect(found, key).toBeDefined();
  return found as CatalogEntry;
}

let work = '';
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lifeboat-import-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('foreign files are skipped, not fatal', () => {
  it('a GitLab-like repository: service-catalog.yml, teams.yml, a Kubernetes manifest, a Helm template other file types and an image no page shows are listed as skipped with why', () => {
    const { entries, problems, skipped } = parseCatalogContent(readFolder(GITLAB));
    expect(problems).toEqual([]);
    expect(skipped.map((s) => [s.file, s.reason])).toEqual([
      ['docs/uncategorized/blank.md', 'an empty page'],
      ['docs/uncategorized/empty.md', 'an empty page'],
      ['img/diagram.png', 'an image no page shows (not carried)'],
      ['k8s/dashboards.json', expect.stringMatching(/^not a catalog entity/)],
      ['k8s/deployment.yaml', 'not a Backstage entity (apiVersion "apps/v1" is not backstage.io/…)'],
      ['k8s/templates/service.yaml', expect.stringMatching(/^not a Backstage entity/)],
      ['service-catalog.yml', 'not a Backstage entity (no apiVersion)'],
      ['teams.yml', 'not a Backstage entity (no apiVersion)'],
    ]);
    expect(entries.map((e) => e.file)).toEqual([
      'README.md',
      'docs/ci-runners/restore-from-backup.md',
      'docs/gitaly/README.md',
      'docs/gitaly/gitaly-down.md',
      'docs/patroni/README.md',
      'docs/patroni/failover.md',
      'docs/patroni/restore-from-backup.md',
      'docs/uncategorized/PatroniReplicationLagHigh.md',
    ]);
  });

  it('a file that is a Backstage entity and broken still refuses the catalog, with file and line', () => {
    const files = readFolder(GITLAB);
    files.set('catalog-info.yaml', new TextEncoder().encode('apiVersion: backstage.io/v1alpha1\nmetadata:\n  name: gitaly\n'));
    files.set('broken.yaml', new TextEncoder().encode('apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: [name: x\n'));
    const { problems, skipped } = parseCatalogContent(files);
    expect(problems.map((p) => [p.file, p.line])).toEqual([
      ['broken.yaml', expect.any(Number)],
      ['catalog-info.yaml', 1],
    ]);
    expect(problems[1]?.message).toBe('The entity has no kind.');
    expect(skipped.some((s) => s.file === 'catalog-info.yaml' || s.file === 'broken.yaml')).toBe(false);
  });

  it('Backstage kinds Lifeboat does not import are listed as skipped, by document and line', () => {
    const files = readFolder(join(FIXTURES, 'backstage-catalogs/giantswarm'));
    const { skipped } = parseCatalogContent(files);
    const apis = skipped.filter((s) => s.reason === 'a Backstage API, a kind Lifeboat does not import');
    expect(apis).toHaveLength(18);
    expect(apis.every((s) => typeof s.line === 'number' && s.line > 0)).toBe(true);
  });
});

describe('titles', () => {
  const { entries, warnings } = parseCatalogContent(readFolder(GITLAB));

  it('never from a lower heading: front matter title, else the only H1, else the file name humanised', () => {
    expect(entries.map((e) => [e.file, e.title])).toEqual([
      ['README.md', 'README'],
      ['docs/ci-runners/restore-from-backup.md', 'Restore from backup'],
      ['docs/gitaly/README.md', 'Gitaly'],
      ['docs/gitaly/gitaly-down.md', 'Gitaly down'],
      ['docs/patroni/README.md', 'Overview'],
      ['docs/patroni/failover.md', 'Postgres failover'],
      ['docs/patroni/restore-from-backup.md', 'Restore from backup'],
      ['docs/uncategorized/PatroniReplicationLagHigh.md', 'PatroniReplicationLagHigh'],
    ]);
    expect(titleFromFileName('kubernetes/KubePodCrashLooping.md')).toBe('KubePodCrashLooping');
    expect(titleFromFileName('restore-from-backup.md')).toBe('Restore from backup');
    expect(titleFromFileName('manual/rotate_SSL_certs.html.md')).toBe('Rotate SSL certs');
  });

  it('an alert runbook keeps the alert it is named after as a searchable field', () => {
    expect(entry(entries, 'docs/uncategorized/PatroniReplicationLagHigh.md').data['alert']).toBe('PatroniReplicationLagHigh');
    expect(entry(entries, 'docs/gitaly/gitaly-down.md').data['alert']).toBeUndefined();
    const prometheus = parseCatalogContent(readFolder(join(FIXTURES, 'prometheus-operator-runbooks/runbooks'))).entries;
    // The title says it in words; the alert stays as the pager says it.
    const clock = entry(prometheus, 'node/NodeClockNotSynchronising.md');
    expect([clock.title, clock.data['alert']]).toEqual(['Node Clock Not Synchronising', 'NodeClockNotSynchronising']);
    expect(entry(prometheus, 'etcd/etcdMembersDown.md').data['alert']).toBe('etcdMembersDown');
    expect(entry(prometheus, 'kubernetes/CPUThrottlingHigh.md').data['alert']).toBe('CPUThrottlingHigh');
    // Every page but the section indexes, and Watchdog (one word, like "Overview": not taken for an alert).
    expect(prometheus.filter((e) => e.data['alert'] === undefined).map((e) => e.file)).toEqual(
      prometheus.filter((e) => e.file.endsWith('_index.md') || e.file === 'general/Watchdog.md').map((e) => e.file),
    );
    for (const name of ['README', 'restore-from-backup', 'Overview', 'gitaly', 'db_restore']) {
      expect(isAlertName(name), name).toBe(false);
    }
    const runbookAlert = RECORD_KINDS.runbook.fields.find((f) => f.key === 'alert');
    expect(runbookAlert?.search).toBeDefined();
  });

  it('warns, naming the files, about empty pages, several H1s, generic titles and titles several pages share', () => {
    expect(warnings.map((w) => [w.file, w.message])).toEqual([
      ['README.md', 'README.md is titled "README", which says nothing about it: give it a front matter title or a # heading that names what it is for.'],
      [
        'docs/ci-runners/restore-from-backup.md',
        '2 runbooks share the title "Restore from backup": docs/ci-runners/restore-from-backup.md, docs/patroni/restore-from-backup.md. Searches and checklists cannot tell them apart.',
      ],
      [
        'docs/patroni/README.md',
        'docs/patroni/README.md is titled "Overview", which says nothing about it: give it a front matter title or a # heading that names what it is for.',
      ],
      [
        'docs/patroni/README.md',
        'docs/patroni/README.md has 2 level-1 headings (lines 1, 5): titled by the first, "Overview". Give it a front matter title, or keep one # heading.',
      ],
      ['docs/uncategorized/blank.md', 'docs/uncategorized/blank.md is empty (no text, no title): skipped.'],
      ['docs/uncategorized/empty.md', 'docs/uncategorized/empty.md is empty (no text, no title): skipped.'],
    ]);
    expect(warnings.find((w) => w.files)?.files).toEqual(['docs/ci-runners/restore-from-backup.md', 'docs/patroni/restore-from-backup.md']);
  });
});

describe('generated noise is neither shown nor indexed', () => {
  it('strips HTML comments and [[_TOC_]] lines from the body, leaving code as written', () => {
    const { entries } = parseCatalogContent(readFolder(GITLAB));
    const gitaly = String(entry(entries, 'docs/gitaly/README.md').data['body']);
    expect(gitaly).not.toMatch(/MARKER|_TOC_|<!--/);
    expect(gitaly).toContain('## Summary\n\nGitaly serves every Git read and write.');
    expect(stripNoise('```html\n<!-- kept: code -->\n```\n<!-- gone -->\n\n    <!-- indented code -->\n')).toBe(
      '```html\n<!-- kept: code -->\n```\n\n\n    <!-- indented code -->\n',
    );
    expect(stripNoise('a <!-- x\ny --> b\n[TOC]\n{{< toc >}}\n')).toBe('a \n b\n\n\n');
  });

  it("on GOV.UK's real pages: the statuspage page's <!-- --> separators are gone, the rest of the page is as written", () => {
    const { entries } = parseCatalogContent(readFolder(join(FIXTURES, 'govuk-developer-docs/manual')));
    const page = String(entry(entries, 'post-a-statuspage-message.html.md').data['body']);
    expect(page).not.toContain('<!--');
    expect(page).toContain('## ');
  });
});

describe('steps keep their substance', () => {
  it('a GOV.UK step keeps the command under it (clear-the-redis-cache), fenced on lines of its own', () => {
    const { entries } = parseCatalogContent(readFolder(join(FIXTURES, 'govuk-developer-docs/manual')));
    const steps = entry(entries, 'clear-the-redis-cache.html.md').data['steps'] as string[];
    expect(steps[0]).toMatch(/^Find the search-api-v2 redis pod:\n```\nk get pods \| grep search-api-v2\n/);
    expect(steps[2]).toBe('Run the Redis command-line interface (CLI) directly within the pod\n```\nk exec -it <pod-name> -- redis-cli\n```');
    expect(steps[4]).toBe('Clear the cache\n```\n> flushall\n```');
  });

  it('"start it:" keeps its command, and a step keeps where its links go', () => {
    const { entries } = parseCatalogContent(readFolder(GITLAB));
    expect(entry(entries, 'docs/gitaly/README.md').data['steps']).toEqual([
      'Check that the Gitaly process is up on the node:\n```shell\nsudo gitlab-ctl status gitaly\n```',
      'If the service is not running, start it:\n```shell\nsudo gitlab-ctl start gitaly\n```',
      'Read the Gitaly dashboard (https://dashboards.example.invalid/gitaly) and the patroni runbook (../patroni/README.md).',
    ]);
    expect(entry(entries, 'docs/gitaly/gitaly-down.md').data['steps']).toEqual([
      'Look at the error rate of the `gitaly` service.',
      'Fail over to the replica node with the failover steps (../patroni/failover.md).',
    ]);
  });
});

describe('pack and sync agree (one function decides)', () => {
  let keyPath = '';
  beforeAll(async () => {
    keyPath = join(work, 'platform.key');
    await writePublisherKey(keyPath, await generatePublisherKey('Platform Team'));
  });

  it('pack warns about what a vault skips and warns about; the sync of the same catalog lists the same', async () => {
    const packed = await packCatalog({ srcDir: GITLAB, keyPath, catalogVersion: 1, catalogId: 'gitlab' });
    expect(packed.skipped.map((s) => s.file)).toEqual([
      'docs/uncategorized/blank.md',
      'docs/uncategorized/empty.md',
      'img/diagram.png',
      'k8s/dashboards.json',
      'k8s/deployment.yaml',
      'k8s/templates/service.yaml',
      'service-catalog.yml',
      'teams.yml',
    ]);
    expect(packed.warnings).toHaveLength(6);

    const { session } = await newVault();
    const signer = await readPublisherKey(keyPath);
    await trustPublisher(session, { name: 'Platform Team', keyId: signer.keyId, publicKey: encodeBase64(signer.publicKey) });
    const dry = await syncCatalog(session, { kind: 'signed', bytes: packed.bytes, label: 'gitlab.lbcat' }, { dryRun: true });
    expect(dry.diff.added).toHaveLength(8);
    // Files of other types are not packed: the signed catalog's skips are the YAML and the empty pages.
    expect(dry.skipped.map((s) => s.file)).toEqual(packed.skipped.map((s) => s.file).filter((f) => !/\.(png|json)$/.test(f)));
    expect(dry.warnings).toEqual(packed.warnings);

    // The unsigned folder lists every skipped file, other types too.
    const unsigned = await syncCatalog(session, { kind: 'unsigned', dir: GITLAB, catalogId: 'gitlab-folder' }, { dryRun: true });
    expect(unsigned.skipped).toEqual(packed.skipped);
    expect(unsigned.warnings).toEqual(packed.warnings);

    // Applied: the alert field is searchable.
    await syncCatalog(session, { kind: 'signed', bytes: packed.bytes, label: 'gitlab.lbcat' });
    const hits = searchRecords(session, 'PatroniReplicationLagHigh').hits;
    expect(hits[0]?.title).toBe('PatroniReplicationLagHigh');
    await session.lock();
  });

  it('pack refuses what a vault refuses, with the same problems', async () => {
    const dir = await mkdtemp(join(work, 'broken-'));
    await cp(GITLAB, dir, { recursive: true });
    await writeFile(join(dir, 'catalog-info.yaml'), 'apiVersion: backstage.io/v1alpha1\nmetadata:\n  name: gitaly\n');
    const packError = await packCatalog({ srcDir: dir, keyPath, catalogVersion: 1, catalogId: 'gitlab' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(packError).toBeInstanceOf(LifeboatError);
    expect((packError as LifeboatError).code).toBe('CATALOG_INVALID');
    expect((packError as LifeboatError).message).toContain('nothing was packed. First: catalog-info.yaml:1 (kind): The entity has no kind.');

    const { session } = await newVault();
    const syncError = await syncCatalog(session, { kind: 'unsigned', dir, catalogId: 'gitlab' }, { dryRun: true }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((syncError as LifeboatError).code).toBe('CATALOG_INVALID');
    expect((syncError as LifeboatError).problems).toEqual((packError as LifeboatError).problems);
    await session.lock();
  });
});
