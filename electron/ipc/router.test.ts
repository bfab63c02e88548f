/**
 * The router is the only door from a page into main. These tests pin the order
 * of its checks (sender, channel, payload, then the handler) and that nothing
 * unexpected (a stack, an internal message) ever crosses back to the page.
 */
import { describe, expect, it, vi } from 'vitest';
import { AppInfoSchema } from '../../shared/contract.js';
import type { AppInfo, EngineStatus } from '../../shared/contract.js';
import { LifeboatError } from '../../shared/errors.js';
import type { ProgressEvent } from '../../shared/progress.js';
import { BROWSER_HOST_BASE_URL, ELECTRON_APP_BASE_URL } from '../serving/app-assets.js';
import { createRouter, type Handler, type Handlers } from './router.js';
import { createAccessHandlers } from './access-handlers.js';
import { createBinderHandlers } from './binder-handlers.js';
import { createQuorumHandlers } from './quorum-handlers.js';
import { createRecoveryHandlers } from './recovery-handlers.js';
import { VaultService } from '../operations/vault-service.js';
import { createSecretHandlers } from './secret-handlers.js';
import { createVaultHandlers } from './vault-handlers.js';
import type { SenderInfo } from './sender.js';

const appInfo: AppInfo = { name: 'Lifeboat', version: '9.9.9', host: 'electron', platform: 'linux', packaged: true };
const engineStatus: EngineStatus = {
  ready: true,
  components: [{ id: 'crypto', label: 'Cryptography', ok: true, detail: 'libsodium answered.' }],
  checkedAt: '2024-01-01T00:00:00.000Z',
};

const ownSender: SenderInfo = { url: 'app://lifeboat/index.html', isMainFrame: true };
const noProgress = (): void => undefined;

/** The real vault handlers (no vault open) under the given app/engine stubs. */
function withVaultStubs(base: Pick<Handlers, 'app:info' | 'engine:status'> & Partial<Handlers>): Handlers {
  const vault = new VaultService();
  return {
    ...createVaultHandlers(vault),
    ...createRecoveryHandlers(vault),
    ...createQuorumHandlers(vault),
    ...createAccessHandlers(vault),
    ...createBinderHandlers(vault),
    ...createSecretHandlers(vault),
    'dialog:pick': () => ({ path: null, token: null }),
    ...base,
  };
}

function setup(overrides: Partial<Handlers> = {}, logError = vi.fn<(channel: string, error: unknown) => void>()) {
  const appInfoHandler = vi.fn<Handler<'app:info'>>(() => appInfo);
  const engineStatusHandler = vi.fn<Handler<'engine:status'>>(() => Promise.resolve(engineStatus));
  const handlers = withVaultStubs({ 'app:info': appInfoHandler, 'engine:status': engineStatusHandler, ...overrides });
  const router = createRouter({ handlers, appBaseUrl: ELECTRON_APP_BASE_URL, logError });
  return { router, appInfoHandler, engineStatusHandler, logError };
}

describe('router: sender check', () => {
  const forbidden: { name: string; sender: SenderInfo }[] = [
    { name: 'a subframe of our own page', sender: { url: 'app://lifeboat/index.html', isMainFrame: false } },
    { name: 'a foreign main frame', sender: { url: 'https://evil.example/', isMainFrame: true } },
    { name: 'a lookalike host', sender: { url: 'app://lifeboat.evil.example/', isMainFrame: true } },
    { name: 'userinfo trick', sender: { url: 'app://lifeboat@evil/', isMainFrame: true } },
    { name: 'about:blank', sender: { url: 'about:blank', isMainFrame: true } },
    { name: 'an unknown frame URL', sender: { url: '', isMainFrame: true } },
  ];

  it.each(forbidden)('refuses $name with IPC_FORBIDDEN_SENDER and never runs the handler', async ({ sender }) => {
    const { router, appInfoHandler, engineStatusHandler, logError } = setup();
    const result = await router.dispatch('app:info', {}, sender, noProgress);
    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.error.code).toBe('IPC_FORBIDDEN_SENDER');
    expect(appInfoHandler).not.toHaveBeenCalled();
    expect(engineStatusHandler).not.toHaveBeenCalled();
    expect(logError).not.toHaveBeenCalled();
  });

  it('checks the sender before the channel, so a foreign page cannot probe which channels exist', async () => {
    const { router } = setup();
    const foreign: SenderInfo = { url: 'https://evil.example/', isMainFrame: true };
    const unknown = await router.dispatch('vault:export', {}, foreign, noProgress);
    const known = await router.dispatch('app:info', { extra: 1 }, foreign, noProgress);
    expect(unknown).toEqual(known);
    expect(unknown.ok ? undefined : unknown.error.code).toBe('IPC_FORBIDDEN_SENDER');
  });

  it('judges the sender against the base URL it was created with', async () => {
    const handlers = withVaultStubs({ 'app:info': () => appInfo, 'engine:status': () => engineStatus });
    const router = createRouter({ handlers, appBaseUrl: BROWSER_HOST_BASE_URL, logError: vi.fn() });
    const fromBrowserHost = await router.dispatch('app:info', {}, { url: 'https://lifeboat.invalid/', isMainFrame: true }, noProgress);
    const fromElectronPage = await router.dispatch('app:info', {}, ownSender, noProgress);
    expect(fromBrowserHost).toEqual({ ok: true, value: appInfo });
    expect(fromElectronPage.ok ? undefined : fromElectronPage.error.code).toBe('IPC_FORBIDDEN_SENDER');
  });
});

