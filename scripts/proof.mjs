#!/usr/bin/env node
// The fault-injection campaign (issue #8, docs/proof.md): a worker process
// (test/integration/proof-worker.mjs, running the built engine from dist/node)
// repeats one kind of write on a vault and is killed with SIGKILL, over and
// over; after every kill this process opens the vault and checks that nothing
// acknowledged was lost and nothing half-done shows.
//
//   npm run build:node && node scripts/proof.mjs [options]
//
//   --iterations N   kills to attempt, spread round-robin over the kinds
//                    (env LIFEBOAT_PROOF_ITERATIONS; default 300)
//   --budget T       stop starting iterations after T (e.g. 900, 900s, 15m;
//                    env LIFEBOAT_PROOF_BUDGET; default 15m)
//   --seed N         uint32; replays the same worker seeds and kill plans (kill
//                    instants are wall-clock, so where a random kill lands is only
//                    approximate; exact-point kills replay exactly)
//                    (env LIFEBOAT_PROOF_SEED; default random, printed)
//   --kinds LIST     save,append,sync,rekey,rotate,tick (env LIFEBOAT_PROOF_KINDS; default all)
//   --json FILE      also write the summary as JSON
//   --keep           keep the work folder (it is always kept after a failure)
//   --quiet          no progress lines
//
// Kinds, and what must hold after each kill (besides: the vault opens for its
// owner, recovering the dead worker's lock, verifyAudit passes, and the folder
// is left with no temp file and no lock):
//   save    record create/edit: records are exactly the last state plus the
//           ACKed changes (give or take the one in flight); each ACK has its event;
//   append  record opens / secret reveals: each ACKed one has its audit event;
//   rekey   member add + remove: as save, plus an ACKed removal holds (the member
//           is gone, the epoch moved on, their passphrase fails);
//   sync    one signed catalog sync on a fresh copy of a base vault: the catalog
//           is exactly as before or exactly as after (as measured by a full run),
//           never in between; an ACKed sync is there;
//   rotate  createRecoveryShares over an existing set: exactly one of the last
//           committed set and the set being created opens the vault by quorum,
//           the one header.json names (the header write is the commit point: the
//           new shares are printed before it, in `deliver`); the other is refused
//           as SHARE_REJECTED; an ACKed set is the one that opens; older sets never do;
//   tick    recovery session markStep/recordCheck: every step and check is
//           exactly the last state plus the ACKed ticks (give or take the one
//           in flight), "useful" agrees with the checks and with what it needs, each ACK has its event.
// Where a kill lands: at an exact point of the file writes (the worker kills
// itself before/after a rename, mid-append with half a line written, or after
// an append's fsync), at a random instant inside the kind's operation, during
// start-up and unlock, or at a random instant after the first ACK.
//
// Exit 0 when every check passed; 1 at the first failure (its report names the
// seed, the iteration and the kill, and the vault is kept); 2 on bad options.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';
import { parseArgs } from 'node:util';
import { mulberry32 } from '../test/support/seeded-random.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const WORKER = join(ROOT, 'test/integration/proof-worker.mjs');
const ALL_KINDS = ['save', 'append', 'sync', 'rekey', 'rotate', 'tick'];
/** Must match proof-worker.mjs: the operations that start a kind's point count. */
const ANCHORS = {
  save: ['create', 'edit'],
  append: ['open', 'reveal'],
  rekey: ['member-remove'],
  sync: ['sync'],
  rotate: ['rotate'],
  tick: ['step', 'check'],
};
const OWNER = 'owner';
const PASSPHRASE = 'owner passphrase for the proof campaign';
const SECRET_VALUE = 'hunter2-proof';
const CATALOG_ID = 'proof-catalog';
const EDIT_MARKER = 'Reviewed for catalog version 2.';
/** A worker that is still alive this long after its spawn is killed, and the iteration fails. */
const WORKER_TIMEOUT_MS = 20_000;

function throwawayPassphrase(name) {
  return `throwaway passphrase of ${name}`;
}

function out(text) {
  process.stdout.write(`${text}\n`);
}

function note(text) {
  process.stderr.write(`${text}\n`);
}

// --- Options -----------------------------------------------------------------------

function parseDuration(text) {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(String(text).trim());
  if (!match) {
    return NaN;
  }
  const value = Number(match[1]);
  return match[2] === 'ms' ? value : match[2] === 'm' ? value * 60_000 : value * 1000;
}

function readOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      iterations: { type: 'string' },
      budget: { type: 'string' },
      seed: { type: 'string' },
      kinds: { type: 'string' },
      json: { type: 'string' },
      keep: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const env = process.env;
  const iterations = Number(values.iterations ?? env.LIFEBOAT_PROOF_ITERATIONS ?? 300);
  const budgetMs = parseDuration(values.budget ?? env.LIFEBOAT_PROOF_BUDGET ?? '15m');
  const seedText = values.seed ?? env.LIFEBOAT_PROOF_SEED;
  const seed = seedText === undefined ? Math.floor(Math.random() * 2 ** 32) : Number(seedText);
  const kinds = String(values.kinds ?? env.LIFEBOAT_PROOF_KINDS ?? ALL_KINDS.join(','))
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
  const problems = [];
  if (!Number.isSafeInteger(iterations) || iterations <= 0) {
    problems.push('--iterations must be a positive integer');
  }
  if (!Number.isFinite(budgetMs) || budgetMs <= 0) {
    problems.push('--budget must be a duration such as 900, 900s or 15m');
  }
  if (!Number.isSafeInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    problems.push('--seed must be an integer from 0 to 4294967295');
  }
  const unknown = kinds.filter((k) => !ALL_KINDS.includes(k));
  if (kinds.length === 0 || unknown.length > 0) {
    problems.push(`--kinds takes some of ${ALL_KINDS.join(',')}${unknown.length > 0 ? ` (unknown: ${unknown.join(', ')})` : ''}`);
  }
  return { iterations, budgetMs, seed, kinds: [...new Set(kinds)], json: values.json, keep: values.keep, quiet: values.quiet, help: values.help, problems };
}

// --- The engine (built) --------------------------------------------------------------

