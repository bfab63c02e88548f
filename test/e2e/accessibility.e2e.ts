/**
 * Accessibility (issue 19): axe-core on every main screen of the window, in
 * the light and the dark theme, finds nothing serious or critical against
 * WCAG 2.2 A/AA (contrast, names, keyboard-scrollable regions...). The demo
 * vault gives every screen something to show.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../electron/ipc/handlers.js';
import { VaultService } from '../../electron/operations/vault-service.js';
import { tempVaultDir } from '../support/test-vault.js';
import { engineVerdict, screenshotsAtBothSizes, seriousA11yViolations, startApp, type AxeFinding, type TestApp } from './harness.js';

let app: TestApp;

beforeAll(async () => {
  const vault = new VaultService(globalThis, join(tempVaultDir(), '..', 'demo', 'demo.lifeboat'));
  app = await startApp({ handlers: createHandlers({ facts: { host: 'browser', version: '0.0.0-test', packaged: false, platform: 'linux' }, vault }) });
  await app.page.setViewportSize({ width: 1280, height: 800 });
});

afterAll(async () => {
  await app.close();
});

/** Both themes' findings on the screen as it is now, named by theme so a failure says which. */
async function findingsInBothThemes(page: Page): Promise<Record<string, AxeFinding[]>> {
  const found: Record<string, AxeFinding[]> = {};
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    found[scheme] = await seriousA11yViolations(app);
  }
  await page.emulateMedia({ colorScheme: null });
  return found;
}

const NONE = { light: [], dark: [] };

async function view(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true }).click();
}

describe('axe-core on every main screen, both themes', () => {
  it('finds what it should (the check can fail): the old light accent on white, a button with no name', async () => {
    const { page } = app;
    await page.evaluate(() => {
      const probe = document.createElement('div');
      probe.id = 'axe-probe';
      const faint = document.createElement('p');
      faint.style.cssText = 'color:#b86e00;background:#fff;font-size:13px';
      faint.textContent = '3.98:1';
      // A button with no name, as an icon-only button would be.
      const nameless = document.createElement('button');
      nameless.type = 'button';
      probe.append(faint, nameless);
      document.body.append(probe);
    });
    const rules = (await seriousA11yViolations(app)).map((f) => f.rule);
    await page.evaluate(() => document.getElementById('axe-probe')?.remove());
    expect(rules).toEqual(expect.arrayContaining(['color-contrast', 'button-name']));
  });

  it('the first screen (unlock, create, recovery shares) and the self-test opened', async () => {
    const { page } = app;
    expect(await engineVerdict(app)).toBe('Ready');
    expect(await findingsInBothThemes(page)).toEqual(NONE);
    await page.getByRole('tab', { name: 'Create a vault' }).click();
    expect(await findingsInBothThemes(page)).toEqual(NONE);
    await page.getByRole('tab', { name: 'Unlock with recovery shares' }).click();
    expect(await findingsInBothThemes(page)).toEqual(NONE);
    await page.getByRole('tab', { name: 'Unlock a vault' }).click();
    await page.getByTestId('engine-badge').click();
    await page.getByTestId('check-sqlite').waitFor();
    expect(await findingsInBothThemes(page)).toEqual(NONE);
    await page.getByTestId('engine-badge').click();
  });

  it('the incident home, search results and a runbook', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Open the demo vault' }).click();
    await page.getByTestId('demo-banner').waitFor();
    await expect.poll(() => page.getByTestId('call-list').locator('li').count()).toBe(2);
    expect(await findingsInBothThemes(page)).toEqual(NONE);
    await page.getByTestId('search').fill('orders');
    await expect.poll(() => page.getByTestId('results').locator('li').count()).toBeGreaterThan(2);
    expect(await findingsInBothThemes(page)).toEqual(NONE);
    await page.getByTestId('results').locator('.result-title', { hasText: 'Restore the orders database' }).click();
    await page.getByTestId('markdown').waitFor();
    expect(await findingsInBothThemes(page)).toEqual(NONE);
  });

  it('a break-glass procedure and a secret', async () => {
    const { page } = app;
    await page.getByTestId('search').fill('identity provider down');
    await page.getByTestId('results').locator('.result-title', { hasText: 'Identity provider down' }).click();
    await page.getByTestId('record').waitFor();
    expect(await findingsInBothThemes(page)).toEqual(NONE);
    await page.getByTestId('search').fill('AWS root account');
    await page
      .getByTestId('results')
      .locator('.result-title', { hasText: /^AWS root account$/ })
      .click();
    await page.getByTestId('record').waitFor();
    expect(await findingsInBothThemes(page)).toEqual(NONE);
  });

  it('the recovery plan and readiness', async () => {
    const { page } = app;
    await view(page, 'Recovery plan');
    await page.locator('.plan-graph-card').waitFor();
    expect(await findingsInBothThemes(page)).toEqual(NONE);
    await screenshotsAtBothSizes(app, 'a11y-plan');
    await view(page, 'Readiness');
    await page.getByTestId('readiness-vault').waitFor();
    expect(await findingsInBothThemes(page)).toEqual(NONE);
    await screenshotsAtBothSizes(app, 'a11y-readiness');
  });

  it('exercises and incidents, sync, audit, members and settings', async () => {
    const { page } = app;
    await view(page, 'Exercises & incidents');
    await page.locator('.ses-screen, [data-testid="active-sessions"], main h2').first().waitFor();
    expect(await findingsInBothThemes(page)).toEqual(NONE);
    await view(page, 'Sync');
    expect(await findingsInBothThemes(page)).toEqual(NONE);
    await view(page, 'Audit');
    await page.getByTestId('timeline').waitFor();
    expect(await findingsInBothThemes(page)).toEqual(NONE);
    await screenshotsAtBothSizes(app, 'a11y-audit');
    await view(page, 'Members & settings');
    await page.getByTestId('member-list').waitFor();
    expect(await findingsInBothThemes(page)).toEqual(NONE);
  });
});
