/**
 * The recovery commands of the `lifeboat` CLI, end to end, the way
 * cli-contract.test.ts drives it: every call spawns the BUILT CLI
 * (dist/cli/lifeboat.js) as a fresh Node process with a clean
 * environment (no inherited LIFEBOAT_* variable; the passphrase set per
 * call), stdin not a terminal, in a temp folder. Failing calls must print one
 * clear line on stderr (besides the insecure-KDF warning), never a stack.
 *
 * The vaults are made with the engine (fast KDF, test/support/test-vault.ts)
 * and filled with createRecord / addMember, then only the CLI touches them.
 * The session tests share one vault and run in order: a later step relies on
 * an earlier one (start → tick → check → note → end → report → verify).
 */
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceReport, ReadinessReview, RecoveryPlan, RecoverySession } from '../../shared/recovery.js';
import { addMember } from '../../electron/vault/vault-members.js';
import { createRecord } from '../../electron/vault/records/vault-records.js';
import { CLI, cliRunner, expectFailure, expectOk, json, show, type RunResult } from '../support/cli-run.js';
import { PASSPHRASES, newVault } from '../support/test-vault.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = join(ROOT, 'test/fixtures/backstage-catalogs');

const OWNER = 'alice';
const RESPONDER = 'dave';
const SCENARIO = 'Orders DB lost drill';
const FAILED_NOTE = 'order 4711 never appeared in the list';
const BLOCKER = 'no VPN into the data centre';
const SECRET_TITLE = 'Orders DB superuser';

let work = '';

/** Runs the built CLI in `work`. */
const lifeboat = cliRunner(() => work);

/** `lifeboat VERB… DIR --as MEMBER REST…` with that member's passphrase. */
function as(member: string, dir: string, verb: string[], ...rest: string[]): Promise<RunResult> {
  return lifeboat([...verb, dir, '--as', member, ...rest], { pass: PASSPHRASES[member] });
}

/** Service title → wave index (0-based), from a plan. */
function wavesByTitle(plan: RecoveryPlan): Record<string, number> {
  return Object.fromEntries(plan.waves.flatMap((wave) => wave.services.map((s) => [s.title, wave.index])));
}

/**
 * The small graph most tests plan:
 *
 *   identity (40 min, RTO 60)   public-dns (no runbook)
 *        ↑                           ↑
 *   orders-db (45 min, RTO 60)  web (15 min, RTO 10, also needs "cdn-vendor", not in the vault)
 *        ↑
 *   orders-api (30 min, RTO 240; 2 steps, 2 checks)
 *
 * On paper: orders-db is back after 40 + 45 = 85 min (RTO 60: breach); web after at
 * least 15 min (public-dns has no estimate; RTO 10: breach, a lower bound); orders-api
 * after 115 min, the critical path, within its RTO.
 */
async function graphVault(dir: string): Promise<{ secretId: string }> {
  const { session } = await newVault(dir);
  const service = (title: string, data: Record<string, unknown>): Promise<unknown> => createRecord(session, { type: 'service', title, data });
  const runbook = (title: string, data: Record<string, unknown>): Promise<unknown> =>
    createRecord(session, { type: 'runbook', title, data: { lastReviewed: new Date().toISOString().slice(0, 10), ...data } });
  await service('identity', { tier: 0, rtoMinutes: 60, owner: 'iam-team' });
  await service('public-dns', { tier: 1 });
  await service('orders-db', { tier: 1, rtoMinutes: 60, dependsOn: ['identity'] });
  await service('orders-api', { tier: 1, rtoMinutes: 240, dependsOn: ['orders-db'] });
  await service('web', { tier: 2, rtoMinutes: 10, dependsOn: ['public-dns', 'cdn-vendor'] });
  await runbook('Restore identity', { service: 'identity', estimatedMinutes: 40, steps: ['Restore the IdP'], validation: ['An engineer can log in'] });
  await runbook('Restore orders-db', {
    service: 'orders-db',
    estimatedMinutes: 45,
    steps: ['Restore the base backup', 'Replay WAL'],
    validation: ['SELECT 1 works'],
  });
  await runbook('Redeploy orders-api', {
    service: 'orders-api',
    estimatedMinutes: 30,
    steps: ['Deploy the last good release', 'Warm the cache'],
    validation: ['Place a test order', 'The order appears in the list'],
  });
  await runbook('Redeploy web', { service: 'web', estimatedMinutes: 15, steps: ['Deploy'], validation: ['Home page loads'] });
  const secret = await createRecord(session, { type: 'secret', title: SECRET_TITLE, data: { username: 'postgres', password: 'hunter2-orders' } });
  await addMember(session, { name: RESPONDER, role: 'responder', passphrase: PASSPHRASES[RESPONDER] ?? '' });
  await session.lock();
  return { secretId: secret.id };
}

