import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PASSPHRASES, anotherLaptop, newVault, tempVaultDir, unlockAs } from '../../test/support/test-vault.js';
import { readSnapshotPrefix } from './storage/snapshot-file.js';
import { auditEntries, verifyAudit } from './audit/vault-audit.js';
import { addMember, changePassphrase, removeMember } from './vault-members.js';
import { createRecord, listRecords, revealField } from './records/vault-records.js';
import type { VaultSession } from './vault-session.js';

const open: VaultSession[] = [];
afterEach(async () => {
  for (const session of open.splice(0)) {
    await session.lock();
  }
});

function snapshotEpochs(dir: string): number[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith('snapshot-'))
    .map((f) => readSnapshotPrefix(new Uint8Array(readFileSync(join(dir, f))))?.keyEpoch ?? -1);
}

describe('members', () => {
  it('removing a member rekeys: their passphrase and a saved copy of their old slot no longer open it', async () => {
    const { dir, session } = await newVault();
    const secret = await createRecord(session, { type: 'secret', title: 'DB', data: { password: 'before-rekey' } });
    await addMember(session, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
    await addMember(session, { name: 'carol', role: 'auditor', passphrase: PASSPHRASES['carol'] ?? '' });
    await session.lock();
    // Bob keeps a copy of the whole vault folder as it is today.
    const bobsCopy = tempVaultDir();
    cpSync(dir, bobsCopy, { recursive: true });
    const oldHeader = readFileSync(join(dir, 'header.json'));

    const alice = await unlockAs(dir, 'alice');
    await removeMember(alice, 'bob');
    expect(alice.internals().keys.epoch).toBe(2);
    expect(alice.members().map((m) => m.name)).toEqual(['alice', 'carol']);
    expect(await revealField(alice, secret.id, 'password', 'check after rekey')).toBe('before-rekey');
    await createRecord(alice, { type: 'runbook', title: 'Written after Bob left', data: {} });
    await alice.lock();

    // Only the new epoch's snapshots remain.
    expect(new Set(snapshotEpochs(dir))).toEqual(new Set([2]));
    await expect(unlockAs(dir, 'bob')).rejects.toMatchObject({ code: 'VAULT_AUTH_FAILED' });
    // Putting his old header back: his slot opens, but nothing of the current epoch does.
    writeFileSync(join(dir, 'header.json'), oldHeader);
    await expect(unlockAs(dir, 'bob')).rejects.toMatchObject({ code: 'VAULT_TAMPERED' });
    cpSync(join(bobsCopy, 'header.json'), join(dir, 'header.json'));
    // His own old copy still opens on his laptop: it is the data he already had, nothing newer.
    const old = await unlockAs(bobsCopy, 'bob', undefined, { stateDir: anotherLaptop() });
    expect(listRecords(old).map((r) => r.title)).not.toContain('Written after Bob left');
    await old.lock();
  });

  it('keeps the whole audit log readable and verifiable across epochs, for owners and auditors', async () => {
    const { dir, session } = await newVault();
    await addMember(session, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
    await addMember(session, { name: 'carol', role: 'auditor', passphrase: PASSPHRASES['carol'] ?? '' });
    await removeMember(session, 'bob');
    await session.lock();
    const carol = await unlockAs(dir, 'carol');
    open.push(carol);
    const types = auditEntries(carol).map((e) => [e.epoch, e.event.type]);
    expect(types).toContainEqual([1, 'member.removed']);
    expect(types).toContainEqual([2, 'vault.rekeyed']);
    expect(verifyAudit(carol).records).toBe(types.length);
  });

  it('changes one passphrase without touching anyone else', async () => {
    const { dir, session } = await newVault();
    await addMember(session, { name: 'bob', role: 'responder', passphrase: PASSPHRASES['bob'] ?? '' });
    await session.lock();
    const bob = await unlockAs(dir, 'bob');
    await expect(changePassphrase(bob, 'not my passphrase', 'new bob passphrase')).rejects.toMatchObject({ code: 'VAULT_AUTH_FAILED' });
    await changePassphrase(bob, PASSPHRASES['bob'] ?? '', 'new bob passphrase');
    await bob.lock();
    await expect(unlockAs(dir, 'bob')).rejects.toMatchObject({ code: 'VAULT_AUTH_FAILED' });
    open.push(await unlockAs(dir, 'bob', 'new bob passphrase'));
    await open.splice(0)[0]?.lock();
    open.push(await unlockAs(dir, 'alice'));
  });

  it('refuses what would lock everyone out or confuse members', async () => {
    const { session } = await newVault();
    open.push(session);
    await expect(removeMember(session, 'alice')).rejects.toMatchObject({ code: 'VAULT_BAD_INPUT' });
    await expect(removeMember(session, 'nobody')).rejects.toMatchObject({ code: 'VAULT_NOT_FOUND' });
    await expect(addMember(session, { name: 'Alice', role: 'commander', passphrase: 'another passphrase' })).rejects.toMatchObject({ code: 'VAULT_BAD_INPUT' });
    await expect(addMember(session, { name: 'eve', role: 'commander', passphrase: 'short' })).rejects.toMatchObject({ code: 'VAULT_BAD_INPUT' });
  });
});

describe('leftovers of interrupted writes', () => {
  it('removes temp files of dead writers at the next unlock, keeps those of live ones', async () => {
    const { dir, session } = await newVault();
    await session.lock();
    const dead = join(dir, '.snapshot-000000000001.lbs.tmp-999999999-0a0b0c');
    const ours = join(dir, `.header.json.tmp-${process.pid}-0d0e0f`);
    writeFileSync(dead, 'old-epoch ciphertext');
    writeFileSync(ours, 'in progress');
    open.push(await unlockAs(dir, 'alice'));
    const names = readdirSync(dir);
    expect(names).not.toContain('.snapshot-000000000001.lbs.tmp-999999999-0a0b0c');
    expect(names).toContain(`.header.json.tmp-${process.pid}-0d0e0f`);
  });
});
