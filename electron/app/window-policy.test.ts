/**
 * window-policy.ts holds every security decision of the Electron shell as a
 * pure function. These tests pin each against Electron's security checklist
 * without starting Electron (the module only imports Electron's types).
 */
import { describe, expect, it } from 'vitest';
import { BROWSER_HOST_BASE_URL, ELECTRON_APP_BASE_URL } from '../serving/app-assets.js';
import { buildMenuTemplate, createMainWindowOptions, decidePermission, decideWindowOpen, isAllowedNavigation, isAllowedRequest } from './window-policy.js';

type MenuItem = ReturnType<typeof buildMenuTemplate>[number];

const preloadPath = '/opt/Lifeboat/resources/app.asar/dist/web/preload.cjs';

describe('createMainWindowOptions', () => {
  describe.each([
    { packaged: true, label: 'packaged' },
    { packaged: false, label: 'development' },
  ])('$label build', ({ packaged }) => {
    const prefs = createMainWindowOptions({ preloadPath, packaged }).webPreferences ?? {};

    it('isolates the preload from the page and sandboxes the renderer', () => {
      expect(prefs.contextIsolation).toBe(true);
      expect(prefs.sandbox).toBe(true);
    });

    it('gives no renderer context Node: not the page, workers nor subframes', () => {
      expect(prefs.nodeIntegration).toBe(false);
      expect(prefs.nodeIntegrationInWorker).toBe(false);
      expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    });

    it("keeps the web platform's own protections", () => {
      expect(prefs.webSecurity).toBe(true);
      expect(prefs.allowRunningInsecureContent).toBe(false);
      expect(prefs.experimentalFeatures).toBe(false);
    });

    it('allows no <webview> and no navigation by dropping a file', () => {
      expect(prefs.webviewTag).toBe(false);
      expect(prefs.navigateOnDragDrop).toBe(false);
    });

    it('loads exactly the preload it was given', () => {
      expect(prefs.preload).toBe(preloadPath);
    });

    it('sets no option that would widen what the page may do', () => {
      // Options that must never appear enabled, whatever else changes.
      const risky = [
        'nodeIntegration',
        'nodeIntegrationInWorker',
        'nodeIntegrationInSubFrames',
        'webviewTag',
        'allowRunningInsecureContent',
        'experimentalFeatures',
        'enableBlinkFeatures',
      ] as const;
      for (const key of risky) {
        expect(Boolean(prefs[key]), key).toBe(false);
      }
    });
  });

  it('disables DevTools in a packaged build', () => {
    expect(createMainWindowOptions({ preloadPath, packaged: true }).webPreferences?.devTools).toBe(false);
  });

  it('enables DevTools in development', () => {
    expect(createMainWindowOptions({ preloadPath, packaged: false }).webPreferences?.devTools).toBe(true);
  });

  it('passes any preload path through unchanged', () => {
    const other = 'C:\\Program Files\\Lifeboat\\resources\\preload.cjs';
    expect(createMainWindowOptions({ preloadPath: other, packaged: true }).webPreferences?.preload).toBe(other);
  });

  it('shows the window only once it is ready (no flash of an unstyled page)', () => {
    expect(createMainWindowOptions({ preloadPath, packaged: true }).show).toBe(false);
  });
});

describe('isAllowedNavigation', () => {
  it('allows navigation within our own app pages', () => {
    expect(isAllowedNavigation('app://lifeboat/index.html', ELECTRON_APP_BASE_URL)).toBe(true);
    expect(isAllowedNavigation('app://lifeboat/', ELECTRON_APP_BASE_URL)).toBe(true);
    expect(isAllowedNavigation('app://lifeboat/index.html#/contacts', ELECTRON_APP_BASE_URL)).toBe(true);
  });

  it.each([
    'https://evil.example/',
    'https://lifeboat.invalid/',
    'app://evil/index.html',
    'app://lifeboat@evil/index.html',
    'app://lifeboat.evil.example/',
    'file:///etc/passwd',
    'data:text/html,<script>alert(1)</script>',
    'javascript:alert(1)',
    'about:blank',
    'devtools://devtools/bundled/inspector.html',
    '',
    'not a url',
  ])('refuses navigation to %j', (url) => {
    expect(isAllowedNavigation(url, ELECTRON_APP_BASE_URL)).toBe(false);
  });
});

