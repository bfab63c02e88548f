/**
 * "A sync killed mid-way leaves the vault exactly as before": a worker
 * process (sync-worker.mjs, running the built engine from dist/node) syncs a
 * large signed catalog (the whole GOV.UK operations manual, 205 pages) and
 * is killed with SIGKILL at a random instant between its SYNCING and DONE
 * lines. After every kill this process opens the vault (recovering the dead
 * worker's lock) and finds the catalog's records and applied version either
 * exactly as before the sync or exactly as after it — never anything in
 * between — and the audit log verifies.
 *
 * Two starting points, alternating:
 * - first sync: an empty vault that trusts the publisher; version 1 adds 205 records;
 * - update: a vault with version 1 applied; version 2 edits 200 pages, removes
 *   5 (archived) and adds 5, so a half-applied update would show.
 * "Before" and "after" are measured, not assumed: the worker is first run to
 * completion on a copy of each starting point (which also times the sync, so
 * the kill instants adapt to this machine).
 *
 * Runs (the worker imports dist/node: `npm run build:node` first; `npm test` does,
 * and this file builds once if dist/node has no catalog sync at all):
 *   npx vitest run test/integration/sync-crash.test.ts
 *   LIFEBOAT_SYNC_CRASH_ITERATIONS=<n>   default 10
 *   LIFEBOAT_SYNC_CRASH_SEED=<uint32>    replay the same kill plan (instants are wall-clock, so approximate)
 * A failure message starts with the seed and the iteration; the vault folder is kept.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { appendFile, cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { packCatalog } from '../../electron/catalog/catalog-manifest.js';
import { syncCatalog } from '../../electron/catalog/catalog-sync.js';
import { appliedVersions, trustPublisher } from '../../electron/catalog/catalog-trust.js';
import { encodeBase64, generatePublisherKey, writePublisherKey } from '../../electron/catalog/publisher-key.js';
import { auditEntries, verifyAudit } from '../../electron/vault/audit/vault-audit.js';
import { createVault, openVault } from '../../electron/vault/vault-open.js';
import type { VaultSession } from '../../electron/vault/vault-session.js';
import { LifeboatError } from '../../shared/errors.js';
import { mulberry32 } from '../support/seeded-random.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKER = fileURLToPath(new URL('./sync-worker.mjs', import.meta.url));
const GOVUK = join(ROOT, 'test/fixtures/govuk-developer-docs/manual');
const OWNER = 'owner';
const PASSPHRASE = 'owner passphrase for sync crash tests';
const CATALOG_ID = 'govuk-manual';
const EDIT_MARKER = 'Reviewed for catalog version 2.';

const ITERATIONS = Number(process.env['LIFEBOAT_SYNC_CRASH_ITERATIONS'] ?? 10);
const SEED = process.env['LIFEBOAT_SYNC_CRASH_SEED'] === undefined ? Math.floor(Math.random() * 2 ** 32) : Number(process.env['LIFEBOAT_SYNC_CRASH_SEED']);
/** A worker that has not reached DONE by then is killed, and the iteration fails. */
const WORKER_TIMEOUT_MS = 20_000;

// --- The worker ----------------------------------------------------------------

interface WorkerRun {
  lines: string[];
  syncing: boolean;
  done: boolean;
  /** The last PHASE label before the process ended. */
  phase: string;
  errors: string[];
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** From SYNCING to DONE, when both were seen. */
  msSyncing: number | null;
  /** From SYNCING to each phase's first PHASE line. */
  msToPhase: Map<string, number>;
  torn: string;
}

/** Runs the worker; `killAfterSyncingMs` (if given) SIGKILLs it that long after its SYNCING line. */
async function runWorker(dir: string, catalogPath: string, killAfterSyncingMs?: number): Promise<WorkerRun> {
  const child = spawn(process.execPath, [WORKER, dir, catalogPath], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LIFEBOAT_SYNC_MEMBER: OWNER, LIFEBOAT_SYNC_PASSPHRASE: PASSPHRASE, LIFEBOAT_STATE_DIR: stateFor(dir) },
  });
  const run: WorkerRun = {
    lines: [],
    syncing: false,
    done: false,
    phase: '',
    errors: [],
    stderr: '',
    code: null,
    signal: null,
    msSyncing: null,
    msToPhase: new Map(),
    torn: '',
  };
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
  };
  const timers: NodeJS.Timeout[] = [setTimeout(kill, WORKER_TIMEOUT_MS)];
  let syncingAt = 0;
  let pending = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      run.lines.push(line);
      const space = line.indexOf(' ');
      const kind = space < 0 ? line : line.slice(0, space);
      if (kind === 'SYNCING') {
        run.syncing = true;
        syncingAt = performance.now();
        if (killAfterSyncingMs !== undefined) {
          timers.push(setTimeout(kill, killAfterSyncingMs));
        }
      } else if (kind === 'PHASE') {
        run.phase = (JSON.parse(line.slice(space + 1)) as { label: string }).label;
        if (!run.msToPhase.has(run.phase)) {
          run.msToPhase.set(run.phase, performance.now() - syncingAt);
        }
      } else if (kind === 'DONE') {
        run.done = true;
        run.msSyncing = performance.now() - syncingAt;
      } else if (kind === 'ERR') {
        run.errors.push(`worker error: ${line.slice(space + 1)}`);
      } else if (!['START', 'OPEN', 'LOCKED'].includes(kind)) {
        run.errors.push(`unexpected worker line: ${line}`);
      }
      newline = pending.indexOf('\n');
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    run.stderr += chunk;
  });
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  for (const timer of timers) {
    clearTimeout(timer);
  }
  run.code = code;
  run.signal = signal;
  run.torn = pending;
  return run;
}

