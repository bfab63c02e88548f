/**
 * The `lifeboat` CLI contract, end to end: every call spawns the BUILT CLI
 * (dist/cli/lifeboat.js) as a fresh Node process with a clean
 * environment (no inherited LIFEBOAT_* variable; LIFEBOAT_INSECURE_FAST_KDF=1
 * and the passphrase variables set per call), stdin not a terminal, in a temp
 * folder. Each assertion checks the exit code and the key facts of stdout and
 * stderr; every failing call must print one line on stderr (besides the
 * insecure-KDF warning and the failed-attempts note), never a stack trace.
 *
 * Exit codes: 0 ok · 2 bad usage or input · 3 wrong passphrase or unknown
 * member · 4 integrity failure · 5 vault busy · 6 not permitted for this role
 * · 1 anything else.
 *
 * The tests in the main describe share one vault and run in order (a later
 * step relies on an earlier one); tamper, busy and doctor tests work on
 * copies of it so the shared vault stays healthy.
 */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLI,
  STACK_TRACE,
  cleanEnv,
  cliRunner,
  expectOk,
  expectStrictFailure as expectFailure,
  show,
  type RunOptions,
  type RunResult,
} from '../support/cli-run.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VAULT_OPEN_JS = join(ROOT, 'dist/node/electron/vault/vault-open.js');

const OWNER = 'alice';
const OWNER_PASS = 'alice correct horse battery';
const COMMANDER = 'bob';
const COMMANDER_PASS = 'bob staple paper clip';
const COMMANDER_NEW_PASS = 'bob brand new passphrase 2';
const RESPONDER = 'carol';
const RESPONDER_PASS = 'carol pager duty rota';
const AUDITOR = 'dave';
const AUDITOR_PASS = 'dave reads every log line';

const SECRET_USERNAME = 'postgres-admin';
const SECRET_PASSWORD = `c0rrect-h0rse!$&"'x`;
const REVEAL_REASON = 'INC-4711 primary database failover';

const RUNBOOK_BODY = `# Restore the payments database

Use this when the primary is lost and the replica is behind.

1. Page the on-call DBA.
2. Promote the replica.
`;

const INSECURE_WARNING = /^warning: this vault was created with LIFEBOAT_INSECURE_FAST_KDF=1: .+$/m;

let work = '';
/** The shared vault the main describe builds up step by step. */
let vault = '';
const holders: ChildProcess[] = [];

/**
 * The laptop (state folder, where the CLI keeps its local anchors) each copy
 * of the shared vault is opened on: copies share the vault's id and run side
 * by side, and a copy older than one this laptop saw is, rightly, a rollback.
 */
const laptops = new Map<string, string>();

/** Runs the built CLI in `work`, a copy of the vault on its own laptop. */
const lifeboat = cliRunner(
  () => work,
  (args) => args.map((arg) => laptops.get(arg)).find((dir) => dir !== undefined),
);

function as(member: string, pass: string): { args: string[]; options: RunOptions } {
  return { args: ['--as', member], options: { pass } };
}

const asOwner = as(OWNER, OWNER_PASS);

function snapshots(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /^snapshot-\d{12}\.lbs$/.test(f))
    .sort();
}

function newestSnapshot(dir: string): string {
  const all = snapshots(dir);
  const newest = all.at(-1);
  if (newest === undefined) {
    throw new Error(`no snapshot in ${dir}`);
  }
  return newest;
}

function flipByte(file: string): void {
  const bytes = readFileSync(file);
  const at = Math.floor(bytes.length / 2);
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  writeFileSync(file, bytes);
}

function dropLastLines(file: string, count: number): void {
  const lines = readFileSync(file, 'utf8').split('\n');
  expect(lines.at(-1)).toBe(''); // ends with a newline: no torn line
  writeFileSync(file, `${lines.slice(0, -1 - count).join('\n')}\n`);
}

/** A copy of the shared vault (no process has it open between CLI calls). */
function copyVault(name: string): string {
  const dir = join(work, name);
  expect(existsSync(join(vault, 'lock'))).toBe(false);
  cpSync(vault, dir, { recursive: true });
  laptops.set(dir, mkdtempSync(join(work, `${name}-laptop-`)));
  return dir;
}

interface AuditEntryJson {
  seq: number;
  event: { type: string; actor: string; recordId?: string; field?: string; reason?: string; details?: Record<string, unknown> };
}

async function auditJson(dir: string, who = asOwner): Promise<AuditEntryJson[]> {
  const r = await lifeboat(['audit', dir, ...who.args, '--json'], who.options);
  expectOk(r);
  return JSON.parse(r.stdout) as AuditEntryJson[];
}

interface RecordJson {
  id: string;
  type: string;
  title: string;
  revision: number;
  data: Record<string, unknown>;
  sealedFields: string[];
}

async function showJson(dir: string, id: string): Promise<RecordJson> {
  const r = await lifeboat(['show', dir, ...asOwner.args, id, '--json'], asOwner.options);
  expectOk(r);
  return JSON.parse(r.stdout) as RecordJson;
}

/** Record ids by type, filled by the happy path. */
const ids: Record<string, string> = {};