/** A vault whose billing and ledger need each other, and a report that needs them. */
async function cycleVault(dir: string): Promise<void> {
  const { session } = await newVault(dir);
  await createRecord(session, { type: 'service', title: 'billing', data: { dependsOn: ['ledger'], rtoMinutes: 60 } });
  await createRecord(session, { type: 'service', title: 'ledger', data: { dependsOn: ['billing'], rtoMinutes: 60 } });
  await createRecord(session, { type: 'service', title: 'reports', data: { dependsOn: ['ledger'] } });
  await createRecord(session, { type: 'service', title: 'status-page', data: {} });
  await session.lock();
}

let vault = '';
let secretId = '';

beforeAll(async () => {
  if (!existsSync(CLI)) {
    execSync('npm run build:node', { cwd: ROOT, stdio: 'inherit' });
  }
  work = await mkdtemp(join(tmpdir(), 'lifeboat-recovery-cli-'));
  vault = join(work, 'ops.lifeboat');
  ({ secretId } = await graphVault(vault));
}, 120_000);

afterAll(async () => {
  if (work) {
    await rm(work, { recursive: true, force: true });
  }
});

describe('lifeboat plan', { timeout: 60_000 }, () => {
  it('--json: waves, the critical path, breaches (worst first), unestimated and missing', async () => {
    const plan = json(await as(OWNER, vault, ['plan'], '--json')) as RecoveryPlan;
    expect(plan.waves.map((wave) => wave.services.map((s) => s.title))).toEqual([['identity', 'public-dns'], ['orders-db', 'web'], ['orders-api']]);
    expect(plan.criticalPath.minutes).toBe(115);
    expect(plan.criticalPath.services.map((s) => [s.title, s.estimatedMinutes])).toEqual([
      ['identity', 40],
      ['orders-db', 45],
      ['orders-api', 30],
    ]);
    expect(plan.breaches.map((s) => [s.title, s.finishMinute, s.rtoMinutes, s.lowerBound])).toEqual([
      ['orders-db', 85, 60, false],
      ['web', 15, 10, true],
    ]);
    expect(plan.unestimated.map((s) => s.title)).toEqual(['public-dns']);
    expect(plan.missing).toEqual([expect.objectContaining({ serviceTitle: 'web', ref: 'cdn-vendor' })]);
  });

  it('reads at a glance: waves, minutes on the critical path, each breach named, exit 0', async () => {
    const r = await as(OWNER, vault, ['plan']);
    expectOk(r);
    expect(r.stdout).toContain('Wave 1 (in parallel): identity, public-dns\n');
    expect(r.stdout).toContain('Wave 3: orders-api\n');
    expect(r.stdout).toContain('Critical path: identity 40 min → orders-db 45 min → orders-api 30 min\n');
    // public-dns has no estimate: it may take longer than the whole path, so the total is a lower bound, and says why.
    expect(r.stdout).toContain('Time on paper (unlimited hands): at least 115 min (1 h 55 min), plus 1 service with no estimate\n');
    expect(r.stdout).toContain('Unknown: no estimate — 1 service.\n');
    expect(r.stdout).not.toContain('Every RTO');
    expect(r.stdout).toContain('RTO not achievable on paper: orders-db back after 85 min, RTO 60 min\n');
    // public-dns has no estimate, so web's finish is only a lower bound.
    expect(r.stdout).toContain('RTO not achievable on paper: web back after at least 15 min, RTO 10 min\n');
    expect(r.stdout).toMatch(/No time estimate.*: public-dns\n/);
    expect(r.stdout).toContain('  web → cdn-vendor\n');
  });

  it('--services plans what was asked and what it needs, by title or id', async () => {
    const plan = json(await as(OWNER, vault, ['plan'], '--services', 'orders-db', '--json')) as RecoveryPlan;
    expect(plan.waves.map((wave) => wave.services.map((s) => s.title))).toEqual([['identity'], ['orders-db']]);
    const dbId = plan.scope[0] ?? '';
    const byId = json(await as(OWNER, vault, ['plan'], '--services', `${dbId},web`, '--json')) as RecoveryPlan;
    expect(Object.keys(wavesByTitle(byId)).sort()).toEqual(['identity', 'orders-db', 'public-dns', 'web']);
  });

  it('--fail-on-breach exits 1 when an RTO cannot be met, and 0 when none is in scope', async () => {
    const failing = await as(OWNER, vault, ['plan'], '--fail-on-breach');
    expect(failing.code, show(failing)).toBe(1);
    expect(failing.stdout).toContain('RTO not achievable on paper: orders-db');
    expectOk(await as(OWNER, vault, ['plan'], '--services', 'identity', '--fail-on-breach'));
  });

  it('an unknown service in --services exits 2 and names it', async () => {
    expectFailure(await as(OWNER, vault, ['plan'], '--services', 'orders-api,no-such-service'), 2, /"no-such-service"/);
    expectFailure(await as(OWNER, vault, ['plan'], '--services', ' , '), 2, /--services/);
  });

  it('a dependency cycle still plans, exit 0: the two services recovered together, the cycle and its break in --json', async () => {
    const dir = join(work, 'cycle.lifeboat');
    await cycleVault(dir);
    const plan = json(await as(OWNER, dir, ['plan'], '--json')) as RecoveryPlan;
    expect(wavesByTitle(plan)).toEqual({ billing: 0, ledger: 0, 'status-page': 0, reports: 1 });
    expect(plan.groups).toHaveLength(1);
    expect(plan.groups[0]?.services.map((s) => s.title)).toEqual(['billing', 'ledger']);
    expect(plan.groups[0]?.cycles.map((c) => c.map((s) => s.title))).toEqual([['billing', 'ledger', 'billing']]);
    expect(plan.groups[0]?.suggestedBreaks).toHaveLength(1);
    // Every service names itself with id, title and entity ref (null: these came from no catalog).
    expect(plan.waves[0]?.services[0]).toMatchObject({ id: expect.any(String) as unknown, title: 'billing', ref: null, group: 0 });
    // A subset that reaches the group plans it whole; one beside it plans alone.
    const reports = json(await as(OWNER, dir, ['plan'], '--services', 'reports', '--json')) as RecoveryPlan;
    expect(wavesByTitle(reports)).toEqual({ billing: 0, ledger: 0, reports: 1 });
    expectOk(await as(OWNER, dir, ['plan'], '--services', 'status-page'));
    // Cycles alone are not a breach: --fail-on-breach passes.
    const text = await as(OWNER, dir, ['plan'], '--fail-on-breach');
    expect(text.code, show(text)).toBe(0);
    expect(text.stdout).toContain('Wave 1 (in parallel): [together: billing, ledger], status-page');
    expect(text.stdout).toContain('  Group 1, wave 1: billing, ledger\n    1 cycle:\n      billing → ledger → billing\n');
    // No runbook gives an estimate and one service has no RTO: unknown, in so many words, never "at least 0 min" or an all-clear (issue 19).
    expect(text.stdout).toContain('Time on paper: unknown: no runbook in this plan gives a time estimate.\n');
    expect(text.stdout).toContain('Unknown: RTO unknown on paper — 2 services (an estimate is missing on the way).\n');
    expect(text.stdout).toContain('Unknown: no RTO set — 2 services.\n');
    expect(text.stdout).toContain('Unknown: no estimate — 4 services.\n');
    expect(text.stdout).not.toMatch(/at least 0 min|achievable on paper/);
  });
});

