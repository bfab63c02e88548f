/**
 * main.ts is Electron glue and cannot run here (no Electron binary). `electron`
 * is replaced by a mock that records every registration main makes at import
 * time and on `ready`; each test re-imports main into a fresh module registry
 * and then plays Electron's part (a request, a navigation, an IPC call) against
 * what was registered. The policies themselves are unit-tested beside their
 * modules; these tests prove main wires them in.
 */
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi, type Mock } from 'vitest';
import { INVOKE_CHANNEL, PROGRESS_EVENT } from '../../shared/channel-names.js';
import type { ProgressEvent } from '../../shared/progress.js';
import { appVersion, packageRoot, rendererDir } from '../package-paths.js';
import { CONTENT_SECURITY_POLICY } from '../serving/content-security-policy.js';

/** Handlers main gives Electron; the test calls them as Electron would. */
type Listener = (...args: unknown[]) => void;
type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
type PermissionCheckHandler = (contents: unknown, permission: string) => boolean;
type BeforeRequestHandler = (details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void;
type ProtocolHandler = (request: { url: string }) => Promise<Response>;
type InvokeHandler = (event: FakeIpcEvent, channel: unknown, payload: unknown) => Promise<unknown>;
/** will-navigate (event, url), will-redirect (event, url, …), will-attach-webview (event, prefs, params). */
type ContentsHandler = (event: FakeEvent, ...args: unknown[]) => void;
interface PrivilegedScheme {
  scheme: string;
  privileges: { standard?: boolean; secure?: boolean };
}
type WindowOpenHandler = (details: { url: string }) => unknown;
interface MenuItem {
  role?: string;
  label?: string;
  submenu?: MenuItem[];
}
interface FakeEvent {
  preventDefault: Mock<() => void>;
}
interface FakeFrame {
  url: string;
}
interface FakeIpcEvent {
  senderFrame: FakeFrame | null;
  sender: { mainFrame: FakeFrame; isDestroyed: () => boolean; send: (channel: string, ...args: unknown[]) => void };
}

const h = vi.hoisted(() => {
  interface State {
    lock: boolean;
    packaged: boolean;
    ready: () => void;
    readyPromise: Promise<void>;
  }
  function makeState(options: { lock?: boolean; packaged?: boolean } = {}): State {
    let ready = (): void => undefined;
    const readyPromise = new Promise<void>((resolve) => {
      ready = resolve;
    });
    return { lock: options.lock ?? true, packaged: options.packaged ?? false, ready, readyPromise };
  }

  /** What main registered with Electron, in the order it did. */
  function makeRecord() {
    return {
      log: [] as string[],
      privilegedSchemes: [] as PrivilegedScheme[],
      protocolHandlers: new Map<string, ProtocolHandler>(),
      appHandlers: new Map<string, Listener[]>(),
      ipcHandlers: new Map<string, InvokeHandler>(),
      permissionRequestHandlers: [] as PermissionRequestHandler[],
      permissionCheckHandlers: [] as PermissionCheckHandler[],
      beforeRequestHandlers: [] as BeforeRequestHandler[],
      menuTemplates: [] as MenuItem[][],
      windows: [] as FakeWindow[],
    };
  }

  let state = makeState();
  let record = makeRecord();

  class FakeWindow {
    readonly options: unknown;
    readonly onceHandlers = new Map<string, Listener>();
    readonly onHandlers = new Map<string, Listener>();
    readonly loadURL = vi.fn((_url: string) => Promise.resolve());
    readonly show = vi.fn();
    readonly focus = vi.fn();
    readonly restore = vi.fn();
    readonly isMinimized = vi.fn(() => false);

    constructor(options: unknown) {
      this.options = options;
      record.windows.push(this);
      record.log.push('new BrowserWindow');
    }

    once(event: string, handler: Listener): this {
      this.onceHandlers.set(event, handler);
      return this;
    }

    on(event: string, handler: Listener): this {
      this.onHandlers.set(event, handler);
      return this;
    }
  }

  const app = {
    get isPackaged(): boolean {
      return state.packaged;
    },
    requestSingleInstanceLock: vi.fn(() => {
      record.log.push('requestSingleInstanceLock');
      return state.lock;
    }),
    quit: vi.fn(() => {
      record.log.push('quit');
    }),
    exit: vi.fn((code?: number) => {
      record.log.push(`exit ${String(code)}`);
    }),
    on: vi.fn((event: string, handler: Listener) => {
      record.appHandlers.set(event, [...(record.appHandlers.get(event) ?? []), handler]);
      return app;
    }),
    whenReady: vi.fn(() => state.readyPromise),
    getPath: vi.fn((name: string) => `/tmp/lifeboat-test-${name}`),
  };

  const protocol = {
    registerSchemesAsPrivileged: vi.fn((schemes: PrivilegedScheme[]) => {
      record.log.push('registerSchemesAsPrivileged');
      record.privilegedSchemes.push(...schemes);
    }),
    handle: vi.fn((scheme: string, handler: ProtocolHandler) => {
      record.log.push(`protocol.handle ${scheme}`);
      record.protocolHandlers.set(scheme, handler);
    }),
  };

  const session = {
    defaultSession: {
      setPermissionRequestHandler: vi.fn((handler: PermissionRequestHandler) => {
        record.permissionRequestHandlers.push(handler);
      }),
      setPermissionCheckHandler: vi.fn((handler: PermissionCheckHandler) => {
        record.permissionCheckHandlers.push(handler);
      }),
      setSpellCheckerEnabled: vi.fn(),
      webRequest: {
        onBeforeRequest: vi.fn((handler: BeforeRequestHandler) => {
          record.beforeRequestHandlers.push(handler);
        }),
      },
    },
  };

  const builtMenu = { fake: 'menu' };
  const Menu = {
    buildFromTemplate: vi.fn((template: MenuItem[]) => {
      record.menuTemplates.push(template);
      return builtMenu;
    }),
    setApplicationMenu: vi.fn(),
  };

  const ipcMain = {
    handle: vi.fn((channel: string, handler: InvokeHandler) => {
      record.log.push(`ipcMain.handle ${channel}`);
      record.ipcHandlers.set(channel, handler);
    }),
  };

  return {
    electron: {
      app,
      protocol,
      session,
      Menu,
      ipcMain,
      BrowserWindow: FakeWindow,
      powerMonitor: { on: vi.fn((event: string) => record.log.push(`powerMonitor.on ${event}`)) },
      clipboard: { writeText: vi.fn(), readText: vi.fn(() => ''), clear: vi.fn() },
    },
    builtMenu,
    get state(): State {
      return state;
    },
    get record(): ReturnType<typeof makeRecord> {
      return record;
    },
    reset(options: { lock?: boolean; packaged?: boolean }): void {
      state = makeState(options);
      record = makeRecord();
    },
  };
});

vi.mock('electron', () => h.electron);

/** The real one would set this test process's own core dump limits. */
const coreDumps = vi.hoisted(() => ({ refuseCoreDumps: vi.fn(() => ({ filter: true, limit: true })) }));
vi.mock('../core-dumps.js', () => coreDumps);

type Registrations = typeof h.record;
type FakeWindow = Registrations['windows'][number];

/** Lets the `whenReady().then(...)` callback (and anything it awaits) run. */
async function flush(): Promise<void> {
  await new Promise<void>((resolve) => {
    setImmediate(resolve);
  });
}

/** Imports a fresh copy of main.ts; unless told otherwise, Electron then becomes ready. */
async function loadMain(options: { lock?: boolean; packaged?: boolean; ready?: boolean } = {}): Promise<Registrations> {
  h.reset(options);
  vi.clearAllMocks();
  vi.resetModules();
  await import('./main.js');
  if (options.ready ?? true) {
    await becomeReady();
  }
  return h.record;
}

async function becomeReady(): Promise<void> {
  h.state.ready();
  await flush();
}

function only<T>(items: readonly T[], what: string): T {
  const [item] = items;
  if (items.length !== 1 || item === undefined) {
    throw new Error(`expected exactly one of ${what}, got ${items.length}`);
  }
  return item;
}

function registered<T>(map: ReadonlyMap<string, T>, key: string): T {
  const value = map.get(key);
  if (value === undefined) {
    throw new Error(`main registered nothing for ${key}`);
  }
  return value;
}

function appHandler(record: Registrations, event: string): Listener {
  return only(record.appHandlers.get(event) ?? [], `app.on('${event}') handlers`);
}

function theWindow(record: Registrations): FakeWindow {
  return only(record.windows, 'BrowserWindows created');
}

function fakeEvent(): FakeEvent {
  return { preventDefault: vi.fn<() => void>() };
}

function roles(items: readonly MenuItem[]): string[] {
  return items.flatMap((item) => [...(item.role === undefined ? [] : [item.role]), ...roles(item.submenu ?? [])]);
}

describe('main: before ready', () => {
  it('refuses core dumps of this process as it loads, before ready', async () => {
    await loadMain({ ready: false });
    expect(coreDumps.refuseCoreDumps).toHaveBeenCalledTimes(1);
  });

  it('registers app:// as a standard, secure privileged scheme, before ready', async () => {
    const record = await loadMain({ ready: false });
    const scheme = only(record.privilegedSchemes, 'privileged schemes');
    expect(scheme.scheme).toBe('app');
    expect(scheme.privileges.standard).toBe(true);
    expect(scheme.privileges.secure).toBe(true);
    // Nothing that needs `ready` has happened yet.
    expect(record.protocolHandlers.size).toBe(0);
    expect(record.windows).toHaveLength(0);
    expect(record.ipcHandlers.size).toBe(0);
    expect(h.electron.Menu.setApplicationMenu).not.toHaveBeenCalled();
  });

  it('hardens every web contents from the start: web-contents-created is registered before ready', async () => {
    const record = await loadMain({ ready: false });
    expect(record.appHandlers.get('web-contents-created')).toHaveLength(1);
  });

  it('quits when another instance holds the single-instance lock', async () => {
    const record = await loadMain({ lock: false, ready: false });
    expect(h.electron.app.requestSingleInstanceLock).toHaveBeenCalledTimes(1);
    expect(h.electron.app.quit).toHaveBeenCalledTimes(1);
    expect(record.log.indexOf('quit')).toBeGreaterThan(record.log.indexOf('requestSingleInstanceLock'));
  });

  it('a second instance sets up nothing: no window, no IPC, no engine, even if ready fires', async () => {
    const record = await loadMain({ lock: false });
    expect(h.electron.app.whenReady).not.toHaveBeenCalled();
    expect(record.appHandlers.size).toBe(0);
    expect(record.windows).toHaveLength(0);
    expect(record.ipcHandlers.size).toBe(0);
  });

  it('does not quit when it holds the lock', async () => {
    await loadMain({ lock: true });
    expect(h.electron.app.requestSingleInstanceLock).toHaveBeenCalledTimes(1);
    expect(h.electron.app.quit).not.toHaveBeenCalled();
  });
});

describe('main: session hardening', () => {
  it('locks the vault when the laptop sleeps or its screen locks', async () => {
    const record = await loadMain();
    expect(record.log).toContain('powerMonitor.on suspend');
    expect(record.log).toContain('powerMonitor.on lock-screen');
  });

  it('turns off the spellchecker, which would download dictionaries', async () => {
    await loadMain();
    expect(h.electron.session.defaultSession.setSpellCheckerEnabled).toHaveBeenCalledWith(false);
  });

  it('exits with status 1, saying why, when start-up fails, rather than idling invisibly', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await loadMain({ ready: false });
      h.electron.Menu.buildFromTemplate.mockImplementationOnce(() => {
        throw new Error('menu exploded');
      });
      await becomeReady();
      expect(h.electron.app.exit).toHaveBeenCalledWith(1);
      expect(stderr.mock.calls.map((call) => String(call[0])).join('')).toContain('menu exploded');
    } finally {
      stderr.mockRestore();
    }
  });

  it('refuses every permission request', async () => {
    const record = await loadMain();
    const handler = only(record.permissionRequestHandlers, 'permission request handlers');
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const callback = vi.fn();
      handler({}, permission, callback);
      expect(callback, permission).toHaveBeenCalledTimes(1);
      expect(callback, permission).toHaveBeenCalledWith(false);
    }
  });

  it('answers every permission check with false', async () => {
    const record = await loadMain();
    const handler = only(record.permissionCheckHandlers, 'permission check handlers');
    for (const permission of ['media', 'notifications', 'clipboard-sanitized-write', 'background-sync']) {
      expect(handler({}, permission), permission).toBe(false);
    }
  });

  describe.each([
    { packaged: true, label: 'packaged' },
    { packaged: false, label: 'development' },
  ])('webRequest ($label)', ({ packaged }) => {
    async function cancels(url: string): Promise<boolean | undefined> {
      const record = await loadMain({ packaged });
      const handler = only(record.beforeRequestHandlers, 'onBeforeRequest handlers');
      const callback = vi.fn();
      handler({ url }, callback);
      expect(callback).toHaveBeenCalledTimes(1);
      const [response] = callback.mock.calls[0] as [{ cancel?: boolean }];
      return response.cancel;
    }

    it.each([
      'https://example.com/x',
      // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- test data: plain http must be cancelled
      'http://127.0.0.1:8080/',
      'file:///etc/passwd',
      // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- test data: plain ws must be cancelled
      'ws://localhost/',
      'app://evil/index.html',
      'chrome-extension://abc/x.js',
    ])('cancels %s', async (url) => {
      expect(await cancels(url)).toBe(true);
    });

    it.each(['app://lifeboat/index.html', 'app://lifeboat/assets/index.js', 'data:image/png;base64,AAAA'])('lets %s through', async (url) => {
      expect(await cancels(url)).toBe(false);
    });

    it(`${packaged ? 'cancels' : 'allows'} devtools:// requests`, async () => {
      expect(await cancels('devtools://devtools/bundled/inspector.html')).toBe(packaged);
    });
  });
});

