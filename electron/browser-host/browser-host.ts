/**
 * The browser host: runs the same renderer build in a local Chromium, for
 * machines where the Electron binary cannot be installed, and for the e2e
 * tests. It mirrors the Electron shell's guarantees without opening a port:
 * - files are served by request interception on a private origin that never
 *   resolves, and every other request is aborted (no network);
 * - window.lifeboat is the same LifeboatApi, bridged by exposeBinding to the
 *   same router ipcMain uses, with the same sender check;
 * - the same CSP and security headers are sent with every file.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Request, type Route } from 'playwright-core';
import { PROGRESS_EVENT } from '../../shared/channel-names.js';
import { LifeboatError } from '../../shared/errors.js';
import type { ProgressEvent } from '../../shared/progress.js';
import { createHandlers } from '../ipc/handlers.js';
import { createRouter, type Handlers } from '../ipc/router.js';
import type { SecretClipboard } from '../operations/secret-clipboard.js';
import { VaultService, type IdleTimers } from '../operations/vault-service.js';
import { chromiumPdfPrinter } from '../chromium/chromium-pdf-printer.js';
import { CHROMIUM_FLAGS, childEnvironment, chromiumPath } from '../chromium/chromium-runtime.js';
import { isOwnPage } from '../ipc/sender.js';
import { appVersion, rendererDir } from '../package-paths.js';
import { BROWSER_HOST_BASE_URL, resolveAppAsset } from '../serving/app-assets.js';
import { securityHeaders } from '../serving/content-security-policy.js';
import { toolClipboard } from './clipboard-tool.js';

const BINDING_NAME = '__lifeboatInvoke';

export interface BrowserHostOptions {
  headless: boolean;
  /** Defaults to CHROME_PATH, else /usr/bin/chromium. */
  executablePath?: string;
  /** Defaults to the built renderer in dist/renderer. */
  rootDir?: string;
  /** Defaults to the real handlers; tests may pass others. */
  handlers?: Handlers;
  env?: NodeJS.ProcessEnv;
  /** Main's idle-lock clock; tests pass a fake one so minutes of idling take none (test/e2e/idle-clock.ts). */
  idleTimers?: IdleTimers;
  /** The clipboard copies go to; defaults to the system clipboard tool on env's PATH, else none (clipboard-tool.ts). */
  clipboard?: SecretClipboard;
}

export interface BrowserHost {
  context: BrowserContext;
  page: Page;
  baseUrl: string;
  /** Every request for another origin that the host refused (CSP usually stops them first). */
  blockedRequests: string[];
  /** The open-vault holder behind the default handlers (its clipboard: a tool on PATH, or none). */
  vault: VaultService;
  close(): Promise<void>;
}

/** A headful window needs a display on Linux; say so plainly rather than let Chromium crash. */
export function assertDisplay(headless: boolean, platform: string, env: NodeJS.ProcessEnv): void {
  if (!headless && platform === 'linux' && !env['DISPLAY'] && !env['WAYLAND_DISPLAY']) {
    throw new LifeboatError(
      'HOST_NO_DISPLAY',
      'No display found (DISPLAY is not set): start Lifeboat from a desktop session, or try `xvfb-run npm start`. `npm test` runs headless and needs no display.',
    );
  }
}

/**
 * Installed in the page before any of its scripts: defines window.lifeboat as
 * a frozen LifeboatApi over the binding. Runs in the page, so it must be
 * self-contained (no closures over this module).
 */
/** The few page globals installBridge touches (the Node-side tsconfig has no DOM types). */
interface PageWindow {
  addEventListener(type: string, listener: (event: { detail?: unknown }) => void): void;
  removeEventListener(type: string, listener: (event: { detail?: unknown }) => void): void;
  dispatchEvent(event: unknown): boolean;
}

function installBridge(names: { binding: string; progressEvent: string }): void {
  const page = globalThis as unknown as PageWindow & Record<string, unknown>;
  const api = {
    invoke: (channel: unknown, payload: unknown): Promise<unknown> => (page[names.binding] as (c: unknown, p: unknown) => Promise<unknown>)(channel, payload),
    onProgress(listener: (event: unknown) => void): () => void {
      const handler = (event: { detail?: unknown }): void => {
        listener(event.detail);
      };
      page.addEventListener(names.progressEvent, handler);
      return () => {
        page.removeEventListener(names.progressEvent, handler);
      };
    },
  };
  Object.defineProperty(page, 'lifeboat', { value: Object.freeze(api), writable: false, configurable: false });
}

/**
 * A navigation of an existing main frame. Playwright cannot name the frame
 * of a navigation that opens a new window (a popup): that is not one.
 */
