/**
 * Every event of a long audit log decrypted on worker threads (issue 22:
 * opening 100,000 events, one XChaCha20-Poly1305 open and one BLAKE2b
 * commitment each in WebAssembly, was half of a 100,000-event export on one
 * core; it is compute-bound and splits evenly over the cores).
 *
 * The answer is AuditLog.openEvent's, line for line and error for error: the
 * events come back as the canonical JSON their commitments were checked
 * against (parsed here), and the first failing line of the first failing
 * share is thrown as the one-thread loop would have thrown it. The threads
 * are given the audit keys (they never leave this process) and ended as soon
 * as they answer; the keys they were sent are zeroed there.
 */
import { availableParallelism } from 'node:os';
import { LifeboatError, type ErrorCode } from '../../../shared/errors.js';
import { runWorkerOnce, workerUrl } from '../worker-once.js';

/**
 * Lines and events cross as one string each, joined with newlines (neither a
 * log line nor canonical JSON holds a raw newline): one copy, where 100,000
 * strings cloned one by one cost more than opening them on one thread.
 */
export interface EventJob {
  vaultId: string;
  /** The index of the first line (its sequence number in a whole log). */
  first: number;
  lines: string;
  keys: [number, Uint8Array][];
}

export interface EventReply {
  canonical: string;
  times: string;
  epochs: number[];
  /** The first line of the share that failed: everything before it is in the arrays. */
  failure?: { code: ErrorCode; message: string };
}

/** Below this many lines the events are opened on the calling thread. */
export const PARALLEL_MIN_EVENTS = 4_096;
const MAX_THREADS = 4;
let minEventsForTests: number | null = null;

/** From how many events they are opened on threads (tests lower it: null is PARALLEL_MIN_EVENTS). */
export function parallelMinEvents(): number {
  return minEventsForTests ?? PARALLEL_MIN_EVENTS;
}

/** Tests only: open events on threads from this many lines (null: PARALLEL_MIN_EVENTS). */
export function setParallelMinEventsForTests(lines: number | null): void {
  minEventsForTests = lines;
}

export interface OpenedEvents {
  canonical: string[];
  times: string[];
  epochs: number[];
}

/** Opens every line's event on threads; throws the first failure in log order. */
export async function openEventsOnThreads(vaultId: string, lines: readonly string[], keys: ReadonlyMap<number, Uint8Array>): Promise<OpenedEvents> {
  const threads = Math.max(1, Math.min(availableParallelism(), MAX_THREADS));
  const size = Math.ceil(lines.length / threads);
  const replies = await Promise.all(
    Array.from({ length: threads }, (_, t) => {
      // Copies, moved (not cloned) to the thread, which zeroes them: no copy stays behind here.
      const buffers: ArrayBuffer[] = [];
      const copies = [...keys].map(([epoch, key]): [number, Uint8Array] => {
        const buffer = new ArrayBuffer(key.length);
        buffers.push(buffer);
        const copy = new Uint8Array(buffer);
        copy.set(key);
        return [epoch, copy];
      });
      const job: EventJob = { vaultId, first: t * size, lines: lines.slice(t * size, (t + 1) * size).join('\n'), keys: copies };
      return runWorkerOnce<EventReply>(workerUrl(import.meta.url, 'audit-event-worker'), 'The audit log could not be read', job, buffers);
    }),
  );
  const failed = replies.find((reply) => reply.failure !== undefined)?.failure;
  if (failed) {
    throw new LifeboatError(failed.code, failed.message);
  }
  const shares = replies.filter((reply) => reply.canonical !== '');
  return {
    canonical: shares.flatMap((reply) => reply.canonical.split('\n')),
    times: shares.flatMap((reply) => reply.times.split('\n')),
    epochs: shares.flatMap((reply) => reply.epochs),
  };
}