describe('main: the window', () => {
  it.each([true, false])('creates one sandboxed, isolated window without Node (packaged=%s)', async (packaged) => {
    const record = await loadMain({ packaged });
    const window = theWindow(record);
    const options = window.options as { show?: boolean; webPreferences?: Record<string, unknown> };
    const prefs = options.webPreferences ?? {};
    expect(prefs.sandbox).toBe(true);
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.devTools).toBe(!packaged);
    expect(options.show).toBe(false);
    expect(String(prefs.preload).replaceAll('\\', '/')).toMatch(/(^|\/)dist\/preload\/preload\.cjs$/);
    expect(prefs.preload).toBe(join(packageRoot(), 'dist', 'preload', 'preload.cjs'));
  });

  it('loads app://lifeboat/index.html, once', async () => {
    const window = theWindow(await loadMain());
    expect(window.loadURL).toHaveBeenCalledTimes(1);
    expect(window.loadURL).toHaveBeenCalledWith('app://lifeboat/index.html');
  });

  it('creates the window only after the app:// handler and the IPC handler exist', async () => {
    const record = await loadMain();
    const created = record.log.indexOf('new BrowserWindow');
    expect(created).toBeGreaterThan(record.log.indexOf('protocol.handle app'));
    expect(created).toBeGreaterThan(record.log.indexOf(`ipcMain.handle ${INVOKE_CHANNEL}`));
    expect(record.log.indexOf('protocol.handle app')).toBeGreaterThan(-1);
  });

  it('shows the window when it is ready to show', async () => {
    const window = theWindow(await loadMain());
    expect(window.show).not.toHaveBeenCalled();
    registered(window.onceHandlers, 'ready-to-show')();
    expect(window.show).toHaveBeenCalledTimes(1);
  });

  it('a second instance restores and focuses the existing window', async () => {
    const record = await loadMain();
    const window = theWindow(record);
    const secondInstance = appHandler(record, 'second-instance');
    window.isMinimized.mockReturnValue(true);
    secondInstance();
    expect(window.restore).toHaveBeenCalledTimes(1);
    expect(window.focus).toHaveBeenCalledTimes(1);

    window.isMinimized.mockReturnValue(false);
    secondInstance();
    expect(window.restore).toHaveBeenCalledTimes(1);
    expect(window.focus).toHaveBeenCalledTimes(2);
  });

  it('after the window closed, a second instance touches nothing', async () => {
    const record = await loadMain();
    const window = theWindow(record);
    registered(window.onHandlers, 'closed')();
    appHandler(record, 'second-instance')();
    expect(window.focus).not.toHaveBeenCalled();
    expect(window.restore).not.toHaveBeenCalled();
  });

  it('quits when every window is closed', async () => {
    const record = await loadMain();
    expect(h.electron.app.quit).not.toHaveBeenCalled();
    appHandler(record, 'window-all-closed')();
    expect(h.electron.app.quit).toHaveBeenCalledTimes(1);
  });
});

