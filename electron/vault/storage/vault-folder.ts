/**
 * The vault folder itself must be private (docs/security.md, "The vault
 * folder"): a folder others can write to is one where they can plant, swap
 * or remove vault files. At init and at every unlock the folder is checked
 * to belong to this user and tightened to 0700.
 *
 * File systems without POSIX modes (FAT and exFAT sticks) accept chmod and
 * change nothing: that is said once per folder and process, and is not an
 * error, because such a stick is a supported place for a vault.
 */
import { chmod, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { LifeboatError } from '../../../shared/errors.js';
import { VAULT_DIR_MODE, vaultIoError } from './atomic-file.js';

const noted = new Set<string>();

export interface FolderCheckOptions {
  /** This process's uid; the OS's unless given (tests). Undefined where there are no uids (Windows). */
  uid?: number | undefined;
  /** chmod; tests pass one that does nothing, as FAT does. */
  chmod?: (dir: string, mode: number) => Promise<void>;
}

/**
 * Checks the folder's owner and makes it 0700. Returns a note to show the
 * person (the file system keeps no modes), the first time only; null otherwise.
 */
export async function secureVaultFolder(dir: string, options: FolderCheckOptions = {}): Promise<string | null> {
  const uid = 'uid' in options ? options.uid : process.getuid?.();
  if (uid === undefined || process.platform === 'win32') {
    return null; // No POSIX owners or modes here: Windows folders are private by their ACLs.
  }
  const info = await statFolder(dir);
  // root may open any folder (it could anyway); anyone else only their own.
  if (uid !== 0 && info.uid !== uid) {
    throw new LifeboatError(
      'VAULT_FORBIDDEN',
      `The vault folder ${dir} belongs to another user (uid ${info.uid}, you are ${uid}): whoever owns it can change the vault's files. Copy the vault into a folder of your own, or open it as its owner.`,
    );
  }
  if ((info.mode & 0o777) === VAULT_DIR_MODE) {
    return null;
  }
  try {
    await (options.chmod ?? chmod)(dir, VAULT_DIR_MODE);
  } catch (error) {
    throw vaultIoError('Could not restrict to its owner (mode 700) the vault folder', dir, error);
  }
  const after = await statFolder(dir);
  if ((after.mode & 0o777) === VAULT_DIR_MODE) {
    return null;
  }
  const key = resolve(dir);
  if (noted.has(key)) {
    return null;
  }
  noted.add(key);
  return `The file system holding ${dir} keeps no file permissions (FAT or exFAT?): anyone with this drive can change the vault's files. Lifeboat detects changes, but keep the drive with you.`;
}

async function statFolder(dir: string): Promise<{ uid: number; mode: number }> {
  try {
    return await stat(dir);
  } catch (error) {
    throw vaultIoError('Could not check the vault folder', dir, error);
  }
}
