/**
 * What a new user sees on opening Lifeboat, through the real window.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHandlers } from '../../electron/ipc/handlers.js';
import { engineVerdict, startApp, type TestApp } from './harness.js';

let app: TestApp | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('home screen', () => {
  it('shows the host, and every engine check passing, with no console errors', async () => {
    app = await startApp();
    const { page } = app;
    expect(await engineVerdict(app)).toBe('Ready');
    expect(await page.getByTestId('host-badge').textContent()).toContain('Browser host');
    for (const id of ['argon2id', 'aead', 'signatures', 'sqlite']) {
      expect(await page.getByTestId(`check-${id}`).getAttribute('class')).toContain('check-ok');
    }
    expect(await page.getByTestId('check-sqlite').textContent()).toContain('FTS4');
    expect(await page.getByRole('tab', { name: 'Unlock a vault' }).isVisible()).toBe(true);
    await app.screenshot('home-ready');
    expect(app.consoleErrors).toEqual([]);
    expect(app.foreignRequests).toEqual([]);
    expect(app.blockedRequests).toEqual([]);
  });

  it('re-runs the checks from the button, streaming progress to the page', async () => {
    app = await startApp();
    const { page } = app;
    expect(await engineVerdict(app)).toBe('Ready');
    // Record the progress events the page receives through window.lifeboat.
    await page.evaluate(() => {
      const seen: unknown[] = [];
      (window as unknown as { seen: unknown[] }).seen = seen;
      window.lifeboat?.onProgress((event) => seen.push(event));
    });
    // The self-test is a badge on the first screen: it opens to show the checks and the button.
    await page.getByTestId('engine-badge').click();
    await page.getByRole('button', { name: /Run checks again/ }).click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { seen: { finished: boolean }[] }).seen.at(-1)?.finished)).toBe(true);
    const seen = await page.evaluate(() => (window as unknown as { seen: { done: number; total: number; taskId: string }[] }).seen);
    expect(seen.map((e) => e.done)).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(seen.map((e) => e.taskId))).toEqual(new Set(['engine-self-test']));
    expect(await page.getByTestId('engine-verdict').textContent()).toBe('Ready');
  });

  it('re-runs the checks from the keyboard (R)', async () => {
    app = await startApp();
    const { page } = app;
    expect(await engineVerdict(app)).toBe('Ready');
    const calls = await page.evaluate(() => {
      let count = 0;
      window.lifeboat?.onProgress((event) => {
        if (event.finished) {
          count += 1;
        }
      });
      (window as unknown as { finishedCount: () => number }).finishedCount = () => count;
      return count;
    });
    expect(calls).toBe(0);
    // Not while typing: move focus out of the unlock form first.
    await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
    });
    await page.keyboard.press('r');
    await expect.poll(() => page.evaluate(() => (window as unknown as { finishedCount: () => number }).finishedCount())).toBe(1);
  });

  it('shows a failed engine check plainly, with its reason', async () => {
    app = await startApp({
      handlers: createHandlers({
        facts: { host: 'browser', version: '0.0.0-test', packaged: false, platform: 'linux' },
        selfTestSteps: () => [
          { id: 'argon2id', label: 'Key derivation (Argon2id)', run: () => Promise.resolve('Argon2id works.') },
          { id: 'sqlite', label: 'Database (SQLite + FTS4)', run: () => Promise.reject(new Error('the WebAssembly module did not load')) },
        ],
      }),
    });
    const { page } = app;
    expect(await engineVerdict(app)).toBe('Not ready');
    expect(await page.getByTestId('check-sqlite').getAttribute('class')).toContain('check-bad');
    expect(await page.getByTestId('check-sqlite').textContent()).toContain('Failed: the WebAssembly module did not load.');
    expect(await page.getByTestId('check-argon2id').getAttribute('class')).toContain('check-ok');
    expect(await page.getByRole('alert').textContent()).toContain('cannot keep a vault safe on this machine');
    await app.screenshot('home-engine-not-ready');
  });
});
