/**
 * Issue 15, M6, written as the attack: a reason holding terminal escapes,
 * planted in the log (as an older Lifeboat accepted it), must not rewrite the
 * reveal's line in `lifeboat audit` into a fake "vault.locked"; stored titles
 * and member-visible text are escaped on every line the command line prints;
 * new reasons and titles with control or bidi characters are refused (exit
 * 2) with nothing logged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSPHRASES, newVault, unlockAs } from '../../test/support/test-vault.js';
import { auditEntries } from '../vault/audit/vault-audit.js';
import { createRecord } from '../vault/records/vault-records.js';
import { openVaultByQuorum } from '../operations/quorum.js';
import { startSession } from '../operations/recovery.js';
import { runCli } from './run-cli.js';

const ATTACK_REASON = 'INC-1\u001b[2K\r2026-01-01T00:00:00.000Z  alice (owner)  vault.locked';
const RLO_TITLE = 'invoice\u202Etxt.exe';

let dir = '';
let secret = '';
let runbook = '';

/**
 * A runbook body as an attacker who can write to a catalog folder would plant
 * it: erase-line and carriage return in a heading, conceal (SGR 8, a colour
 * code like the ones `show` writes itself) in a paragraph, a title-setting OSC
 * in a code block, a right-to-left override in a table cell, escapes in a
 * link's text and destination.
 */
const ATTACK_BODY = [
  '# Restore\u001b[2K\r# Delete everything',
  '',
  'Run the \u001b[8mrm -rf /\u001b[0m backup script. See [here\u001b[2K](other\u001b[31m.md).',
  '',
  '```sh',
  'echo \u001b]0;owned\u0007 done',
  '```',
  '',
  '| step | file |',
  '|---|---|',
  '| 1 | invoice\u202Etxt.exe |',
].join('\n');

beforeAll(async () => {
  const created = await newVault();
  dir = created.dir;
  const alice = created.session;
  secret = (await createRecord(alice, { type: 'secret', title: 'Root DB', data: { password: 'pw-1' } })).id;
  // Planted the way an older Lifeboat let it in: a reveal whose reason holds escapes, a title with an override.
  await alice.log({ type: 'secret.revealed', recordId: secret, recordTitle: RLO_TITLE, field: 'password', reason: ATTACK_REASON });
  runbook = (await createRecord(alice, { type: 'runbook', title: 'Restore', data: { body: ATTACK_BODY } })).id;
  await alice.lock();
}, 60_000);

afterAll(() => undefined);

async function lifeboat(member: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return lifeboatOn({ isTty: false }, member, ...argv);
}

/** As on a terminal (isTty: colour allowed) or a pipe. */
async function lifeboatOn(stdout: { isTty: boolean }, member: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    argv,
    { out: (t) => out.push(t), err: (t) => err.push(t) },
    {
      version: '1',
      env: { LIFEBOAT_PASSPHRASE: PASSPHRASES[member] ?? '' },
      stdout,
    },
  );
  return { code, out: out.join(''), err: err.join('') };
}

/** Events other than the unlocks and locks each call makes. */
async function logSize(): Promise<number> {
  const alice = await unlockAs(dir, 'alice');
  try {
    return auditEntries(alice).filter((e) => e.event.type !== 'vault.unlocked' && e.event.type !== 'vault.locked').length;
  } finally {
    await alice.lock();
  }
}

