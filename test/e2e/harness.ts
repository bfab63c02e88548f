/**
 * Starts the real app in headless Chromium through the browser host (the
 * same router, handlers and engine as the Electron shell) and collects what
 * a reviewer would want to see when a test fails: console errors, requests
 * that tried to leave, screenshots under test-results/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { expect } from 'vitest';
import { launchBrowserHost, type BrowserHost, type BrowserHostOptions } from '../../electron/browser-host/browser-host.js';
import { memoryClipboard } from '../../electron/operations/secret-clipboard.js';

export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'screenshots');

export interface TestApp extends BrowserHost {
  consoleErrors: string[];
  /** Every request the page tried to make to anywhere but our own origin. */
  foreignRequests: string[];
  /** Those of them that completed: only the host's own 204 veto of a navigation may. */
  foreignCompleted: string[];
  screenshot(name: string): Promise<string>;
}

/**
 * The clipboard is one in memory (tests read what was copied) unless the
 * test names one: `clipboard: undefined` gives the host's own choice, the
 * clipboard tool on `env`'s PATH (test/support/fake-clipboard-tool.ts), or none.
 */
export async function startApp(options: Partial<BrowserHostOptions> = {}): Promise<TestApp> {
  const clipboard = 'clipboard' in options ? options.clipboard : memoryClipboard();
  const host = await launchBrowserHost({ headless: true, ...options, ...(clipboard ? { clipboard } : {}) });
  const consoleErrors: string[] = [];
  const foreignRequests: string[] = [];
  const foreignCompleted: string[] = [];
  host.page.on('console', (message) => {
    if (message.type() === 'error') {
      consoleErrors.push(message.text());
    }
  });
  host.page.on('pageerror', (error) => consoleErrors.push(error.message));
  host.context.on('request', (request) => {
    if (!request.url().startsWith(host.baseUrl)) {
      foreignRequests.push(request.url());
    }
  });
  host.context.on('requestfinished', (request) => {
    if (!request.url().startsWith(host.baseUrl)) {
      foreignCompleted.push(request.url());
    }
  });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    ...host,
    consoleErrors,
    foreignRequests,
    foreignCompleted,
    async screenshot(name) {
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await host.page.screenshot({ path, fullPage: true });
      return path;
    },
  };
}

/**
 * Screenshots at the two window sizes every screen is checked at (1280×800
 * and 1024×640), light and dark, named `${name}-${width}x${height}-${scheme}`,
 * with `focus` scrolled into view at each size. The viewport and colour
 * scheme are put back as they were.
 */
export async function screenshotsAtBothSizes(app: TestApp, name: string, focus?: Locator): Promise<void> {
  const { page } = app;
  const before = page.viewportSize();
  for (const [width, height] of [
    [1280, 800],
    [1024, 640],
  ] as const) {
    await page.setViewportSize({ width, height });
    await focus?.scrollIntoViewIfNeeded();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await app.screenshot(`${name}-${String(width)}x${String(height)}-${scheme}`);
    }
  }
  await page.emulateMedia({ colorScheme: null });
  if (before) {
    await page.setViewportSize(before);
  }
}

/** Waits for the engine self-test to finish and returns the verdict shown ("Ready" / "Not ready"). */
export async function engineVerdict(app: BrowserHost): Promise<string | null> {
  const verdict = app.page.getByTestId('engine-verdict');
  await verdict.waitFor({ timeout: 20_000 });
  return verdict.textContent();
}

/** Opens the record a search finds first, with the keyboard (Ctrl+K, the query, ArrowDown, Enter), and waits for its title. */
export async function openBySearch(app: TestApp, query: string, title: string): Promise<void> {
  const { page } = app;
  await page.keyboard.press('Control+k');
  await page.getByTestId('search').fill(query);
  await expect.poll(() => page.getByTestId('results').locator('li').first().locator('.result-title').textContent(), { timeout: 10_000 }).toBe(title);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('#record-title').textContent()).toBe(title);
}

/** Presses Tab until a link to another record with this text has focus (at most 60 times), as a keyboard user would. */
export async function tabToRecordLink(app: TestApp, text: string): Promise<void> {
  const { page } = app;
  for (let i = 0; i < 60; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return el ? { text: el.textContent.replace(/\s+/gu, ' ').trim(), isRecordLink: el.classList.contains('md-record-link') } : null;
    });
    if (focused?.isRecordLink && focused.text === text) {
      return;
    }
  }
  throw new Error(`Tab never reached the link "${text}"`);
}

/** One accessibility finding as a failing test prints it: the rule, what it means, where. */
export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/**
 * Runs axe-core (node_modules/axe-core) on the page as it is now and returns
 * its serious and critical findings against WCAG 2.2 A/AA and axe's best
 * practices. The script goes in through the debugger's evaluate, not a
 * <script> tag: the window's CSP (script-src 'self') refuses inline scripts,
 * as it should, and the tests do not loosen it.
 */
export async function seriousA11yViolations(app: TestApp): Promise<AxeFinding[]> {
  const { page } = app;
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.evaluate(readFileSync(join(process.cwd(), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8'));
  }
  return page.evaluate(async (tags) => {
    const axe = window.axe;
    if (!axe) {
      throw new Error('axe-core did not load');
    }
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ rule: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`) }));
  }, AXE_TAGS);
}

/** Unlocks the vault at `dir` on the unlock screen as a person would (folder, member, passphrase, Unlock) and waits for the session bar. */
export async function unlockInWindow(app: TestApp, dir: string, member: string, passphrase: string): Promise<void> {
  const { page } = app;
  await page.getByLabel('Vault folder').fill(dir);
  await page.getByLabel('Member', { exact: true }).fill(member);
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await page.getByTestId('session-bar').waitFor();
}
