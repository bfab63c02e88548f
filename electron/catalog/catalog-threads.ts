/**
 * One job on a worker thread of its own, for the parts of reading a catalog
 * that main must not do itself (catalog-inflate-runner.ts, catalog-parse-runner.ts):
 * the thread is started, given the job, ended as soon as it has answered;
 * a thread that cannot start, throws or dies is ENGINE_UNAVAILABLE naming
 * what it was doing. Nothing was changed by then: both run before anything
 * is written.
 */
import { Worker, type Transferable } from 'node:worker_threads';
import { LifeboatError } from '../../shared/errors.js';

const overrides = new Map<string, URL>();

/**
 * A worker's compiled file: beside this module when it runs compiled (the
 * app, the CLI, dist/node). Tests run the TypeScript sources, which Node
 * cannot start as a thread: they use the one `npm run build:node` compiled.
 */
export function catalogWorkerUrl(name: string): URL {
  const override = overrides.get(name);
  if (override) {
    return override;
  }
  return import.meta.url.endsWith('.ts') ? new URL(`../../dist/node/electron/catalog/${name}.js`, import.meta.url) : new URL(`./${name}.js`, import.meta.url);
}

/** Tests only: start the worker `name` from `url` (null: the real one). */
export function setCatalogWorkerUrlForTests(name: string, url: URL | null): void {
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

export function runWorkerOnce<Reply>(name: string, doing: string, job: unknown, transfer: readonly Transferable[] = []): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(catalogWorkerUrl(name));
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
