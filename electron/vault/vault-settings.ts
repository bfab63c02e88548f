/**
 * Vault-wide settings kept in the encrypted database: how long an unlocked
 * vault may sit idle before it locks itself (the UI shows the countdown;
 * main enforces it as well, see ipc/vault-handlers.ts), and how often
 * runbooks must be reviewed before the readiness review flags them.
 */
import { LifeboatError } from '../../shared/errors.js';
import { DEFAULT_STALE_DAYS } from '../../shared/recovery-kinds.js';
import type { VaultSession } from './vault-session.js';

export const DEFAULT_AUTO_LOCK_MINUTES = 5;
const AUTO_LOCK_KEY = 'autoLockMinutes';
const REVIEW_DAYS_KEY = 'runbookReviewDays';
const ONCALL_WARNING_DAYS_KEY = 'onCallExportWarningDays';
/** The readiness review warns this many days before an on-call schedule export ends (issue 23). */
export const DEFAULT_ONCALL_WARNING_DAYS = 7;

export interface VaultSettings {
  autoLockMinutes: number;
  /** A runbook not reviewed for longer is a readiness finding (docs/recovery.md). */
  reviewDays: number;
  /** An on-call schedule export ending within this many days is a readiness finding (docs/recovery.md). */
  onCallWarningDays: number;
}

export function readSettings(session: VaultSession): VaultSettings {
  session.assertOpen();
  const raw = session.internals().store?.getMeta(AUTO_LOCK_KEY);
  const minutes = raw === undefined ? DEFAULT_AUTO_LOCK_MINUTES : Number(raw);
  const rawDays = session.internals().store?.getMeta(REVIEW_DAYS_KEY);
  const days = rawDays === undefined ? DEFAULT_STALE_DAYS : Number(rawDays);
  const rawOnCall = session.internals().store?.getMeta(ONCALL_WARNING_DAYS_KEY);
  const onCall = rawOnCall === undefined ? DEFAULT_ONCALL_WARNING_DAYS : Number(rawOnCall);
  return {
    autoLockMinutes: Number.isInteger(minutes) && minutes >= 1 ? minutes : DEFAULT_AUTO_LOCK_MINUTES,
    reviewDays: Number.isInteger(days) && days >= 1 ? days : DEFAULT_STALE_DAYS,
    onCallWarningDays: Number.isInteger(onCall) && onCall >= 0 && onCall <= 365 ? onCall : DEFAULT_ONCALL_WARNING_DAYS,
  };
}

/** An owner's setting: how many days before an on-call schedule export ends the readiness review says so (0: once ended). */
export async function setOnCallWarningDays(session: VaultSession, days: number): Promise<VaultSettings> {
  session.require('members.manage');
  if (!Number.isInteger(days) || days < 0 || days > 365) {
    throw new LifeboatError('VAULT_BAD_INPUT', 'The on-call export warning must be between 0 and 365 days.');
  }
  await session.log({ type: 'vault.settings-changed', details: { onCallExportWarningDays: days } });
  session.store().setMeta(ONCALL_WARNING_DAYS_KEY, String(days));
  await session.commit();
  return readSettings(session);
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

export async function setReviewDays(session: VaultSession, days: number): Promise<VaultSettings> {
  session.require('members.manage');
  if (!Number.isInteger(days) || days < 1 || days > 3650) {
    throw new LifeboatError('VAULT_BAD_INPUT', 'The runbook review interval must be between 1 and 3650 days.');
  }
  const store = session.internals().store;
  if (!store) {
    throw new LifeboatError('VAULT_FORBIDDEN', 'An auditor cannot change settings.');
  }
  await session.log({ type: 'vault.settings-changed', details: { runbookReviewDays: days } });
  store.setMeta(REVIEW_DAYS_KEY, String(days));
  await session.commit();
  return readSettings(session);
}

const EXPIRY_WARNING_DAYS_KEY = 'secretExpiryWarningDays';
/** The readiness review warns this many days before a secret's `expires` date (docs/recovery.md). */
export const DEFAULT_EXPIRY_WARNING_DAYS = 30;

export function readExpiryWarningDays(session: VaultSession): number {
  session.assertOpen();
  const raw = session.internals().store?.getMeta(EXPIRY_WARNING_DAYS_KEY);
  const days = raw === undefined ? DEFAULT_EXPIRY_WARNING_DAYS : Number(raw);
  return Number.isInteger(days) && days >= 0 && days <= 3650 ? days : DEFAULT_EXPIRY_WARNING_DAYS;
}

/** An owner's setting: how many days ahead "expiring soon" starts. */
export async function setExpiryWarningDays(session: VaultSession, days: number): Promise<number> {
  session.require('members.manage');
  if (!Number.isInteger(days) || days < 0 || days > 3650) {
    throw new LifeboatError('VAULT_BAD_INPUT', 'The expiry warning must be between 0 and 3650 days.');
  }
  const store = session.store();
  await session.log({ type: 'vault.settings-changed', details: { secretExpiryWarningDays: days } });
  store.setMeta(EXPIRY_WARNING_DAYS_KEY, String(days));
  await session.commit();
  return days;
}
