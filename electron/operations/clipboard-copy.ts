/**
 * Copying, as both hosts' windows do it (issue 19, item 3): to the system
 * clipboard in main, cleared after CLIPBOARD_CLEAR_SECONDS if it still holds
 * what we put there. Where there is no clipboard the copy is refused before
 * anything is unsealed or logged.
 */
import type { VaultSession } from '../vault/vault-session.js';
import { copyField, type SecondPerson } from './records.js';
import { CLIPBOARD_CLEAR_SECONDS, copyWithExpiry, requireClipboard, type VaultClipboard } from './secret-clipboard.js';

export interface Copied {
  clearsInSeconds: number;
}

type Schedule = Parameters<typeof copyWithExpiry>[2];

/** A sealed field to the clipboard: refused first if there is none, then logged as "secret.copied", then copied. */
export async function copySecretField(
  clipboard: VaultClipboard,
  session: VaultSession,
  request: { id: string; field: string; reason: string; second?: SecondPerson },
  schedule?: Schedule,
): Promise<Copied> {
  requireClipboard(clipboard);
  const value = await copyField(session, request.id, request.field, request.reason, request.second);
  await copyWithExpiry(clipboard, value, schedule);
  return { clearsInSeconds: CLIPBOARD_CLEAR_SECONDS };
}

/** Text that is not secret (a phone number, a command): not logged, cleared like a secret all the same. */
export async function copyPlainText(clipboard: VaultClipboard, text: string, schedule?: Schedule): Promise<Copied> {
  requireClipboard(clipboard);
  await copyWithExpiry(clipboard, text, schedule);
  return { clearsInSeconds: CLIPBOARD_CLEAR_SECONDS };
}
