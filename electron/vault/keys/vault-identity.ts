/**
 * The vault identity (format 2; docs/vault-format.md, "Vault identity"): an
 * Ed25519 key pair made at `init`. Its public key is pinned inside every
 * member's passphrase-wrapped payload, where someone who can only write to
 * the folder cannot change it; its secret key is held by owners alone. It
 * signs what decides who can do what:
 *
 * - the **member set**: each slot's id, member, role, scope and public keys.
 *   A non-owner cannot sign it, so cannot promote themself, and no one
 *   without it can add a slot that a rekey would then seal keys to;
 * - each **key epoch**: its audit signing public key and a check value of its
 *   audit and header keys. Keys sealed to a member with `crypto_box_seal`
 *   (which anyone can do) are used only if they match the check.
 *
 * A member who changes their passphrase without an owner moves to a fresh key
 * pair by a **rotation** link signed with their previous signing key; an
 * owner's next write of the header certifies the set again and drops the links.
 */
import { LifeboatError } from '../../../shared/errors.js';
import { statementBytes, verifiesDetached } from './signed-statement.js';
import type { Sodium } from './crypto-runtime.js';
import { b64decode, b64encode, type CertifiedMember, type SlotRecord, type VaultHeader, type VaultIdentity } from './vault-header.js';

const MEMBERS_CONTEXT = 'lifeboat-members-v1\n';
const EPOCH_CONTEXT = 'lifeboat-epoch-v1\n';
const ROTATION_CONTEXT = 'lifeboat-member-rotation-v1\n';

type AuditPublicKey = VaultHeader['auditPublicKeys'][number];
type Rotation = NonNullable<SlotRecord['rotations']>[number];

export interface MemberKeyPair {
  publicKey: string;
  signingKey: string | null;
}

function tampered(what: string): LifeboatError {
  return new LifeboatError('VAULT_TAMPERED', `The vault header (header.json) has been altered: ${what}. Run \`lifeboat doctor\`.`);
}

const message = statementBytes;

function verifies(sodium: Sodium, signature: string | undefined, bytes: Uint8Array, publicKey: Uint8Array): boolean {
  return signature !== undefined && verifiesDetached(sodium, b64decode(sodium, signature, 'a signature'), bytes, publicKey);
}

/** The member set as it stands in these slots (their current keys), in slot id order. */
export function memberSet(slots: readonly SlotRecord[]): CertifiedMember[] {
  return slots
    .map((slot) => ({
      slotId: slot.slotId,
      member: slot.member,
      role: slot.role,
      scope: slot.scope,
      publicKey: slot.publicKey,
      signingKey: slot.signingKey ?? null,
    }))
    .sort((a, b) => (a.slotId < b.slotId ? -1 : a.slotId > b.slotId ? 1 : 0));
}

export function membersMessage(vaultId: string, members: readonly CertifiedMember[]): Uint8Array {
  return message(MEMBERS_CONTEXT, { vaultId, members });
}

/** The identity's signature over these slots as they are; their rotation links are dropped (now certified). */
export function certifyMembers(
  sodium: Sodium,
  vaultId: string,
  identity: { publicKey: Uint8Array; secretKey: Uint8Array },
  slots: readonly SlotRecord[],
): { identity: VaultIdentity; slots: SlotRecord[] } {
  const settled = slots.map(({ rotations: _certified, ...slot }) => slot);
  const members = memberSet(settled);
  const signature = sodium.crypto_sign_detached(membersMessage(vaultId, members), identity.secretKey);
  return { identity: { publicKey: b64encode(sodium, identity.publicKey), members, signature: b64encode(sodium, signature) }, slots: settled };
}

/** BLAKE2b-256 keyed with audit key ‖ header key: lets anyone holding them tell the epoch's genuine keys from substitutes. */
export function epochKeyCheck(sodium: Sodium, vaultId: string, epoch: number, audit: Uint8Array, header: Uint8Array): string {
  const key = new Uint8Array(64);
  key.set(audit, 0);
  key.set(header, 32);
  try {
    return b64encode(sodium, sodium.crypto_generichash(32, `lifeboat-epoch-key-check-v1|${vaultId}|${epoch}`, key));
  } finally {
    sodium.memzero(key);
  }
}

export function epochMessage(vaultId: string, entry: Pick<AuditPublicKey, 'epoch' | 'publicKey' | 'keyCheck'>): Uint8Array {
  return message(EPOCH_CONTEXT, { vaultId, epoch: entry.epoch, publicKey: entry.publicKey, keyCheck: entry.keyCheck ?? null });
}

export function signEpoch(
  sodium: Sodium,
  vaultId: string,
  identitySecret: Uint8Array,
  entry: Pick<AuditPublicKey, 'epoch' | 'publicKey' | 'keyCheck'>,
): AuditPublicKey {
  const keyCheck = entry.keyCheck ?? null;
  const signature = sodium.crypto_sign_detached(epochMessage(vaultId, { ...entry, keyCheck }), identitySecret);
  return { epoch: entry.epoch, publicKey: entry.publicKey, keyCheck, signature: b64encode(sodium, signature) };
}

export function rotationMessage(vaultId: string, slotId: string, previous: MemberKeyPair, next: { publicKey: string; signingKey: string }): Uint8Array {
  return message(ROTATION_CONTEXT, { vaultId, slotId, previous, next });
}

