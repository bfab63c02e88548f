/**
 * The vault's fingerprint, for people to compare (the kit, Members &
 * settings, `lifeboat kit --fingerprint`): BLAKE2b-256 over the canonical
 * JSON of {vaultId, createdAt, first audit public key}, as 16 groups of 4 hex
 * digits (docs/vault-format.md). Those never change for a vault (members and
 * rekeys do not touch them), and after unlock they come from an
 * authenticated header.
 */
import { canonicalBytes } from '../canonical-json.js';
import type { Sodium } from './crypto-runtime.js';
import type { VaultHeader } from './vault-header.js';

export function vaultFingerprint(sodium: Sodium, header: Pick<VaultHeader, 'vaultId' | 'createdAt' | 'auditPublicKeys'>): string {
  const digest = sodium.crypto_generichash(
    32,
    canonicalBytes({ vaultId: header.vaultId, createdAt: header.createdAt, firstAuditKey: header.auditPublicKeys[0]?.publicKey ?? '' }),
    null,
  );
  return (sodium.to_hex(digest).match(/.{4}/g) ?? []).join(' ');
}
