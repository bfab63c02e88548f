/**
 * The vault's fingerprint, for people to compare (the kit, Members &
 * settings, `lifeboat kit --fingerprint`, `audit verify --export`), as 16
 * groups of 4 hex digits (docs/vault-format.md, "Fingerprint"):
 *
 * - format 2: BLAKE2b-256 over the canonical JSON of {identityKey, vaultId}:
 *   the vault identity, which signs the member set and every epoch's audit
 *   key, so an export can be checked against it with no vault key;
 * - format 1: BLAKE2b-256 over {vaultId, createdAt, firstAuditKey}.
 *
 * Neither changes with members or rekeys; the upgrade to format 2 changes it
 * once (logged, with the new value).
 */
import { canonicalBytes } from '../canonical-json.js';
import type { Sodium } from './crypto-runtime.js';
import type { VaultHeader } from './vault-header.js';

function grouped(sodium: Sodium, digest: Uint8Array): string {
  return (sodium.to_hex(digest).match(/.{4}/g) ?? []).join(' ');
}

/** The format-2 fingerprint from what an export carries: the vault id and the identity public key (base64). */
export function identityFingerprint(sodium: Sodium, vaultId: string, identityKey: string): string {
  return grouped(sodium, sodium.crypto_generichash(32, canonicalBytes({ identityKey, vaultId }), null));
}

export function vaultFingerprint(sodium: Sodium, header: Pick<VaultHeader, 'vaultId' | 'createdAt' | 'auditPublicKeys' | 'identity'>): string {
  if (header.identity) {
    return identityFingerprint(sodium, header.vaultId, header.identity.publicKey);
  }
  const digest = sodium.crypto_generichash(
    32,
    canonicalBytes({ vaultId: header.vaultId, createdAt: header.createdAt, firstAuditKey: header.auditPublicKeys[0]?.publicKey ?? '' }),
    null,
  );
  return grouped(sodium, digest);
}
