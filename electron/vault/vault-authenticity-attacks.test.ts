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
import { PASSPHRASES, newVault, refusal, unlockAs } from '../../test/support/test-vault.js';
import { exportAudit, verifyExportFile } from './audit/vault-audit.js';
import { loadSodium, type Sodium } from './keys/crypto-runtime.js';
import { sealKeyring, sealSigningKey } from './keys/epoch-keys.js';
import {
  auditorPayload,
  deriveSlotKey,
  deriveSubKeys,
  openMemberKeys,
  sealToMember,
  unwrapPayload,
  wrapPayload,
  type SlotBinding,
} from './keys/key-hierarchy.js';
import { b64decode, b64encode, HEADER_FILE, signHeader, type SlotRecord, type VaultHeader } from './keys/vault-header.js';
import { certifyMembers, epochKeyCheck, signEpoch } from './keys/vault-identity.js';
import { openSlot } from './keys/vault-slots.js';
import { createRecord, listRecords } from './records/vault-records.js';
import { addMember, changePassphrase, removeMember } from './vault-members.js';
import type { VaultSession } from './vault-session.js';

function bindingOf(header: VaultHeader, slot: SlotRecord): SlotBinding {
  return {
    vaultId: header.vaultId,
    slotId: slot.slotId,
    member: slot.member,
    role: slot.role,
    scope: slot.scope,
    publicKey: slot.publicKey,
    ...(slot.signingKey === undefined ? {} : { signingKey: slot.signingKey }),
  };
}

const open: VaultSession[] = [];
afterEach(async () => {
  for (const session of open.splice(0)) {
    await session.lock();
  }
});

const caught = refusal;