async function loadEngine() {
  const built = join(ROOT, 'dist/node/electron/vault/vault-open.js');
  if (!existsSync(built)) {
    throw new Error('dist/node is missing: run `npm run build:node` first (the campaign and its worker run the built engine).');
  }
  const load = (path) => import(pathToFileURL(join(ROOT, 'dist/node', path)).href);
  const [errors, open, records, audit, members, quorum, header, sessions, manifest, publisher, trust, sync] = await Promise.all([
    load('shared/errors.js'),
    load('electron/vault/vault-open.js'),
    load('electron/vault/records/vault-records.js'),
    load('electron/vault/audit/vault-audit.js'),
    load('electron/vault/vault-members.js'),
    load('electron/quorum/quorum-shares.js'),
    load('electron/vault/keys/vault-header.js'),
    load('electron/recovery/recovery-sessions.js'),
    load('electron/catalog/catalog-manifest.js'),
    load('electron/catalog/publisher-key.js'),
    load('electron/catalog/catalog-trust.js'),
    load('electron/catalog/catalog-sync.js'),
  ]);
  return {
    LifeboatError: errors.LifeboatError,
    createVault: open.createVault,
    openVault: open.openVault,
    createRecord: records.createRecord,
    listRecords: records.listRecords,
    auditEntries: audit.auditEntries,
    verifyAudit: audit.verifyAudit,
    addMember: members.addMember,
    createRecoveryShares: quorum.createRecoveryShares,
    openVaultByQuorum: quorum.openVaultByQuorum,
    readHeader: header.readHeader,
    startSession: sessions.startSession,
    getSession: sessions.getSession,
    packCatalog: manifest.packCatalog,
    generatePublisherKey: publisher.generatePublisherKey,
    writePublisherKey: publisher.writePublisherKey,
    encodeBase64: publisher.encodeBase64,
    trustPublisher: trust.trustPublisher,
    appliedVersions: trust.appliedVersions,
    syncCatalog: sync.syncCatalog,
  };
}

/** "CODE: message" of an error, for reports. */
function describeError(engine, error) {
  return error instanceof engine.LifeboatError ? `${error.code}: ${error.message}` : String(error);
}

// --- The worker ----------------------------------------------------------------------

function parseLine(line) {
  const space = line.indexOf(' ');
  const kind = space < 0 ? line : line.slice(0, space);
  const json = space < 0 ? 'null' : line.slice(space + 1);
  try {
    return { kind, payload: JSON.parse(json) };
  } catch {
    return { kind: 'UNPARSEABLE', payload: line };
  }
}

/**
 * Runs the worker until it dies. `plan.anchor`: 'spawn' | 'try' (the kind's first
 * operation) | 'first-ack' with `delayMs`, or 'point' with `point` (the worker
 * kills itself there), or 'none' (a calibration run to completion).
 */
async function runWorker(kind, dir, seed, plan, extraEnv = {}) {
  const env = {
    ...process.env,
    LIFEBOAT_PROOF_OWNER: OWNER,
    LIFEBOAT_PROOF_PASSPHRASE: PASSPHRASE,
    LIFEBOAT_PROOF_SECRET_VALUE: SECRET_VALUE,
    ...extraEnv,
  };
  if (plan.anchor === 'point') {
    env.LIFEBOAT_PROOF_KILL_AT = String(plan.point);
  } else {
    delete env.LIFEBOAT_PROOF_KILL_AT;
  }
  const child = spawn(process.execPath, [WORKER, kind, dir, String(seed)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
  const spawnedAt = performance.now();
  const run = {
    lines: [],
    acks: [],
    inFlight: null,
    shares: [],
    steps: [],
    started: false,
    opened: false,
    locked: false,
    errors: [],
    stderr: '',
    code: null,
    signal: null,
    torn: '',
    timedOut: false,
    msToAnchor: null,
    msAnchorOp: null,
    pointsInAnchorOp: null,
    msToFirstAck: null,
    msAckToLocked: null,
  };
  const timers = [];
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
  };
  const later = (ms, fn) => timers.push(setTimeout(fn, Math.max(0, Math.round(ms))));
  if (plan.anchor === 'spawn') {
    later(plan.delayMs, kill);
  }
  later(WORKER_TIMEOUT_MS, () => {
    run.timedOut = true;
    kill();
  });
  let anchorAt = null;
  let anchorPointsFrom = null;
  let pending = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    pending += chunk;
    for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n')) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      run.lines.push(line);
      const { kind: type, payload } = parseLine(line);
      const now = performance.now();
      switch (type) {
        case 'START':
          run.started = true;
          break;
        case 'OPEN':
          run.opened = true;
          break;
        case 'TRY':
          run.inFlight = payload;
          if (anchorAt === null && ANCHORS[kind].includes(payload?.op)) {
            anchorAt = now;
            anchorPointsFrom = run.steps.length;
            run.msToAnchor = now - spawnedAt;
            if (plan.anchor === 'try') {
              later(plan.delayMs, kill);
            }
          }
          break;
        case 'SHARES':
          run.shares.push({ ...payload, acked: false });
          break;
        case 'ACK':
          run.acks.push(payload);
          if (run.inFlight && ANCHORS[kind].includes(run.inFlight.op) && anchorAt !== null && run.msAnchorOp === null) {
            run.msAnchorOp = now - anchorAt;
            run.pointsInAnchorOp = run.steps.length - anchorPointsFrom;
          }
          run.inFlight = null;
          if (payload?.op === 'rotate') {
            const printed = run.shares.at(-1);
            if (printed && printed.setId === payload.setId) {
              printed.acked = true;
            } else {
              run.errors.push(`ACK of rotation ${String(payload.setId)} without its SHARES line`);
            }
          }
          if (run.msToFirstAck === null) {
            run.msToFirstAck = now - spawnedAt;
            if (plan.anchor === 'first-ack') {
              later(plan.delayMs, kill);
            }
          }
          break;
        case 'STEP':
          run.steps.push(payload);
          break;
        case 'LOCKED':
          run.locked = true;
          if (run.msToFirstAck !== null) {
            run.msAckToLocked = now - spawnedAt - run.msToFirstAck;
          }
          break;
        case 'ERR':
          run.errors.push(`worker error: ${JSON.stringify(payload)}`);
          break;
        default:
          run.errors.push(`unexpected worker line: ${line}`);
      }
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    run.stderr += chunk;
  });
  const [code, signal] = await once(child, 'close');
  for (const timer of timers) {
    clearTimeout(timer);
  }
  run.code = code;
  run.signal = signal;
  run.torn = pending;
  return run;
}

/** What is wrong with the way the worker ended, whatever the kind. */
function protocolProblems(kind, plan, run) {
  const problems = [...run.errors];
  if (run.timedOut) {
    problems.push(`the worker was still running after ${WORKER_TIMEOUT_MS} ms (plan ${describePlan(plan)})`);
  } else if (run.signal !== 'SIGKILL') {
    const completedSync = kind === 'sync' && run.code === 0 && run.locked;
    if (!completedSync) {
      problems.push(`the worker was not killed but exited by itself (code ${String(run.code)}, signal ${String(run.signal)})`);
    }
  }
  if (run.torn !== '') {
    problems.push(`a torn protocol line: ${JSON.stringify(run.torn)}`);
  }
  return problems;
}

