/**
 * Issue 19 in the window (items 9 and 10, "Vault name"): the sync review
 * shows each changed field word by word; a conflict kept local does not come
 * back on a re-sync of an unchanged catalog; after applying, the screen says
 * which version the vault has now; the phases main reports (files read,
 * verified, parsed, compared, applied) are visible with their counts; an
 * owner fixes a downgrade error in the window with a reason; a missing
 * .lbcat gets a catalog hint. The create form names the vault. Screenshots
 * at 1280x800 and 1024x640, light and dark.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from '../../electron/operations/audit.js';
import { packCatalog } from '../../electron/catalog/catalog-manifest.js';
import { syncCatalog } from '../../electron/catalog/catalog-sync.js';
import { trustPublisher } from '../../electron/catalog/catalog-trust.js';
import { encodeBase64, formatPublicKey, generatePublisherKey, writePublisherKey, type PublisherKey } from '../../electron/catalog/publisher-key.js';
import { editRecord } from '../../electron/vault/records/vault-records.js';
import { listGenerations } from '../../electron/vault/storage/snapshot-file.js';
import { createVault, openVault } from '../../electron/vault/vault-open.js';
import { startApp, type TestApp, screenshotsAtBothSizes } from './harness.js';

const PASS = 'correct horse battery staple';
const RESTORE_V1 = '# Restore the database\n\nStop the writers, then restore.\n\n1. Stop the writers\n';
const RESTORE_V2 = '# Restore the database\n\nStop the writers, then restore from the 02:00 snapshot.\n\n1. Stop the writers\n';
const FAILOVER_V1 = '# Fail over DNS\n\nSwitch the records to the standby region.\n\n1. Lower the TTL\n';
const FAILOVER_V2 = '# Fail over DNS\n\nSwitch the records to the standby region, after checking its health.\n\n1. Lower the TTL\n';
let app: TestApp;
let work: string;
let dir: string;
let platform: PublisherKey;

async function pack(version: number, files: Record<string, string>): Promise<string> {
  const src = join(work, `src-v${String(version)}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(src, path, '..'), { recursive: true });
    writeFileSync(join(src, path), text);
  }
  const out = join(work, `ops-v${String(version)}.lbcat`);
  writeFileSync(out, (await packCatalog({ srcDir: src, keyPath: join(work, 'publisher.key'), catalogVersion: version, catalogId: 'ops' })).bytes);
  return out;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lifeboat-sync-review-'));
  const key = await generatePublisherKey('Platform team');
  platform = key;
  await writePublisherKey(join(work, 'publisher.key'), key);
  const v1 = await pack(1, { 'db/restore.md': RESTORE_V1, 'dns/failover.md': FAILOVER_V1 });
  await pack(2, { 'db/restore.md': RESTORE_V2, 'dns/failover.md': FAILOVER_V2 });
  await pack(3, { 'db/restore.md': RESTORE_V2, 'dns/failover.md': FAILOVER_V2 });

  dir = join(work, 'ops.lifeboat');
  const session = await createVault(dir, { owner: 'alice', passphrase: PASS, insecureFastKdf: true });
  await trustPublisher(session, { name: 'Platform team', keyId: key.keyId, publicKey: encodeBase64(key.publicKey) });
  await syncCatalog(session, { kind: 'signed', bytes: new Uint8Array(readFileSync(v1)), label: 'ops-v1.lbcat' });
  // A local edit of the DNS runbook: version 2 changes it too, a conflict.
  const failover = session
    .store()
    .all()
    .find((r) => r.title === 'Fail over DNS');
  await editRecord(session, failover?.id ?? '', { set: { body: 'Call the DNS provider first; then switch the records.' } });
  await session.lock();

  app = await startApp();
  const { page } = app;
  // The create form names the vault (blank: the folder's name).
  await page.getByRole('tab', { name: 'Create a vault' }).click();
  await page.getByLabel('Vault folder').fill(join(work, 'payments.lifeboat'));
  expect(await page.getByLabel('Vault name').getAttribute('placeholder')).toBe('payments');
  await screenshotsAtBothSizes(app, 'vault-create-name', page.getByLabel('Vault name'));
  await page.getByRole('tab', { name: 'Unlock a vault' }).click();

  await page.getByLabel('Vault folder').fill(dir);
  await page.getByLabel('Member', { exact: true }).fill('alice');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await page.getByRole('button', { name: 'Sync', exact: true }).click();
}, 120_000);

afterAll(async () => {
  await app.close();
});

async function check(path: string): Promise<void> {
  const { page } = app;
  await page.getByLabel('Catalog file (.lbcat), or a folder').fill(path);
  await page.getByRole('button', { name: 'Check', exact: true }).click();
}

describe('sync review (issue 19)', () => {
  it('names the vault by its folder when created from the command line or left blank', async () => {
    // The vault made above without a name: the unlock screen and header read its folder's name, not "alice".
    expect(await app.page.getByTestId('session-bar').locator('.session-vault').textContent()).toBe('ops');
  });

  it('shows each changed field word by word, the phases with counts, and after applying the version the vault has now', async () => {
    const { page } = app;
    await check(join(work, 'ops-v2.lbcat'));
    const report = page.getByTestId('sync-report');
    await report.waitFor();
    expect(await page.getByTestId('sync-version').textContent()).toContain('this vault has version 1');

    const changed = page.getByTestId('diff-changed');
    const added = changed.locator('ins');
    expect((await added.allTextContents()).map((t) => t.trim())).toContain('from the 02:00 snapshot');
    expect(await changed.getByTestId('word-diff').first().textContent()).toContain('Stop the writers, then restore from the 02:00 snapshot.');
    // The conflict shows what the catalog would put in place of the local edit.
    const conflict = page.getByTestId('conflict-diff');
    expect(await conflict.locator('del').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Call')]));
    expect((await conflict.locator('ins').allTextContents()).join(' ')).toContain('after checking its health');

    const steps = page.getByTestId('sync-steps');
    expect(await steps.locator('li').allTextContents()).toEqual([
      'Read 2 files',
      'Verified the signature and 2 file hashes',
      'Parsed 2 entries',
      'Compared 2 entries with the vault: 2 changes',
    ]);
    await screenshotsAtBothSizes(app, 'sync-word-diff', changed);

    await page.getByRole('button', { name: 'Apply this sync' }).click();
    await page.getByTestId('sync-done').waitFor();
    expect(await page.getByTestId('sync-version').textContent()).toContain('this vault now has version 2 (was 1)');
    expect(await page.getByTestId('sync-counts').textContent()).toContain('Applied: 0 added, 1 changed, 0 archived, 1 conflicts');
    expect(await page.getByTestId('sync-steps').locator('li').last().textContent()).toBe('Applied 1 of 1 change');
    // What was applied is still shown word by word (kept from the check).
    expect((await changed.locator('ins').allTextContents()).map((t) => t.trim())).toContain('from the 02:00 snapshot');
    await screenshotsAtBothSizes(app, 'sync-applied', page.getByTestId('sync-version'));
  });

  it('does not ask again about a conflict kept local when the catalog has not changed that record', async () => {
    const { page } = app;
    await check(join(work, 'ops-v3.lbcat'));
    await page.getByTestId('sync-report').waitFor();
    await expect.poll(() => page.getByTestId('sync-counts').textContent()).toContain('0 conflicts, 2 unchanged (of which 1 kept local earlier');
    expect(await page.locator('fieldset.conflicts').count()).toBe(0);
    await screenshotsAtBothSizes(app, 'sync-kept-local', page.getByTestId('sync-counts'));
  });

  it('an owner fixes a downgrade error in the window, with a reason that is logged', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Apply this sync' }).click();
    await page.getByTestId('sync-done').waitFor();
    await check(join(work, 'ops-v1.lbcat'));
    const banner = page.getByTestId('error-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('CATALOG_ROLLBACK');
    expect(await page.getByTestId('error-hint').textContent()).toContain('below, with a reason');
    const fix = page.getByTestId('sync-fix-downgrade');
    const allow = fix.getByRole('button', { name: 'Check with the older version allowed' });
    expect(await allow.isDisabled()).toBe(true);
    const reason = 'Version 3 shipped a broken restore runbook; the publisher asked us to go back to 1.';
    await fix.getByLabel('Why this older version').fill(reason);
    await screenshotsAtBothSizes(app, 'sync-downgrade-fix', fix);
    await allow.click();
    await page.getByTestId('sync-report').waitFor();
    expect(await page.getByTestId('sync-downgrade-allowed').textContent()).toContain(reason);
    await page.getByRole('button', { name: 'Apply this sync' }).click();
    await page.getByTestId('sync-done').waitFor();
    expect(await page.getByTestId('sync-version').textContent()).toContain('this vault now has version 1 (was 3)');
    await screenshotsAtBothSizes(app, 'sync-downgrade-applied', page.getByTestId('sync-downgrade-allowed'));
  });

  it('a missing .lbcat gets a catalog hint, not the vault folder’s', async () => {
    const { page } = app;
    await check(join(work, 'no-such-catalog.lbcat'));
    const hint = page.getByTestId('error-hint');
    await hint.waitFor();
    expect(await hint.textContent()).toContain('.lbcat file its publisher sent');
    expect(await hint.textContent()).not.toContain('.lifeboat');
    await screenshotsAtBothSizes(app, 'sync-missing-catalog', hint);
    expect(app.consoleErrors).toEqual([]);
    expect(app.foreignRequests).toEqual([]);
  });

  it('an owner trusts a new publisher from the catalog’s error, only with the key that catalog names', async () => {
    const { page } = app;
    const dbTeam = await generatePublisherKey('Database team');
    await writePublisherKey(join(work, 'db-team.key'), dbTeam);
    const src = join(work, 'src-db');
    mkdirSync(join(src, 'pg'), { recursive: true });
    writeFileSync(join(src, 'pg', 'vacuum.md'), '# Vacuum a bloated table\n\n1. Check the bloat estimate\n');
    const lbcat = join(work, 'db-v1.lbcat');
    writeFileSync(lbcat, (await packCatalog({ srcDir: src, keyPath: join(work, 'db-team.key'), catalogVersion: 1, catalogId: 'db' })).bytes);

    await check(lbcat);
    await page.getByTestId('error-banner').waitFor();
    expect(await page.getByTestId('error-banner').textContent()).toContain(`key ${dbTeam.keyId}`);
    const fix = page.getByTestId('sync-fix-trust');
    await fix.getByLabel('Publisher’s public key').fill(formatPublicKey(platform.publicKey));
    await fix.getByLabel('Publisher’s name').fill('Database team');
    await fix.getByRole('button', { name: 'Trust this key and check again' }).click();
    await expect.poll(() => fix.textContent()).toContain('nothing was trusted');
    await screenshotsAtBothSizes(app, 'sync-trust-wrong-key', fix);

    await fix.getByLabel('Publisher’s public key').fill(formatPublicKey(dbTeam.publicKey));
    await fix.getByRole('button', { name: 'Trust this key and check again' }).click();
    await page.getByTestId('sync-report').waitFor();
    expect(await page.getByTestId('sync-trusted').textContent()).toContain(`Trusted Database team, key id ${dbTeam.keyId}`);
    expect(await page.getByTestId('sync-report').textContent()).toContain('signature verified');
    await screenshotsAtBothSizes(app, 'sync-trusted', page.getByTestId('sync-trusted'));
  });

  it('the downgrade and its reason are in the audit log', async () => {
    await app.page.getByTestId('session-bar').getByRole('button', { name: /^Lock/ }).click();
    await app.page.getByLabel('Passphrase', { exact: true }).waitFor();
    const session = await openVault(dir, { member: 'alice', passphrase: PASS });
    const synced = auditEntries(session).filter((e) => e.event.type === 'catalog.synced');
    await session.lock();
    const details = synced.at(-1)?.event.details;
    expect(details).toMatchObject({ version: 1, downgradeFrom: 3 });
    expect(String(details?.['downgradeReason'])).toContain('broken restore runbook');
  });

  it('an owner restores a good snapshot from the unlock screen when the newest is damaged (logged)', async () => {
    const { page } = app;
    const [newest] = await listGenerations(dir);
    const bytes = readFileSync(join(dir, newest?.file ?? ''));
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 0x01;
    writeFileSync(join(dir, newest?.file ?? ''), bytes);

    await page.getByLabel('Vault folder').fill(dir);
    await page.getByLabel('Member', { exact: true }).fill('alice');
    await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    const error = page.getByTestId('gate-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('VAULT_TAMPERED');
    expect(await error.textContent()).toContain('check its snapshots below');
    await page.getByRole('button', { name: /Check the snapshots/ }).click();
    const restore = page.getByTestId('snapshot-restore');
    await restore.locator('fieldset').waitFor();
    expect(await restore.textContent()).toContain(`Generation ${String(newest?.generation)}: damaged`);
    // The damaged one and the five newest readable ones; the older files the deltas build on on request.
    const onDisk = (await listGenerations(dir)).length;
    expect(onDisk).toBeGreaterThan(6);
    expect(await restore.getByRole('radio').count()).toBe(6);
    await restore.getByRole('button', { name: `Show all ${onDisk} snapshots (older readable ones too)` }).click();
    expect(await restore.getByRole('radio').count()).toBe(onDisk);
    await restore.getByRole('radio', { disabled: false }).first().check();
    await restore.getByLabel(/Make it the newest/).check();
    await screenshotsAtBothSizes(app, 'unlock-snapshot-restore', restore);
    await restore.getByRole('button', { name: /^Restore generation/ }).click();
    await page.getByTestId('snapshot-restored').waitFor();
    await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.getByTestId('session-bar').waitFor();
    expect(app.consoleErrors).toEqual([]);
  });

  it('a vault created in the window takes the name typed in the create form', async () => {
    const { page } = app;
    process.env['LIFEBOAT_INSECURE_FAST_KDF'] = '1';
    await page.getByTestId('session-bar').getByRole('button', { name: /^Lock/ }).click();
    await page.getByRole('tab', { name: 'Create a vault' }).click();
    await page.getByLabel('Vault folder').fill(join(work, 'payments.lifeboat'));
    await page.getByLabel('Vault name').fill('Payments on-call');
    await page.getByLabel('Your name (you become the owner)').fill('carol');
    await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await page.getByLabel('Repeat the passphrase').fill(PASS);
    await page.getByRole('button', { name: 'Create vault' }).click();
    await page.getByTestId('session-bar').waitFor();
    expect(await page.getByTestId('session-bar').locator('.session-vault').textContent()).toBe('Payments on-call');
  });
});
