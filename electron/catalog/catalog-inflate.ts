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
import { inflateRawSync } from 'node:zlib';
import { crc32, METHOD_STORED } from './zip-format.js';

const MiB = 1024 * 1024;

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

/**
 * Inflates `data` (raw DEFLATE) to exactly `size` bytes (already within the
 * limits), refusing a stream that makes more. Node's own zlib, told to stop
 * one byte past the declared size, so a bomb costs at most that much memory;
 * it inflates a catalog's runbooks several times faster than fflate in
 * JavaScript did (issue 20).
 */
function inflateCapped(data: Uint8Array, size: number): Inflated {
  if (data.length === 0) {
    return { ok: false, why: 'its compressed data is empty' };
  }
  let out: Buffer;
  try {
    out = inflateRawSync(data, { maxOutputLength: size + 1 });
  } catch (error) {
    const overflow = (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
    return { ok: false, why: overflow ? `it inflates to more than the ${size} bytes it declares` : 'its compressed data is damaged' };
  }
  if (out.length > size) {
    return { ok: false, why: `it inflates to more than the ${size} bytes it declares` };
  }
  if (out.length !== size) {
    return { ok: false, why: `it inflates to ${out.length} bytes, not the ${size} it declares` };
  }
  // A view of zlib's own buffer, which may be pooled or larger: the file gets an array of its own (transferable whole).
  return { ok: true, bytes: out.byteOffset === 0 && out.buffer.byteLength === size ? new Uint8Array(out.buffer, 0, size) : new Uint8Array(out) };
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