describe('decideWindowOpen', () => {
  it('denies every window.open / target=_blank request', () => {
    expect(decideWindowOpen()).toEqual({ action: 'deny' });
  });

  it('denies whatever details Electron passes (a handler must not open "trusted" URLs either)', () => {
    // Electron calls the handler with details; the decision must not depend on them.
    const handler = decideWindowOpen as (details: { url: string }) => { action: string };
    expect(handler({ url: 'app://lifeboat/index.html' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });
});

describe('decidePermission', () => {
  // Permission names Electron passes to setPermissionRequestHandler/CheckHandler.
  const permissions = [
    'media',
    'geolocation',
    'notifications',
    'midi',
    'midiSysex',
    'pointerLock',
    'fullscreen',
    'openExternal',
    'clipboard-read',
    'clipboard-sanitized-write',
    'display-capture',
    'mediaKeySystem',
    'window-management',
    'idle-detection',
    'keyboardLock',
    'fileSystem',
    'hid',
    'serial',
    'usb',
    'bluetooth',
    'storage-access',
    'top-level-storage-access',
    'speaker-selection',
    'unknown',
    '',
  ];

  it.each(permissions)('refuses %j', (permission) => {
    expect(decidePermission(permission)).toBe(false);
  });
});

describe('isAllowedRequest', () => {
  describe.each([true, false])('packaged=%s', (packaged) => {
    it('allows our own app files', () => {
      for (const url of ['app://lifeboat/', 'app://lifeboat/index.html', 'app://lifeboat/assets/index-abc.js', 'app://lifeboat/assets/app.css?v=1']) {
        expect(isAllowedRequest(url, ELECTRON_APP_BASE_URL, packaged), url).toBe(true);
      }
    });

    it('allows data: URLs (images the bundler inlines)', () => {
      expect(isAllowedRequest('data:image/png;base64,iVBORw0KGgo=', ELECTRON_APP_BASE_URL, packaged)).toBe(true);
      expect(isAllowedRequest('data:image/svg+xml,%3Csvg%2F%3E', ELECTRON_APP_BASE_URL, packaged)).toBe(true);
    });

    it.each([
      'https://example.com/',
      'https://lifeboat.invalid/index.html',
      'wss://example.com/socket',
      'file:///etc/passwd',
      'file:///C:/Windows/win.ini',
      'ftps://example.com/file',
      'blob:app://lifeboat/1d2c3b4a-0000-4000-8000-000000000000',
      'app://evil/index.html',
      'app://lifeboat.evil.example/index.html',
      'app://lifeboat:8080/index.html',
      'app://user@lifeboat/index.html',
      'about:blank',
      '',
      'not a url',
    ])('cancels %j', (url) => {
      expect(isAllowedRequest(url, ELECTRON_APP_BASE_URL, packaged)).toBe(false);
    });

    it('cancels plain-text network schemes', () => {
      // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- test data: insecure URLs must be cancelled
      for (const url of ['http://example.com/', 'http://lifeboat/index.html', 'ws://127.0.0.1:9222/devtools', 'ftp://example.com/file']) {
        expect(isAllowedRequest(url, ELECTRON_APP_BASE_URL, packaged), url).toBe(false);
      }
    });

    it('does not take data: anywhere but at the very start of the URL', () => {
      expect(isAllowedRequest(' data:text/html,hi', ELECTRON_APP_BASE_URL, packaged)).toBe(false);
      expect(isAllowedRequest('https://evil.example/data:image/png', ELECTRON_APP_BASE_URL, packaged)).toBe(false);
      expect(isAllowedRequest('https://evil.example/?data:', ELECTRON_APP_BASE_URL, packaged)).toBe(false);
    });
  });

  it("allows the DevTools' own scheme only in development", () => {
    const devtools = 'devtools://devtools/bundled/devtools_app.html';
    expect(isAllowedRequest(devtools, ELECTRON_APP_BASE_URL, false)).toBe(true);
    expect(isAllowedRequest(devtools, ELECTRON_APP_BASE_URL, true)).toBe(false);
  });

  it('refuses chrome-extension: in every build (Lifeboat loads no extensions)', () => {
    const extension = 'chrome-extension://abcdefghijklmnop/panel.html';
    expect(isAllowedRequest(extension, ELECTRON_APP_BASE_URL, false)).toBe(false);
    expect(isAllowedRequest(extension, ELECTRON_APP_BASE_URL, true)).toBe(false);
  });

  it('does not let a URL that merely mentions devtools: through in development', () => {
    expect(isAllowedRequest('https://evil.example/devtools://x', ELECTRON_APP_BASE_URL, false)).toBe(false);
  });

  it('judges app URLs against the base it is given', () => {
    expect(isAllowedRequest('https://lifeboat.invalid/index.html', BROWSER_HOST_BASE_URL, true)).toBe(true);
    expect(isAllowedRequest('app://lifeboat/index.html', BROWSER_HOST_BASE_URL, true)).toBe(false);
  });
});

describe('buildMenuTemplate', () => {
  /** Every role in the template, nested submenus included. */
  function rolesIn(items: readonly MenuItem[]): string[] {
    const roles: string[] = [];
    for (const item of items) {
      if (item.role !== undefined) {
        roles.push(item.role);
      }
      if (Array.isArray(item.submenu)) {
        roles.push(...rolesIn(item.submenu));
      }
    }
    return roles;
  }

  /** Roles whose default submenu or action reloads the page or opens DevTools. */
  const developerRoles = ['reload', 'forceReload', 'toggleDevTools', 'viewMenu'];
  const platforms = ['darwin', 'win32', 'linux'];

  it.each(platforms)('has no reload, force-reload, DevTools or View menu anywhere when packaged (%s)', (platform) => {
    const roles = rolesIn(buildMenuTemplate(platform, true));
    for (const role of developerRoles) {
      expect(roles, role).not.toContain(role);
    }
  });

  it.each(platforms)('has no item with a developer label or accelerator when packaged (%s)', (platform) => {
    const labels: string[] = [];
    const walk = (items: readonly MenuItem[]): void => {
      for (const item of items) {
        labels.push(`${item.label ?? ''} ${typeof item.accelerator === 'string' ? item.accelerator : ''}`);
        if (Array.isArray(item.submenu)) {
          walk(item.submenu);
        }
      }
    };
    walk(buildMenuTemplate(platform, true));
    for (const label of labels) {
      expect(label).not.toMatch(/develop|devtools|reload|inspect|F12|Shift\+I/i);
    }
  });

  it.each(platforms)('offers reload and DevTools in development (%s)', (platform) => {
    const roles = rolesIn(buildMenuTemplate(platform, false));
    expect(roles).toContain('reload');
    expect(roles).toContain('toggleDevTools');
  });

  it.each(platforms)('keeps the edit menu (copy/paste shortcuts) and a way to quit (%s)', (platform) => {
    for (const packaged of [true, false]) {
      const roles = rolesIn(buildMenuTemplate(platform, packaged));
      expect(roles).toContain('editMenu');
      expect(roles.some((role) => role === 'quit' || role === 'appMenu')).toBe(true);
    }
  });

  it('uses the macOS application menu on darwin and a File › Quit menu elsewhere', () => {
    expect(rolesIn(buildMenuTemplate('darwin', true))).toContain('appMenu');
    expect(rolesIn(buildMenuTemplate('darwin', true))).not.toContain('quit');
    expect(rolesIn(buildMenuTemplate('linux', true))).toContain('quit');
    expect(rolesIn(buildMenuTemplate('linux', true))).not.toContain('appMenu');
  });
});
