/**
 * Keeping secrets current (issue 21, "Expiry and rotation"): what the window
 * and the CLI both do to a secret's rotation state. Each action is logged
 * first; the incident rotation checklist (recovery/secret-rotation.ts) and
 * the readiness review (recovery/secret-expiry.ts) read those events.
 */
import { LifeboatError } from '../../shared/errors.js';
import { SEALED_FIELDS } from '../../shared/record-kinds.js';
import { requirePlainLine } from '../../shared/terminal-text.js';
import type { Finding } from '../../shared/recovery.js';
import { eventsForEvidence } from '../vault/audit/vault-audit.js';
import { editRecord as engineEdit } from '../vault/records/vault-records.js';
import { readExpiryWarningDays } from '../vault/vault-settings.js';
export { setExpiryWarningDays } from '../vault/vault-settings.js';
import type { VaultSession } from '../vault/vault-session.js';
import { secretAttentionSummary, secretDatesOf, secretExpiryFindings } from '../recovery/secret-expiry.js';

const today = (now: Date): string => now.toISOString().slice(0, 10);

/**
 * `lastRotated` follows every new sealed value: a create or edit that sets a
 * sealed field (a new password, a new seed) stamps today, unless the person
 * gave a date themselves (a secret rotated earlier, entered now).
 */
export function stampRotation(data: Record<string, unknown>, now: Date): Record<string, unknown> {
  const newSealed = SEALED_FIELDS.some((field) => typeof data[field] === 'string' && data[field] !== '');
  if (!newSealed || (typeof data['lastRotated'] === 'string' && data['lastRotated'] !== '')) {
    return data;
  }
  return { ...data, lastRotated: today(now) };
}

function requireSecret(session: VaultSession, id: string): { title: string } {
  const record = session.store().get(id);
  if (!record || record.deleted) {
    throw new LifeboatError('VAULT_NOT_FOUND', `No record with id ${id}.`);
  }
  if (record.type !== 'secret') {
    throw new LifeboatError('VAULT_BAD_INPUT', `${record.title} is a ${record.type}, not a secret.`);
  }
  return { title: record.title };
}

function cleanNote(note: string | undefined): string | undefined {
  const trimmed = note?.trim();
  if (trimmed === undefined || trimmed === '') {
    return undefined;
  }
  requirePlainLine(trimmed, 'A note');
  return trimmed.slice(0, 500);
}

export interface UpkeepResult {
  id: string;
  title: string;
  at: string;
}

/**
 * "Mark rotated": the secret was changed at its source (a new password set
 * on the account, a new seed enrolled). Logged as `secret.rotated` (which
 * ticks any incident's rotation checklist), then `lastRotated` is set to
 * today. Owners and commanders, as for a session's rotation.
 */
export async function markSecretRotated(session: VaultSession, id: string, options: { note?: string; now?: Date } = {}): Promise<UpkeepResult> {
  session.require('sessions.lead');
  const { title } = requireSecret(session, id);
  const note = cleanNote(options.note);
  const now = options.now ?? new Date();
  await session.log({ type: 'secret.rotated', recordId: id, recordTitle: title, ...(note ? { details: { note } } : {}) });
  await engineEdit(session, id, { set: { lastRotated: today(now) } });
  return { id, title, at: now.toISOString() };
}

/**
 * "Confirm disabled": an emergency account (disableAfterUse) that was used
 * has been disabled again at its source. Logged; the readiness finding
 * clears until the next use.
 */
export async function confirmSecretDisabled(session: VaultSession, id: string, options: { note?: string; now?: Date } = {}): Promise<UpkeepResult> {
  session.require('sessions.lead');
  const { title } = requireSecret(session, id);
  const note = cleanNote(options.note);
  await session.log({ type: 'secret.disabled-confirmed', recordId: id, recordTitle: title, ...(note ? { details: { note } } : {}) });
  await session.commit();
  return { id, title, at: (options.now ?? new Date()).toISOString() };
}

export interface SecretAttention {
  /** One line for the home screen, or null when no secret needs anything. */
  summary: string | null;
  findings: Finding[];
  warningDays: number;
}

/**
 * What needs doing about secrets, for the home screen right after unlock:
 * the expiry and rotation findings (never values) and their one-line
 * summary. Reads record metadata and the log's events, no sealed value.
 */
export function secretAttention(session: VaultSession, now: Date = new Date()): SecretAttention {
  session.require('records.read');
  const records = session
    .store()
    .all()
    .filter((r) => !r.deleted && r.data['archived'] !== true);
  const secrets = secretDatesOf(records);
  const warningDays = readExpiryWarningDays(session);
  const findings = secretExpiryFindings(secrets, eventsForEvidence(session), now, warningDays);
  return { summary: secretAttentionSummary(findings, secrets), findings, warningDays };
}