function describePlan(plan) {
  switch (plan.anchor) {
    case 'point':
      return `exact point ${String(plan.point)}`;
    case 'none':
      return 'no kill';
    default:
      return `${String(plan.delayMs)} ms after ${plan.anchor}`;
  }
}

// --- Kind: save / append / rekey (records, members, epoch, audit events) -----------------

function generalKind(engine, kind) {
  const readRunbooks = (session) => {
    const store = session.internals().store;
    const map = new Map();
    for (const summary of engine.listRecords(session, 'runbook')) {
      // A peek that logs nothing: openRecord would add audit events of our own.
      const stored = store.get(summary.id);
      map.set(summary.id, { title: summary.title, body: stored?.data.body, service: stored?.data.service });
    }
    return map;
  };
  const diff = (expected, actual, ackedCreates) => {
    const found = [];
    for (const [id, want] of expected) {
      const have = actual.get(id);
      if (!have) {
        found.push(`${ackedCreates.has(id) ? 'ACKed create' : 'record'} LOST: ${id} ${JSON.stringify(want)}`);
        continue;
      }
      for (const key of ['title', 'body', 'service']) {
        if (have[key] !== want[key]) {
          found.push(`${id}.${key}: expected ${JSON.stringify(want[key])}, found ${JSON.stringify(have[key])}`);
        }
      }
    }
    for (const [id, have] of actual) {
      if (!expected.has(id)) {
        found.push(`unexpected record ${id} ${JSON.stringify(have)}`);
      }
    }
    return found;
  };
  const sameSet = (a, b) => a.size === b.size && [...a].every((x) => b.has(x));

  return {
    async setup(work) {
      const dir = join(work, `${kind}.lifeboat`);
      const session = await engine.createVault(dir, { owner: OWNER, passphrase: PASSPHRASE, insecureFastKdf: true });
      await engine.createRecord(session, { type: 'secret', title: 'Proof secret', data: { username: 'root', password: SECRET_VALUE } });
      await engine.createRecord(session, { type: 'runbook', title: 'Proof runbook', data: { body: 'b0' } });
      const model = {
        records: readRunbooks(session),
        members: new Set(session.members().map((m) => m.name)),
        keyEpoch: session.header.keyEpoch,
        logSize: engine.auditEntries(session).length + 1,
        removedEver: new Set(),
      };
      await session.lock();
      return { dir, model };
    },
    dirFor(ctx) {
      return ctx.dir;
    },
    async check(ctx, run) {
      const { dir, model } = ctx;
      let session;
      try {
        session = await engine.openVault(dir, { member: OWNER, passphrase: PASSPHRASE });
      } catch (error) {
        return { problems: [`the vault does not OPEN after the kill: ${describeError(engine, error)}`] };
      }
      const problems = [];
      const expected = new Map([...model.records].map(([id, r]) => [id, { ...r }]));
      const ackedCreates = new Set();
      const expectedMembers = new Set(model.members);
      let ackedRemovals = 0;
      for (const ack of run.acks) {
        if (ack.op === 'create') {
          expected.set(ack.id, { title: ack.title, body: ack.body, service: undefined });
          ackedCreates.add(ack.id);
        } else if (ack.op === 'edit') {
          const record = expected.get(ack.id);
          if (record) {
            record[ack.field] = ack.value;
          } else {
            problems.push(`model: the worker edited ${ack.id}, which the campaign did not know`);
          }
        } else if (ack.op === 'member-added') {
          expectedMembers.add(ack.name);
        } else if (ack.op === 'member-removed') {
          expectedMembers.delete(ack.name);
          ackedRemovals += 1;
        }
      }
      const next = { ...model };
      try {
        const observed = readRunbooks(session);
        const strict = diff(expected, observed, ackedCreates);
        if (strict.length > 0) {
          // As expected plus the change in flight at the kill, which may have landed.
          const alternative = new Map([...expected].map(([id, r]) => [id, { ...r }]));
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
          if (diff(alternative, observed, ackedCreates).length > 0) {
            problems.push(...strict);
          }
        }
        next.records = observed;

        const members = new Set(session.members().map((m) => m.name));
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
        next.members = members;

        const keyEpoch = session.header.keyEpoch;
        const maxEpoch = model.keyEpoch + ackedRemovals + (run.inFlight?.op === 'member-remove' ? 1 : 0);
        if (keyEpoch < model.keyEpoch + ackedRemovals || keyEpoch > maxEpoch) {
          problems.push(`key epoch: was ${model.keyEpoch}, ${ackedRemovals} removal(s) ACKed, now ${keyEpoch}`);
        }
        next.keyEpoch = keyEpoch;

        try {
          engine.verifyAudit(session);
        } catch (error) {
          problems.push(`verifyAudit FAILED: ${describeError(engine, error)}`);
        }
        const entries = engine.auditEntries(session);
        problems.push(
          ...missingEvents(
            entries.slice(model.logSize).map((e) => e.event),
            run.acks,
          ),
        );
        // The lock below appends "vault.locked".
        next.logSize = entries.length + 1;
      } finally {
        await session.lock();
      }

      next.removedEver = new Set(model.removedEver);
      for (const ack of run.acks) {
        if (ack.op !== 'member-removed') {
          continue;
        }
        next.removedEver.add(ack.name);
        try {
          const stale = await engine.openVault(dir, { member: ack.name, passphrase: throwawayPassphrase(ack.name) });
          await stale.lock();
          problems.push(`removed member ${ack.name} can still OPEN the vault`);
        } catch (error) {
          if (!(error instanceof engine.LifeboatError) || error.code !== 'VAULT_AUTH_FAILED') {
            problems.push(`removed member ${ack.name}: expected VAULT_AUTH_FAILED, got ${describeError(engine, error)}`);
          }
        }
      }
      ctx.model = next;
      return { problems, outcome: run.acks.length > 0 ? 'acks checked' : 'no ACK yet' };
    },
  };
}

/** Every ACKed operation must have its audit event among those logged since the last check. */
function missingEvents(events, acks) {
  const found = [];
  const wanted = new Map();
  const count = (type, recordId) => events.filter((e) => e.type === type && e.recordId === recordId).length;
  for (const ack of acks) {
    if (ack.op === 'open' || ack.op === 'edit' || ack.op === 'create') {
      const type = { open: 'record.opened', edit: 'record.edited', create: 'record.created' }[ack.op];
      const key = `${type} ${ack.id}`;
      wanted.set(key, (wanted.get(key) ?? 0) + 1);
    } else if (ack.op === 'reveal') {
      if (!events.some((e) => e.type === 'secret.revealed' && e.recordId === ack.id && e.field === ack.field && e.reason === ack.reason)) {
        found.push(`ACKed reveal of ${ack.id} (reason ${ack.reason}) has no secret.revealed audit event`);
      }
    } else if (ack.op === 'member-added' || ack.op === 'member-removed') {
      const type = ack.op === 'member-added' ? 'member.added' : 'member.removed';
      if (!events.some((e) => e.type === type && e.details?.member === ack.name)) {
        found.push(`ACKed ${ack.op} ${ack.name} has no ${type} audit event`);
      }
    }
  }
  for (const [key, n] of wanted) {
    const [type, id] = key.split(' ');
    const have = count(type, id);
    if (have < n) {
      found.push(`${n} ACKed ${type} of ${id}, but only ${have} such audit event(s)`);
    }
  }
  const removals = acks.filter((a) => a.op === 'member-removed').length;
  const rekeys = events.filter((e) => e.type === 'vault.rekeyed').length;
  if (rekeys < removals) {
    found.push(`${removals} ACKed member removal(s), but only ${rekeys} vault.rekeyed audit event(s)`);
  }
  return found;
}