describe('lifeboat readiness', { timeout: 60_000 }, () => {
  it('--json: services sorted by risk, a service without runbook says so', async () => {
    const review = json(await as(OWNER, vault, ['readiness'], '--json')) as ReadinessReview;
    const scores = review.services.map((s) => s.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(review.services).toHaveLength(5);
    const dns = review.services.find((s) => s.title === 'public-dns');
    expect(dns?.findings).toContainEqual(expect.objectContaining({ rule: 'no-runbook', severity: 'high' }));
    const api = review.services.find((s) => s.title === 'orders-api');
    expect(api?.findings.map((f) => f.rule)).not.toContain('no-runbook');
    expect(review.staleDays).toBe(180);
  });

  it('reads vault-wide findings first, then each service with severity and sentence, then a summary', async () => {
    const r = await as(OWNER, vault, ['readiness'], '--stale-days', '30');
    expectOk(r);
    const out = r.stdout;
    expect(out.indexOf('Vault-wide:')).toBe(0);
    expect(out).toMatch(/^ {2}LOW {7}This vault has never synced a catalog/m);
    expect(out).toMatch(/^\d+\. public-dns — risk \d+ \(tier 1, no owner, no RTO\)$/m);
    expect(out).toMatch(/^ {3}HIGH {6}public-dns has no runbook\.$/m);
    expect(out.indexOf('Vault-wide:')).toBeLessThan(out.indexOf('1. '));
    expect(out.trimEnd().split('\n').at(-1)).toMatch(/^Summary: 5 services reviewed, .*runbooks stale after 30 days\.$/);
    expect(out).toContain(
      'On paper: 2 RTOs are not achievable on paper; 2 RTOs are achievable on paper; no RTO set — 1 service; no estimate — 1 service; time for everything: at least 115 min (1 h 55 min), plus 1 service with no estimate.\n',
    );
    expectFailure(await as(OWNER, vault, ['readiness'], '--stale-days', 'soon'), 2, /--stale-days soon/);
  });
});

describe('lifeboat session, start to signed report', { timeout: 90_000 }, () => {
  let id = '';

  it('start --json freezes the plan of orders-api into a checklist, in wave order', async () => {
    const session = json(
      await as(OWNER, vault, ['session', 'start'], '--kind', 'exercise', '--scenario', SCENARIO, '--services', 'orders-api', '--json'),
    ) as RecoverySession;
    id = session.id;
    expect(id).toMatch(/^ses-[0-9a-f]{10}$/);
    expect(session).toMatchObject({ kind: 'exercise', scenario: SCENARIO, status: 'active', startedBy: OWNER });
    expect(session.services.map((s) => [s.title, s.wave])).toEqual([
      ['identity', 0],
      ['orders-db', 1],
      ['orders-api', 2],
    ]);
  });

  it('start (human) prints the session id and the numbered checklist', async () => {
    const r = await as(OWNER, vault, ['session', 'start'], '--kind', 'incident', '--scenario', 'DNS outage', '--services', 'web');
    expectOk(r);
    expect(r.stdout).toMatch(/^Started incident ses-[0-9a-f]{10}\./);
    expect(r.stdout).toMatch(/^ {4}step 1 +\[ \] Deploy$/m);
    expect(r.stdout).toMatch(/^ {4}check 1 +\[not yet\] Home page loads$/m);
    expect(r.stdout).toContain('  web → cdn-vendor');
    const list = await as(RESPONDER, vault, ['session', 'list']);
    expectOk(list);
    expect(list.stdout).toContain(`${id}\texercise\tactive\t`);
    expect(list.stdout).toMatch(/\tincident\tactive\t.*\tDNS outage\n/);
  });

  it('a responder ticks a step; starting a session is for owners and commanders (6)', async () => {
    const r = await as(RESPONDER, vault, ['session', 'step'], '--id', id, '--service', 'orders-api', '--step', '1');
    expectOk(r);
    expect(r.stdout).toMatch(/^orders-api step 1 done: Deploy the last good release \(dave, .+\)\. 1 of 2 steps done\.\n$/);
    expectFailure(await as(RESPONDER, vault, ['session', 'start'], '--kind', 'exercise', '--scenario', 'x', '--services', 'web'), 6);
    // The CLI counts from 1: step 3 of a two-step service, or step 0, names what exists.
    expectFailure(await as(RESPONDER, vault, ['session', 'step'], '--id', id, '--service', 'orders-api', '--step', '3'), 2, /has no step 3 \(it has 2\)/);
    expectFailure(await as(RESPONDER, vault, ['session', 'step'], '--id', id, '--service', 'orders-api', '--step', '0'), 2, /--step 0/);
  });

  it('check --fail needs a note; --fail --note, then --pass on both checks: useful again', async () => {
    const check = (...rest: string[]): Promise<RunResult> => as(RESPONDER, vault, ['session', 'check'], '--id', id, '--service', 'orders-api', ...rest);
    expectFailure(await check('--check', '2', '--fail'), 2, /--note/);
    expectFailure(await check('--check', '2'), 2, /--pass/);
    const failed = await check('--check', '2', '--fail', '--note', FAILED_NOTE);
    expectOk(failed);
    expect(failed.stdout).toContain(`orders-api check 2 FAILED: The order appears in the list — ${FAILED_NOTE}`);
    expectOk(await check('--check', '1', '--pass'));
    const passed = await check('--check', '2', '--pass');
    expectOk(passed);
    // Its own checks pass, but orders-db (wave 2) is not back: not useful, not "met its RTO" (issue 19).
    expect(passed.stdout).toContain('Every check of orders-api passes, but it is WAITING on orders-db (wave 2): not useful until that is back');
    const shown = await as(RESPONDER, vault, ['session', 'show'], '--id', id);
    expect(shown.stdout).toMatch(/^ {2}orders-api {2}\(.+\) {2}— WAITING on orders-db \(wave 2\)$/m);
  });

  it('override: a responder may not (6); the commander counts it useful with a reason, logged', async () => {
    const override = (member: string, ...rest: string[]): Promise<RunResult> =>
      as(member, vault, ['session', 'override'], '--id', id, '--service', 'orders-api', ...rest);
    expectFailure(await override(RESPONDER, '--reason', 'trust me'), 6);
    expectFailure(await override(OWNER), 2, /--reason/);
    const r = await override(OWNER, '--reason', 'the drill reads orders from the replica');
    expectOk(r);
    expect(r.stdout).toMatch(/^orders-api counts as USEFUL from .+ without waiting on orders-db\. Logged with your reason\.\n$/);
    const shown = await as(RESPONDER, vault, ['session', 'show'], '--id', id);
    expect(shown.stdout).toMatch(/^ {4}counted useful without waiting on orders-db \(wave 2\): alice at .+, "the drill reads orders from the replica"$/m);
    const audit = await as(OWNER, vault, ['audit']);
    expect(audit.stdout).toContain('the drill reads orders from the replica');
  });

  it('note --blocker, and show lists numbered steps and checks with who ticked what when', async () => {
    const note = await as(RESPONDER, vault, ['session', 'note'], '--id', id, '--service', 'orders-db', '--blocker', BLOCKER);
    expectOk(note);
    expect(note.stdout).toMatch(/^Blocker on orders-db recorded at .+ by dave\.\n$/);
    expectFailure(await as(RESPONDER, vault, ['session', 'note'], '--id', id, '--blocker', '--unblocked', 'x'), 2);

    const r = await as(RESPONDER, vault, ['session', 'show'], '--id', id);
    expectOk(r);
    expect(r.stdout).toMatch(new RegExp(`^Exercise ${id}: "${SCENARIO}"$`, 'm'));
    expect(r.stdout).toMatch(/^ {4}step 1 +\[x\] Deploy the last good release {2}— done by dave at \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/m);
    expect(r.stdout).toMatch(/^ {4}step 2 +\[ \] Warm the cache$/m);
    expect(r.stdout).toMatch(/^ {4}check 2 +\[passed\] The order appears in the list {2}— passed, dave at .+$/m);
    expect(r.stdout).toContain(`failed, dave at `);
    expect(r.stdout).toContain(`: ${FAILED_NOTE}`);
    expect(r.stdout).toMatch(new RegExp(`dave {2}BLOCKER \\(orders-db\\): ${BLOCKER}$`, 'm'));
    const session = json(await as(RESPONDER, vault, ['session', 'show'], '--id', id, '--json')) as RecoverySession;
    expect(session.services.find((s) => s.title === 'orders-api')?.usefulAt).toBeDefined();
  });

  it('end; afterwards the session no longer changes (SESSION_ENDED, 2)', async () => {
    // A secret revealed during the session lands on the report's rotation checklist.
    expectOk(await as(OWNER, vault, ['reveal'], secretId, 'password', '--reason', 'drill: restore orders-db'));
    expectFailure(await as(RESPONDER, vault, ['session', 'end'], '--id', id), 6);
    const ended = await as(OWNER, vault, ['session', 'end'], '--id', id);
    expectOk(ended);
    expect(ended.stdout).toMatch(new RegExp(`^Ended exercise "${SCENARIO}" after .+: 1 of 3 services useful again\\.`));
    expectFailure(await as(RESPONDER, vault, ['session', 'step'], '--id', id, '--service', 'orders-db', '--step', '1'), 2, /can no longer change/);
    const r = await as(RESPONDER, vault, ['session', 'step'], '--id', id, '--service', 'orders-db', '--step', '1', '--json');
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'SESSION_ENDED' } });
  });

  it('rotated takes the secret by title and clears it from the checklist', async () => {
    const r = await as(OWNER, vault, ['session', 'rotated'], '--id', id, '--secret', SECRET_TITLE);
    expectOk(r);
    expect(r.stdout).toContain(`"${SECRET_TITLE}" (${secretId}) marked rotated`);
    expect(r.stdout).toContain('Nothing left to rotate for this session.');
    expectFailure(await as(OWNER, vault, ['session', 'rotated'], '--id', id, '--secret', 'Some other secret'), 2, /Some other secret/);
  });

  it('report --format json is signed: audit verify --export passes (0), one altered byte of the scenario fails (4)', async () => {
    const out = join(work, 'report.json');
    const r = await as(OWNER, vault, ['session', 'report'], '--id', id, '--format', 'json', '--out', out);
    expectOk(r);
    const text = readFileSync(out, 'utf8');
    const doc = JSON.parse(text) as { format: string; report: EvidenceReport };
    expect(doc.format).toBe('lifeboat-evidence-report');
    expect(doc.report.session.scenario).toBe(SCENARIO);
    expect(doc.report.services.flatMap((s) => s.failedChecks.flatMap((c) => c.failures.map((f) => f.note)))).toEqual([FAILED_NOTE]);
    expect(doc.report.rotation).toEqual([expect.objectContaining({ rotatedAt: expect.any(String) as unknown })]);

    const verified = await lifeboat(['audit', 'verify', '--export', out]);
    expectOk(verified);
    expect(verified.stdout).toContain(`Evidence report verified without any vault key`);
    expect(verified.stdout).toContain(id);

    const at = text.indexOf(`"scenario": "${SCENARIO}"`);
    expect(at).toBeGreaterThan(0);
    const bytes = Buffer.from(text, 'utf8');
    const scenarioByte = Buffer.byteLength(text.slice(0, at)) + '"scenario": "'.length;
    bytes[scenarioByte] = (bytes[scenarioByte] ?? 0) ^ 0x20; // "O" → "o": still valid JSON, same schema
    const altered = join(work, 'report-altered.json');
    writeFileSync(altered, bytes);
    expectFailure(await lifeboat(['audit', 'verify', '--export', altered]), 4, /altered after signing/);
  });

  it('audit verify --export still checks an audit export', async () => {
    const out = join(work, 'audit.json');
    expectOk(await as(OWNER, vault, ['audit', 'export'], '--out', out));
    const r = await lifeboat(['audit', 'verify', '--export', out]);
    expectOk(r);
    expect(r.stdout).toMatch(/^Export verified without any vault key/);
  });

  it('report without --out prints Markdown (scenario, the failed check and its note), logged first', async () => {
    const r = await as(OWNER, vault, ['session', 'report'], '--id', id);
    expectOk(r);
    expect(r.stdout).toMatch(new RegExp(`^# Evidence report: ${SCENARIO}\n`));
    expect(r.stdout).toContain(`| Scenario | ${SCENARIO} |`);
    expect(r.stdout).toContain('The order appears in the list');
    expect(r.stdout).toContain(FAILED_NOTE);
    expect(r.stdout).toContain(BLOCKER);
    const audit = json(await as(OWNER, vault, ['audit'], '--json')) as { event: { type: string; details?: Record<string, unknown> } }[];
    expect(audit.filter((e) => e.event.type === 'session.report-exported').map((e) => e.event.details)).toContainEqual({
      sessionId: id,
      format: 'markdown',
      to: 'stdout',
    });
    expectFailure(await as(OWNER, vault, ['session', 'report'], '--id', id, '--format', 'pdf'), 2, /--out/);
    expectFailure(await as(RESPONDER, vault, ['session', 'report'], '--id', id), 6);
  });

  it('report --format pdf --out writes a PDF whose text holds the scenario', async () => {
    const out = join(work, 'f.pdf');
    const r = await as(OWNER, vault, ['session', 'report'], '--id', id, '--format', 'pdf', '--out', out);
    expectOk(r);
    expect(readFileSync(out).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain(SCENARIO);
    expect(text).toContain(FAILED_NOTE);
  });
});

