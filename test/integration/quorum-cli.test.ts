/**
 * Recovery shares, the emergency kit and the two-person rule through the
 * `lifeboat` CLI, end to end, the way cli-contract.test.ts drives it: every
 * call spawns the BUILT CLI (dist/cli/lifeboat.js) as a fresh Node
 * process with a clean environment (no inherited LIFEBOAT_* variable; the
 * passphrases set per call), stdin not a terminal, in a temp folder. A failing
 * call must print one clear line on stderr (besides the insecure-KDF warning),
 * never a stack.
 *
 * The vault is made with the engine (fast KDF, test/support/test-vault.ts):
 * alice (owner), bob (commander), a runbook, and a secret alice marks for the
 * two-person rule. From then on only the CLI touches it. The tests share it
 * and run in order: create → status → sheets → unlock → rotate → kit →
 * revoke. Printing launches Chromium (about a second per page, five sheets in
 * parallel), so shares are created only twice.
 */
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../electron/vault/audit/vault-audit.js';
import { addMember } from '../../electron/vault/vault-members.js';
import { createRecord, editRecord } from '../../electron/vault/records/vault-records.js';
import { CLI, cliRunner, expectFailure, expectOk, json, show, type RunOptions, type RunResult } from '../support/cli-run.js';
import { PASSPHRASES, newVault } from '../support/test-vault.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

const OWNER = 'alice';
const COMMANDER = 'bob';
const CUSTODIANS = ['Ann Lee', 'Bruno', 'Chloé', 'Dmitri', 'Esther'];
/** What `shares create` names each custodian's files (numbered, the name made file-safe). */
/** Sheet files are named by set (a new set never overwrites sheets that still work), custodian number and name. */
const sheetBases = (setId: string): string[] =>
  ['01-ann-lee', '02-bruno', '03-chloe', '04-dmitri', '05-esther'].map((rest) => `lifeboat-share-${setId.slice(0, 8)}-${rest}`);
const SECRET_TITLE = 'Root CA signing key';
const SECRET_VALUE = 'pkcs11:token=root-ca;pin=4711-0815';
const QUORUM_REASON = 'INC-77: both owners unreachable, IdP down';

/** The share line of a sheet's .txt file: 20 groups of 5. */
const SHARE_LINE = /^[0-9A-Z]{5}(?: [0-9A-Z]{5}){19}$/m;

let work = '';
let vault = '';
let secretId = '';
let vaultId = '';

/** Runs the built CLI in `work`. */
const lifeboat = cliRunner(() => work);

/** `lifeboat VERB… DIR --as MEMBER REST…` with that member's passphrase. */
function as(member: string, verb: string[], ...rest: string[]): Promise<RunResult> {
  return lifeboat([...verb, vault, '--as', member, ...rest], { pass: PASSPHRASES[member] });
}

/** The share a sheet's .txt file carries (its line of 20 groups). */
function shareOf(txtFile: string): string {
  const match = SHARE_LINE.exec(readFileSync(txtFile, 'utf8'));
  expect(match, `${txtFile} has no share line`).not.toBeNull();
  return match?.[0] ?? '';
}

function pdfText(pdf: string): string {
  return execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
}

/** Page 1 of a PDF as test-results/screenshots/<name>-1.png, to look at. */
function screenshot(pdf: string, name: string): void {
  mkdirSync(SCREENSHOTS, { recursive: true });
  execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', pdf, join(SCREENSHOTS, name)]);
}

/** Every 3-element subset of 0..n-1. */
function triples(n: number): number[][] {
  const out: number[][] = [];
  for (let a = 0; a < n; a += 1) {
    for (let b = a + 1; b < n; b += 1) {
      for (let c = b + 1; c < n; c += 1) {
        out.push([a, b, c]);
      }
    }
  }
  return out;
}

function shareFileArgs(files: readonly string[]): string[] {
  return files.flatMap((file) => ['--share-file', file]);
}

async function auditEntries(): Promise<AuditEntry[]> {
  return json(await as(OWNER, ['audit'], '--json')) as AuditEntry[];
}