describe('router: channel check', () => {
  it.each(['vault:export', '', 'APP:INFO', 'app:info ', '__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'refuses unknown channel %j with IPC_UNKNOWN_CHANNEL',
    async (channel) => {
      const { router, appInfoHandler, engineStatusHandler } = setup();
      const result = await router.dispatch(channel, {}, ownSender, noProgress);
      expect(result.ok).toBe(false);
      expect(result.ok ? undefined : result.error.code).toBe('IPC_UNKNOWN_CHANNEL');
      expect(appInfoHandler).not.toHaveBeenCalled();
      expect(engineStatusHandler).not.toHaveBeenCalled();
    },
  );

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['an array holding a valid name', ['app:info']],
    ['an object', { channel: 'app:info' }],
    ['a boxed string', Object('app:info') as unknown],
  ])('refuses a non-string channel (%s) with IPC_UNKNOWN_CHANNEL', async (_label, channel) => {
    const { router, appInfoHandler } = setup();
    const result = await router.dispatch(channel, {}, ownSender, noProgress);
    expect(result.ok ? undefined : result.error.code).toBe('IPC_UNKNOWN_CHANNEL');
    expect(appInfoHandler).not.toHaveBeenCalled();
  });

  it('bounds the length of an unknown channel name echoed back in the message', async () => {
    const { router } = setup();
    const result = await router.dispatch('x'.repeat(10_000), {}, ownSender, noProgress);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.message.length).toBeLessThan(200);
    }
  });
});

describe('router: payload validation', () => {
  it('refuses an extra key with IPC_BAD_REQUEST naming the channel and the key', async () => {
    const { router, appInfoHandler } = setup();
    const result = await router.dispatch('app:info', { sneaky: true }, ownSender, noProgress);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('IPC_BAD_REQUEST');
      expect(result.error.message).toContain('app:info');
      expect(result.error.message).toContain('sneaky');
    }
    expect(appInfoHandler).not.toHaveBeenCalled();
  });

  it.each([
    ['a string', 'hello'],
    ['a number', 7],
    ['a boolean', true],
    ['an array', []],
  ])('refuses a payload of the wrong type (%s) with IPC_BAD_REQUEST', async (_label, payload) => {
    const { router, engineStatusHandler } = setup();
    const result = await router.dispatch('engine:status', payload, ownSender, noProgress);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('IPC_BAD_REQUEST');
      expect(result.error.message).toContain('engine:status');
      // The whole request is the offending "field" here, and the problem is its type.
      expect(result.error.message).toMatch(/^Invalid engine:status request: request: .*object/);
    }
    expect(engineStatusHandler).not.toHaveBeenCalled();
  });

  it('treats an undefined payload as an empty request', async () => {
    const { router, appInfoHandler } = setup();
    const result = await router.dispatch('app:info', undefined, ownSender, noProgress);
    expect(result).toEqual({ ok: true, value: appInfo });
    expect(appInfoHandler).toHaveBeenCalledTimes(1);
    expect(appInfoHandler.mock.calls[0]?.[0]).toEqual({});
  });

  it('treats a null payload as an empty request too', async () => {
    const { router, appInfoHandler } = setup();
    const result = await router.dispatch('app:info', null, ownSender, noProgress);
    expect(result).toEqual({ ok: true, value: appInfo });
    expect(appInfoHandler.mock.calls[0]?.[0]).toEqual({});
  });

  it('does not hand the caller-supplied object to the handler (it gets the parsed copy)', async () => {
    const { router, appInfoHandler } = setup();
    const payload = {};
    await router.dispatch('app:info', payload, ownSender, noProgress);
    expect(appInfoHandler.mock.calls[0]?.[0]).toEqual({});
    expect(appInfoHandler.mock.calls[0]?.[0]).not.toBe(payload);
  });
});