// --- Kind: sync (a fresh copy of a base vault per kill) -------------------------------

function syncKind(engine) {
  const catalogState = (session) => {
    const store = session.internals().store;
    const records = store
      .all()
      .filter((r) => r.data.catalogRef?.catalogId === CATALOG_ID)
      .map((r) =>
        JSON.stringify([
          r.data.catalogRef.key,
          r.type,
          r.title,
          r.revision,
          r.deleted,
          r.data,
          store.revisions(r.id).map((v) => [v.revision, v.action, v.changed]),
        ]),
      )
      .sort();
    return { records, applied: engine.appliedVersions(session)[CATALOG_ID] ?? null };
  };
  const describe = (state) => `${state.records.length} catalog records, applied version ${String(state.applied)}`;
  const same = (a, b) => a.applied === b.applied && a.records.length === b.records.length && a.records.every((r, i) => r === b.records[i]);
  const inspect = async (dir) => {
    let session;
    try {
      session = await engine.openVault(dir, { member: OWNER, passphrase: PASSPHRASE, stateDir: stateFor(dir) });
    } catch (error) {
      return { state: null, syncEvents: 0, problems: [`the vault does not OPEN after the kill: ${describeError(engine, error)}`] };
    }
    const problems = [];
    try {
      const state = catalogState(session);
      const syncEvents = engine.auditEntries(session).filter((e) => e.event.type === 'catalog.synced').length;
      try {
        engine.verifyAudit(session);
      } catch (error) {
        problems.push(`verifyAudit FAILED: ${describeError(engine, error)}`);
      }
      return { state, syncEvents, problems };
    } finally {
      await session.lock();
    }
  };
  /** A catalog folder of `pages` runbooks; version 2 edits all but 5, which it removes, and adds 5. */
  const writePages = async (dir, version) => {
    await mkdir(join(dir, 'runbooks'), { recursive: true });
    for (let i = 1; i <= 120; i += 1) {
      if (version === 2 && i <= 5) {
        continue;
      }
      const extra = version === 2 ? `\n${EDIT_MARKER}\n` : '';
      await writeFile(
        join(dir, 'runbooks', `page-${String(i).padStart(3, '0')}.md`),
        `---\ntitle: Restore system ${i}\nowner: team-${i % 7}\nlifeboat:\n  service: System ${i}\n  validation:\n    - Health check ${i} passes\n---\n\n# Restore system ${i}\n\n1. Stop writes to system ${i}.\n2. Restore the last good backup of system ${i}.\n3. Start writes again.\n${extra}`,
      );
    }
    if (version === 2) {
      for (let i = 1; i <= 5; i += 1) {
        await writeFile(
          join(dir, 'runbooks', `added-${i}.md`),
          `---\ntitle: New page ${i}\n---\n\n# New page ${i}\n\n1. Check the thing.\n2. Fix the thing.\n`,
        );
      }
    }
  };
  return {
    async setup(work) {
      const key = await engine.generatePublisherKey('Proof publisher');
      const keyPath = join(work, 'publisher.key');
      await engine.writePublisherKey(keyPath, key);
      const paths = [];
      for (const version of [1, 2]) {
        const src = join(work, `catalog-v${version}`);
        await writePages(src, version);
        const path = join(work, `proof-v${version}.lbcat`);
        await writeFile(path, (await engine.packCatalog({ srcDir: src, keyPath, catalogVersion: version, catalogId: CATALOG_ID })).bytes);
        paths.push(path);
      }
      const baseEmpty = join(work, 'sync-base-empty.lifeboat');
      const setup = await engine.createVault(baseEmpty, { owner: OWNER, passphrase: PASSPHRASE, insecureFastKdf: true });
      await engine.trustPublisher(setup, { name: 'Proof publisher', keyId: key.keyId, publicKey: engine.encodeBase64(key.publicKey) });
      await setup.lock();
      const baseV1 = join(work, 'sync-base-v1.lifeboat');
      await cp(baseEmpty, baseV1, { recursive: true });
      const withV1 = await engine.openVault(baseV1, { member: OWNER, passphrase: PASSPHRASE });
      await engine.syncCatalog(withV1, { kind: 'signed', bytes: new Uint8Array(await readFile(paths[0])), label: 'v1' });
      await withV1.lock();

      // "Before" and "after" are measured: each scenario is first run to completion on a copy.
      const scenarios = [];
      for (const [name, base, catalog] of [
        ['first sync', baseEmpty, paths[0]],
        ['update', baseV1, paths[1]],
      ]) {
        const before = await inspect(await copyTo(base, join(work, `sync-${scenarios.length}-before`)));
        const dir = await copyTo(base, join(work, `sync-${scenarios.length}-calibration`));
        const run = await runWorker('sync', dir, 1, { anchor: 'none' }, { LIFEBOAT_PROOF_CATALOG: catalog, LIFEBOAT_STATE_DIR: stateFor(dir) });
        const after = await inspect(dir);
        const problems = [...before.problems, ...after.problems, ...run.errors];
        if (!run.locked || run.code !== 0 || !before.state || !after.state || after.syncEvents !== before.syncEvents + 1 || same(before.state, after.state)) {
          problems.push(`calibration of the ${name} scenario failed: worker code ${String(run.code)}, ${run.stderr}`);
        }
        if (problems.length > 0) {
          throw new Error(problems.join('\n'));
        }
        scenarios.push({ name, base, catalog, before: before.state, after: after.state, syncEventsBefore: before.syncEvents, msSync: run.msAnchorOp ?? 800 });
      }
      return { work, scenarios, n: 0, dir: null, scenario: null, msOp: Math.max(...scenarios.map((s) => s.msSync)) };
    },
    dirFor(ctx) {
      ctx.scenario = ctx.scenarios[ctx.n % ctx.scenarios.length];
      ctx.n += 1;
      ctx.dir = join(ctx.work, `sync-run-${ctx.n}`);
      return ctx.dir;
    },
    async prepare(ctx) {
      await copyTo(ctx.scenario.base, ctx.dir);
      return { LIFEBOAT_PROOF_CATALOG: ctx.scenario.catalog, LIFEBOAT_STATE_DIR: stateFor(ctx.dir) };
    },
    async check(ctx, run) {
      const { scenario, dir } = ctx;
      const { state, syncEvents, problems } = await inspect(dir);
      let outcome = 'unknown';
      if (state) {
        const isBefore = same(state, scenario.before);
        const isAfter = same(state, scenario.after);
        const acked = run.acks.some((a) => a.op === 'sync');
        if (acked && !isAfter) {
          problems.push(`the sync was ACKed, but the vault holds ${describe(state)}, not the synced ${describe(scenario.after)}`);
        } else if (!isBefore && !isAfter) {
          problems.push(
            `PARTIAL sync (${scenario.name}): the vault holds ${describe(state)}; expected exactly ${describe(scenario.before)} or ${describe(scenario.after)}`,
          );
        }
        const logged = syncEvents - scenario.syncEventsBefore;
        if (logged > 1 || (isAfter && logged !== 1)) {
          problems.push(`${logged} new catalog.synced audit events with the catalog ${isAfter ? 'applied' : 'as before'}`);
        }
        outcome = isAfter ? 'after' : logged === 1 ? 'before (event logged)' : 'before';
      }
      if (problems.length === 0) {
        await rm(dir, { recursive: true, force: true });
        await rm(stateFor(dir), { recursive: true, force: true });
      }
      return { problems, outcome: `${scenario.name}: ${outcome}` };
    },
  };
}

