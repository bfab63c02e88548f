/**
 * Durable, atomic file writes for a vault folder.
 *
 * - `writeFileAtomic` replaces a file so that, after a crash or a failure,
 *   the target holds either its old bytes or its new bytes, never a mix:
 *   temp file (0600, created exclusively) → write → fsync → close → rename
 *   over the target → fsync the folder.
 * - `appendDurable` appends and fsyncs: once it returns, the bytes are on disk.
 * - `ensureVaultDir` creates the vault folder (0700) and fsyncs its parent.
 *
 * Every failure is a `LifeboatError('VAULT_IO')` whose sentence names the file
 * and says what went wrong in plain words; the errno error is its `cause`.
 * The file-system layer is injectable so tests can make any step fail.
 */
import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { LifeboatError } from '../../../shared/errors.js';
import { APPEND_CREATE_FLAGS, APPEND_FLAGS, O_NOFOLLOW } from './open-flags.js';
import { errnoCode, vaultIoError } from './io-errors.js';
import { readVaultFile } from './vault-files.js';

/** The part of a `node:fs/promises` FileHandle this module uses. */
export interface FileHandleLike {
  write(buffer: Uint8Array, offset: number, length: number, position: number | null): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  close(): Promise<void>;
  stat(): Promise<{ size: number; isFile(): boolean }>;
  truncate(length: number): Promise<void>;
}

/** The part of `node:fs/promises` the vault's file code uses; tests inject a faulty one. */
export interface FileSystem {
  open(path: string, flags: string | number, mode?: number): Promise<FileHandleLike>;
  rename(oldPath: string, newPath: string): Promise<void>;
  unlink(path: string): Promise<void>;
  link(existingPath: string, newPath: string): Promise<void>;
  mkdir(path: string, options: { mode: number }): Promise<unknown>;
  stat(path: string): Promise<{ isDirectory(): boolean }>;
  readFile(path: string): Promise<Uint8Array>;
}

export const nodeFileSystem: FileSystem = {
  open: (path, flags, mode) => nodeFs.open(path, flags, mode),
  rename: (from, to) => nodeFs.rename(from, to),
  unlink: (path) => nodeFs.unlink(path),
  link: (from, to) => nodeFs.link(from, to),
  mkdir: (path, options) => nodeFs.mkdir(path, options),
  stat: (path) => nodeFs.stat(path),
  // Only vault files (the lock) are read through here: no link followed, no FIFO waited on.
  readFile: (path) => readVaultFile(path),
};

/** Files the vault writes are readable by their owner only. */
export const VAULT_FILE_MODE = 0o600;
/** The vault folder is listable by its owner only. */
export const VAULT_DIR_MODE = 0o700;

export { describeIoFailure, errnoCode, vaultIoError } from './io-errors.js';

function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

/** Writes every byte (a single write may be short). */
async function writeAll(handle: FileHandleLike, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, null);
    if (bytesWritten <= 0) {
      throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
    }
    offset += bytesWritten;
  }
}

/**
 * Directory fsync is refused on some platforms (Windows: EPERM or EISDIR;
 * some file systems: EINVAL). There is nothing more durable to do there, so
 * exactly those errors are ignored; any other one is a real failure.
 */
const DIR_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EINVAL']);

/** Makes a folder's entries (a created, renamed or removed name) durable. */
export async function syncDirectory(dir: string, fs: FileSystem = nodeFileSystem): Promise<void> {
  let handle: FileHandleLike;
  try {
    handle = await fs.open(dir, 'r');
  } catch (error) {
    if (DIR_SYNC_UNSUPPORTED.has(errnoCode(error) ?? '')) {
      return;
    }
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    if (!DIR_SYNC_UNSUPPORTED.has(errnoCode(error) ?? '')) {
      throw error;
    }
  } finally {
    await handle.close();
  }
}

