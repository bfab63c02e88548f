/**
 * The keys a session holds for the current key epoch, and how the header
 * carries the rest: the audit signing key sealed under the content key, the
 * older epochs' audit keys (the keyring) sealed under the current audit key.
 * Everything here is zeroed on lock.
 */
import { LifeboatError } from '../../../shared/errors.js';
import type { Sodium } from './crypto-runtime.js';
import { deriveSubKeys, seal, splitAuditorPayload, unseal, zeroKeys } from './key-hierarchy.js';
import { b64decode, b64encode, type VaultHeader } from './vault-header.js';

export interface EpochKeys {
  epoch: number;
  /** Null for an auditor. */
  vaultKey: Uint8Array | null;
  content: Uint8Array | null;
  audit: Uint8Array;
  header: Uint8Array;
  /** Ed25519 secret key of this epoch; null for an auditor. */
  signingSecret: Uint8Array | null;
  /** Audit keys of earlier epochs, to read older log records. */
  keyring: Map<number, Uint8Array>;
  /** The vault identity's Ed25519 secret key: owners of a format-2 vault only (keys/vault-identity.ts). */
  identity: Uint8Array | null;
}

const signingKeyAd = (vaultId: string, epoch: number): string => `lifeboat-audit-signing-key|${vaultId}|${epoch}`;
const keyringAd = (vaultId: string, epoch: number): string => `lifeboat-audit-keyring|${vaultId}|${epoch}`;

function tampered(what: string): () => LifeboatError {
  return () => new LifeboatError('VAULT_TAMPERED', `The vault header is altered: ${what} does not decrypt.`);
}

export function sealSigningKey(sodium: Sodium, vaultId: string, epoch: number, content: Uint8Array, secret: Uint8Array): string {
  return b64encode(sodium, seal(sodium, content, secret, signingKeyAd(vaultId, epoch)));
}

export function sealKeyring(sodium: Sodium, vaultId: string, epoch: number, audit: Uint8Array, keyring: Map<number, Uint8Array>): string {
  const json: Record<string, string> = {};
  for (const [keyEpoch, key] of keyring) {
    json[String(keyEpoch)] = b64encode(sodium, key);
  }
  return b64encode(sodium, seal(sodium, audit, JSON.stringify(json), keyringAd(vaultId, epoch)));
}

/** Builds the session keys from what a member's slot gave them. */
export function openEpochKeys(sodium: Sodium, header: VaultHeader, scope: 'full' | 'audit', epochKeys: Uint8Array): EpochKeys {
  const epoch = header.keyEpoch;
  let keys: EpochKeys;
  if (scope === 'full') {
    const sub = deriveSubKeys(sodium, epochKeys);
    keys = { epoch, vaultKey: epochKeys, content: sub.content, audit: sub.audit, header: sub.header, signingSecret: null, keyring: new Map(), identity: null };
    keys.signingSecret = unseal(
      sodium,
      sub.content,
      b64decode(sodium, header.auditSigningKey),
      signingKeyAd(header.vaultId, epoch),
      tampered('the audit signing key'),
    );
  } else {
    const { audit, header: headerKey } = splitAuditorPayload(epochKeys);
    zeroKeys(sodium, epochKeys);
    keys = { epoch, vaultKey: null, content: null, audit, header: headerKey, signingSecret: null, keyring: new Map(), identity: null };
  }
  const ring = JSON.parse(
    sodium.to_string(unseal(sodium, keys.audit, b64decode(sodium, header.auditKeyring), keyringAd(header.vaultId, epoch), tampered('the audit keyring'))),
  ) as Record<string, string>;
  for (const [keyEpoch, key] of Object.entries(ring)) {
    keys.keyring.set(Number(keyEpoch), b64decode(sodium, key));
  }
  return keys;
}

export function auditKeyFor(keys: EpochKeys): (epoch: number) => Uint8Array | undefined {
  return (epoch) => (epoch === keys.epoch ? keys.audit : keys.keyring.get(epoch));
}

export function publicKeyMap(sodium: Sodium, header: VaultHeader): Map<number, Uint8Array> {
  return new Map(header.auditPublicKeys.map(({ epoch, publicKey }) => [epoch, b64decode(sodium, publicKey)]));
}

export function zeroEpochKeys(sodium: Sodium, keys: EpochKeys): void {
  zeroKeys(sodium, keys.vaultKey, keys.content, keys.audit, keys.header, keys.signingSecret, keys.identity, ...keys.keyring.values());
  keys.keyring.clear();
}