beforeAll(async () => {
  if (!existsSync(CLI)) {
    execSync('npm run build:node', { cwd: ROOT, stdio: 'inherit' });
  }
  work = await mkdtemp(join(tmpdir(), 'lifeboat-quorum-cli-'));
  vault = join(work, 'ops.lifeboat');
  const { session } = await newVault(vault);
  vaultId = session.vaultId;
  await addMember(session, { name: COMMANDER, role: 'commander', passphrase: PASSPHRASES[COMMANDER] ?? '' });
  await createRecord(session, { type: 'runbook', title: 'Restore the CA', data: { steps: ['Fetch the HSM from the safe'] } });
  const secret = await createRecord(session, { type: 'secret', title: SECRET_TITLE, data: { password: SECRET_VALUE } });
  secretId = secret.id;
  // As an owner would mark an existing secret in the app: a reveal now needs a second member.
  await editRecord(session, secretId, { set: { twoPerson: true } });
  await session.lock();
  mkdirSync(join(work, 'sheets-1'));
  mkdirSync(join(work, 'sheets-2'));
}, 120_000);

afterAll(async () => {
  if (work) {
    await rm(work, { recursive: true, force: true });
  }
});

describe('lifeboat shares, unlock-quorum and kit', { timeout: 60_000 }, () => {
  let firstSet = '';
  let secondSet = '';
  const firstSheets = (): string[] => sheetBases(firstSet).map((base) => join(work, 'sheets-1', `${base}.txt`));
  const secondSheets = (): string[] => sheetBases(secondSet).map((base) => join(work, 'sheets-2', `${base}.txt`));

  it('shares create needs an owner: a commander gets exit 6 and no sheet is written', async () => {
    const custodians = CUSTODIANS.flatMap((name) => ['--custodian', name]);
    expectFailure(await as(COMMANDER, ['shares', 'create'], '--threshold', '3', ...custodians, '--out', 'sheets-1'), 6);
    // A refused create must leave nothing on disk that looks like a valid sheet.
    expect(readdirSync(join(work, 'sheets-1'))).toEqual([]);
  });

  it('shares create refuses a missing --out folder (exit 2, naming it) before any share exists', async () => {
    const r = await as(OWNER, ['shares', 'create'], '--threshold', '3', '--custodian', 'Ann Lee', '--custodian', 'Bruno', '--out', 'no-such-folder');
    expectFailure(r, 2, /no-such-folder/);
    expect(json(await as(OWNER, ['shares', 'status'], '--json'))).toEqual({ recovery: null });
  });

  it('shares create 3-of-5 writes one PDF and one text file per custodian, readable by the owner only', async () => {
    const custodians = CUSTODIANS.flatMap((name) => ['--custodian', name]);
    const r = await as(OWNER, ['shares', 'create'], '--threshold', '3', ...custodians, '--out', 'sheets-1', '--json');
    const created = json(r) as {
      setId: string;
      threshold: number;
      custodians: string[];
      sheets: { custodian: string; index: number; pdf: string; text: string }[];
      rotated: string | null;
      warning: string;
    };
    firstSet = created.setId;
    expect(created).toMatchObject({ threshold: 3, custodians: CUSTODIANS, rotated: null });
    expect(created.warning).toMatch(/SECRET/);
    expect(created.sheets.map((s) => [s.index, s.custodian])).toEqual(CUSTODIANS.map((name, i) => [i + 1, name]));
    expect(readdirSync(join(work, 'sheets-1')).sort()).toEqual(
      sheetBases(firstSet)
        .flatMap((base) => [`${base}.pdf`, `${base}.txt`])
        .sort(),
    );
    for (const file of readdirSync(join(work, 'sheets-1'))) {
      // Each sheet is a share of the vault's key: nobody else on the machine may read it.
      expect(statSync(join(work, 'sheets-1', file)).mode & 0o777, file).toBe(0o600);
    }
    // --json is for scripts and logs: a share must never reach stdout.
    for (const txt of firstSheets()) {
      expect(r.stdout + r.stderr).not.toContain(shareOf(txt).split(' ')[0]);
    }
  });

  it('shares status --json matches what was created', async () => {
    const status = json(await as(OWNER, ['shares', 'status'], '--json')) as { recovery: Record<string, unknown> };
    expect(status.recovery).toMatchObject({
      setId: firstSet,
      threshold: 3,
      createdBy: OWNER,
      custodians: CUSTODIANS.map((name, i) => ({ index: i + 1, name })),
    });
    // A commander may read who holds the sheets (they organise the drill), not change them.
    const human = await as(COMMANDER, ['shares', 'status']);
    expectOk(human);
    expect(human.stdout).toContain(`any 3 of 5 custodians open the vault (set ${firstSet})`);
    expect(human.stdout).toContain('1 Ann Lee, 2 Bruno, 3 Chloé, 4 Dmitri, 5 Esther');
  });

  it("each PDF's text layer carries exactly the share of its .txt file, every group in order", () => {
    for (const [i, base] of sheetBases(firstSet).entries()) {
      const share = shareOf(join(work, 'sheets-1', `${base}.txt`));
      const groups = share.split(' ');
      expect(groups).toHaveLength(20);
      const text = pdfText(join(work, 'sheets-1', `${base}.pdf`));
      // The share as one line (below the instructions): exactly the .txt's, group boundaries included.
      expect(text.replace(/\s+/g, ' '), base).toContain(` ${share} `);
      // The numbered grid people type from: group n under number n, in order. pdftotext
      // puts spaces inside letter-spaced groups, so the grid is compared without whitespace.
      const grid = text.slice(text.indexOf(firstSet), text.indexOf('What to do with it'));
      const expected = [0, 5, 10, 15].map((start) => [1, 2, 3, 4, 5].map((n) => String(start + n)).join('') + groups.slice(start, start + 5).join('')).join('');
      expect(grid.slice(grid.indexOf('\n')).replace(/\s+/g, ''), base).toBe(expected);
      expect(text, base).toContain(`Custodian: ${CUSTODIANS[i] ?? ''} — share ${i + 1} of 5; any 3 open the vault`);
    }
    screenshot(join(work, 'sheets-1', `${sheetBases(firstSet)[2] ?? ''}.pdf`), 'recovery-sheet');
  });

  it('unlock-quorum opens the vault with any 3 of the 5 sheets and names those custodians', async () => {
    for (const triple of triples(5)) {
      const files = triple.map((i) => firstSheets()[i] ?? '');
      const r = await lifeboat(['unlock-quorum', vault, ...shareFileArgs(files), '--reason', QUORUM_REASON]);
      expectOk(r);
      const named = triple.map((i) => CUSTODIANS[i] ?? '');
      expect(r.stdout, show(r)).toContain(`as the recovery quorum (owner): ${named[0] ?? ''}, ${named[1] ?? ''} and ${named[2] ?? ''}.`);
      expect(r.stdout, show(r)).toContain('Records: 2 (1 runbook, 1 secret).');
    }
    const summary = json(await lifeboat(['unlock-quorum', vault, ...shareFileArgs(firstSheets().slice(2)), '--reason', QUORUM_REASON, '--json']));
    expect(summary).toMatchObject({ member: 'recovery quorum', role: 'owner', custodians: CUSTODIANS.slice(2), setId: firstSet, records: { total: 2 } });
  });

  it('unlock-quorum refuses too few sheets (exit 3, how many more), the same sheet twice (exit 3) and no reason (exit 2)', async () => {
    const sheets = firstSheets();
    expectFailure(await lifeboat(['unlock-quorum', vault, ...shareFileArgs(sheets.slice(0, 2)), '--reason', QUORUM_REASON]), 3, /1 more custodian needed/);
    const twice = [sheets[0] ?? '', sheets[0] ?? '', sheets[1] ?? ''];
    expectFailure(await lifeboat(['unlock-quorum', vault, ...shareFileArgs(twice), '--reason', QUORUM_REASON]), 3, /same sheet/);
    expectFailure(await lifeboat(['unlock-quorum', vault, ...shareFileArgs(sheets.slice(0, 3))]), 2, /--reason/);
  });

  it('unlock-quorum names the file and the group when one character of a share was mistyped (exit 2)', async () => {
    const original = readFileSync(firstSheets()[1] ?? '', 'utf8');
    const share = shareOf(firstSheets()[1] ?? '');
    // One character of group 7 changed to another letter of the share alphabet (A and B are no look-alikes).
    const at = 6 * 6 + 2;
    const wrongChar = share[at] === 'A' ? 'B' : 'A';
    const typo = share.slice(0, at) + wrongChar + share.slice(at + 1);
    const mistyped = join(work, 'bruno-typed.txt');
    writeFileSync(mistyped, original.replace(share, typo));
    const files = [firstSheets()[0] ?? '', mistyped, firstSheets()[2] ?? ''];
    const line = expectFailure(await lifeboat(['unlock-quorum', vault, ...shareFileArgs(files), '--reason', QUORUM_REASON]), 2, /group 7 does not check/);
    expect(line).toContain(mistyped);
    // A file holding only the share (as typed from the paper) works as well as the .txt file.
    const bare = join(work, 'bruno-bare.txt');
    writeFileSync(bare, `${share.toLowerCase().replace(/ /g, '-')}\n`);
    expectOk(await lifeboat(['unlock-quorum', vault, ...shareFileArgs([firstSheets()[0] ?? '', bare, firstSheets()[2] ?? '']), '--reason', QUORUM_REASON]));
  });

  it('shares create again rotates: new sheets, a warning that the old set no longer works', async () => {
    const custodians = CUSTODIANS.flatMap((name) => ['--custodian', name]);
    const r = await as(OWNER, ['shares', 'create'], '--threshold', '3', ...custodians, '--out', 'sheets-2');
    expectOk(r);
    const status = json(await as(OWNER, ['shares', 'status'], '--json')) as { recovery: { setId: string } };
    secondSet = status.recovery.setId;
    expect(secondSet).not.toBe(firstSet);
    expect(r.stdout).toContain(`any 3 of 5 custodians open the vault (set ${secondSet})`);
    for (const base of sheetBases(secondSet)) {
      expect(r.stdout).toContain(join('sheets-2', `${base}.pdf`));
      expect(r.stdout).toContain(join('sheets-2', `${base}.txt`));
    }
    expect(r.stdout).toMatch(/SECRET/);
    expect(r.stdout).toContain(`The previous set (${firstSet}) no longer works`);
  });

  it('after rotation an old sheet is refused by name (exit 3, rotated); the new ones pass a practice drill', async () => {
    const old = [firstSheets()[0] ?? '', secondSheets()[1] ?? '', secondSheets()[2] ?? ''];
    const line = expectFailure(await lifeboat(['unlock-quorum', vault, ...shareFileArgs(old), '--reason', QUORUM_REASON]), 3, /rotated/);
    expect(line).toContain(firstSheets()[0] ?? '');
    expectFailure(await lifeboat(['shares', 'practice', vault, ...shareFileArgs(old)]), 3, /rotated/);

    const drill = await lifeboat(['shares', 'practice', vault, ...shareFileArgs(secondSheets().slice(1, 4))]);
    expectOk(drill);
    expect(drill.stdout).toContain(`Drill passed: the sheets of Bruno, Chloé and Dmitri open this vault (set ${secondSet})`);
  });

  it('the audit log (as owner) shows the drill and the quorum unlocks with their reason and custodians', async () => {
    const entries = await auditEntries();
    const drill = entries.find((e) => e.event.type === 'recovery.drill');
    expect(drill?.event.details).toMatchObject({ custodians: 'Bruno, Chloé, Dmitri', setId: secondSet });
    const unlocks = entries.filter((e) => e.event.type === 'vault.unlocked' && e.event.actor === 'recovery quorum');
    expect(unlocks.length).toBeGreaterThanOrEqual(10);
    expect(unlocks[0]?.event).toMatchObject({ reason: QUORUM_REASON, details: { quorum: true, custodians: 'Ann Lee, Bruno, Chloé', setId: firstSet } });
    // A refused attempt (a typo, too few sheets) opened nothing, so it is no unlock.
    expect(unlocks.every((e) => e.event.reason === QUORUM_REASON)).toBe(true);
  });

  it('kit --fingerprint prints 16 groups of 4 hex digits; kit --out prints a page naming the vault, its fingerprint and custodians', async () => {
    const fp = await as(COMMANDER, ['kit'], '--fingerprint');
    expectOk(fp);
    expect(fp.stdout).toMatch(/^[0-9a-f]{4}(?: [0-9a-f]{4}){15}\n$/);
    const fingerprint = fp.stdout.trim();
    // The same vault gives the same fingerprint to every member.
    expect((await as(OWNER, ['kit'], '--fingerprint')).stdout.trim()).toBe(fingerprint);

    const written = json(await as(OWNER, ['kit'], '--out', 'kit.pdf', '--json')) as { out: string; fingerprint: string };
    expect(written.fingerprint).toBe(fingerprint);
    const kitPdf = join(work, 'kit.pdf');
    const text = pdfText(kitPdf).replace(/\s+/g, ' ');
    expect(text).toContain(vaultId);
    expect(text).toContain(fingerprint);
    expect(text).toContain(`Any 3 of these 5 custodians can open the vault`);
    expect(text).toContain(CUSTODIANS.join(', '));
    expect(text).not.toContain(SECRET_VALUE);
    // The folder as a path someone can find on the laptop, not as typed relative to a shell.
    expect(text).toContain(vault);
    screenshot(kitPdf, 'emergency-kit');
    expectFailure(await as(OWNER, ['kit']), 2, /--out|--fingerprint/);
  });

  it('shares revoke needs --yes (exit 2); with it no sheet works and status says there are none', async () => {
    expectFailure(await as(OWNER, ['shares', 'revoke']), 2, /--yes/);
    expect((json(await as(OWNER, ['shares', 'status'], '--json')) as { recovery: { setId: string } }).recovery.setId).toBe(secondSet);
    expectFailure(await as(COMMANDER, ['shares', 'revoke'], '--yes'), 6);

    const revoked = await as(OWNER, ['shares', 'revoke'], '--yes');
    expectOk(revoked);
    expect(revoked.stdout).toContain(`Revoked the recovery shares (set ${secondSet})`);
    const status = await as(OWNER, ['shares', 'status']);
    expectOk(status);
    expect(status.stdout).toMatch(/^No recovery shares/);
    expect(json(await as(OWNER, ['shares', 'status'], '--json'))).toEqual({ recovery: null });
    expectFailure(await lifeboat(['unlock-quorum', vault, ...shareFileArgs(secondSheets().slice(0, 3)), '--reason', QUORUM_REASON]), 3);
  });
});

