/**
 * The one shape of what Lifeboat signs outside the audit log: a context line
 * followed by canonical JSON (the vault identity's statements, an audit
 * export's signature), and the one check of a detached Ed25519 signature.
 */
import { canonicalBytes } from '../canonical-json.js';
import type { Sodium } from './crypto-runtime.js';

/** UTF-8 of `context` (ending in a newline), then the canonical JSON of `body`. */
export function statementBytes(context: string, body: unknown): Uint8Array {
  const head = new TextEncoder().encode(context);
  const json = canonicalBytes(body);
  const out = new Uint8Array(head.length + json.length);
  out.set(head, 0);
  out.set(json, head.length);
  return out;
}

/** True only for a signature and key of the right sizes that verify over `bytes`; never throws. */
export function verifiesDetached(sodium: Sodium, signature: Uint8Array, bytes: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== sodium.crypto_sign_BYTES || publicKey.length !== sodium.crypto_sign_PUBLICKEYBYTES) {
    return false;
  }
  try {
    return sodium.crypto_sign_verify_detached(signature, bytes, publicKey);
  } catch {
    return false;
  }
}
