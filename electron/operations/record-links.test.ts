/**
 * Issue 17, "Links", on the vendored real repositories: each way GOV.UK's
 * manual and prometheus-operator's runbooks name another page of their own
 * catalog opens that record; anything else stays text with its path; a link
 * never leaves its catalog; following one is an open like any other, logged.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withHugoRefsAsPaths, type RecordLink } from '../../shared/markdown-links.js';
import { newVault } from '../../test/support/test-vault.js';
import { auditEntries } from '../vault/audit/vault-audit.js';
import type { VaultSession } from '../vault/vault-session.js';
import { syncCatalogFrom } from './catalog.js';
import { linkDestinations, resolveLink, type LinkTarget } from './record-links.js';
import { createRecord, openRecord } from './records.js';

const FIXTURES = join(import.meta.dirname, '../../test/fixtures');
let session: VaultSession;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lifeboat-links-'));
  // A GitLab-style tree: folders per service, linking each other with ../
  await mkdir(join(work, 'gitlab', 'ssl'), { recursive: true });
  await mkdir(join(work, 'gitlab', 'gitaly'), { recursive: true });
  await writeFile(join(work, 'gitlab', 'ssl', 'ssl_cert.md'), '# SSL certificate expiry\n\nRenew it.\n');
  await writeFile(
    join(work, 'gitlab', 'gitaly', 'outage.md'),
    '# Gitaly outage\n\nCheck [the certificate](../ssl/ssl_cert.md#renewal) first, then [the old notes](../../notes.md) ' +
      'and [the dashboard](https://dashboards.gitlab.net/d/gitaly) and [this page](#steps).\n',
  );
  session = (await newVault()).session;
  await syncCatalogFrom(session, { unsignedFolder: join(FIXTURES, 'govuk-developer-docs', 'manual'), catalogId: 'govuk-manual' });
  await syncCatalogFrom(session, { unsignedFolder: join(FIXTURES, 'prometheus-operator-runbooks', 'runbooks'), catalogId: 'prometheus-runbooks' });
  await syncCatalogFrom(session, { unsignedFolder: join(work, 'gitlab'), catalogId: 'gitlab-runbooks' });
}, 120_000);

afterAll(async () => {
  await session.lock();
  await rm(work, { recursive: true, force: true });
});

function idOf(catalogId: string, file: string): string {
  const found = session
    .store()
    .catalogFiles(catalogId)
    .find((r) => r.file === file);
  if (!found) {
    throw new Error(`no record for ${catalogId}:${file}`);
  }
  return found.id;
}

async function linksOf(catalogId: string, file: string): Promise<RecordLink[]> {
  return (await openRecord(session, idOf(catalogId, file))).links ?? [];
}

describe('links between the runbooks of one catalog', () => {
  it("resolves GOV.UK's site-absolute published paths (/manual/x.html for x.html.md), keeping the #anchor", async () => {
    const links = await linksOf('govuk-manual', 'get-started.html.md');
    expect(links.find((l) => l.href === '/manual/ask-for-help.html#contact-senior-tech')).toEqual({
      href: '/manual/ask-for-help.html#contact-senior-tech',
      kind: 'record',
      id: idOf('govuk-manual', 'ask-for-help.html.md'),
      title: 'Ask for help',
      file: 'ask-for-help.html.md',
      anchor: 'contact-senior-tech',
    });
    const logit = await linksOf('govuk-manual', 'logit.html.md');
    expect(logit.find((l) => l.href === '/manual/query-cdn-logs.html')).toMatchObject({ kind: 'record', title: 'Query CDN logs' });
  });

  it('resolves relative published paths (secrets-manager.html, alerts/x.html) from the linking page', async () => {
    const links = await linksOf('govuk-manual', 'amazonmq.html.md');
    expect(links.find((l) => l.href === 'secrets-manager.html')).toMatchObject({ kind: 'record', file: 'secrets-manager.html.md' });
    const help = await linksOf('govuk-manual', 'help-with-publishing-content.html.md');
    expect(help.find((l) => l.href === 'alerts/email-alerts-travel-medical.html')).toMatchObject({
      kind: 'record',
      file: 'alerts/email-alerts-travel-medical.html.md',
    });
    // A real dead link of the manual (the page is not in the repository): text with its path.
    expect(help.find((l) => l.href === 'alerts/email-alert-api-unprocessed-content-changes.html')).toMatchObject({
      kind: 'outside',
      path: 'alerts/email-alert-api-unprocessed-content-changes.html',
    });
  });

  it('resolves Hugo\'s {{< ref "./Other.md" >}} shortcodes (prometheus-operator) inside the page\'s folder', async () => {
    const links = await linksOf('prometheus-runbooks', 'node/NodeRAIDDiskFailure.md');
    expect(links).toEqual([
      {
        href: './NodeRAIDDegraded.md',
        kind: 'record',
        id: idOf('prometheus-runbooks', 'node/NodeRAIDDegraded.md'),
        title: 'Node RAID Degraded',
        file: 'node/NodeRAIDDegraded.md',
      },
    ]);
    const remote = await linksOf('prometheus-runbooks', 'prometheus/PrometheusRemoteWriteBehind.md');
    expect(remote.find((l) => l.kind === 'record')).toMatchObject({ file: 'prometheus/PrometheusRemoteStorageFailures.md' });
  });

  it('resolves ../ paths between folders; a path outside the catalog, a URL and an in-page anchor stay text', async () => {
    const links = await linksOf('gitlab-runbooks', 'gitaly/outage.md');
    expect(links).toEqual([
      {
        href: '../ssl/ssl_cert.md#renewal',
        kind: 'record',
        id: idOf('gitlab-runbooks', 'ssl/ssl_cert.md'),
        title: 'SSL certificate expiry',
        file: 'ssl/ssl_cert.md',
        anchor: 'renewal',
      },
      { href: '../../notes.md', kind: 'outside', path: '../../notes.md' },
      { href: 'https://dashboards.gitlab.net/d/gitaly', kind: 'external' },
      { href: '#steps', kind: 'anchor' },
    ]);
  });

  it('shows a site path the catalog does not hold as outside, with its path (/repos/signon.html is not in the manual)', async () => {
    const links = await linksOf('govuk-manual', 'get-started.html.md');
    expect(links.find((l) => l.href === '/repos/signon.html')).toEqual({ href: '/repos/signon.html', kind: 'outside', path: '/repos/signon.html' });
  });

  it('never leads into another catalog, and a record made in the vault links nowhere', async () => {
    const own = await createRecord(session, {
      type: 'runbook',
      title: 'Local notes',
      data: { body: 'See [RAID](node/NodeRAIDDegraded.md) and [logs](/manual/query-cdn-logs.html).' },
    });
    const links = (await openRecord(session, own.id)).links ?? [];
    expect(links.map((l) => l.kind)).toEqual(['outside', 'outside']);
    // The same relative name from a GitLab runbook does not reach the Prometheus catalog.
    const files = new Map<string, LinkTarget>();
    expect(resolveLink('node/NodeRAIDDegraded.md', 'gitaly/outage.md', files)).toMatchObject({ kind: 'outside', path: 'gitaly/node/NodeRAIDDegraded.md' });
  });

  it('following a link is an open like any other: logged before the target is returned', async () => {
    const [link] = await linksOf('prometheus-runbooks', 'node/NodeRAIDDiskFailure.md');
    expect(link?.kind).toBe('record');
    const before = auditEntries(session).length;
    const target = await openRecord(session, link?.kind === 'record' ? link.id : '');
    expect(target.title).toBe('Node RAID Degraded');
    const logged = auditEntries(session).slice(before);
    expect(logged.map((e) => e.event)).toContainEqual(expect.objectContaining({ type: 'record.opened', recordId: target.id }));
  });

  it('resolves at view time: a target synced after the linking page is found without re-syncing that page', async () => {
    const late = await mkdtemp(join(work, 'late-'));
    await writeFile(join(late, 'a.md'), '# A\n\nSee [b](b.md).\n');
    await syncCatalogFrom(session, { unsignedFolder: late, catalogId: 'late' });
    expect((await linksOf('late', 'a.md'))[0]).toMatchObject({ kind: 'outside', path: 'b.md' });
    await writeFile(join(late, 'b.md'), '# B\n');
    await syncCatalogFrom(session, { unsignedFolder: late, catalogId: 'late' });
    expect((await linksOf('late', 'a.md'))[0]).toMatchObject({ kind: 'record', title: 'B' });
  });
});

describe('the resolution rule, written forms one by one', () => {
  const target = (file: string): [string, LinkTarget] => [file, { id: `id:${file}`, title: file, file }];
  const files = new Map<string, LinkTarget>(
    ['docs/a.md', 'docs/guide/index.md', 'docs/b.html.md', 'docs/c.md', 'docs/my page.md', 'README.md', 'docs/sub/_index.md'].map(target),
  );
  const resolved = (href: string, from = 'docs/x.md'): string | undefined => {
    const link = resolveLink(href, from, files);
    return link.kind === 'record' ? link.file : `${link.kind}${link.kind === 'outside' ? `:${link.path}` : ''}`;
  };

  it('finds the source file of a published or extension-less name', () => {
    expect(resolved('a.md')).toBe('docs/a.md');
    expect(resolved('a')).toBe('docs/a.md');
    expect(resolved('b.html')).toBe('docs/b.html.md');
    expect(resolved('c.html')).toBe('docs/c.md');
    expect(resolved('c.htm?view=1#top')).toBe('docs/c.md');
    expect(resolved('guide/')).toBe('docs/guide/index.md');
    expect(resolved('sub')).toBe('docs/sub/_index.md');
    expect(resolved('my%20page.md')).toBe('docs/my page.md');
    expect(resolved('../README.md')).toBe('README.md');
    expect(resolved('/')).toBe('README.md');
  });

  it('keeps what names no file, or climbs out of the catalog, as outside with its path; names match case and all', () => {
    expect(resolved('../../etc/passwd')).toBe('outside:../../etc/passwd');
    expect(resolved('A.md')).toBe('outside:docs/A.md');
    expect(resolved('/elsewhere/thing.html')).toBe('outside:/elsewhere/thing.html');
    expect(resolved('mailto:oncall@example.org')).toBe('external');
    expect(resolved('//cdn.example/x.md')).toBe('external');
    expect(resolved('javascript:alert(1)')).toBe('external');
  });

  it("reads Hugo's ref and relref shortcodes, either delimiter, as the path they name", () => {
    expect(linkDestinations('[a]({{< ref "./a.md" >}}) [b]({{% relref "b.html" %}}) [c]({{<ref "c.md">}})')).toEqual(['./a.md', 'b.html', 'c.md']);
    expect(withHugoRefsAsPaths('no shortcode {{< ref "./a.md" >}} outside a link')).toBe('no shortcode {{< ref "./a.md" >}} outside a link');
  });
});
