/**
 * Files named on the command line that the engine takes as bytes (a signed
 * catalog for `catalog verify` and `sync`). A file that cannot be read is
 * VAULT_NOT_FOUND, naming it.
 */
import { readFile } from 'node:fs/promises';
import { LifeboatError } from '../../shared/errors.js';

export async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch {
    throw new LifeboatError('VAULT_NOT_FOUND', `Could not read ${path}.`);
  }
}
