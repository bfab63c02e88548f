/**
 * The renderer's sandbox as an attacker inside the page would meet it: CSP,
 * no network, no navigation away, no popups, only the contract's channels.
 * Markdown from catalogs will be rendered in this page later; these are the
 * walls it will stand behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineVerdict, startApp, type TestApp } from './harness.js';

let app: TestApp;

beforeAll(async () => {
  app = await startApp();
  expect(await engineVerdict(app)).toBe('Ready');
});

afterAll(async () => {
  await app.close();
});

describe('renderer sandbox', () => {
  it('serves the page with the strict CSP header', async () => {
    const response = await app.page.reload();
    const csp = (await response?.allHeaders())?.['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(await engineVerdict(app)).toBe('Ready');
  });

  it('does not run injected inline script or event handlers', async () => {
    const ran = await app.page.evaluate(async () => {
      const w = window as unknown as { pwned?: boolean };
      const script = document.createElement('script');
      script.textContent = 'window.pwned = true';
      document.body.appendChild(script);
      const img = document.createElement('img');
      img.setAttribute('src', 'data:image/gif;base64,R0lGODlhAQABAAAAACw=');
      img.setAttribute('onload', 'window.pwned = true');
      img.setAttribute('onerror', 'window.pwned = true');
      document.body.appendChild(img);
      await new Promise((resolve) => setTimeout(resolve, 200));
      return w.pwned === true;
    });
    expect(ran).toBe(false);
  });

  it('refuses eval and new Function', async () => {
    // Run from a timer, as page code would: DevTools' own evaluation is
    // exempt from the CSP, so calling eval directly here would prove nothing.
    const outcome = await app.page.evaluate(
      () =>
        new Promise<string[]>((resolve) => {
          setTimeout(() => {
            const results: string[] = [];
            try {
              // eslint-disable-next-line no-eval -- the point of the test is that eval is blocked
              (0, eval)('1 + 1');
              results.push('eval ran');
            } catch (error) {
              results.push((error as Error).name);
            }
            try {
              // eslint-disable-next-line @typescript-eslint/no-implied-eval, no-new-func, @typescript-eslint/no-unsafe-call -- likewise for Function
              new Function('return 1')();
              results.push('Function ran');
            } catch (error) {
              results.push((error as Error).name);
            }
            resolve(results);
          }, 0);
        }),
    );
    expect(outcome).toEqual(['EvalError', 'EvalError']);
  });

  it('makes no network request: fetch, images and iframes to remote hosts are refused', async () => {
    const outcome = await app.page.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (event) => violations.push(event.effectiveDirective));
      let fetched = 'fetched';
      try {
        await fetch('https://example.com/beacon');
      } catch {
        fetched = 'blocked';
      }
      const img = document.createElement('img');
      img.src = 'https://example.com/tracker.png';
      document.body.appendChild(img);
      const frame = document.createElement('iframe');
      frame.src = 'https://example.com/';
      document.body.appendChild(frame);
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { fetched, violations };
    });
    expect(outcome.fetched).toBe('blocked');
    // The CSP refuses each one…
    expect(outcome.violations).toEqual(expect.arrayContaining(['connect-src', 'img-src', 'frame-src']));
    // …and none of them completed: nothing was fetched from anywhere.
    expect(app.foreignCompleted).toEqual([]);
  });

  it('stays on its own page when something tries to navigate away', async () => {
    await app.page.evaluate(() => {
      window.location.href = 'https://example.com/phish';
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(app.page.url().startsWith(app.baseUrl)).toBe(true);
    expect(app.blockedRequests).toContain('https://example.com/phish');
    // The only thing that "completed" is the host's empty 204 veto.
    expect(app.foreignCompleted.filter((url) => url !== 'https://example.com/phish')).toEqual([]);
    // The app is still alive and connected, not replaced by an error page.
    expect(await app.page.getByTestId('engine-badge').isVisible()).toBe(true);
  });

  it('opens no popup windows', async () => {
    const popups = app.context.pages().length;
    await app.page.evaluate(() => window.open('https://example.com/', '_blank'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(app.context.pages().length).toBe(popups);
  });

  it('exposes only invoke and onProgress, frozen', async () => {
    const shape = await app.page.evaluate(() => {
      const api = window.lifeboat as unknown as Record<string, unknown>;
      let replaced = false;
      try {
        (window as unknown as Record<string, unknown>).lifeboat = {};
        replaced = window.lifeboat !== (api as unknown);
      } catch {
        replaced = false;
      }
      return { keys: Object.keys(api).sort(), frozen: Object.isFrozen(api), replaced };
    });
    expect(shape).toEqual({ keys: ['invoke', 'onProgress'], frozen: true, replaced: false });
  });

  it('answers unknown channels and malformed payloads with typed errors', async () => {
    const results = await app.page.evaluate(async () => {
      const api = window.lifeboat as unknown as { invoke: (c: unknown, p: unknown) => Promise<unknown> };
      return [await api.invoke('vault:dump', {}), await api.invoke('app:info', { extra: 1 })];
    });
    expect(results[0]).toMatchObject({ ok: false, error: { code: 'IPC_UNKNOWN_CHANNEL' } });
    expect(results[1]).toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST' } });
    expect(JSON.stringify(results)).not.toContain('    at ');
  });
});