// --- What the vault holds ----------------------------------------------------------

/** The catalog's records (what a sync writes), without the random ids and timestamps, and the applied version. */
interface CatalogState {
  records: string[];
  applied: number | null;
}

function catalogState(session: VaultSession): CatalogState {
  const store = session.internals().store;
  if (!store) {
    throw new Error('the owner session has no record store');
  }
  const records = store
    .all()
    .filter((r) => (r.data['catalogRef'] as { catalogId?: string } | undefined)?.catalogId === CATALOG_ID)
    .map((r) => {
      const ref = r.data['catalogRef'] as { key: string };
      return JSON.stringify([ref.key, r.type, r.title, r.revision, r.deleted, r.data, store.revisions(r.id).map((v) => [v.revision, v.action, v.changed])]);
    })
    .sort();
  return { records, applied: appliedVersions(session)[CATALOG_ID] ?? null };
}

function describeState(state: CatalogState): string {
  return `${String(state.records.length)} catalog records, applied version ${String(state.applied)}`;
}

function sameState(a: CatalogState, b: CatalogState): boolean {
  return a.applied === b.applied && a.records.length === b.records.length && a.records.every((r, i) => r === b.records[i]);
}

/** Opens the vault after the worker ended: returns its catalog state, or problems. */
async function inspect(dir: string): Promise<{ state: CatalogState | null; syncEvents: number; problems: string[] }> {
  let session: VaultSession;
  try {
    session = await openVault(dir, { member: OWNER, passphrase: PASSPHRASE, stateDir: stateFor(dir) });
  } catch (error) {
    const code = error instanceof LifeboatError ? error.code : 'not a LifeboatError';
    return { state: null, syncEvents: 0, problems: [`the vault does not OPEN after the kill: ${code}: ${String(error)}`] };
  }
  const problems: string[] = [];
  let state: CatalogState | null = null;
  let syncEvents = 0;
  try {
    state = catalogState(session);
    syncEvents = auditEntries(session).filter((e) => e.event.type === 'catalog.synced').length;
    try {
      verifyAudit(session);
    } catch (error) {
      problems.push(`verifyAudit FAILED: ${String(error)}`);
    }
  } finally {
    await session.lock();
  }
  return { state, syncEvents, problems };
}

// --- Setup -----------------------------------------------------------------------

interface Scenario {
  name: string;
  /** A locked vault to copy for each iteration. */
  base: string;
  catalogPath: string;
  before: CatalogState;
  after: CatalogState;
  /** catalog.synced events in the base vault's log. */
  syncEventsBefore: number;
  msSyncing: number;
  /** From SYNCING to the diff: what follows is the audit event, the apply and the snapshot. */
  msToCompare: number;
}

let work: string;
const scenarios: Scenario[] = [];

/**
 * The state folder (local anchors) of the laptop a copy is opened on, shared by
 * the worker and the checks: one per copy, since every copy of a base vault has
 * its vault id, and a second copy on the laptop that saw the first one sync is,
 * rightly, a rollback.
 */
function stateFor(dir: string): string {
  return `${dir}.state`;
}

async function copyVault(from: string, name: string): Promise<string> {
  const dir = join(work, name);
  await cp(from, dir, { recursive: true });
  return dir;
}

