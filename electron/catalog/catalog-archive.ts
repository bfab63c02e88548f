/**
 * A `.lbcat` catalog is a zip. Reading it is where hostile input first
 * arrives, so the rules apply in this order, and nothing is inflated until
 * every entry has passed the checks that need no decompression:
 *
 * 1. Limits on what the central directory declares: entry count, per-file
 *    and total uncompressed size, and the compression ratio. Step 3 holds
 *    every entry to its declared size, so limits checked on declared sizes
 *    bound the real output too (a lie is refused, not trusted).
 * 2. Names: valid UTF-8, relative, forward slashes, no `..`, `.` or empty
 *    segments, no control characters; no symlinks or other special entries;
 *    no duplicates; no path that is both a file and a folder.
 * 3. Inflation with a streaming inflater, into a buffer of the declared
 *    size: the moment an entry produces more than it declared, it is
 *    refused. Declared sizes are already within the limits, so a lying
 *    entry is stopped after at most one input chunk's worth of output
 *    (4 KiB in → at most ~4 MiB out, deflate's ceiling being ~1032:1).
 *    An entry that produces less than it declared, or fails its CRC-32, is
 *    refused too (`catalog-inflate.ts`).
 *
 * Integrity (signature, hashes) is checked by `verifyCatalog`, which opens the
 * archive (steps 1 and 2) and inflates the manifest and signature first: with
 * a trusted key, no other entry is inflated before the signature verifies,
 * and then not in this thread: `inflate` runs step 3 in a worker thread
 * (`catalog-inflate-runner.ts`), which holds every entry to the limits again.
 * Refusals are `VAULT_BAD_INPUT` "<label>: <entry>: <why>", whichever thread
 * inflated.
 */
import { deflateSync } from 'fflate';
import { LifeboatError } from '../../shared/errors.js';
import { inflateEntry, sizeLimitProblem, sizeText } from './catalog-inflate.js';
import { inflateInWorker } from './catalog-inflate-runner.js';
import {
  crc32,
  encodeZip,
  FLAG_ENCRYPTED,
  locateEntryData,
  METHOD_DEFLATE,
  METHOD_STORED,
  readCentralDirectory,
  zipRefusal,
  type CentralEntry,
  type ZipWriteEntry,
} from './zip-format.js';

export { sizeText } from './catalog-inflate.js';

const MiB = 1024 * 1024;