describe('main: every web contents is hardened', () => {
  async function hardenedContents() {
    const record = await loadMain({ ready: false });
    const handlers = new Map<string, ContentsHandler>();
    const contents = {
      on: vi.fn((event: string, handler: ContentsHandler) => {
        handlers.set(event, handler);
        return contents;
      }),
      setWindowOpenHandler: vi.fn((_handler: WindowOpenHandler) => undefined),
    };
    appHandler(record, 'web-contents-created')({}, contents);
    return { handlers, contents };
  }

  it.each(['will-navigate', 'will-redirect'])('%s: prevents leaving our origin, allows our own pages', async (name) => {
    const { handlers } = await hardenedContents();
    const handler = registered(handlers, name);
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'app://evil/index.html', 'javascript:alert(1)']) {
      const event = fakeEvent();
      handler(event, url);
      expect(event.preventDefault, url).toHaveBeenCalledTimes(1);
    }
    for (const url of ['app://lifeboat/other.html', 'app://lifeboat/index.html#/settings']) {
      const event = fakeEvent();
      handler(event, url);
      expect(event.preventDefault, url).not.toHaveBeenCalled();
    }
  });

  it('denies every window.open', async () => {
    const { contents } = await hardenedContents();
    expect(contents.setWindowOpenHandler).toHaveBeenCalledTimes(1);
    const [handler] = only(contents.setWindowOpenHandler.mock.calls, 'window open handlers');
    expect(handler({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'app://lifeboat/index.html' })).toEqual({ action: 'deny' });
  });

  it('prevents attaching any <webview>', async () => {
    const { handlers } = await hardenedContents();
    const event = fakeEvent();
    registered(handlers, 'will-attach-webview')(event, {}, {});
    expect(event.preventDefault).toHaveBeenCalledTimes(1);
  });
});

