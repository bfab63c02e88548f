// The victim of the fault-injection campaign (scripts/proof.mjs, and
// proof-campaign.test.ts through it): a plain Node process that opens a vault
// with the built engine (dist/node) and repeats one kind of operation until it
// is killed with SIGKILL, at a random instant (by the campaign) or at an exact
// point of its file writes (by itself, see LIFEBOAT_PROOF_KILL_AT).
//
//   node test/integration/proof-worker.mjs <kind> <vault dir> <seed>
//
// Kinds (the operation repeated; the ops its TRY/ACK lines name):
//   save     record create / edit                       create, edit
//   append   record open / secret reveal (audit appends) open, reveal
//   rekey    add then remove a throwaway member          member-add, member-remove
//   sync     one signed catalog sync, then lock, exit 0  sync
//   rotate   createRecoveryShares over an existing set   rotate
//   tick     recovery session markStep / recordCheck     step, check
//
// Environment: LIFEBOAT_PROOF_OWNER, LIFEBOAT_PROOF_PASSPHRASE (the owner's),
// LIFEBOAT_PROOF_SECRET_VALUE (append: the secret's password, checked on each
// reveal), LIFEBOAT_PROOF_CATALOG (sync: the .lbcat to sync),
// LIFEBOAT_PROOF_KILL_AT (optional, below).
//
// Protocol, one line per write(2) on stdout (each well under PIPE_BUF, so the
// campaign never reads half a line; see test/support/worker-output.mjs):
//   START {pid}          the engine is loaded: the unlock starts now;
//   OPEN {pid}           the vault is open;
//   TRY <json>           an operation is about to start (it may or may not land);
//   SHARES <json>        rotate only: the new set, printed from createRecoveryShares'
//                        `deliver` callback, i.e. BEFORE its header write (the commit
//                        point) — {setId, threshold, shares: [text, …]};
//   ACK <json>           that operation's promise RESOLVED: it must now be durable;
//   STEP <json>          a point in the vault's file writes was reached (below);
//   LOCKED {}            sync only: the vault is locked; the worker exits 0;
//   ERR <json>           something unexpected failed: the worker exits with code 1.
//
// Points: from the first TRY of the kind's own operation on (for rekey, the first
// member-remove), every durable write is numbered as it happens: a rename
// (writeFileAtomic's commit) gives two points, `before-rename` and
// `after-rename`; an append (appendDurable) gives `mid-append` (just before its
// bytes are written) and `after-append` (once they are fsynced, before this
// laptop's local anchor follows it); a write of the local anchor (outside the
// vault folder, <state dir>/anchors/<vault id>.anchor) gives `mid-anchor` (half
// of its slot written: a torn slot) and `after-anchor` (once fdatasynced). Each is
// printed as STEP {n, point, file}. LIFEBOAT_PROOF_KILL_AT makes the worker
// SIGKILL itself at one of them:
//   "<n>"                     at the n-th point;
//   "<point>:<file>#<k>"      at the k-th point of that kind whose file name
//                             starts with <file>, e.g. "after-rename:header.json#1".
// A kill at `mid-append` first writes half of the line: the torn last line a
// crash mid-append leaves. The hooks wrap node:fs/promises (rename, and the
// handles appendDurable opens, told by O_APPEND in their flags) and node:fs's
// calls the anchor makes (openSync, writeSync, fdatasync), and
// are installed before the engine is loaded.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { basename, sep } from 'node:path';
import { emit, fail } from '../support/worker-output.mjs';
import { mulberry32 } from '../support/seeded-random.mjs';

const KINDS = ['save', 'append', 'rekey', 'sync', 'rotate', 'tick'];
/** The operations whose first TRY starts the point count, per kind. */
const ANCHORS = {
  save: ['create', 'edit'],
  append: ['open', 'reveal'],
  rekey: ['member-remove'],
  sync: ['sync'],
  rotate: ['rotate'],
  tick: ['step', 'check'],
};
/** Throwaway members are named with this prefix (the campaign relies on it). */
const THROWAWAY_PREFIX = 'tmp-';
const THROWAWAY_ROLES = ['commander', 'responder', 'auditor'];
/** A victim left running (its campaign gone) stops by itself. */
const MAX_RUN_MS = 60_000;

