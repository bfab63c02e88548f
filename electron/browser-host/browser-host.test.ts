import { describe, expect, it } from 'vitest';
import { LifeboatError } from '../../shared/errors.js';
import { chromiumPath } from '../chromium/chromium-runtime.js';
import { assertDisplay, launchBrowserHost } from './browser-host.js';

describe('browser host preconditions', () => {
  it('refuses a headful window on Linux without a display, with a typed error saying what to do', () => {
    let caught: unknown;
    try {
      assertDisplay(false, 'linux', {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LifeboatError);
    expect((caught as LifeboatError).code).toBe('HOST_NO_DISPLAY');
    expect((caught as LifeboatError).message).toContain('xvfb-run');
  });

  it('needs no display when headless, or when a display is set', () => {
    expect(() => {
      assertDisplay(true, 'linux', {});
    }).not.toThrow();
    expect(() => {
      assertDisplay(false, 'linux', { DISPLAY: ':99' });
    }).not.toThrow();
    expect(() => {
      assertDisplay(false, 'linux', { WAYLAND_DISPLAY: 'wayland-0' });
    }).not.toThrow();
    expect(() => {
      assertDisplay(false, 'darwin', {});
    }).not.toThrow();
  });

  it('uses CHROME_PATH when set, else Debian chromium', () => {
    expect(chromiumPath({ CHROME_PATH: '/opt/chrome/chrome' })).toBe('/opt/chrome/chrome');
    expect(chromiumPath({})).toBe('/usr/bin/chromium');
  });

  it('fails with HOST_NO_BROWSER naming the path when Chromium is missing', async () => {
    await expect(launchBrowserHost({ headless: true, executablePath: '/nonexistent/chromium' })).rejects.toMatchObject({
      code: 'HOST_NO_BROWSER',
      message: expect.stringContaining('/nonexistent/chromium') as unknown,
    });
  });
});
