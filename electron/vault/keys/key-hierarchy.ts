/**
 * Keys of a vault (docs/vault-format.md, "Keys"):
 *
 *   passphrase ──Argon2id(salt, params)──▶ slot key
 *   slot key ──XChaCha20-Poly1305 (AD: vault, slot, member, role, scope)──▶ member's X25519 secret key
 *   member's X25519 public key ◀── crypto_box_seal ── the member's keys for the current epoch
 *   vault key (32 random bytes, one per key epoch)
 *     ├─ crypto_kdf id 1 ─▶ content key   (database snapshots, sealed secret fields, audit signing key)
 *     ├─ crypto_kdf id 2 ─▶ audit key     (audit event bodies)
 *     └─ crypto_kdf id 3 ─▶ header key    (header MAC)
 *
 * A full member receives the vault key; an auditor only the audit key and the
 * header key, so an auditor can read and verify the log but cannot decrypt
 * content. The keys are sealed to each member's public key rather than wrapped
 * directly by the passphrase-derived key so that removing a member can rekey
 * the vault (new vault key for everyone else) without everyone's passphrase.
 */
import { argon2id, argon2idAsync } from './kdf-worker.js';
import { LifeboatError } from '../../../shared/errors.js';
import type { Sodium } from './crypto-runtime.js';
import type { KdfParams } from './kdf-params.js';

/** crypto_kdf contexts are exactly 8 bytes. */
const KDF_CONTEXT = 'LBvault1';
const SUBKEY_IDS = { content: 1, audit: 2, header: 3 } as const;

export interface SubKeys {
  content: Uint8Array;
  audit: Uint8Array;
  header: Uint8Array;
}

export function deriveSubKeys(sodium: Sodium, vaultKey: Uint8Array): SubKeys {
  const derive = (id: number): Uint8Array => sodium.crypto_kdf_derive_from_key(32, id, KDF_CONTEXT, vaultKey);
  return { content: derive(SUBKEY_IDS.content), audit: derive(SUBKEY_IDS.audit), header: derive(SUBKEY_IDS.header) };
}

export function zeroKeys(sodium: Sodium, ...keys: (Uint8Array | undefined | null)[]): void {
  for (const key of keys) {
    if (key) {
      sodium.memzero(key);
    }
  }
}

export type SlotScope = 'full' | 'audit';

export interface SlotBinding {
  vaultId: string;
  slotId: string;
  member: string;
  role: string;
  scope: SlotScope;
  /** base64 of the member's X25519 public key. */
  publicKey: string;
  /** base64 of the member's Ed25519 public key: format-2 slots only. */
  signingKey?: string;
}

/** The associated data binds a wrapped key to its vault, slot, member, role and key pair(s). */
function slotAd(binding: SlotBinding): string {
  const fields = `${binding.vaultId}|${binding.slotId}|${binding.member}|${binding.role}|${binding.scope}|${binding.publicKey}`;
  return binding.signingKey === undefined ? `lifeboat-slot-v1|${fields}` : `lifeboat-slot-v2|${fields}|${binding.signingKey}`;
}

/** Argon2id (crypto_pwhash); run in a worker thread so its memory is given back (kdf-worker.ts). */
export function deriveSlotKey(sodium: Sodium, passphrase: string, salt: Uint8Array, params: KdfParams): Uint8Array {
  return argon2id(sodium, passphrase, salt, params.opslimit, params.memlimit);
}

export function deriveSlotKeyAsync(sodium: Sodium, passphrase: string, salt: Uint8Array, params: KdfParams): Promise<Uint8Array> {
  return argon2idAsync(sodium, passphrase, salt, params.opslimit, params.memlimit);
}

export interface WrappedPayload {
  nonce: Uint8Array;
  ciphertext: Uint8Array;
}

export function wrapPayload(sodium: Sodium, slotKey: Uint8Array, payload: Uint8Array, binding: SlotBinding): WrappedPayload {
  const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(payload, slotAd(binding), null, nonce, slotKey);
  return { nonce, ciphertext };
}

