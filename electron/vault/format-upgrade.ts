/**
 * Moving a vault from format 1 to format 2 (docs/vault-format.md, "Format
 * upgrade"), lazily, at unlock:
 *
 * - an **owner's** unlock of a format-1 vault creates the vault identity,
 *   moves the owner's own slot to fresh key pairs with the identity pinned,
 *   seals the identity's secret key to every other owner slot (the recovery
 *   quorum's included), signs every epoch's audit key and certifies the
 *   member set as it stands. What it certifies is the header its MAC just
 *   proved, with keys from the owner's own slot: trust on first use, said so
 *   in docs/security.md;
 * - any **member's** unlock of a format-2 vault whose own slot is still in
 *   format 1 moves that slot to fresh key pairs with the identity pinned
 *   (the header it pins was checked against the identity's signatures first).
 *
 * Each is logged (full members), then written as one header, then sealed
 * by a snapshot. The previous generation stays for `doctor` like any other.
 */
import { HEADER_VERSION, type SlotRecord } from './keys/vault-header.js';
import { zeroKeys } from './keys/key-hierarchy.js';
import { resealSlot } from './keys/vault-slots.js';
import { epochKeyCheck, signEpoch } from './keys/vault-identity.js';
import { vaultFingerprint } from './keys/vault-fingerprint.js';
import { payloadFor, renewedSlot, saveHeader, unsigned } from './vault-members.js';
import type { VaultSession } from './vault-session.js';

/** What `unlockKeys` hands over when this unlock should upgrade: the slot and the key its passphrase gave. */
export interface SlotUpgrade {
  slot: SlotRecord;
  slotKey: Uint8Array;
}

/** Runs the upgrade `unlockKeys` asked for; zeroes the slot key either way. */
export async function upgradeAtUnlock(session: VaultSession, upgrade: SlotUpgrade): Promise<void> {
  try {
    if (session.header.identity) {
      await upgradeOwnSlot(session, upgrade);
    } else {
      await upgradeVault(session, upgrade);
    }
  } finally {
    zeroKeys(session.sodium, upgrade.slotKey);
  }
}

async function upgradeVault(session: VaultSession, upgrade: SlotUpgrade): Promise<void> {
  const state = session.internals();
  const { sodium, header, keys } = state;
  if (upgrade.slot.role !== 'owner' || !keys.content) {
    return;
  }
  const identity = sodium.crypto_sign_keypair();
  keys.identity = identity.privateKey;
  try {
    const withIdentity = {
      ...state,
      header: { ...header, identity: { publicKey: sodium.to_base64(identity.publicKey, sodium.base64_variants.ORIGINAL), members: [], signature: '' } },
    };
    const own = renewedSlot(withIdentity, { slot: upgrade.slot, signingSecret: null }, { slotKey: upgrade.slotKey, kdf: upgrade.slot.kdf });
    const keysFor = { publicKey: identity.publicKey, secretKey: identity.privateKey };
    const slots = header.slots.map((slot) => {
      if (slot.slotId === own.slotId) {
        return own;
      }
      // Other owners (and the recovery quorum) receive the identity's secret key with this epoch's keys.
      return slot.role === 'owner' ? resealSlot(sodium, header.vaultId, slot, keys.epoch, payloadFor(slot.role, keys), keysFor) : slot;
    });
    const auditPublicKeys = header.auditPublicKeys.map((entry) =>
      signEpoch(sodium, header.vaultId, identity.privateKey, {
        epoch: entry.epoch,
        publicKey: entry.publicKey,
        // Only this epoch's keys are at hand: older epochs are signed without a check value.
        keyCheck: entry.epoch === keys.epoch ? epochKeyCheck(sodium, header.vaultId, keys.epoch, keys.audit, keys.header) : null,
      }),
    );
    const next = { ...unsigned(withIdentity.header), version: HEADER_VERSION, auditPublicKeys, slots };
    await session.log({
      type: 'vault.format-upgraded',
      details: { fromFormat: header.version, toFormat: HEADER_VERSION, fingerprint: vaultFingerprint(sodium, next) },
    });
    // saveHeader certifies the member set with the identity now in the session's keys.
    await saveHeader(session, next);
  } catch (error) {
    zeroKeys(sodium, identity.privateKey);
    keys.identity = null;
    await session.abandon();
    throw error;
  }
  await session.commit();
}

async function upgradeOwnSlot(session: VaultSession, upgrade: SlotUpgrade): Promise<void> {
  const state = session.internals();
  const { header } = state;
  const slot = renewedSlot(state, { slot: upgrade.slot, signingSecret: null }, { slotKey: upgrade.slotKey, kdf: upgrade.slot.kdf });
  if (state.keys.signingSecret) {
    await session.log({ type: 'member.slot-upgraded', details: { member: upgrade.slot.member } });
  }
  try {
    await saveHeader(session, { ...unsigned(header), slots: header.slots.map((s) => (s.slotId === slot.slotId ? slot : s)) });
  } catch (error) {
    await session.abandon();
    throw error;
  }
  if (state.store) {
    await session.commit();
  }
}