function isTopLevelNavigation(request: Request): boolean {
  if (!request.isNavigationRequest()) {
    return false;
  }
  try {
    return request.frame().parentFrame() === null;
  } catch {
    return false;
  }
}

async function serve(route: Route, root: string, blocked: string[]): Promise<void> {
  const request = route.request();
  const url = request.url();
  if (!isOwnPage(url, BROWSER_HOST_BASE_URL)) {
    // No network at all: anything not ours is refused before it leaves.
    blocked.push(url);
    if (isTopLevelNavigation(request)) {
      // A 204 answer to a navigation leaves the page where it is, which is
      // what Electron's will-navigate veto does; an abort would replace the
      // app with an error page.
      await route.fulfill({ status: 204, headers: securityHeaders() });
      return;
    }
    await route.abort('blockedbyclient');
    return;
  }
  const asset = resolveAppAsset(url, BROWSER_HOST_BASE_URL, root);
  const body = asset ? await readFile(asset.filePath).catch(() => null) : null;
  if (!asset || !body) {
    await route.fulfill({ status: 404, headers: securityHeaders(), body: 'Not found' });
    return;
  }
  await route.fulfill({ status: 200, headers: { ...securityHeaders(), 'Content-Type': asset.contentType }, body });
}

export async function launchBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const env = options.env ?? process.env;
  const executablePath = options.executablePath ?? chromiumPath(env);
  if (!existsSync(executablePath)) {
    throw new LifeboatError(
      'HOST_NO_BROWSER',
      `Chromium was not found at ${executablePath}: install it (Debian: apt-get install chromium) or set CHROME_PATH.`,
    );
  }
  assertDisplay(options.headless, process.platform, env);
  const root = options.rootDir ?? rendererDir();
  if (!existsSync(join(root, 'index.html'))) {
    throw new LifeboatError('HOST_NO_BROWSER', `The app is not built (no ${root}/index.html): run \`npm run build\` first.`);
  }

  // A throwaway profile, so nothing of a session outlives it; `--app` gives
  // the headful window no tabs or address bar, like a desktop app.
  // Chromium's own sandbox stays on except as root, where it cannot start (CI).
  const sandboxed = process.getuid?.() !== 0;
  const profileDir = await mkdtemp(join(tmpdir(), 'lifeboat-host-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: options.headless,
    chromiumSandbox: sandboxed,
    env: childEnvironment(env),
    // --app needs a real URL (about:blank is ignored); an inert data: page
    // stands in until routing is ready and the app is loaded below.
    args: [
      ...CHROMIUM_FLAGS,
      // Without the sandbox Chromium shows a warning bar over the app; the
      // reason is known (root) and stated in docs/security.md.
      ...(sandboxed ? [] : ['--test-type']),
      ...(options.headless ? [] : ['--app=data:text/html,<title>Lifeboat</title>', '--window-size=1280,860']),
    ],
    serviceWorkers: 'block',
    acceptDownloads: false,
    permissions: [],
    viewport: options.headless ? { width: 1280, height: 820 } : null,
  });
  const blockedRequests: string[] = [];
  await context.route('**/*', (route) => serve(route, root, blockedRequests));

  const vault = new VaultService(options.idleTimers, undefined, options.clipboard ?? toolClipboard(env));
  const router = createRouter({
    handlers:
      options.handlers ??
      createHandlers({
        facts: { host: 'browser', version: appVersion(), packaged: false, platform: process.platform },
        vault,
        printPdf: chromiumPdfPrinter(env),
      }),
    appBaseUrl: BROWSER_HOST_BASE_URL,
  });
  await context.exposeBinding(BINDING_NAME, async (source, channel: unknown, payload: unknown) => {
    const sender = { url: source.frame.url(), isMainFrame: source.frame.parentFrame() === null };
    const emit = (event: ProgressEvent): void => {
      void source.frame
        .evaluate(([name, detail]) => (globalThis as unknown as PageWindow).dispatchEvent(new CustomEvent(name, { detail })), [PROGRESS_EVENT, event] as const)
        .catch(() => undefined);
    };
    return router.dispatch(channel, payload, sender, emit);
  });
  await context.addInitScript(installBridge, { binding: BINDING_NAME, progressEvent: PROGRESS_EVENT });

  const page = context.pages()[0] ?? (await context.newPage());
  // Like the Electron shell: no popups survive.
  context.on('page', (popup) => {
    if (popup !== page) {
      void popup.close();
    }
  });
  await page.goto(`${BROWSER_HOST_BASE_URL}index.html`);

  return {
    context,
    page,
    baseUrl: BROWSER_HOST_BASE_URL,
    blockedRequests,
    vault,
    close: async () => {
      await vault.lock();
      await context.close();
      await rm(profileDir, { recursive: true, force: true });
    },
  };
}