export interface CatalogLimits {
  /** Entries in the archive (files, folders, manifest and signature). */
  entries: number;
  /** Sum of the uncompressed sizes. */
  totalBytes: number;
  /** Uncompressed size of any one file. */
  fileBytes: number;
  /** Uncompressed ÷ compressed, enforced on files larger than `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
}

/**
 * The ratio guard: Markdown and YAML deflate about 3–10:1, and even very
 * repetitive generated YAML stays well under 100:1; deflate's ceiling is
 * ~1032:1, which only degenerate input (runs of one byte) reaches. 200:1
 * leaves real text a wide margin while refusing the shape of a bomb. Files of
 * 1 MiB or less are exempt: they are harmless whatever their ratio, and tiny
 * files (an empty runbook, a one-line YAML) have meaningless ratios.
 */
export const CATALOG_LIMITS: Readonly<CatalogLimits> = Object.freeze({
  entries: 20_000,
  totalBytes: 200 * MiB,
  fileBytes: 5 * MiB,
  maxRatio: 200,
  ratioFloorBytes: 1 * MiB,
});

export interface CatalogFile {
  path: string;
  bytes: Uint8Array;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const DOS_DIRECTORY = 0x10;

/** Why a path may not appear in a catalog, or undefined if it may. */
export function catalogPathProblem(path: string): string | undefined {
  if (path.length === 0) {
    return 'the path is empty';
  }
  if (/\p{Cc}/u.test(path)) {
    return 'the path contains a control character';
  }
  if (path.includes('\\')) {
    return 'the path contains a backslash (catalog paths use forward slashes)';
  }
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) {
    return 'the path is absolute';
  }
  const segments = path.split('/');
  if (segments.includes('..')) {
    return 'the path climbs out of the catalog (..)';
  }
  if (segments.some((s) => s === '' || s === '.')) {
    return 'the path has an empty or "." segment';
  }
  return undefined;
}

interface CheckedEntry {
  entry: CentralEntry;
  path: string;
  isFolder: boolean;
}

/**
 * Reads a catalog zip under `limits`: every file's path and bytes (folder
 * entries are checked, then left out). `label` names the archive in refusals.
 */
export function readCatalogArchive(bytes: Uint8Array, limits: CatalogLimits = CATALOG_LIMITS, label = 'catalog'): Map<string, Uint8Array> {
  const archive = openCatalogArchive(bytes, limits, label);
  const files = new Map<string, Uint8Array>();
  for (const path of archive.paths) {
    files.set(path, archive.read(path));
  }
  return files;
}

/** An archive whose every entry passed steps 1 and 2; each file is inflated (step 3) only when read. */
export interface OpenedCatalogArchive {
  /** The files' paths, in the archive's order (folders left out). */
  readonly paths: readonly string[];
  /** Inflates one file in this thread, held to its declared size and CRC-32; VAULT_BAD_INPUT naming it otherwise. */
  read(path: string): Uint8Array;
  /**
   * Inflates files in a worker thread, not this one (the bulk of a catalog:
   * its runbooks), held to the same checks and limits; refused like `read`.
   */
  inflate(paths: readonly string[]): Promise<Map<string, Uint8Array>>;
}

/**
 * Steps 1 and 2 for every entry, with nothing inflated: so a caller can
 * inflate the few bytes that decide whether the rest is worth reading (a
 * catalog's manifest and signature) before any of the rest.
 */
export function openCatalogArchive(bytes: Uint8Array, limits: CatalogLimits = CATALOG_LIMITS, label = 'catalog'): OpenedCatalogArchive {
  const { entries, directoryOffset } = readCentralDirectory(bytes, label, limits.entries);
  const checked = checkEntries(entries, limits, label);

  // No two entries' data may share bytes: overlapping entries are the other way to build a bomb.
  const spans = checked.map(({ entry }) => ({ entry, ...locateEntryData(bytes, entry, directoryOffset, label) }));
  const byOffset = [...spans].sort((a, b) => a.entry.localOffset - b.entry.localOffset);
  byOffset.forEach((span, i) => {
    const next = byOffset[i + 1];
    if (next && span.end > next.entry.localOffset) {
      throw zipRefusal(label, 'its data overlaps another entry', next.entry.nameBytes);
    }
  });

  const files = new Map<string, { entry: CentralEntry; start: number; end: number }>();
  checked.forEach(({ entry, path, isFolder }, i) => {
    const span = spans[i];
    if (!isFolder && span) {
      files.set(path, { entry, start: span.start, end: span.end });
    }
  });
  const fileAt = (path: string): { entry: CentralEntry; data: Uint8Array } => {
    const file = files.get(path);
    if (!file) {
      throw new LifeboatError('VAULT_BAD_INPUT', `${label}: ${path}: not in the archive.`);
    }
    return { entry: file.entry, data: bytes.subarray(file.start, file.end) };
  };
  return {
    paths: [...files.keys()],
    read(path: string): Uint8Array {
      const { entry, data } = fileAt(path);
      const inflated = inflateEntry(data, entry);
      if (!inflated.ok) {
        throw zipRefusal(label, inflated.why, entry.nameBytes);
      }
      return inflated.bytes;
    },
    async inflate(paths: readonly string[]): Promise<Map<string, Uint8Array>> {
      const wanted = paths.map((path) => ({ path, ...fileAt(path) }));
      if (wanted.length === 0) {
        return new Map();
      }
      const outcome = await inflateInWorker(
        wanted.map(({ entry, data }) => ({ data, method: entry.method, size: entry.size, crc32: entry.crc32 })),
        limits,
      );
      if (outcome.kind === 'refused') {
        throw zipRefusal(label, outcome.why, wanted[outcome.index]?.entry.nameBytes);
      }
      return new Map(wanted.map(({ path }, i) => [path, outcome.files[i] ?? new Uint8Array(0)]));
    },
  };
}

/** Step 1 and 2 above, for every entry, before anything is inflated. */
function checkEntries(entries: CentralEntry[], limits: CatalogLimits, label: string): CheckedEntry[] {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const seen = new Set<string>();
  let declaredTotal = 0;
  const checked = entries.map((entry): CheckedEntry => {
    const refuse = (why: string): LifeboatError => zipRefusal(label, why, entry.nameBytes);
    let name: string;
    try {
      name = utf8.decode(entry.nameBytes);
    } catch {
      throw refuse('the name is not valid UTF-8');
    }
    const isFolder = name.endsWith('/');
    const path = isFolder ? name.slice(0, -1) : name;
    const problem = catalogPathProblem(path);
    if (problem) {
      throw refuse(problem);
    }
    const type = (entry.externalAttrs >>> 16) & S_IFMT;
    if (type === S_IFLNK) {
      throw refuse('it is a symbolic link; catalogs hold regular files only');
    }
    // A folder is a name ending in "/"; many writers (fflate among them) set no attributes on it.
    const folderAttributes = type === S_IFDIR || (entry.externalAttrs & DOS_DIRECTORY) !== 0;
    if ((type !== 0 && type !== S_IFREG && type !== S_IFDIR) || (folderAttributes && !isFolder) || (type === S_IFREG && isFolder)) {
      throw refuse('it is not a regular file');
    }
    if (seen.has(path)) {
      throw refuse('the path appears more than once');
    }
    seen.add(path);
    if ((entry.flags & FLAG_ENCRYPTED) !== 0) {
      throw refuse('it is encrypted');
    }
    if (entry.method !== METHOD_STORED && entry.method !== METHOD_DEFLATE) {
      throw refuse(`it uses compression method ${entry.method}; only stored (0) and deflate (8) are supported`);
    }
    if (isFolder && entry.size !== 0) {
      throw refuse('a folder entry has content');
    }
    checkDeclaredSize(entry, limits, (declaredTotal += entry.size), refuse);
    return { entry, path, isFolder };
  });
  // A path that is a file cannot also be a folder holding other files.
  const filePaths = new Set(checked.filter((c) => !c.isFolder).map((c) => c.path));
  for (const { path } of checked) {
    for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
      if (filePaths.has(path.slice(0, slash))) {
        throw new LifeboatError('VAULT_BAD_INPUT', `${label}: ${path}: "${path.slice(0, slash)}" is both a file and a folder`);
      }
    }
  }
  return checked;
}

