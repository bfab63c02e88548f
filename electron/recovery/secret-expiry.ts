/**
 * Expiry and rotation of secrets (issue 21; docs/recovery.md, "Secrets:
 * expiry and rotation"): readiness findings from each secret's
 * `rotateEveryDays`, `expires`, `lastRotated` and `disableAfterUse`, and from
 * the audit log, which says when a secret was last rotated (an explicit
 * `secret.rotated`, or an edit that stored a new sealed value) and when an
 * emergency account was last used (a reveal, a copy or a one-time code) and
 * confirmed disabled again (`secret.disabled-confirmed`).
 *
 * A pure function of its inputs, so the rules are tested on a clock the test
 * controls (`now`).
 */
import { SEALED_FIELDS } from '../../shared/record-kinds.js';
import type { Finding } from '../../shared/recovery.js';
import type { AuditEntry } from '../vault/audit/vault-audit.js';
import type { StoredRecord } from '../vault/records/record-store.js';
import { procedureLists } from '../vault/records/two-person.js';
import { DEFAULT_EXPIRY_WARNING_DAYS } from '../vault/vault-settings.js';

const DAY_MS = 86_400_000;

export interface SecretDates {
  id: string;
  title: string;
  createdAt: string;
  rotateEveryDays?: number | undefined;
  /** YYYY-MM-DD: the last day it is valid. */
  expires?: string | undefined;
  /** YYYY-MM-DD or ISO time. */
  lastRotated?: string | undefined;
  disableAfterUse: boolean;
  /** Listed by a break-glass procedure: counted as a break-glass credential in the home summary. */
  breakGlass: boolean;
}

const USES = new Set(['secret.revealed', 'secret.copied', 'code.generated']);

function storedNewSealedValue(entry: AuditEntry): boolean {
  const fields = entry.event.details?.['fields'];
  return entry.event.type === 'record.edited' && typeof fields === 'string' && fields.split(',').some((f) => (SEALED_FIELDS as readonly string[]).includes(f));
}

/** The later of two times (ISO strings or dates compare as text once both are ISO). */
function later(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) {
    return b;
  }
  if (b === undefined) {
    return a;
  }
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

/** When the secret was last rotated: its field, the log's rotations, or (never rotated) when it was made. */
export function lastRotation(secret: SecretDates, entries: readonly AuditEntry[]): string {
  let newest = secret.lastRotated;
  for (const entry of entries) {
    if (entry.event.recordId === secret.id && (entry.event.type === 'secret.rotated' || storedNewSealedValue(entry))) {
      newest = later(newest, entry.time);
    }
  }
  return newest ?? secret.createdAt;
}

/** The last use of an emergency account not followed by a confirmation that it was disabled again. */
export function unconfirmedUse(secretId: string, entries: readonly AuditEntry[]): AuditEntry | undefined {
  let lastUse: AuditEntry | undefined;
  for (const entry of entries) {
    if (entry.event.recordId !== secretId) {
      continue;
    }
    if (USES.has(entry.event.type)) {
      lastUse = entry;
    } else if (entry.event.type === 'secret.disabled-confirmed') {
      lastUse = undefined;
    }
  }
  return lastUse;
}

function wholeDays(fromMs: number, toMs: number): number {
  return Math.floor((toMs - fromMs) / DAY_MS);
}

