/**
 * First run: a new user opens the demo vault and sees the product working,
 * clearly marked as sample data.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../electron/ipc/handlers.js';
import { VaultService } from '../../electron/ipc/vault-handlers.js';
import { tempVaultDir } from '../support/test-vault.js';
import { startApp, type TestApp } from './harness.js';

let app: TestApp;

beforeAll(async () => {
  const vault = new VaultService(globalThis, join(tempVaultDir(), '..', 'demo', 'demo.lifeboat'));
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
    await page.keyboard.type('orders');
    await expect.poll(() => page.getByTestId('results').locator('li').first().textContent()).toContain('orders');
    // Keyboard only: down from the search box to the first result, Enter to open it.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByTestId('markdown').waitFor();
    expect(await page.getByTestId('record').textContent()).toContain('Estimated time45 min');
    expect(await page.getByTestId('record').textContent()).toContain('Validation checks');
    await app.screenshot('demo-vault');
  });
});
