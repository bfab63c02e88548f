/**
 * Where an operation writes a file the member chose (sheets, reports, the
 * kit, an audit export) is checked before anything is logged or created:
 * a share set whose sheets cannot be written, or an "exported" event for a
 * report that never reached the disk, would each be a lie.
 */
import { lstat, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { LifeboatError } from '../../shared/errors.js';

/** The folder exists and is a folder (sheets go into it). */
export async function requireOutputFolder(path: string, purpose: string): Promise<void> {
  const info = await stat(path).catch(() => null);
  if (info === null) {
    throw new LifeboatError('VAULT_BAD_INPUT', `The folder ${path} does not exist: create it first (somewhere only you can read). Nothing was changed.`);
  }
  if (!info.isDirectory()) {
    throw new LifeboatError('VAULT_BAD_INPUT', `${path} is not a folder: ${purpose} go into a folder. Nothing was changed.`);
  }
}

/** The file's folder exists and the path is not itself a folder (a report or kit is written there). */
export async function requireFileDestination(path: string): Promise<void> {
  if (path.trim() === '') {
    throw new LifeboatError('VAULT_BAD_INPUT', 'Name the file to write. Nothing was changed.');
  }
  const folder = dirname(resolve(path));
  const parent = await stat(folder).catch(() => null);
  if (parent === null || !parent.isDirectory()) {
    throw new LifeboatError('VAULT_BAD_INPUT', `Cannot write ${path}: the folder ${folder} does not exist. Nothing was changed.`);
  }
  const existing = await stat(path).catch(() => null);
  if (existing?.isDirectory() === true) {
    throw new LifeboatError('VAULT_BAD_INPUT', `${path} is a folder: name a file to write. Nothing was changed.`);
  }
}

/** What a chosen destination must be: a file to write, a folder to write into, or a vault folder to create. */
export type DestinationKind = 'file' | 'folder' | 'new-vault';

export interface ChosenPathRules {
  kind: DestinationKind;
  /** A typed file's name must end in one of these ('.json'): so a report cannot be typed over ~/.bashrc. */
  extensions?: readonly string[];
  /** The open vault's folder: nothing chosen by the window is written inside it. */
  vaultDir?: string | null;
}

function refuse(message: string): never {
  throw new LifeboatError('VAULT_BAD_INPUT', `${message} Nothing was written.`);
}

/** The path with its folder's links resolved (the last part itself is never a link here). */
async function realLocation(path: string): Promise<string> {
  return join(await realpath(dirname(path)), basename(path));
}

function isInside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

/**
 * A destination the window asked for (issue 15): checked in main before
 * anything is logged or written, whoever chose it. Absolute (a relative path
 * would resolve against main's working folder, which the member cannot see),
 * no NUL, an existing folder above it, not a symbolic link (a link sends the
 * write wherever it points), and not inside the open vault's folder (whose
 * files only the engine writes). Returns the normalised path.
 */
export async function checkChosenPath(path: string, rules: ChosenPathRules): Promise<string> {
  if (path.includes('\0')) {
    refuse('The path contains a NUL character.');
  }
  if (!isAbsolute(path)) {
    refuse(`${path} is not a full path: give it from the root (for example /media/usb/…).`);
  }
  const target = resolve(path);
  const folder = dirname(target);
  if ((await stat(folder).catch(() => null))?.isDirectory() !== true) {
    refuse(`Cannot write ${path}: the folder ${folder} does not exist.`);
  }
  const own = await lstat(target).catch(() => null);
  if (own?.isSymbolicLink() === true) {
    refuse(`${path} is a symbolic link: Lifeboat does not write through links, which can point anywhere.`);
  }
  if (rules.kind === 'file' && own?.isDirectory() === true) {
    refuse(`${path} is a folder: name a file to write.`);
  }
  if (rules.kind === 'folder' && own?.isDirectory() !== true) {
    refuse(own ? `${path} is not a folder.` : `The folder ${path} does not exist: create it first (somewhere only you can read).`);
  }
  if (rules.kind === 'new-vault' && own !== null && !own.isDirectory()) {
    refuse(`${path} is a file, not a folder for a vault.`);
  }
  const extensions = rules.extensions ?? [];
  if (extensions.length > 0 && !extensions.some((ext) => target.toLowerCase().endsWith(ext))) {
    refuse(`${path} must end in ${extensions.join(' or ')}.`);
  }
  if (rules.vaultDir) {
    const vault = await realpath(rules.vaultDir).catch(() => resolve(rules.vaultDir ?? ''));
    if (isInside(await realLocation(target), vault)) {
      refuse(`${path} is inside the vault folder ${rules.vaultDir}: only the vault's own files go there.`);
    }
  }
  return target;
}
