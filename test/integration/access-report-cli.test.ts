/**
 * `lifeboat report access` through the BUILT CLI (the contract: exit codes,
 * files, what an auditor can do), on a small vault the engine fills: a reveal
 * with its reason, a failed unlock. The report's content is proven in-process
 * (electron/operations/access-report.test.ts); here only what the verb adds:
 * the PDF read back with pdftotext, the JSON checked by `audit verify --export`
 * (exit 0, and 4 once tampered), usage errors (exit 2).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { addMember } from '../../electron/vault/vault-members.js';
import { createRecord, revealField } from '../../electron/vault/records/vault-records.js';
import { cliRunner, expectFailure, expectOk, json } from '../support/cli-run.js';
import { PASSPHRASES, newVault } from '../support/test-vault.js';

const SECRET = 'S3CRET-VALUE-NEVER-PRINTED';
const REASON = 'INC-7 payment gateway down';

let work = '';
let vault = '';
const lifeboat = cliRunner(() => work);
const carol = (args: string[]): ReturnType<typeof lifeboat> => lifeboat([...args, '--as', 'carol'], { pass: PASSPHRASES['carol'] ?? '' });

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lifeboat-access-cli-'));
  vault = join(work, 'ops.lifeboat');
  const { session } = await newVault(vault);
  await addMember(session, { name: 'carol', role: 'auditor', passphrase: PASSPHRASES['carol'] ?? '' });
  const { id } = await createRecord(session, { type: 'secret', title: 'Payment gateway key', data: { password: SECRET } });
  await revealField(session, id, 'password', REASON);
  await session.lock();
}, 60_000);

describe('lifeboat report access', { timeout: 90_000 }, () => {
  it('an auditor writes a PDF whose text holds every reveal and its reason, and no secret', async () => {
    const out = join(work, 'access.pdf');
    expectOk(await carol(['report', 'access', vault, '--out', out]));
    expect(readFileSync(out).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain(REASON);
    expect(text).toContain('Payment gateway key');
    expect(text).toContain('PCI DSS 4.0 8.6.1');
    expect(text).not.toContain(SECRET);
  });

  it('writes signed JSON that audit verify --export accepts (exit 0) and refuses once tampered (exit 4)', async () => {
    const out = join(work, 'access.json');
    const written = json(await carol(['report', 'access', vault, '--from', '2000-01-01', '--out', out, '--json'])) as { reveals: number };
    expect(written.reveals).toBe(1);
    const verified = json(await lifeboat(['audit', 'verify', '--export', out, '--json'])) as { kind: string; reveals: number };
    expect(verified).toMatchObject({ kind: 'access-report', reveals: 1 });
    writeFileSync(out, readFileSync(out, 'utf8').replace(REASON, 'routine check'));
    expectFailure(await lifeboat(['audit', 'verify', '--export', out]), 4, /does not match the signed audit log/);
  });

  it('refuses a bad date and an unknown file type (exit 2), asking no passphrase', async () => {
    expectFailure(
      await lifeboat(['report', 'access', vault, '--as', 'carol', '--from', 'yesterday', '--out', join(work, 'x.md')]),
      2,
      /--from "yesterday" is not a date/,
    );
    expectFailure(await carol(['report', 'access', vault, '--out', join(work, 'x.txt')]), 2, /\.pdf, \.md or \.json/);
  });
});
