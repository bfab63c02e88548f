/**
 * Every security decision of the Electron shell as a pure function, so unit
 * tests can pin them without an Electron binary. Each item answers a line of
 * Electron's security checklist: https://www.electronjs.org/docs/latest/tutorial/security
 */
import type { BrowserWindowConstructorOptions, MenuItemConstructorOptions } from 'electron';
import { isOwnPage } from '../ipc/sender.js';

export interface WindowPolicyInput {
  preloadPath: string;
  /** Packaged production build: no DevTools. */
  packaged: boolean;
}

export function createMainWindowOptions(input: WindowPolicyInput): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Lifeboat',
    backgroundColor: '#10151c',
    webPreferences: {
      preload: input.preloadPath,
      // Checklist 2–4: isolate, sandbox, no Node in any renderer context.
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      // Checklist 6, 8, 9: keep the web platform's own protections.
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // Checklist 11–12: no <webview> at all.
      webviewTag: false,
      navigateOnDragDrop: false,
      enableWebSQL: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: !input.packaged,
    },
  };
}

/** Checklist 13: the page never navigates away from our own origin. */
export function isAllowedNavigation(url: string, appBaseUrl: string): boolean {
  return isOwnPage(url, appBaseUrl);
}

/** Checklist 14: no new windows, ever; links to elsewhere are not opened either. */
export function decideWindowOpen(): { action: 'deny' } {
  return { action: 'deny' };
}

/** Checklist 5: every permission (camera, notifications, clipboard-read…) is refused. */
export function decidePermission(_permission: string): boolean {
  return false;
}

/**
 * Checklist 1: requests the session may make: our own app:// files, data:
 * URLs (the CSP limits them to images; navigations are vetoed separately), and
 * the DevTools' own scheme in development. Everything else, notably http(s),
 * ws(s), file:// and extensions, is cancelled before it leaves the process.
 */
export function isAllowedRequest(url: string, appBaseUrl: string, packaged: boolean): boolean {
  if (url.startsWith('data:')) {
    return true;
  }
  if (!packaged && url.startsWith('devtools:')) {
    return true;
  }
  return isOwnPage(url, appBaseUrl);
}

/** A minimal menu: edit shortcuts work, View has no reload/DevTools when packaged. */
export function buildMenuTemplate(platform: string, packaged: boolean): MenuItemConstructorOptions[] {
  const template: MenuItemConstructorOptions[] = [];
  if (platform === 'darwin') {
    template.push({ role: 'appMenu' });
  } else {
    template.push({ label: 'File', submenu: [{ role: 'quit' }] });
  }
  template.push({ role: 'editMenu' });
  if (!packaged) {
    template.push({ label: 'Develop', submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }] });
  }
  template.push({ role: 'windowMenu' });
  return template;
}
