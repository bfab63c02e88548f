/**
 * Crash durability: a worker process (crash-worker.mjs, running the built
 * engine from dist/node) changes one vault in a loop — creates, edits, opens,
 * reveals, and adds then removes throwaway members (each removal rekeys) —
 * and is killed with SIGKILL at a random instant, over and over. After every
 * kill this process must be able to open the vault (recovering the dead
 * worker's lock) and find every write the worker acknowledged:
 *
 * - the records are exactly the ones expected from the last check plus the
 *   worker's ACKed changes, give or take the one operation in flight when it
 *   died (which may or may not have landed: both are fine), so nothing ACKed
 *   is lost and nothing appears from nowhere;
 * - each ACKed open, reveal, create, edit and member change has its audit
 *   event; the whole log verifies (verifyAudit);
 * - an ACKed member removal holds: the member is gone, the key epoch moved
 *   on, and their passphrase fails with VAULT_AUTH_FAILED;
 * - this laptop's local anchor (electron/vault/anchor/) never leads the disk:
 *   the worker and this process share the test file's state folder
 *   (LIFEBOAT_STATE_DIR), so a kill may land at any instant of the anchor's
 *   writes as well, and a genuine vault must never look rolled back
 *   (VAULT_TAMPERED would also fail the open above).
 *
 * Where a kill lands: at an adaptive instant after the spawn or after the
 * worker's START line (so some hit start-up, the unlock, or the first
 * operation, before any ACK), inside the worker's first member removal (the
 * rekey's several writes), or 5–120 ms after its first ACK.
 *
 * Runs (the worker imports dist/node: `npm run build:node` first; `npm test` does):
 *   npx vitest run test/integration/crash-durability.test.ts
 *   default                              40 iterations (about 20–35 s on a 2-core
 *                                        machine), stopping early after 60 s
 *   LIFEBOAT_CRASH_ITERATIONS=300        the long run (budget 20 min unless set)
 *   LIFEBOAT_CRASH_BUDGET_MS=<ms>        override the time budget
 *   LIFEBOAT_CRASH_SEED=<uint32>         replay: the same worker seeds, mixes and
 *                                        kill plans (kill instants are wall-clock,
 *                                        so where a kill lands is only approximate)
 * A failure message starts with the seed and the iteration, and the vault
 * folder is kept for inspection.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { LifeboatError } from '../../shared/errors.js';
import { auditEntries, verifyAudit, type AuditEntry } from '../../electron/vault/audit/vault-audit.js';
import { createVault, openVault } from '../../electron/vault/vault-open.js';
import { inspectVault } from '../../electron/vault/storage/vault-doctor.js';
import { createRecord, listRecords } from '../../electron/vault/records/vault-records.js';
import type { VaultSession } from '../../electron/vault/vault-session.js';
import { mulberry32 } from '../support/seeded-random.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKER = fileURLToPath(new URL('./crash-worker.mjs', import.meta.url));
const OWNER = 'owner';
const PASSPHRASE = 'owner passphrase for crash tests';
const SECRET_VALUE = 'hunter2-crash';

const envIterations = process.env['LIFEBOAT_CRASH_ITERATIONS'];
const ITERATIONS = Number(envIterations ?? 40);
const BUDGET_MS = Number(process.env['LIFEBOAT_CRASH_BUDGET_MS'] ?? (envIterations === undefined ? 60_000 : 20 * 60_000));
const SEED = process.env['LIFEBOAT_CRASH_SEED'] === undefined ? Math.floor(Math.random() * 2 ** 32) : Number(process.env['LIFEBOAT_CRASH_SEED']);
/** A worker that never ACKs is killed after this long, and the iteration fails. */
const NO_ACK_TIMEOUT_MS = 15_000;

const MEMBER_HEAVY = 'create=1,edit=1,open=1,reveal=1,member=4';
const MIXES = [
  'create=3,edit=3,open=2,reveal=2,member=1',
  'create=3,edit=3,open=2,reveal=2,member=1',
  MEMBER_HEAVY,
  'create=1,edit=5,open=1,reveal=1,member=1',
];

