/**
 * Test helper: fresh vaults in temp folders with the fast (insecure) KDF.
 * Shared by the engine's test files.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LifeboatError } from '../../shared/errors.js';
import { createVault, openVault } from '../../electron/vault/vault-open.js';
import type { VaultSession } from '../../electron/vault/vault-session.js';

export const PASSPHRASES: Record<string, string> = {
  alice: 'alice correct horse',
  bob: 'bob battery staple',
  carol: 'carol audits things',
  dave: 'dave responds fast',
};

export function tempVaultDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'lifeboat-test-')), 'ops.lifeboat');
}

export async function newVault(dir = tempVaultDir()): Promise<{ dir: string; session: VaultSession }> {
  const session = await createVault(dir, { owner: 'alice', passphrase: PASSPHRASES['alice'] ?? '', insecureFastKdf: true, name: 'Ops' });
  return { dir, session };
}

/** `stateDir`: whose laptop unlocks (anotherLaptop()); this test file's own by default. */
export function unlockAs(dir: string, member: string, passphrase = PASSPHRASES[member] ?? '', options: { stateDir?: string } = {}): Promise<VaultSession> {
  return openVault(dir, { member, passphrase, ...options });
}

/**
 * The state folder of another laptop, one that never saw any vault: its
 * local anchors (electron/vault/anchor/) start empty. Made inside this test
 * file's own state folder (state-dir-setup.ts), so it goes when that does.
 */
export function anotherLaptop(): string {
  return mkdtempSync(join(process.env['LIFEBOAT_STATE_DIR'] ?? tmpdir(), 'laptop-'));
}

/**
 * The typed error an operation that must fail gave; a session it opened
 * anyway is locked again, and success fails the test.
 */
export async function refusal(promise: Promise<unknown>): Promise<LifeboatError> {
  try {
    const value = await promise;
    if (value && typeof value === 'object' && 'lock' in value) {
      await (value as VaultSession).lock();
    }
  } catch (error) {
    if (error instanceof LifeboatError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the operation to fail');
}