describe('lifeboat reveal --second (two-person rule)', { timeout: 60_000 }, () => {
  const reveal = (options: RunOptions, ...rest: string[]): Promise<RunResult> =>
    lifeboat(['reveal', vault, '--as', OWNER, secretId, 'password', '--reason', 'INC-78 re-sign the intermediate', ...rest], {
      pass: PASSPHRASES[OWNER],
      ...options,
    });

  it('without --second: exit 6 with the engine’s sentence, and nothing revealed', async () => {
    const r = await reveal({});
    expectFailure(r, 6, /two-person rule/);
    expect(r.stdout).not.toContain(SECRET_VALUE);
  });

  it('with --second bob and his passphrase: exit 0 and the value', async () => {
    const r = await reveal({ secondPass: PASSPHRASES[COMMANDER] }, '--second', COMMANDER);
    expectOk(r);
    expect(r.stdout).toBe(`${SECRET_VALUE}\n`);
    // The file form, for people who keep passphrases out of the environment.
    const file = join(work, 'bob.pass');
    writeFileSync(file, `${PASSPHRASES[COMMANDER] ?? ''}\n`, { mode: 0o600 });
    const fromFile = await reveal({}, '--second', COMMANDER, '--second-passphrase-file', file);
    expectOk(fromFile);
    expect(fromFile.stdout).toBe(`${SECRET_VALUE}\n`);
  });

  it('a wrong second passphrase is exit 3; no second passphrase at all (no terminal) is exit 2, never the first one reused', async () => {
    const wrong = await reveal({ secondPass: 'not bobs passphrase' }, '--second', COMMANDER);
    // Said to be the second person's: the first member's own passphrase was right.
    expectFailure(wrong, 3, /Wrong passphrase for bob \(the second person\)/);
    expect(wrong.stdout).not.toContain(SECRET_VALUE);
    expectFailure(await reveal({}, '--second', COMMANDER), 2, /LIFEBOAT_SECOND_PASSPHRASE/);
    // alice cannot be her own second person, even with her own passphrase as the second.
    expectFailure(await reveal({ secondPass: PASSPHRASES[OWNER] }, '--second', OWNER), 6, /another member/);
  });

  it('the audit log names the second member of each confirmed reveal', async () => {
    const reveals = (await auditEntries()).filter((e) => e.event.type === 'secret.revealed' && e.event.recordId === secretId);
    expect(reveals).toHaveLength(2);
    for (const entry of reveals) {
      expect(entry.event).toMatchObject({ actor: OWNER, field: 'password', details: { twoPerson: true, secondMember: COMMANDER } });
    }
  });
});
