/**
 * The next step to suggest for each typed error, shown under its sentence.
 * The same code means something else on the sync screen (issue 19, item 9):
 * a missing `.lbcat` is not a vault folder that should end in .lifeboat, and
 * a catalog whose files fail their hashes is the publisher's or the
 * courier's problem, not one `lifeboat doctor` can fix. So hints are looked
 * up for a context: the sync screen asks for 'catalog' ones first.
 */
import type { ErrorCode } from '../../shared/errors';

const HINTS: Partial<Record<ErrorCode, string>> = {
  VAULT_AUTH_FAILED: 'Check the member name and passphrase. Failed attempts are recorded and shown at the next unlock.',
  VAULT_BUSY: 'Close Lifeboat (or the lifeboat command) that has this vault open, then try again.',
  VAULT_TAMPERED:
    'Do not use this copy for secrets. An owner can check its snapshots below and restore a good one (logged), or run `lifeboat doctor` to inspect it.',
  VAULT_TOO_NEW: 'This vault was saved by a newer Lifeboat. Open it with that version; this one changed nothing.',
  AUDIT_BROKEN: 'The audit log does not match the vault. Keep this copy for investigation and ask an auditor to verify it.',
  VAULT_NOT_FOUND: 'Check the folder path: it should end in .lifeboat and contain header.json.',
  VAULT_EXISTS: 'Pick a new folder, or open the existing vault instead.',
  VAULT_LOCKED: 'Unlock the vault again to continue.',
  VAULT_FORBIDDEN: 'Your role does not allow this. Ask an owner.',
  VAULT_BAD_INPUT: 'Correct the highlighted value and try again.',
  VAULT_IO: 'Check the disk has space and the folder is writable.',
  CATALOG_UNTRUSTED: 'An owner must first trust this publisher’s key, checked against a copy obtained out of band: below, or with lifeboat trust add.',
  CATALOG_ROLLBACK: 'Use the newest catalog. An owner can allow this older one deliberately, below, with a reason; that is logged.',
  CATALOG_PUBLISHER_CHANGED:
    'Check with the publisher who really signs this catalog. If its key really changed, an owner can re-pin it from the command line (lifeboat sync --repin); that is logged.',
  CATALOG_VERSION_JUMP:
    'Ask the publisher to number versions in small steps. An owner can accept a deliberate jump from the command line (--allow-version-jump); that is logged.',
  CATALOG_ID_REQUIRED: 'Give this folder a catalog id of its own (for example the repository’s name): it is remembered for this folder.',
  CATALOG_ARCHIVE_UNCONFIRMED: 'Check the folder or file is the right one. If those records really left the catalog, tick the confirmation and apply again.',
  CATALOG_ADOPTION_REQUIRED:
    'Tick “Adopt them” if this signed catalog should take over those records (owners; logged), or ask the publisher for another catalog id.',
  SESSION_ENDED: 'This session has ended and its evidence is frozen. Start a new session to record more.',
  SHARE_INVALID: 'Compare the group named with the printed sheet, character by character. Shares use 0–9 and A–Z without I, L, O and U.',
  SHARE_REJECTED:
    'Check the sheet is for this vault and its current set (the set id is printed on it). A sheet from a rotated or revoked set opens nothing: destroy it.',
  TWO_PERSON_REQUIRED: 'Ask another member (not an auditor) to type their own passphrase here to confirm. Both names go into the audit log.',
  CLIPBOARD_UNAVAILABLE: 'Reveal the value instead and select it by hand; on Linux, installing wl-clipboard, xclip or xsel gives the window a clipboard.',
  CLIPBOARD_FAILED: 'The copy is in the audit log. Reveal the value and select it by hand, or check that the desktop’s clipboard tool works.',
  DESTINATION_NOT_CHOSEN: 'Choose where to write again: the desktop app writes files only where its own file dialog chose, once, within a minute.',
  CATALOG_INVALID: 'Fix every problem listed below in the source repository and publish a new version. Nothing was changed.',
};

/** Where an error was met: the vault (opening it, its records) or a catalog being synced. */
export type HintContext = 'vault' | 'catalog';

/** The vault codes a catalog's reading reuses, in the sync screen's words. */
const CATALOG_HINTS: Partial<Record<ErrorCode, string>> = {
  VAULT_NOT_FOUND:
    'Check the path: a catalog is the .lbcat file its publisher sent (often on removable media), or, for owners, a folder of runbooks synced unsigned.',
  VAULT_TAMPERED:
    'This catalog file was altered after it was signed, or damaged on the way: the vault was not changed. Ask the publisher for a fresh copy and compare its key id with theirs.',
  VAULT_BAD_INPUT:
    'This file is not a catalog Lifeboat can read, or the path named is wrong. Nothing was changed; ask the publisher for the .lbcat they published.',
  VAULT_FORBIDDEN: 'Syncing needs a member who may write records; folders and older versions need an owner. Ask an owner.',
  VAULT_IO: 'The catalog could not be read, or the vault not written: check the media is still mounted and the disk has space. Nothing was changed.',
};

export function hintFor(code: ErrorCode, context: HintContext = 'vault'): string | undefined {
  return (context === 'catalog' ? CATALOG_HINTS[code] : undefined) ?? HINTS[code];
}
