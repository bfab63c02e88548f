/**
 * File-system failures as VAULT_IO errors whose sentence names the file and
 * says what went wrong in plain words; the errno error is the cause.
 */
import { LifeboatError } from '../../../shared/errors.js';

/** The errno code of a Node file-system error, if it has one. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const { code } = error;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** The cause of a file-system failure, in words a person can act on. */
export function describeIoFailure(error: unknown): string {
  const code = errnoCode(error);
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full';
    case 'EROFS':
    case 'EACCES':
    case 'EPERM':
      return 'the folder is read-only or not writable';
    case 'ENOENT':
      return 'a folder in its path does not exist';
    case undefined:
      return 'an unexpected error occurred';
    default:
      return `the file system reported ${code}`;
  }
}

/** A VAULT_IO error: "<action> <path>: <cause in plain words>." */
export function vaultIoError(action: string, path: string, error: unknown): LifeboatError {
  return new LifeboatError('VAULT_IO', `${action} ${path}: ${describeIoFailure(error)}.`, { cause: error });
}
