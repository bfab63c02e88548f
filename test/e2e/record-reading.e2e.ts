/**
 * Issue 19, item 7, reading a long runbook in the real window: GOV.UK's "Query
 * CDN logs" page (33 section headings, 26 code blocks) gets a contents list
 * whose entries move the keyboard's focus to their section, and every code
 * block of the body has a copy button that goes to the clipboard through main
 * and says so.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncCatalogFrom } from '../../electron/operations/catalog.js';
import { memoryClipboard } from '../../electron/operations/secret-clipboard.js';
import { createVault } from '../../electron/vault/vault-open.js';
import { tempVaultDir } from '../support/test-vault.js';
import { openBySearch, screenshotsAtBothSizes, startApp, type TestApp, unlockInWindow } from './harness.js';

const PASS = 'reading test passphrase';
const clipboard = memoryClipboard();
let app: TestApp;

beforeAll(async () => {
  const dir = tempVaultDir();
  const session = await createVault(dir, { owner: 'alice', passphrase: PASS, insecureFastKdf: true, name: 'Ops recovery' });
  await syncCatalogFrom(session, { unsignedFolder: join('test/fixtures/govuk-developer-docs/manual'), catalogId: 'govuk-manual' });
  await session.lock();
  app = await startApp({ clipboard });
  await unlockInWindow(app, dir, 'alice', PASS);
}, 120_000);

afterAll(async () => {
  await app.close();
});

describe('reading a long runbook', () => {
  it('lists its sections, and an entry takes the keyboard to its heading', async () => {
    const { page } = app;
    await openBySearch(app, 'Query CDN logs', 'Query CDN logs');
    const contents = page.getByTestId('record-contents');
    const entries = contents.getByRole('button');
    await expect.poll(() => entries.count()).toBeGreaterThanOrEqual(10);
    const entry = entries.nth(3);
    const name = (await entry.textContent()) ?? '';
    await entry.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toMatch(/^H[23]$/u);
    expect(await page.evaluate(() => document.activeElement?.textContent.replace(/\s+/gu, ' ').trim())).toBe(name);
    await screenshotsAtBothSizes(app, 'record-contents', contents);
  });

  it('copies a code block of the body through main, and says it will clear', async () => {
    const { page } = app;
    const block = page.getByTestId('markdown').locator('.md-code').first();
    const code = (await block.locator('pre').textContent())?.replace(/\n$/u, '') ?? '';
    expect(code.length).toBeGreaterThan(0);
    await block.getByRole('button', { name: 'copy' }).click();
    await expect.poll(() => page.getByTestId('copied-notice').first().textContent()).toMatch(/Copied — clears in \d+ s/u);
    expect(clipboard.read()).toBe(code);
    await screenshotsAtBothSizes(app, 'record-code-copied', block);
    expect(app.consoleErrors).toEqual([]);
  });

  it('shows no contents list on a short page', async () => {
    const { page } = app;
    await openBySearch(app, 'Clear the Redis cache for site search', 'Clear the Redis cache for site search');
    expect(await page.getByTestId('record-contents').count()).toBe(0);
  });
});
