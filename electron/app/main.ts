/**
 * Electron glue only: lifecycle, the window, hardening hooks and IPC
 * registration. Every decision it applies lives in window-policy.ts and
 * ../serving (pure, unit-tested); every request goes through ../ipc/router.
 */
import { app, BrowserWindow, clipboard, dialog, Menu, ipcMain, powerMonitor, protocol, session, type WebContents } from 'electron';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { INVOKE_CHANNEL, PROGRESS_EVENT } from '../../shared/channel-names.js';
import type { PickPurpose } from '../../shared/destinations.js';
import type { SaveSuggestion } from '../../shared/save-names.js';
import { refuseCoreDumps } from '../core-dumps.js';
import { createHandlers } from '../ipc/handlers.js';
import { createRouter } from '../ipc/router.js';
import { printHtmlToPdf } from './pdf-window.js';
import { saveDialogOptions } from './save-dialogs.js';
import { VaultService } from '../operations/vault-service.js';
import { appVersion, preloadPath, rendererDir } from '../package-paths.js';
import { resolveAppAsset, ELECTRON_APP_BASE_URL } from '../serving/app-assets.js';
import { securityHeaders } from '../serving/content-security-policy.js';
import { buildMenuTemplate, createMainWindowOptions, decidePermission, decideWindowOpen, isAllowedNavigation, isAllowedRequest } from './window-policy.js';

// This process holds the vault: no core dump of it (Linux; ../core-dumps.ts). Chromium's
// sandboxed children (the renderer) make themselves non-dumpable.
refuseCoreDumps();

// Must run before `ready`: a standard, secure scheme gives our page a real
// origin (for CSP 'self') without serving it from file://.
protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true } }]);

let mainWindow: BrowserWindow | null = null;

function serveAppProtocol(): void {
  const root = rendererDir();
  protocol.handle('app', async (request) => {
    const asset = resolveAppAsset(request.url, ELECTRON_APP_BASE_URL, root);
    if (!asset) {
      return new Response('Not found', { status: 404, headers: securityHeaders() });
    }
    // Read with fs rather than net.fetch(file://): the session cancels
    // every non-app request, file:// included (isAllowedRequest).
    try {
      const body = await readFile(asset.filePath);
      return new Response(body, { status: 200, headers: { ...securityHeaders(), 'Content-Type': asset.contentType } });
    } catch {
      return new Response('Not found', { status: 404, headers: securityHeaders() });
    }
  });
}

function hardenSession(packaged: boolean): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    callback(decidePermission(permission));
  });
  ses.setPermissionCheckHandler((_contents, permission) => decidePermission(permission));
  // The spellchecker downloads dictionaries from the network: off.
  ses.setSpellCheckerEnabled(false);
  ses.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url, ELECTRON_APP_BASE_URL, packaged) });
  });
}

function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, ELECTRON_APP_BASE_URL)) {
      event.preventDefault();
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url, ELECTRON_APP_BASE_URL)) {
      event.preventDefault();
    }
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(decideWindowOpen);
}

function registerIpc(packaged: boolean): void {
  const vault = new VaultService(
    globalThis,
    join(app.getPath('userData'), 'demo.lifeboat'),
    {
      kind: 'system',
      write: (text) => {
        void clipboard.writeText(text);
      },
      read: () => clipboard.readText(),
      clear: () => {
        clipboard.clear();
      },
    },
    // Each vault's local anchor (what this laptop last saw of it) lives with the app's own data.
    app.getPath('userData'),
  );
  // A laptop that sleeps or locks its screen locks the vault too.
  powerMonitor.on('suspend', () => {
    void vault.lock('sleep');
  });
  powerMonitor.on('lock-screen', () => {
    void vault.lock('screen-locked');
  });
  // Quitting locks the vault: keys zeroed, lock event logged, checkpoint written.
  app.on('before-quit', (event) => {
    if (vault.isUnlocked) {
      event.preventDefault();
      void vault.lock('quit').finally(() => {
        app.quit();
      });
    }
  });
  const router = createRouter({
    handlers: createHandlers({
      facts: { host: 'electron', version: appVersion(), packaged, platform: process.platform },
      vault,
      pickPath: (purpose, suggest) => pickPath(purpose, suggest),
      printPdf: printHtmlToPdf,
    }),
    appBaseUrl: ELECTRON_APP_BASE_URL,
  });
  ipcMain.handle(INVOKE_CHANNEL, (event, channel: unknown, payload: unknown) => {
    const frame = event.senderFrame;
    const sender = { url: frame?.url ?? '', isMainFrame: frame !== null && frame === event.sender.mainFrame };
    return router.dispatch(channel, payload, sender, (progress) => {
      if (!event.sender.isDestroyed()) {
        event.sender.send(PROGRESS_EVENT, progress);
      }
    });
  });
}

/** Native dialogs, parented to the window, for the paths the UI asks for. */
async function pickPath(purpose: PickPurpose, suggest?: SaveSuggestion): Promise<string | null> {
  if (!mainWindow) {
    return null;
  }
  const saveAs = saveDialogOptions(purpose, suggest);
  if (saveAs) {
    const saved = await dialog.showSaveDialog(mainWindow, saveAs);
    return saved.canceled || saved.filePath === '' ? null : saved.filePath;
  }
  const opened = await dialog.showOpenDialog(mainWindow, {
    title:
      purpose === 'catalog'
        ? 'Choose a catalog (.lbcat)'
        : purpose === 'new-vault'
          ? 'Choose a folder for the new vault'
          : purpose === 'sheets-folder'
            ? 'Choose a folder for the recovery sheets (removable media)'
            : 'Choose a vault folder',
    properties: purpose === 'catalog' ? ['openFile'] : ['openDirectory', 'createDirectory'],
    ...(purpose === 'catalog' ? { filters: [{ name: 'Lifeboat catalog', extensions: ['lbcat'] }] } : {}),
  });
  return opened.canceled ? null : (opened.filePaths[0] ?? null);
}

function createWindow(packaged: boolean): void {
  mainWindow = new BrowserWindow(createMainWindowOptions({ preloadPath: preloadPath(), packaged }));
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  mainWindow.loadURL(`${ELECTRON_APP_BASE_URL}index.html`).catch((error: unknown) => {
    failStartup('could not load the window', error);
  });
}

/** A start-up failure must not leave an invisible process behind. */
function failStartup(what: string, error: unknown): void {
  process.stderr.write(`lifeboat: ${what}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  app.exit(1);
}

function start(): void {
  app.on('web-contents-created', (_event, contents) => {
    hardenContents(contents);
  });

  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) {
        mainWindow.restore();
      }
      mainWindow.focus();
    }
  });

  app.on('window-all-closed', () => {
    app.quit();
  });

  app
    .whenReady()
    .then(() => {
      const packaged = app.isPackaged;
      Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(process.platform, packaged)));
      hardenSession(packaged);
      serveAppProtocol();
      registerIpc(packaged);
      createWindow(packaged);
    })
    .catch((error: unknown) => {
      failStartup('could not start', error);
    });
}

// One process per vault laptop session: a second launch focuses the first
// window and does nothing else (no second engine, no second window).
if (app.requestSingleInstanceLock()) {
  start();
} else {
  app.quit();
}
