/**
 * Expiry and rotation findings (issue 21) on a clock the test controls:
 * each rule fires on the day it should and not the day before, and the
 * audit log's rotations and confirmations clear them.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEventType } from '../../shared/audit-events.js';
import type { AuditEntry } from '../vault/audit/vault-audit.js';
import { lastRotation, secretAttentionSummary, secretExpiryFindings, type SecretDates } from './secret-expiry.js';

const NOW = new Date('2026-12-07T12:00:00Z');

function secret(overrides: Partial<SecretDates>): SecretDates {
  return { id: 'sec-1', title: 'Entra break-glass', createdAt: '2026-01-01T00:00:00Z', disableAfterUse: false, breakGlass: true, ...overrides };
}

let seq = 0;
function event(type: AuditEventType, time: string, extra: Partial<AuditEntry['event']> = {}): AuditEntry {
  seq += 1;
  return { seq, time, epoch: 1, event: { type, actor: 'bob', role: 'commander', recordId: 'sec-1', salt: '', ...extra } };
}

const rules = (findings: { rule: string }[]): string[] => findings.map((f) => f.rule);

describe('expiry', () => {
  it('expired after its last day (UTC), not on it', () => {
    expect(secretExpiryFindings([secret({ expires: '2026-12-07' })], [], NOW)[0]?.message).toBe(
      'The break-glass credential "Entra break-glass" expires on 2026-12-07, today.',
    );
    const expired = secretExpiryFindings([secret({ expires: '2026-12-06' })], [], NOW);
    expect(expired).toEqual([
      {
        rule: 'secret-expired',
        severity: 'critical',
        message: 'The break-glass credential "Entra break-glass" expired on 2026-12-06: renew it and record the new value.',
        recordId: 'sec-1',
      },
    ]);
  });

  it('expiring within the owner’s warning days (30 by default), saying when', () => {
    expect(secretExpiryFindings([secret({ expires: '2027-01-05' })], [], NOW)[0]?.message).toBe(
      'The break-glass credential "Entra break-glass" expires on 2027-01-05, in 29 days.',
    );
    expect(secretExpiryFindings([secret({ expires: '2027-01-07' })], [], NOW)).toEqual([]);
    expect(rules(secretExpiryFindings([secret({ expires: '2027-01-07' })], [], NOW, 60))).toEqual(['secret-expiring']);
    expect(secretExpiryFindings([secret({ expires: '2027-01-05' })], [], NOW, 0)).toEqual([]);
  });
});

describe('rotation', () => {
  it('overdue once more days than rotateEveryDays have passed since lastRotated', () => {
    expect(secretExpiryFindings([secret({ rotateEveryDays: 90, lastRotated: '2026-09-08' })], [], NOW)).toEqual([]);
    expect(secretExpiryFindings([secret({ rotateEveryDays: 90, lastRotated: '2026-09-07' })], [], NOW)).toEqual([
      {
        rule: 'secret-rotation-overdue',
        severity: 'high',
        message: 'The break-glass credential "Entra break-glass" was last rotated 2026-09-07, 91 days ago; it is to be rotated every 90 days.',
        recordId: 'sec-1',
      },
    ]);
  });

  it('never rotated counts from when the secret was made; a secret with no interval is never overdue', () => {
    expect(rules(secretExpiryFindings([secret({ rotateEveryDays: 300 })], [], NOW))).toEqual(['secret-rotation-overdue']);
    expect(secretExpiryFindings([secret({ lastRotated: '2001-01-01' })], [], NOW)).toEqual([]);
  });

  it('the audit log’s rotations count: "secret.rotated", or an edit storing a new sealed value', () => {
    const old = secret({ rotateEveryDays: 30, lastRotated: '2026-01-01' });
    expect(lastRotation(old, [event('secret.rotated', '2026-11-20T10:00:00Z')])).toBe('2026-11-20T10:00:00Z');
    expect(lastRotation(old, [event('record.edited', '2026-11-21T10:00:00Z', { details: { fields: 'password' } })])).toBe('2026-11-21T10:00:00Z');
    // Changing only notes is not a rotation; another secret's rotation is not this one's.
    expect(lastRotation(old, [event('record.edited', '2026-11-21T10:00:00Z', { details: { fields: 'notes' } })])).toBe('2026-01-01');
    expect(lastRotation(old, [event('secret.rotated', '2026-11-21T10:00:00Z', { recordId: 'sec-2' })])).toBe('2026-01-01');
    expect(secretExpiryFindings([old], [event('secret.rotated', '2026-11-20T10:00:00Z')], NOW)).toEqual([]);
  });
});

describe('emergency accounts (disableAfterUse)', () => {
  const account = secret({ disableAfterUse: true });

  it('unused: nothing to confirm', () => {
    expect(secretExpiryFindings([account], [], NOW)).toEqual([]);
  });

  it.each([
    ['secret.revealed', 'it was revealed'],
    ['secret.copied', 'it was copied'],
    ['code.generated', 'a one-time code was generated'],
  ] as const)('used (%s) and not confirmed disabled: critical, saying how, when and by whom', (type, how) => {
    expect(secretExpiryFindings([account], [event(type, '2026-12-01T03:00:00Z')], NOW)).toEqual([
      {
        rule: 'emergency-account-not-disabled',
        severity: 'critical',
        message: `The break-glass credential "Entra break-glass" is an emergency account: ${how} on 2026-12-01 by bob, and nobody has confirmed it was disabled again.`,
        recordId: 'sec-1',
      },
    ]);
  });

  it('a confirmation clears it until the next use', () => {
    const used = event('code.generated', '2026-12-01T03:00:00Z');
    const confirmed = event('secret.disabled-confirmed', '2026-12-01T05:00:00Z');
    expect(secretExpiryFindings([account], [used, confirmed], NOW)).toEqual([]);
    expect(rules(secretExpiryFindings([account], [used, confirmed, event('secret.revealed', '2026-12-02T00:00:00Z')], NOW))).toEqual([
      'emergency-account-not-disabled',
    ]);
  });

  it('an ordinary secret is not asked to be disabled', () => {
    expect(secretExpiryFindings([secret({})], [event('secret.revealed', '2026-12-01T03:00:00Z')], NOW)).toEqual([]);
  });
});

describe('the home screen’s one line', () => {
  it('counts per kind of problem, worst first, naming break-glass credentials as such', () => {
    const secrets = [
      secret({ id: 'a', rotateEveryDays: 10 }),
      secret({ id: 'b', rotateEveryDays: 10 }),
      secret({ id: 'c', title: 'Wiki admin', breakGlass: false, expires: '2026-01-01' }),
    ];
    const findings = secretExpiryFindings(secrets, [], NOW);
    expect(secretAttentionSummary(findings, secrets)).toBe('1 secret expired, 2 break-glass credentials overdue');
    expect(secretAttentionSummary([], secrets)).toBeNull();
  });
});