/** Must match crash-worker.mjs. */
function throwawayPassphrase(name: string): string {
  return `throwaway passphrase of ${name}`;
}

// --- The worker's protocol -------------------------------------------------

const TryLine = z.discriminatedUnion('op', [
  z.object({ op: z.literal('create'), title: z.string(), body: z.string() }),
  z.object({ op: z.literal('edit'), id: z.string(), field: z.enum(['body', 'service']), value: z.string() }),
  z.object({ op: z.literal('open'), id: z.string() }),
  z.object({ op: z.literal('reveal'), id: z.string(), field: z.string(), reason: z.string() }),
  z.object({ op: z.literal('member-add'), name: z.string(), role: z.string() }),
  z.object({ op: z.literal('member-remove'), name: z.string() }),
]);
const AckLine = z.discriminatedUnion('op', [
  z.object({ op: z.literal('create'), title: z.string(), body: z.string(), id: z.string() }),
  z.object({ op: z.literal('edit'), id: z.string(), field: z.enum(['body', 'service']), value: z.string() }),
  z.object({ op: z.literal('open'), id: z.string() }),
  z.object({ op: z.literal('reveal'), id: z.string(), field: z.string(), reason: z.string() }),
  z.object({ op: z.literal('member-added'), name: z.string(), role: z.string() }),
  z.object({ op: z.literal('member-removed'), name: z.string() }),
]);
type Try = z.output<typeof TryLine>;
type Ack = z.output<typeof AckLine>;

interface KillPlan {
  /**
   * Counted from the spawn, from the worker's START line (its unlock begins),
   * from its first member removal's TRY line (to land inside a rekey), or
   * from its first ACK.
   */
  anchor: 'spawn' | 'start' | 'remove' | 'first-ack';
  delayMs: number;
}

interface WorkerRun {
  raw: string[];
  acks: Ack[];
  /** The operation started but not acknowledged when the worker died, if any. */
  inFlight: Try | null;
  started: boolean;
  opened: boolean;
  errors: string[];
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Bytes after the last newline: a line cut in half (never expected). */
  torn: string;
  msToFirstAck: number | null;
  /** From the START line to the first ACK: the unlock and the first operation. */
  msStartToFirstAck: number | null;
  /** How long each completed member removal (with its rekey) took, TRY to ACK. */
  msRemovals: number[];
  timedOut: boolean;
}

function parseProtocol(lines: string[]): Pick<WorkerRun, 'acks' | 'inFlight' | 'started' | 'opened' | 'errors'> {
  const acks: Ack[] = [];
  const errors: string[] = [];
  let inFlight: Try | null = null;
  let started = false;
  let opened = false;
  for (const line of lines) {
    const space = line.indexOf(' ');
    const kind = space < 0 ? line : line.slice(0, space);
    const json = space < 0 ? 'null' : line.slice(space + 1);
    let payload: unknown;
    try {
      payload = JSON.parse(json);
    } catch {
      errors.push(`unparseable worker line: ${line}`);
      continue;
    }
    if (kind === 'START') {
      started = true;
    } else if (kind === 'OPEN') {
      opened = true;
    } else if (kind === 'TRY') {
      const parsed = TryLine.safeParse(payload);
      if (parsed.success) {
        inFlight = parsed.data;
      } else {
        errors.push(`bad TRY line: ${line}`);
      }
    } else if (kind === 'ACK') {
      const parsed = AckLine.safeParse(payload);
      if (parsed.success) {
        acks.push(parsed.data);
        inFlight = null;
      } else {
        errors.push(`bad ACK line: ${line}`);
      }
    } else if (kind === 'ERR') {
      errors.push(`worker error: ${json}`);
    } else {
      errors.push(`unexpected worker line: ${line}`);
    }
  }
  return { acks, inFlight, started, opened, errors };
}

