/**
 * First run: a new user opens the demo vault and sees the product working,
 * clearly marked as sample data.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../electron/ipc/handlers.js';
import { VaultService } from '../../electron/operations/vault-service.js';
import { tempVaultDir } from '../support/test-vault.js';
import { startApp, type TestApp } from './harness.js';

let app: TestApp;
let vault: VaultService;

beforeAll(async () => {
  vault = new VaultService(globalThis, join(tempVaultDir(), '..', 'demo', 'demo.lifeboat'));
  app = await startApp({ handlers: createHandlers({ facts: { host: 'browser', version: '0.0.0-test', packaged: false, platform: 'linux' }, vault }) });
});

afterAll(async () => {
  await app.close();
});

describe('demo vault', () => {
  it('opens from the start screen with sample records, marked as a demo', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Open the demo vault' }).click();
    await page.getByTestId('demo-banner').waitFor();
    expect(await page.getByTestId('session-bar').textContent()).toContain('Demo vault (sample data)');
    await expect.poll(() => page.getByTestId('call-list').locator('li').count()).toBe(2);
    expect(await page.getByTestId('incident-home').textContent()).toContain('Identity provider down');
    await page.keyboard.press('Control+k');
    await page.keyboard.type('nightly backup');
    await expect.poll(() => page.getByTestId('results').locator('li').first().textContent()).toContain('Restore the orders database');
    // Keyboard only: down from the search box to the first result, Enter to open it.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByTestId('markdown').waitFor();
    expect(await page.getByTestId('record').textContent()).toContain('Estimated time45 min');
    expect(await page.getByTestId('record').textContent()).toContain('Validation checks');
    await app.screenshot('demo-vault');
  });

  it('follows a dependency to its service, and copies a phone number through main', async () => {
    const { page } = app;
    await page.getByTestId('search').fill('orders-db');
    await page
      .getByTestId('results')
      .locator('.result-title', { hasText: /^orders-db$/ })
      .click();
    await page.getByTestId('depends-on').getByRole('button', { name: 'identity' }).click();
    await expect.poll(() => page.locator('#record-title').textContent()).toBe('identity');
    await page.getByTestId('search').fill('incident commander');
    await page.getByTestId('results').locator('.result-title', { hasText: 'Incident commander on duty' }).click();
    await page.getByRole('button', { name: 'Copy +44 20 7946 0101' }).click();
    await expect.poll(() => vault.clipboard.read()).toBe('+44 20 7946 0101');
  });

  it('offers the members of a vault once its folder is typed', async () => {
    const { page } = app;
    await page.keyboard.press('Control+l');
    await page.getByRole('tab', { name: 'Unlock a vault' }).waitFor();
    await page.getByLabel('Vault folder').fill(vault.demoDir);
    await page.getByTestId('member-choices').waitFor();
    expect(await page.getByTestId('member-choices').textContent()).toContain('demo');
    await page.getByTestId('member-choices').getByRole('button', { name: 'demo' }).click();
    expect(await page.getByLabel('Member', { exact: true }).inputValue()).toBe('demo');
    await app.screenshot('unlock-member-choices');
  });
});
