/**
 * Member key slots (docs/vault-format.md, "Key slots"). A slot holds the
 * member's X25519 key pair — the secret half wrapped by their passphrase —
 * and, sealed to the public half, their keys for the current epoch.
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

export function scopeFor(role: Role): SlotScope {
  return role === 'auditor' ? 'audit' : 'full';
}

function bindingOf(vaultId: string, slot: Pick<SlotRecord, 'slotId' | 'member' | 'role' | 'scope' | 'publicKey'>): SlotBinding {
  return { vaultId, slotId: slot.slotId, member: slot.member, role: slot.role, scope: slot.scope, publicKey: slot.publicKey };
}

/** Wraps a member secret key under a passphrase with fresh salt. */
function wrapSecret(
  sodium: Sodium,
  vaultId: string,
  slot: Pick<SlotRecord, 'slotId' | 'member' | 'role' | 'scope' | 'publicKey'>,
  secretKey: Uint8Array,
  passphrase: string,
  kdf: KdfParams,
): Pick<SlotRecord, 'kdf' | 'nonce' | 'wrapped'> {
  const salt = sodium.randombytes_buf(sodium.crypto_pwhash_SALTBYTES);
  const slotKey = deriveSlotKey(sodium, passphrase, salt, kdf);
  try {
    const { nonce, ciphertext } = wrapPayload(sodium, slotKey, secretKey, bindingOf(vaultId, slot));
    return { kdf: { ...kdf, salt: b64encode(sodium, salt) }, nonce: b64encode(sodium, nonce), wrapped: b64encode(sodium, ciphertext) };
  } finally {
    zeroKeys(sodium, slotKey);
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
}

export function createSlot(sodium: Sodium, input: NewSlotInput): SlotRecord {
  const pair = sodium.crypto_box_keypair();
  const base = {
    slotId: sodium.to_hex(sodium.randombytes_buf(8)),
    member: input.member,
    role: input.role,
    scope: scopeFor(input.role),
    publicKey: b64encode(sodium, pair.publicKey),
  };
  try {
    const wrapped = wrapSecret(sodium, input.vaultId, base, pair.privateKey, input.passphrase, input.kdf);
    const sealed = sealToMember(sodium, pair.publicKey, {
      vaultId: input.vaultId,
      slotId: base.slotId,
      epoch: input.epoch,
      scope: base.scope,
      keys: b64encode(sodium, input.epochKeys),
    });
    return { ...base, ...wrapped, sealedKeys: b64encode(sodium, sealed) };
  } finally {
    zeroKeys(sodium, pair.privateKey);
  }
}

/** Re-seals a slot's keys for a new epoch (rekey): needs only its public key. */
export function resealSlot(sodium: Sodium, vaultId: string, slot: SlotRecord, epoch: number, epochKeys: Uint8Array): SlotRecord {
  const sealed = sealToMember(sodium, b64decode(sodium, slot.publicKey), {
    vaultId,
    slotId: slot.slotId,
    epoch,
    scope: slot.scope,
    keys: b64encode(sodium, epochKeys),
  });
  return { ...slot, sealedKeys: b64encode(sodium, sealed) };
}

export interface OpenedSlot {
  slot: SlotRecord;
  secretKey: Uint8Array;
  epochKeys: Uint8Array;
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

/** Unwraps the slot with its derived key (zeroed here) and opens the member's epoch keys. */
function openWithSlotKey(sodium: Sodium, header: VaultHeader, slot: SlotRecord, slotKey: Uint8Array): OpenedSlot {
  let secretKey: Uint8Array;
  try {
    secretKey = unwrapPayload(
      sodium,
      slotKey,
      { nonce: b64decode(sodium, slot.nonce), ciphertext: b64decode(sodium, slot.wrapped) },
      bindingOf(header.vaultId, slot),
    );
  } finally {
    zeroKeys(sodium, slotKey);
  }
  const epochKeys = openMemberKeys(sodium, b64decode(sodium, slot.sealedKeys), b64decode(sodium, slot.publicKey), secretKey, {
    vaultId: header.vaultId,
    slotId: slot.slotId,
    epoch: header.keyEpoch,
    scope: slot.scope,
  });
  return { slot, secretKey, epochKeys };
}

/**
 * Unlocks a member's slot. An unknown member and a wrong passphrase give the
 * same error, so the header cannot be probed for who can open it.
 */
export function openSlot(sodium: Sodium, header: VaultHeader, member: string, passphrase: string): OpenedSlot {
  const { slot, salt } = slotToOpen(sodium, header, member);
  return openWithSlotKey(sodium, header, slot, deriveSlotKey(sodium, passphrase, salt, slot.kdf));
}

/** openSlot, with Argon2id awaited rather than blocking: the caller may work meanwhile (unlock reads the log). */
export async function openSlotAsync(sodium: Sodium, header: VaultHeader, member: string, passphrase: string): Promise<OpenedSlot> {
  const { slot, salt } = slotToOpen(sodium, header, member);
  return openWithSlotKey(sodium, header, slot, await deriveSlotKeyAsync(sodium, passphrase, salt, slot.kdf));
}

/** A new passphrase for the same key pair: only this slot changes. */
export function rewrapSlot(sodium: Sodium, vaultId: string, opened: OpenedSlot, newPassphrase: string, kdf: KdfParams): SlotRecord {
  return { ...opened.slot, ...wrapSecret(sodium, vaultId, opened.slot, opened.secretKey, newPassphrase, kdf) };
}
