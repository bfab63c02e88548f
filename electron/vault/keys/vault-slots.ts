/**
 * Member key slots (docs/vault-format.md, "Key slots"). A slot holds the
 * member's key pairs — the secret halves wrapped by their passphrase — and,
 * sealed to the X25519 public key, their keys for the current epoch.
 *
 * Format 2 wraps X25519 secret (32) ‖ Ed25519 secret (64) ‖ the vault
 * identity's public key (32): the identity is pinned where only the
 * member's passphrase reaches, so a header that names another identity is
 * refused. Format 1 slots wrap the X25519 secret alone; they are upgraded
 * at their member's next unlock.
 */
import { LifeboatError } from '../../../shared/errors.js';
import type { Role } from '../../../shared/records.js';
import type { Sodium } from './crypto-runtime.js';
import { isAcceptableKdf, type KdfParams } from './kdf-params.js';
import {
  deriveSlotKey,
  deriveSlotKeyAsync,
  openMemberKeys,
  sealToMember,
  unwrapPayload,
  wrapPayload,
  zeroKeys,
  type SlotBinding,
  type SlotScope,
} from './key-hierarchy.js';
import { b64decode, b64encode, type SlotRecord, type VaultHeader } from './vault-header.js';

const X25519_SECRET = 32;
const ED25519_SECRET = 64;
const IDENTITY_PUBLIC = 32;
const V2_PAYLOAD = X25519_SECRET + ED25519_SECRET + IDENTITY_PUBLIC;

export function scopeFor(role: Role): SlotScope {
  return role === 'auditor' ? 'audit' : 'full';
}

type SlotKeys = Pick<SlotRecord, 'slotId' | 'member' | 'role' | 'scope' | 'publicKey' | 'signingKey'>;

function bindingOf(vaultId: string, slot: SlotKeys): SlotBinding {
  return {
    vaultId,
    slotId: slot.slotId,
    member: slot.member,
    role: slot.role,
    scope: slot.scope,
    publicKey: slot.publicKey,
    ...(slot.signingKey === undefined ? {} : { signingKey: slot.signingKey }),
  };
}

/** The vault identity as a slot needs it: the public key to pin; the secret key to seal to owners (null if this writer has none). */
export interface IdentityKeys {
  publicKey: Uint8Array;
  secretKey: Uint8Array | null;
}

/** Where a wrap gets its key: a passphrase (fresh salt, Argon2id), or a slot key already derived at this unlock (same salt). */
export type WrapKey = { passphrase: string; kdf: KdfParams } | { slotKey: Uint8Array; kdf: SlotRecord['kdf'] };

function wrapWith(sodium: Sodium, vaultId: string, slot: SlotKeys, payload: Uint8Array, key: WrapKey): Pick<SlotRecord, 'kdf' | 'nonce' | 'wrapped'> {
  if ('slotKey' in key) {
    const { nonce, ciphertext } = wrapPayload(sodium, key.slotKey, payload, bindingOf(vaultId, slot));
    return { kdf: key.kdf, nonce: b64encode(sodium, nonce), wrapped: b64encode(sodium, ciphertext) };
  }
  const salt = sodium.randombytes_buf(sodium.crypto_pwhash_SALTBYTES);
  const slotKey = deriveSlotKey(sodium, key.passphrase, salt, key.kdf);
  try {
    const { nonce, ciphertext } = wrapPayload(sodium, slotKey, payload, bindingOf(vaultId, slot));
    return { kdf: { ...key.kdf, salt: b64encode(sodium, salt) }, nonce: b64encode(sodium, nonce), wrapped: b64encode(sodium, ciphertext) };
  } finally {
    zeroKeys(sodium, slotKey);
  }
}

/** What a role is sealed: the epoch's keys, and the identity's secret key for owners. */
function sealedFor(
  sodium: Sodium,
  vaultId: string,
  slot: Pick<SlotRecord, 'slotId' | 'role' | 'scope'>,
  publicKey: Uint8Array,
  epoch: number,
  epochKeys: Uint8Array,
  identity: IdentityKeys | null,
): string {
  const identitySecret = slot.role === 'owner' ? identity?.secretKey : null;
  const sealed = sealToMember(sodium, publicKey, {
    vaultId,
    slotId: slot.slotId,
    epoch,
    scope: slot.scope,
    keys: b64encode(sodium, epochKeys),
    ...(identitySecret ? { identity: b64encode(sodium, identitySecret) } : {}),
  });
  return b64encode(sodium, sealed);
}