/** Wrong passphrase and tampered slot are indistinguishable here, on purpose. */
export function unwrapPayload(sodium: Sodium, slotKey: Uint8Array, wrapped: WrappedPayload, binding: SlotBinding): Uint8Array {
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, wrapped.ciphertext, slotAd(binding), wrapped.nonce, slotKey);
  } catch {
    throw new LifeboatError('VAULT_AUTH_FAILED', 'Wrong passphrase, or no member of that name.');
  }
}

/** An auditor's payload: audit key then header key. */
export function auditorPayload(keys: SubKeys): Uint8Array {
  const payload = new Uint8Array(64);
  payload.set(keys.audit, 0);
  payload.set(keys.header, 32);
  return payload;
}

export function splitAuditorPayload(payload: Uint8Array): { audit: Uint8Array; header: Uint8Array } {
  if (payload.length !== 64) {
    throw new LifeboatError('VAULT_TAMPERED', 'An auditor key slot holds a payload of the wrong size.');
  }
  return { audit: payload.slice(0, 32), header: payload.slice(32, 64) };
}

/** Seals a value under a 32-byte key with XChaCha20-Poly1305; output is nonce ‖ ciphertext. */
export function seal(sodium: Sodium, key: Uint8Array, plaintext: Uint8Array | string, ad: string): Uint8Array {
  const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, key);
  const out = new Uint8Array(nonce.length + ciphertext.length);
  out.set(nonce, 0);
  out.set(ciphertext, nonce.length);
  return out;
}

/** Opens what `seal` made; throws `onFailure` (a typed error) if it does not authenticate. */
export function unseal(sodium: Sodium, key: Uint8Array, sealed: Uint8Array, ad: string, onFailure: () => LifeboatError): Uint8Array {
  const nonceBytes = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  if (sealed.length < nonceBytes + sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES) {
    throw onFailure();
  }
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed.subarray(nonceBytes), ad, sealed.subarray(0, nonceBytes), key);
  } catch {
    throw onFailure();
  }
}

/** What a member's sealed box holds for one key epoch (canonical JSON inside the box). */
export interface MemberKeys {
  vaultId: string;
  slotId: string;
  epoch: number;
  scope: SlotScope;
  /** base64: the vault key (full), or audit key ‖ header key (audit). */
  keys: string;
  /** base64 of the vault identity's Ed25519 secret key: owners only, format 2. */
  identity?: string;
}

export function sealToMember(sodium: Sodium, publicKey: Uint8Array, keys: MemberKeys): Uint8Array {
  return sodium.crypto_box_seal(JSON.stringify(keys), publicKey);
}

export function openMemberKeys(
  sodium: Sodium,
  sealed: Uint8Array,
  publicKey: Uint8Array,
  secretKey: Uint8Array,
  expected: Omit<MemberKeys, 'keys' | 'identity'>,
): { keys: Uint8Array; identity: Uint8Array | null } {
  let keys: MemberKeys;
  try {
    keys = JSON.parse(sodium.to_string(sodium.crypto_box_seal_open(sealed, publicKey, secretKey))) as MemberKeys;
  } catch {
    throw new LifeboatError('VAULT_TAMPERED', 'A member key slot does not open with its own key pair: the header is altered.');
  }
  if (keys.vaultId !== expected.vaultId || keys.slotId !== expected.slotId || keys.epoch !== expected.epoch || keys.scope !== expected.scope) {
    throw new LifeboatError('VAULT_TAMPERED', 'A member key slot belongs to another vault, slot or key epoch: the header is altered.');
  }
  try {
    return {
      keys: sodium.from_base64(keys.keys, sodium.base64_variants.ORIGINAL),
      identity: typeof keys.identity === 'string' ? sodium.from_base64(keys.identity, sodium.base64_variants.ORIGINAL) : null,
    };
  } catch {
    throw new LifeboatError('VAULT_TAMPERED', 'A member key slot holds keys that are not valid base64: the header is altered.');
  }
}
