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
import type { DeclaredEntry, InflateJob, InflateJobEntry, InflateReply, SizeLimits } from './catalog-inflate.js';
import { runWorkerOnce, setWorkerUrlForTests, threadStopped, workerUrl } from '../vault/worker-once.js';

/** An entry to inflate: its compressed bytes and what it declares. */
export interface CompressedEntry extends DeclaredEntry {
  data: Uint8Array;
}

export type InflateOutcome = { kind: 'inflated'; files: Uint8Array[] } | { kind: 'refused'; index: number; why: string };

const WORKER = 'catalog-inflate-worker';
const DOING = 'The catalog could not be unpacked';
let runs = 0;

/** The worker's compiled file (worker-once.ts says where it is looked for). */
export function inflateWorkerUrl(): URL {
  return workerUrl(import.meta.url, WORKER);
}

/** How many jobs worker threads have answered in this process (diagnostics and tests). */
export function inflateWorkerRuns(): number {
  return runs;
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
  const job: InflateJob = { data: data.buffer, entries: jobEntries, limits: { fileBytes: limits.fileBytes, totalBytes: limits.totalBytes } };
  const reply = await runWorkerOnce<InflateReply>(inflateWorkerUrl(), DOING, job, [job.data]);
  runs += 1;
  if (reply.kind === 'refused') {
    return reply;
  }
  if (reply.files.length !== entries.length) {
    throw threadStopped(DOING, new Error(`the worker returned ${reply.files.length} files for ${entries.length}`));
  }
  return { kind: 'inflated', files: reply.files.map((buffer) => new Uint8Array(buffer)) };
}

/** Tests only: start the worker from `url` (null: the real one). */
export function setInflateWorkerUrlForTests(url: URL | null): void {
  setWorkerUrlForTests(WORKER, url);
}
