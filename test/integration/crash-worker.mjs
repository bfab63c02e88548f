// The victim of crash-durability.test.ts: a plain Node process that opens a
// vault (built engine, dist/node) and changes it in a loop until it is killed
// with SIGKILL at a random instant.
//
//   node test/integration/crash-worker.mjs <vault dir> <seed> <mix>
//
// <mix> weighs the operations, e.g. "create=3,edit=3,open=2,reveal=2,member=1".
// Environment: LIFEBOAT_CRASH_OWNER, LIFEBOAT_CRASH_PASSPHRASE (the owner's),
// LIFEBOAT_CRASH_SECRET_VALUE (the secret's password, checked on reveal).
//
// Protocol, one line per write on stdout (each line is one write(2) call of
// well under PIPE_BUF bytes, so the test never reads half a line):
//   START {pid}   the engine is loaded: the unlock starts now;
//   OPEN {pid}    the vault is open;
//   TRY <json>    an operation is about to start (it may or may not land);
//   ACK <json>    that operation's promise RESOLVED: it must now be durable;
//   ERR <json>    something unexpected failed: the worker exits with code 1.
// ACK is written synchronously, only after the await returned. Nothing here
// needs cleaning up when the process dies: killing it is the point.
import { emit, fail } from '../support/worker-output.mjs';
import { addMember, removeMember } from '../../dist/node/electron/vault/vault-members.js';
import { openVault } from '../../dist/node/electron/vault/vault-open.js';
import { createRecord, editRecord, listRecords, openRecord, revealField } from '../../dist/node/electron/vault/records/vault-records.js';
import { mulberry32 } from '../support/seeded-random.mjs';

/** Throwaway members are named with this prefix (the test relies on it). */
const THROWAWAY_PREFIX = 'tmp-';
const THROWAWAY_ROLES = ['commander', 'responder', 'auditor'];
const EDITABLE_FIELDS = ['body', 'service'];
const OPS = ['create', 'edit', 'open', 'reveal', 'member'];
/** A victim left running (its test gone) stops by itself. */
const MAX_RUN_MS = 60_000;

/** A throwaway member's passphrase; crash-durability.test.ts derives it the same way. */
function throwawayPassphrase(name) {
  return `throwaway passphrase of ${name}`;
}

/** One synchronous write per line: once it returns, the line is in the pipe. */

function parseMix(text) {
  const weights = new Map();
  for (const part of String(text ?? '').split(',')) {
    const [name, value] = part.split('=');
    const weight = Number(value);
    if (!OPS.includes(name) || !Number.isFinite(weight) || weight < 0) {
      fail(`bad operation mix "${text}" (expected e.g. create=3,edit=3,open=2,reveal=2,member=1)`);
    }
    weights.set(name, weight);
  }
  const total = [...weights.values()].reduce((sum, w) => sum + w, 0);
  if (total <= 0) {
    fail(`operation mix "${text}" has no weight`);
  }
  return { weights, total };
}

function requireEnv(name) {
  const value = process.env[name];
  if (!value) {
    fail(`${name} is not set`);
  }
  return value;
}

async function main() {
  const [dir, seedText, mixText] = process.argv.slice(2);
  const seed = Number(seedText);
  if (!dir || !Number.isSafeInteger(seed) || seed < 0) {
    fail('usage: crash-worker.mjs <vault dir> <seed (non-negative integer)> <mix>');
  }
  const mix = parseMix(mixText);
  const owner = requireEnv('LIFEBOAT_CRASH_OWNER');
  const passphrase = requireEnv('LIFEBOAT_CRASH_PASSPHRASE');
  const secretValue = requireEnv('LIFEBOAT_CRASH_SECRET_VALUE');
  const random = mulberry32(seed);
  const pickOne = (items) => items[Math.floor(random() * items.length)];
  const pickOp = () => {
    let r = random() * mix.total;
    for (const [name, weight] of mix.weights) {
      r -= weight;
      if (r < 0) {
        return name;
      }
    }
    return 'create';
  };
  const startedAt = Date.now();
  const parent = process.ppid;

  emit('START', { pid: process.pid });
  const session = await openVault(dir, { member: owner, passphrase });
  emit('OPEN', { pid: process.pid });

  // A throwaway member left behind by an earlier victim is removed first.
  for (const member of session.members()) {
    if (member.name.startsWith(THROWAWAY_PREFIX)) {
      emit('TRY', { op: 'member-remove', name: member.name });
      await removeMember(session, member.name);
      emit('ACK', { op: 'member-removed', name: member.name });
    }
  }

  const secret = listRecords(session, 'secret')[0];
  if (!secret) {
    fail('the vault has no secret to reveal');
  }

  for (let n = 1; ; n += 1) {
    if (Date.now() - startedAt > MAX_RUN_MS || process.ppid !== parent) {
      process.exit(0);
    }
    const runbooks = listRecords(session, 'runbook');
    let op = pickOp();
    if ((op === 'edit' || op === 'open') && runbooks.length === 0) {
      op = 'create';
    }
    const tag = `${seed}-${n}`;
    switch (op) {
      case 'create': {
        const title = `w${tag}`;
        const body = `b${tag}`;
        emit('TRY', { op: 'create', title, body });
        const created = await createRecord(session, { type: 'runbook', title, data: { body } });
        emit('ACK', { op: 'create', title, body, id: created.id });
        break;
      }
      case 'edit': {
        const { id } = pickOne(runbooks);
        const field = pickOne(EDITABLE_FIELDS);
        const value = `e${tag}`;
        emit('TRY', { op: 'edit', id, field, value });
        await editRecord(session, id, { set: { [field]: value } });
        emit('ACK', { op: 'edit', id, field, value });
        break;
      }
      case 'open': {
        const { id } = random() < 0.8 ? pickOne(runbooks) : secret;
        emit('TRY', { op: 'open', id });
        await openRecord(session, id);
        emit('ACK', { op: 'open', id });
        break;
      }
      case 'reveal': {
        const reason = `r${tag}`;
        emit('TRY', { op: 'reveal', id: secret.id, field: 'password', reason });
        const value = await revealField(session, secret.id, 'password', reason);
        if (value !== secretValue) {
          fail('the revealed secret is not the one stored', { id: secret.id });
        }
        emit('ACK', { op: 'reveal', id: secret.id, field: 'password', reason });
        break;
      }
      case 'member': {
        const name = `${THROWAWAY_PREFIX}${tag}`;
        const role = pickOne(THROWAWAY_ROLES);
        emit('TRY', { op: 'member-add', name, role });
        await addMember(session, { name, role, passphrase: throwawayPassphrase(name) });
        emit('ACK', { op: 'member-added', name, role });
        emit('TRY', { op: 'member-remove', name });
        await removeMember(session, name);
        emit('ACK', { op: 'member-removed', name });
        break;
      }
      default:
        fail(`unknown operation ${op}`);
    }
  }
}

main().catch((error) => {
  fail(error instanceof Error ? error.message : String(error), { code: error?.code, stack: error?.stack });
});