describe('an earlier header.json put back', () => {
  it('an auditor (who cannot read snapshots) is told too: the checkpoint was signed at a newer header', async () => {
    const { dir, session } = await newVault();
    await addMember(session, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
    await addMember(session, { name: 'carol', role: 'auditor', passphrase: PASSPHRASES['carol'] ?? '' });
    await session.lock();
    const before = await readFile(join(dir, HEADER_FILE));
    const bob = await unlockAs(dir, 'bob');
    await changePassphrase(bob, PASSPHRASES['bob'] ?? '', 'bob has a new passphrase');
    await bob.lock();

    await writeFile(join(dir, HEADER_FILE), before);
    const error = await caught(unlockAs(dir, 'carol'));
    expect(error.code).toBe('VAULT_TAMPERED');
    expect(error.message).toMatch(/older than the last checkpoint/);
  });

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

// --- the vault identity ------------------------------------------------------

/** The header as JSON, to be rewritten the way an attacker with only the folder would. */
async function headerJson(dir: string): Promise<VaultHeader> {
  return JSON.parse(await readFile(join(dir, HEADER_FILE), 'utf8')) as VaultHeader;
}

async function writeHeaderJson(dir: string, header: VaultHeader): Promise<void> {
  await writeFile(join(dir, HEADER_FILE), `${JSON.stringify(header, null, 2)}\n`);
}

/**
 * The substitution attack (#15, critical): every member's passphrase-wrapped
 * slot kept byte for byte, the attacker's own vault key sealed to each
 * member's public key (crypto_box_seal needs no secret), a new epoch whose
 * audit signing key is theirs, the header MAC'd with their header key.
 * Without the identity, members would unlock into the attacker's vault.
 */
function substitute(sodium: Sodium, genuine: VaultHeader, options: { identity?: 'keep' | 'own'; epoch?: 'next' | 'same' } = {}): VaultHeader {
  const epoch = options.epoch === 'same' ? genuine.keyEpoch : genuine.keyEpoch + 1;
  const vaultKey = sodium.crypto_kdf_keygen();
  const sub = deriveSubKeys(sodium, vaultKey);
  const signing = sodium.crypto_sign_keypair();
  const slots = genuine.slots.map((slot) => ({
    ...slot,
    sealedKeys: b64encode(
      sodium,
      sealToMember(sodium, b64decode(sodium, slot.publicKey), {
        vaultId: genuine.vaultId,
        slotId: slot.slotId,
        epoch,
        scope: slot.scope,
        keys: b64encode(sodium, slot.scope === 'full' ? vaultKey : auditorPayload(sub)),
      }),
    ),
  }));
  const newEntry = { epoch, publicKey: b64encode(sodium, signing.publicKey), keyCheck: epochKeyCheck(sodium, genuine.vaultId, epoch, sub.audit, sub.header) };
  let next: Omit<VaultHeader, 'mac'> = {
    ...genuine,
    keyEpoch: epoch,
    auditPublicKeys: [...genuine.auditPublicKeys.filter((k) => k.epoch !== epoch), newEntry],
    auditSigningKey: sealSigningKey(sodium, genuine.vaultId, epoch, sub.content, signing.privateKey),
    auditKeyring: sealKeyring(sodium, genuine.vaultId, epoch, sub.audit, new Map()),
    slots,
  };
  if (options.identity === 'own') {
    // The attacker's own identity, certifying the very same slots and signing every epoch.
    const identity = sodium.crypto_sign_keypair();
    const certified = certifyMembers(sodium, genuine.vaultId, { publicKey: identity.publicKey, secretKey: identity.privateKey }, slots);
    next = {
      ...next,
      identity: certified.identity,
      slots: certified.slots,
      auditPublicKeys: next.auditPublicKeys.map((k) => signEpoch(sodium, genuine.vaultId, identity.privateKey, k)),
    };
  }
  const { mac: _genuineMac, ...unsignedNext } = next as VaultHeader;
  return signHeader(sodium, unsignedNext, sub.header);
}

describe('vault substitution (re-sealing keys to the members)', () => {
  it('a new epoch of the attacker’s keys, the genuine identity kept: refused, the epoch is not signed by it', async () => {
    const sodium = await loadSodium();
    const { dir, session } = await newVault();
    await addMember(session, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
    await session.lock();
    await writeHeaderJson(dir, substitute(sodium, await headerJson(dir)));
    for (const who of ['alice', 'bob']) {
      const error = await caught(unlockAs(dir, who));
      expect(error.code).toBe('VAULT_TAMPERED');
      expect(error.message).toMatch(/epoch 2 is not signed by the vault identity/);
    }
  });

  it('the attacker’s own identity certifying everything: refused, it is not the identity pinned in the member’s slot', async () => {
    const sodium = await loadSodium();
    const { dir, session } = await newVault();
    await addMember(session, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
    await session.lock();
    await writeHeaderJson(dir, substitute(sodium, await headerJson(dir), { identity: 'own' }));
    for (const who of ['alice', 'bob']) {
      const error = await caught(unlockAs(dir, who));
      expect(error.code).toBe('VAULT_TAMPERED');
      expect(error.message).toMatch(/not the one your key slot was made for/);
    }
  });

  it('other keys sealed for the current epoch under its genuine signed entry: refused by the key check', async () => {
    const sodium = await loadSodium();
    const { dir, session } = await newVault();
    await session.lock();
    const genuine = await headerJson(dir);
    const forged = substitute(sodium, genuine, { epoch: 'same' });
    // Keep the genuine, identity-signed entry for epoch 1 (its key check is of the genuine keys).
    const { mac: _m, ...rest } = { ...forged, auditPublicKeys: genuine.auditPublicKeys };
    await writeHeaderJson(dir, { ...rest, mac: forged.mac });
    const error = await caught(unlockAs(dir, 'alice'));
    expect(error.code).toBe('VAULT_TAMPERED');
  });

  it('the fingerprint is the identity’s: an export verifies against it, and an export of another vault does not', async () => {
    const { dir, session } = await newVault();
    const fingerprint = session.fingerprint;
    const out = join(dir, '..', 'export.json');
    await exportAudit(session, out);
    await session.lock();
    const verified = await verifyExportFile(out, fingerprint);
    expect(verified.fingerprint).toBe(fingerprint);

    // A forger's own vault, exported and re-signed end to end, verifies on its own — but not as this vault.
    const { dir: otherDir, session: other } = await newVault();
    const forged = join(otherDir, '..', 'forged.json');
    await exportAudit(other, forged);
    await other.lock();
    expect((await verifyExportFile(forged)).fingerprint).not.toBe(fingerprint);
    const error = await caught(verifyExportFile(forged, fingerprint));
    expect(error.code).toBe('VAULT_TAMPERED');
    expect(error.message).toContain(`not ${fingerprint}`);
  });
});

describe('a member rewriting roles (M1)', () => {
  it('a commander who re-wraps their own slot as owner and recomputes the MAC: refused, the member set is signed by the identity', async () => {
    const sodium = await loadSodium();
    const { dir, session } = await newVault();
    await addMember(session, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
    await session.lock();
    const header = await headerJson(dir);
    const bob = header.slots.find((s) => s.member === 'bob');
    if (!bob) {
      throw new Error('no bob');
    }
    // Everything bob can do with his own passphrase: open his slot, bind it to the role owner, MAC with the header key he holds.
    const opened = openSlot(sodium, header, 'bob', PASSPHRASES['bob'] ?? '');
    const sub = deriveSubKeys(sodium, opened.epochKeys);
    const slotKey = deriveSlotKey(sodium, PASSPHRASES['bob'] ?? '', b64decode(sodium, bob.kdf.salt), bob.kdf);
    const payload = unwrapPayload(sodium, slotKey, { nonce: b64decode(sodium, bob.nonce), ciphertext: b64decode(sodium, bob.wrapped) }, bindingOf(header, bob));
    const promoted = { ...bob, role: 'owner' as const };
    const rewrapped = wrapPayload(sodium, slotKey, payload, bindingOf(header, promoted));
    const slots = header.slots.map((s) =>
      s.slotId === bob.slotId ? { ...promoted, nonce: b64encode(sodium, rewrapped.nonce), wrapped: b64encode(sodium, rewrapped.ciphertext) } : s,
    );
    const { mac: _old, ...unsignedHeader } = { ...header, slots };
    await writeHeaderJson(dir, signHeader(sodium, unsignedHeader, sub.header));

    const error = await caught(unlockAs(dir, 'bob'));
    expect(error.code).toBe('VAULT_TAMPERED');
    expect(error.message).toMatch(/role was changed/);
  });

  it('a slot swapped for the attacker’s own (same member, same role): refused before any rekey could seal keys to it', async () => {
    const { dir, session } = await newVault();
    await addMember(session, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
    await session.lock();
    const header = await headerJson(dir);
    const bob = header.slots.find((s) => s.member === 'bob');
    const { session: elsewhere } = await newVault();
    await addMember(elsewhere, { name: 'bob', role: 'commander', passphrase: 'mallory knows this one' });
    const mallory = elsewhere.header.slots.find((s) => s.member === 'bob');
    await elsewhere.lock();
    if (!bob || !mallory) {
      throw new Error('no bob');
    }
    await writeHeaderJson(dir, { ...header, slots: header.slots.map((s) => (s.slotId === bob.slotId ? { ...mallory, slotId: bob.slotId } : s)) });
    expect((await caught(unlockAs(dir, 'alice'))).code).toBe('VAULT_TAMPERED');
  });
});

describe('a changed passphrase (fresh key pairs)', () => {
  it('an old header.json and the old passphrase open nothing sealed after the change', async () => {
    const sodium = await loadSodium();
    const { dir, session } = await newVault();
    await addMember(session, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
    await addMember(session, { name: 'dave', role: 'responder', passphrase: PASSPHRASES['dave'] ?? '' });
    await session.lock();
    const old = await headerJson(dir);

    const bob = await unlockAs(dir, 'bob');
    await changePassphrase(bob, PASSPHRASES['bob'] ?? '', 'bob has a new passphrase');
    await bob.lock();
    const alice = await unlockAs(dir, 'alice');
    await removeMember(alice, 'dave');
    await alice.lock();
    const now = await headerJson(dir);
    expect(now.keyEpoch).toBe(2);

    // Bob's old key pair, from the old header and the old passphrase…
    const oldOpened = openSlot(sodium, old, 'bob', PASSPHRASES['bob'] ?? '');
    const bobNow = now.slots.find((s) => s.member === 'bob');
    if (!bobNow) {
      throw new Error('no bob');
    }
    expect(bobNow.publicKey).not.toBe(old.slots.find((s) => s.member === 'bob')?.publicKey);
    // …does not open what epoch 2 sealed to bob.
    expect(() =>
      openMemberKeys(sodium, b64decode(sodium, bobNow.sealedKeys), b64decode(sodium, bobNow.publicKey), oldOpened.secretKey, {
        vaultId: now.vaultId,
        slotId: bobNow.slotId,
        epoch: 2,
        scope: 'full',
      }),
    ).toThrow(LifeboatError);
    // And bob's new passphrase still works, through the certified member set.
    open.push(await unlockAs(dir, 'bob', 'bob has a new passphrase'));
  });

  it('a non-owner’s change is vouched for by their previous key; a forged link is refused', async () => {
    const { dir, session } = await newVault();
    await addMember(session, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
    await session.lock();
    const bob = await unlockAs(dir, 'bob');
    await changePassphrase(bob, PASSPHRASES['bob'] ?? '', 'bob has a new passphrase');
    await bob.lock();
    const header = await headerJson(dir);
    const slot = header.slots.find((s) => s.member === 'bob');
    expect(slot?.rotations?.length).toBe(1);
    expect(slot?.rotations?.[0]?.signature).toBeTruthy();
    // Opens for alice (who checks bob's link) and for bob.
    const alice = await unlockAs(dir, 'alice');
    await alice.lock();

    const sodium = await loadSodium();
    const forged = {
      ...header,
      slots: header.slots.map((s) =>
        s.member === 'bob' && s.rotations?.[0]
          ? { ...s, rotations: [{ ...s.rotations[0], signature: b64encode(sodium, new Uint8Array(sodium.crypto_sign_BYTES)) }] }
          : s,
      ),
    };
    // Forged by an insider who holds the header key (any member), so the MAC is right and only the link is wrong.
    const insider = openSlot(sodium, header, 'alice', PASSPHRASES['alice'] ?? '');
    const { mac: _mac, ...unsignedForged } = forged;
    await writeHeaderJson(dir, signHeader(sodium, unsignedForged, deriveSubKeys(sodium, insider.epochKeys).header));
    const error = await caught(unlockAs(dir, 'alice'));
    expect(error.code).toBe('VAULT_TAMPERED');
    expect(error.message).toMatch(/not vouched for by their previous key/);
  });
});