async function closeQuietly(handle: FileHandleLike): Promise<void> {
  try {
    await handle.close();
  } catch {
    // Already failing; the original error is the one to report.
  }
}

async function unlinkQuietly(fs: FileSystem, path: string): Promise<void> {
  try {
    await fs.unlink(path);
  } catch {
    // Best effort: the failure being reported matters more than this one.
  }
}

/** A name in the target's folder no other writer will pick: `.NAME.tmp-<pid>-<random>`. */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
}

export interface WriteFileAtomicOptions {
  /** Mode for the new file (before umask); 0o600 unless given. */
  mode?: number;
  fs?: FileSystem;
}

/**
 * Replaces `path` with `data` atomically and durably. On failure the target
 * keeps its previous content and no temp file is left behind — with one
 * exception: if only the final folder fsync fails, the rename has already
 * happened, so the target holds the new content (it may not survive a power
 * cut) and the error still reports the failure.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string, options: WriteFileAtomicOptions = {}): Promise<void> {
  const bytes = toBytes(data);
  await replaceAtomically(path, options, (handle) => writeAll(handle, bytes));
}

/**
 * `writeFileAtomic` for output too large to hold twice: the lines (each
 * followed by a newline) are written in batches of about 1 MiB as the
 * iterable yields them. A LifeboatError the iterable throws is passed on as
 * it is (the target untouched, no temp file left).
 */
export async function writeLinesAtomic(path: string, lines: Iterable<string>, options: WriteFileAtomicOptions = {}): Promise<number> {
  let count = 0;
  await replaceAtomically(path, options, async (handle) => {
    let batch: string[] = [];
    let size = 0;
    for (const line of lines) {
      batch.push(line, '\n');
      size += line.length + 1;
      count++;
      if (size >= 1 << 20) {
        await writeAll(handle, Buffer.from(batch.join(''), 'utf8'));
        batch = [];
        size = 0;
      }
    }
    await writeAll(handle, Buffer.from(batch.join(''), 'utf8'));
  });
  return count;
}

async function replaceAtomically(path: string, options: WriteFileAtomicOptions, write: (handle: FileHandleLike) => Promise<void>): Promise<void> {
  const fs = options.fs ?? nodeFileSystem;
  const mode = options.mode ?? VAULT_FILE_MODE;
  const temp = tempPathFor(path);

  let handle: FileHandleLike;
  try {
    // 'wx': never open an existing file (ours or anyone's) by mistake.
    handle = await fs.open(temp, 'wx', mode);
  } catch (error) {
    throw vaultIoError('Could not save', path, error);
  }

  try {
    try {
      await write(handle);
      await handle.sync();
    } catch (error) {
      await closeQuietly(handle);
      throw error;
    }
    await handle.close();
    await fs.rename(temp, path);
  } catch (error) {
    await unlinkQuietly(fs, temp);
    throw error instanceof LifeboatError ? error : vaultIoError('Could not save', path, error);
  }

  try {
    await syncDirectory(dirname(resolve(path)), fs);
  } catch (error) {
    throw vaultIoError('Could not save', path, error);
  }
}

export interface AppendDurableOptions {
  fs?: FileSystem;
}

/**
 * Appends `line` to `path` (created 0600 if missing) and fsyncs before
 * returning: "returned ⇒ on disk". If the file is new, its folder is fsynced
 * too, so the name survives a crash as well as the bytes. If the write or the
 * fsync fails, the file is truncated back to its previous length (best
 * effort), so a failed append does not leave half a line behind.
 *
 * A symbolic link at `path` is never followed (O_NOFOLLOW), and what is
 * opened must be a regular file: someone who can write to the vault folder
 * must not be able to point an append, or the truncation after a failed
 * one, at a file outside it (docs/security.md, "The vault folder").
 */
