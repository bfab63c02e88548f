/**
 * Where an operation writes a file the member chose (sheets, reports, the
 * kit, an audit export) is checked before anything is logged or created:
 * a share set whose sheets cannot be written, or an "exported" event for a
 * report that never reached the disk, would each be a lie.
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
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