describe('a title two services share', { timeout: 60_000 }, () => {
  // The engine would take the first "db" it finds; ticking the wrong service's step must not happen silently.
  it('is refused in session verbs, naming both ids; the id works', async () => {
    const dir = join(work, 'twins.lifeboat');
    const { session } = await newVault(dir);
    const first = await createRecord(session, { type: 'service', title: 'db', data: {} });
    const second = await createRecord(session, { type: 'service', title: 'db', data: {} });
    await session.lock();
    const started = json(
      await as(OWNER, dir, ['session', 'start'], '--kind', 'exercise', '--scenario', 'Twins', '--services', `${first.id},${second.id}`, '--json'),
    ) as RecoverySession;
    const line = expectFailure(await as(OWNER, dir, ['session', 'note'], '--id', started.id, '--service', 'db', 'hello'), 2, /Several services .* "db"/);
    expect(line).toContain(first.id);
    expect(line).toContain(second.id);
    const byId = json(await as(OWNER, dir, ['session', 'note'], '--id', started.id, '--service', second.id, 'hello', '--json')) as RecoverySession;
    expect(byId.journal.map((entry) => entry.serviceId)).toEqual([second.id]);
  });
});

describe('the fixture Backstage catalogs, synced as unsigned folders', { timeout: 60_000 }, () => {
  async function syncedVault(name: string, folder: string): Promise<string> {
    const dir = join(work, `${name}.lifeboat`);
    const { session } = await newVault(dir);
    await session.lock();
    const r = await as(OWNER, dir, ['sync'], '--unsigned', join(FIXTURES, folder));
    expectOk(r);
    expect(r.stdout).toContain('(UNSIGNED)');
    return dir;
  }

  it('janus-idp: the showcase waits for pgdb and argocd, and resource:obc is missing', async () => {
    const dir = await syncedVault('janus', 'janus-idp');
    const plan = json(await as(OWNER, dir, ['plan'], '--json')) as RecoveryPlan;
    const waves = wavesByTitle(plan);
    const showcase = waves['Backstage Showcase'] ?? -1;
    expect(showcase).toBeGreaterThan(0);
    expect(waves['PostgreSQL cluster']).toBeLessThan(showcase);
    expect(waves['ArgoCD']).toBeLessThan(showcase);
    expect(plan.missing).toContainEqual(expect.objectContaining({ serviceTitle: 'Backstage Showcase', ref: 'resource:obc' }));
    // An entity ref names a service too; the plan holds it and what it needs.
    const scoped = json(await as(OWNER, dir, ['plan'], '--services', 'component:backstage-showcase', '--json')) as RecoveryPlan;
    expect(Object.keys(wavesByTitle(scoped)).sort()).toEqual(['ArgoCD', 'Backstage Showcase', 'KeyCloak', 'PostgreSQL cluster']);
    const human = await as(OWNER, dir, ['plan']);
    expectOk(human);
    expect(human.stdout).toContain('  Backstage Showcase → resource:obc\n');

    // A session started by entity ref takes the same ref (or the title in any case) for its service.
    const session = json(
      await as(OWNER, dir, ['session', 'start'], '--kind', 'exercise', '--scenario', 'Showcase down', '--services', 'component:backstage-showcase', '--json'),
    ) as RecoverySession;
    for (const name of ['component:backstage-showcase', 'backstage showcase']) {
      const note = await as(OWNER, dir, ['session', 'note'], '--id', session.id, '--service', name, 'ArgoCD is back');
      expectOk(note);
      expect(note.stdout).toMatch(/^Note on Backstage Showcase recorded at /);
    }
  });

  it('backstage-examples: artist-lookup comes after resource:artists-db, which resolves', async () => {
    const dir = await syncedVault('examples', 'backstage-examples');
    const plan = json(await as(OWNER, dir, ['plan'], '--json')) as RecoveryPlan;
    const waves = wavesByTitle(plan);
    expect(waves['artists-db']).toBe(0);
    expect(waves['artist-lookup']).toBeGreaterThan(waves['artists-db'] ?? Infinity);
    expect(plan.missing.filter((m) => m.serviceTitle === 'artist-lookup')).toEqual([]);
  });
});
