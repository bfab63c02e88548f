/**
 * The preload: exposes exactly the LifeboatApi on window.lifeboat and nothing
 * else. The raw ipcRenderer never crosses the context bridge; channel names
 * are checked here as well as in main.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { LifeboatApi } from '../../shared/api.js';
import { INVOKE_CHANNEL, isChannelName, PROGRESS_EVENT } from '../../shared/channel-names.js';
import { unknownChannelError, type Result } from '../../shared/errors.js';
import type { ProgressEvent, ProgressListener } from '../../shared/progress.js';

// The generic signature cannot be checked through ipcRenderer's untyped
// invoke; the router validates responses' shape on the main side.
const invoke = ((channel: unknown, payload: unknown) => {
  if (!isChannelName(channel)) {
    const refused: Result<never> = { ok: false, error: unknownChannelError(channel) };
    return Promise.resolve(refused);
  }
  return ipcRenderer.invoke(INVOKE_CHANNEL, channel, payload) as Promise<Result<unknown>>;
}) as LifeboatApi['invoke'];

const api: LifeboatApi = {
  invoke,
  onProgress(listener: ProgressListener) {
    const wrapped = (_event: IpcRendererEvent, progress: ProgressEvent): void => {
      listener(progress);
    };
    ipcRenderer.on(PROGRESS_EVENT, wrapped);
    return () => {
      ipcRenderer.removeListener(PROGRESS_EVENT, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('lifeboat', api);
