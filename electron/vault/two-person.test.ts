/**
 * The two-person rule (issue #7): an owner marks a secret, or a procedure
 * that lists it, and its reveal then needs a second member's own passphrase;
 * both names and the reason are in the audit event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LifeboatError } from '../../shared/errors.js';
import { PASSPHRASES, newVault, unlockAs } from '../../test/support/test-vault.js';
import { auditEntries } from './audit/vault-audit.js';
import { addMember } from './vault-members.js';
import { copyField, createRecord, editRecord, revealField } from './records/vault-records.js';
import type { VaultSession } from './vault-session.js';

let dir: string;
let owner: VaultSession;
let marked: string;
let viaProcedure: string;
let plain: string;

async function refusal(work: () => Promise<unknown>): Promise<LifeboatError> {
  try {
    await work();
  } catch (error) {
    expect(error).toBeInstanceOf(LifeboatError);
    return error as LifeboatError;
  }
  throw new Error('expected a refusal');
}

beforeAll(async () => {
  ({ dir, session: owner } = await newVault());
  await addMember(owner, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
  await addMember(owner, { name: 'carol', role: 'auditor', passphrase: PASSPHRASES['carol'] ?? '' });
  await addMember(owner, { name: 'dave', role: 'responder', passphrase: PASSPHRASES['dave'] ?? '' });
  marked = (await createRecord(owner, { type: 'secret', title: 'AWS root', data: { password: 'root-pw', twoPerson: true } })).id;
  viaProcedure = (await createRecord(owner, { type: 'secret', title: 'Domain registrar', data: { password: 'reg-pw' } })).id;
  plain = (await createRecord(owner, { type: 'secret', title: 'Wiki admin', data: { password: 'wiki-pw' } })).id;
  await createRecord(owner, { type: 'procedure', title: 'Move DNS away', data: { secrets: ['domain registrar'], twoPerson: true } });
}, 60_000);

afterAll(async () => {
  await owner.lock();
});

describe('the two-person rule', () => {
  it('refuses a marked secret without a second member, and reveals nothing', async () => {
    const before = owner.internals().log.size;
    const error = await refusal(() => revealField(owner, marked, 'password', 'INC-9'));
    expect(error.code).toBe('TWO_PERSON_REQUIRED');
    expect(error.message).toContain('AWS root');
    expect(owner.internals().log.size).toBe(before);
  });

  it('reveals with a second member’s passphrase, and logs both names and the reason', async () => {
    expect(await revealField(owner, marked, 'password', 'INC-9 console access', { member: 'dave', passphrase: PASSPHRASES['dave'] ?? '' })).toBe('root-pw');
    expect(auditEntries(owner).at(-1)?.event).toMatchObject({
      type: 'secret.revealed',
      actor: 'alice',
      reason: 'INC-9 console access',
      details: { twoPerson: true, secondMember: 'dave' },
    });
    expect(await copyField(owner, marked, 'password', 'INC-9', { member: 'bob', passphrase: PASSPHRASES['bob'] ?? '' })).toBe('root-pw');
  });

  it('applies to a secret that a two-person procedure lists, and not to others', async () => {
    expect((await refusal(() => revealField(owner, viaProcedure, 'password', 'INC-9 check'))).code).toBe('TWO_PERSON_REQUIRED');
    expect(await revealField(owner, plain, 'password', 'routine')).toBe('wiki-pw');
  });

  it('refuses yourself, a wrong passphrase and an auditor as the second person', async () => {
    expect((await refusal(() => revealField(owner, marked, 'password', 'INC-9 check', { member: 'alice', passphrase: PASSPHRASES['alice'] ?? '' }))).code).toBe(
      'TWO_PERSON_REQUIRED',
    );
    expect((await refusal(() => revealField(owner, marked, 'password', 'INC-9 check', { member: 'bob', passphrase: 'wrong wrong wrong' }))).code).toBe(
      'VAULT_AUTH_FAILED',
    );
    expect((await refusal(() => revealField(owner, marked, 'password', 'INC-9 check', { member: 'carol', passphrase: PASSPHRASES['carol'] ?? '' }))).code).toBe(
      'VAULT_FORBIDDEN',
    );
  });

  it('logs every failed confirmation, so guessing a colleague’s passphrase leaves a trace', async () => {
    const before = auditEntries(owner).filter((e) => e.event.type === 'secret.confirmation-failed').length;
    await refusal(() => revealField(owner, marked, 'password', 'INC-9 check', { member: 'bob', passphrase: 'guess number one' }));
    const failed = auditEntries(owner).filter((e) => e.event.type === 'secret.confirmation-failed');
    expect(failed).toHaveLength(before + 1);
    expect(failed.at(-1)?.event).toMatchObject({ actor: 'alice', recordTitle: 'AWS root', details: { secondMember: 'bob' } });
  });

  it('checks a second person even where the rule does not demand one: the log never names an unproven confirmer', async () => {
    expect((await refusal(() => revealField(owner, plain, 'password', 'routine check', { member: 'bob', passphrase: 'not bobs' }))).code).toBe(
      'VAULT_AUTH_FAILED',
    );
    expect(await revealField(owner, plain, 'password', 'routine check', { member: 'bob', passphrase: PASSPHRASES['bob'] ?? '' })).toBe('wiki-pw');
    expect(auditEntries(owner).at(-1)?.event.details).toMatchObject({ twoPerson: true, secondMember: 'bob' });
  });

  it('only an owner may mark or unmark a record', async () => {
    // One process at a time holds a vault: alice steps away while bob tries.
    await owner.lock();
    const bob = await unlockAs(dir, 'bob');
    try {
      expect((await refusal(() => editRecord(bob, marked, { set: { twoPerson: false } }))).code).toBe('VAULT_FORBIDDEN');
      expect((await refusal(() => createRecord(bob, { type: 'secret', title: 'x', data: { password: 'p', twoPerson: true } }))).code).toBe('VAULT_FORBIDDEN');
      // Editing anything else is still a commander's right.
      await editRecord(bob, plain, { set: { notes: 'rotated monthly' } });
    } finally {
      await bob.lock();
      owner = await unlockAs(dir, 'alice');
    }
    await editRecord(owner, marked, { set: { twoPerson: false } });
    expect(await revealField(owner, marked, 'password', 'after unmarking')).toBe('root-pw');
  });
});
