/**
 * Runs step 3 of reading a catalog (catalog-inflate.ts) in a worker thread,
 * for the files read after the signature verified: in the app that is
 * Electron's main process, which must keep answering the window while a
 * large catalog (up to 200 MiB of runbooks) inflates, and must not be the
 * thread that meets a bomb. One thread per catalog, ended as soon as it has
 * answered. The worker holds every entry to its declared size and the limits
 * again; its refusals come back as data and are raised here, in this thread,
 * with the same code and sentence as before (VAULT_BAD_INPUT naming the entry).
 */
import { Worker } from 'node:worker_threads';
import { LifeboatError } from '../../shared/errors.js';
import type { DeclaredEntry, InflateJob, InflateJobEntry, InflateReply, SizeLimits } from './catalog-inflate.js';

/** An entry to inflate: its compressed bytes and what it declares. */
export interface CompressedEntry extends DeclaredEntry {
  data: Uint8Array;
}

export type InflateOutcome = { kind: 'inflated'; files: Uint8Array[] } | { kind: 'refused'; index: number; why: string };

let workerUrlOverride: URL | null = null;
let runs = 0;

/**
 * The worker's compiled file: beside this module when it runs compiled (the
 * app, the CLI, dist/node). Tests run the TypeScript sources, which Node
 * cannot start as a thread: they use the one `npm run build:node` compiled.
 */
export function inflateWorkerUrl(): URL {
  if (workerUrlOverride) {
    return workerUrlOverride;
  }
  return import.meta.url.endsWith('.ts')
    ? new URL('../../dist/node/electron/catalog/catalog-inflate-worker.js', import.meta.url)
    : new URL('./catalog-inflate-worker.js', import.meta.url);
}

/** How many jobs worker threads have answered in this process (diagnostics and tests). */
export function inflateWorkerRuns(): number {
  return runs;
}

function unavailable(cause: unknown): LifeboatError {
  return new LifeboatError('ENGINE_UNAVAILABLE', 'The catalog could not be unpacked: the thread that unpacks it stopped. Nothing was changed.', {
    cause,
  });
}

/** Inflates `entries` in a worker thread, within `limits`: every file in order, or the first refusal. */
export async function inflateInWorker(entries: readonly CompressedEntry[], limits: SizeLimits): Promise<InflateOutcome> {
  // One buffer for every entry's compressed bytes, handed over to the thread (transferred, not copied).
  const data = new Uint8Array(entries.reduce((sum, entry) => sum + entry.data.length, 0));
  let offset = 0;
  const jobEntries = entries.map(({ data: bytes, method, size, crc32 }): InflateJobEntry => {
    data.set(bytes, offset);
    offset += bytes.length;
    return { method, size, crc32, start: offset - bytes.length, end: offset };
  });
  const reply = await runJob({ data: data.buffer, entries: jobEntries, limits: { fileBytes: limits.fileBytes, totalBytes: limits.totalBytes } });
  runs += 1;
  if (reply.kind === 'refused') {
    return reply;
  }
  if (reply.files.length !== entries.length) {
    throw unavailable(new Error(`the worker returned ${reply.files.length} files for ${entries.length}`));
  }
  return { kind: 'inflated', files: reply.files.map((buffer) => new Uint8Array(buffer)) };
}

function runJob(job: InflateJob): Promise<InflateReply> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(inflateWorkerUrl());
    } catch (error) {
      reject(unavailable(error));
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
    worker.once('message', (reply: InflateReply) => {
      settle(() => {
        resolve(reply);
      });
    });
    worker.once('error', (error) => {
      settle(() => {
        reject(unavailable(error));
      });
    });
    worker.once('exit', (code) => {
      settle(() => {
        reject(unavailable(new Error(`the worker exited with code ${code} before answering`)));
      });
    });
    worker.postMessage(job, [job.data]);
  });
}

/** Tests only: start the worker from `url` (null: the real one). */
export function setInflateWorkerUrlForTests(url: URL | null): void {
  workerUrlOverride = url;
}
