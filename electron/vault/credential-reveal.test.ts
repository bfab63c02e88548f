/**
 * A break-glass procedure's credentials, revealed from the procedure (issue
 * 19, item 4): one reason opens every sealed field of the credential, in one
 * audit event that lists the fields, written before any value leaves the
 * engine; the two-person rule applies as to any reveal of that secret; an
 * entry naming no secret is shown as not found.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSPHRASES, newVault, refusal } from '../../test/support/test-vault.js';
import { auditEntries } from './audit/vault-audit.js';
import { addMember } from './vault-members.js';
import { createRecord, deleteRecord, openRecord, revealCredential } from './records/vault-records.js';
import type { VaultSession } from './vault-session.js';

let owner: VaultSession;
let registrar: string;
let console_: string;
let procedure: string;
let guarded: string;

beforeAll(async () => {
  ({ session: owner } = await newVault());
  await addMember(owner, { name: 'dave', role: 'responder', passphrase: PASSPHRASES['dave'] ?? '' });
  registrar = (
    await createRecord(owner, { type: 'secret', title: 'Domain registrar', data: { username: 'ops@example.org', password: 'reg-pw', totpSeed: 'JBSWY3DP' } })
  ).id;
  console_ = (await createRecord(owner, { type: 'secret', title: 'AWS console', data: { username: 'breakglass', password: 'aws-pw' } })).id;
  const gone = (await createRecord(owner, { type: 'secret', title: 'Old VPN', data: { password: 'vpn-pw' } })).id;
  procedure = (await createRecord(owner, { type: 'procedure', title: 'Move DNS away', data: { body: '1. Log in', secrets: [registrar, gone, 'Never made'] } }))
    .id;
  await deleteRecord(owner, gone);
  guarded = (await createRecord(owner, { type: 'procedure', title: 'Root account', data: { secrets: ['AWS console'], twoPerson: true } })).id;
}, 60_000);

afterAll(async () => {
  await owner.lock();
});

describe('a procedure’s linked credentials', () => {
  it('are shown with their titles and field names, and an entry that names no live secret as not found', async () => {
    const view = await openRecord(owner, procedure);
    expect(view.credentials).toEqual([
      { entry: registrar, id: registrar, title: 'Domain registrar', fields: ['username', 'password', 'totpSeed'], twoPerson: false },
      { entry: expect.stringMatching(/^sec-/) as unknown as string, id: null, title: null, fields: [], twoPerson: false },
      { entry: 'Never made', id: null, title: null, fields: [], twoPerson: false },
    ]);
    expect(JSON.stringify(view)).not.toContain('reg-pw');
  });
});

describe('revealing a whole credential with one reason', () => {
  it('returns every sealed field and writes one audit event listing them', async () => {
    const before = owner.internals().log.size;
    const fields = await revealCredential(owner, registrar, 'INC-12: registrar console', { procedureId: procedure });
    expect(fields).toEqual([
      { field: 'username', value: 'ops@example.org' },
      { field: 'password', value: 'reg-pw' },
      { field: 'totpSeed', value: 'JBSWY3DP' },
    ]);
    expect(owner.internals().log.size).toBe(before + 1);
    expect(auditEntries(owner).at(-1)?.event).toMatchObject({
      type: 'secret.revealed',
      actor: 'alice',
      recordId: registrar,
      recordTitle: 'Domain registrar',
      field: 'username, password, totpSeed',
      reason: 'INC-12: registrar console',
      details: { fields: 'username,password,totpSeed', credential: true, procedure },
    });
  });

  it('logs before any value is decrypted: when the audit append fails, nothing is decrypted or revealed', async () => {
    const log = owner.log.bind(owner);
    const { sodium } = owner.internals();
    const toString = sodium.to_string.bind(sodium);
    const order: string[] = [];
    sodium.to_string = (value) => (order.push('decrypt'), toString(value));
    try {
      owner.log = (event) => (order.push('log'), log(event));
      await revealCredential(owner, registrar, 'INC-12: registrar console');
      expect(order).toEqual(['log', 'decrypt', 'decrypt', 'decrypt']);
      order.length = 0;
      owner.log = () => (order.push('log'), Promise.reject(new Error('disk full')));
      await expect(revealCredential(owner, registrar, 'INC-12: registrar console')).rejects.toThrow('disk full');
      expect(order).toEqual(['log']);
    } finally {
      owner.log = log;
      sodium.to_string = toString;
    }
  });

  it('refuses, before logging, a reason too short and a procedure that does not list the secret', async () => {
    const before = owner.internals().log.size;
    expect((await refusal(revealCredential(owner, registrar, 'x'))).code).toBe('VAULT_BAD_INPUT');
    const notListed = await refusal(revealCredential(owner, console_, 'INC-12 console', { procedureId: procedure }));
    expect(notListed.code).toBe('VAULT_BAD_INPUT');
    expect(notListed.message).toBe('Move DNS away does not list AWS console among the secrets it needs.');
    expect(owner.internals().log.size).toBe(before);
  });

  it('keeps the two-person rule of a procedure that lists the secret: refused alone, revealed with a second member named in the one event', async () => {
    const before = owner.internals().log.size;
    expect((await refusal(revealCredential(owner, console_, 'INC-13 root login', { procedureId: guarded }))).code).toBe('TWO_PERSON_REQUIRED');
    expect(owner.internals().log.size).toBe(before);
    const fields = await revealCredential(owner, console_, 'INC-13 root login', {
      procedureId: guarded,
      second: { member: 'dave', passphrase: PASSPHRASES['dave'] ?? '' },
    });
    expect(fields.map((f) => f.value)).toEqual(['breakglass', 'aws-pw']);
    expect(owner.internals().log.size).toBe(before + 1);
    expect(auditEntries(owner).at(-1)?.event.details).toMatchObject({ fields: 'username,password', twoPerson: true, secondMember: 'dave', procedure: guarded });
  });
});
