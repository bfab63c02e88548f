/**
 * A docs-as-code folder read as catalog files: what `packCatalog` signs and
 * what an `--unsigned` sync reads directly, under the same limits as a zip.
 *
 * Dotfiles and dot-folders are skipped, as is anything that is not
 * .yaml/.yml/.md/.markdown or an image (catalog-images.ts: read when within
 * its size limit, else listed as oversized, unread, for a warning); symbolic
 * links anywhere inside are refused (the
 * folder itself may be reached through one). Paths are relative to the
 * folder, with forward slashes, sorted. Refusals name the file:
 * "<folder>: <path>: <why>".
 */
import { constants } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LifeboatError } from '../../shared/errors.js';
import { errnoCode, vaultIoError } from '../vault/storage/atomic-file.js';
import { IMAGE_LIMITS, isImagePath } from './catalog-images.js';
import { CATALOG_LIMITS, catalogPathProblem, sizeText, type CatalogFile, type CatalogLimits } from './catalog-archive.js';

/** Not defined on Windows, where there is no way to refuse a link at open. */
const O_NOFOLLOW = (constants as Partial<typeof constants>).O_NOFOLLOW ?? 0;

// .ics: on-call schedules; .pagerduty.json: a PagerDuty export (other .json files are not read).
export const CATALOG_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.md', '.markdown', '.ics', '.pagerduty.json'];

export function isCatalogFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return !name.startsWith('.') && CATALOG_EXTENSIONS.some((ext) => lower.endsWith(ext) && lower.length > ext.length);
}

/**
 * The catalog files under `srcDir`, sorted by path. `reserved` entries are
 * counted against the entry limit (a packed catalog adds its manifest and
 * signature).
 */
export async function listCatalogFolder(srcDir: string, limits: CatalogLimits = CATALOG_LIMITS, reserved = 0): Promise<CatalogFile[]> {
  return (await readCatalogFolder(srcDir, limits, reserved)).files;
}

export interface CatalogFolder {
  files: CatalogFile[];
  /** Paths of the regular files of other types (not read), sorted; hidden ones are not listed. */
  others: string[];
  /** Image files over IMAGE_LIMITS.fileBytes (not read), sorted: a pack or sync warns about each if a page shows it. */
  oversized: { path: string; size: number }[];
}

/** The catalog files under `srcDir`, and the names of the other files, which a pack or sync lists as skipped. */
export async function readCatalogFolder(srcDir: string, limits: CatalogLimits = CATALOG_LIMITS, reserved = 0): Promise<CatalogFolder> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(srcDir)).isDirectory();
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') {
      throw new LifeboatError('VAULT_NOT_FOUND', `${srcDir}: there is no such folder.`, { cause: error });
    }
    throw vaultIoError('Could not read', srcDir, error);
  }
  if (!isDirectory) {
    throw new LifeboatError('VAULT_BAD_INPUT', `${srcDir}: this is not a folder.`);
  }
  const state: WalkState = { files: [], others: [], oversized: [], total: 0 };
  await walk(srcDir, '', limits, reserved, state);
  const byPath = <T extends { path: string }>(a: T, b: T): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return { files: state.files.sort(byPath), others: state.others.sort(), oversized: state.oversized.sort(byPath) };
}

interface WalkState {
  files: CatalogFile[];
  others: string[];
  oversized: { path: string; size: number }[];
  total: number;
}

/** The same files as a Map path → bytes, the shape `readCatalogArchive` returns. */
export async function unpackedFolderFiles(srcDir: string, limits: CatalogLimits = CATALOG_LIMITS): Promise<Map<string, Uint8Array>> {
  const files = await listCatalogFolder(srcDir, limits);
  return new Map(files.map((f) => [f.path, f.bytes]));
}

async function walk(root: string, relDir: string, limits: CatalogLimits, reserved: number, state: WalkState): Promise<void> {
  const dir = relDir === '' ? root : join(root, relDir);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw vaultIoError('Could not read', dir, error);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) {
      continue;
    }
    const rel = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
    const refuse = (why: string): LifeboatError => new LifeboatError('VAULT_BAD_INPUT', `${root}: ${rel}: ${why}`);
    if (entry.isSymbolicLink()) {
      throw refuse('it is a symbolic link; a catalog folder holds regular files and folders only');
    }
    if (entry.isDirectory()) {
      await walk(root, rel, limits, reserved, state);
      continue;
    }
    const image = isImagePath(entry.name) && !entry.name.startsWith('.');
    if (!isCatalogFileName(entry.name) && !image) {
      if (entry.isFile()) {
        state.others.push(rel);
      }
      continue;
    }
    if (!entry.isFile()) {
      throw refuse('it is not a regular file');
    }
    const problem = catalogPathProblem(rel);
    if (problem) {
      throw refuse(problem);
    }
    if (state.files.length + 1 + reserved > limits.entries) {
      throw refuse(`the folder holds more than ${limits.entries - reserved} catalog files, the limit`);
    }
    if (image) {
      const size = await sizeOf(join(root, rel));
      if (size > IMAGE_LIMITS.fileBytes) {
        state.oversized.push({ path: rel, size });
        continue;
      }
    }
    const bytes = await readRegularFile(join(root, rel), limits.fileBytes, refuse);
    state.total += bytes.length;
    if (state.total > limits.totalBytes) {
      throw refuse(`it brings the catalog to ${state.total} bytes, over the ${sizeText(limits.totalBytes)} total limit`);
    }
    state.files.push({ path: rel, bytes });
  }
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    throw vaultIoError('Could not read', path, error);
  }
}

/**
 * Opens without following a link (a file swapped for a link after the
 * listing is refused by the OS where O_NOFOLLOW exists), checks it is a
 * regular file within the size limit, and reads it.
 */
async function readRegularFile(path: string, maxBytes: number, refuse: (why: string) => LifeboatError): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | O_NOFOLLOW);
  } catch (error) {
    if (errnoCode(error) === 'ELOOP') {
      throw refuse('it is a symbolic link; a catalog folder holds regular files and folders only');
    }
    throw vaultIoError('Could not read', path, error);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      throw refuse('it is not a regular file');
    }
    if (info.size > maxBytes) {
      throw refuse(`it is ${info.size} bytes, over the ${sizeText(maxBytes)} per-file limit`);
    }
    const bytes = await handle.readFile();
    if (bytes.length > maxBytes) {
      throw refuse(`it is ${bytes.length} bytes, over the ${sizeText(maxBytes)} per-file limit`);
    }
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (error) {
    if (error instanceof LifeboatError) {
      throw error;
    }
    throw vaultIoError('Could not read', path, error);
  } finally {
    await handle.close();
  }
}
