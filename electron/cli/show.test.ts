/**
 * Issue 17, "`show` in a terminal": a runbook reads as a page, not as raw
 * Markdown (headings, lists, code, aligned tables), its links name the records
 * they open, its provenance is said in full (catalog, path, version, signed
 * by whom), colour only on a terminal without NO_COLOR, and --json gives
 * structured fields, never "[object Object]".
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSPHRASES, newVault, unlockAs } from '../../test/support/test-vault.js';
import { formatPublicKey, generatePublisherKey, packCatalog, syncCatalogFrom, trustPublisherKey, writePublisherKey } from '../operations/catalog.js';
import { runCli } from './run-cli.js';

const FIXTURES = join(import.meta.dirname, '../../test/fixtures');
let dir = '';
let work = '';
const ids: Record<string, string> = {};

const OUTAGE = `---
title: Gitaly outage
owner_slack: '#gitaly'
---
# Gitaly outage

Check [the certificate](../ssl/ssl_cert.md) first; see [the dashboard](https://dashboards.example/gitaly).

## Steps

1. Drain the node:

   \`\`\`sh
   gitalyctl drain --node \${NODE}
   \`\`\`

2. Restart it
   - check \`systemctl status gitaly\`

| Node | Shard | Load |
|:-----|:-----:|-----:|
| gitaly-01 | a | 0.5 |
| gitaly-02-long-name | bb | 12.25 |
`;

async function lifeboat(argv: string[], options: { tty?: boolean; env?: Record<string, string> } = {}): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await runCli(
    argv,
    { out: (t) => out.push(t), err: () => undefined },
    { version: '1', env: { LIFEBOAT_PASSPHRASE: PASSPHRASES['alice'] ?? '', ...options.env }, stdout: { isTty: options.tty === true, columns: 80 } },
  );
  return { code, out: out.join('') };
}

/** The text without SGR colour sequences (ESC [ digits m). */
function withoutColours(text: string): string {
  return text
    .split('\u001b')
    .map((piece, i) => (i === 0 ? piece : piece.replace(/^\[[\d;]*m/u, '')))
    .join('');
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lifeboat-show-'));
  const folder = join(work, 'gitlab');
  await mkdir(join(folder, 'ssl'), { recursive: true });
  await mkdir(join(folder, 'gitaly'), { recursive: true });
  await writeFile(join(folder, 'ssl', 'ssl_cert.md'), '# SSL certificate expiry\n\nRenew it.\n');
  await writeFile(join(folder, 'gitaly', 'outage.md'), OUTAGE);
  const key = await generatePublisherKey('Platform team');
  await writePublisherKey(join(work, 'platform.key'), key);
  const { bytes } = await packCatalog({ srcDir: folder, keyPath: join(work, 'platform.key'), catalogVersion: 7, catalogId: 'gitlab-runbooks' });
  await writeFile(join(work, 'gitlab.lbcat'), bytes);

  const created = await newVault();
  dir = created.dir;
  const session = created.session;
  await trustPublisherKey(session, { publicKey: formatPublicKey(key.publicKey), name: 'Platform team' });
  await syncCatalogFrom(session, { file: join(work, 'gitlab.lbcat') });
  await syncCatalogFrom(session, { unsignedFolder: join(FIXTURES, 'prometheus-operator-runbooks', 'runbooks'), catalogId: 'prometheus-runbooks' });
  // GOV.UK's RDS page numbers its steps in headings (issue 19): its steps are those, not step 7's sub-list.
  const rds = 'howto-backup-and-restore-in-aws-rds.html.md';
  await mkdir(join(work, 'govuk'));
  await copyFile(join(FIXTURES, 'govuk-developer-docs', 'manual', rds), join(work, 'govuk', rds));
  await syncCatalogFrom(session, { unsignedFolder: join(work, 'govuk'), catalogId: 'govuk-manual' });
  for (const [name, catalogId, file] of [
    ['rds', 'govuk-manual', rds],
    ['outage', 'gitlab-runbooks', 'gitaly/outage.md'],
    ['cert', 'gitlab-runbooks', 'ssl/ssl_cert.md'],
    ['raid', 'prometheus-runbooks', 'node/NodeRAIDDiskFailure.md'],
    ['degraded', 'prometheus-runbooks', 'node/NodeRAIDDegraded.md'],
  ] as const) {
    ids[name] = session
      .store()
      .catalogFiles(catalogId)
      .find((r) => r.file === file)?.id as string;
  }
  await session.lock();
}, 120_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('lifeboat show, for a person', () => {
  it('says where the record came from in full: catalog id, path, version, signed by its publisher', async () => {
    const { code, out } = await lifeboat(['show', dir, '--as', 'alice', ids['outage'] ?? '']);
    expect(code).toBe(0);
    expect(out).toContain('  source: catalog gitlab-runbooks version 7, gitaly/outage.md, signed by "Platform team"');
    const raid = await lifeboat(['show', dir, '--as', 'alice', ids['raid'] ?? '']);
    expect(raid.out).toContain('  source: catalog prometheus-runbooks version 0, node/NodeRAIDDiskFailure.md, unsigned');
  });

  it('never prints [object Object]: kept front matter is listed key by key', async () => {
    const { out } = await lifeboat(['show', dir, '--as', 'alice', ids['outage'] ?? '']);
    expect(out).not.toContain('[object Object]');
    expect(out).not.toContain('catalogRef');
    expect(out).toMatch(/ {2}meta:\n {4}owner_slack: #gitaly/u);
    expect(out).not.toMatch(/validation:/u);
  });

  it('renders the Markdown: headings underlined, numbered steps, code indented under its step, tables aligned', async () => {
    const { out } = await lifeboat(['show', dir, '--as', 'alice', ids['outage'] ?? '']);
    expect(out).not.toContain('## Steps');
    expect(out).toContain('Steps\n─────');
    expect(out).toContain('\n1. Drain the node:\n');
    expect(out).toContain('       gitalyctl drain --node ${NODE}\n');
    expect(out).toContain('\n2. Restart it\n');
    expect(out).toContain('\n    • check `systemctl status gitaly`');
    expect(out).toContain(
      [
        'Node                │ Shard │  Load',
        '────────────────────┼───────┼──────',
        'gitaly-01           │   a   │   0.5',
        'gitaly-02-long-name │  bb   │ 12.25',
      ].join('\n'),
    );
  });

  it("lists a runbook's steps as the window does: the RDS page's eight numbered headings, each with its commands", async () => {
    const { code, out } = await lifeboat(['show', dir, '--as', 'alice', ids['rds'] ?? '']);
    expect(code).toBe(0);
    const steps = [...out.matchAll(/^ {4}(\d+)\. (.*)$/gmu)].map((m) => `${m[1]}. ${m[2]}`);
    expect(steps).toEqual([
      '1. Retrieve a list of all snapshot ARNs for your application',
      '2. Find which database the snapshot was generated by',
      '3. Ensure the restored database has the same security groups',
      '4. Restore the database instance from a snapshot',
      '5. Test the database has been fully restored',
      "6. Get the new database's hostname",
      '7. Connect to the restored backup database',
      '8. Check that the app is now using the restored database',
    ]);
    expect(out).toContain('         ActiveRecord::Base.connection_db_config.host\n');
  });

  it("names the record a link opens (title and id), shows a URL as text, and follows Hugo's ref shortcodes", async () => {
    const { out } = await lifeboat(['show', dir, '--as', 'alice', ids['outage'] ?? '']);
    // Paragraphs wrap at the terminal's width (80 columns here).
    expect(out.replace(/\n(?=\S)/gu, ' ')).toContain(
      `Check the certificate [→ SSL certificate expiry, ${ids['cert'] ?? ''}] first; see the dashboard (https://dashboards.example/gitaly).`,
    );
    const raid = await lifeboat(['show', dir, '--as', 'alice', ids['raid'] ?? '']);
    expect(raid.out).toContain(`See Node RAID Degraded [→ Node RAID Degraded, ${ids['degraded'] ?? ''}]`);
    expect(raid.out).not.toContain('{{<');
  });

  it('colours only on a terminal, and not when NO_COLOR is set; a pipe gets plain text', async () => {
    const piped = await lifeboat(['show', dir, '--as', 'alice', ids['outage'] ?? '']);
    expect(piped.out).not.toContain('\u001b');
    // A step's command (kept by the catalog import) is indented under its step, without its fence.
    expect(piped.out).toContain('    1. Drain the node:\n         gitalyctl drain --node ${NODE}\n    2. Restart it');
    const tty = await lifeboat(['show', dir, '--as', 'alice', ids['outage'] ?? ''], { tty: true });
    expect(tty.out).toContain('\u001b[1;36mGitaly outage\u001b[0m');
    // The same page, styled: inline code in colour rather than between backticks.
    expect(withoutColours(tty.out)).toBe(piped.out.replace(/`/gu, ''));
    const noColour = await lifeboat(['show', dir, '--as', 'alice', ids['outage'] ?? ''], { tty: true, env: { NO_COLOR: '1' } });
    expect(noColour.out).toBe(piped.out);
  });

  it('--json gives structured fields: catalogRef and meta as objects, the provenance and every link resolved', async () => {
    const { code, out } = await lifeboat(['show', dir, '--as', 'alice', ids['outage'] ?? '', '--json']);
    expect(code).toBe(0);
    expect(out).not.toContain('[object Object]');
    const shown = JSON.parse(out) as { data: Record<string, unknown>; source: unknown; links: unknown };
    expect(shown.data['catalogRef']).toMatchObject({ catalogId: 'gitlab-runbooks', file: 'gitaly/outage.md', catalogVersion: 7 });
    expect(shown.data['meta']).toEqual({ owner_slack: '#gitaly' });
    expect(shown.source).toEqual({
      catalogId: 'gitlab-runbooks',
      path: 'gitaly/outage.md',
      version: 7,
      signed: true,
      publisher: 'Platform team',
      archived: false,
    });
    expect(shown.links).toEqual([
      { href: '../ssl/ssl_cert.md', kind: 'record', id: ids['cert'], title: 'SSL certificate expiry', file: 'ssl/ssl_cert.md' },
      { href: 'https://dashboards.example/gitaly', kind: 'external' },
    ]);
  });

  it('a record made in the vault shows no source and its relative links as text with the path', async () => {
    const session = await unlockAs(dir, 'alice');
    const { createRecord } = await import('../operations/records.js');
    const own = await createRecord(session, { type: 'runbook', title: 'Local', data: { body: 'See [notes](notes/a.md).' } });
    await session.lock();
    const { out } = await lifeboat(['show', dir, '--as', 'alice', own.id]);
    expect(out).not.toContain('source:');
    expect(out).toContain('See notes (notes/a.md).');
  });
});
