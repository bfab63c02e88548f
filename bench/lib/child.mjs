// Measurements that need a fresh process: a cold Argon2id, an unlock, peak
// memory. Run by bench/lib/measure.mjs as
//   node bench/lib/child.mjs kdf|unlock|phases DIR [queries.json]
// and prints one line of JSON. libsodium and sql.js are loaded before any
// clock starts, as they are in the app before anyone types a passphrase.
//
// - kdf:    the owner's key-slot Argon2id (the vault's own salt and
//           parameters), alone: what any unlock must pay.
// - unlock: the real openVault, then the first search (the vault is usable),
//           then 200 searches for p50/p95; peak RSS of the whole process.
// - phases: openVault's steps one by one with the engine's own functions, in
//           the order vault-open.ts runs them, with time and RSS after each:
//           the profile that says where an unlock's time and memory go.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { AuditLog } from '../../dist/node/electron/vault/audit/audit-log.js';
import { loadSodium } from '../../dist/node/electron/vault/keys/crypto-runtime.js';
import { prepareUnlock } from '../../dist/node/electron/vault/warm-up.js';
import { openEpochKeys, publicKeyMap } from '../../dist/node/electron/vault/keys/epoch-keys.js';
import { RecordStore } from '../../dist/node/electron/vault/records/record-store.js';
import { loadGeneration } from '../../dist/node/electron/vault/storage/snapshot-chain.js';
import { surveySnapshots } from '../../dist/node/electron/vault/storage/snapshot-census.js';
import { loadSqlite } from '../../dist/node/electron/vault/storage/sqlite-runtime.js';
import { checkStoredCheckpoint } from '../../dist/node/electron/vault/audit/vault-audit.js';
import { readHeader, verifyHeaderMac } from '../../dist/node/electron/vault/keys/vault-header.js';
import { openVault } from '../../dist/node/electron/vault/vault-open.js';
import { searchRecords } from '../../dist/node/electron/vault/records/vault-records.js';
import { openSlot } from '../../dist/node/electron/vault/keys/vault-slots.js';
import { OWNER, PASSPHRASE } from './vault-gen.mjs';

const [mode, dir, queriesFile] = process.argv.slice(2);

/** Resident and peak resident set size now, in MiB (Linux /proc; resourceUsage elsewhere). */
function memory() {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rssMiB: Math.round(kb('VmRSS') / 1024), peakMiB: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return { rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20), peakMiB: Math.round(process.resourceUsage().maxRSS / 1024) };
  }
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** CPU time (user + system, all threads) since `from`, in ms: what the work cost when the machine is busy. */
const cpuSince = (from) => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
};

const sodium = await loadSodium();
await loadSqlite();
const base = memory();
const out = { mode, baseRssMiB: base.rssMiB };

if (mode === 'kdf') {
  const header = JSON.parse(readFileSync(`${dir}/header.json`, 'utf8'));
  const slot = header.slots.find((s) => s.member === OWNER);
  const salt = sodium.from_base64(slot.kdf.salt, sodium.base64_variants.ORIGINAL);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  sodium.crypto_pwhash(32, PASSPHRASE, salt, slot.kdf.opslimit, slot.kdf.memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
  out.kdfMs = performance.now() - t0;
  out.kdfCpuMs = cpuSince(c0);
  out.kdf = { alg: slot.kdf.alg, opslimit: slot.kdf.opslimit, memlimitMiB: slot.kdf.memlimit / 2 ** 20 };
} else if (mode === 'unlock') {
  // As the app does when it shows the unlock screen (and the CLI before it reads
  // the passphrase): Argon2id's worker loads libsodium and the engine warms up while the member types.
  prepareUnlock();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const session = await openVault(dir, { member: OWNER, passphrase: PASSPHRASE });
  out.openMs = performance.now() - t0;
  const first = searchRecords(session, 'restore');
  out.usableMs = performance.now() - t0;
  out.usableCpuMs = cpuSince(c0);
  out.firstSearchHits = first.hits.length;
  out.afterUnlock = memory();
  const queries = queriesFile ? JSON.parse(readFileSync(queriesFile, 'utf8')) : [];
  const times = [];
  let hits = 0;
  for (const q of queries) {
    const t = performance.now();
    hits += searchRecords(session, q).hits.length;
    times.push(performance.now() - t);
  }
  if (times.length > 0) {
    times.sort((a, b) => a - b);
    out.search = {
      queries: times.length,
      meanHits: Math.round(hits / times.length),
      p50Ms: percentile(times, 50),
      p95Ms: percentile(times, 95),
      maxMs: times.at(-1),
    };
  }
  out.records = session.store().list().length;
  // Nothing to save: leave as a crash would (the next unlock checks the unsealed tail).
  await session.abandon();
  out.end = memory();
  out.maxRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
} else if (mode === 'phases') {
  const phases = [];
  let last = performance.now();
  const mark = (name) => {
    const now = performance.now();
    phases.push({ phase: name, ms: now - last, ...memory() });
    last = now;
  };
  const header = await readHeader(dir);
  mark('read header');
  const opened = openSlot(sodium, header, OWNER, PASSPHRASE);
  mark('Argon2id + open key slot');
  const keys = openEpochKeys(sodium, header, opened.slot.scope, opened.epochKeys);
  verifyHeaderMac(sodium, header, keys.header);
  mark('epoch keys + header MAC');
  const log = await AuditLog.load(sodium, dir, header.vaultId);
  mark(`audit log: parse + chain (${log.size} records)`);
  const snapshots = await surveySnapshots(dir);
  const { db, files } = loadGeneration(sodium, keys.content, dir, header.vaultId, snapshots[0], snapshots);
  mark(`read + decrypt snapshot, frame by frame, with ${files.length - 1} deltas (${Math.round(db.length / 2 ** 20)} MiB of database)`);
  const store = await RecordStore.open(db);
  mark('sql.js: open database from bytes');
  db.fill(0);
  mark('zero the plaintext copy (fill(0))');
  await checkStoredCheckpoint(
    sodium,
    dir,
    header.vaultId,
    publicKeyMap(sodium, header),
    log.lines.map((l) => l.line),
  );
  mark('checkpoint: Merkle root of the log');
  store.search('restore');
  mark('first search');
  out.phases = phases;
  out.maxRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  store.close();
} else {
  throw new Error(`unknown mode ${mode}`);
}
process.stdout.write(`${JSON.stringify(out)}\n`);