async function runWorker(dir: string, seed: number, mix: string, plan: KillPlan): Promise<WorkerRun> {
  const child = spawn(process.execPath, [WORKER, dir, String(seed), mix], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      LIFEBOAT_CRASH_OWNER: OWNER,
      LIFEBOAT_CRASH_PASSPHRASE: PASSPHRASE,
      LIFEBOAT_CRASH_SECRET_VALUE: SECRET_VALUE,
    },
  });
  const spawnedAt = performance.now();
  const raw: string[] = [];
  let pending = '';
  let stderr = '';
  // Set from the stream callbacks below (an object, so TypeScript does not narrow them to null).
  const seen: { startLine: number | null; firstAck: number | null; removeTry: number | null; timedOut: boolean } = {
    startLine: null,
    firstAck: null,
    removeTry: null,
    timedOut: false,
  };
  const msRemovals: number[] = [];
  let removalStartedAt: number | null = null;
  const timers: NodeJS.Timeout[] = [];
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
  };
  if (plan.anchor === 'spawn') {
    timers.push(setTimeout(kill, plan.delayMs));
  }
  timers.push(
    setTimeout(() => {
      seen.timedOut = seen.firstAck === null;
      kill();
    }, NO_ACK_TIMEOUT_MS),
  );
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      raw.push(line);
      if (seen.startLine === null && line.startsWith('START ')) {
        seen.startLine = performance.now();
        if (plan.anchor === 'start') {
          timers.push(setTimeout(kill, plan.delayMs));
        }
      }
      if (line.startsWith('TRY {"op":"member-remove"')) {
        removalStartedAt = performance.now();
        if (seen.removeTry === null && plan.anchor === 'remove') {
          timers.push(setTimeout(kill, plan.delayMs));
        }
        seen.removeTry ??= removalStartedAt;
      } else if (line.startsWith('ACK {"op":"member-removed"') && removalStartedAt !== null) {
        msRemovals.push(performance.now() - removalStartedAt);
        removalStartedAt = null;
      }
      if (seen.firstAck === null && line.startsWith('ACK ')) {
        seen.firstAck = performance.now();
        if (plan.anchor === 'first-ack') {
          timers.push(setTimeout(kill, plan.delayMs));
        } else if (plan.anchor === 'remove') {
          // In case the worker's dice never pick a member change.
          timers.push(setTimeout(kill, 500));
        }
      }
      newline = pending.indexOf('\n');
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  // 'close': the process has exited (and been reaped) and its pipes are drained.
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  for (const timer of timers) {
    clearTimeout(timer);
  }
  const { startLine, firstAck, timedOut } = seen;
  return {
    raw,
    ...parseProtocol(raw),
    stderr,
    code,
    signal,
    torn: pending,
    msToFirstAck: firstAck === null ? null : firstAck - spawnedAt,
    msStartToFirstAck: firstAck === null || startLine === null ? null : firstAck - startLine,
    msRemovals,
    timedOut,
  };
}

// --- What the vault must hold ------------------------------------------------

interface RunbookState {
  title: string;
  body: unknown;
  service: unknown;
}
type Records = Map<string, RunbookState>;

function describeRecord(r: RunbookState | undefined): string {
  return r ? JSON.stringify(r) : 'absent';
}

function readRunbooks(session: VaultSession): Records {
  const store = session.internals().store;
  if (!store) {
    throw new Error('the owner session has no record store');
  }
  const out: Records = new Map();
  for (const summary of listRecords(session, 'runbook')) {
    // A peek that logs nothing: openRecord would add audit events of our own.
    const stored = store.get(summary.id);
    out.set(summary.id, { title: summary.title, body: stored?.data['body'], service: stored?.data['service'] });
  }
  return out;
}