/** The vault-wide findings about each secret's dates and use. */
export function secretExpiryFindings(
  secrets: readonly SecretDates[],
  entries: readonly AuditEntry[],
  now: Date,
  warningDays: number = DEFAULT_EXPIRY_WARNING_DAYS,
): Finding[] {
  const findings: Finding[] = [];
  const nowMs = now.getTime();
  for (const secret of secrets) {
    const what = `${secret.breakGlass ? 'The break-glass credential' : 'The secret'} "${secret.title}"`;
    if (secret.expires !== undefined) {
      // Valid through the whole of its last day, in UTC.
      const endMs = Date.parse(`${secret.expires.slice(0, 10)}T23:59:59.999Z`);
      if (nowMs > endMs) {
        findings.push({
          rule: 'secret-expired',
          severity: 'critical',
          message: `${what} expired on ${secret.expires.slice(0, 10)}: renew it and record the new value.`,
          recordId: secret.id,
        });
      } else if (wholeDays(nowMs, endMs) < warningDays) {
        const days = wholeDays(nowMs, endMs);
        findings.push({
          rule: 'secret-expiring',
          severity: 'medium',
          message: `${what} expires on ${secret.expires.slice(0, 10)}, ${days === 0 ? 'today' : `in ${days} day${days === 1 ? '' : 's'}`}.`,
          recordId: secret.id,
        });
      }
    }
    if (secret.rotateEveryDays !== undefined) {
      const rotated = lastRotation(secret, entries);
      const age = wholeDays(Date.parse(rotated), nowMs);
      if (age > secret.rotateEveryDays) {
        findings.push({
          rule: 'secret-rotation-overdue',
          severity: 'high',
          message: `${what} was last rotated ${rotated.slice(0, 10)}, ${age} days ago; it is to be rotated every ${secret.rotateEveryDays} days.`,
          recordId: secret.id,
        });
      }
    }
    if (secret.disableAfterUse) {
      const use = unconfirmedUse(secret.id, entries);
      if (use) {
        const how =
          use.event.type === 'code.generated' ? 'a one-time code was generated' : use.event.type === 'secret.copied' ? 'it was copied' : 'it was revealed';
        findings.push({
          rule: 'emergency-account-not-disabled',
          severity: 'critical',
          message: `${what} is an emergency account: ${how} on ${use.time.slice(0, 10)} by ${use.event.actor}, and nobody has confirmed it was disabled again.`,
          recordId: secret.id,
        });
      }
    }
  }
  return findings;
}

const SUMMARY_RULES = ['secret-expired', 'secret-rotation-overdue', 'emergency-account-not-disabled', 'secret-not-rotated', 'secret-expiring'] as const;

/**
 * The home screen's one line after unlock ("2 break-glass credentials
 * overdue"): counts of secrets needing attention, worst first; null when
 * none does.
 */
export function secretAttentionSummary(findings: readonly Finding[], secrets: readonly SecretDates[]): string | null {
  const breakGlass = new Set(secrets.filter((s) => s.breakGlass).map((s) => s.id));
  const parts: string[] = [];
  const words: Record<(typeof SUMMARY_RULES)[number], string> = {
    'secret-expired': 'expired',
    'secret-rotation-overdue': 'overdue',
    'emergency-account-not-disabled': 'used and not confirmed disabled',
    'secret-not-rotated': 'not rotated since an incident',
    'secret-expiring': 'expiring soon',
  };
  for (const rule of SUMMARY_RULES) {
    const ids = [...new Set(findings.filter((f) => f.rule === rule && f.recordId !== undefined).map((f) => f.recordId as string))];
    if (ids.length === 0) {
      continue;
    }
    const allBreakGlass = ids.every((id) => breakGlass.has(id));
    const noun = allBreakGlass ? (ids.length === 1 ? 'break-glass credential' : 'break-glass credentials') : ids.length === 1 ? 'secret' : 'secrets';
    parts.push(`${ids.length} ${noun} ${words[rule]}`);
  }
  return parts.length === 0 ? null : parts.join(', ');
}

/** Each live secret's dates, as stored; a secret a break-glass procedure lists counts as break-glass. */
export function secretDatesOf(records: readonly StoredRecord[]): SecretDates[] {
  const procedures = records.filter((r) => r.type === 'procedure');
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
  return records
    .filter((r) => r.type === 'secret')
    .map((r) => ({
      id: r.id,
      title: r.title,
      createdAt: r.createdAt,
      rotateEveryDays: typeof r.data['rotateEveryDays'] === 'number' ? r.data['rotateEveryDays'] : undefined,
      expires: text(r.data['expires']),
      lastRotated: text(r.data['lastRotated']),
      disableAfterUse: r.data['disableAfterUse'] === true,
      breakGlass: procedures.some((p) => procedureLists(p, r)),
    }));
}