describe('stored text on a terminal', () => {
  it('attack: a reason with ESC[2K CR does not erase the reveal line of `lifeboat audit` into a fake vault.locked', async () => {
    const { code, out } = await lifeboat('alice', 'audit', dir, '--as', 'alice');
    expect(code).toBe(0);
    expect(out).not.toContain('\u001b');
    expect(out).not.toContain('\r');
    expect(out).not.toContain('\u202e');
    const line = out.split('\n').find((l) => l.includes('secret.revealed'));
    expect(line).toContain('reason: INC-1\\x1b[2K\\x0d2026-01-01T00:00:00.000Z  alice (owner)  vault.locked');
    expect(line).toContain('invoice\\u202etxt.exe');
  });

  it('keeps JSON exact: the reason reads back as it is stored', async () => {
    const { code, out } = await lifeboat('alice', 'audit', dir, '--as', 'alice', '--json');
    expect(code).toBe(0);
    expect(out).not.toContain('\u202e');
    const entries = JSON.parse(out) as { event: { type: string; reason?: string; recordTitle?: string } }[];
    const reveal = entries.find((e) => e.event.type === 'secret.revealed' && e.event.reason !== undefined && e.event.reason.startsWith('INC-1'));
    expect(reveal?.event).toMatchObject({ reason: ATTACK_REASON, recordTitle: RLO_TITLE });
  });

  it('refuses a new reason with terminal escapes (exit 2) and logs nothing', async () => {
    const before = await logSize();
    const { code, err } = await lifeboat('alice', 'reveal', dir, secret, 'password', '--as', 'alice', '--reason', ATTACK_REASON);
    expect(code).toBe(2);
    expect(err).toContain('A reason cannot hold control or bidirectional-formatting characters (found U+001B)');
    expect(err).not.toContain('\u001b');
    expect(await logSize()).toBe(before);
  });

  it('refuses a new title with a right-to-left override (exit 2) and logs nothing', async () => {
    const before = await logSize();
    const { code, err } = await lifeboat('alice', 'add', dir, '--as', 'alice', '--type', 'runbook', '--title', RLO_TITLE);
    expect(code).toBe(2);
    expect(err).toContain('found U+202E');
    expect(await logSize()).toBe(before);
  });
});

describe('a runbook rendered for the terminal (issue 17)', () => {
  /** Every escape sequence of a text, as written. */
  const escapes = (text: string): string[] =>
    text
      .split('\u001b')
      .slice(1)
      .map((rest) => `\u001b${/^[^a-zA-Z]*[a-zA-Z]?/u.exec(rest)?.[0] ?? ''}`);
  /** Carriage return, bell, right-to-left override: none may be printed raw. */
  const rawControls = (text: string): boolean => ['\r', '\u0007', '\u202e'].some((c) => text.includes(c));

  it('attack: escapes in the Markdown never reach a piped terminal: every one shows as text', async () => {
    const { code, out } = await lifeboat('alice', 'show', dir, '--as', 'alice', runbook);
    expect(code).toBe(0);
    expect(escapes(out)).toEqual([]);
    expect(rawControls(out)).toBe(false);
    // Markdown reads the CR as a line end: the fake heading is a heading of its own, under the escaped erase-line.
    expect(out).toContain('Restore\\x1b[2K\n');
    expect(out).toContain('[here\\x1b[2K](other\\x1b[31m.md)');
    expect(out).toContain('Run the \\x1b[8mrm -rf /\\x1b[0m backup script.');
    expect(out).toContain('echo \\x1b]0;owned\\x07 done');
    expect(out).toContain('invoice\\u202etxt.exe');
  });

  it('attack: on a colour terminal the only escapes are the colours show writes itself (no conceal, no OSC, no erase)', async () => {
    const { code, out } = await lifeboatOn({ isTty: true }, 'alice', 'show', dir, '--as', 'alice', runbook);
    expect(code).toBe(0);
    expect(escapes(out).length).toBeGreaterThan(0);
    const own = ['0', '1', '2', '3', '4', '33', '34', '36', '1;36'].map((codes) => `\u001b[${codes}m`);
    const foreign = escapes(out).filter((sequence) => !own.includes(sequence));
    expect(foreign).toEqual([]);
    expect(rawControls(out)).toBe(false);
    expect(out).toContain('\\x1b[8mrm -rf /\\x1b[0m');
  });
});

describe('other reasons both hosts take', () => {
  it('refuses a quorum unlock reason or a session scenario with escapes or overrides, before anything is read or logged', async () => {
    await expect(openVaultByQuorum(dir, { shares: ['x'], reason: ATTACK_REASON })).rejects.toMatchObject({ code: 'VAULT_BAD_INPUT' });
    const before = await logSize();
    const alice = await unlockAs(dir, 'alice');
    try {
      await expect(startSession(alice, { kind: 'exercise', scenario: 'DR drill \u202Eevil', services: ['x'] })).rejects.toMatchObject({
        code: 'VAULT_BAD_INPUT',
        message: expect.stringContaining('found U+202E') as unknown,
      });
    } finally {
      await alice.lock();
    }
    expect(await logSize()).toBe(before);
  });
});