/** Differences between what must be there and what is; [] when they match. */
function diffRecords(expected: Records, actual: Records, ackedCreates: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const [id, want] of expected) {
    const have = actual.get(id);
    if (!have) {
      out.push(ackedCreates.has(id) ? `ACKed create LOST: ${id} ${describeRecord(want)}` : `record LOST: ${id} ${describeRecord(want)}`);
      continue;
    }
    for (const key of ['title', 'body', 'service'] as const) {
      if (have[key] !== want[key]) {
        out.push(`${id}.${key}: expected ${JSON.stringify(want[key])}, found ${JSON.stringify(have[key])}`);
      }
    }
  }
  for (const [id, have] of actual) {
    if (!expected.has(id)) {
      out.push(`unexpected record ${id} ${describeRecord(have)}`);
    }
  }
  return out;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

interface Model {
  records: Records;
  members: Set<string>;
  keyEpoch: number;
  /** Audit records before the current worker ran. */
  logSize: number;
  removedEver: Set<string>;
}

interface Check {
  problems: string[];
  next: Model;
}

async function check(dir: string, model: Model, run: WorkerRun): Promise<Check> {
  const problems: string[] = [];
  // Before anything opens it: what the anchor says this laptop saw may lag the disk, never lead it.
  const anchor = (await inspectVault(dir)).anchor;
  if (anchor === null) {
    problems.push('this laptop keeps no local anchor for the vault');
  } else if (anchor.olderOnDisk !== null) {
    problems.push(`the local anchor LEADS the disk after the kill: ${anchor.olderOnDisk}`);
  }
  let session: VaultSession;
  try {
    session = await openVault(dir, { member: OWNER, passphrase: PASSPHRASE });
  } catch (error) {
    const code = error instanceof LifeboatError ? error.code : 'not a LifeboatError';
    return { problems: [`the vault does not OPEN after the kill: ${code}: ${String(error)}`], next: model };
  }

  // Expected records: the last observed state plus every ACKed change.
  const expected: Records = new Map([...model.records].map(([id, r]) => [id, { ...r }]));
  const ackedCreates = new Set<string>();
  const expectedMembers = new Set(model.members);
  let ackedRemovals = 0;
  for (const ack of run.acks) {
    switch (ack.op) {
      case 'create':
        if (expected.has(ack.id)) {
          problems.push(`model: the worker created ${ack.id}, which already existed`);
        }
        expected.set(ack.id, { title: ack.title, body: ack.body, service: undefined });
        ackedCreates.add(ack.id);
        break;
      case 'edit': {
        const record = expected.get(ack.id);
        if (record) {
          record[ack.field] = ack.value;
        } else {
          problems.push(`model: the worker edited ${ack.id}, which the test did not know`);
        }
        break;
      }
      case 'member-added':
        expectedMembers.add(ack.name);
        break;
      case 'member-removed':
        expectedMembers.delete(ack.name);
        ackedRemovals += 1;
        break;
      default:
        break;
    }
  }

  let observed: Records = model.records;
  let members = model.members;
  let keyEpoch = model.keyEpoch;
  let logSize = model.logSize;
  try {
    // Records: exactly as expected, or as expected plus the in-flight change.
    observed = readRunbooks(session);
    const strict = diffRecords(expected, observed, ackedCreates);
    if (strict.length > 0) {
      const alternative: Records = new Map([...expected].map(([id, r]) => [id, { ...r }]));
      const flight = run.inFlight;
      if (flight?.op === 'create') {
        for (const [id, r] of observed) {
          if (!alternative.has(id) && r.title === flight.title) {
            alternative.set(id, { title: flight.title, body: flight.body, service: undefined });
          }
        }
      } else if (flight?.op === 'edit') {
        const record = alternative.get(flight.id);
        if (record) {
          record[flight.field] = flight.value;
        }
      }
      if (diffRecords(alternative, observed, ackedCreates).length > 0) {
        problems.push(...strict);
      }
    }

    // Members: same rule, and no member whose removal was ever ACKed comes back.
    members = new Set(session.members().map((m) => m.name));
    if (!members.has(OWNER)) {
      problems.push(`the owner ${OWNER} is no longer a member`);
    }
    const withFlight = new Set(expectedMembers);
    if (run.inFlight?.op === 'member-add') {
      withFlight.add(run.inFlight.name);
    } else if (run.inFlight?.op === 'member-remove') {
      withFlight.delete(run.inFlight.name);
    }
    if (!sameSet(members, expectedMembers) && !sameSet(members, withFlight)) {
      problems.push(`members: expected ${JSON.stringify([...expectedMembers].sort())}, found ${JSON.stringify([...members].sort())}`);
    }
    for (const name of model.removedEver) {
      if (members.has(name)) {
        problems.push(`member ${name}, whose removal was ACKed earlier, is back`);
      }
    }

    // Each ACKed removal rekeyed: the epoch moved on at least that often.
    keyEpoch = session.header.keyEpoch;
    const maxEpoch = model.keyEpoch + ackedRemovals + (run.inFlight?.op === 'member-remove' ? 1 : 0);
    if (keyEpoch < model.keyEpoch + ackedRemovals || keyEpoch > maxEpoch) {
      problems.push(`key epoch: was ${model.keyEpoch}, ${ackedRemovals} removal(s) ACKed, now ${keyEpoch}`);
    }

    // The audit log verifies, and holds an event for every ACKed operation.
    try {
      verifyAudit(session);
    } catch (error) {
      problems.push(`verifyAudit FAILED: ${String(error)}`);
    }
    const entries = auditEntries(session);
    problems.push(...missingAuditEvents(entries.slice(model.logSize), run.acks));
    // The lock below appends "vault.locked".
    logSize = entries.length + 1;
  } finally {
    await session.lock();
  }

  // An ACKed removal holds: the member's passphrase no longer opens the vault.
  for (const ack of run.acks) {
    if (ack.op === 'member-removed') {
      try {
        const stale = await openVault(dir, { member: ack.name, passphrase: throwawayPassphrase(ack.name) });
        await stale.lock();
        problems.push(`removed member ${ack.name} can still OPEN the vault`);
      } catch (error) {
        if (!(error instanceof LifeboatError) || error.code !== 'VAULT_AUTH_FAILED') {
          problems.push(`removed member ${ack.name}: expected VAULT_AUTH_FAILED, got ${String(error)}`);
        }
      }
    }
  }

  const removedEver = new Set(model.removedEver);
  for (const ack of run.acks) {
    if (ack.op === 'member-removed') {
      removedEver.add(ack.name);
    }
  }
  return { problems, next: { records: observed, members, keyEpoch, logSize, removedEver } };
}

