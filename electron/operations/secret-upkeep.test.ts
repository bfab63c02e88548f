/**
 * "Mark rotated" and "Confirm disabled" (issue 21): logged, they clear the
 * readiness findings, and marking rotated ticks an incident's rotation
 * checklist; the home screen's one line reads the same findings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSPHRASES, newVault, unlockAs } from '../../test/support/test-vault.js';
import { auditEntries } from '../vault/audit/vault-audit.js';
import { addMember } from '../vault/vault-members.js';
import { setExpiryWarningDays } from '../vault/vault-settings.js';
import type { VaultSession } from '../vault/vault-session.js';
import { generateCode } from './one-time-codes.js';
import { createRecord, revealField } from './records.js';
import { endSession, readinessOf, startSession } from './recovery.js';
import { sessionReport } from './reports.js';
import { confirmSecretDisabled, markSecretRotated, secretAttention } from './secret-upkeep.js';

const DAY = 86_400_000;
let dir: string;
let owner: VaultSession;
let emergency: string;
let overdue: string;

beforeAll(async () => {
  ({ dir, session: owner } = await newVault());
  await addMember(owner, { name: 'dave', role: 'responder', passphrase: PASSPHRASES['dave'] ?? '' });
  await createRecord(owner, { type: 'service', title: 'SSO', data: { tier: 0 } });
  emergency = (
    await createRecord(owner, {
      type: 'secret',
      title: 'Entra emergency admin',
      data: { password: 'pw-1', totp: 'JBSWY3DPEHPK3PXP', disableAfterUse: true, rotateEveryDays: 90 },
    })
  ).id;
  overdue = (await createRecord(owner, { type: 'secret', title: 'Registrar', data: { password: 'pw-2', rotateEveryDays: 30, lastRotated: '2026-01-01' } })).id;
  await createRecord(owner, { type: 'procedure', title: 'SSO is down', data: { secrets: ['Entra emergency admin', 'Registrar'] } });
}, 60_000);

afterAll(async () => {
  await owner.lock();
});

const rulesFor = (id: string, now = new Date()): string[] =>
  readinessOf(owner, { now })
    .vault.filter((f) => f.recordId === id)
    .map((f) => f.rule);

describe('secrets in the readiness review and on the home screen', () => {
  it('an overdue break-glass credential is a finding and the home screen’s one line', () => {
    expect(rulesFor(overdue)).toEqual(['secret-rotation-overdue']);
    expect(secretAttention(owner).summary).toBe('1 break-glass credential overdue');
  });

  it('an emergency account used for a code is a finding until someone confirms it disabled (logged)', async () => {
    await generateCode(owner, { id: emergency, reason: 'INC-3: SSO down' });
    expect(rulesFor(emergency)).toEqual(['emergency-account-not-disabled']);
    expect(secretAttention(owner).summary).toBe('1 break-glass credential overdue, 1 break-glass credential used and not confirmed disabled');
    await confirmSecretDisabled(owner, emergency, { note: 'disabled in the Entra portal' });
    expect(auditEntries(owner).at(-1)?.event).toMatchObject({
      type: 'secret.disabled-confirmed',
      actor: 'alice',
      recordId: emergency,
      details: { note: 'disabled in the Entra portal' },
    });
    expect(rulesFor(emergency)).toEqual([]);
  });

  it('marking rotated is logged, sets lastRotated and clears the overdue finding', async () => {
    await markSecretRotated(owner, overdue);
    const events = auditEntries(owner)
      .slice(-2)
      .map((e) => e.event);
    expect(events[0]).toMatchObject({ type: 'secret.rotated', recordId: overdue });
    expect(events[1]).toMatchObject({ type: 'record.edited', recordId: overdue, details: { fields: 'lastRotated' } });
    expect(owner.store().get(overdue)?.data['lastRotated']).toBe(new Date().toISOString().slice(0, 10));
    expect(rulesFor(overdue)).toEqual([]);
    expect(secretAttention(owner).summary).toBeNull();
    // 91 days on, the 90-day emergency account is due again.
    expect(rulesFor(emergency, new Date(Date.now() + 91 * DAY))).toEqual(['secret-rotation-overdue']);
  });

  it('expiring soon follows the owner’s setting', async () => {
    const soon = new Date(Date.now() + 20 * DAY).toISOString().slice(0, 10);
    const id = (await createRecord(owner, { type: 'secret', title: 'TLS key', data: { text: 'k', expires: soon } })).id;
    expect(rulesFor(id)).toEqual(['secret-expiring']);
    await setExpiryWarningDays(owner, 10);
    expect(rulesFor(id)).toEqual([]);
  });

  it('marking rotated ticks the incident’s rotation checklist', async () => {
    const incident = await startSession(owner, { kind: 'incident', scenario: 'SSO outage', services: ['SSO'] });
    await revealField(owner, overdue, 'password', 'INC-4: move DNS');
    await endSession(owner, incident.id);
    expect(sessionReport(owner, incident.id).rotation.map((item) => [item.recordId, item.rotatedAt])).toEqual([[overdue, undefined]]);
    expect(rulesFor(overdue)).toEqual(['secret-not-rotated']);
    await markSecretRotated(owner, overdue);
    expect(sessionReport(owner, incident.id).rotation[0]).toMatchObject({ recordId: overdue, rotatedBy: 'alice' });
    expect(rulesFor(overdue)).toEqual([]);
  });

  it('a responder may not mark rotated or confirm disabled; nothing is logged', async () => {
    await owner.lock();
    const dave = await unlockAs(dir, 'dave');
    try {
      const before = dave.internals().log.size;
      await expect(markSecretRotated(dave, overdue)).rejects.toMatchObject({ code: 'VAULT_FORBIDDEN' });
      await expect(confirmSecretDisabled(dave, emergency)).rejects.toMatchObject({ code: 'VAULT_FORBIDDEN' });
      expect(dave.internals().log.size).toBe(before);
    } finally {
      await dave.lock();
      owner = await unlockAs(dir, 'alice');
    }
  });
});
