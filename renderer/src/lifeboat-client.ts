/**
 * The renderer's only door to main: window.lifeboat, typed by the contract.
 * Provided by the Electron preload or by the browser host; when neither is
 * there (the page opened by itself) every call fails with a clear sentence.
 * Every call main counts as activity is noted (activity.ts): the idle
 * countdown follows the requests main sees, with no store having to say so.
 */
import type { LifeboatApi } from '../../shared/api';
import { IDLE_NEUTRAL_CHANNELS, type ChannelName } from '../../shared/channel-names';
import type { RequestOf, ResponseOf } from '../../shared/contract';
import type { Result } from '../../shared/errors';
import { withoutBidiControls } from '../../shared/terminal-text';
import { noteRequest } from './activity';

/**
 * Stored text reaches the window only through here: bidi embeddings,
 * overrides and isolates are removed from every string of every response,
 * so a title or a runbook line cannot reorder what is shown around it
 * (issue 15, M6). A revealed value is the exception: it must be exact; the
 * view isolates it instead (`.sealed-value`, unicode-bidi: isolate).
 */
function neutralised(value: unknown): unknown {
  if (typeof value === 'string') {
    return withoutBidiControls(value);
  }
  if (Array.isArray(value)) {
    return value.map(neutralised);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, neutralised(inner)]));
  }
  return value;
}

declare global {
  interface Window {
    lifeboat?: LifeboatApi;
  }
}

export function lifeboatApi(): LifeboatApi | undefined {
  return window.lifeboat;
}

const lockListeners = new Set<() => void>();

/**
 * Main locks the vault by itself (idle, sleep, screen lock, quit) and has no
 * way to tell the window: the window learns it from the next answer, a
 * VAULT_LOCKED error or a status with no session, and calls these listeners
 * so nothing read from the vault stays on screen (security issue 15).
 * Returns the function that unsubscribes.
 */
export function onVaultLocked(listener: () => void): () => void {
  lockListeners.add(listener);
  return () => {
    lockListeners.delete(listener);
  };
}

function saysLocked(channel: ChannelName, result: Result<unknown>): boolean {
  if (!result.ok) {
    return result.error.code === 'VAULT_LOCKED';
  }
  if (channel === 'vault:activity') {
    return !(result.value as ResponseOf<'vault:activity'>).unlocked;
  }
  return channel === 'vault:status' && (result.value as ResponseOf<'vault:status'>).session === null;
}

export async function invoke<C extends ChannelName>(channel: C, payload: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
  const result = await send(channel, payload);
  if (saysLocked(channel, result)) {
    lockListeners.forEach((listener) => {
      listener();
    });
  }
  return result;
}

async function send<C extends ChannelName>(channel: C, payload: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
  const api = lifeboatApi();
  if (!api) {
    return {
      ok: false,
      error: { code: 'INTERNAL', message: 'Lifeboat is not connected to its engine: open it with `npm start`, not as a web page.' },
    };
  }
  // Main restarts its idle timer for every other channel, and so does the countdown.
  if (!IDLE_NEUTRAL_CHANNELS.includes(channel)) {
    noteRequest();
  }
  const result = await api.invoke(channel, payload);
  if (!result.ok) {
    return { ok: false, error: neutralised(result.error) as typeof result.error };
  }
  return channel === 'secret:reveal' ? result : { ok: true, value: neutralised(result.value) as ResponseOf<C> };
}