/** Fresh key pairs for a slot, wrapped (format 2) with the identity pinned, and the epoch sealed to them. */
function freshKeys(
  sodium: Sodium,
  vaultId: string,
  base: Pick<SlotRecord, 'slotId' | 'member' | 'role' | 'scope'>,
  key: WrapKey,
  epoch: number,
  epochKeys: Uint8Array,
  identity: IdentityKeys,
): SlotRecord {
  const box = sodium.crypto_box_keypair();
  const signing = sodium.crypto_sign_keypair();
  const keys = { ...base, publicKey: b64encode(sodium, box.publicKey), signingKey: b64encode(sodium, signing.publicKey) };
  const payload = new Uint8Array(V2_PAYLOAD);
  payload.set(box.privateKey, 0);
  payload.set(signing.privateKey, X25519_SECRET);
  payload.set(identity.publicKey, X25519_SECRET + ED25519_SECRET);
  try {
    const wrapped = wrapWith(sodium, vaultId, keys, payload, key);
    return { ...keys, ...wrapped, sealedKeys: sealedFor(sodium, vaultId, base, box.publicKey, epoch, epochKeys, identity) };
  } finally {
    zeroKeys(sodium, box.privateKey, signing.privateKey, payload);
  }
}

export interface NewSlotInput {
  vaultId: string;
  member: string;
  role: Role;
  passphrase: string;
  kdf: KdfParams;
  epoch: number;
  /** The vault key (full scope) or audit ‖ header key (audit scope). */
  epochKeys: Uint8Array;
  identity: IdentityKeys;
}

export function createSlot(sodium: Sodium, input: NewSlotInput): SlotRecord {
  const base = { slotId: sodium.to_hex(sodium.randombytes_buf(8)), member: input.member, role: input.role, scope: scopeFor(input.role) };
  return freshKeys(sodium, input.vaultId, base, { passphrase: input.passphrase, kdf: input.kdf }, input.epoch, input.epochKeys, input.identity);
}

/**
 * The same member on fresh key pairs (a change of passphrase, or a format-1
 * slot upgraded): the old pairs open nothing sealed from now on. The caller
 * certifies the new keys (an owner) or adds the rotation link.
 */
export function renewSlot(
  sodium: Sodium,
  vaultId: string,
  slot: SlotRecord,
  key: WrapKey,
  epoch: number,
  epochKeys: Uint8Array,
  identity: IdentityKeys,
): SlotRecord {
  const renewed = freshKeys(sodium, vaultId, slot, key, epoch, epochKeys, identity);
  return { ...renewed, ...(slot.rotations ? { rotations: slot.rotations } : {}) };
}

/** Re-seals a slot's keys for a new epoch (rekey): needs only its public key. */
export function resealSlot(sodium: Sodium, vaultId: string, slot: SlotRecord, epoch: number, epochKeys: Uint8Array, identity: IdentityKeys | null): SlotRecord {
  return { ...slot, sealedKeys: sealedFor(sodium, vaultId, slot, b64decode(sodium, slot.publicKey), epoch, epochKeys, identity) };
}

export interface OpenedSlot {
  slot: SlotRecord;
  secretKey: Uint8Array;
  /** The member's Ed25519 secret key (format 2); null for a format-1 slot. */
  signingSecret: Uint8Array | null;
  /** The identity public key pinned in the wrapped payload (format 2); null for a format-1 slot. */
  pinnedIdentity: Uint8Array | null;
  /** The identity's secret key, sealed to owners; null otherwise. */
  identitySecret: Uint8Array | null;
  epochKeys: Uint8Array;
  /** The key the passphrase gave, kept only when asked for (to re-wrap the slot at this unlock). */
  slotKey: Uint8Array | null;
}

export function zeroOpened(sodium: Sodium, opened: OpenedSlot): void {
  zeroKeys(sodium, opened.secretKey, opened.signingSecret, opened.identitySecret, opened.epochKeys, opened.slotKey);
}

/** The member's slot and its salt, checked before any key derivation. */
function slotToOpen(sodium: Sodium, header: VaultHeader, member: string): { slot: SlotRecord; salt: Uint8Array } {
  const slot = header.slots.find((s) => s.member === member);
  if (!slot) {
    throw new LifeboatError('VAULT_AUTH_FAILED', 'Wrong passphrase, or no member of that name.');
  }
  if (!isAcceptableKdf(sodium, slot.kdf, header.insecureFastKdf)) {
    throw new LifeboatError(
      'VAULT_TAMPERED',
      `The key slot of ${member} asks for key-derivation settings outside what Lifeboat allows (too weak, or absurdly costly): the header is altered.`,
    );
  }
  // The header schema already refuses such a salt; a header built elsewhere must not reach crypto_pwhash with one either.
  const salt = b64decode(sodium, slot.kdf.salt, `the salt of ${member}'s key slot`);
  if (salt.length !== sodium.crypto_pwhash_SALTBYTES) {
    throw new LifeboatError(
      'VAULT_TAMPERED',
      `The key slot of ${member} has a salt of ${salt.length} bytes, not ${sodium.crypto_pwhash_SALTBYTES}: the header is altered.`,
    );
  }
  return { slot, salt };
}

