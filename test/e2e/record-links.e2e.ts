/**
 * Issue 17, "Links", through the real window: a signed catalog of real pages
 * that link to each other (GOV.UK's manual by published path, Hugo ref
 * shortcodes in prometheus-operator's runbooks) is synced in the Sync screen;
 * a runbook is opened, its link to another page of the catalog is reached
 * with Tab and followed with Enter, and the target record is shown (and its
 * open logged). Links elsewhere stay text with their path; nothing is fetched.
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packCatalog } from '../../electron/catalog/catalog-manifest.js';
import { trustPublisher } from '../../electron/catalog/catalog-trust.js';
import { encodeBase64, generatePublisherKey, writePublisherKey } from '../../electron/catalog/publisher-key.js';
import { createVault } from '../../electron/vault/vault-open.js';
import { openBySearch, startApp, tabToRecordLink, type TestApp, screenshotsAtBothSizes, unlockInWindow } from './harness.js';

const PASS = 'correct horse battery staple';
let app: TestApp;
let work: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lifeboat-links-'));
  const src = join(work, 'ops-docs');
  mkdirSync(join(src, 'manual'), { recursive: true });
  for (const page of ['logit.html.md', 'query-cdn-logs.html.md', 'get-started.html.md', 'ask-for-help.html.md']) {
    cpSync(join('test/fixtures/govuk-developer-docs/manual', page), join(src, 'manual', page));
  }
  cpSync('test/fixtures/prometheus-operator-runbooks/runbooks/node', join(src, 'node'), { recursive: true, filter: (path) => !path.endsWith('_index.md') });
  const key = await generatePublisherKey('Platform team');
  await writePublisherKey(join(work, 'publisher.key'), key);
  writeFileSync(
    join(work, 'ops-v1.lbcat'),
    (await packCatalog({ srcDir: src, keyPath: join(work, 'publisher.key'), catalogVersion: 1, catalogId: 'ops' })).bytes,
  );
  const dir = join(work, 'ops.lifeboat');
  const session = await createVault(dir, { owner: 'alice', passphrase: PASS, insecureFastKdf: true, name: 'Ops recovery' });
  await trustPublisher(session, { name: 'Platform team', keyId: key.keyId, publicKey: encodeBase64(key.publicKey) });
  await session.lock();
  app = await startApp();
  await unlockInWindow(app, dir, 'alice', PASS);
});

afterAll(async () => {
  await app.close();
});

describe('links between runbooks in the window', () => {
  it('syncs a signed catalog whose pages link to each other', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Sync', exact: true }).click();
    await page.getByLabel('Catalog file (.lbcat)').fill(join(work, 'ops-v1.lbcat'));
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByTestId('sync-report').waitFor();
    await page.getByRole('button', { name: 'Apply this sync' }).click();
    await page.getByTestId('sync-done').waitFor();
    expect(await page.getByTestId('sync-counts').textContent()).toMatch(/Applied: \d+ added/u);
    await page.getByRole('button', { name: 'Library', exact: true }).click();
  });

  it("follows GOV.UK's /manual/query-cdn-logs.html with Tab and Enter to the page it was published from; URLs stay text", async () => {
    const { page } = app;
    await openBySearch(app, 'View GOV.UK logs in Logit', 'View GOV.UK logs in Logit');
    const markdown = page.getByTestId('markdown');
    const link = markdown.locator('button.md-record-link', { hasText: 'Query CDN logs' });
    expect(await link.getAttribute('title')).toBe('Open “Query CDN logs” (manual/query-cdn-logs.html.md)');
    // A URL is shown, never a link: no <a> anywhere, the address as text.
    expect(await markdown.locator('a').count()).toBe(0);
    expect(await markdown.textContent()).toContain('(https://logit.io/blog/post/elk-stack-guide/#what-is-the-elk-stack)');
    await tabToRecordLink(app, 'Query CDN logs');
    // Focused by the keyboard: the screenshots show the focus ring on the link.
    await screenshotsAtBothSizes(app, 'record-links', link);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#record-title').textContent()).toBe('Query CDN logs');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('record-title');
    await screenshotsAtBothSizes(app, 'record-link-followed');
  });

  it('opens a link on a click too, and lands on the heading its #anchor names', async () => {
    const { page } = app;
    await openBySearch(app, 'Get started developing on GOV.UK', 'Get started developing on GOV.UK');
    await page.getByTestId('markdown').locator('button.md-record-link', { hasText: 'GOV.UK senior tech' }).click();
    await expect.poll(() => page.locator('#record-title').textContent()).toBe('Ask for help');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Contact Senior Tech');
    // A page of the site that is not in this catalog stays text with its path.
    await openBySearch(app, 'Get started developing on GOV.UK', 'Get started developing on GOV.UK');
    expect(await page.getByTestId('markdown').textContent()).toContain('Signon (/repos/signon.html)');
  });

  it("follows a Hugo {{< ref >}} link of prometheus-operator's runbooks, and every open is in the audit log", async () => {
    const { page } = app;
    await openBySearch(app, 'NodeRAIDDiskFailure', 'Node RAID Disk Failure');
    expect(await page.getByTestId('markdown').textContent()).not.toContain('{{<');
    await tabToRecordLink(app, 'Node RAID Degraded');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#record-title').textContent()).toBe('Node RAID Degraded');
    const opened = await page.evaluate(async () => {
      const result = await window.lifeboat?.invoke('audit:list', {});
      if (!result) {
        return [];
      }
      return result.ok ? result.value.filter((e) => e.event.type === 'record.opened').map((e) => (e.event as { recordTitle?: string }).recordTitle) : [];
    });
    expect(opened).toEqual(
      expect.arrayContaining(['View GOV.UK logs in Logit', 'Query CDN logs', 'Ask for help', 'Node RAID Disk Failure', 'Node RAID Degraded']),
    );
    expect(app.foreignRequests).toEqual([]);
    expect(app.consoleErrors).toEqual([]);
  });
});
