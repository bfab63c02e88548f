/**
 * Vault-wide settings kept in the encrypted database. For now: how long an
 * unlocked vault may sit idle before it locks itself (the UI shows the
 * countdown; main enforces it as well, see ipc/vault-handlers.ts).
 */
import { LifeboatError } from '../../shared/errors.js';
import type { VaultSession } from './vault-session.js';

export const DEFAULT_AUTO_LOCK_MINUTES = 5;
const AUTO_LOCK_KEY = 'autoLockMinutes';

export interface VaultSettings {
  autoLockMinutes: number;
}

export function readSettings(session: VaultSession): VaultSettings {
  session.assertOpen();
  const raw = session.internals().store?.getMeta(AUTO_LOCK_KEY);
  const minutes = raw === undefined ? DEFAULT_AUTO_LOCK_MINUTES : Number(raw);
  return { autoLockMinutes: Number.isInteger(minutes) && minutes >= 1 ? minutes : DEFAULT_AUTO_LOCK_MINUTES };
}

export async function setAutoLockMinutes(session: VaultSession, minutes: number): Promise<VaultSettings> {
  session.require('members.manage');
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 120) {
    throw new LifeboatError('VAULT_BAD_INPUT', 'Auto-lock must be between 1 and 120 minutes.');
  }
  const store = session.internals().store;
  if (!store) {
    throw new LifeboatError('VAULT_FORBIDDEN', 'An auditor cannot change settings.');
  }
  await session.log({ type: 'vault.settings-changed', details: { autoLockMinutes: minutes } });
  store.setMeta(AUTO_LOCK_KEY, String(minutes));
  await session.commit();
  return readSettings(session);
}
