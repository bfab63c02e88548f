/**
 * One job on a worker thread of its own, for work main must not do itself or
 * that is worth spreading over the cores (a catalog's inflate,
 * catalog-inflate-runner.ts; an audit log's signatures, audit-signatures.ts):
 * the thread is started, given the job,
 * ended as soon as it has answered; a thread that cannot start, throws or
 * dies is ENGINE_UNAVAILABLE naming what it was doing. None of them writes
 * anything.
 */
import { Worker, type Transferable } from 'node:worker_threads';
import { LifeboatError } from '../../shared/errors.js';

const overrides = new Map<string, URL>();

/**
 * A worker's compiled file, `name` beside the module whose `import.meta.url`
 * is `beside`, when it runs compiled (the app, the CLI, dist/node). Tests run
 * the TypeScript sources, which Node cannot start as a thread: they use the
 * one `npm run build:node` compiled, at the same place under dist/node.
 */
export function workerUrl(beside: string, name: string): URL {
  const override = overrides.get(name);
  if (override) {
    return override;
  }
  const compiled = beside.endsWith('.ts') ? beside.replace(/\/electron\/(?!.*\/electron\/)/, '/dist/node/electron/') : beside;
  return new URL(`./${name}.js`, compiled);
}

/** Tests only: start the worker `name` from `url` (null: the real one). */
export function setWorkerUrlForTests(name: string, url: URL | null): void {
  if (url) {
    overrides.set(name, url);
  } else {
    overrides.delete(name);
  }
}

/** The error for a thread that did not answer: `doing` is a sentence's start ("The catalog could not be unpacked"). */
export function threadStopped(doing: string, cause: unknown): LifeboatError {
  return new LifeboatError('ENGINE_UNAVAILABLE', `${doing}: the thread doing it stopped. Nothing was changed.`, { cause });
}

export function runWorkerOnce<Reply>(url: URL, doing: string, job: unknown, transfer: readonly Transferable[] = []): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(url);
    } catch (error) {
      reject(threadStopped(doing, error));
      return;
    }
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (!settled) {
        settled = true;
        void worker.terminate().catch(() => undefined);
        outcome();
      }
    };
    worker.once('message', (reply: Reply) => {
      settle(() => {
        resolve(reply);
      });
    });
    worker.once('error', (error) => {
      settle(() => {
        reject(threadStopped(doing, error));
      });
    });
    worker.once('exit', (code) => {
      settle(() => {
        reject(threadStopped(doing, new Error(`the worker exited with code ${code} before answering`)));
      });
    });
    worker.postMessage(job, [...transfer]);
  });
}
