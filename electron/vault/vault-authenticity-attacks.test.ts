/**
 * Attacks on who the vault is and who may open it, by someone who can write
 * to the vault folder (docs/security.md, "The vault folder"), each written as
 * the attack and kept: put an old header.json back, swap the vault's keys for
 * one's own, promote oneself. Each must end in a typed error, with nothing
 * genuine lost.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LifeboatError } from '../../shared/errors.js';
import { PASSPHRASES, newVault, unlockAs } from '../../test/support/test-vault.js';
import { HEADER_FILE } from './keys/vault-header.js';
import { createRecord, listRecords } from './records/vault-records.js';
import { addMember, changePassphrase } from './vault-members.js';
import type { VaultSession } from './vault-session.js';

const open: VaultSession[] = [];
afterEach(async () => {
  for (const session of open.splice(0)) {
    await session.lock();
  }
});

async function caught(promise: Promise<unknown>): Promise<LifeboatError> {
  try {
    const value = await promise;
    if (value && typeof value === 'object' && 'lock' in value) {
      await (value as VaultSession).lock();
    }
  } catch (error) {
    expect(error).toBeInstanceOf(LifeboatError);
    return error as LifeboatError;
  }
  throw new Error('expected the operation to fail');
}

describe('an earlier header.json put back', () => {
  it('after a change of passphrase: the old passphrase does not open the vault again', async () => {
    const { dir, session } = await newVault();
    await addMember(session, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
    await session.lock();
    const before = await readFile(join(dir, HEADER_FILE));

    const bob = await unlockAs(dir, 'bob');
    await changePassphrase(bob, PASSPHRASES['bob'] ?? '', 'bob has a new passphrase');
    await bob.lock();
    const genuine = await readFile(join(dir, HEADER_FILE));

    // The attack: the header from before the change, which bob's old passphrase opens.
    await writeFile(join(dir, HEADER_FILE), before);
    const error = await caught(unlockAs(dir, 'bob'));
    expect(error.code).toBe('VAULT_TAMPERED');
    expect(error.message).toMatch(/older than the vault's newest snapshot/);

    // Nothing lost: the genuine header back, the new passphrase opens the vault.
    await writeFile(join(dir, HEADER_FILE), genuine);
    open.push(await unlockAs(dir, 'bob', 'bob has a new passphrase'));
  });

  it('after a member was added: the newer member is not silently dropped', async () => {
    const { dir, session } = await newVault();
    await createRecord(session, { type: 'runbook', title: 'Payments restore', data: {} });
    await session.lock();
    const before = await readFile(join(dir, HEADER_FILE));

    const alice = await unlockAs(dir, 'alice');
    await addMember(alice, { name: 'dave', role: 'responder', passphrase: PASSPHRASES['dave'] ?? '' });
    await alice.lock();
    const genuine = await readFile(join(dir, HEADER_FILE));

    await writeFile(join(dir, HEADER_FILE), before);
    expect((await caught(unlockAs(dir, 'alice'))).code).toBe('VAULT_TAMPERED');

    await writeFile(join(dir, HEADER_FILE), genuine);
    const dave = await unlockAs(dir, 'dave');
    open.push(dave);
    expect(listRecords(dave).map((r) => r.title)).toEqual(['Payments restore']);
  });
});
