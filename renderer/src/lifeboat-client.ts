/**
 * The renderer's only door to main: window.lifeboat, typed by the contract.
 * Provided by the Electron preload or by the browser host; when neither is
 * there (the page opened by itself) every call fails with a clear sentence.
 * Every call is noted as activity (activity.ts): the idle countdown follows
 * the requests main sees, with no store having to say so.
 */
import type { LifeboatApi } from '../../shared/api';
import type { ChannelName } from '../../shared/channel-names';
import type { RequestOf, ResponseOf } from '../../shared/contract';
import type { Result } from '../../shared/errors';
import { noteRequest } from './activity';

declare global {
  interface Window {
    lifeboat?: LifeboatApi;
  }
}

export function lifeboatApi(): LifeboatApi | undefined {
  return window.lifeboat;
}

export async function invoke<C extends ChannelName>(channel: C, payload: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
  const api = lifeboatApi();
  if (!api) {
    return {
      ok: false,
      error: { code: 'INTERNAL', message: 'Lifeboat is not connected to its engine: open it with `npm start`, not as a web page.' },
    };
  }
  noteRequest();
  return api.invoke(channel, payload);
}
