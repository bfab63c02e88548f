/**
 * An audit log's Ed25519 signatures checked on worker threads while this
 * thread does the rest of the verification (issue 20: one libsodium
 * verification per record, ~150 µs in WebAssembly, was 80 % of verifying a
 * log, 4,000–6,000 records/s on one core).
 *
 * The answer is the one-thread verification's, error for error: the threads
 * only say which lines' signatures (or structure) fail; audit-verify.ts
 * still walks every line in order and reports the first failing check of the
 * first failing line, as before. Only public keys go to the threads; the
 * audit keys that open the events stay on this one.
 */
import { availableParallelism } from 'node:os';
import { runWorkerOnce, workerUrl } from '../worker-once.js';

export interface SignatureJob {
  /** The index of the first line (its sequence number in a whole log). */
  first: number;
  lines: readonly string[];
  publicKeys: [number, Uint8Array][];
}

export interface SignatureReply {
  /** Indexes of the lines that do not parse or whose signature does not verify. */
  failed: number[];
}

/** Below this many lines the signatures are checked on the calling thread, as they go. */
export const PARALLEL_MIN_LINES = 4_096;
const MAX_THREADS = 4;
let minLinesForTests: number | null = null;

/** From how many lines the signatures go to threads (tests lower it: null is PARALLEL_MIN_LINES). */
export function parallelMinLines(): number {
  return minLinesForTests ?? PARALLEL_MIN_LINES;
}

/** Tests only: check signatures on threads from this many lines (null: PARALLEL_MIN_LINES). */
export function setParallelMinLinesForTests(lines: number | null): void {
  minLinesForTests = lines;
}

/** Starts checking every line's signature on threads; resolves to the failing lines' indexes. */
export async function failingSignatures(lines: readonly string[], publicKeys: ReadonlyMap<number, Uint8Array>): Promise<ReadonlySet<number>> {
  const threads = Math.max(1, Math.min(availableParallelism(), MAX_THREADS));
  const size = Math.ceil(lines.length / threads);
  const keys = [...publicKeys];
  const replies = await Promise.all(
    Array.from({ length: threads }, (_, t) => {
      const job: SignatureJob = { first: t * size, lines: lines.slice(t * size, (t + 1) * size), publicKeys: keys };
      return runWorkerOnce<SignatureReply>(workerUrl(import.meta.url, 'audit-signature-worker'), 'The audit log could not be verified', job);
    }),
  );
  return new Set(replies.flatMap((reply) => reply.failed));
}
