/**
 * The shape of `window.lifeboat`, the only door from the renderer to main.
 * The Electron preload and the browser host both implement exactly this.
 */
import type { ChannelName } from './channel-names.js';
import type { RequestOf, ResponseOf } from './contract.js';
import type { Result } from './errors.js';
import type { ProgressListener } from './progress.js';

export interface LifeboatApi {
  invoke<C extends ChannelName>(channel: C, payload: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  /** Subscribes to progress events; returns the function that unsubscribes. */
  onProgress(listener: ProgressListener): () => void;
}
