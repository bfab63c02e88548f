/**
 * Attack kept as a test: a lock planted in the vault folder, naming another
 * computer, made the vault busy for ever. The CLI says how out (exit 5,
 * --break-lock), and --break-lock takes the vault and logs whose lock it was.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PASSPHRASES, newVault, unlockAs } from '../../test/support/test-vault.js';
import { auditEntries } from '../vault/audit/vault-audit.js';
import { runCli } from './run-cli.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe('a planted lock from another computer', () => {
  it('is VAULT_BUSY (exit 5) naming --break-lock; --break-lock opens the vault and the audit log records it', async () => {
    const { dir, session } = await newVault();
    await session.lock();
    const planted = `${JSON.stringify({ pid: 1, hostname: 'gone-laptop.local', startedAt: '2024-01-01T00:00:00.000Z' })}\n`;
    await writeFile(join(dir, 'lock'), planted);
    const env = { LIFEBOAT_PASSPHRASE: PASSPHRASES['alice'] ?? '' };

    const busy = capture();
    expect(await runCli(['list', dir, '--as', 'alice'], busy.io, { version: '1', env })).toBe(5);
    expect(busy.err.join('')).toContain('gone-laptop.local is no longer using it, run the command again with --break-lock');
    expect(await readFile(join(dir, 'lock'), 'utf8')).toBe(planted);

    const broken = capture();
    expect(await runCli(['list', dir, '--as', 'alice', '--break-lock'], broken.io, { version: '1', env })).toBe(0);

    const alice = await unlockAs(dir, 'alice');
    const events = auditEntries(alice).map((e) => e.event);
    await alice.lock();
    const logged = events.find((e) => e.type === 'vault.lock-broken');
    expect(logged).toMatchObject({ actor: 'alice', details: { pid: 1, hostname: 'gone-laptop.local', startedAt: '2024-01-01T00:00:00.000Z' } });
  });

  it('the doctor takes --break-lock only with --restore (breaking a lock is logged)', async () => {
    const { dir, session } = await newVault();
    await session.lock();
    const c = capture();
    expect(await runCli(['doctor', dir, '--as', 'alice', '--break-lock'], c.io, { version: '1', env: {} })).toBe(2);
    expect(c.err.join('')).toContain('--break-lock is logged');
  });
});