/** Runs the worker to completion on a copy of `base`: the state after the sync, and how long it took. */
async function calibrate(name: string, base: string, catalogPath: string): Promise<Scenario> {
  const { state: before, syncEvents: syncEventsBefore } = await inspect(await copyVault(base, `${name}-before`));
  const dir = await copyVault(base, `${name}-calibration`);
  const run = await runWorker(dir, catalogPath);
  if (!run.done || run.code !== 0 || run.errors.length > 0) {
    throw new Error(`the worker did not complete a sync (${name}): code ${String(run.code)}, ${run.errors.join('; ')}\n${run.stderr}`);
  }
  const { state: after, syncEvents, problems } = await inspect(dir);
  if (syncEvents !== syncEventsBefore + 1) {
    problems.push(`a completed sync logged ${String(syncEvents - syncEventsBefore)} catalog.synced events, not 1`);
  }
  if (!before || !after || problems.length > 0) {
    throw new Error(`calibration of ${name} failed: ${problems.join('; ')}`);
  }
  const msSyncing = run.msSyncing ?? 1000;
  return { name, base, catalogPath, before, after, syncEventsBefore, msSyncing, msToCompare: run.msToPhase.get('Comparing with the vault') ?? msSyncing / 2 };
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/node/electron/catalog/catalog-sync.js'))) {
    execFileSync('npm', ['run', 'build:node'], { cwd: ROOT, stdio: 'ignore' });
  }
  work = await mkdtemp(join(tmpdir(), 'lifeboat-sync-crash-'));
  const key = await generatePublisherKey('GOV.UK Platform');
  const keyPath = join(work, 'publisher.key');
  await writePublisherKey(keyPath, key);

  // Version 1: the manual. Version 2: 200 pages edited, 5 removed, 5 added.
  const v1Dir = join(work, 'catalog-v1');
  await cp(GOVUK, join(v1Dir, 'manual'), { recursive: true });
  const v2Dir = join(work, 'catalog-v2');
  await cp(v1Dir, v2Dir, { recursive: true });
  const pages = (await readdir(join(v2Dir, 'manual'), { recursive: true })).filter((name) => name.endsWith('.md')).sort();
  for (const [i, page] of pages.entries()) {
    if (i < 5) {
      await rm(join(v2Dir, 'manual', page));
    } else {
      await appendFile(join(v2Dir, 'manual', page), `\n${EDIT_MARKER}\n`);
    }
  }
  await mkdir(join(v2Dir, 'added'));
  for (let i = 1; i <= 5; i += 1) {
    await writeFile(
      join(v2Dir, 'added', `new-page-${String(i)}.md`),
      `---\ntitle: New page ${String(i)}\n---\n\n# New page ${String(i)}\n\n1. Check the thing.\n2. Fix the thing.\n`,
    );
  }
  const v1Path = join(work, 'govuk-v1.lbcat');
  const v2Path = join(work, 'govuk-v2.lbcat');
  await writeFile(v1Path, (await packCatalog({ srcDir: v1Dir, keyPath, catalogVersion: 1, catalogId: CATALOG_ID })).bytes);
  await writeFile(v2Path, (await packCatalog({ srcDir: v2Dir, keyPath, catalogVersion: 2, catalogId: CATALOG_ID })).bytes);

  // Base A: an empty vault that trusts the publisher. Base B: the same with version 1 applied.
  const baseA = join(work, 'base-empty');
  const setup = await createVault(baseA, { owner: OWNER, passphrase: PASSPHRASE, insecureFastKdf: true });
  await trustPublisher(setup, { name: 'GOV.UK Platform', keyId: key.keyId, publicKey: encodeBase64(key.publicKey) });
  await setup.lock();
  const baseB = await copyVault(baseA, 'base-v1');
  const withV1 = await openVault(baseB, { member: OWNER, passphrase: PASSPHRASE });
  await syncCatalog(withV1, {
    kind: 'signed',
    bytes: (await packCatalog({ srcDir: v1Dir, keyPath, catalogVersion: 1, catalogId: CATALOG_ID })).bytes,
    label: 'v1',
  });
  await withV1.lock();

  scenarios.push(await calibrate('first-sync', baseA, v1Path), await calibrate('update', baseB, v2Path));
}, 60_000);

afterAll(async () => {
  if (work && process.env['LIFEBOAT_SYNC_CRASH_KEEP'] === undefined) {
    await rm(work, { recursive: true, force: true });
  }
});

it('the calibration runs prove the scenarios: a full sync changes what the kills must never half-change', () => {
  const [first, update] = scenarios;
  expect(first?.before).toEqual({ records: [], applied: null });
  expect(first?.after.records).toHaveLength(205);
  expect(first?.after.applied).toBe(1);
  expect(update?.before).toEqual(first?.after);
  expect(update?.after.applied).toBe(2);
  expect(update?.after.records).toHaveLength(210);
  expect(update?.after.records.filter((r) => r.includes(EDIT_MARKER))).toHaveLength(200);
  expect(update?.after.records.filter((r) => r.includes('"archived":true'))).toHaveLength(5);
});