beforeAll(async () => {
  if (!existsSync(CLI)) {
    execSync('npm run build:node', { cwd: ROOT, stdio: 'inherit' });
  }
  work = await mkdtemp(join(tmpdir(), 'lifeboat-cli-contract-'));
  vault = join(work, 'vault');
  writeFileSync(join(work, 'restore-payments-db.md'), RUNBOOK_BODY);
  writeFileSync(join(work, 'break-glass.md'), '# Break glass\n\nTwo people, one safe, one log entry.\n');
}, 120_000);

afterAll(async () => {
  for (const holder of holders) {
    holder.kill('SIGKILL');
  }
  if (work) {
    await rm(work, { recursive: true, force: true });
  }
});

describe('lifeboat CLI contract (built CLI, one process per call)', () => {
  describe('happy path on one vault', { timeout: 60_000 }, () => {
    it('init makes the --as member the owner', async () => {
      const r = await lifeboat(['init', vault, '--as', OWNER], { pass: OWNER_PASS });
      expectOk(r);
      expect(r.stdout).toMatch(new RegExp(`^Created vault "vault" \\([0-9a-f]{32}\\) at .+; ${OWNER} is its owner\\.\\n$`));
      expect(r.stderr).toMatch(INSECURE_WARNING);
      expect(readdirSync(vault)).toEqual(expect.arrayContaining(['header.json', 'audit.log', 'checkpoint']));
      expect(snapshots(vault).length).toBeGreaterThanOrEqual(1);
      expect(existsSync(join(vault, 'lock'))).toBe(false);
    });

    it('member add (commander, responder, auditor) and member list --json', async () => {
      for (const [name, role, pass] of [
        [COMMANDER, 'commander', COMMANDER_PASS],
        [RESPONDER, 'responder', RESPONDER_PASS],
        [AUDITOR, 'auditor', AUDITOR_PASS],
      ] as const) {
        const r = await lifeboat(['member', 'add', vault, ...asOwner.args, '--name', name, '--role', role], { ...asOwner.options, newPass: pass });
        expectOk(r);
        expect(r.stdout).toBe(`Added ${name} as ${role}.\n`);
      }
      const list = await lifeboat(['member', 'list', vault, '--as', AUDITOR, '--json'], { pass: AUDITOR_PASS });
      expectOk(list);
      expect(JSON.parse(list.stdout)).toEqual([
        { name: OWNER, role: 'owner', slotFormat: 2 },
        { name: COMMANDER, role: 'commander', slotFormat: 2 },
        { name: RESPONDER, role: 'responder', slotFormat: 2 },
        { name: AUDITOR, role: 'auditor', slotFormat: 2 },
      ]);
    });

    it('add: all six record types, with --file, repeated list fields and durations', async () => {
      const add = async (args: string[], json = true): Promise<string> => {
        const r = await lifeboat(['add', vault, '--as', COMMANDER, ...args, ...(json ? ['--json'] : [])], { pass: COMMANDER_PASS });
        expectOk(r);
        if (!json) {
          expect(r.stdout).toMatch(/^[a-z]+-[0-9a-f]{10}\n$/);
          return r.stdout.trim();
        }
        const summary = JSON.parse(r.stdout) as { id: string; type: string; title: string; revision: number; updatedBy: string };
        expect(summary).toMatchObject({ revision: 1, updatedBy: COMMANDER });
        expect(summary.id).toMatch(/^[a-z]+-[0-9a-f]{10}$/);
        return summary.id;
      };
      ids['runbook'] = await add([
        '--type',
        'runbook',
        '--title',
        'Restore the payments database',
        '--file',
        'restore-payments-db.md',
        '--field',
        'service=payments-db',
        '--field',
        'steps=Page the on-call DBA',
        '--field',
        'steps=Promote the replica with pg_ctl promote',
        '--field',
        'steps=Point payments-api at the new primary',
        '--field',
        'validation=SELECT 1 succeeds on the new primary',
        '--field',
        'estimatedMinutes=45m',
        '--field',
        'lastReviewed=2026-01-15',
      ]);
      ids['service'] = await add([
        '--type',
        'service',
        '--title',
        'payments-api',
        '--field',
        'tier=1',
        '--field',
        'owner=platform-team',
        '--field',
        'rtoMinutes=4h',
        '--field',
        'rpoMinutes=15m',
        '--field',
        'recoveryMethod=failover',
        '--field',
        'dependsOn=payments-db',
        '--field',
        'dependsOn=redis-sessions',
        '--field',
        'description=Card payments API behind the load balancer',
      ]);
      ids['contact'] = await add([
        '--type',
        'contact',
        '--title',
        'Priya Shah (on-call DBA)',
        '--field',
        'role=Database on-call',
        '--field',
        'phones=+1 555 0100',
        '--field',
        'phones=+44 20 7946 0000',
        '--field',
        'channels=#incident-db',
        '--field',
        'channels=pagerduty:dba-primary',
        '--field',
        'escalationOrder=2',
      ]);
      ids['procedure'] = await add([
        '--type',
        'procedure',
        '--title',
        'Break-glass access to production',
        '--file',
        'break-glass.md',
        '--field',
        'steps=Two people open the safe',
        '--field',
        'steps=Log the reason in the vault',
        '--field',
        'secrets=Production root database login',
      ]);
      ids['secret'] = await add(
        [
          '--type',
          'secret',
          '--title',
          'Production root database login',
          '--field',
          `username=${SECRET_USERNAME}`,
          '--field',
          `password=${SECRET_PASSWORD}`,
          '--field',
          'notes=Rotated quarterly',
        ],
        false,
      );
      ids['key-location'] = await add([
        '--type',
        'key-location',
        '--title',
        'Break-glass YubiKey',
        '--field',
        'what=YubiKey 5C (break-glass)',
        '--field',
        'where=Office safe, shelf 2',
        '--field',
        'whoCanReach=alice',
        '--field',
        'whoCanReach=bob',
        '--field',
        'howToRetrieve=Combination in the sealed envelope at reception',
        '--field',
        'lastVerified=2026-02-01',
      ]);
      expect(ids['secret']).toMatch(/^sec-/);
      expect(ids['runbook']).toMatch(/^rb-/);
      expect(new Set(Object.values(ids)).size).toBe(6);

      const runbook = await showJson(vault, ids['runbook'] ?? '');
      expect(runbook.data).toMatchObject({
        body: RUNBOOK_BODY,
        service: 'payments-db',
        steps: ['Page the on-call DBA', 'Promote the replica with pg_ctl promote', 'Point payments-api at the new primary'],
        validation: ['SELECT 1 succeeds on the new primary'],
        estimatedMinutes: 45,
        lastReviewed: '2026-01-15',
      });
      const service = await showJson(vault, ids['service'] ?? '');
      expect(service.data).toMatchObject({
        tier: 1,
        rtoMinutes: 240,
        rpoMinutes: 15,
        recoveryMethod: 'failover',
        dependsOn: ['payments-db', 'redis-sessions'],
      });
      const contact = await showJson(vault, ids['contact'] ?? '');
      expect(contact.data).toMatchObject({
        phones: ['+1 555 0100', '+44 20 7946 0000'],
        channels: ['#incident-db', 'pagerduty:dba-primary'],
        escalationOrder: 2,
      });
    });

    it('a reader that stops early (list | head) ends nothing badly: exit 0, no stack trace, the vault locked and released', async () => {
      const child = spawn(process.execPath, [CLI, 'list', vault, '--as', RESPONDER], {
        cwd: work,
        env: cleanEnv({ pass: RESPONDER_PASS, stateDir: laptops.get(vault) ?? '' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // The pipe's reading end is closed before the CLI writes a line: every write it makes meets EPIPE.
      child.stdout.destroy();
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(stderr).not.toMatch(STACK_TRACE);
      expect(stderr).not.toContain('EPIPE');
      expect(code).toBe(0);
      expect(existsSync(join(vault, 'lock'))).toBe(false);
      expectOk(await lifeboat(['list', vault, '--as', RESPONDER], { pass: RESPONDER_PASS }));
    });

    it('list, list --type, list --json', async () => {
      const all = await lifeboat(['list', vault, '--as', RESPONDER], { pass: RESPONDER_PASS });
      expectOk(all);
      const rows = all.stdout
        .trimEnd()
        .split('\n')
        .map((line) => line.split('\t'));
      expect(rows).toHaveLength(6);
      expect(rows.map((row) => row[0]).sort()).toEqual(Object.values(ids).sort());
      expect(rows).toContainEqual([ids['secret'], 'secret', 'Production root database login']);

      const runbooks = await lifeboat(['list', vault, ...asOwner.args, '--type', 'runbook'], asOwner.options);
      expectOk(runbooks);
      expect(runbooks.stdout).toBe(`${ids['runbook'] ?? ''}\trunbook\tRestore the payments database\n`);

      const json = await lifeboat(['list', vault, ...asOwner.args, '--type', 'service', '--json'], asOwner.options);
      expectOk(json);
      expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ id: ids['service'], type: 'service', title: 'payments-api', revision: 1 })]);
    });

    it('show masks sealed fields as •••• and never prints the secret; show --json too', async () => {
      const text = await lifeboat(['show', vault, '--as', RESPONDER, ids['secret'] ?? ''], { pass: RESPONDER_PASS });
      expectOk(text);
      expect(text.stdout).toContain('Production root database login');
      expect(text.stdout).toContain('  username: ••••');
      expect(text.stdout).toContain('  password: ••••');
      expect(text.stdout).toContain('notes: Rotated quarterly');
      expect(text.stdout).toContain('sealed: username, password');
      for (const output of [text.stdout, text.stderr]) {
        expect(output).not.toContain(SECRET_PASSWORD);
        expect(output).not.toContain(SECRET_USERNAME);
      }

      const json = await lifeboat(['show', vault, ...asOwner.args, ids['secret'] ?? '', '--json'], asOwner.options);
      expectOk(json);
      expect(json.stdout).not.toContain(SECRET_PASSWORD);
      const record = JSON.parse(json.stdout) as RecordJson;
      expect(record).toMatchObject({ id: ids['secret'], type: 'secret', data: { username: '••••', password: '••••', notes: 'Rotated quarterly' } });
      expect(record.sealedFields.sort()).toEqual(['password', 'username']);
    });

    it('reveal needs --reason (exit 2, nothing logged) and then prints exactly the secret', async () => {
      const noReason = await lifeboat(['reveal', vault, '--as', RESPONDER, ids['secret'] ?? '', 'password'], { pass: RESPONDER_PASS });
      expectFailure(noReason, 2, /--reason/);
      expect(noReason.stdout).toBe('');

      const r = await lifeboat(['reveal', vault, '--as', RESPONDER, ids['secret'] ?? '', 'password', '--reason', REVEAL_REASON], { pass: RESPONDER_PASS });
      expectOk(r);
      expect(r.stdout).toBe(`${SECRET_PASSWORD}\n`);
      expect(r.stderr).not.toContain(SECRET_PASSWORD);
    });

    it('audit shows record.opened and secret.revealed with the reason; audit --json', async () => {
      const text = await lifeboat(['audit', vault, ...asOwner.args], asOwner.options);
      expectOk(text);
      expect(text.stdout).toMatch(new RegExp(`record\\.opened — "Production root database login" \\(${ids['secret'] ?? ''}\\)`));
      expect(text.stdout).toContain(
        `${RESPONDER} (responder)  secret.revealed — "Production root database login" (${ids['secret'] ?? ''}) — field password — reason: ${REVEAL_REASON}`,
      );
      expect(text.stdout).not.toContain(SECRET_PASSWORD);

      const entries = await auditJson(vault);
      const seqs = entries.map((e) => e.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i));
      const reveals = entries.filter((e) => e.event.type === 'secret.revealed');
      // The attempt without --reason left no trace: exactly one reveal.
      expect(reveals).toHaveLength(1);
      expect(reveals[0]?.event).toMatchObject({ actor: RESPONDER, recordId: ids['secret'], field: 'password', reason: REVEAL_REASON });
      const opened = entries.filter((e) => e.event.type === 'record.opened' && e.event.recordId === ids['secret']);
      expect(opened.map((e) => e.event.actor)).toEqual([RESPONDER, OWNER]);
      expect(opened[0]?.seq).toBeLessThan(reveals[0]?.seq ?? -1);
      expect(entries.filter((e) => e.event.type === 'record.created')).toHaveLength(6);
      expect(entries.filter((e) => e.event.type === 'member.added').map((e) => e.event.details?.['member'])).toEqual([COMMANDER, RESPONDER, AUDITOR]);
      expect(JSON.stringify(entries)).not.toContain(SECRET_PASSWORD);
    });

    it('audit verify checks chain and signatures', async () => {
      const r = await lifeboat(['audit', 'verify', vault, ...asOwner.args], asOwner.options);
      expectOk(r);
      expect(r.stdout).toMatch(/^Audit log verified:/);
      expect(r.stdout).toMatch(/✓ \d+ Ed25519 signatures valid/);
      expect(r.stdout).toContain('contains the head sealed in the newest snapshot');
    });

    it('audit checkpoint prints a signed note; audit verify --since it passes after more actions', async () => {
      const r = await lifeboat(['audit', 'checkpoint', vault, ...asOwner.args], asOwner.options);
      expectOk(r);
      const [origin, size, root, state, blank, signature] = r.stdout.split('\n');
      expect(origin).toMatch(/^lifeboat\/vault\/[0-9a-f]{32}$/);
      expect(size).toMatch(/^\d+$/);
      expect(root).toMatch(/^[A-Za-z0-9+/]{43}=$/);
      expect(state).toMatch(/^lifeboat-state snapshot=\d+ header=\d+$/);
      expect(blank).toBe('');
      expect(signature).toMatch(/^— lifeboat-audit-[0-9a-f]{32}-e1 \S+$/);
      writeFileSync(join(work, 'checkpoint-t1.txt'), r.stdout);

      expectOk(await lifeboat(['show', vault, ...asOwner.args, ids['runbook'] ?? ''], asOwner.options));
      expectOk(
        await lifeboat(['add', vault, ...asOwner.args, '--type', 'contact', '--title', 'Facilities desk', '--field', 'phones=+1 555 0199'], asOwner.options),
      );

      const since = await lifeboat(['audit', 'verify', vault, ...asOwner.args, '--since', 'checkpoint-t1.txt'], asOwner.options);
      expectOk(since);
      expect(since.stdout).toContain(`consistent with the checkpoint at ${size ?? ''} records: the log only grew since`);
    });

    it('audit export, then audit verify --export with no passphrase at all', async () => {
      const out = join(work, 'audit-export.json');
      const r = await lifeboat(['audit', 'export', vault, ...asOwner.args, '--out', out], asOwner.options);
      expectOk(r);
      expect(r.stdout).toMatch(/^Wrote \d+ audit records to /);
      const doc = JSON.parse(readFileSync(out, 'utf8')) as { format: string; records: string[]; events: { type: string }[] };
      expect(doc.format).toBe('lifeboat-audit-export');
      expect(doc.records.length).toBe(doc.events.length);
      expect(doc.events.at(-1)?.type).toBe('audit.exported');

      const verify = await lifeboat(['audit', 'verify', '--export', out]);
      expectOk(verify);
      expect(verify.stdout).toContain('Export verified without any vault key');
      expect(verify.stdout).toContain(`${doc.records.length} Ed25519 signatures valid`);
      expect(verify.stdout).toContain('signed checkpoint over the first');

      // The fingerprint printed from the export is the kit's, and pinning it is how an auditor refuses a re-signed forgery.
      const kit = await lifeboat(['kit', vault, ...asOwner.args, '--fingerprint'], asOwner.options);
      expectOk(kit);
      const fingerprint = kit.stdout.trim();
      expect(verify.stdout).toContain(`fingerprint ${fingerprint}`);
      expectOk(await lifeboat(['audit', 'verify', '--export', out, '--fingerprint', fingerprint.toUpperCase()]));
      const other = `${fingerprint.slice(0, -1)}${fingerprint.endsWith('0') ? '1' : '0'}`;
      expectFailure(await lifeboat(['audit', 'verify', '--export', out, '--fingerprint', other]), 4, new RegExp(`not ${other}`));
    });

    it('audit export --format cef, then audit verify --siem: 0 when it matches, 4 naming the line when one is altered', async () => {
      const signed = join(work, 'audit-export.json');
      const cef = join(work, 'audit.cef');
      expectOk(await lifeboat(['audit', 'export', vault, ...asOwner.args, '--format', 'cef', '--from', '2000-01-01', '--out', cef], asOwner.options));
      const lines = readFileSync(cef, 'utf8').trimEnd().split('\n');
      expect(lines.every((line) => line.startsWith('CEF:0|Lifeboat|Lifeboat|'))).toBe(true);
      const match = await lifeboat(['audit', 'verify', '--export', signed, '--siem', cef]);
      expectOk(match);
      // The CEF copy was made after the signed export: its unlock and export lines are newer than it, not covered.
      expect(match.stdout).toMatch(/\d+ lines are newer than the export .*not covered/);
      const reveal = lines.findIndex((line) => line.includes(REVEAL_REASON));
      lines[reveal] = (lines[reveal] ?? '').replace(REVEAL_REASON, 'routine check');
      writeFileSync(cef, `${lines.join('\n')}\n`);
      expectFailure(
        await lifeboat(['audit', 'verify', '--export', signed, '--siem', cef]),
        4,
        new RegExp(`line ${reveal + 1} \\(seq \\d+\\) does not match the signed export: reason differs`),
      );
    });

    it('roles: responder add, auditor show/list, commander member add → 6; auditor audit → 0', async () => {
      const responderAdd = await lifeboat(['add', vault, '--as', RESPONDER, '--type', 'contact', '--title', 'Nope'], { pass: RESPONDER_PASS });
      expectFailure(responderAdd, 6, /responder cannot/);
      const auditorShow = await lifeboat(['show', vault, '--as', AUDITOR, ids['secret'] ?? ''], { pass: AUDITOR_PASS });
      expectFailure(auditorShow, 6, /auditor cannot/);
      expect(auditorShow.stdout).toBe('');
      const auditorList = await lifeboat(['list', vault, '--as', AUDITOR], { pass: AUDITOR_PASS });
      expectFailure(auditorList, 6, /auditor cannot/);
      expect(auditorList.stdout).toBe('');
      const commanderAdd = await lifeboat(['member', 'add', vault, '--as', COMMANDER, '--name', 'eve', '--role', 'responder'], {
        pass: COMMANDER_PASS,
        newPass: 'eve would like in please',
      });
      expectFailure(commanderAdd, 6, /commander cannot/);

      const entries = await auditJson(vault, as(AUDITOR, AUDITOR_PASS));
      expect(entries.some((e) => e.event.type === 'secret.revealed' && e.event.reason === REVEAL_REASON)).toBe(true);
      expect(entries.filter((e) => e.event.type === 'record.created')).toHaveLength(7); // the refused add left none
      expect(entries.some((e) => e.event.type === 'member.added' && e.event.details?.['member'] === 'eve')).toBe(false);
    });

    it('--passphrase-file (with a trailing newline) works; no passphrase and no TTY → 2', async () => {
      const file = join(work, 'bob.pass');
      writeFileSync(file, `${COMMANDER_PASS}\n`);
      const r = await lifeboat(['list', vault, '--as', COMMANDER, '--passphrase-file', file, '--type', 'secret']);
      expectOk(r);
      expect(r.stdout).toContain(ids['secret']);

      const none = await lifeboat(['list', vault, '--as', COMMANDER]);
      expectFailure(none, 2, /LIFEBOAT_PASSPHRASE/);
      expect(none.stdout).toBe('');
    });

    it('exit 3: wrong passphrase and unknown member, with the same message', async () => {
      const wrong = await lifeboat(['list', vault, '--as', OWNER], { pass: 'not the passphrase' });
      const wrongLine = expectFailure(wrong, 3);
      const unknown = await lifeboat(['list', vault, '--as', 'mallory'], { pass: OWNER_PASS });
      const unknownLine = expectFailure(unknown, 3);
      expect(unknownLine).toBe(wrongLine);
      expect(wrong.stdout + unknown.stdout).toBe('');
      expect(existsSync(join(vault, 'lock'))).toBe(false);
    });

    it('code: a seed added with --field totp=otpauth://…, then code --json (codes as strings); no --reason → 2; a bad seed → 2 naming the part', async () => {
      const added = await lifeboat(
        [
          'add',
          vault,
          ...asOwner.args,
          '--type',
          'secret',
          '--title',
          'Entra break-glass',
          '--field',
          'totp=otpauth://totp/Entra:bg?secret=JBSWY3DPEHPK3PXP',
          '--json',
        ],
        asOwner.options,
      );
      expectOk(added);
      const id = (JSON.parse(added.stdout) as { id: string }).id;
      const noReason = await lifeboat(['code', vault, '--as', RESPONDER, id], { pass: RESPONDER_PASS });
      expectFailure(noReason, 2, /--reason/);
      const r = await lifeboat(['code', vault, '--as', RESPONDER, id, '--reason', 'INC-4712 SSO down', '--json'], { pass: RESPONDER_PASS });
      expectOk(r);
      const json = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(typeof json['code']).toBe('string');
      expect(json['code']).toMatch(/^\d{6}$/);
      expect(json['next']).toMatch(/^\d{6}$/);
      expect(json['secondsLeft']).toBeGreaterThan(0);
      expect(r.stdout).not.toContain('JBSWY3DPEHPK3PXP');
      const bad = await lifeboat(
        ['add', vault, ...asOwner.args, '--type', 'secret', '--title', 'Bad seed', '--field', 'totp=otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=9'],
        asOwner.options,
      );
      expectFailure(bad, 2, /otpauth URI: digits must be 6–8, got "9"\./);
    });

    it('passwd: the old passphrase stops working (3), the new one works', async () => {
      const r = await lifeboat(['passwd', vault, '--as', COMMANDER], { pass: COMMANDER_PASS, newPass: COMMANDER_NEW_PASS });
      expectOk(r);
      expect(r.stdout).toBe(`Passphrase changed for ${COMMANDER}.\n`);
      expectFailure(await lifeboat(['list', vault, '--as', COMMANDER], { pass: COMMANDER_PASS }), 3);
      const fresh = await lifeboat(['list', vault, '--as', COMMANDER, '--type', 'secret'], { pass: COMMANDER_NEW_PASS });
      expectOk(fresh);
      expect(fresh.stdout).toContain(ids['secret']);
    });

    it('member remove: the removed member gets 3', async () => {
      const r = await lifeboat(['member', 'remove', vault, ...asOwner.args, '--name', RESPONDER], asOwner.options);
      expectOk(r);
      expect(r.stdout).toMatch(new RegExp(`^Removed ${RESPONDER}\\. The vault was rekeyed`));
      expectFailure(await lifeboat(['list', vault, '--as', RESPONDER], { pass: RESPONDER_PASS }), 3);
      const members = await lifeboat(['member', 'list', vault, ...asOwner.args, '--json'], asOwner.options);
      expectOk(members);
      expect((JSON.parse(members.stdout) as { name: string }[]).map((m) => m.name)).toEqual([OWNER, COMMANDER, AUDITOR]);
    });
  });

  describe('exit 2: bad usage or invalid input, and the vault does not change', { timeout: 60_000 }, () => {
    it('unknown command, missing DIR, unknown option', async () => {
      expectFailure(await lifeboat(['opne', vault]), 2, /Unknown command "opne"/);
      expectFailure(await lifeboat(['list', ...asOwner.args], asOwner.options), 2, /Missing the vault folder/);
      expectFailure(await lifeboat(['list', vault, ...asOwner.args, '--colour', 'red'], asOwner.options), 2, /--colour/);
      expectFailure(await lifeboat(['init', vault, '--as', OWNER], { pass: OWNER_PASS }), 2, /already a vault/);
    });

    it('with --json an error is a JSON document with its code (and still no stack trace)', async () => {
      const r = await lifeboat(['show', vault, ...asOwner.args, 'sec-0000000000', '--json'], asOwner.options);
      expect(r.code, show(r)).toBe(2);
      expect(r.stdout + r.stderr).not.toMatch(STACK_TRACE);
      expect(JSON.parse(r.stdout)).toEqual({ ok: false, error: { code: 'VAULT_NOT_FOUND', message: 'No record with id sec-0000000000.' } });
    });

    it('bad --type, bad --field, schema violations: exit 2 and nothing created', async () => {
      const before = await lifeboat(['list', vault, ...asOwner.args, '--json'], asOwner.options);
      expectOk(before);
      const createdBefore = (await auditJson(vault)).filter((e) => e.event.type === 'record.created').length;

      const add = (...args: string[]): Promise<RunResult> => lifeboat(['add', vault, ...asOwner.args, ...args], asOwner.options);
      expectFailure(await add('--type', 'password', '--title', 'X'), 2, /--type password: use one of service, runbook/);
      expectFailure(await lifeboat(['list', vault, ...asOwner.args, '--type', 'runbooks'], asOwner.options), 2, /--type runbooks/);
      expectFailure(await add('--type', 'service', '--title', 'X', '--field', 'tier'), 2, /--field tier: expected KEY=VALUE/);
      expectFailure(await add('--type', 'service', '--title', 'X', '--field', '=1'), 2, /expected KEY=VALUE/);
      expectFailure(await add('--type', 'service', '--title', 'X', '--field', 'tier=9'), 2, /tier/);
      expectFailure(await add('--type', 'service', '--title', 'X', '--field', 'colour=red'), 2, /colour/);
      expectFailure(await add('--type', 'service', '--title', 'X', '--field', 'rtoMinutes=soon'), 2, /rtoMinutes/);
      expectFailure(await add('--type', 'secret', '--title', 'X', '--file', 'break-glass.md'), 2, /--file/);
      expectFailure(await add('--type', 'service', '--field', 'tier=1'), 2, /--title/);

      const after = await lifeboat(['list', vault, ...asOwner.args, '--json'], asOwner.options);
      expectOk(after);
      expect(after.stdout).toBe(before.stdout);
      expect((await auditJson(vault)).filter((e) => e.event.type === 'record.created')).toHaveLength(createdBefore);
      // (Each refused command still unlocks and locks: the lock seals the log head in a new
      // generation, so the set of snapshot files changes while the content does not.)
    });
  });

  // Each test below works on its own copy of the shared vault: they run side by side.
  describe.concurrent('on copies of the vault', { timeout: 90_000 }, () => {
    describe('exit 4: integrity failures', () => {
      it('a flipped byte in the newest snapshot: every command that opens the vault → 4 naming the snapshot', async () => {
        const dir = copyVault('tampered-snapshot');
        const newest = newestSnapshot(dir);
        flipByte(join(dir, newest));
        expectFailure(await lifeboat(['list', dir, ...asOwner.args], asOwner.options), 4, new RegExp(newest.replace('.', '\\.')));
        expectFailure(await lifeboat(['member', 'list', dir, '--as', COMMANDER], { pass: COMMANDER_NEW_PASS }), 4, new RegExp(newest.replace('.', '\\.')));
        expect(existsSync(join(dir, 'lock'))).toBe(false);
      });

      it('audit.log truncated into the head the snapshot seals → 4', async () => {
        const dir = copyVault('truncated-log-sealed');
        expectOk(await lifeboat(['add', dir, ...asOwner.args, '--type', 'contact', '--title', 'Saved then cut'], asOwner.options));
        // The log now ends with …, record.created (sealed in the new snapshot), vault.locked.
        dropLastLines(join(dir, 'audit.log'), 2);
        expectFailure(await lifeboat(['list', dir, ...asOwner.args], asOwner.options), 4, /audit log has been truncated/);
      });

      // The tail after the last content save (unlock, reveals, lock) must be protected
      // too: the lock seals the head in a snapshot and signs a checkpoint, both
      // checked at the next unlock.
      it('audit.log with its last line deleted after a save → 4', async () => {
        const dir = copyVault('truncated-log-last-line');
        expectOk(await lifeboat(['add', dir, ...asOwner.args, '--type', 'contact', '--title', 'Saved then cut'], asOwner.options));
        dropLastLines(join(dir, 'audit.log'), 1);
        expectFailure(await lifeboat(['list', dir, ...asOwner.args], asOwner.options), 4, /audit log/i);
      });

      it('audit verify --since catches a rollback of the whole folder (4)', async () => {
        const dir = copyVault('rolled-back');
        const t0 = join(work, 'rolled-back-t0');
        cpSync(dir, t0, { recursive: true });
        expectOk(await lifeboat(['add', dir, ...asOwner.args, '--type', 'contact', '--title', 'After T0'], asOwner.options));
        expectOk(await lifeboat(['reveal', dir, ...asOwner.args, ids['secret'] ?? '', 'password', '--reason', 'drill'], asOwner.options));
        const checkpoint = await lifeboat(['audit', 'checkpoint', dir, ...asOwner.args], asOwner.options);
        expectOk(checkpoint);
        const saved = join(work, 'checkpoint-t1-rollback.txt');
        writeFileSync(saved, checkpoint.stdout);
        rmSync(dir, { recursive: true });
        cpSync(t0, dir, { recursive: true });

        // The laptop that saw the later state refuses it by its local anchor, saying what went backwards.
        expectFailure(await lifeboat(['audit', 'verify', dir, ...asOwner.args], asOwner.options), 4, /older than this laptop last saw it: audit\.log has/);
        // On a laptop that never saw it, nothing inside the folder can (documented): plain verify passes…
        const elsewhere = { ...asOwner.options, stateDir: mkdtempSync(join(work, 'rolled-back-other-laptop-')) };
        expectOk(await lifeboat(['audit', 'verify', dir, ...asOwner.args], elsewhere));
        // …the saved checkpoint does.
        const since = await lifeboat(['audit', 'verify', dir, ...asOwner.args, '--since', saved], elsewhere);
        expectFailure(since, 4, /shrunk|rolled back|rewritten/);
        expect(since.stdout).toBe('');
      });

      it('audit verify --export of a tampered export → 4 (or 2 when it no longer parses), never 0', async () => {
        const exported = JSON.parse(readFileSync(join(work, 'audit-export.json'), 'utf8')) as { records: string[]; events: Record<string, unknown>[] };
        const write = (name: string, doc: unknown): string => {
          const file = join(work, name);
          writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc));
          return file;
        };
        const reveal = exported.events.findIndex((e) => e['type'] === 'secret.revealed');
        expect(reveal).toBeGreaterThan(0);
        const reasonEdited = structuredClone(exported);
        (reasonEdited.events[reveal] as Record<string, unknown>)['reason'] = 'routine check';
        expectFailure(await lifeboat(['audit', 'verify', '--export', write('export-reason.json', reasonEdited)]), 4, /does not match the record’s commitment/);

        const recordDropped = structuredClone(exported);
        recordDropped.records.splice(reveal, 1);
        recordDropped.events.splice(reveal, 1);
        expectFailure(await lifeboat(['audit', 'verify', '--export', write('export-dropped.json', recordDropped)]), 4, /Audit log broken at line/);

        const tailCut = structuredClone(exported);
        tailCut.records.pop();
        tailCut.events.pop();
        expectFailure(await lifeboat(['audit', 'verify', '--export', write('export-tail.json', tailCut)]), 4, /checkpoint does not match/);

        const truncatedFile = readFileSync(join(work, 'audit-export.json'), 'utf8').slice(0, 400);
        expectFailure(await lifeboat(['audit', 'verify', '--export', write('export-cut.json', truncatedFile)]), 2, /is not JSON/);
      });
    });

    describe('exit 5: vault busy', () => {
      it('a live holder → 5 naming its pid; after SIGKILL the stale lock is recovered → 0', async () => {
        const dir = copyVault('busy');
        const script = `
          import { openVault } from ${JSON.stringify(pathToFileURL(VAULT_OPEN_JS).href)};
          await openVault(process.argv[1], { member: process.argv[2], passphrase: process.env.LIFEBOAT_PASSPHRASE });
          process.stdout.write('READY\\n');
          setInterval(() => {}, 60_000);
        `;
        const holder = spawn(process.execPath, ['--input-type=module', '-e', script, dir, OWNER], {
          cwd: work,
          env: cleanEnv({ ...asOwner.options, stateDir: laptops.get(dir) ?? '' }),
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        holders.push(holder);
        let holderErr = '';
        holder.stderr.setEncoding('utf8').on('data', (chunk: string) => (holderErr += chunk));
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => {
            reject(new Error(`holder never said READY: ${holderErr}`));
          }, 15_000);
          let out = '';
          holder.stdout.setEncoding('utf8').on('data', (chunk: string) => {
            out += chunk;
            if (out.includes('READY\n')) {
              clearTimeout(timer);
              resolve();
            }
          });
          holder.on('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`holder exited (${String(code)}) before READY: ${holderErr}`));
          });
        });
        expect(existsSync(join(dir, 'lock'))).toBe(true);

        const busy = await lifeboat(['list', dir, ...asOwner.args], asOwner.options);
        expectFailure(busy, 5, new RegExp(`pid ${String(holder.pid)}\\b`));
        expect(busy.stdout).toBe('');

        const exited = new Promise((resolve) => holder.once('exit', resolve));
        holder.kill('SIGKILL');
        await exited;
        expect(existsSync(join(dir, 'lock'))).toBe(true); // left behind by the dead holder

        const after = await lifeboat(['list', dir, ...asOwner.args, '--type', 'secret'], asOwner.options);
        expectOk(after);
        expect(after.stdout).toContain(ids['secret']);
        expect(existsSync(join(dir, 'lock'))).toBe(false);
      });
    });

    describe('doctor', () => {
      it('lists generations without a key, finds the damaged one, refuses to restore without --yes, restores with it', async () => {
        const dir = copyVault('doctor');
        const plain = await lifeboat(['doctor', dir]);
        expectOk(plain);
        expect(plain.stdout).toMatch(/^Snapshots \(newest first\):$/m);
        const listed = [...plain.stdout.matchAll(/^ {2}generation (\d+) +unchecked /gm)].map((m) => Number(m[1]));
        expect(listed.length).toBe(snapshots(dir).length);
        expect(listed.length).toBeGreaterThanOrEqual(2);

        const newest = newestSnapshot(dir);
        flipByte(join(dir, newest));
        expectFailure(await lifeboat(['list', dir, ...asOwner.args], asOwner.options), 4, new RegExp(newest.replace('.', '\\.')));

        const check = await lifeboat(['doctor', dir, ...asOwner.args, '--json'], asOwner.options);
        expectOk(check);
        const report = JSON.parse(check.stdout) as { generations: { generation: number; file: string; status: string }[] };
        expect(report.generations[0]).toMatchObject({ file: newest, status: 'damaged' });
        const good = report.generations.find((g) => g.status === 'ok');
        expect(good).toBeDefined();
        const generation = String(good?.generation);
        const checkText = await lifeboat(['doctor', dir, ...asOwner.args], asOwner.options);
        expectOk(checkText);
        expect(checkText.stdout).toMatch(new RegExp(`generation ${String(report.generations[0]?.generation)} +damaged .*${newest.replace('.', '\\.')}`));
        expect(checkText.stdout).toMatch(new RegExp(`generation ${generation} +ok `));

        const filesBefore = readdirSync(dir).sort();
        const logBefore = readFileSync(join(dir, 'audit.log'), 'utf8');
        expectFailure(await lifeboat(['doctor', dir, ...asOwner.args, '--restore', generation], asOwner.options), 2, /--yes/);
        expect(readdirSync(dir).sort()).toEqual(filesBefore);
        expect(readFileSync(join(dir, 'audit.log'), 'utf8')).toBe(logBefore);

        const restored = await lifeboat(['doctor', dir, ...asOwner.args, '--restore', generation, '--yes'], asOwner.options);
        expectOk(restored);
        expect(restored.stdout).toContain(`Restored generation ${generation} as the newest snapshot`);

        const list = await lifeboat(['list', dir, ...asOwner.args, '--type', 'secret'], asOwner.options);
        expectOk(list);
        expect(list.stdout).toContain(ids['secret']);
        const entries = await auditJson(dir);
        const event = entries.find((e) => e.event.type === 'doctor.restored');
        expect(event?.event).toMatchObject({
          actor: OWNER,
          details: { restoredGeneration: Number(generation), damagedGeneration: report.generations[0]?.generation },
        });
        expectOk(await lifeboat(['audit', 'verify', dir, ...asOwner.args], asOwner.options));
      });
    });
  });
});
