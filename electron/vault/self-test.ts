/**
 * The engine's self-test: proves, on this machine, that the primitives the
 * vault is built on load and behave. These are functional round-trip checks
 * (derive, seal/open, tamper rejection, sign/verify, FTS4 match), not
 * known-answer tests; the algorithms' correctness is libsodium's and SQLite's.
 */
import type { EngineComponent, EngineStatus } from '../../shared/contract.js';
import { loadSodium, type Sodium } from './keys/crypto-runtime.js';
import { loadSqlite } from './storage/sqlite-runtime.js';

export interface SelfTestStep {
  id: string;
  label: string;
  run(): Promise<string>;
}

function checkArgon2id(sodium: Sodium): string {
  const salt = sodium.randombytes_buf(sodium.crypto_pwhash_SALTBYTES);
  const derive = (password: string): Uint8Array =>
    sodium.crypto_pwhash(32, password, salt, sodium.crypto_pwhash_OPSLIMIT_MIN, sodium.crypto_pwhash_MEMLIMIT_MIN, sodium.crypto_pwhash_ALG_ARGON2ID13);
  const a = derive('correct horse');
  const b = derive('correct horse');
  const c = derive('correct horsf');
  if (!sodium.memcmp(a, b) || sodium.memcmp(a, c)) {
    throw new Error('Argon2id did not derive the same key twice, or derived it from a different passphrase');
  }
  return `libsodium ${sodium.SODIUM_VERSION_STRING}: Argon2id derives a stable key, and a different one for a different passphrase.`;
}

function checkXChaCha(sodium: Sodium): string {
  const key = sodium.crypto_aead_xchacha20poly1305_ietf_keygen();
  const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const message = sodium.from_string('self-test plaintext');
  const sealed = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(message, 'ad', null, nonce, key);
  const opened = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed, 'ad', nonce, key);
  if (!sodium.memcmp(opened, message)) {
    throw new Error('XChaCha20-Poly1305 did not return the sealed plaintext');
  }
  const tampered = sealed.slice();
  tampered[0] = (tampered[0] ?? 0) ^ 1;
  let rejected = false;
  try {
    sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, tampered, 'ad', nonce, key);
  } catch {
    rejected = true;
  }
  sodium.memzero(key);
  if (!rejected) {
    throw new Error('XChaCha20-Poly1305 accepted a tampered ciphertext');
  }
  return 'XChaCha20-Poly1305 opens what it sealed and rejects a flipped bit.';
}

function checkEd25519(sodium: Sodium): string {
  const pair = sodium.crypto_sign_keypair();
  const message = sodium.from_string('audit entry');
  const signature = sodium.crypto_sign_detached(message, pair.privateKey);
  const good = sodium.crypto_sign_verify_detached(signature, message, pair.publicKey);
  const bad = sodium.crypto_sign_verify_detached(signature, sodium.from_string('audit entrz'), pair.publicKey);
  sodium.memzero(pair.privateKey);
  if (!good || bad) {
    throw new Error('Ed25519 verification gave the wrong answer');
  }
  return 'Ed25519 verifies a signature and rejects it for an altered message.';
}

async function checkSqlite(): Promise<string> {
  const SQL = await loadSqlite();
  const db = new SQL.Database();
  try {
    db.run('CREATE VIRTUAL TABLE t USING fts4(body)');
    db.run("INSERT INTO t (body) VALUES ('restore the billing database'), ('rotate the root credential')");
    const rows = db.exec("SELECT sqlite_version(), (SELECT count(*) FROM t WHERE t MATCH 'billing')");
    const [version, matches] = rows[0]?.values[0] ?? [];
    if (matches !== 1) {
      throw new Error(`FTS4 matched ${String(matches)} rows instead of 1`);
    }
    return `SQLite ${String(version)} (sql.js) runs full-text search (FTS4).`;
  } finally {
    db.close();
  }
}

export function selfTestSteps(): SelfTestStep[] {
  return [
    { id: 'argon2id', label: 'Key derivation (Argon2id)', run: async () => checkArgon2id(await loadSodium()) },
    { id: 'aead', label: 'Encryption (XChaCha20-Poly1305)', run: async () => checkXChaCha(await loadSodium()) },
    { id: 'signatures', label: 'Signatures (Ed25519)', run: async () => checkEd25519(await loadSodium()) },
    { id: 'sqlite', label: 'Database (SQLite + FTS4)', run: checkSqlite },
  ];
}

/**
 * Runs every step, reporting each as it starts; a failing step is recorded
 * with its reason and does not stop the others.
 */
export async function runSelfTest(
  steps: SelfTestStep[],
  onStep: (done: number, total: number, label: string) => void,
  now: () => Date = () => new Date(),
): Promise<EngineStatus> {
  const components: EngineComponent[] = [];
  for (const [index, step] of steps.entries()) {
    onStep(index, steps.length, step.label);
    try {
      components.push({ id: step.id, label: step.label, ok: true, detail: await step.run() });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      components.push({ id: step.id, label: step.label, ok: false, detail: `Failed: ${reason}.` });
    }
  }
  onStep(steps.length, steps.length, 'Done');
  return { ready: components.every((c) => c.ok), components, checkedAt: now().toISOString() };
}
