/**
 * An unlock started before the code that unlocks has loaded (issue #20: the
 * one-shot command line). Argon2id takes about a second in its worker while
 * the main thread has nothing to do; a `lifeboat search` spent ~0.5 s loading
 * modules before it could even start it. Here, with only this small module
 * loaded, the member's slot is read from header.json and its derivation
 * started (kdf-worker.ts deriveAhead); the unlock that follows, with the
 * full engine, takes the key if it asks for the very same inputs.
 *
 * Nothing read here is trusted: the header is unauthenticated and an attacker
 * may write to the vault folder. The real unlock reads it again under the
 * vault's lock, checks everything it checked before, and uses a key from
 * here only for exactly the passphrase, salt and costs it asks for; anything
 * else (another header, a damaged one) only means the derivation runs again.
 * Costs beyond libsodium's SENSITIVE are never started (a header asking for
 * hours of work), nor those too small for a worker (test vaults).
 */
import { join } from 'node:path';
import { HEADER_FILE } from './keys/header-file.js';
import { ARGON2ID_MOST } from './keys/kdf-params.js';
import { deriveAhead, prewarmKdf, WORKER_MIN_MEMLIMIT } from './keys/kdf-worker.js';
import { readVaultText } from './storage/vault-files.js';

const SALT_BYTES = 16;

interface SlotKdf {
  salt: Uint8Array;
  opslimit: number;
  memlimit: number;
}

const isCost = (value: unknown, least: number, most: number): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= least && value <= most;

/** The member's Argon2id inputs as header.json claims them, or null when anything about them is off. */
export function claimedSlotKdf(header: unknown, member: string): SlotKdf | null {
  const slots = (header as { slots?: unknown } | null)?.slots;
  if (!Array.isArray(slots)) {
    return null;
  }
  const slot = (slots as unknown[]).find((s) => (s as { member?: unknown } | null)?.member === member) as { kdf?: Record<string, unknown> } | undefined;
  const kdf = slot?.kdf;
  if (!kdf || kdf['alg'] !== 'argon2id13' || typeof kdf['salt'] !== 'string') {
    return null;
  }
  const { opslimit, memlimit } = kdf;
  if (!isCost(opslimit, 1, ARGON2ID_MOST.opslimit) || !isCost(memlimit, WORKER_MIN_MEMLIMIT, ARGON2ID_MOST.memlimit)) {
    return null;
  }
  const salt = Buffer.from(kdf['salt'], 'base64');
  return salt.length === SALT_BYTES ? { salt: new Uint8Array(salt), opslimit, memlimit } : null;
}

/**
 * Starts the member's Argon2id from what header.json says (its worker at
 * once, loading libsodium while the header is read). Never fails: whatever
 * is wrong is the real unlock's to report, in its own order.
 */
export async function unlockAhead(dir: string, member: string, passphrase: string): Promise<void> {
  prewarmKdf();
  try {
    const kdf = claimedSlotKdf(JSON.parse(await readVaultText(join(dir, HEADER_FILE))) as unknown, member);
    if (kdf) {
      deriveAhead(passphrase, kdf.salt, kdf.opslimit, kdf.memlimit);
    }
  } catch {
    // No header, not JSON, not a file: the unlock says so.
  }
}