/**
 * The link that moves a slot from `previous` keys to `next` without an owner:
 * signed with the previous signing key; a slot from format 1 has none, so its
 * first link is keyed BLAKE2b by the epoch's header key (weaker: any member
 * holds that key; an owner's next certification replaces it).
 */
export function rotationLink(
  sodium: Sodium,
  vaultId: string,
  slotId: string,
  previous: MemberKeyPair,
  next: { publicKey: string; signingKey: string },
  vouch: { signingSecret: Uint8Array } | { headerKey: Uint8Array },
): Rotation {
  const bytes = rotationMessage(vaultId, slotId, previous, next);
  if ('signingSecret' in vouch) {
    return { ...next, signature: b64encode(sodium, sodium.crypto_sign_detached(bytes, vouch.signingSecret)) };
  }
  return { ...next, mac: b64encode(sodium, sodium.crypto_generichash(32, bytes, vouch.headerKey)) };
}

function linkHolds(sodium: Sodium, vaultId: string, slotId: string, previous: MemberKeyPair, link: Rotation, headerKey: Uint8Array): boolean {
  const bytes = rotationMessage(vaultId, slotId, previous, { publicKey: link.publicKey, signingKey: link.signingKey });
  if (previous.signingKey !== null) {
    return link.mac === undefined && verifies(sodium, link.signature, bytes, b64decode(sodium, previous.signingKey, 'a signing key'));
  }
  if (link.signature !== undefined || link.mac === undefined) {
    return false;
  }
  const given = b64decode(sodium, link.mac, 'a rotation check');
  const expected = sodium.crypto_generichash(32, bytes, headerKey);
  return given.length === expected.length && sodium.memcmp(given, expected);
}

export interface IdentityCheck {
  /** The identity public key pinned in the member's own wrapped payload; null for a slot from format 1 (taken on first use). */
  pinned: Uint8Array | null;
  epoch: number;
  audit: Uint8Array;
  header: Uint8Array;
  /** The identity secret key an owner's sealed keys carried, if any. */
  identitySecret: Uint8Array | null;
}

/**
 * Everything that decides who can do what chains to the identity: the member
 * set, each slot's keys, each epoch's public key and, for the current epoch,
 * the keys this member was given. Throws VAULT_TAMPERED naming what does not.
 */
export function verifyVaultIdentity(sodium: Sodium, header: VaultHeader, check: IdentityCheck): void {
  const identity = header.identity;
  if (!identity) {
    throw tampered('it has no vault identity');
  }
  const identityKey = b64decode(sodium, identity.publicKey, 'the vault identity');
  if (check.pinned && (check.pinned.length !== identityKey.length || !sodium.memcmp(check.pinned, identityKey))) {
    throw tampered('its vault identity is not the one your key slot was made for — this is not the vault you joined, or its keys were replaced');
  }
  if (check.identitySecret) {
    const derived = sodium.crypto_sign_ed25519_sk_to_pk(check.identitySecret);
    if (!sodium.memcmp(derived, identityKey)) {
      throw tampered('the identity key sealed to you does not match the vault identity');
    }
  }
  if (!verifies(sodium, identity.signature, membersMessage(header.vaultId, identity.members), identityKey)) {
    throw tampered('the member set is not signed by the vault identity (a member, role or key was changed)');
  }
  const certified = new Map(identity.members.map((m) => [m.slotId, m]));
  if (certified.size !== identity.members.length || header.slots.length !== certified.size) {
    throw tampered('its key slots are not the member set the vault identity signed (a slot was added or removed)');
  }
  for (const slot of header.slots) {
    const entry = certified.get(slot.slotId);
    if (!entry || entry.member !== slot.member || entry.role !== slot.role || entry.scope !== slot.scope) {
      throw tampered(`the key slot of ${slot.member} is not in the member set the vault identity signed, or its role was changed`);
    }
    let keys: MemberKeyPair = { publicKey: entry.publicKey, signingKey: entry.signingKey };
    for (const link of slot.rotations ?? []) {
      if (!linkHolds(sodium, header.vaultId, slot.slotId, keys, link, check.header)) {
        throw tampered(`a key change of ${slot.member} is not vouched for by their previous key`);
      }
      keys = { publicKey: link.publicKey, signingKey: link.signingKey };
    }
    if (keys.publicKey !== slot.publicKey || keys.signingKey !== (slot.signingKey ?? null)) {
      throw tampered(`the keys of ${slot.member}'s slot are not the ones the vault identity certified`);
    }
  }
  for (const entry of header.auditPublicKeys) {
    if (!verifies(sodium, entry.signature, epochMessage(header.vaultId, entry), identityKey)) {
      throw tampered(`the audit key of epoch ${entry.epoch} is not signed by the vault identity`);
    }
  }
  const current = header.auditPublicKeys.filter((entry) => entry.epoch === header.keyEpoch);
  if (current.length !== 1 || check.epoch !== header.keyEpoch) {
    throw tampered(`key epoch ${header.keyEpoch} has no single signed audit key`);
  }
  if (current[0]?.keyCheck !== epochKeyCheck(sodium, header.vaultId, check.epoch, check.audit, check.header)) {
    throw tampered(`the keys sealed to you for epoch ${header.keyEpoch} are not the ones the vault identity signed (they were replaced)`);
  }
}