/** Every ACKed operation must have its audit event among the events logged since the last check. */
function missingAuditEvents(entries: AuditEntry[], acks: Ack[]): string[] {
  const out: string[] = [];
  const events = entries.map((e) => e.event);
  const count = (type: string, recordId: string): number => events.filter((e) => e.type === type && e.recordId === recordId).length;
  const wanted = new Map<string, number>();
  for (const ack of acks) {
    if (ack.op === 'open' || ack.op === 'edit' || ack.op === 'create') {
      const type = { open: 'record.opened', edit: 'record.edited', create: 'record.created' }[ack.op];
      const key = `${type} ${ack.id}`;
      wanted.set(key, (wanted.get(key) ?? 0) + 1);
    } else if (ack.op === 'reveal') {
      if (!events.some((e) => e.type === 'secret.revealed' && e.recordId === ack.id && e.field === ack.field && e.reason === ack.reason)) {
        out.push(`ACKed reveal of ${ack.id} (reason ${ack.reason}) has no secret.revealed audit event`);
      }
    } else {
      const type = ack.op === 'member-added' ? 'member.added' : 'member.removed';
      if (!events.some((e) => e.type === type && e.details?.['member'] === ack.name)) {
        out.push(`ACKed ${ack.op} ${ack.name} has no ${type} audit event`);
      }
    }
  }
  for (const [key, n] of wanted) {
    const [type = '', id = ''] = key.split(' ');
    const found = count(type, id);
    if (found < n) {
      out.push(`${String(n)} ACKed ${type} of ${id}, but only ${String(found)} such audit event(s)`);
    }
  }
  const removals = acks.filter((a) => a.op === 'member-removed').length;
  const rekeys = events.filter((e) => e.type === 'vault.rekeyed').length;
  if (rekeys < removals) {
    out.push(`${String(removals)} ACKed member removal(s), but only ${String(rekeys)} vault.rekeyed audit event(s)`);
  }
  return out;
}

