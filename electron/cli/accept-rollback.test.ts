/**
 * The command line's side of the local anchor (issue #15): a vault older
 * than this laptop last saw it is exit 4 with the sentence saying what went
 * backwards; `doctor` shows it without a key; an owner who restored a backup
 * on purpose accepts it with `doctor --as OWNER --accept-rollback --yes`,
 * after which the vault opens and the acceptance is in the audit log.
 */
import { cp, rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { PASSPHRASES, newVault, tempVaultDir, unlockAs } from '../../test/support/test-vault.js';
import { auditEntries } from '../vault/audit/vault-audit.js';
import { createRecord } from '../vault/records/vault-records.js';
import { runCli } from './run-cli.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

const env = { LIFEBOAT_PASSPHRASE: PASSPHRASES['alice'] ?? '' };

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = capture();
  const code = await runCli(args, c.io, { version: '1', env });
  return { code, out: c.out.join(''), err: c.err.join('') };
}

describe('lifeboat doctor --accept-rollback', () => {
  it('a restored backup is exit 4 until an owner accepts it; then it opens, and the log says what went backwards', async () => {
    const { dir, session } = await newVault();
    await session.lock();
    const backup = tempVaultDir();
    await cp(dir, backup, { recursive: true });
    const later = await unlockAs(dir, 'alice');
    await createRecord(later, { type: 'runbook', title: 'Written after the backup', data: {} });
    await later.lock();
    await rm(dir, { recursive: true });
    await cp(backup, dir, { recursive: true });

    const refused = await run(['list', dir, '--as', 'alice']);
    expect(refused.code).toBe(4);
    expect(refused.err).toContain('This vault is older than this laptop last saw it: audit.log has');
    expect(refused.err).toContain('--accept-rollback');

    const looked = await run(['doctor', dir]);
    expect(looked.code).toBe(0);
    expect(looked.out).toMatch(/This laptop last saw \(local anchor\): header serial \d+, snapshot generation \d+, \d+ audit records/);
    expect(looked.out).toContain('Older on disk than that: audit.log has');

    expect((await run(['doctor', dir, '--accept-rollback'])).code).toBe(2);
    const unconfirmed = await run(['doctor', dir, '--as', 'alice', '--accept-rollback']);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.err).toContain('confirm with --yes');
    expect((await run(['doctor', dir, '--as', 'alice', '--accept-rollback', '--restore', '1', '--yes'])).code).toBe(2);

    const accepted = await run(['doctor', dir, '--as', 'alice', '--accept-rollback', '--yes']);
    expect(accepted.code, accepted.err).toBe(0);
    expect(accepted.out).toMatch(/^Accepted: audit\.log has \d+ records, \d+ fewer than the \d+ seen here/);
    expect(accepted.out).not.toContain('Older on disk than that');

    expect((await run(['list', dir, '--as', 'alice'])).code).toBe(0);
    const alice = await unlockAs(dir, 'alice');
    expect(auditEntries(alice).filter((e) => e.event.type === 'vault.rollback-accepted')).toHaveLength(1);
    await alice.lock();

    const again = await run(['doctor', dir, '--as', 'alice', '--accept-rollback', '--yes']);
    expect(again.code).toBe(0);
    expect(again.out).toContain('there was nothing to accept');
  });
});
