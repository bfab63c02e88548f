/**
 * The owner's members and settings screen, through the real window: add a
 * member, remove one (which rekeys), change the auto-lock time, trust a
 * publisher; and a commander does not see the screen at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPublicKey, generatePublisherKey } from '../../electron/catalog/publisher-key.js';
import { createVault, openVault } from '../../electron/vault/vault-open.js';
import { readSettings } from '../../electron/vault/vault-settings.js';
import { tempVaultDir } from '../support/test-vault.js';
import { screenshotsAtBothSizes, startApp, type TestApp } from './harness.js';

const PASS = 'owner passphrase here';
let app: TestApp;
let dir: string;

beforeAll(async () => {
  dir = tempVaultDir();
  const session = await createVault(dir, { owner: 'alice', passphrase: PASS, insecureFastKdf: true, name: 'Members test' });
  await session.lock();
  app = await startApp();
  const { page } = app;
  await page.getByLabel('Vault folder').fill(dir);
  await page.getByLabel('Member', { exact: true }).fill('alice');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await page.getByRole('button', { name: 'Members & settings' }).click();
  await page.getByTestId('member-list').waitFor();
});

afterAll(async () => {
  await app.close();
});

describe('members and settings', () => {
  it('adds a commander, then removes them with a rekey they can no longer open', async () => {
    const { page } = app;
    await page.getByLabel('Name', { exact: true }).fill('bob');
    await page.getByLabel('Role').selectOption('commander');
    await page.getByLabel('Their passphrase (they type it)').fill('bob passphrase 1');
    await page.getByRole('button', { name: 'Add member' }).click();
    await expect.poll(() => page.getByTestId('members-notice').textContent()).toContain('bob can now unlock the vault as commander');
    expect(await page.getByTestId('member-list').textContent()).toContain('bob');
    await page.getByTestId('member-list').getByRole('button', { name: 'Remove…' }).click();
    expect(await page.getByTestId('member-list').textContent()).toContain('rekeys the vault');
    await app.screenshot('members-confirm-remove');
    await page.getByRole('button', { name: 'Remove and rekey' }).click();
    await expect.poll(() => page.getByTestId('members-notice').textContent()).toContain('rekeyed');
    expect(await page.getByTestId('member-list').textContent()).not.toContain('bob');
  });

  it('changes the auto-lock time, and the countdown follows', async () => {
    const { page } = app;
    await page.getByLabel('Lock after idle minutes (1–120)').fill('2');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByTestId('members-notice').textContent()).toContain('locks after 2 idle minutes');
    await expect.poll(() => page.getByTestId('countdown').textContent()).toMatch(/locks in [12]:\d\d/);
  });

  it('sets how often runbooks must be reviewed, for the readiness review', async () => {
    const { page } = app;
    await page.getByLabel('Runbooks must be reviewed every (days)').fill('90');
    await page.getByRole('button', { name: 'Save interval' }).click();
    await expect.poll(() => page.getByTestId('members-notice').textContent()).toContain('not reviewed for 90 days');
    expect(readSettings(app.vault.current()).reviewDays).toBe(90);
  });

  it('sets how long before an on-call schedule export ends the readiness review warns (issue 23)', async () => {
    const { page } = app;
    await expect.poll(() => page.getByLabel('Warn before an on-call schedule export ends (days)').inputValue()).toBe('7');
    await page.getByLabel('Warn before an on-call schedule export ends (days)').fill('21');
    await page.getByRole('button', { name: 'Save on-call warning' }).click();
    await expect.poll(() => page.getByTestId('members-notice').textContent()).toContain('ending within 21 days');
    expect(readSettings(app.vault.current()).onCallWarningDays).toBe(21);
    await screenshotsAtBothSizes(app, 'settings-oncall-warning', page.getByLabel('Warn before an on-call schedule export ends (days)'));
  });

  it('refuses a malformed publisher key with a sentence, then trusts a real one', async () => {
    const { page } = app;
    await page.getByLabel('Public key').fill('lbpub1:not-base64!');
    await page.getByLabel('Publisher name').fill('Platform team');
    await page.getByRole('button', { name: 'Trust' }).click();
    await page.getByTestId('error-banner').waitFor();
    const key = await generatePublisherKey('Platform team');
    await page.getByLabel('Public key').fill(formatPublicKey(key.publicKey));
    await page.getByRole('button', { name: 'Trust' }).click();
    await expect.poll(() => page.getByTestId('publisher-list').textContent()).toContain(key.keyId);
    await app.screenshot('members-and-settings');
  });

  it('the removed member cannot unlock; the owner still can', async () => {
    await app.page.keyboard.press('Control+l');
    await app.page.getByRole('tab', { name: 'Unlock a vault' }).waitFor();
    await expect(openVault(dir, { member: 'bob', passphrase: 'bob passphrase 1' })).rejects.toMatchObject({ code: 'VAULT_AUTH_FAILED' });
    const owner = await openVault(dir, { member: 'alice', passphrase: PASS });
    expect(owner.members().map((m) => m.name)).toEqual(['alice']);
    await owner.lock();
  });
});
