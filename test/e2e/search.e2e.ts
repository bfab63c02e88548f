/**
 * Search as an on-call engineer uses it (issue 16): a misspelt alert name
 * typed into the window is corrected against the vault's own words, the
 * runbook named after the alert comes first with where it came from, and
 * Enter opens it. The vault is synced from a signed catalog of public
 * alert runbooks (test/fixtures/prometheus-operator-runbooks).
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packCatalog } from '../../electron/catalog/catalog-manifest.js';
import { syncCatalog } from '../../electron/catalog/catalog-sync.js';
import { trustPublisher } from '../../electron/catalog/catalog-trust.js';
import { encodeBase64, generatePublisherKey, writePublisherKey } from '../../electron/catalog/publisher-key.js';
import { createVault } from '../../electron/vault/vault-open.js';
import { startApp, type TestApp, screenshotsAtBothSizes, unlockInWindow } from './harness.js';

const PASS = 'correct horse battery staple';
let app: TestApp;
let dir: string;

beforeAll(async () => {
  const work = mkdtempSync(join(tmpdir(), 'lifeboat-search-'));
  const src = join(work, 'alerts');
  for (const folder of ['kubernetes', 'node', 'etcd']) {
    cpSync(join('test/fixtures/prometheus-operator-runbooks/runbooks', folder), join(src, folder), {
      recursive: true,
      filter: (path) => !path.endsWith('_index.md'),
    });
  }
  const key = await generatePublisherKey('Platform team');
  await writePublisherKey(join(work, 'publisher.key'), key);
  const { bytes } = await packCatalog({ srcDir: src, keyPath: join(work, 'publisher.key'), catalogVersion: 3 });
  dir = join(work, 'ops.lifeboat');
  const session = await createVault(dir, { owner: 'alice', passphrase: PASS, insecureFastKdf: true, name: 'Ops recovery' });
  await trustPublisher(session, { name: 'Platform team', keyId: key.keyId, publicKey: encodeBase64(key.publicKey) });
  await syncCatalog(session, { kind: 'signed', bytes, label: 'alerts.lbcat' });
  await session.lock();
  app = await startApp();
  await unlockInWindow(app, dir, 'alice', PASS);
});

afterAll(async () => {
  await app.close();
});

describe('search in the window', () => {
  it('corrects a misspelt alert name, puts its runbook first with its source, and opens it with Enter', async () => {
    const { page } = app;
    await page.keyboard.press('Control+k');
    await page.keyboard.type('KubePodCrashLoping');
    const corrected = page.getByTestId('corrected');
    await expect.poll(() => corrected.textContent(), { timeout: 10_000 }).toContain('Showing results for KubePodCrashLooping');
    const first = page.getByTestId('results').locator('li').first();
    await expect.poll(() => first.locator('.result-title').textContent()).toBe('Kube Pod Crash Looping');
    expect(await first.getByTestId('result-source').textContent()).toBe('alerts v3 · kubernetes/KubePodCrashLooping.md · signed');
    await screenshotsAtBothSizes(app, 'search-corrected');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#record-title').textContent()).toContain('Kube Pod Crash Looping');
    expect(app.foreignRequests).toEqual([]);
    await screenshotsAtBothSizes(app, 'search-opened');
  });

  it('searches the words as typed on request: no correction, only the words that match (kube, pod, crash)', async () => {
    const { page } = app;
    await page.getByTestId('search').fill('');
    await page.getByTestId('search').fill('KubePodCrashLoping');
    await page.getByTestId('corrected').waitFor();
    await page.getByTestId('search-as-typed').click();
    await expect.poll(() => page.getByTestId('corrected').count()).toBe(0);
    await expect.poll(() => page.getByTestId('results').locator('li').count()).toBeGreaterThan(0);
  });

  it('finds a runbook by a symptom in plain words, stop words and all', async () => {
    const { page } = app;
    await page.getByTestId('search').fill('etcd has no leader');
    const first = page.getByTestId('results').locator('li').first();
    await expect.poll(() => first.locator('.result-title').textContent()).toMatch(/no ?leader/i);
    expect(app.consoleErrors).toEqual([]);
  });
});