export async function appendDurable(path: string, line: string | Uint8Array, options: AppendDurableOptions = {}): Promise<void> {
  const fs = options.fs ?? nodeFileSystem;
  const bytes = toBytes(line);

  let handle: FileHandleLike;
  let created = true;
  try {
    try {
      handle = await fs.open(path, APPEND_CREATE_FLAGS, VAULT_FILE_MODE);
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') {
        throw error;
      }
      created = false;
      handle = await fs.open(path, APPEND_FLAGS, VAULT_FILE_MODE);
    }
  } catch (error) {
    if (O_NOFOLLOW !== 0 && (errnoCode(error) === 'ELOOP' || errnoCode(error) === 'EMLINK')) {
      throw notAppendable(path, 'a symbolic link');
    }
    // A FIFO with no reader, opened without blocking, fails with ENXIO instead of waiting.
    if (errnoCode(error) === 'ENXIO') {
      throw notAppendable(path, 'not a regular file');
    }
    throw vaultIoError('Could not append to', path, error);
  }

  try {
    let previousLength: number | undefined;
    try {
      const info = await handle.stat();
      if (!info.isFile()) {
        throw notAppendable(path, 'not a regular file');
      }
      previousLength = info.size;
      await writeAll(handle, bytes);
      await handle.sync();
    } catch (error) {
      if (previousLength !== undefined) {
        try {
          await handle.truncate(previousLength);
        } catch {
          // Best effort; the append failure is what gets reported.
        }
      }
      await closeQuietly(handle);
      throw error;
    }
    await handle.close();
    if (created) {
      await syncDirectory(dirname(resolve(path)), fs);
    }
  } catch (error) {
    if (error instanceof LifeboatError) {
      throw error;
    }
    throw vaultIoError('Could not append to', path, error);
  }
}

function notAppendable(path: string, what: string): LifeboatError {
  return new LifeboatError(
    'VAULT_TAMPERED',
    `${basename(path)} in the vault folder is ${what}: something was put in its place, and nothing was written to it. Run \`lifeboat doctor\`.`,
  );
}

export interface EnsureVaultDirOptions {
  fs?: FileSystem;
}

/**
 * Creates the vault folder itself (mode 0700; its parent must exist) and
 * fsyncs the parent so the new name is durable. A folder that already exists
 * is accepted as is; anything else already at that name is an error.
 */
export async function ensureVaultDir(path: string, options: EnsureVaultDirOptions = {}): Promise<void> {
  const fs = options.fs ?? nodeFileSystem;
  const action = 'Could not create the folder';
  try {
    await fs.mkdir(path, { mode: VAULT_DIR_MODE });
  } catch (error) {
    if (errnoCode(error) !== 'EEXIST') {
      throw vaultIoError(action, path, error);
    }
    let isDirectory: boolean;
    try {
      isDirectory = (await fs.stat(path)).isDirectory();
    } catch (statError) {
      throw vaultIoError(action, path, statError);
    }
    if (!isDirectory) {
      throw new LifeboatError('VAULT_IO', `${action} ${path}: something that is not a folder already has that name.`, { cause: error });
    }
  }
  try {
    await syncDirectory(dirname(resolve(path)), fs);
  } catch (error) {
    throw vaultIoError(action, path, error);
  }
}

const TEMP_NAME = /^\..+\.tmp-(\d+)-[0-9a-f]+$/;

/**
 * Removes temp files left by writers that died mid-write (their pid is no
 * longer alive). Call with the vault lock held. They never hold committed
 * state, but an old-epoch snapshot among them must not outlive a rekey.
 */
export async function removeStaleTemps(dir: string, isAlive: (pid: number) => boolean): Promise<number> {
  let removed = 0;
  for (const name of await nodeFs.readdir(dir)) {
    const match = TEMP_NAME.exec(name);
    if (match && Number(match[1]) !== process.pid && !isAlive(Number(match[1]))) {
      await nodeFs.rm(join(dir, name), { force: true });
      removed += 1;
    }
  }
  return removed;
}