function checkDeclaredSize(entry: CentralEntry, limits: CatalogLimits, totalSoFar: number, refuse: (why: string) => LifeboatError): void {
  const problem = sizeLimitProblem(entry.size, totalSoFar, limits);
  if (problem) {
    throw refuse(problem);
  }
  if (entry.method === METHOD_STORED && entry.compressedSize !== entry.size) {
    throw refuse('it is stored uncompressed but its two sizes differ');
  }
  if (entry.size > limits.ratioFloorBytes && entry.size > entry.compressedSize * limits.maxRatio) {
    const ratio = Math.floor(entry.size / Math.max(1, entry.compressedSize));
    throw refuse(`it compresses ${ratio}:1, over the ${limits.maxRatio}:1 limit for files over ${sizeText(limits.ratioFloorBytes)}`);
  }
}

/** Regular files, owner read-write, group and others read (the mode the entry would be extracted with). */
const FILE_ATTRIBUTES = (S_IFREG | 0o644) * 0x10000;

/**
 * Packs files into a zip, deterministically: sorted by path, fixed time
 * (1980-01-01 00:00), fixed attributes, deflate at level 9 unless storing is
 * smaller. Paths are checked with the reader's rules; duplicates are refused.
 */
export function writeCatalogArchive(files: readonly CatalogFile[]): Uint8Array {
  const encoder = new TextEncoder();
  const seen = new Set<string>();
  for (const { path } of files) {
    const problem = catalogPathProblem(path);
    if (problem) {
      throw new LifeboatError('VAULT_BAD_INPUT', `catalog: ${path}: ${problem}`);
    }
    if (seen.has(path)) {
      throw new LifeboatError('VAULT_BAD_INPUT', `catalog: ${path}: the path appears more than once`);
    }
    seen.add(path);
  }
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const entries = sorted.map(({ path, bytes }): ZipWriteEntry => {
    const deflated = deflateSync(bytes, { level: 9 });
    const store = deflated.length >= bytes.length;
    return {
      nameBytes: encoder.encode(path),
      method: store ? METHOD_STORED : METHOD_DEFLATE,
      data: store ? bytes : deflated,
      crc32: crc32(bytes),
      size: bytes.length,
      externalAttrs: FILE_ATTRIBUTES,
    };
  });
  return encodeZip(entries);
}
