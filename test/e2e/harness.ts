/**
 * Starts the real app in headless Chromium through the browser host (the
 * same router, handlers and engine as the Electron shell) and collects what
 * a reviewer would want to see when a test fails: console errors, requests
 * that tried to leave, screenshots under test-results/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
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