describe('main: the app:// protocol', () => {
  const indexFile = join(rendererDir(), 'index.html');

  beforeAll(() => {
    if (!existsSync(indexFile)) {
      execSync('npm run build:web', { cwd: packageRoot(), stdio: 'ignore' });
    }
  }, 180_000);

  async function serve(url: string): Promise<Response> {
    const record = await loadMain();
    const handler = registered(record.protocolHandlers, 'app');
    return handler({ url });
  }

  it('registers exactly one protocol handler, for app', async () => {
    const record = await loadMain();
    expect([...record.protocolHandlers.keys()]).toEqual(['app']);
  });

  it.each([
    'app://lifeboat/../../etc/passwd',
    'app://lifeboat/..%2F..%2F..%2Fetc%2Fpasswd',
    'app://lifeboat/..%2F..%2Fpackage.json',
    'app://lifeboat/%2e%2e/%2e%2e/package.json',
    'app://lifeboat/missing.html',
    'app://lifeboat/assets/nothing-here.js',
    'app://lifeboat/secret.env',
    'app://evil/index.html',
  ])('answers %s with 404 and the CSP', async (url) => {
    const response = await serve(url);
    expect(response.status).toBe(404);
    expect(response.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    const body = await response.text();
    expect(body).not.toContain('root:');
    expect(body).not.toContain('"name"');
  });

  it('serves index.html with 200, the CSP, its content type and its bytes', async () => {
    const response = await serve('app://lifeboat/index.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toBe(readFileSync(indexFile, 'utf8'));
  });

  it('serves index.html for the bare origin', async () => {
    const response = await serve('app://lifeboat/');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(readFileSync(indexFile, 'utf8'));
  });
});

describe('main: IPC', () => {
  function fakeIpcEvent(options: { url?: string; subframe?: boolean; noFrame?: boolean; destroyed?: boolean } = {}) {
    const mainFrame: FakeFrame = { url: options.url ?? 'app://lifeboat/index.html' };
    const senderFrame: FakeFrame | null = options.noFrame ? null : options.subframe ? { url: mainFrame.url } : mainFrame;
    const send = vi.fn((_channel: string, ..._args: unknown[]) => undefined);
    const isDestroyed = vi.fn(() => options.destroyed ?? false);
    const event: FakeIpcEvent = { senderFrame, sender: { mainFrame, isDestroyed, send } };
    return { event, send, isDestroyed };
  }

  async function invokeHandler(packaged = false): Promise<InvokeHandler> {
    const record = await loadMain({ packaged });
    expect([...record.ipcHandlers.keys()]).toEqual([INVOKE_CHANNEL]);
    return registered(record.ipcHandlers, INVOKE_CHANNEL);
  }

  it.each([true, false])('answers app:info from our main frame (packaged=%s)', async (packaged) => {
    const handler = await invokeHandler(packaged);
    const { event } = fakeIpcEvent();
    await expect(handler(event, 'app:info', {})).resolves.toEqual({
      ok: true,
      value: { name: 'Lifeboat', host: 'electron', version: appVersion(), packaged, platform: process.platform },
    });
  });

  it.each([
    ['a subframe of our page', { subframe: true }],
    ['no frame (navigated away or destroyed)', { noFrame: true }],
    ['a foreign page', { url: 'https://evil.example/' }],
    ['a file:// page', { url: 'file:///tmp/index.html' }],
    ['another app:// host', { url: 'app://evil/index.html' }],
  ])('refuses a request from %s with IPC_FORBIDDEN_SENDER', async (_label, options) => {
    const handler = await invokeHandler();
    const { event, send } = fakeIpcEvent(options);
    await expect(handler(event, 'app:info', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'IPC_FORBIDDEN_SENDER' },
    });
    expect(send).not.toHaveBeenCalled();
  });

  it('refuses an unknown channel and a bad payload from our own page', async () => {
    const handler = await invokeHandler();
    const { event } = fakeIpcEvent();
    await expect(handler(event, 'vault:dump', {})).resolves.toMatchObject({ ok: false, error: { code: 'IPC_UNKNOWN_CHANNEL' } });
    await expect(handler(event, 'app:info', { extra: 1 })).resolves.toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST' } });
  });

  it('sends engine:status progress to the requesting page on the progress event', async () => {
    const handler = await invokeHandler();
    const { event, send } = fakeIpcEvent();
    const result = await handler(event, 'engine:status', {});
    expect(result).toMatchObject({ ok: true, value: { ready: expect.any(Boolean) as unknown } });
    expect(send.mock.calls.length).toBeGreaterThan(0);
    for (const call of send.mock.calls) {
      expect(call).toHaveLength(2);
      expect(call[0]).toBe(PROGRESS_EVENT);
    }
    const events = send.mock.calls.map((call) => call[1] as ProgressEvent);
    expect(events.every((e) => e.taskId === 'engine-self-test')).toBe(true);
    expect(events.at(-1)?.finished).toBe(true);
  });

  it('sends no progress to a destroyed page, and still answers', async () => {
    const handler = await invokeHandler();
    const { event, send, isDestroyed } = fakeIpcEvent({ destroyed: true });
    const result = await handler(event, 'engine:status', {});
    expect(result).toMatchObject({ ok: true });
    expect(isDestroyed).toHaveBeenCalled();
    expect(send).not.toHaveBeenCalled();
  });
});

describe('main: the application menu', () => {
  it.each([
    { packaged: true, devTools: false },
    { packaged: false, devTools: true },
  ])('packaged=$packaged: DevTools in the menu = $devTools', async ({ packaged, devTools }) => {
    const record = await loadMain({ packaged });
    const template = only(record.menuTemplates, 'menu templates');
    expect(roles(template).includes('toggleDevTools')).toBe(devTools);
    expect(roles(template).includes('reload')).toBe(devTools);
    expect(h.electron.Menu.setApplicationMenu).toHaveBeenCalledTimes(1);
    expect(h.electron.Menu.setApplicationMenu).toHaveBeenCalledWith(h.builtMenu);
  });
});
