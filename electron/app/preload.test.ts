/**
 * The preload is Electron glue and cannot run here (no Electron binary), so
 * `electron` is replaced by a mock that records what the preload hands to
 * contextBridge and ipcRenderer. The checks themselves live in shared/ and are
 * unit-tested there; these tests prove the preload wires them in.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { LifeboatApi } from '../../shared/api.js';
import { CHANNEL_NAMES, INVOKE_CHANNEL, PROGRESS_EVENT } from '../../shared/channel-names.js';
import type { ProgressEvent } from '../../shared/progress.js';

type RendererListener = (event: unknown, ...args: unknown[]) => void;
interface UntypedApi {
  invoke: (channel: unknown, payload: unknown) => Promise<unknown>;
}

const electron = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  const listeners = new Map<string, Set<RendererListener>>();
  const ipcRenderer = {
    invoke: vi.fn((channel: string, ...args: unknown[]) => Promise.resolve({ ok: true, value: { echoed: [channel, ...args] } })),
    on: vi.fn((channel: string, listener: RendererListener) => {
      const set = listeners.get(channel) ?? new Set<RendererListener>();
      set.add(listener);
      listeners.set(channel, set);
      return ipcRenderer;
    }),
    removeListener: vi.fn((channel: string, listener: RendererListener) => {
      listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    }),
  };
  const contextBridge = {
    exposeInMainWorld: vi.fn((key: string, api: unknown) => {
      exposed.set(key, api);
    }),
  };
  /** What main's webContents.send(channel, ...args) would deliver. */
  function emit(channel: string, event: unknown, ...args: unknown[]): void {
    for (const listener of [...(listeners.get(channel) ?? [])]) {
      listener(event, ...args);
    }
  }
  return { exposed, listeners, ipcRenderer, contextBridge, emit };
});

vi.mock('electron', () => ({ contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer }));

const progressEvent: ProgressEvent = { taskId: 'engine-self-test', label: 'Argon2id', done: 1, total: 5, finished: false };
/** Stands in for the IpcRendererEvent, which carries `sender` (the ipcRenderer itself). */
const fakeIpcEvent = { sender: electron.ipcRenderer, ports: [] };

function exposedApi(): LifeboatApi {
  const api = electron.exposed.get('lifeboat');
  if (api === undefined) {
    throw new Error('the preload exposed nothing under "lifeboat"');
  }
  return api as LifeboatApi;
}

/** What a page could call with any value, past TypeScript's ChannelName check. */
function invokeUntyped(channel: unknown, payload: unknown): Promise<unknown> {
  return (exposedApi() as unknown as UntypedApi).invoke(channel, payload);
}

function listenerCount(channel: string): number {
  return electron.listeners.get(channel)?.size ?? 0;
}

beforeEach(async () => {
  vi.clearAllMocks();
  electron.exposed.clear();
  electron.listeners.clear();
  vi.resetModules();
  await import('./preload.js');
});

describe('preload: what crosses the context bridge', () => {
  it('exposes exactly one key, "lifeboat", once', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect([...electron.exposed.keys()]).toEqual(['lifeboat']);
  });

  it('exposes exactly invoke and onProgress, both functions', () => {
    const api = exposedApi();
    expect(Object.keys(api).sort()).toEqual(['invoke', 'onProgress']);
    expect(typeof api.invoke).toBe('function');
    expect(typeof api.onProgress).toBe('function');
  });

  it('never exposes ipcRenderer or any of its methods', () => {
    const api = exposedApi() as unknown as Record<string, unknown>;
    const forbidden: unknown[] = [electron.ipcRenderer, electron.ipcRenderer.invoke, electron.ipcRenderer.on, electron.ipcRenderer.removeListener];
    for (const value of Object.values(api)) {
      expect(forbidden).not.toContain(value);
    }
  });

  it('exposes nothing at import time beyond the api: no listener is registered until asked', () => {
    expect(electron.ipcRenderer.on).not.toHaveBeenCalled();
    expect(electron.ipcRenderer.invoke).not.toHaveBeenCalled();
  });
});