/**
 * The state folder (local anchors) of the laptop a sync copy is opened on: one
 * per copy, since every copy of a base vault has the base's vault id, and a
 * second copy on the laptop that saw the first one sync is, rightly, a rollback.
 */
function stateFor(dir) {
  return `${dir}.state`;
}

async function copyTo(from, to) {
  await cp(from, to, { recursive: true });
  return to;
}

// --- Kind: rotate (recovery share sets) ------------------------------------------------

function rotateKind(engine, random) {
  const CUSTODIANS = ['Ana', 'Bea', 'Cy', 'Dev'];
  /** `threshold` shares of the set, chosen at random (any quorum must work). */
  const quorumOf = (set) => {
    const shares = [...set.shares];
    for (let i = shares.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [shares[i], shares[j]] = [shares[j], shares[i]];
    }
    return shares.slice(0, set.threshold);
  };
  /** 'opened' | 'refused: <message>' (SHARE_REJECTED) | 'error: <code: message>' (anything else). */
  const tryQuorum = async (dir, set, stateDir = undefined) => {
    let session;
    try {
      session = await engine.openVaultByQuorum(dir, {
        shares: quorumOf(set),
        reason: 'proof campaign: which set opens after the kill',
        ...(stateDir === undefined ? {} : { stateDir }),
      });
    } catch (error) {
      if (error instanceof engine.LifeboatError && error.code === 'SHARE_REJECTED') {
        return { result: 'refused', message: error.message };
      }
      return { result: 'error', message: describeError(engine, error) };
    }
    try {
      const titles = engine.listRecords(session, 'secret').map((r) => r.title);
      return { result: 'opened', message: `as ${session.member.name}, secrets ${titles.join(', ')}` };
    } finally {
      await session.lock();
    }
  };
  return {
    async setup(work) {
      const dir = join(work, 'rotate.lifeboat');
      const session = await engine.createVault(dir, { owner: OWNER, passphrase: PASSPHRASE, insecureFastKdf: true });
      await engine.createRecord(session, { type: 'secret', title: 'Proof secret', data: { username: 'root', password: SECRET_VALUE } });
      const first = await engine.createRecoveryShares(session, { threshold: 2, custodians: CUSTODIANS });
      const keyEpoch = session.header.keyEpoch;
      await session.lock();
      const current = { setId: first.setId, threshold: first.threshold, shares: first.shares.map((s) => s.text) };
      return { work, dir, current, retired: [], keyEpoch, staleHeader: await readFile(join(dir, 'header.json')), scratch: 0 };
    },
    dirFor(ctx) {
      return ctx.dir;
    },
    async check(ctx, run) {
      const { dir } = ctx;
      const problems = [];
      // The sets this worker printed, in order; all but possibly the last were ACKed.
      const printed = run.shares;
      const acked = printed.filter((s) => s.acked);
      const pending = printed.length > 0 && !printed.at(-1).acked ? printed.at(-1) : null;
      const prior = acked.at(-1) ?? ctx.current;
      const ackedRotations = run.acks.filter((a) => a.op === 'rotate').length;
      const inFlightRotation = run.inFlight?.op === 'rotate';

      // The owner first: the unlock recovers the dead worker's lock and temp files.
      let header;
      try {
        const session = await engine.openVault(dir, { member: OWNER, passphrase: PASSPHRASE });
        try {
          header = session.header;
          try {
            engine.verifyAudit(session);
          } catch (error) {
            problems.push(`verifyAudit FAILED: ${describeError(engine, error)}`);
          }
          const events = engine.auditEntries(session).map((e) => e.event);
          for (const set of acked) {
            if (!events.some((e) => e.type === 'recovery.shares-created' && e.details?.setId === set.setId)) {
              problems.push(`ACKed rotation to set ${set.setId} has no recovery.shares-created audit event`);
            }
          }
          if (!engine.listRecords(session, 'secret').some((r) => r.title === 'Proof secret')) {
            problems.push('the secret record is gone');
          }
        } finally {
          await session.lock();
        }
      } catch (error) {
        problems.push(`the vault does not OPEN for its owner after the kill: ${describeError(engine, error)}`);
        return { problems, outcome: 'unopenable' };
      }

      // Which set the header names: the last committed one, or the one in flight.
      const named = header.recovery?.setId;
      let committed = null;
      if (named === prior.setId) {
        committed = prior;
      } else if (pending && named === pending.setId) {
        committed = pending;
      } else {
        problems.push(
          `header.json names set ${String(named)}: neither the last committed set ${prior.setId}` +
            `${pending ? ` nor the set in flight ${pending.setId}` : ' (no set was in flight)'}`,
        );
        return { problems, outcome: 'wrong set' };
      }
      const other = committed === pending ? prior : pending;

      // Exactly one of the two opens the vault by quorum: the committed one.
      const opens = await tryQuorum(dir, committed);
      if (opens.result !== 'opened') {
        problems.push(`the committed set ${committed.setId} (the one header.json names) does NOT open the vault: ${opens.result}: ${opens.message}`);
      }
      if (other) {
        const refused = await tryQuorum(dir, other);
        if (refused.result === 'opened') {
          problems.push(`BOTH sets open the vault: ${other.setId} too, while header.json names ${committed.setId}`);
        } else if (refused.result !== 'refused') {
          problems.push(`set ${other.setId} (not committed) fails with an unexpected error: ${refused.message}`);
        } else if (other === prior && !refused.message.includes('rotated or revoked')) {
          problems.push(`the replaced set ${other.setId} is refused, but not as retired: ${refused.message}`);
        }
      }
      // Every set replaced so far is retired by name, and an older one never opens.
      const replaced = [ctx.current, ...acked].filter((s) => s.setId !== committed.setId);
      for (const set of replaced) {
        if (!(header.retiredRecoverySets ?? []).includes(set.setId)) {
          problems.push(`set ${set.setId} was replaced but is not in retiredRecoverySets`);
        }
      }
      const retiredBefore = [...ctx.retired, ...replaced];
      if (retiredBefore.length > 0) {
        const oldest = retiredBefore[Math.floor(random() * retiredBefore.length)];
        if (oldest !== other) {
          const old = await tryQuorum(dir, oldest);
          if (old.result !== 'refused') {
            problems.push(`the retired set ${oldest.setId} ${old.result === 'opened' ? 'OPENS the vault' : `fails unexpectedly: ${old.message}`}`);
          }
        }
      }

      // The deeper promise (docs/vault-format.md, "Recovery shares"): an old copy of the
      // quorum slot opens nothing written after a rotation. Try the header.json kept at
      // the last check (a backup of the folder) with the set it names, on a copy.
      let staleOpened = false;
      const rotatedSinceStale = committed.setId !== ctx.current.setId;
      if (rotatedSinceStale) {
        ctx.scratch += 1;
        const scratch = await copyTo(dir, join(ctx.work, `rotate-stale-${ctx.scratch}`));
        await writeFile(join(scratch, 'header.json'), ctx.staleHeader);
        // On a laptop that never saw the vault: this laptop's anchor would refuse the old header
        // anyway, and what is checked here is that the old slot's keys open nothing newer.
        const stale = await tryQuorum(scratch, ctx.current, stateFor(scratch));
        staleOpened = stale.result === 'opened';
        await rm(scratch, { recursive: true, force: true });
        await rm(stateFor(scratch), { recursive: true, force: true });
      }

      const epochMoved = header.keyEpoch - ctx.keyEpoch;
      let outcome;
      if (pending) {
        outcome =
          committed === pending
            ? epochMoved === ackedRotations + 1
              ? 'in flight: new set, rekeyed'
              : 'in flight: new set, before its rekey'
            : 'in flight: old set';
      } else {
        outcome = inFlightRotation ? 'in flight before deliver: old set' : 'none in flight';
      }
      ctx.retired = retiredBefore;
      ctx.current = committed;
      ctx.keyEpoch = header.keyEpoch;
      ctx.staleHeader = await readFile(join(dir, 'header.json'));
      return { problems, outcome, finding: staleOpened ? 'stale quorum slot opened the vault after a committed rotation' : null };
    },
  };
}

