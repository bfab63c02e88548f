/**
 * Issue 17, "Images", through the real window: a signed catalog whose pages
 * show PNG, JPEG, GIF, WebP and SVG images and link to each other
 * (test/fixtures/runbooks-with-images) is synced in the Sync screen; a
 * runbook is opened and its images are shown from memory (data: URLs: no
 * request, no file); the SVG's script never runs; a missing and a remote
 * image are placeholders saying why; a link to the other page is followed
 * with the keyboard and that page's images show too.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packCatalog } from '../../electron/catalog/catalog-manifest.js';
import { trustPublisher } from '../../electron/catalog/catalog-trust.js';
import { encodeBase64, generatePublisherKey, writePublisherKey } from '../../electron/catalog/publisher-key.js';
import { createVault } from '../../electron/vault/vault-open.js';
import { openBySearch, screenshotsAtBothSizes, startApp, tabToRecordLink, type TestApp, unlockInWindow } from './harness.js';

const PASS = 'correct horse battery staple';
let app: TestApp;
let work: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lifeboat-images-'));
  const key = await generatePublisherKey('Platform team');
  await writePublisherKey(join(work, 'publisher.key'), key);
  const packed = await packCatalog({
    srcDir: 'test/fixtures/runbooks-with-images',
    keyPath: join(work, 'publisher.key'),
    catalogVersion: 1,
    catalogId: 'db-runbooks',
  });
  writeFileSync(join(work, 'db-v1.lbcat'), packed.bytes);
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

/** Each <img> of the record body: its type, whether it decoded, its alt text. */
function shownImages() {
  return app.page.getByTestId('markdown').evaluate((root) =>
    [...root.querySelectorAll('img')].map((img) => ({
      type: /^data:([^;]+);base64,/u.exec(img.getAttribute('src') ?? '')?.[1] ?? img.getAttribute('src'),
      decoded: img.complete && img.naturalWidth > 0,
      alt: img.alt,
    })),
  );
}

describe('images of a catalog in the window', () => {
  it('syncs a signed catalog and says how many images it carries', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Sync', exact: true }).click();
    await page.getByLabel('Catalog file (.lbcat)').fill(join(work, 'db-v1.lbcat'));
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByTestId('sync-report').waitFor();
    expect(await page.getByTestId('sync-images').textContent()).toContain('Images: 5 carried');
    expect(await page.getByTestId('sync-warnings').textContent()).toContain('img/grafana.png, which is not in the catalog');
    await page.getByRole('button', { name: 'Apply this sync' }).click();
    await page.getByTestId('sync-done').waitFor();
    await page.getByRole('button', { name: 'Library', exact: true }).click();
  });

  it('shows a runbook with its PNG and SVG from memory; the SVG runs nothing; missing and remote images say why', async () => {
    const { page } = app;
    const title = await page.title();
    await openBySearch(app, 'Restore the orders database', 'Restore the orders database');
    await expect.poll(shownImages).toEqual([
      { type: 'image/png', decoded: true, alt: 'Primary and replica' },
      { type: 'image/svg+xml', decoded: true, alt: 'Failover' },
    ]);
    // The SVG holds <script>document.title = …</script>: an image never runs it.
    expect(await page.title()).toBe(title);
    const text = await page.getByTestId('markdown').textContent();
    expect(text).toContain('[image: Grafana] (not in the vault: img/grafana.png)');
    expect(text).toContain('[image: status] (not loaded: https://status.example.com/badge.png)');
    await screenshotsAtBothSizes(app, 'record-images', page.getByTestId('markdown').locator('img').first());
  });

  it("follows the link to the other page with the keyboard, and shows that page's WebP, GIF and JPEG", async () => {
    const { page } = app;
    await tabToRecordLink(app, 'Failover the replica');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#record-title').textContent()).toBe('Failover the replica');
    await expect.poll(shownImages).toEqual([
      { type: 'image/webp', decoded: true, alt: 'On-call badge' },
      { type: 'image/gif', decoded: true, alt: 'Icon' },
      { type: 'image/jpeg', decoded: true, alt: 'Rack photo' },
    ]);
    await screenshotsAtBothSizes(app, 'record-images-followed');
    // Nothing left the page: every image came with the record, from main's memory.
    expect(app.foreignRequests).toEqual([]);
    expect(app.consoleErrors).toEqual([]);
  });
});
