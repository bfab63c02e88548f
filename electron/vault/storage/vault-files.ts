/**
 * Opening a file inside a vault folder when someone may have written to that
 * folder (docs/security.md, "The vault folder"): a symbolic link must not
 * lead a read, an append or a truncation outside the folder, and a FIFO or
 * device named like a vault file must not hang or feed an unlock.
 *
 * Every open here adds O_NOFOLLOW (where the OS has it: a link in the final
 * component fails with ELOOP) and O_NONBLOCK (opening a FIFO for reading
 * would otherwise wait for a writer forever; on a regular file it changes
 * nothing), then checks with fstat that what was opened is a regular file.
 * Both refusals are VAULT_TAMPERED naming the file.
 */
import { closeSync, fstatSync, openSync, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { LifeboatError } from '../../../shared/errors.js';
import { errnoCode, vaultIoError } from './io-errors.js';
import { O_NOFOLLOW, READ_FLAGS } from './open-flags.js';

export { APPEND_CREATE_FLAGS, APPEND_FLAGS, O_NOFOLLOW, READ_FLAGS, READ_WRITE_FLAGS } from './open-flags.js';

/**
 * Files an operating system or file manager drops into any folder it shows
 * (macOS, Windows). They are neither read nor removed, and never mistaken
 * for vault files.
 */
const OS_LITTER = new Set(['.DS_Store', '.Trashes', '.Spotlight-V100', '.fseventsd', 'System Volume Information', 'desktop.ini', 'Thumbs.db', '$RECYCLE.BIN']);

export function isOsLitter(name: string): boolean {
  return OS_LITTER.has(name) || name.startsWith('._');
}

export function notRegularError(path: string, what: string): LifeboatError {
  return new LifeboatError(
    'VAULT_TAMPERED',
    `${basename(path)} in the vault folder is ${what}, not a regular file: something was put in its place. Run \`lifeboat doctor\`.`,
  );
}

function describeKind(info: Stats): string {
  if (info.isFIFO()) {
    return 'a named pipe (FIFO)';
  }
  if (info.isDirectory()) {
    return 'a folder';
  }
  if (info.isSymbolicLink()) {
    return 'a symbolic link';
  }
  if (info.isSocket()) {
    return 'a socket';
  }
  return 'a device';
}

/** The error for a failed open: a link refused by O_NOFOLLOW is tampering, the rest is I/O. */
function openError(path: string, action: string, error: unknown): unknown {
  const code = errnoCode(error);
  // Linux and macOS say ELOOP; FreeBSD says EMLINK.
  if (O_NOFOLLOW !== 0 && (code === 'ELOOP' || code === 'EMLINK')) {
    return notRegularError(path, 'a symbolic link');
  }
  if (code === 'ENOENT') {
    return error;
  }
  return vaultIoError(action, path, error);
}

/**
 * Opens a vault file without following a link and checks it is a regular
 * file. ENOENT is rethrown as Node's own error (callers decide what a
 * missing file means); anything else not readable is VAULT_IO.
 */
export async function openVaultFile(path: string, flags: number = READ_FLAGS, mode?: number): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, flags, mode);
  } catch (error) {
    throw openError(path, 'Could not open', error);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      throw notRegularError(path, describeKind(info));
    }
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** The same, for the synchronous frame-by-frame snapshot reader. */
export function openVaultFileSync(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch (error) {
    throw openError(path, 'Could not open', error);
  }
  const info = fstatSync(fd);
  if (!info.isFile()) {
    closeSync(fd);
    throw notRegularError(path, describeKind(info));
  }
  return fd;
}

/** A vault file's bytes, read through openVaultFile. */
export async function readVaultFile(path: string): Promise<Buffer> {
  const handle = await openVaultFile(path);
  try {
    return await handle.readFile();
  } catch (error) {
    throw vaultIoError('Could not read', path, error);
  } finally {
    await handle.close();
  }
}

export async function readVaultText(path: string): Promise<string> {
  return (await readVaultFile(path)).toString('utf8');
}
