/**
 * Creating and editing records through the forms: validation lands at the
 * field, a save is a revision, sealed values are never echoed back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVault, openVault } from '../../electron/vault/vault-open.js';
import { listRecords, recordHistory, revealField } from '../../electron/vault/records/vault-records.js';
import { tempVaultDir } from '../support/test-vault.js';
import { startApp, type TestApp, unlockInWindow } from './harness.js';

const PASS = 'editor test passphrase';
let app: TestApp;
let dir: string;

beforeAll(async () => {
  dir = tempVaultDir();
  await (await createVault(dir, { owner: 'alice', passphrase: PASS, insecureFastKdf: true })).lock();
  app = await startApp();
  await unlockInWindow(app, dir, 'alice', PASS);
});

afterAll(async () => {
  await app.close();
});

describe('record forms', () => {
  it('shows an invalid value at its field and creates nothing', async () => {
    const { page } = app;
    await page.getByRole('button', { name: '+ New record' }).click();
    await page.getByLabel('Type', { exact: true }).selectOption('service');
    await page.getByLabel('Title', { exact: true }).fill('payments-api');
    await page.getByLabel('Tier (0 most critical – 4)').fill('9');
    await page.getByRole('button', { name: 'Create record' }).click();
    await page.locator('#field-tier-error').waitFor();
    expect(await page.locator('#field-tier').getAttribute('aria-invalid')).toBe('true');
    await app.screenshot('editor-field-error');
    expect(await page.getByTestId('empty-list').isVisible()).toBe(true);
  });

  it('creates the service once corrected, then edits it into a new revision', async () => {
    const { page } = app;
    await page.getByLabel('Tier (0 most critical – 4)').fill('1');
    await page.getByLabel('RTO (minutes)').fill('60');
    await page.getByLabel('Depends on (one per line)').fill('postgres\nidentity');
    await page.getByLabel('Recovery method').selectOption('redeploy');
    await page.getByRole('button', { name: 'Create record' }).click();
    await page.getByTestId('record').waitFor();
    expect(await page.getByTestId('depends-on').getByRole('button').allTextContents()).toEqual(['postgres', 'identity']);
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('RTO (minutes)').fill('45');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByTestId('record').textContent()).toContain('Revision 2');
    expect(await page.getByTestId('record').textContent()).toContain('45 min');
    await page.getByTestId('history').locator('summary').click();
    await expect.poll(() => page.getByTestId('history').textContent()).toContain('rev 2 edited by alice');
    expect(await page.getByTestId('history').textContent()).toContain('rtoMinutes');
    await page.getByTestId('history').getByRole('button', { name: 'show changes' }).click();
    await expect.poll(() => page.getByTestId('changes-2').textContent()).toContain('rtoMinutes6045');
    await app.screenshot('editor-history-changes');
  });

  it('keeps a step with its fenced command as one step through create and edit, shown as a command to copy', async () => {
    const { page } = app;
    await page.getByRole('button', { name: '+ New record' }).click();
    await page.getByLabel('Type', { exact: true }).selectOption('runbook');
    await page.getByLabel('Title', { exact: true }).fill('Clock drift');
    const steps = page.getByLabel('Steps (one per line)');
    await steps.fill('Check chrony.\nStart it:\n```shell\nsystemctl start chronyd\nchronyc tracking\n```\nCheck the offset.');
    await page.getByRole('button', { name: 'Create record' }).click();
    await page.getByTestId('record').waitFor();
    const checklist = page.getByTestId('record').locator('ol').first().locator('> li');
    await expect.poll(() => checklist.count()).toBe(3);
    // Edit something else and save: the steps come back as they were, not one per line of code.
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Title', { exact: true }).fill('Clock drift on the database hosts');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByTestId('record').textContent()).toContain('Revision 2');
    await expect.poll(() => checklist.count()).toBe(3);
    expect(await page.getByTestId('step-command').textContent()).toContain('systemctl start chronyd');
    await app.screenshot('editor-step-with-command');
  });

  it('creates a secret whose values are sealed, and keeps them when edited with blanks', async () => {
    const { page } = app;
    await page.getByRole('button', { name: '+ New record' }).click();
    await page.getByLabel('Type', { exact: true }).selectOption('secret');
    await page.getByLabel('Title', { exact: true }).fill('Database superuser');
    await page.getByLabel('Password', { exact: true }).fill('form-secret-991');
    await page.getByRole('button', { name: 'Create record' }).click();
    await page.getByTestId('sealed-password').waitFor();
    expect(await page.content()).not.toContain('form-secret-991');
    await page.getByRole('button', { name: 'Edit' }).click();
    expect(await page.getByLabel(/Password/).inputValue()).toBe('');
    await page.getByLabel('Notes (not sealed)').fill('Rotated quarterly.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByTestId('record').textContent()).toContain('Revision 2');
    await app.screenshot('editor-secret-saved');
    await app.page.keyboard.press('Control+l');
    await app.page.getByRole('tab', { name: 'Unlock a vault' }).waitFor();
    const owner = await openVault(dir, { member: 'alice', passphrase: PASS });
    const secret = listRecords(owner).find((r) => r.title === 'Database superuser');
    expect(await revealField(owner, secret?.id ?? '', 'password', 'e2e check')).toBe('form-secret-991');
    expect(recordHistory(owner, secret?.id ?? '').map((r) => r.action)).toEqual(['created', 'edited']);
    await owner.lock();
  });
});
