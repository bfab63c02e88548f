/**
 * Argon2id cost parameters. The default is libsodium's MODERATE (3 passes,
 * 256 MiB), chosen for a vault opened rarely, by hand, on a laptop. Tests may
 * set LIFEBOAT_INSECURE_FAST_KDF=1 for the minimum cost; a vault created that
 * way is marked in its header and every open warns about it.
 */
import type { Sodium } from './crypto-runtime.js';

export interface KdfParams {
  alg: 'argon2id13';
  opslimit: number;
  memlimit: number;
}

export function insecureFastKdfRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['LIFEBOAT_INSECURE_FAST_KDF'] === '1';
}

export function defaultKdfParams(sodium: Sodium, insecureFast: boolean): KdfParams {
  return insecureFast
    ? { alg: 'argon2id13', opslimit: sodium.crypto_pwhash_OPSLIMIT_MIN, memlimit: sodium.crypto_pwhash_MEMLIMIT_MIN }
    : { alg: 'argon2id13', opslimit: sodium.crypto_pwhash_OPSLIMIT_MODERATE, memlimit: sodium.crypto_pwhash_MEMLIMIT_MODERATE };
}

/**
 * libsodium's SENSITIVE costs (crypto_pwhash_OPSLIMIT_SENSITIVE and
 * MEMLIMIT_SENSITIVE; kdf-params.test.ts checks), for code that must bound a
 * derivation before libsodium has loaded in this thread (unlock-ahead.ts).
 */
export const ARGON2ID_MOST = { opslimit: 4, memlimit: 1024 * 1024 * 1024 } as const;

/** Refuses parameters weaker than MODERATE unless the vault is marked insecure (a header downgrade attack). */
/**
 * Upper bounds too: the header is unauthenticated until after the KDF runs,
 * so an edited slot asking for hours of work or more memory than WASM has
 * must be refused before it is attempted. SENSITIVE is libsodium's strongest
 * named setting; Lifeboat never writes more.
 */
export function isAcceptableKdf(sodium: Sodium, params: KdfParams, insecureFast: boolean): boolean {
  const withinMax = params.opslimit <= sodium.crypto_pwhash_OPSLIMIT_SENSITIVE && params.memlimit <= sodium.crypto_pwhash_MEMLIMIT_SENSITIVE;
  if (insecureFast) {
    return withinMax && params.opslimit >= sodium.crypto_pwhash_OPSLIMIT_MIN && params.memlimit >= sodium.crypto_pwhash_MEMLIMIT_MIN;
  }
  return withinMax && params.opslimit >= sodium.crypto_pwhash_OPSLIMIT_MODERATE && params.memlimit >= sodium.crypto_pwhash_MEMLIMIT_MODERATE;
}
