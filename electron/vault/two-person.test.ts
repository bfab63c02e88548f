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
import { copyField, createRecord, deleteRecord, editRecord, openRecord, revealField } from './records/vault-records.js';
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

/**
 * Issue 15, M2: coverage was by title, so a commander could rename a covered
 * secret, or edit the procedure's list, and reveal alone. Each attack below
 * is written as the attack, as a commander (bob) at the keyboard alone.
 */
describe('the two-person rule survives a commander acting alone', () => {
  let attackDir: string;
  let registrar: string;
  let procedure: string;
  const dave = { member: 'dave', passphrase: PASSPHRASES['dave'] ?? '' };

  beforeAll(async () => {
    const { dir: d, session: alice } = await newVault();
    attackDir = d;
    try {
      await addMember(alice, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
      await addMember(alice, { name: 'dave', role: 'responder', passphrase: PASSPHRASES['dave'] ?? '' });
      await addMember(alice, { name: 'erin', role: 'commander', passphrase: 'erin commands too' });
      registrar = (await createRecord(alice, { type: 'secret', title: 'Domain registrar', data: { password: 'reg-pw' } })).id;
      procedure = (await createRecord(alice, { type: 'procedure', title: 'Move DNS away', data: { secrets: ['domain registrar'], twoPerson: true } })).id;
    } finally {
      await alice.lock();
    }
  }, 60_000);

  async function asMember<T>(member: string, work: (session: VaultSession) => Promise<T>, passphrase?: string): Promise<T> {
    const session = await unlockAs(attackDir, member, passphrase);
    try {
      return await work(session);
    } finally {
      await session.lock();
    }
  }

  it('stores the procedure’s list by record id, and shows it by title', async () => {
    await asMember('alice', async (alice) => {
      expect(alice.store().get(procedure)?.data['secrets']).toEqual([registrar]);
      expect((await openRecord(alice, procedure)).data['secrets']).toEqual(['Domain registrar']);
    });
  });

  it('attack: rename the covered secret, then reveal alone → the rename is refused, and the reveal too', async () => {
    await asMember('bob', async (bob) => {
      const before = bob.internals().log.size;
      expect((await refusal(() => editRecord(bob, registrar, { title: 'Registrar (old)', set: {} }))).code).toBe('TWO_PERSON_REQUIRED');
      expect(bob.internals().log.size).toBe(before);
      expect((await refusal(() => revealField(bob, registrar, 'password', 'INC-9 alone'))).code).toBe('TWO_PERSON_REQUIRED');
    });
  });

  it('attack: even a rename a second member confirmed leaves the secret covered (by id, not title)', async () => {
    await asMember('bob', async (bob) => {
      await editRecord(bob, registrar, { title: 'Registrar (renamed)', set: {} }, { member: 'erin', passphrase: 'erin commands too' });
      expect((await refusal(() => revealField(bob, registrar, 'password', 'INC-9 alone'))).code).toBe('TWO_PERSON_REQUIRED');
    });
    await asMember('alice', (alice) => {
      const edited = auditEntries(alice)
        .filter((e) => e.event.type === 'record.edited')
        .at(-1);
      expect(edited?.event).toMatchObject({ actor: 'bob', recordTitle: 'Registrar (renamed)', details: { fields: 'title', secondMember: 'erin' } });
      return Promise.resolve();
    });
  });

  it('attack: remove the secret from the procedure’s list, or delete the procedure, as a commander → refused', async () => {
    await asMember('bob', async (bob) => {
      expect((await refusal(() => editRecord(bob, procedure, { set: { secrets: [] } }))).code).toBe('TWO_PERSON_REQUIRED');
      expect((await refusal(() => editRecord(bob, procedure, { set: { secrets: ['Wiki admin'] } }))).code).toBe('TWO_PERSON_REQUIRED');
      expect((await refusal(() => deleteRecord(bob, procedure))).code).toBe('TWO_PERSON_REQUIRED');
      expect((await refusal(() => deleteRecord(bob, registrar))).code).toBe('TWO_PERSON_REQUIRED');
      expect(bob.store().get(procedure)?.data['secrets']).toEqual([registrar]);
      expect((await refusal(() => revealField(bob, registrar, 'password', 'INC-9 alone'))).code).toBe('TWO_PERSON_REQUIRED');
    });
  });

  it('attack: replace the covered secret’s sealed value alone → refused; its plain notes stay a commander’s to edit', async () => {
    await asMember('bob', async (bob) => {
      expect((await refusal(() => editRecord(bob, registrar, { set: { password: 'one I know' } }))).code).toBe('TWO_PERSON_REQUIRED');
      await editRecord(bob, registrar, { set: { notes: 'rotated quarterly' } });
    });
  });

  it('a responder cannot be the second member of a change (they cannot write)', async () => {
    await asMember('bob', async (bob) => {
      expect((await refusal(() => editRecord(bob, procedure, { set: { secrets: [] } }, dave))).code).toBe('VAULT_FORBIDDEN');
    });
  });

  it('an owner changes the procedure alone; a title typed there resolves to the id', async () => {
    await asMember('alice', async (alice) => {
      const wiki = (await createRecord(alice, { type: 'secret', title: 'Wiki admin', data: { password: 'wiki-pw' } })).id;
      await editRecord(alice, procedure, { set: { secrets: ['Registrar (renamed)', 'WIKI ADMIN'] } });
      expect(alice.store().get(procedure)?.data['secrets']).toEqual([registrar, wiki]);
      expect((await refusal(() => revealField(alice, wiki, 'password', 'INC-9 alone'))).code).toBe('TWO_PERSON_REQUIRED');
    });
  });

  it('refuses a title that names two secrets, asking for the id', async () => {
    await asMember('alice', async (alice) => {
      await createRecord(alice, { type: 'secret', title: 'Twin', data: { password: 'a' } });
      await createRecord(alice, { type: 'secret', title: 'twin', data: { password: 'b' } });
      const error = await refusal(() => createRecord(alice, { type: 'procedure', title: 'Twins', data: { secrets: ['Twin'], twoPerson: true } }));
      expect(error.code).toBe('VAULT_BAD_INPUT');
      expect(error.message).toMatch(/2 secrets are titled "Twin" \(sec-[0-9a-f]{10}, sec-[0-9a-f]{10}\)/);
    });
  });

  it('still reads a list written by title before ids, and a rename of a secret it covers is refused', async () => {
    let legacy = '';
    await asMember('alice', async (alice) => {
      legacy = (await createRecord(alice, { type: 'secret', title: 'Old bank token', data: { password: 'bank-pw' } })).id;
      const old = (await createRecord(alice, { type: 'procedure', title: 'Old procedure', data: {} })).id;
      // As an older Lifeboat wrote it: the title itself in the list.
      const stored = alice.store().get(old);
      if (!stored) {
        throw new Error('no procedure');
      }
      alice
        .store()
        .put({ ...stored, data: { secrets: ['old bank token'], twoPerson: true }, revision: stored.revision + 1 }, 'edited', ['secrets', 'twoPerson']);
      await alice.commit();
    });
    await asMember('bob', async (bob) => {
      expect((await refusal(() => revealField(bob, legacy, 'password', 'INC-9 alone'))).code).toBe('TWO_PERSON_REQUIRED');
      expect((await refusal(() => editRecord(bob, legacy, { title: 'New bank token', set: {} }))).code).toBe('TWO_PERSON_REQUIRED');
    });
  });
});