describe('router: results and errors', () => {
  it('returns {ok: true, value} with exactly what the handler returned', async () => {
    const { router, engineStatusHandler, appInfoHandler } = setup();
    const info = await router.dispatch('app:info', {}, ownSender, noProgress);
    expect(info).toEqual({ ok: true, value: appInfo });
    expect(AppInfoSchema.safeParse(info.ok ? info.value : undefined).success).toBe(true);
    const status = await router.dispatch('engine:status', {}, ownSender, noProgress);
    expect(status).toEqual({ ok: true, value: engineStatus });
    // Each channel reaches its own handler, once.
    expect(appInfoHandler).toHaveBeenCalledTimes(1);
    expect(engineStatusHandler).toHaveBeenCalledTimes(1);
  });

  it('passes a LifeboatError through with its code and message, without logging it', async () => {
    const { router, logError } = setup({
      'engine:status': () => {
        throw new LifeboatError('ENGINE_UNAVAILABLE', 'The database engine did not start.');
      },
    });
    const result = await router.dispatch('engine:status', {}, ownSender, noProgress);
    expect(result).toEqual({ ok: false, error: { code: 'ENGINE_UNAVAILABLE', message: 'The database engine did not start.' } });
    expect(logError).not.toHaveBeenCalled();
  });

  it('passes through a LifeboatError from a rejected promise as well', async () => {
    const { router } = setup({
      'engine:status': () => Promise.reject(new LifeboatError('ENGINE_UNAVAILABLE', 'Crypto failed its self-test.')),
    });
    const result = await router.dispatch('engine:status', {}, ownSender, noProgress);
    expect(result).toEqual({ ok: false, error: { code: 'ENGINE_UNAVAILABLE', message: 'Crypto failed its self-test.' } });
  });

  it('turns a plain Error into a generic INTERNAL error: no message, no stack, no path; the detail goes to logError', async () => {
    const secret = 'ENOENT: no such file /home/alice/.lifeboat/vault.db (key=hunter2)';
    const thrown = new Error(secret);
    const { router, logError } = setup({
      'app:info': () => {
        throw thrown;
      },
    });
    const result = await router.dispatch('app:info', {}, ownSender, noProgress);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INTERNAL');
      expect(result.error.message).not.toContain(secret);
      expect(result.error.message).not.toContain('hunter2');
      expect(result.error.message).not.toContain('/home/alice');
      expect(result.error.message).not.toMatch(/\bat\s.+:\d+:\d+/);
      expect(result.error.message).not.toContain('router');
      expect(result.error.message.length).toBeGreaterThan(0);
      expect(Object.keys(result.error).sort()).toEqual(['code', 'message']);
    }
    expect(JSON.stringify(result)).not.toContain(thrown.stack?.split('\n')[1]?.trim() ?? 'unreachable');
    expect(logError).toHaveBeenCalledTimes(1);
    expect(logError).toHaveBeenCalledWith('app:info', thrown);
  });

  it('treats a thrown non-Error (string, object) as INTERNAL too, without echoing it', async () => {
    const { router, logError } = setup({
      'app:info': () => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- proves the router copes with non-Error throws
        throw 'secret string thrown by a dependency';
      },
    });
    const result = await router.dispatch('app:info', {}, ownSender, noProgress);
    expect(result.ok ? undefined : result.error.code).toBe('INTERNAL');
    expect(JSON.stringify(result)).not.toContain('secret string');
    expect(logError).toHaveBeenCalledWith('app:info', 'secret string thrown by a dependency');
  });

  it('does not let an Error that merely looks like a LifeboatError choose its own code', async () => {
    const impostor = Object.assign(new Error('/etc/shadow could not be read'), { code: 'ENGINE_UNAVAILABLE', name: 'LifeboatError' });
    const { router, logError } = setup({
      'app:info': () => {
        throw impostor;
      },
    });
    const result = await router.dispatch('app:info', {}, ownSender, noProgress);
    expect(result.ok ? undefined : result.error.code).toBe('INTERNAL');
    expect(JSON.stringify(result)).not.toContain('/etc/shadow');
    expect(logError).toHaveBeenCalledTimes(1);
  });

  it('never rejects: every outcome is a Result', async () => {
    const { router } = setup({
      'app:info': () => {
        throw new TypeError('boom');
      },
    });
    await expect(router.dispatch('app:info', {}, ownSender, noProgress)).resolves.toMatchObject({ ok: false });
    await expect(router.dispatch(undefined, undefined, { url: '', isMainFrame: false }, noProgress)).resolves.toMatchObject({ ok: false });
    await expect(router.dispatch(12, 'x', ownSender, noProgress)).resolves.toMatchObject({ ok: false });
  });
});