// --- The run -------------------------------------------------------------------

/**
 * The worker runs dist/node: it must exist. A source newer than the build is
 * reported (the worker would be running yesterday's engine), not fatal.
 */
function assertBuilt(): void {
  const built = join(ROOT, 'dist/node/electron/vault/vault-open.js');
  if (!existsSync(built)) {
    throw new Error('dist/node is missing: run `npm run build:node` first (the crash worker runs the built engine).');
  }
  const builtAt = statSync(built).mtimeMs;
  const newer = ['electron/vault', 'shared'].flatMap((folder) =>
    readdirSync(join(ROOT, folder))
      .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && statSync(join(ROOT, folder, name)).mtimeMs > builtAt + 1000)
      .map((name) => `${folder}/${name}`),
  );
  if (newer.length > 0) {
    process.stderr.write(`crash-durability: WARNING: ${newer.join(', ')} changed after the last build; the worker runs dist/node (npm run build:node).\n`);
  }
}

function lastLines(lines: string[], n: number): string {
  const tail = lines.slice(-n);
  return `${lines.length > n ? `  … ${String(lines.length - n)} earlier lines\n` : ''}${tail.map((l) => `  ${l}`).join('\n')}`;
}

it(
  'a worker SIGKILLed at random points never loses an acknowledged write, and the vault always opens',
  async () => {
    assertBuilt();
    expect(Number.isSafeInteger(ITERATIONS) && ITERATIONS > 0, 'LIFEBOAT_CRASH_ITERATIONS').toBe(true);
    expect(Number.isSafeInteger(SEED) && SEED >= 0 && SEED < 2 ** 32, 'LIFEBOAT_CRASH_SEED').toBe(true);
    const random = mulberry32(SEED);
    const started = performance.now();
    const base = await mkdtemp(join(tmpdir(), 'lifeboat-crash-'));
    const dir = join(base, 'vault');

    const setup = await createVault(dir, { owner: OWNER, passphrase: PASSPHRASE, insecureFastKdf: true });
    await createRecord(setup, { type: 'secret', title: 'Crash-test secret', data: { username: 'root', password: SECRET_VALUE } });
    let model: Model = {
      records: new Map(),
      members: new Set(setup.members().map((m) => m.name)),
      keyEpoch: setup.header.keyEpoch,
      logSize: auditEntries(setup).length + 1,
      removedEver: new Set(),
    };
    await setup.lock();

    const stats = {
      iterations: 0,
      beforeStart: 0,
      duringUnlock: 0,
      beforeFirstAck: 0,
      afterFirstAck: 0,
      acks: 0,
      removals: 0,
      inFlight: new Map<string, number>(),
    };
    // Kill instants adapt to this machine: the spawn-to-first-ACK,
    // START-to-first-ACK and removal times are tracked as moving averages.
    let spawnToAckMs = 600;
    let startToAckMs = 150;
    let removalMs = 30;
    let stoppedEarly = false;
    for (let i = 0; i < ITERATIONS; i += 1) {
      if (performance.now() - started > BUDGET_MS) {
        stoppedEarly = true;
        break;
      }
      const workerSeed = (SEED + Math.imul(i + 1, 0x9e3779b9)) >>> 0;
      const dice = random();
      const plan: KillPlan =
        dice < 0.15
          ? { anchor: 'spawn', delayMs: Math.round(random() * spawnToAckMs * 1.1) }
          : dice < 0.3
            ? { anchor: 'start', delayMs: Math.round(random() * startToAckMs * 1.2) }
            : dice < 0.5
              ? { anchor: 'remove', delayMs: Math.round(random() * removalMs * 1.2) }
              : { anchor: 'first-ack', delayMs: 5 + Math.round(random() * 115) };
      const mix = plan.anchor === 'remove' ? MEMBER_HEAVY : (MIXES[i % MIXES.length] ?? MEMBER_HEAVY);
      const run = await runWorker(dir, workerSeed, mix, plan);
      if (run.msToFirstAck !== null) {
        spawnToAckMs = 0.7 * spawnToAckMs + 0.3 * run.msToFirstAck;
      }
      if (run.msStartToFirstAck !== null) {
        startToAckMs = 0.7 * startToAckMs + 0.3 * run.msStartToFirstAck;
      }
      for (const ms of run.msRemovals) {
        removalMs = 0.7 * removalMs + 0.3 * ms;
      }

      const problems: string[] = [...run.errors];
      if (run.signal !== 'SIGKILL') {
        problems.push(`the worker was not killed but exited by itself (code ${String(run.code)}, signal ${String(run.signal)})`);
      }
      if (run.timedOut) {
        problems.push(`the worker acknowledged nothing within ${String(NO_ACK_TIMEOUT_MS)} ms`);
      }
      if (run.torn !== '') {
        problems.push(`a torn protocol line: ${JSON.stringify(run.torn)}`);
      }
      const result = await check(dir, model, run);
      problems.push(...result.problems);
      if (problems.length > 0) {
        expect.fail(
          [
            `Crash durability FAILED — seed ${String(SEED)} (replay: LIFEBOAT_CRASH_SEED=${String(SEED)}), iteration ${String(i)},`,
            `worker seed ${String(workerSeed)}, mix ${mix}, kill ${String(plan.delayMs)} ms after ${plan.anchor};`,
            `in flight at the kill: ${run.inFlight ? JSON.stringify(run.inFlight) : 'nothing'}; vault kept at ${dir}`,
            'Problems:',
            ...problems.map((p) => `  - ${p}`),
            'Worker output (last lines):',
            lastLines(run.raw, 40),
            run.stderr ? `Worker stderr:\n${run.stderr}` : 'Worker stderr: (empty)',
          ].join('\n'),
        );
      }
      model = result.next;

      stats.iterations += 1;
      stats.acks += run.acks.length;
      stats.removals += run.acks.filter((a) => a.op === 'member-removed').length;
      if (!run.started) {
        stats.beforeStart += 1;
      } else if (!run.opened) {
        stats.duringUnlock += 1;
      }
      if (run.acks.length === 0) {
        stats.beforeFirstAck += 1;
      } else {
        stats.afterFirstAck += 1;
      }
      const flightKey = run.inFlight?.op ?? (run.opened ? 'between operations' : run.started ? 'unlock' : 'start-up');
      stats.inFlight.set(flightKey, (stats.inFlight.get(flightKey) ?? 0) + 1);
    }

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const flights = [...stats.inFlight].map(([k, v]) => `${k} ${String(v)}`).join(', ');
    process.stderr.write(
      `crash-durability: ${String(stats.iterations)} of ${String(ITERATIONS)} iterations in ${seconds} s (seed ${String(SEED)})` +
        `${stoppedEarly ? `, STOPPED EARLY at the ${String(BUDGET_MS / 1000)} s budget` : ''}; ` +
        `kills before first ACK ${String(stats.beforeFirstAck)} (${String(stats.beforeStart)} while loading, ${String(stats.duringUnlock)} during the unlock), ` +
        `after first ACK ${String(stats.afterFirstAck)}; ${String(stats.acks)} ACKs checked, ${String(stats.removals)} member removals; ` +
        `in flight at the kill: ${flights}\n`,
    );
    expect(stats.iterations).toBeGreaterThan(0);
    await rm(base, { recursive: true, force: true });
  },
  BUDGET_MS + 120_000,
);