/** A throwaway member's passphrase; scripts/proof.mjs derives it the same way. */
function throwawayPassphrase(name) {
  return `throwaway passphrase of ${name}`;
}

function requireEnv(name) {
  const value = process.env[name];
  if (!value) {
    fail(`${name} is not set`);
  }
  return value;
}

// --- Points in the file writes, and the kill at one of them -------------------

function parseKillAt(text) {
  if (text === undefined || text === '') {
    return null;
  }
  if (/^\d+$/.test(text)) {
    return { n: Number(text) };
  }
  const match = /^(before-rename|after-rename|mid-append|after-append|mid-anchor|after-anchor):([^#]+)#(\d+)$/.exec(text);
  if (!match) {
    fail(`bad LIFEBOAT_PROOF_KILL_AT "${text}" (expected "<n>" or "<point>:<file>#<k>")`);
  }
  return { point: match[1], file: match[2], k: Number(match[3]) };
}

const points = {
  armed: false,
  count: 0,
  matching: 0,
  killAt: parseKillAt(process.env.LIFEBOAT_PROOF_KILL_AT),
};

/** Records one point; true if the worker must die here. */
function reach(point, path) {
  if (!points.armed) {
    return false;
  }
  points.count += 1;
  const file = basename(path);
  emit('STEP', { n: points.count, point, file });
  const target = points.killAt;
  if (!target) {
    return false;
  }
  if (target.n !== undefined) {
    return points.count === target.n;
  }
  if (point === target.point && file.startsWith(target.file)) {
    points.matching += 1;
    return points.matching === target.k;
  }
  return false;
}

function die() {
  process.kill(process.pid, 'SIGKILL');
}

function installHooks() {
  const require = createRequire(import.meta.url);
  const fsp = require('node:fs/promises');
  const rename = fsp.rename;
  fsp.rename = async (from, to) => {
    if (reach('before-rename', String(to))) {
      die();
    }
    await rename(from, to);
    if (reach('after-rename', String(to))) {
      die();
    }
  };
  const fs = require('node:fs');
  // appendDurable opens with numeric open(2) flags (storage/open-flags.ts): O_APPEND marks an append.
  const isAppend = (flags) => flags === 'a' || flags === 'ax' || (typeof flags === 'number' && (flags & fs.constants.O_APPEND) !== 0);
  const open = fsp.open;
  fsp.open = async (path, flags, mode) => {
    const handle = await open(path, flags, mode);
    if (isAppend(flags)) {
      // appendDurable: one write of the whole line (possibly continued), then sync.
      const write = handle.write.bind(handle);
      const sync = handle.sync.bind(handle);
      let started = false;
      handle.write = async (buffer, offset, length, position) => {
        if (!started) {
          started = true;
          if (reach('mid-append', String(path))) {
            const half = Math.max(1, Math.floor(length / 2));
            await write(buffer, offset, half, position);
            die();
          }
        }
        return write(buffer, offset, length, position);
      };
      handle.sync = async () => {
        await sync();
        if (reach('after-append', String(path))) {
          die();
        }
      };
    }
    return handle;
  };
  // The local anchor (vault/anchor/anchor-file.ts): one file kept open, a pwrite of a slot, then fdatasync.
  const anchorFds = new Map();
  const openSync = fs.openSync;
  fs.openSync = (path, flags, mode) => {
    const fd = openSync(path, flags, mode);
    if (String(path).includes(`${sep}anchors${sep}`)) {
      anchorFds.set(fd, String(path));
    }
    return fd;
  };
  const closeSync = fs.closeSync;
  fs.closeSync = (fd) => {
    anchorFds.delete(fd);
    closeSync(fd);
  };
  const writeSync = fs.writeSync;
  fs.writeSync = (fd, buffer, offset, length, position) => {
    const path = anchorFds.get(fd);
    if (path !== undefined && reach('mid-anchor', path)) {
      writeSync(fd, buffer, offset, Math.max(1, Math.floor(length / 2)), position);
      die();
    }
    return writeSync(fd, buffer, offset, length, position);
  };
  // The anchor's fdatasync finishes in the background; `after-anchor` is when it has.
  const fdatasync = fs.fdatasync;
  fs.fdatasync = (fd, callback) => {
    fdatasync(fd, (error) => {
      const path = anchorFds.get(fd);
      if (!error && path !== undefined && reach('after-anchor', path)) {
        die();
      }
      callback(error);
    });
  };
  // The engine imports node:fs and node:fs/promises as ES modules: update their bindings.
  syncBuiltinESMExports();
}

// --- The operations ------------------------------------------------------------

function tryOp(kind, payload) {
  emit('TRY', payload);
  if (ANCHORS[kind].includes(payload.op)) {
    points.armed = true;
  }
}

async function main() {
  const [kind, dir, seedText] = process.argv.slice(2);
  const seed = Number(seedText);
  if (!KINDS.includes(kind) || !dir || !Number.isSafeInteger(seed) || seed < 0) {
    fail(`usage: proof-worker.mjs <${KINDS.join('|')}> <vault dir> <seed (non-negative integer)>`);
  }
  const owner = requireEnv('LIFEBOAT_PROOF_OWNER');
  const passphrase = requireEnv('LIFEBOAT_PROOF_PASSPHRASE');
  installHooks();
  const engine = '../../dist/node/electron';
  const { openVault } = await import(`${engine}/vault/vault-open.js`);
  const records = await import(`${engine}/vault/records/vault-records.js`);
  const members = await import(`${engine}/vault/vault-members.js`);
  const quorum = await import(`${engine}/quorum/quorum-shares.js`);
  const sessions = await import(`${engine}/recovery/recovery-sessions.js`);
  const catalog = await import(`${engine}/catalog/catalog-sync.js`);

  const random = mulberry32(seed);
  const pickOne = (items) => items[Math.floor(random() * items.length)];
  const startedAt = Date.now();
  const parent = process.ppid;
  const keepGoing = () => Date.now() - startedAt < MAX_RUN_MS && process.ppid === parent;

  emit('START', { pid: process.pid });
  const session = await openVault(dir, { member: owner, passphrase });
  emit('OPEN', { pid: process.pid });

  if (kind === 'sync') {
    const { readFileSync } = await import('node:fs');
    const path = requireEnv('LIFEBOAT_PROOF_CATALOG');
    const bytes = new Uint8Array(readFileSync(path));
    tryOp(kind, { op: 'sync', catalog: basename(path) });
    const report = await catalog.syncCatalog(session, { kind: 'signed', bytes, label: basename(path) });
    emit('ACK', { op: 'sync', catalog: basename(path), version: report.catalogVersion, applied: report.applied !== null });
    await session.lock();
    emit('LOCKED', {});
    process.exit(0);
  }

  if (kind === 'rekey') {
    // A throwaway member left behind by an earlier victim is removed first.
    for (const member of session.members()) {
      if (member.name.startsWith(THROWAWAY_PREFIX)) {
        tryOp(kind, { op: 'member-remove', name: member.name });
        await members.removeMember(session, member.name);
        emit('ACK', { op: 'member-removed', name: member.name });
      }
    }
  }

  const secret = records.listRecords(session, 'secret')[0];
  let recoveryId = null;
  if (kind === 'tick') {
    const active = sessions.listSessions(session).find((s) => s.status === 'active');
    if (!active) {
      fail('the vault has no active recovery session to tick');
    }
    recoveryId = active.id;
  }

  for (let n = 1; keepGoing(); n += 1) {
    const tag = `${seed}-${n}`;
    switch (kind) {
      case 'save': {
        const runbooks = records.listRecords(session, 'runbook');
        if (runbooks.length === 0 || random() < 0.4) {
          const title = `w${tag}`;
          const body = `b${tag}`;
          tryOp(kind, { op: 'create', title, body });
          const created = await records.createRecord(session, { type: 'runbook', title, data: { body } });
          emit('ACK', { op: 'create', title, body, id: created.id });
        } else {
          const { id } = pickOne(runbooks);
          const field = pickOne(['body', 'service']);
          const value = `e${tag}`;
          tryOp(kind, { op: 'edit', id, field, value });
          await records.editRecord(session, id, { set: { [field]: value } });
          emit('ACK', { op: 'edit', id, field, value });
        }
        break;
      }
      case 'append': {
        if (!secret) {
          fail('the vault has no secret to reveal');
        }
        const runbooks = records.listRecords(session, 'runbook');
        if (random() < 0.5 && runbooks.length > 0) {
          const { id } = pickOne(runbooks);
          tryOp(kind, { op: 'open', id });
          await records.openRecord(session, id);
          emit('ACK', { op: 'open', id });
        } else {
          const reason = `r${tag}`;
          tryOp(kind, { op: 'reveal', id: secret.id, field: 'password', reason });
          const value = await records.revealField(session, secret.id, 'password', reason);
          if (value !== requireEnv('LIFEBOAT_PROOF_SECRET_VALUE')) {
            fail('the revealed secret is not the one stored', { id: secret.id });
          }
          emit('ACK', { op: 'reveal', id: secret.id, field: 'password', reason });
        }
        break;
      }
      case 'rekey': {
        const name = `${THROWAWAY_PREFIX}${tag}`;
        const role = pickOne(THROWAWAY_ROLES);
        tryOp(kind, { op: 'member-add', name, role });
        await members.addMember(session, { name, role, passphrase: throwawayPassphrase(name) });
        emit('ACK', { op: 'member-added', name, role });
        tryOp(kind, { op: 'member-remove', name });
        await members.removeMember(session, name);
        emit('ACK', { op: 'member-removed', name });
        break;
      }
      case 'rotate': {
        const count = 3 + Math.floor(random() * 3);
        const threshold = 2 + Math.floor(random() * (count - 1));
        const custodians = Array.from({ length: count }, (_, i) => `c${tag}-${i + 1}`);
        tryOp(kind, { op: 'rotate', threshold, custodians: count });
        const set = await quorum.createRecoveryShares(session, { threshold, custodians }, (created) => {
          emit('SHARES', { setId: created.setId, threshold: created.threshold, shares: created.shares.map((s) => s.text) });
          return Promise.resolve();
        });
        emit('ACK', { op: 'rotate', setId: set.setId });
        break;
      }
      case 'tick': {
        const recovery = sessions.getSession(session, recoveryId);
        const services = recovery.services.filter((s) => s.steps.length > 0 || s.checks.length > 0);
        const service = pickOne(services);
        if (service.checks.length === 0 || (service.steps.length > 0 && random() < 0.5)) {
          const index = Math.floor(random() * service.steps.length);
          const wasDone = service.steps[index].at !== undefined;
          const done = random() < 0.8 ? !wasDone : wasDone;
          tryOp(kind, { op: 'step', service: service.id, index, done });
          await sessions.markStep(session, recoveryId, service.id, index, done);
          emit('ACK', { op: 'step', service: service.id, index, done });
        } else {
          const index = Math.floor(random() * service.checks.length);
          const passed = random() < 0.6;
          const note = passed ? '' : `n${tag}`;
          tryOp(kind, { op: 'check', service: service.id, index, passed, note });
          await sessions.recordCheck(session, recoveryId, service.id, index, passed, note);
          emit('ACK', { op: 'check', service: service.id, index, passed, note });
        }
        break;
      }
      default:
        fail(`unknown kind ${kind}`);
    }
  }
  process.exit(0);
}

main().catch((error) => {
  fail(error instanceof Error ? error.message : String(error), { code: error?.code, stack: error?.stack });
});
