/**
 * The vault screens through the real window: unlock, search as you type,
 * read a real catalog runbook safely, reveal a secret with a reason, lock.
 * The vault is a real folder on disk, filled by syncing a signed catalog of
 * public runbooks (test/fixtures), as a platform team would.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packCatalog } from '../../electron/catalog/catalog-manifest.js';
import { syncCatalog } from '../../electron/catalog/catalog-sync.js';
import { trustPublisher } from '../../electron/catalog/catalog-trust.js';
import { encodeBase64, generatePublisherKey, writePublisherKey } from '../../electron/catalog/publisher-key.js';
import { auditEntries } from '../../electron/vault/audit/vault-audit.js';
import { createVault, openVault } from '../../electron/vault/vault-open.js';
import { createRecord, revealField } from '../../electron/vault/records/vault-records.js';
import { startApp, type TestApp } from './harness.js';

const PASS = 'correct horse battery staple';
let app: TestApp;
let dir: string;
let secretId: string;

beforeAll(async () => {
  const work = mkdtempSync(join(tmpdir(), 'lifeboat-ui-'));
  const src = join(work, 'ops-docs');
  mkdirSync(src);
  for (const page of [
    'backups.html.md',
    'howto-backup-and-restore-in-aws-rds.html.md',
    'debug-issues-in-elasticsearch.html.md',
    'elasticsearch-dumps.html.md',
  ]) {
    cpSync(join('test/fixtures/govuk-developer-docs/manual', page), join(src, page.split('/').join('-')));
  }
  cpSync('test/fixtures/backstage-catalogs/janus-idp', join(src, 'catalog'), { recursive: true });
  const key = await generatePublisherKey('Platform team');
  await writePublisherKey(join(work, 'publisher.key'), key);
  const { bytes } = await packCatalog({ srcDir: src, keyPath: join(work, 'publisher.key'), catalogVersion: 1 });

  dir = join(work, 'ops.lifeboat');
  const session = await createVault(dir, { owner: 'alice', passphrase: PASS, insecureFastKdf: true, name: 'Ops recovery' });
  await trustPublisher(session, { name: 'Platform team', keyId: key.keyId, publicKey: encodeBase64(key.publicKey) });
  await syncCatalog(session, { kind: 'signed', bytes, label: 'ops.lbcat' });
  secretId = (await createRecord(session, { type: 'secret', title: 'AWS root account', data: { username: 'root@example.org', password: 'ui-e2e-secret-42' } }))
    .id;
  await session.lock();
  app = await startApp();
});

afterAll(async () => {
  await app.close();
});

async function unlock(passphrase: string, folder = dir): Promise<void> {
  const { page } = app;
  await page.getByLabel('Vault folder').fill(folder);
  await page.getByLabel('Member', { exact: true }).fill('alice');
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
}

describe('vault screens', () => {
  it('refuses a wrong passphrase with a sentence and the next step', async () => {
    await unlock('not the passphrase');
    const error = app.page.getByTestId('gate-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('Wrong passphrase, or no member of that name.');
    expect(await error.textContent()).toContain('Failed attempts are recorded');
    await app.screenshot('gate-wrong-passphrase');
  });

  it('unlocks, warns about the test KDF and the failed attempt, and lists the synced runbooks', async () => {
    await unlock(PASS);
    await app.page.getByTestId('session-bar').waitFor();
    expect(await app.page.getByTestId('session-bar').textContent()).toContain('alice · owner');
    expect(await app.page.getByTestId('countdown').textContent()).toMatch(/locks in \d+:\d\d/);
    expect(await app.page.getByTestId('insecure-kdf').isVisible()).toBe(true);
    expect(await app.page.getByTestId('failed-attempts').textContent()).toContain('1 failed unlock attempt');
    await expect.poll(() => app.page.getByTestId('results').locator('li').count()).toBeGreaterThan(5);
    // The incident home: what was synced and when, and whom to call.
    await expect.poll(() => app.page.getByTestId('sync-line').textContent()).toMatch(/Catalog ops-docs v1 from Platform team, synced (just now|\d+ h ago)/);
    await expect.poll(() => app.page.getByTestId('call-list').locator('li').count()).toBeGreaterThan(0);
    await app.screenshot('workspace-unlocked');
  });

  it('searches as you type with highlighted matches, and opens a real runbook without loading anything', async () => {
    const { page } = app;
    await page.keyboard.press('Control+k');
    await page.keyboard.type('elastic');
    await expect.poll(() => page.getByTestId('results').locator('li').first().textContent()).toContain('Elasticsearch');
    expect(await page.getByTestId('results').locator('mark').count()).toBeGreaterThan(0);
    await page.getByTestId('results').locator('li').first().getByRole('button').click();
    const markdown = page.getByTestId('markdown');
    await markdown.waitFor();
    expect(await page.locator('#record-title').textContent()).toContain('Elasticsearch');
    // Links are inert text, images never load: nothing to click, nothing fetched.
    expect(await markdown.locator('a, img, script, iframe').count()).toBe(0);
    expect(app.foreignRequests).toEqual([]);
    await app.screenshot('runbook-elasticsearch');
  });

  it('shows a service from the Backstage catalog with its dependencies', async () => {
    const { page } = app;
    await page.getByTestId('search').fill('');
    await page.getByRole('button', { name: 'Services' }).click();
    await expect.poll(() => page.getByTestId('results').locator('li').count()).toBeGreaterThan(0);
    await page.getByTestId('results').locator('li').first().getByRole('button').click();
    await page.getByTestId('record').waitFor();
    expect(await page.getByTestId('record').textContent()).toContain('service');
    await app.screenshot('service-record');
    await page.getByRole('button', { name: 'All', exact: true }).click();
  });

  it('reveals a sealed field only after a reason, logged first, and hides it again', async () => {
    const { page } = app;
    await page.getByTestId('search').fill('aws root');
    await expect.poll(() => page.getByTestId('results').locator('li').first().textContent()).toContain('AWS root account');
    await page.getByTestId('results').locator('li').first().getByRole('button').click();
    const password = page.getByTestId('sealed-password');
    await password.waitFor();
    expect(await password.textContent()).toContain('••••');
    expect(await page.content()).not.toContain('ui-e2e-secret-42');
    await password.getByRole('button', { name: 'Reveal or copy…' }).click();
    await app.screenshot('reveal-asks-reason');
    await password.getByLabel(/Why do you need it/).fill('INC-77 console access');
    await password.getByRole('button', { name: /Log and reveal/ }).click();
    await expect.poll(() => page.getByTestId('revealed-value').textContent()).toBe('ui-e2e-secret-42');
    await app.screenshot('reveal-shown');
    await password.getByRole('button', { name: 'Hide' }).click();
    expect(await page.content()).not.toContain('ui-e2e-secret-42');
  });

  it('copies a sealed field without it ever reaching the page, logged as a copy', async () => {
    const { page } = app;
    const password = page.getByTestId('sealed-password');
    await password.getByRole('button', { name: 'Reveal or copy…' }).click();
    await password.getByLabel(/Why do you need it/).fill('INC-78 paste into console');
    await password.getByRole('button', { name: 'Log and copy' }).click();
    await expect.poll(() => page.getByTestId('copied-notice').textContent()).toContain('clears in 30 s');
    expect(app.vault.clipboard.read()).toBe('ui-e2e-secret-42');
    expect(await page.content()).not.toContain('ui-e2e-secret-42');
  });

  it('locks with Ctrl+L, and the reveal is in the audit log with its reason', async () => {
    await app.page.keyboard.press('Control+l');
    await app.page.getByRole('tab', { name: 'Unlock a vault' }).waitFor();
    // The folder is offered again for the next unlock (paths only, kept in the page's storage).
    expect(await app.page.getByTestId('recent-vaults').textContent()).toContain('ops.lifeboat');
    await app.screenshot('locked-again');
    const owner = await openVault(dir, { member: 'alice', passphrase: PASS });
    const reveal = auditEntries(owner).find((e) => e.event.type === 'secret.revealed');
    const copy = auditEntries(owner).find((e) => e.event.type === 'secret.copied');
    await owner.lock();
    expect(reveal?.event).toMatchObject({ recordId: secretId, field: 'password', reason: 'INC-77 console access', actor: 'alice' });
    expect(copy?.event).toMatchObject({ recordId: secretId, field: 'password', reason: 'INC-78 paste into console' });
  });
});

describe('audit and sync screens', () => {
  it('shows the timeline with the reason, verifies it, and exports it', async () => {
    const { page } = app;
    await unlock(PASS);
    await page.getByRole('button', { name: 'Audit', exact: true }).click();
    const timeline = page.getByTestId('timeline');
    await timeline.waitFor();
    expect(await timeline.textContent()).toContain('why: INC-77 console access');
    await page.getByRole('button', { name: 'Verify the log' }).click();
    await page.getByTestId('verified-badge').waitFor();
    expect(await page.getByTestId('verify-checks').textContent()).toContain('Ed25519 signatures valid');
    const out = join(dir, '..', 'audit-export.json');
    await page.getByLabel('Export to file').fill(out);
    await page.getByRole('button', { name: 'Export for governance' }).click();
    await page.getByTestId('exported').waitFor();
    await app.screenshot('audit-verified');
  });

  it('refuses a catalog from an unknown publisher, then checks and applies a trusted one', async () => {
    const { page } = app;
    const work = join(dir, '..');
    // An unknown publisher's catalog.
    const stranger = await generatePublisherKey('Stranger');
    await writePublisherKey(join(work, 'stranger.key'), stranger);
    const strangerSrc = join(work, 'stranger-docs');
    mkdirSync(strangerSrc);
    cpSync('test/fixtures/prometheus-operator-runbooks/runbooks/etcd', strangerSrc, { recursive: true });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(work, 'stranger.lbcat'), (await packCatalog({ srcDir: strangerSrc, keyPath: join(work, 'stranger.key'), catalogVersion: 1 })).bytes);
    await page.getByRole('button', { name: 'Sync', exact: true }).click();
    await page.getByLabel('Catalog file (.lbcat)').fill(join(work, 'stranger.lbcat'));
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByTestId('error-banner').waitFor();
    expect(await page.getByTestId('error-banner').textContent()).toContain('does not trust');
    await app.screenshot('sync-untrusted');

    // Version 2 of the trusted catalog: one page more.
    const src = join(work, 'ops-docs');
    cpSync('test/fixtures/govuk-developer-docs/manual/elasticsearch-dumps.html.md', join(src, 'es-dumps-copy.html.md'));
    writeFileSync(join(work, 'ops-v2.lbcat'), (await packCatalog({ srcDir: src, keyPath: join(work, 'publisher.key'), catalogVersion: 2 })).bytes);
    await page.getByLabel('Catalog file (.lbcat)').fill(join(work, 'ops-v2.lbcat'));
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByTestId('sync-report').waitFor();
    expect(await page.getByTestId('sync-counts').textContent()).toContain('Would apply: 1 added, 0 changed');
    expect(await page.getByTestId('sync-report').textContent()).toContain('signature verified');
    await app.screenshot('sync-preview');
    await page.getByRole('button', { name: 'Apply this sync' }).click();
    await page.getByTestId('sync-done').waitFor();
    expect(await page.getByTestId('sync-counts').textContent()).toContain('Applied: 1 added');
    await app.screenshot('sync-applied');
  });
});

describe('a vault older than this laptop last saw it (issue 15)', () => {
  it('is refused at the unlock screen with the sentence saying what went backwards, and the next step', async () => {
    const { page } = app;
    await page.keyboard.press('Control+l');
    await page.getByRole('tab', { name: 'Unlock a vault' }).waitFor();
    // On this laptop (the host keeps its anchors where this test file does): a reveal, the app
    // killed before it locked, then the reveal cut from the end of audit.log by someone with the folder.
    const cut = join(dir, '..', 'cut.lifeboat');
    const created = await createVault(cut, { owner: 'alice', passphrase: PASS, insecureFastKdf: true, name: 'Cut' });
    const secret = await createRecord(created, { type: 'secret', title: 'Root', data: { password: 'to-be-erased' } });
    await created.lock();
    const session = await openVault(cut, { member: 'alice', passphrase: PASS });
    await revealField(session, secret.id, 'password', 'INC-79 the reveal to erase');
    rmSync(join(cut, 'lock'));
    const lines = readFileSync(join(cut, 'audit.log'), 'utf8').split('\n');
    writeFileSync(join(cut, 'audit.log'), `${lines.slice(0, -2).join('\n')}\n`);

    await unlock(PASS, cut);
    const error = page.getByTestId('gate-error');
    await error.waitFor();
    const text = await error.textContent();
    expect(text).toContain('This vault is older than this laptop last saw it: audit.log has');
    expect(text).toContain('1 fewer than');
    expect(text).toContain('--accept-rollback');
    expect(text).toContain('VAULT_TAMPERED');
    await app.screenshot('gate-rolled-back');
  });
});