// --- Kind: tick (recovery session steps and checks) --------------------------------------

function tickKind(engine) {
  const snapshotOf = (recovery) => {
    const state = new Map();
    for (const service of recovery.services) {
      service.steps.forEach((step, i) => state.set(`${service.id}#step${i}`, { done: step.at !== undefined }));
      service.checks.forEach((check, i) =>
        state.set(`${service.id}#check${i}`, { passed: check.passedAt !== undefined, failures: check.failures.map((f) => f.note) }),
      );
    }
    return state;
  };
  const apply = (state, tick) => {
    if (tick.op === 'step') {
      state.set(`${tick.service}#step${tick.index}`, { done: tick.done });
    } else if (tick.op === 'check') {
      const key = `${tick.service}#check${tick.index}`;
      const previous = state.get(key) ?? { passed: false, failures: [] };
      state.set(key, { passed: tick.passed, failures: tick.passed ? previous.failures : [...previous.failures, tick.note] });
    }
  };
  const clone = (state) => new Map([...state].map(([k, v]) => [k, { ...v, ...(v.failures ? { failures: [...v.failures] } : {}) }]));
  const differences = (expected, observed) => {
    const found = [];
    for (const [key, want] of expected) {
      const have = observed.get(key);
      if (JSON.stringify(have) !== JSON.stringify(want)) {
        found.push(`${key}: expected ${JSON.stringify(want)}, found ${JSON.stringify(have)}`);
      }
    }
    for (const key of observed.keys()) {
      if (!expected.has(key)) {
        found.push(`unexpected item ${key}`);
      }
    }
    return found;
  };
  return {
    async setup(work) {
      const dir = join(work, 'tick.lifeboat');
      const session = await engine.createVault(dir, { owner: OWNER, passphrase: PASSPHRASE, insecureFastKdf: true });
      const service = (title, data) => engine.createRecord(session, { type: 'service', title, data });
      const runbook = (title, data) => engine.createRecord(session, { type: 'runbook', title, data: { lastReviewed: '2026-02-01', ...data } });
      await service('Identity', { tier: 0, rtoMinutes: 30, recoveryMethod: 'failover' });
      await service('Postgres', { tier: 1, rtoMinutes: 60, recoveryMethod: 'restore', dependsOn: ['Identity'] });
      await service('Billing API', { tier: 1, rtoMinutes: 90, recoveryMethod: 'redeploy', dependsOn: ['Postgres'] });
      await runbook('Restore Identity', { service: 'Identity', steps: ['Fail over the IdP', 'Rotate signing keys'], validation: ['Login works'] });
      await runbook('Restore Postgres', {
        service: 'Postgres',
        steps: ['Stop writes', 'Restore base backup', 'Replay WAL'],
        validation: ['SELECT 1 works', 'Replica lag under 1 min'],
      });
      await runbook('Redeploy Billing', {
        service: 'Billing API',
        steps: ['Deploy last good build'],
        validation: ['Invoice page loads', 'Test payment passes'],
      });
      const recovery = await engine.startSession(session, { kind: 'exercise', scenario: 'Proof campaign drill', services: ['Billing API'] });
      const ctx = { dir, id: recovery.id, state: snapshotOf(recovery), logSize: engine.auditEntries(session).length + 1 };
      await session.lock();
      return ctx;
    },
    dirFor(ctx) {
      return ctx.dir;
    },
    async check(ctx, run) {
      let session;
      try {
        session = await engine.openVault(ctx.dir, { member: OWNER, passphrase: PASSPHRASE });
      } catch (error) {
        return { problems: [`the vault does not OPEN after the kill: ${describeError(engine, error)}`] };
      }
      const problems = [];
      let outcome = 'none in flight';
      try {
        const recovery = engine.getSession(session, ctx.id);
        if (recovery.status !== 'active') {
          problems.push(`the recovery session is ${recovery.status}, not active`);
        }
        const observed = snapshotOf(recovery);
        const expected = clone(ctx.state);
        for (const ack of run.acks) {
          apply(expected, ack);
        }
        const strict = differences(expected, observed);
        if (strict.length > 0) {
          const alternative = clone(expected);
          if (run.inFlight) {
            apply(alternative, run.inFlight);
          }
          if (differences(alternative, observed).length > 0) {
            problems.push(...strict);
          } else {
            outcome = 'in flight: landed';
          }
        } else if (run.inFlight) {
          outcome = 'in flight: not landed';
        }
        const byId = new Map(recovery.services.map((s) => [s.id, s]));
        for (const service of recovery.services) {
          const allPassed = service.checks.length > 0 && service.checks.every((c) => c.passedAt !== undefined);
          // Useful: its checks pass and what it needs from outside its group is useful, or the wait was overridden (docs/recovery.md).
          const needsBack = (service.needs ?? []).every((id) => byId.get(id)?.usefulAt !== undefined);
          const expected = allPassed && (needsBack || service.override !== undefined);
          if (expected !== (service.usefulAt !== undefined)) {
            problems.push(
              `${service.title}: useful ${service.usefulAt === undefined ? 'unset' : 'set'} while its checks ${allPassed ? 'all' : 'do not all'} pass and what it needs is ${needsBack ? '' : 'not '}back`,
            );
          }
          for (const step of service.steps) {
            if (step.at !== undefined && step.by !== OWNER) {
              problems.push(`${service.title}: a step ticked by ${String(step.by)}`);
            }
          }
        }
        try {
          engine.verifyAudit(session);
        } catch (error) {
          problems.push(`verifyAudit FAILED: ${describeError(engine, error)}`);
        }
        const entries = engine.auditEntries(session);
        const events = entries.slice(ctx.logSize).map((e) => e.event);
        const wanted = new Map();
        for (const ack of run.acks) {
          const key =
            ack.op === 'step'
              ? `session.step ${ack.service} ${ack.index + 1} ${String(ack.done)}`
              : `session.check ${ack.service} ${ack.index + 1} ${String(ack.passed)}`;
          wanted.set(key, (wanted.get(key) ?? 0) + 1);
        }
        for (const [key, n] of wanted) {
          const [type, service, index, value] = key.split(' ');
          const have = events.filter(
            (e) =>
              e.type === type &&
              e.recordId === service &&
              e.details?.sessionId === ctx.id &&
              String(type === 'session.step' ? e.details?.step : e.details?.check) === index &&
              String(type === 'session.step' ? e.details?.done : e.details?.passed) === value,
          ).length;
          if (have < n) {
            problems.push(`${n} ACKed ${key}, but only ${have} such audit event(s)`);
          }
        }
        ctx.state = observed;
        ctx.logSize = entries.length + 1;
      } finally {
        await session.lock();
      }
      return { problems, outcome };
    },
  };
}

