// The one-shot command line alone (issue #20): `lifeboat search DIR --as alice
// restore` (open, search, lock, exit) against `keepassxc-cli search DB
// restore`, on vault.bench.mjs's 5,000-record vault and its KDBX twin at
// equal KDF time, alternating (KeePassXC, then each Lifeboat build in turn)
// so that the machine's load falls on all of them. Wall time from spawn to
// exit and CPU time (user + system, all threads, from /usr/bin/time).
//
//   npm run build:node && node bench/cli-oneshot.bench.mjs [--dir D] [--runs N] [--build NAME=PATH/TO/lifeboat.js …]
//
// --dir keeps the vault and the KDBX twin between runs (built there once:
// a few minutes); without it a temporary folder is used and removed.
// --recalibrate times Argon2id again and makes a new twin for it (the
// machine's load changed), keeping the vault.
// --build compares several builds of the CLI (e.g. before=/tmp/before/dist/cli/lifeboat.js);
// the default is this checkout's dist/. Prints medians; enforces no budget
// (vault.bench.mjs does).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { loadSodium } from '../dist/node/electron/vault/keys/crypto-runtime.js';
import { equivalentKdbx } from './lib/compare.mjs';
import { loadCorpus, makeRecords } from './lib/corpus.mjs';
import { KEEPASSXC } from './lib/keepassxc.mjs';
import { median, ms, note, runChild } from './lib/measure.mjs';
import { buildVault, OWNER, PASSPHRASE } from './lib/vault-gen.mjs';

const RECORDS = 5_000;
const { values } = parseArgs({
  options: { dir: { type: 'string' }, runs: { type: 'string', default: '7' }, build: { type: 'string', multiple: true }, recalibrate: { type: 'boolean' } },
});
const work = values.dir ?? mkdtempSync(join(tmpdir(), 'lifeboat-cli-oneshot-'));
if (!values.dir) {
  process.on('exit', () => rmSync(work, { recursive: true, force: true }));
}
mkdirSync(work, { recursive: true });
process.env.LIFEBOAT_STATE_DIR = join(work, 'state');
const builds = (values.build ?? [`this=dist/cli/lifeboat.js`]).map((b) => {
  const at = b.indexOf('=');
  return { name: b.slice(0, at), main: b.slice(at + 1) };
});

// --- Setup, once per --dir: the vault, its Argon2id time, the KDBX twin at that time.
const vaultDir = join(work, `vault-${RECORDS}.lifeboat`);
const setupFile = join(work, 'setup.json');
if (values.recalibrate) {
  rmSync(setupFile, { force: true });
}
if (!existsSync(setupFile)) {
  const sodium = await loadSodium();
  // The records are seeded: the same every run, so a kept vault's twin can be made again.
  const plain = makeRecords(loadCorpus(), RECORDS);
  if (!existsSync(join(vaultDir, 'header.json'))) {
    note(`building the ${RECORDS}-record vault`);
    rmSync(vaultDir, { recursive: true, force: true });
    await buildVault(vaultDir, plain);
  }
  note('timing Argon2id alone (3 fresh processes)');
  const kdfMs = median([await runChild('kdf', vaultDir), await runChild('kdf', vaultDir), await runChild('kdf', vaultDir)].map((k) => k.kdfMs));
  const kpDir = join(work, 'keepassxc');
  rmSync(kpDir, { recursive: true, force: true });
  mkdirSync(kpDir, { recursive: true });
  const twin = await equivalentKdbx({ sodium, dir: kpDir, records: plain, kdfTargetMs: kdfMs, reps: { calibration: 1 } });
  writeFileSync(setupFile, JSON.stringify({ kdfMs: ms(kdfMs), db: twin.db, kdf: twin.kdf, kdfLine: twin.kdfLine }, null, 2));
}
const setup = JSON.parse(readFileSync(setupFile, 'utf8'));
note(`Argon2id alone ${setup.kdfMs} ms; KDBX twin: ${setup.kdfLine}`);

/** Runs a command under /usr/bin/time: wall ms from spawn to exit, CPU ms (user + system). */
function timed(command, args, { env = process.env, stdin = '' } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '@@cpu %U %S', command, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      const m = /@@cpu ([\d.]+) ([\d.]+)/.exec(stderr);
      resolve({ code, wallMs, cpuMs: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}

const runs = { keepassxc: [] };
for (const b of builds) {
  runs[b.name] = [];
}
const rounds = Number(values.runs);
for (let i = 0; i < rounds; i += 1) {
  const kp = await timed(KEEPASSXC, ['search', '-q', setup.db, 'restore'], { stdin: `${PASSPHRASE}\n` });
  if (kp.code !== 0) {
    throw new Error(`keepassxc-cli search exited ${kp.code}: ${kp.stderr.trim()}`);
  }
  runs.keepassxc.push(kp);
  // Each round starts the builds from a different one, so none always follows KeePassXC.
  for (let j = 0; j < builds.length; j += 1) {
    const b = builds[(i + j) % builds.length];
    const r = await timed(process.execPath, [b.main, 'search', vaultDir, '--as', OWNER, 'restore'], {
      env: { ...process.env, LIFEBOAT_PASSPHRASE: PASSPHRASE },
    });
    if (r.code !== 0) {
      throw new Error(`${b.name}: lifeboat search exited ${r.code}: ${r.stderr.trim()}`);
    }
    runs[b.name].push(r);
  }
  note(
    `round ${i + 1}/${rounds}: ${Object.entries(runs)
      .map(([n, rs]) => `${n} ${Math.round(rs.at(-1).wallMs)} ms`)
      .join(', ')}`,
  );
}

const kpWall = median(runs.keepassxc.map((r) => r.wallMs));
const table = Object.entries(runs).map(([name, rs]) => {
  const wall = median(rs.map((r) => r.wallMs));
  return {
    name,
    wallMs: ms(wall),
    cpuMs: ms(median(rs.map((r) => r.cpuMs))),
    overKdfMs: ms(wall - setup.kdfMs),
    vsKeePassXC: Number((wall / kpWall).toFixed(2)),
    runsMs: rs.map((r) => ms(r.wallMs)),
  };
});
process.stdout.write(`${JSON.stringify({ records: RECORDS, kdfMs: setup.kdfMs, rounds, results: table }, null, 2)}\n`);
