/**
 * The keys a document that leaves the vault carries (an audit export, a
 * signed evidence report), and how a reader with no vault key decides
 * whether to believe them (docs/vault-format.md, "Audit export"):
 *
 * - format 2: `identityKey` is the vault identity; every audit public key
 *   must carry its signature (keys/vault-identity.ts), and the vault's
 *   fingerprint is computed from the identity, to compare with one obtained
 *   out of band (the emergency kit) or pinned with `--fingerprint`;
 * - format 1 (no identity): the audit keys are self-asserted; the reader is
 *   told so, and a pinned fingerprint cannot be checked.
 */
import { z } from 'zod';
import { LifeboatError } from '../../../shared/errors.js';
import type { Sodium } from '../keys/crypto-runtime.js';
import { b64decode } from '../keys/vault-header.js';
import { epochMessage } from '../keys/vault-identity.js';
import { verifiesDetached } from '../keys/signed-statement.js';
import { identityFingerprint } from '../keys/vault-fingerprint.js';

export const ExportedKeySchema = z
  .object({
    epoch: z.number().int().positive(),
    publicKey: z.string(),
    keyCheck: z.string().nullable().optional(),
    signature: z.string().optional(),
  })
  .strict();
export type ExportedKey = z.output<typeof ExportedKeySchema>;

/** "abcd ef01 …", any case and spacing, to compare. */
function normalisedFingerprint(text: string): string {
  return text.toLowerCase().replace(/[^0-9a-f]/g, '');
}

export interface KeyChainReport {
  /** The vault's fingerprint (format 2), or null when the document names no identity. */
  fingerprint: string | null;
  checks: string[];
}

/**
 * Checks every audit public key is signed by the identity (when there is
 * one) and, if `pinned` is given, that the identity is the vault with that
 * fingerprint. A failure is VAULT_TAMPERED naming the document.
 */
export function verifyKeyChain(
  sodium: Sodium,
  doc: { vaultId: string; identityKey?: string | undefined; publicKeys: readonly ExportedKey[] },
  path: string,
  pinned?: string,
): KeyChainReport {
  if (doc.identityKey === undefined) {
    if (pinned !== undefined) {
      throw new LifeboatError(
        'VAULT_TAMPERED',
        `${path} names no vault identity (a vault in the previous format, or the identity was stripped): its keys cannot be checked against fingerprint ${pinned}.`,
      );
    }
    return { fingerprint: null, checks: ['no vault identity (format 1): the audit keys are as the document states them, compare them out of band'] };
  }
  let identity: Uint8Array;
  try {
    identity = b64decode(sodium, doc.identityKey, 'the vault identity');
  } catch {
    identity = new Uint8Array(0);
  }
  if (identity.length !== sodium.crypto_sign_PUBLICKEYBYTES) {
    throw new LifeboatError('VAULT_BAD_INPUT', `${path}: identityKey is not a 32-byte base64 Ed25519 key.`);
  }
  for (const entry of doc.publicKeys) {
    let signature: Uint8Array;
    try {
      signature = b64decode(sodium, entry.signature ?? '', 'a signature');
    } catch {
      signature = new Uint8Array(0);
    }
    if (!verifiesDetached(sodium, signature, epochMessage(doc.vaultId, entry), identity)) {
      throw new LifeboatError('VAULT_TAMPERED', `${path}: the audit key of epoch ${entry.epoch} is not signed by the vault identity it names.`);
    }
  }
  const fingerprint = identityFingerprint(sodium, doc.vaultId, doc.identityKey);
  const checks = [`every audit key (${doc.publicKeys.length}) is signed by the vault identity, fingerprint ${fingerprint}`];
  if (pinned !== undefined) {
    if (normalisedFingerprint(pinned) !== normalisedFingerprint(fingerprint)) {
      throw new LifeboatError('VAULT_TAMPERED', `${path} is from the vault with fingerprint ${fingerprint}, not ${pinned}: do not trust it as that vault's.`);
    }
    checks.push('the fingerprint is the one you gave');
  }
  return { fingerprint, checks };
}
