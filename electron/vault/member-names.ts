/** What a member name and a passphrase must be, for every path that sets one (init, add member, passwd). */
import { LifeboatError } from '../../shared/errors.js';

export function validateMemberName(name: string): string {
  const trimmed = name.trim();
  if (!/^[\p{L}\p{N}][\p{L}\p{N} ._@-]{0,63}$/u.test(trimmed)) {
    throw new LifeboatError('VAULT_BAD_INPUT', `"${name}" is not a usable member name: use letters, digits, spaces, . _ @ - (at most 64).`);
  }
  return trimmed;
}

export function validatePassphrase(passphrase: string): void {
  if (passphrase.length < 8) {
    throw new LifeboatError('VAULT_BAD_INPUT', 'The passphrase is too short: use at least 8 characters (a few random words is best).');
  }
}
