/**
 * Issue 17 in the window: a folder named `docs` is no catalog id, so the sync
 * screen asks for one, once (main remembers it for that folder); a signed
 * catalog that would archive more than a quarter of its records says so and
 * applies only once confirmed; a signed catalog holding the files of an
 * unsigned import offers to adopt them. Screenshots at 1280x800 and 1024x640,
 * light and dark.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packCatalog } from '../../electron/catalog/catalog-manifest.js';
import { syncCatalog } from '../../electron/catalog/catalog-sync.js';
import { trustPublisher } from '../../electron/catalog/catalog-trust.js';
import { encodeBase64, generatePublisherKey, writePublisherKey } from '../../electron/catalog/publisher-key.js';
import { createVault } from '../../electron/vault/vault-open.js';
import { startApp, type TestApp, screenshotsAtBothSizes } from './harness.js';

const PASS = 'correct horse battery staple';
const PAGES = ['backups.html.md', 'debug-issues-in-elasticsearch.html.md', 'elasticsearch-dumps.html.md', 'howto-backup-and-restore-in-aws-rds.html.md'];
let app: TestApp;
let work: string;
let dir: string;
let docs: string;

function copyPages(to: string, pages: readonly string[]): string {
  mkdirSync(to, { recursive: true });
  for (const page of pages) {
    cpSync(join('test/fixtures/govuk-developer-docs/manual', page), join(to, page));
  }
  return to;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lifeboat-sync-guards-'));
  const key = await generatePublisherKey('Platform team');
  await writePublisherKey(join(work, 'publisher.key'), key);
  const pack = async (src: string, catalogId: string, catalogVersion: number, out: string): Promise<void> => {
    writeFileSync(join(work, out), (await packCatalog({ srcDir: src, keyPath: join(work, 'publisher.key'), catalogVersion, catalogId })).bytes);
  };
  await pack(copyPages(join(work, 'ops-v1'), PAGES), 'ops', 1, 'ops-v1.lbcat');
  await pack(copyPages(join(work, 'ops-v2'), PAGES.slice(0, 1)), 'ops', 2, 'ops-v2.lbcat');
  docs = copyPages(join(work, 'govuk-manual', 'docs'), PAGES.slice(1));
  await pack(docs, 'govuk-manual-signed', 1, 'govuk-signed.lbcat');

  dir = join(work, 'ops.lifeboat');
  const session = await createVault(dir, { owner: 'alice', passphrase: PASS, insecureFastKdf: true, name: 'Ops recovery' });
  await trustPublisher(session, { name: 'Platform team', keyId: key.keyId, publicKey: encodeBase64(key.publicKey) });
  await syncCatalog(session, { kind: 'signed', bytes: new Uint8Array(readFileSync(join(work, 'ops-v1.lbcat'))), label: 'ops-v1.lbcat' });
  await session.lock();
  app = await startApp();
  const { page } = app;
  await page.getByLabel('Vault folder').fill(dir);
  await page.getByLabel('Member', { exact: true }).fill('alice');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await page.getByRole('button', { name: 'Sync', exact: true }).click();
});

afterAll(async () => {
  await app.close();
});

async function check(path: string): Promise<void> {
  const { page } = app;
  await page.getByLabel('Catalog file (.lbcat), or a folder').fill(path);
  await page.getByRole('button', { name: 'Check', exact: true }).click();
}

describe('sync screen guards (issue 17)', () => {
  it('asks once for the id of a folder named "docs", then remembers it for that folder', async () => {
    const { page } = app;
    await check(docs);
    const question = page.getByTestId('sync-id-question');
    await question.waitFor();
    expect(await question.textContent()).toContain('"docs" is too generic to be a catalog id');
    await screenshotsAtBothSizes(app, 'sync-id-question', question);
    await page.getByLabel('Catalog id for this folder').fill('govuk-manual');
    await page.getByRole('button', { name: 'Use this id' }).click();
    await page.getByTestId('sync-report').waitFor();
    expect(await page.getByTestId('sync-report').textContent()).toContain('govuk-manual version 0 from unsigned folder');
    expect(await page.getByTestId('sync-report').textContent()).toContain('id remembered for this folder once applied');
    await page.getByRole('button', { name: 'Apply this sync' }).click();
    await page.getByTestId('sync-done').waitFor();
    expect(await page.getByTestId('sync-counts').textContent()).toContain('Applied: 3 added');

    // Another path, then the same folder again: no question, the remembered id.
    await check(join(work, 'ops-v2.lbcat'));
    await page.getByTestId('sync-archive-warning').waitFor();
    await check(docs);
    await expect.poll(() => page.getByTestId('sync-report').textContent()).toContain('id remembered for this folder');
    expect(await page.getByTestId('sync-id-question').count()).toBe(0);
    expect(await page.getByTestId('sync-counts').textContent()).toContain('3 unchanged');
    await screenshotsAtBothSizes(app, 'sync-id-remembered');

    // A remembered id is not a trap: another one can be given, and is checked before anything is applied.
    await page.getByTestId('sync-change-id').click();
    const idField = page.getByLabel('Catalog id for this folder');
    expect(await idField.inputValue()).toBe('govuk-manual');
    await idField.fill('govuk-ops-manual');
    await page.getByRole('button', { name: 'Use this id' }).click();
    await expect.poll(() => page.getByTestId('sync-report').textContent()).toContain('govuk-ops-manual version 0 from unsigned folder');
    expect(await page.getByTestId('sync-report').textContent()).toContain('id remembered for this folder once applied');
    expect(await page.getByTestId('sync-counts').textContent()).toContain('Would apply: 3 added');
  });

  it('warns before archiving more than a quarter of a catalog, and applies only once confirmed', async () => {
    const { page } = app;
    await check(join(work, 'ops-v2.lbcat'));
    const warning = page.getByTestId('sync-archive-warning');
    await warning.waitFor();
    expect(await warning.textContent()).toContain('This sync would archive 3 of the 4 records of catalog ops — more than a quarter.');
    const apply = page.getByRole('button', { name: 'Apply this sync' });
    expect(await apply.isDisabled()).toBe(true);
    await screenshotsAtBothSizes(app, 'sync-archive-warning', warning);
    await page.getByLabel('Yes, these 3 records left the catalog: archive them').check();
    expect(await apply.isEnabled()).toBe(true);
    await apply.click();
    await page.getByTestId('sync-done').waitFor();
    expect(await page.getByTestId('sync-counts').textContent()).toContain('Applied: 0 added, 0 changed, 3 archived');
  });

  it('offers to adopt the unsigned import’s records when a signed catalog holds the same files', async () => {
    const { page } = app;
    await check(join(work, 'govuk-signed.lbcat'));
    const notice = page.getByTestId('sync-adoption');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('3 entries duplicate records of the unsigned import govuk-manual (same paths)');
    await page.getByLabel('Adopt them').check();
    await expect.poll(() => notice.textContent()).toContain('Will adopt 3 records of the unsigned import govuk-manual');
    expect(await page.getByTestId('sync-counts').textContent()).toContain('Would apply: 0 added');
    expect(await page.getByTestId('sync-counts').textContent()).toContain('0 unchanged, 3 adopted.');
    await screenshotsAtBothSizes(app, 'sync-adoption', notice);
    await page.getByRole('button', { name: 'Apply this sync' }).click();
    await page.getByTestId('sync-done').waitFor();
    expect(await notice.textContent()).toContain('Adopted 3 records');
    expect(app.consoleErrors).toEqual([]);
    expect(app.foreignRequests).toEqual([]);
  });
});