// --- The campaign ----------------------------------------------------------------------

function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join('  ')).join('\n');
}

function tail(lines, n) {
  const last = lines.slice(-n);
  return `${lines.length > n ? `  … ${lines.length - n} earlier lines\n` : ''}${last.map((l) => `  ${l.length > 300 ? `${l.slice(0, 300)}…` : l}`).join('\n')}`;
}

async function campaign(options) {
  const engine = await loadEngine();
  const random = mulberry32(options.seed);
  const started = performance.now();
  const work = await mkdtemp(join(tmpdir(), 'lifeboat-proof-'));
  // This process and every worker keep their local anchors here, not in the user's own state
  // folder; so the checks after each kill are made on the same laptop that saw every write.
  process.env.LIFEBOAT_STATE_DIR = join(work, 'state');
  const builders = {
    save: () => generalKind(engine, 'save'),
    append: () => generalKind(engine, 'append'),
    rekey: () => generalKind(engine, 'rekey'),
    sync: () => syncKind(engine),
    rotate: () => rotateKind(engine, random),
    tick: () => tickKind(engine),
  };
  const kinds = {};
  for (const name of options.kinds) {
    const kind = builders[name]();
    const ctx = await kind.setup(work);
    kinds[name] = {
      kind,
      ctx,
      // Adapted to this machine as the campaign runs (moving averages, maxima).
      msToAnchor: 500,
      msOp: 60,
      msLock: 60,
      // Each append is 4 points (its two and the local anchor's two), each atomic write 2 more and the anchor's 2.
      maxPoints: { save: 8, append: 4, rekey: 24, sync: 16, rotate: 24, tick: 8 }[name],
      stats: { iterations: 0, kills: 0, completed: 0, plans: {}, inFlight: {}, outcomes: {}, findings: 0, acks: 0, ms: 0 },
    };
    if (ctx.msOp !== undefined) {
      // Measured by a calibration run (sync): the kills inside the operation aim at it from the start.
      kinds[name].msOp = ctx.msOp;
    }
  }
  const setupMs = performance.now() - started;
  if (!options.quiet) {
    note(
      `proof: seed ${options.seed} (replay: --seed ${options.seed}), ${options.iterations} iterations over ${options.kinds.join(', ')}, budget ${Math.round(options.budgetMs / 1000)} s; setup ${Math.round(setupMs)} ms; work folder ${work}`,
    );
  }

  let failure = null;
  let failedKind = null;
  let stoppedAtBudget = false;
  const findings = [];
  let done = 0;
  for (let i = 0; i < options.iterations; i += 1) {
    if (performance.now() - started > options.budgetMs) {
      stoppedAtBudget = true;
      break;
    }
    const name = options.kinds[i % options.kinds.length];
    const entry = kinds[name];
    const workerSeed = (options.seed + Math.imul(i + 1, 0x9e3779b9)) >>> 0;
    const dice = random();
    const plan =
      dice < 0.3
        ? { anchor: 'point', point: 1 + Math.floor(random() * entry.maxPoints) }
        : dice < 0.7
          ? { anchor: 'try', delayMs: Math.round(random() * entry.msOp * (name === 'sync' ? 1 : 1.2)) }
          : dice < 0.8
            ? { anchor: 'spawn', delayMs: Math.round(random() * entry.msToAnchor * 1.1) }
            : // A sync worker locks and exits soon after its only ACK: aim inside the lock.
              { anchor: 'first-ack', delayMs: Math.round(random() * (name === 'sync' ? entry.msLock : 2 + entry.msOp * 3)) };
    const iterationStarted = performance.now();
    const dir = entry.kind.dirFor(entry.ctx);
    const extraEnv = entry.kind.prepare ? await entry.kind.prepare(entry.ctx) : {};
    const run = await runWorker(name, dir, workerSeed, plan, extraEnv);
    if (run.msToAnchor !== null) {
      entry.msToAnchor = 0.7 * entry.msToAnchor + 0.3 * run.msToAnchor;
    }
    if (run.msAnchorOp !== null) {
      entry.msOp = 0.7 * entry.msOp + 0.3 * run.msAnchorOp;
    }
    if (run.msAckToLocked !== null) {
      entry.msLock = 0.7 * entry.msLock + 0.3 * run.msAckToLocked;
    }
    if (run.pointsInAnchorOp !== null) {
      entry.maxPoints = Math.max(entry.maxPoints, run.pointsInAnchorOp);
    }
    const problems = protocolProblems(name, plan, run);
    const result = await entry.kind.check(entry.ctx, run);
    problems.push(...result.problems);
    if (existsSync(dir)) {
      // The check's unlock removed the dead worker's temp files and its lock; its own lock released them.
      const left = (await readdir(dir)).filter((name) => name.includes('.tmp-') || name === 'lock');
      if (left.length > 0) {
        problems.push(`left in the vault folder after the check: ${left.join(', ')}`);
      }
    }
    const { stats } = entry;
    stats.iterations += 1;
    stats.ms += performance.now() - iterationStarted;
    stats.acks += run.acks.length;
    const killed = run.signal === 'SIGKILL' && !run.timedOut;
    if (killed) {
      stats.kills += 1;
      stats.plans[plan.anchor] = (stats.plans[plan.anchor] ?? 0) + 1;
      const flight = run.inFlight?.op ?? (run.opened ? 'between operations' : run.started ? 'unlock' : 'start-up');
      stats.inFlight[flight] = (stats.inFlight[flight] ?? 0) + 1;
    } else {
      stats.completed += 1;
    }
    if (result.outcome) {
      stats.outcomes[result.outcome] = (stats.outcomes[result.outcome] ?? 0) + 1;
    }
    if (result.finding) {
      stats.findings += 1;
      findings.push(`${name}, iteration ${i}, ${describePlan(plan)}: ${result.finding} (last point ${JSON.stringify(run.steps.at(-1) ?? null)})`);
    }
    done += 1;
    if (problems.length > 0) {
      failedKind = name;
      failure = [
        `proof FAILED — seed ${options.seed} (replay: --seed ${options.seed} --kinds ${options.kinds.join(',')}), iteration ${i}, kind ${name},`,
        `worker seed ${workerSeed}, kill: ${describePlan(plan)}; in flight: ${run.inFlight ? JSON.stringify(run.inFlight) : 'nothing'};`,
        `last point reached: ${JSON.stringify(run.steps.at(-1) ?? null)}; vault kept at ${dir}`,
        'Problems:',
        ...problems.map((p) => `  - ${p}`),
        'Worker output (last lines):',
        tail(run.lines, 30),
        run.stderr ? `Worker stderr:\n${run.stderr}` : 'Worker stderr: (empty)',
      ].join('\n');
      break;
    }
    if (!options.quiet && (i + 1) % 25 === 0) {
      note(`proof: ${i + 1}/${options.iterations} in ${((performance.now() - started) / 1000).toFixed(1)} s, 0 failures`);
    }
  }

  const seconds = (performance.now() - started) / 1000;
  const summary = {
    seed: options.seed,
    iterations: options.iterations,
    done,
    seconds: Math.round(seconds * 10) / 10,
    stoppedAtBudget,
    failures: failure ? 1 : 0,
    findings,
    kinds: Object.fromEntries(
      options.kinds.map((name) => {
        const { stats } = kinds[name];
        return [name, { ...stats, ms: Math.round(stats.ms) }];
      }),
    ),
  };
  const rows = [['kind', 'iterations', 'kills', 'exact point', 'in op', 'start-up', 'after ACK', 'ACKs checked', 'findings', 'failures', 'ms/iteration']];
  for (const name of options.kinds) {
    const { stats } = kinds[name];
    const failed = failedKind === name ? 1 : 0;
    rows.push([
      name,
      stats.iterations,
      stats.kills,
      stats.plans.point ?? 0,
      stats.plans.try ?? 0,
      stats.plans.spawn ?? 0,
      stats.plans['first-ack'] ?? 0,
      stats.acks,
      stats.findings,
      failed,
      stats.iterations > 0 ? Math.round(stats.ms / stats.iterations) : 0,
    ]);
  }
  const total = (c) => rows.slice(1).reduce((sum, r) => sum + Number(r[c]), 0);
  rows.push([
    'total',
    total(1),
    total(2),
    total(3),
    total(4),
    total(5),
    total(6),
    total(7),
    total(8),
    total(9),
    done > 0 ? Math.round((seconds * 1000 - setupMs) / done) : 0,
  ]);
  out('');
  out(
    `Fault-injection campaign: ${done} of ${options.iterations} iterations in ${seconds.toFixed(1)} s (setup ${(setupMs / 1000).toFixed(1)} s), seed ${options.seed}${stoppedAtBudget ? `, STOPPED at the ${Math.round(options.budgetMs / 1000)} s budget` : ''}`,
  );
  out('');
  out(table(rows));
  out('');
  out('Where the kills landed (operation in flight) and what the vault held after:');
  for (const name of options.kinds) {
    const { stats } = kinds[name];
    const flights =
      Object.entries(stats.inFlight)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || '-';
    const outcomes =
      Object.entries(stats.outcomes)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || '-';
    out(`  ${name.padEnd(6)} in flight: ${flights}; after: ${outcomes}${stats.completed > 0 ? `; ran to completion (no kill) ${stats.completed}` : ''}`);
  }
  if (findings.length > 0) {
    out('');
    out(`Findings (known engine bugs, not counted as failures; see docs/proof.md): ${findings.length}`);
    for (const f of findings.slice(0, 10)) {
      out(`  - ${f}`);
    }
  }
  out('');
  out(failure ? 'FAILURES: 1 (the campaign stops at the first one)' : 'Failures: 0');
  if (failure) {
    note('');
    note(failure);
  }
  if (options.json) {
    await writeFile(options.json, `${JSON.stringify({ ...summary, failure }, null, 1)}\n`);
  }
  if (!failure && !options.keep) {
    await rm(work, { recursive: true, force: true });
  } else if (!options.quiet || failure) {
    note(`proof: work folder kept at ${work}`);
  }
  return failure ? 1 : 0;
}

const options = readOptions(process.argv.slice(2));
if (options.help) {
  out('usage: node scripts/proof.mjs [--iterations N] [--budget 15m] [--seed N] [--kinds save,append,sync,rekey,rotate,tick] [--json FILE] [--keep] [--quiet]');
  process.exit(0);
}
if (options.problems.length > 0) {
  for (const problem of options.problems) {
    note(`proof: ${problem}`);
  }
  process.exit(2);
}
campaign(options).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    note(`proof: the campaign itself failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