it('a sync SIGKILLed at a random instant leaves the catalog entirely applied or entirely absent, and the vault opens', async () => {
  expect(Number.isSafeInteger(ITERATIONS) && ITERATIONS > 0, 'LIFEBOAT_SYNC_CRASH_ITERATIONS').toBe(true);
  expect(Number.isSafeInteger(SEED) && SEED >= 0 && SEED < 2 ** 32, 'LIFEBOAT_SYNC_CRASH_SEED').toBe(true);
  const random = mulberry32(SEED);
  /** As before with no event; as before, the event logged but the snapshot never written; as after. */
  const outcomes = { before: 0, loggedNotCommitted: 0, after: 0 };
  const phases = new Map<string, number>();
  let retried = false;
  for (let i = 0; i < ITERATIONS; i += 1) {
    const scenario = scenarios[i % scenarios.length];
    if (!scenario) {
      throw new Error('no scenario');
    }
    // Half the kills anywhere from the SYNCING line to a little past the expected DONE, half
    // from the diff on: the audit event, the transaction and the snapshot write.
    const from = random() < 0.5 ? 0 : scenario.msToCompare;
    const delayMs = Math.round(from + random() * (scenario.msSyncing * 1.1 - from));
    const dir = await copyVault(scenario.base, `run-${String(i)}-${scenario.name}`);
    const run = await runWorker(dir, scenario.catalogPath, delayMs);
    const problems = [...run.errors];
    if (!run.syncing) {
      problems.push('the worker never reached SYNCING');
    }
    if (run.torn !== '') {
      problems.push(`a torn protocol line: ${JSON.stringify(run.torn)}`);
    }
    if (run.signal !== 'SIGKILL' && run.code !== 0) {
      problems.push(`the worker exited by itself (code ${String(run.code)}, signal ${String(run.signal)})`);
    }
    const { state, syncEvents, problems: found } = await inspect(dir);
    problems.push(...found);
    if (state) {
      const isBefore = sameState(state, scenario.before);
      const isAfter = sameState(state, scenario.after);
      if (run.done && !isAfter) {
        problems.push(`the worker reached DONE, but the vault holds ${describeState(state)}, not the synced ${describeState(scenario.after)}`);
      } else if (!isBefore && !isAfter) {
        problems.push(
          `PARTIAL sync: the vault holds ${describeState(state)}; expected exactly ${describeState(scenario.before)} (before) or ${describeState(scenario.after)} (after)`,
        );
      }
      const logged = syncEvents - scenario.syncEventsBefore;
      if (logged > 1 || (isAfter && logged !== 1)) {
        problems.push(`${String(logged)} new catalog.synced audit events with the vault ${isAfter ? 'synced' : 'as before'}`);
      }
      outcomes[isAfter ? 'after' : logged === 1 ? 'loggedNotCommitted' : 'before'] += 1;
    }
    const where = run.done ? 'after DONE' : run.phase || 'before the first phase';
    phases.set(where, (phases.get(where) ?? 0) + 1);
    if (problems.length > 0) {
      expect.fail(
        [
          `Sync crash FAILED — seed ${String(SEED)} (replay: LIFEBOAT_SYNC_CRASH_SEED=${String(SEED)}), iteration ${String(i)}, scenario ${scenario.name},`,
          `kill ${String(delayMs)} ms after SYNCING (a full sync takes ~${String(Math.round(scenario.msSyncing))} ms); vault kept at ${dir}`,
          ...problems.map((p) => `  - ${p}`),
          'Worker output:',
          ...run.lines.slice(-12).map((l) => `  ${l}`),
          run.stderr ? `Worker stderr:\n${run.stderr}` : 'Worker stderr: (empty)',
        ].join('\n'),
      );
    }
    // Once: a sync killed before it landed can simply be run again, to completion.
    if (!retried && state && !sameState(state, scenario.after)) {
      retried = true;
      const again = await runWorker(dir, scenario.catalogPath);
      const { state: final, problems: after } = await inspect(dir);
      expect(again.done && again.code === 0, `re-running the killed sync (iteration ${String(i)}): ${again.errors.join('; ')}\n${again.stderr}`).toBe(true);
      expect(after).toEqual([]);
      expect(final && sameState(final, scenario.after), `after the re-run the vault holds ${final ? describeState(final) : 'nothing'}`).toBe(true);
    }
    await rm(dir, { recursive: true, force: true });
    await rm(stateFor(dir), { recursive: true, force: true });
  }
  process.stderr.write(
    `sync-crash: ${String(ITERATIONS)} kills (seed ${String(SEED)}), full syncs ~${scenarios.map((s) => `${s.name} ${String(Math.round(s.msSyncing))} ms`).join(', ')}; ` +
      `vault as before ${String(outcomes.before)} (+${String(outcomes.loggedNotCommitted)} with the sync's audit event logged, its snapshot never written), ` +
      `as after ${String(outcomes.after)}; re-run after a kill ${retried ? 'completed' : 'not tried'}; last phase at the kill: ${[...phases].map(([k, v]) => `${k} ${String(v)}`).join(', ')}\n`,
  );
}, 120_000);
