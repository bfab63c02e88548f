/**
 * Reads a large catalog's files on worker threads, one share of the files
 * per core, each file parsed on its own and each entry prepared for the
 * vault (catalog-entry-prep.ts); the part that looks across files
 * (mergeCatalogFiles) then runs here. The answer is the one
 * parseCatalogContent gives on one thread, in the same order (a test holds
 * the two equal); what the threads prepared comes with it.
 *
 * Why (issue 20): parsing 5,000 runbooks took 1.3 s and preparing them 2 s
 * more on main, where in the app every other request waits meanwhile. A
 * small catalog (under PARALLEL_MIN_BYTES of text) is read here, as before:
 * starting threads costs more than it saves.
 */
import { availableParallelism } from 'node:os';
import { catalogFileKind, mergeCatalogFiles, parseCatalogFile, type CatalogContent, type CatalogFileOutcome } from './catalog-content.js';
import { PreparedEntries, type EntryPrep } from './catalog-entry-prep.js';
import { runWorkerOnce, workerUrl } from '../vault/worker-once.js';

export interface ParseJob {
  files: { path: string; bytes: Uint8Array }[];
}

export interface ParseReply {
  outcomes: CatalogFileOutcome[];
  /** Per outcome, per entry (in the same order). */
  preps: EntryPrep[][];
}

/** Below this much text a catalog is parsed on the calling thread. */
export const PARALLEL_MIN_BYTES = 2 * 1024 * 1024;
/** At most this many threads, whatever the machine. */
const MAX_THREADS = 4;
let minBytesForTests: number | null = null;

/** Tests only: parse on threads from this many bytes of text (0: always; null: PARALLEL_MIN_BYTES). */
export function setParallelParseMinBytesForTests(bytes: number | null): void {
  minBytesForTests = bytes;
}

export interface ParsedCatalog {
  content: CatalogContent;
  prepared: PreparedEntries;
  /** Threads used (0: parsed on the calling thread). */
  threads: number;
}

export async function parseCatalogOnThreads(
  files: ReadonlyMap<string, Uint8Array>,
  otherFiles: readonly string[] = [],
  oversizedImages: readonly { path: string; size: number }[] = [],
  options: { minBytes?: number; threads?: number } = {},
): Promise<ParsedCatalog> {
  const paths = [...files.keys()].sort();
  const text = paths.filter((path) => catalogFileKind(path) !== 'image' && files.get(path) !== undefined);
  const bytes = text.reduce((sum, path) => sum + (files.get(path)?.length ?? 0), 0);
  const threads = Math.min(options.threads ?? Math.min(availableParallelism(), MAX_THREADS), text.length);
  if (bytes < (options.minBytes ?? minBytesForTests ?? PARALLEL_MIN_BYTES) || threads < 1) {
    const outcomes = paths.map((path) => parseCatalogFile(path, files.get(path)));
    return { content: mergeCatalogFiles(outcomes, files, otherFiles, oversizedImages), prepared: PreparedEntries.none(), threads: 0 };
  }
  // Contiguous shares of about equal bytes, so the replies join back in path order.
  const shares: string[][] = [];
  let share: string[] = [];
  let taken = 0;
  for (const path of text) {
    share.push(path);
    taken += files.get(path)?.length ?? 0;
    if (taken >= (bytes * (shares.length + 1)) / threads && shares.length < threads - 1) {
      shares.push(share);
      share = [];
    }
  }
  shares.push(share);
  const replies = await Promise.all(
    shares.map((part) => {
      const job: ParseJob = { files: part.map((path) => ({ path, bytes: files.get(path) ?? new Uint8Array() })) };
      return runWorkerOnce<ParseReply>(workerUrl(import.meta.url, 'catalog-parse-worker'), 'The catalog could not be read', job);
    }),
  );
  const parsed = new Map<string, { outcome: CatalogFileOutcome; preps: EntryPrep[] }>();
  for (const reply of replies) {
    reply.outcomes.forEach((outcome, i) => parsed.set(outcome.path, { outcome, preps: reply.preps[i] ?? [] }));
  }
  const outcomes = paths.map((path) => parsed.get(path)?.outcome ?? parseCatalogFile(path, files.get(path)));
  const pairs = [...parsed.values()].flatMap(({ outcome, preps }) =>
    outcome.entries.flatMap((entry, i) => {
      const prep = preps[i];
      return prep ? [[entry, prep] as const] : [];
    }),
  );
  return { content: mergeCatalogFiles(outcomes, files, otherFiles, oversizedImages), prepared: new PreparedEntries(pairs), threads: shares.length };
}
