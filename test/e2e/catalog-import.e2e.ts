/**
 * Issue 17 in the window: a catalog packed from a GitLab-like repository
 * (test/fixtures/gitlab-like: a service catalog and teams file that are not
 * Backstage entities, a Kubernetes manifest, empty pages, generic and
 * shared titles) syncs with its skipped files and warnings listed, never
 * refused; a runbook's step shows its command as a block to copy.
 */
import { mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packCatalog } from '../../electron/catalog/catalog-manifest.js';
import { trustPublisher } from '../../electron/catalog/catalog-trust.js';
import { encodeBase64, generatePublisherKey, writePublisherKey } from '../../electron/catalog/publisher-key.js';
import { createVault } from '../../electron/vault/vault-open.js';
import { startApp, type TestApp, screenshotsAtBothSizes, unlockInWindow } from './harness.js';

const PASS = 'correct horse battery staple';
let app: TestApp;
let dir = '';
let catalog = '';

beforeAll(async () => {
  const work = mkdtempSync(join(tmpdir(), 'lifeboat-import-ui-'));
  const key = await generatePublisherKey('Platform team');
  await writePublisherKey(join(work, 'publisher.key'), key);
  const { bytes } = await packCatalog({ srcDir: 'test/fixtures/gitlab-like', keyPath: join(work, 'publisher.key'), catalogVersion: 1, catalogId: 'gitlab' });
  catalog = join(work, 'gitlab-v1.lbcat');
  await writeFile(catalog, bytes);
  dir = join(work, 'ops.lifeboat');
  const session = await createVault(dir, { owner: 'alice', passphrase: PASS, insecureFastKdf: true, name: 'Ops recovery' });
  await trustPublisher(session, { name: 'Platform team', keyId: key.keyId, publicKey: encodeBase64(key.publicKey) });
  await session.lock();
  app = await startApp();
}, 60_000);

afterAll(async () => {
  await app.close();
});

describe('importing a docs repository as it is', () => {
  it('lists skipped files and warnings in the sync result, and applies the runbooks', async () => {
    const { page } = app;
    await unlockInWindow(app, dir, 'alice', PASS);

    await page.getByRole('button', { name: 'Sync', exact: true }).click();
    await page.getByLabel('Catalog file (.lbcat)').fill(catalog);
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByTestId('sync-report').waitFor();
    expect(await page.getByTestId('sync-counts').textContent()).toContain('Would apply: 8 added');
    const skipped = page.getByTestId('sync-skipped');
    expect(await skipped.locator('summary').textContent()).toBe('Skipped, not catalog entities (6)');
    expect(await skipped.textContent()).toContain('service-catalog.yml:3 — not a Backstage entity (no apiVersion)');
    expect(await skipped.textContent()).toContain('k8s/deployment.yaml:1 — not a Backstage entity (apiVersion "apps/v1" is not backstage.io/…)');
    const warnings = page.getByTestId('sync-warnings');
    expect(await warnings.locator('li').count()).toBe(6);
    expect(await warnings.textContent()).toContain(
      '2 runbooks share the title "Restore from backup": docs/ci-runners/restore-from-backup.md, docs/patroni/restore-from-backup.md.',
    );
    expect(await warnings.textContent()).toContain('docs/uncategorized/empty.md is empty (no text, no title): skipped.');
    await screenshotsAtBothSizes(app, 'import-sync-warnings');

    await page.getByRole('button', { name: 'Apply this sync' }).click();
    await page.getByTestId('sync-done').waitFor();
    // The result keeps the warnings on screen.
    expect(await page.getByTestId('sync-warnings').locator('li').count()).toBe(6);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("shows a step's command as a block with a copy button", async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Library', exact: true }).click();
    await page.keyboard.press('Control+k');
    await page.keyboard.type('gitaly serves every git read');
    const first = page.getByTestId('results').locator('li').first();
    await first.waitFor();
    await first.getByRole('button').first().click();
    await expect.poll(() => page.locator('#record-title').textContent()).toBe('Gitaly');
    const commands = page.getByTestId('step-command');
    await expect.poll(() => commands.count()).toBe(2);
    expect(await commands.nth(1).locator('pre').textContent()).toBe('sudo gitlab-ctl start gitaly');
    expect(await page.locator('.checklist li').nth(1).locator('label').textContent()).toBe('If the service is not running, start it:');
    await expect.poll(() => commands.nth(1).getByRole('button', { name: 'Copy the command of step 2' }).isVisible()).toBe(true);
    // Generated markers never reach the page.
    expect(await page.getByTestId('markdown').textContent()).not.toMatch(/_TOC_|MARKER/);
    await page.locator('.checklist').scrollIntoViewIfNeeded();
    await screenshotsAtBothSizes(app, 'import-step-command');
    expect(app.foreignRequests).toEqual([]);
    expect(app.consoleErrors).toEqual([]);
  });
});
