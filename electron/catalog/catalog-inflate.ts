/**
 * Step 3 of reading a catalog (see catalog-archive.ts): inflating an entry
 * that already passed the checks on its name and declared size, held to
 * that declared size and its CRC-32. One implementation for both threads:
 * the main thread inflates a catalog's manifest and signature with it, and
 * the inflate worker (catalog-inflate-worker.ts) every runbook after the
 * signature verified. Nothing here throws for hostile input: a refusal is a
 * sentence ("why") that the caller turns into VAULT_BAD_INPUT naming the
 * entry, so it crosses the thread boundary as plain data.
 */
import { Inflate } from 'fflate';
import { crc32, METHOD_STORED } from './zip-format.js';

const MiB = 1024 * 1024;
/** Compressed bytes fed to the inflater per push; bounds the output of one push to ~4 MiB. */
const INFLATE_INPUT_CHUNK = 4096;

/** The limits an entry's declared size is held to (a subset of CatalogLimits). */
export interface SizeLimits {
  /** Uncompressed size of any one file. */
  fileBytes: number;
  /** Sum of the uncompressed sizes. */
  totalBytes: number;
}

/** What step 3 needs of an entry: how it is stored and what it declares. */
export interface DeclaredEntry {
  method: number;
  size: number;
  crc32: number;
}

export type Inflated = { ok: true; bytes: Uint8Array } | { ok: false; why: string };

/** "5 MiB" for whole mebibytes, else "N bytes". */
export function sizeText(bytes: number): string {
  return bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes} bytes`;
}

/** Why a declared size breaks the limits (this entry's, or the running total with it), or undefined. */
export function sizeLimitProblem(size: number, totalSoFar: number, limits: SizeLimits): string | undefined {
  if (size > limits.fileBytes) {
    return `it is ${size} bytes, over the ${sizeText(limits.fileBytes)} per-file limit`;
  }
  if (totalSoFar > limits.totalBytes) {
    return `it brings the catalog to ${totalSoFar} bytes, over the ${sizeText(limits.totalBytes)} total limit`;
  }
  return undefined;
}

/** An entry's content from its compressed bytes, or why it is refused. */
export function inflateEntry(data: Uint8Array, entry: DeclaredEntry): Inflated {
  const inflated = entry.method === METHOD_STORED ? { ok: true as const, bytes: data.slice() } : inflateCapped(data, entry.size);
  if (inflated.ok && crc32(inflated.bytes) !== entry.crc32) {
    return { ok: false, why: 'it fails its CRC-32 check (the archive is damaged)' };
  }
  return inflated;
}

/** Thrown inside the inflater's callback to stop it the moment it passes the declared size. */
class Overflow extends Error {}

/**
 * Inflates into a buffer of exactly `size` bytes (already within the
 * limits), refusing the moment the stream produces more.
 */
function inflateCapped(data: Uint8Array, size: number): Inflated {
  const out = new Uint8Array(size);
  let written = 0;
  const inflater = new Inflate((chunk) => {
    if (chunk.length > size - written) {
      throw new Overflow();
    }
    out.set(chunk, written);
    written += chunk.length;
  });
  if (data.length === 0) {
    return { ok: false, why: 'its compressed data is empty' };
  }
  try {
    for (let at = 0; at < data.length; at += INFLATE_INPUT_CHUNK) {
      const end = Math.min(at + INFLATE_INPUT_CHUNK, data.length);
      inflater.push(data.subarray(at, end), end === data.length);
    }
  } catch (error) {
    return { ok: false, why: error instanceof Overflow ? `it inflates to more than the ${size} bytes it declares` : 'its compressed data is damaged' };
  }
  if (written !== size) {
    return { ok: false, why: `it inflates to ${written} bytes, not the ${size} it declares` };
  }
  return { ok: true, bytes: out };
}

/** One entry of a job for the inflate worker: where its compressed bytes are in `data`, and what it declares. */
export interface InflateJobEntry extends DeclaredEntry {
  start: number;
  end: number;
}

/** What the main thread posts to the inflate worker (`data` is transferred, not copied). */
export interface InflateJob {
  data: ArrayBuffer;
  entries: InflateJobEntry[];
  limits: SizeLimits;
}

/** The worker's answer: every file in job order (transferred), or the first refusal. */
export type InflateReply = { kind: 'inflated'; files: ArrayBuffer[] } | { kind: 'refused'; index: number; why: string };

/**
 * A whole job, as the worker runs it. The declared sizes are held to the
 * limits again here, so the worker never allocates past them whatever it is
 * sent; then each entry is inflated, stopping at the first refusal.
 */
export function inflateJob(job: InflateJob): InflateReply {
  const data = new Uint8Array(job.data);
  let total = 0;
  const files: ArrayBuffer[] = [];
  for (const [index, entry] of job.entries.entries()) {
    total += entry.size;
    const problem = sizeLimitProblem(entry.size, total, job.limits);
    if (problem) {
      return { kind: 'refused', index, why: problem };
    }
    const inflated = inflateEntry(data.subarray(entry.start, entry.end), entry);
    if (!inflated.ok) {
      return { kind: 'refused', index, why: inflated.why };
    }
    // Each result owns its buffer (a fresh array, or a slice): it can be transferred whole.
    files.push(inflated.bytes.buffer as ArrayBuffer);
  }
  return { kind: 'inflated', files };
}
