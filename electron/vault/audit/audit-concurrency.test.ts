/**
 * Events logged at the same moment (the app fires requests together) must
 * still form one chain: found by the exercise screen's end-to-end test,
 * where two overlapping appends shared a sequence number and the vault then
 * refused to open.
 */
import { describe, expect, it } from 'vitest';
import { newVault, unlockAs } from '../../../test/support/test-vault.js';
import { auditEntries, verifyAudit } from './vault-audit.js';
import { createRecord, openRecord, revealField } from '../records/vault-records.js';

describe('concurrent audit appends', () => {
  it('are queued: distinct sequence numbers, a verifying log, and a vault that opens again', async () => {
    const { dir, session } = await newVault();
    const contact = await createRecord(session, { type: 'contact', title: 'On call', data: {} });
    const secret = await createRecord(session, { type: 'secret', title: 'Root', data: { password: 'p' } });
    const before = session.internals().log.size;
    await Promise.all([
      ...Array.from({ length: 12 }, () => openRecord(session, contact.id)),
      ...Array.from({ length: 12 }, (_, i) => revealField(session, secret.id, 'password', `drill ${i}`)),
    ]);
    const seqs = session.internals().log.lines.map((line) => line.record.seq);
    expect(seqs).toEqual(seqs.map((_, index) => index));
    expect(session.internals().log.size).toBe(before + 24);
    await session.lock();

    const again = await unlockAs(dir, 'alice');
    expect(verifyAudit(again).records).toBe(again.internals().log.size);
    const reasons = auditEntries(again)
      .filter((e) => e.event.type === 'secret.revealed')
      .map((e) => e.event.reason);
    expect(new Set(reasons).size).toBe(12);
    await again.lock();
  });

  it('a failed append does not jam the ones queued behind it', async () => {
    const { session } = await newVault();
    const contact = await createRecord(session, { type: 'contact', title: 'On call', data: {} });
    const log = session.internals().log;
    const signer = { epoch: 99, auditKey: new Uint8Array(1), signingSecretKey: new Uint8Array(1) };
    const failing = log.append({ type: 'record.opened', actor: 'x', role: 'owner' }, signer);
    const next = openRecord(session, contact.id);
    await expect(failing).rejects.toThrow();
    await expect(next).resolves.toMatchObject({ title: 'On call' });
    await session.lock();
  });
});