describe('router: progress', () => {
  it('delivers every progress event a handler emits to the callback given to that dispatch, in order', async () => {
    const emitted: ProgressEvent[] = [
      { taskId: 'engine-self-test', label: 'Cryptography', done: 0, total: 2, finished: false },
      { taskId: 'engine-self-test', label: 'Database', done: 1, total: 2, finished: false },
      { taskId: 'engine-self-test', label: 'Done', done: 2, total: 2, finished: true },
    ];
    const { router } = setup({
      'engine:status': async (_request, { progress }) => {
        for (const event of emitted) {
          progress(event);
          await Promise.resolve();
        }
        return engineStatus;
      },
    });
    const received: ProgressEvent[] = [];
    const result = await router.dispatch('engine:status', {}, ownSender, (event) => received.push(event));
    expect(result).toEqual({ ok: true, value: engineStatus });
    expect(received).toEqual(emitted);
  });

  it('routes progress to the dispatch that started the work, not to another caller', async () => {
    const { router } = setup({
      'engine:status': (_request, { progress }) => {
        progress({ taskId: 't', label: 'step', done: 1, total: null, finished: false });
        return engineStatus;
      },
    });
    const first = vi.fn<(event: ProgressEvent) => void>();
    const second = vi.fn<(event: ProgressEvent) => void>();
    await router.dispatch('engine:status', {}, ownSender, first);
    await router.dispatch('app:info', {}, ownSender, second);
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).not.toHaveBeenCalled();
  });

  it('sends no progress for a refused request', async () => {
    const handler = vi.fn<Handler<'engine:status'>>((_request, { progress }) => {
      progress({ taskId: 't', label: 'step', done: 0, total: 1, finished: false });
      return engineStatus;
    });
    const { router } = setup({ 'engine:status': handler });
    const progress = vi.fn<(event: ProgressEvent) => void>();
    await router.dispatch('engine:status', {}, { url: 'app://lifeboat/', isMainFrame: false }, progress);
    await router.dispatch('engine:status', { x: 1 }, ownSender, progress);
    expect(handler).not.toHaveBeenCalled();
    expect(progress).not.toHaveBeenCalled();
  });
});

describe('router: default error logging', () => {
  it('writes unexpected errors to stderr when no logError is given, and still returns a generic INTERNAL', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const handlers = withVaultStubs({
        'app:info': () => {
          throw new Error('disk on fire');
        },
        'engine:status': () => engineStatus,
      });
      const router = createRouter({ handlers, appBaseUrl: ELECTRON_APP_BASE_URL });
      const result = await router.dispatch('app:info', {}, ownSender, noProgress);
      expect(result.ok ? undefined : result.error.code).toBe('INTERNAL');
      expect(JSON.stringify(result)).not.toContain('disk on fire');
      const written = write.mock.calls.map((call) => String(call[0])).join('');
      expect(written).toContain('app:info');
      expect(written).toContain('disk on fire');
    } finally {
      write.mockRestore();
    }
  });
});

describe('router: robustness', () => {
  it('checks responses against the contract: an off-contract value becomes INTERNAL and is logged', async () => {
    const { router, logError } = setup({
      'app:info': () => ({ ...appInfo, host: 'toaster' }) as unknown as AppInfo,
    });
    const result = await router.dispatch('app:info', {}, ownSender, noProgress);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(logError).toHaveBeenCalledTimes(1);
  });

  it('strips fields the contract does not name from a response', async () => {
    const { router } = setup({
      'app:info': () => ({ ...appInfo, secret: 'hunter2' }) as AppInfo,
    });
    const result = await router.dispatch('app:info', {}, ownSender, noProgress);
    expect(result).toEqual({ ok: true, value: appInfo });
  });

  it('still returns a result when the logger itself throws', async () => {
    const throwingLog = vi.fn(() => {
      throw new Error('disk full');
    });
    const { router } = setup(
      {
        'app:info': () => {
          throw new Error('boom');
        },
      },
      throwingLog,
    );
    await expect(router.dispatch('app:info', {}, ownSender, noProgress)).resolves.toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
  });

  it('refuses a channel object that cannot be turned into a string, without throwing', async () => {
    const { router } = setup();
    const hostile = Object.create(null) as object;
    await expect(router.dispatch(hostile, {}, ownSender, noProgress)).resolves.toMatchObject({
      ok: false,
      error: { code: 'IPC_UNKNOWN_CHANNEL' },
    });
  });
});