/** Splits what the passphrase unwrapped: format 2 (three parts) or format 1 (the X25519 secret key). */
function splitPayload(slot: SlotRecord, payload: Uint8Array): Pick<OpenedSlot, 'secretKey' | 'signingSecret' | 'pinnedIdentity'> {
  const v2 = slot.signingKey !== undefined;
  if (payload.length !== (v2 ? V2_PAYLOAD : X25519_SECRET)) {
    payload.fill(0);
    throw new LifeboatError('VAULT_TAMPERED', `The key slot of ${slot.member} holds a payload of the wrong size: the header is altered.`);
  }
  if (!v2) {
    return { secretKey: payload, signingSecret: null, pinnedIdentity: null };
  }
  const parts = {
    secretKey: payload.slice(0, X25519_SECRET),
    signingSecret: payload.slice(X25519_SECRET, X25519_SECRET + ED25519_SECRET),
    pinnedIdentity: payload.slice(X25519_SECRET + ED25519_SECRET),
  };
  payload.fill(0);
  return parts;
}

/** Unwraps the slot with its derived key (zeroed here unless kept) and opens the member's epoch keys. */
function openWithSlotKey(sodium: Sodium, header: VaultHeader, slot: SlotRecord, slotKey: Uint8Array, keepSlotKey: boolean): OpenedSlot {
  let payload: Uint8Array;
  try {
    payload = unwrapPayload(
      sodium,
      slotKey,
      { nonce: b64decode(sodium, slot.nonce), ciphertext: b64decode(sodium, slot.wrapped) },
      bindingOf(header.vaultId, slot),
    );
  } catch (error) {
    zeroKeys(sodium, slotKey);
    throw error;
  }
  const parts = splitPayload(slot, payload);
  try {
    const opened = openMemberKeys(sodium, b64decode(sodium, slot.sealedKeys), b64decode(sodium, slot.publicKey), parts.secretKey, {
      vaultId: header.vaultId,
      slotId: slot.slotId,
      epoch: header.keyEpoch,
      scope: slot.scope,
    });
    if (opened.identity && opened.identity.length !== 64) {
      zeroKeys(sodium, opened.keys, opened.identity);
      throw new LifeboatError('VAULT_TAMPERED', `The keys sealed to ${slot.member} hold an identity key of the wrong size: the header is altered.`);
    }
    const result: OpenedSlot = { slot, ...parts, identitySecret: opened.identity, epochKeys: opened.keys, slotKey: keepSlotKey ? slotKey : null };
    if (!keepSlotKey) {
      zeroKeys(sodium, slotKey);
    }
    return result;
  } catch (error) {
    zeroKeys(sodium, slotKey, parts.secretKey, parts.signingSecret);
    throw error;
  }
}

/**
 * Unlocks a member's slot. An unknown member and a wrong passphrase give the
 * same error, so the header cannot be probed for who can open it.
 */
export function openSlot(sodium: Sodium, header: VaultHeader, member: string, passphrase: string): OpenedSlot {
  const { slot, salt } = slotToOpen(sodium, header, member);
  return openWithSlotKey(sodium, header, slot, deriveSlotKey(sodium, passphrase, salt, slot.kdf), false);
}

/** openSlot, with Argon2id awaited rather than blocking: the caller may work meanwhile (unlock reads the log). */
export async function openSlotAsync(
  sodium: Sodium,
  header: VaultHeader,
  member: string,
  passphrase: string,
  options: { keepSlotKey?: boolean } = {},
): Promise<OpenedSlot> {
  const { slot, salt } = slotToOpen(sodium, header, member);
  return openWithSlotKey(sodium, header, slot, await deriveSlotKeyAsync(sodium, passphrase, salt, slot.kdf), options.keepSlotKey === true);
}

/** A format-1 vault (not upgraded yet): a new passphrase for the same key pair, as format 1 did. */
export function rewrapLegacySlot(sodium: Sodium, vaultId: string, opened: OpenedSlot, newPassphrase: string, kdf: KdfParams): SlotRecord {
  return { ...opened.slot, ...wrapWith(sodium, vaultId, opened.slot, opened.secretKey, { passphrase: newPassphrase, kdf }) };
}
