// A focused first sync + re-sync of the vault bench's signed catalog, in fresh
// fast-KDF vaults, for profiling the sync alone (issue 20). Packs the two
// catalog versions once into WORK (reused on later runs), then syncs.
//
//   npm run build:node && node bench/sync-profile.mjs [--runbooks N] [--work DIR]
//   node --cpu-prof --cpu-prof-dir DIR bench/sync-profile.mjs
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVault } from '../dist/node/electron/vault/vault-open.js';
import { loadCorpus } from './lib/corpus.mjs';
import { syncCatalog } from '../dist/node/electron/catalog/catalog-sync.js';
import { makePublisher, packVersion, trust } from './lib/catalog-gen.mjs';

const arg = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const RUNBOOKS = Number(arg('--runbooks', '5000'));
const WORK = arg('--work', join(tmpdir(), `lifeboat-sync-profile-${RUNBOOKS}`));

mkdirSync(WORK, { recursive: true });
const keyFile = join(WORK, 'key.json');
if (!existsSync(join(WORK, 'v2.lbcat'))) {
  const corpus = loadCorpus();
  const publisher = await makePublisher(WORK);
  const v1 = await packVersion(corpus, WORK, publisher.keyPath, RUNBOOKS, 1);
  const v2 = await packVersion(corpus, WORK, publisher.keyPath, RUNBOOKS, 2, 20);
  writeFileSync(join(WORK, 'v1.lbcat'), v1.bytes);
  writeFileSync(join(WORK, 'v2.lbcat'), v2.bytes);
  writeFileSync(keyFile, JSON.stringify({ keyId: publisher.key.keyId, publicKey: [...publisher.key.publicKey] }));
  rmSync(v1.src, { recursive: true, force: true });
  rmSync(v2.src, { recursive: true, force: true });
}
const saved = JSON.parse(readFileSync(keyFile, 'utf8'));
const key = { keyId: saved.keyId, publicKey: new Uint8Array(saved.publicKey) };
const v1 = new Uint8Array(readFileSync(join(WORK, 'v1.lbcat')));
const v2 = new Uint8Array(readFileSync(join(WORK, 'v2.lbcat')));

const dir = join(mkdtempSync(join(tmpdir(), 'lifeboat-sync-vault-')), 'v.lifeboat');
process.env.LIFEBOAT_STATE_DIR = join(dir, '..', 'state');
const session = await createVault(dir, { owner: 'alice', passphrase: 'bench bench bench', name: 'Sync', insecureFastKdf: true });
await trust(session, key);
/** syncCatalog with wall and CPU time between its progress labels (the apply's counts are one phase; after its last, the snapshot). */
async function timedSync(bytes, label) {
  const phases = {};
  let last = 'start';
  let wall0 = performance.now();
  let cpu0 = process.cpuUsage();
  const mark = (next) => {
    const cpu = process.cpuUsage(cpu0);
    const entry = (phases[last] ??= { wallMs: 0, cpuMs: 0 });
    entry.wallMs += performance.now() - wall0;
    entry.cpuMs += (cpu.user + cpu.system) / 1000;
    last = next;
    wall0 = performance.now();
    cpu0 = process.cpuUsage();
  };
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await syncCatalog(
    session,
    { kind: 'signed', bytes, label },
    {
      progress: (done, total, reported) => {
        const applying = reported.startsWith('Applied ');
        const what = applying
          ? done === total
            ? 'snapshot'
            : 'apply'
          : /^(Reading|Verifying|Parsing|Comparing|Applying the changes)/.test(reported)
            ? reported.split(' ')[0].toLowerCase()
            : last;
        if (what !== last) {
          mark(what);
        }
      },
    },
  );
  mark('end');
  const cpu = process.cpuUsage(c0);
  const round = (x) => Math.round(x);
  return {
    totalMs: round(performance.now() - t0),
    cpuMs: round((cpu.user + cpu.system) / 1000),
    phases: Object.fromEntries(
      Object.entries(phases)
        .filter(([k]) => k !== 'start')
        .map(([k, v]) => [k, `${round(v.wallMs)}/${round(v.cpuMs)}`]),
    ),
  };
}
const first = await timedSync(v1, 'v1.lbcat');
const again = await timedSync(v2, 'v2.lbcat');
await session.lock();
rmSync(join(dir, '..'), { recursive: true, force: true });
// Phases as wall/CPU ms: reading (and the signature), verifying (inflate, hashes), parsing, comparing, applying (the
// catalog.synced event and the first batch of changes), apply (the other batches), snapshot (the commit).
for (const [name, r] of [
  ['first', first],
  ['resync', again],
]) {
  process.stdout.write(`${JSON.stringify({ run: name, ...r })}\n`);
}
process.stdout.write(
  `${JSON.stringify({ ratio: Number((again.totalMs / first.totalMs).toFixed(2)), cpuRatio: Number((again.cpuMs / first.cpuMs).toFixed(2)) })}\n`,
);