describe('preload: invoke', () => {
  it('forwards a contract channel over the single invoke channel, with the payload', async () => {
    const payload = {};
    const result = await exposedApi().invoke('app:info', payload);
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledTimes(1);
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith(INVOKE_CHANNEL, 'app:info', payload);
    expect(electron.ipcRenderer.invoke.mock.calls[0]?.[2]).toBe(payload);
    // The preload returns main's answer as-is.
    expect(result).toEqual({ ok: true, value: { echoed: [INVOKE_CHANNEL, 'app:info', payload] } });
  });

  it.each(CHANNEL_NAMES)('forwards %s', async (channel) => {
    await exposedApi().invoke(channel, {});
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith(INVOKE_CHANNEL, channel, {});
  });

  it.each<[string, unknown]>([
    ['a channel outside the contract', 'vault:dump'],
    ['the raw invoke channel itself', INVOKE_CHANNEL],
    ['the progress event name', PROGRESS_EVENT],
    ['a near miss', 'app:info '],
    ['a number', 42],
    ['null', null],
    ['an object', { toString: () => 'app:info' }],
  ])('refuses %s without calling main', async (_label, channel) => {
    await expect(invokeUntyped(channel, {})).resolves.toEqual({
      ok: false,
      error: { code: 'IPC_UNKNOWN_CHANNEL', message: expect.any(String) as unknown },
    });
    expect(electron.ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it('refuses "vault:dump" with IPC_UNKNOWN_CHANNEL naming the channel', async () => {
    const result = await invokeUntyped('vault:dump', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'IPC_UNKNOWN_CHANNEL' } });
    expect(JSON.stringify(result)).toContain('vault:dump');
    expect(electron.ipcRenderer.invoke).not.toHaveBeenCalled();
  });
});

describe('preload: onProgress', () => {
  it('subscribes to the progress event only', () => {
    const unsubscribe = exposedApi().onProgress(() => undefined);
    expect(typeof unsubscribe).toBe('function');
    expect(electron.ipcRenderer.on).toHaveBeenCalledTimes(1);
    expect(electron.ipcRenderer.on).toHaveBeenCalledWith(PROGRESS_EVENT, expect.any(Function));
    expect([...electron.listeners.keys()]).toEqual([PROGRESS_EVENT]);
  });

  it('delivers the payload alone, never the IpcRendererEvent', () => {
    const listener = vi.fn();
    exposedApi().onProgress(listener);
    electron.emit(PROGRESS_EVENT, fakeIpcEvent, progressEvent);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith(progressEvent);
    expect(listener.mock.calls[0]).toHaveLength(1);
    expect(listener.mock.calls[0]?.[0]).toBe(progressEvent);
  });

  it('does not hand the page the registered ipcRenderer listener', () => {
    const listener = vi.fn();
    exposedApi().onProgress(listener);
    const registered = electron.ipcRenderer.on.mock.calls[0]?.[1];
    expect(registered).toBeDefined();
    expect(registered).not.toBe(listener);
  });

  it('the returned function removes exactly the listener it added', () => {
    const api = exposedApi();
    const first = vi.fn();
    const second = vi.fn();
    const unsubscribeFirst = api.onProgress(first);
    api.onProgress(second);
    const registeredFirst = electron.ipcRenderer.on.mock.calls[0]?.[1];
    expect(listenerCount(PROGRESS_EVENT)).toBe(2);

    unsubscribeFirst();
    expect(electron.ipcRenderer.removeListener).toHaveBeenCalledTimes(1);
    expect(electron.ipcRenderer.removeListener).toHaveBeenCalledWith(PROGRESS_EVENT, registeredFirst);
    expect(listenerCount(PROGRESS_EVENT)).toBe(1);

    electron.emit(PROGRESS_EVENT, fakeIpcEvent, progressEvent);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledWith(progressEvent);
  });

  it('subscribing the same listener twice gives two independent subscriptions', () => {
    const api = exposedApi();
    const listener = vi.fn();
    const unsubscribeA = api.onProgress(listener);
    api.onProgress(listener);
    unsubscribeA();
    electron.emit(PROGRESS_EVENT, fakeIpcEvent, progressEvent);
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
