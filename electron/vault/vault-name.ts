/**
 * A vault's name, shown on the unlock screen and in the window's header
 * (issue 19, "Who am I"). Given at `init --name` or in the create form;
 * else the folder's name without `.lifeboat`: never the owner's name, which
 * made a CLI-made vault read "alice  alice · owner".
 */
import { basename, resolve } from 'node:path';
import { LifeboatError } from '../../shared/errors.js';

/** Longer names are refused rather than cut: the header is signed as written. */
export const VAULT_NAME_MAX = 120;
const FALLBACK = 'Lifeboat vault';

/** The folder's name: `/media/usb/ops.lifeboat` → `ops`; a folder named only `.lifeboat` → "Lifeboat vault". */
export function defaultVaultName(dir: string): string {
  // A folder name may hold a line break or tab: the name shown never does.
  const folder = basename(resolve(dir))
    .replace(/\.lifeboat$/i, '')
    .replace(/\p{Cc}+/gu, ' ')
    .trim();
  return folder === '' ? FALLBACK : folder.slice(0, VAULT_NAME_MAX);
}

/** The name given (trimmed), else the folder's; a name with control characters or too long is refused, naming the field. */
export function vaultNameFor(dir: string, given: string | undefined): string {
  const name = given?.trim() ?? '';
  if (name === '') {
    return defaultVaultName(dir);
  }
  if (/\p{Cc}/u.test(name)) {
    throw new LifeboatError('VAULT_BAD_INPUT', 'The vault name contains a control character (a line break or tab): give it on one line.');
  }
  if (name.length > VAULT_NAME_MAX) {
    throw new LifeboatError('VAULT_BAD_INPUT', `The vault name is ${name.length} characters long: at most ${VAULT_NAME_MAX}.`);
  }
  return name;
}
