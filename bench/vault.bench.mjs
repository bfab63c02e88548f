// The vault at scale, against the issue's budgets (#8), side by side with
// keepassxc-cli. Run after `npm run build:node`:
//
//   node bench/vault.bench.mjs [--quick] [--no-keepassxc] [--keep]
//
// Builds real on-disk vaults of 1,000, 5,000 and 20,000 records (runbooks
// from the public fixture corpus, services with dependencies, contacts,
// sealed secrets) with the default Argon2id (MODERATE), then measures, each
// in a fresh process where it matters: unlock to usable and peak RSS, search
// p50/p95 over 200 queries, save after a one-record edit, a signed
// 5,000-runbook catalog sync, audit append, verification of a 100,000-record
// audit log, and keepassxc-cli on an equivalent KDBX database. Writes
// bench/results/vault.json, vault.md and README-section.md; exits 1 when a
// budget is broken (the figures are always printed). bench/README.md says
// what each figure means. --quick: small sizes, budgets not enforced.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseCatalogContent } from '../dist/node/electron/catalog/catalog-content.js';
import { AuditLog } from '../dist/node/electron/vault/audit/audit-log.js';
import { loadSodium } from '../dist/node/electron/vault/keys/crypto-runtime.js';
import { verifyAuditOnThreads } from '../dist/node/electron/vault/audit/vault-audit.js';
import { createVault, openVault } from '../dist/node/electron/vault/vault-open.js';
import { editRecord } from '../dist/node/electron/vault/records/vault-records.js';
import { appendLinesOnce, auditEventMix, signAuditLines } from './lib/audit-gen.mjs';
import { makePublisher, packVersion, timedSync, trust } from './lib/catalog-gen.mjs';
import { compareWithKeePassXC } from './lib/compare.mjs';
import { loadCorpus, makeRecords, notesOf, vaultMix } from './lib/corpus.mjs';
import { keepassxcVersion } from './lib/keepassxc.mjs';
import { folderBytes, makeQueries, median, mib, ms, note, runChild, runScript, summary } from './lib/measure.mjs';
import { alternatives, dbComposition, putAnatomy, saveAnatomy } from './lib/profile.mjs';
import { renderMarkdown, renderReadmeSection } from './lib/report.mjs';
import { OWNER, PASSPHRASE } from './lib/vault-gen.mjs';

const argv = new Set(process.argv.slice(2));
const QUICK = argv.has('--quick');
const KEEP = argv.has('--keep');

const C = QUICK
  ? {
      sizes: [500, 1_000, 2_000],
      compareSize: 1_000,
      rssSize: 2_000,
      phasesAt: [2_000],
      budgetUnlockReps: 1,
      edits: { default: 3 },
      catalogRunbooks: 1_000,
      appends: 50,
      auditRecords: 10_000,
      anatomy: 200,
      kp: { calibration: 1, unlock: 1, oneShot: 1, import: 1 },
    }
  : {
      sizes: [1_000, 5_000, 20_000],
      compareSize: 5_000,
      rssSize: 20_000,
      phasesAt: [20_000],
      budgetUnlockReps: 3,
      edits: { default: 5, 20000: 1 },
      catalogRunbooks: 5_000,
      appends: 200,
      auditRecords: 100_000,
      anatomy: 500,
      kp: { calibration: 1, unlock: 3, oneShot: 5, import: 2 },
    };

// Budgets (bench/README.md). #8 set absolute ones (save 500 ms, unlock KDF + 300 ms, append p95 10 ms,
// sync 10 s), tightened once beaten. #20: figures that move with the machine are budgeted as ratios
// measured in the same run (unlock − KDF as a share of the KDF; sync and the one-shot command line
// against keepassxc-cli doing the same work), with the absolute figures reported beside them.
const BUDGETS = {
  saveMs: 400,
  save20kMs: 400,
  unlockOverKdfShare: 0.3,
  auditAppendP95Ms: 5,
  syncVsKeePassXC: 1.5,
  resyncVsFirstSync: 0.5,
  cliSearchVsKeePassXC: 1.0,
  search20kP95Ms: 30,
  auditVerifyPerSecond: 8_000,
  // 400 MB = 381.5 MiB; RSS is reported in MiB.
  peakRssMiB: 400e6 / 2 ** 20,
};

const started = performance.now();
const sodium = await loadSodium();
const work = mkdtempSync(join(tmpdir(), 'lifeboat-vault-bench-'));
// Every process of the bench keeps the vaults' local anchors here (a real folder on the same disk,
// written as in use: after every append, save and header write), not in the user's own state folder.
process.env.LIFEBOAT_STATE_DIR = join(work, 'state');
const corpus = loadCorpus();
const queriesFile = join(work, 'queries.json');
const queries = makeQueries(corpus);
writeFileSync(queriesFile, JSON.stringify(queries));
const kpVersion = argv.has('--no-keepassxc') ? null : keepassxcVersion();
// Generated vaults take up to 2 GB: removed however the run ends (unless --keep).
process.on('exit', () => {
  if (!KEEP) {
    rmSync(work, { recursive: true, force: true });
  }
});
const vaultDir = (size) => join(work, `vault-${size}.lifeboat`);
/** Every `…Ms` figure of an object rounded for the JSON. */
const roundAll = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' && k !== 'MiB' && k !== 'dbMiB' ? ms(v) : v]));

const result = {
  bench: 'vault',
  quick: QUICK,
  node: process.version,
  cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
  loadAverageAtStart: loadavg().map((l) => Number(l.toFixed(2))),
  at: new Date().toISOString(),
  corpus: {
    runbooks: corpus.runbooks.length,
    meanBodyBytes: corpus.meanBodyBytes,
    source: 'GOV.UK developer manual + prometheus-operator runbooks (test/fixtures)',
  },
  queries: queries.length,
  vaults: [],
};

// --- 0. Setup, on both cores: the scale vaults are built in child processes
// (the largest takes about as long as everything else, so it gets one of its
// own) while this one packs the catalog and signs the audit log. Nothing
// reported is timed until all of it is done.
note(`building vaults of ${C.sizes.join(', ')} records (child processes) while packing the catalog and signing the audit log`);
const [largest, ...others] = [...C.sizes].sort((a, b) => b - a);
const building = [
  runScript('build-child.mjs', [`${largest}:${vaultDir(largest)}`]),
  runScript(
    'build-child.mjs',
    others.map((size) => `${size}:${vaultDir(size)}`),
  ),
];
// Awaited once setup is done; a failure then stops the bench with the child's error.
building.forEach((b) => b.catch(() => undefined));
const { key, keyPath } = await makePublisher(work);
const v1 = await packVersion(corpus, work, keyPath, C.catalogRunbooks, 1);
const v2 = await packVersion(corpus, work, keyPath, C.catalogRunbooks, 2, 20);
const runbookEntries = parseCatalogContent(new Map([...v1.files].map(([path, text]) => [path, new TextEncoder().encode(text)]))).entries;
const rbDir = join(work, 'runbooks.lifeboat');
let session = await createVault(rbDir, { owner: OWNER, passphrase: PASSPHRASE, name: 'Runbooks', insecureFastKdf: false });
await trust(session, key);
const rbSession = session;

const auditDir = join(work, 'audit.lifeboat');
let auditSignMs = 0;
{
  const audit = await createVault(auditDir, { owner: OWNER, passphrase: PASSPHRASE, name: 'Audit', insecureFastKdf: false });
  const state = audit.internals();
  const sample = runbookEntries.slice(0, 500).map((e, i) => ({ id: `rb-${String(i).padStart(10, '0')}`, title: e.title }));
  const t0 = performance.now();
  const { lines } = signAuditLines(sodium, {
    vaultId: state.header.vaultId,
    epoch: state.keys.epoch,
    auditKey: state.keys.audit,
    signingSecretKey: state.keys.signingSecret,
    startSeq: state.log.size,
    prevHash: state.log.headHash(),
    startTime: new Date(),
    events: auditEventMix(C.auditRecords, sample),
  });
  auditSignMs = performance.now() - t0;
  await appendLinesOnce(auditDir, lines);
  state.log = await AuditLog.load(sodium, auditDir, state.header.vaultId);
  await audit.commit();
  await audit.lock();
}
const builds = new Map((await Promise.all(building)).flat().map((b) => [b.records, b]));
note('setup done; measuring');

// --- 1. Vaults of 1,000 / 5,000 / 20,000 records ----------------------------
let comparePlain = null;
let compareDir = null;
for (const size of C.sizes) {
  const dir = vaultDir(size);
  const built = builds.get(size);
  note(`${size} records: unlock, searches, peak RSS (fresh process)`);
  // At the size compared with KeePassXC, the unlock is a median of several runs like KeePassXC's; 200 searches in the first.
  const unlocks = [];
  for (let r = 0; r < (size === C.compareSize ? C.kp.unlock : 1); r += 1) {
    unlocks.push(await runChild('unlock', dir, r === 0 ? [queriesFile] : []));
  }
  const unlock = unlocks[0];
  const phases = C.phasesAt.includes(size) ? await runChild('phases', dir) : null;

  note(`${size} records: save after a one-record edit`);
  session = await openVault(dir, { member: OWNER, passphrase: PASSPHRASE });
  const runbooks = session.store().list('runbook');
  const saves = [];
  for (let e = 0; e < (C.edits[size] ?? C.edits.default); e += 1) {
    const target = runbooks[(e * 97) % runbooks.length];
    const t0 = performance.now();
    await editRecord(session, target.id, { set: { estimatedMinutes: 300 + e } });
    saves.push(performance.now() - t0);
  }
  const composition = dbComposition(session.store());
  // The steps of a save, taken apart at every size.
  const saveParts = roundAll(await saveAnatomy(session));
  await session.abandon();

  result.vaults.push({
    records: size,
    mix: vaultMix(size),
    buildMs: ms(built.createMs + built.addMs + built.lockMs),
    folderMiB: mib(folderBytes(dir)),
    unlock: { openMs: ms(median(unlocks.map((u) => u.openMs))), usableMs: ms(median(unlocks.map((u) => u.usableMs))), runs: unlocks.length },
    peakRssMiB: Math.max(...unlocks.map((u) => u.maxRssMiB)),
    rssAfterUnlockMiB: unlock.afterUnlock.rssMiB,
    search: { ...unlock.search, p50Ms: ms(unlock.search.p50Ms), p95Ms: ms(unlock.search.p95Ms), maxMs: ms(unlock.search.maxMs) },
    save: summary(saves),
    profile: {
      ...(phases ? { unlockPhases: phases.phases.map((p) => ({ ...p, ms: ms(p.ms) })) } : {}),
      database: composition,
      ...(saveParts ? { save: saveParts } : {}),
    },
  });
  if (size === C.compareSize) {
    comparePlain = makeRecords(corpus, size);
    compareDir = dir;
  } else if (!KEEP) {
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- 2. A signed catalog of 5,000 runbooks, synced into a new vault ---------
session = rbSession;
note(`sync v1 of ${C.catalogRunbooks} runbooks (every runbook new)`);
const sync1 = await timedSync(session, v1.bytes, 'bench-runbooks-v1.lbcat');
note('sync v2 (one runbook in 20 changed)');
const sync2 = await timedSync(session, v2.bytes, 'bench-runbooks-v2.lbcat');

note('save after a one-record edit, audit appends');
const synced = session.store().list('runbook');
const rbSaves = [];
const rbSaveCpu = [];
for (let e = 0; e < C.edits.default; e += 1) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await editRecord(session, synced[(e * 97) % synced.length].id, { set: { estimatedMinutes: 300 + e } });
  rbSaves.push(performance.now() - t0);
  const cpu = process.cpuUsage(c0);
  rbSaveCpu.push((cpu.user + cpu.system) / 1000);
}
const appends = [];
for (let i = 0; i < C.appends; i += 1) {
  const record = synced[i % synced.length];
  const t0 = performance.now();
  await session.log({ type: 'record.opened', recordId: record.id, recordTitle: record.title });
  appends.push(performance.now() - t0);
}
const rbComposition = dbComposition(session.store());
const rbSaveParts = await saveAnatomy(session);
await session.lock();

note(`unlocking the ${C.catalogRunbooks}-runbook vault (Argon2id alone and unlock, interleaved, fresh processes)`);
const rbKdf = [];
const rbKdfCpu = [];
const rbUnlocks = [];
for (let r = 0; r < C.budgetUnlockReps; r += 1) {
  const kdf = await runChild('kdf', rbDir);
  rbKdf.push(kdf.kdfMs);
  rbKdfCpu.push(kdf.kdfCpuMs);
  // The 200 searches once: the other runs are for the unlock time.
  rbUnlocks.push(await runChild('unlock', rbDir, r === 0 ? [queriesFile] : []));
}
const rbPhases = await runChild('phases', rbDir);
const rbKdfMs = median(rbKdf);
const rbUsableMs = median(rbUnlocks.map((u) => u.usableMs));
const syncFigures = (x) => ({
  ...x,
  totalMs: ms(x.totalMs),
  cpuMs: ms(x.cpuMs),
  phases: Object.fromEntries(Object.entries(x.phases).map(([k, v]) => [k, ms(v)])),
  recordsPerSecond: Math.round(C.catalogRunbooks / (x.totalMs / 1000)),
});

result.catalog = {
  runbooks: C.catalogRunbooks,
  markdownMiB: mib(v1.textBytes),
  lbcatMiB: mib(v1.lbcatBytes),
  // Packed while the vaults were being built: setup, not a figure to compare.
  packMs: ms(v1.packMs),
  firstSync: syncFigures(sync1),
  resync: syncFigures(sync2),
};
result.runbookVault = {
  records: rbUnlocks[0].records,
  folderMiB: mib(folderBytes(rbDir)),
  kdfMs: ms(rbKdfMs),
  kdfRunsMs: rbKdf.map(ms),
  kdfCpuMs: ms(median(rbKdfCpu)),
  unlock: {
    openMs: ms(median(rbUnlocks.map((u) => u.openMs))),
    usableMs: ms(rbUsableMs),
    usableRunsMs: rbUnlocks.map((u) => ms(u.usableMs)),
    overKdfMs: ms(rbUsableMs - rbKdfMs),
    usableCpuMs: ms(median(rbUnlocks.map((u) => u.usableCpuMs))),
    overKdfCpuMs: ms(median(rbUnlocks.map((u) => u.usableCpuMs)) - median(rbKdfCpu)),
  },
  peakRssMiB: Math.max(...rbUnlocks.map((u) => u.maxRssMiB)),
  search: { p50Ms: ms(rbUnlocks[0].search.p50Ms), p95Ms: ms(rbUnlocks[0].search.p95Ms) },
  save: { ...summary(rbSaves), cpuP50Ms: ms(median(rbSaveCpu)) },
  auditAppend: summary(appends),
  profile: {
    unlockPhases: rbPhases.phases.map((p) => ({ ...p, ms: ms(p.ms) })),
    database: rbComposition,
    save: roundAll(rbSaveParts),
  },
};
if (!KEEP) {
  rmSync(join(work, 'catalog-v1'), { recursive: true, force: true });
  rmSync(join(work, 'catalog-v2'), { recursive: true, force: true });
}

// --- 3. The 100,000-record audit log, verified for real ---------------------
note(`verifying ${C.auditRecords} audit records (verifyAudit) and timing an unlock over them`);
{
  const auditPhases = await runChild('phases', auditDir);
  session = await openVault(auditDir, { member: OWNER, passphrase: PASSPHRASE });
  const t1 = performance.now();
  // What `lifeboat audit verify` runs: the signatures on worker threads (audit-signatures.ts).
  const report = await verifyAuditOnThreads(session);
  const verifyMs = performance.now() - t1;
  await session.abandon();
  result.audit = {
    records: report.records,
    logMiB: mib(Buffer.byteLength(readFileSync(join(auditDir, 'audit.log')))),
    generateMs: ms(auditSignMs),
    verifyMs: ms(verifyMs),
    verifyRecordsPerSecond: Math.round(report.records / (verifyMs / 1000)),
    checks: report.checks,
    unlockPhases: auditPhases.phases.map((p) => ({ ...p, ms: ms(p.ms) })),
  };
  if (!KEEP) {
    rmSync(auditDir, { recursive: true, force: true });
  }
}

// --- 4. Where a sync's apply time goes --------------------------------------
note('profiling store.put');
result.putAnatomy = await putAnatomy(sodium, runbookEntries.slice(0, C.anatomy));
result.alternatives = roundAll(await alternatives(sodium, Math.round(rbComposition.fileMiB * 2 ** 20)));
result.kdf = {
  alg: 'argon2id13',
  opslimit: sodium.crypto_pwhash_OPSLIMIT_MODERATE,
  memlimitMiB: sodium.crypto_pwhash_MEMLIMIT_MODERATE / 2 ** 20,
  coldMs: ms(rbKdfMs),
  runsMs: rbKdf.map(ms),
};

// --- 5. keepassxc-cli on an equivalent database -----------------------------
if (kpVersion && comparePlain && compareDir) {
  try {
    const kp = await compareWithKeePassXC({
      sodium,
      workDir: work,
      records: comparePlain,
      runbooks: runbookEntries,
      queries,
      vaultDir: compareDir,
      kdfTargetMs: rbKdfMs,
      reps: C.kp,
    });
    const lb = result.vaults.find((v) => v.records === C.compareSize);
    const lbNotes = comparePlain.reduce((n, r) => n + Buffer.byteLength(notesOf(r)), 0);
    const ratio = (a, b) => (a && b ? Number((a / b).toFixed(2)) : null);
    result.keepassxc = {
      version: kpVersion,
      ...kp,
      lifeboat: {
        records: C.compareSize,
        notesBytes: lbNotes,
        kdfMs: result.kdf.coldMs,
        usableMs: lb.unlock.usableMs,
        searchP50Ms: lb.search.p50Ms,
        searchP95Ms: lb.search.p95Ms,
        syncMs: result.catalog.firstSync.totalMs,
      },
      ratios: {
        kdf: ratio(result.kdf.coldMs, kp.kdf.unlockEmptyMs),
        unlockToUsable: ratio(lb.unlock.usableMs, kp.usableMs),
        searchP50: ratio(lb.search.p50Ms, kp.search.p50Ms),
        searchP95: ratio(lb.search.p95Ms, kp.search.p95Ms),
        oneShotCliSearch: ratio(kp.lifeboatCliOneShotSearchMs, kp.oneShotSearchMs),
        import5000: ratio(result.catalog.firstSync.totalMs, kp.importRunbooks.medianMs),
      },
    };
  } catch (error) {
    result.keepassxc = { version: kpVersion, error: error instanceof Error ? error.message : String(error) };
  }
} else {
  result.keepassxc = { skipped: kpVersion ? 'no comparison vault' : 'keepassxc-cli not found or --no-keepassxc' };
}

// --- 6. Budgets ---------------------------------------------------------------
const big = result.vaults.find((v) => v.records === C.rssSize);
const rb = result.runbookVault;
const kpr = result.keepassxc?.ratios;
/** A ratio budget needs keepassxc-cli: without it the budget is not met (unless --no-keepassxc said so). */
const ratioBudget = (name, value, limit, extra) => ({
  name,
  value: value ?? null,
  unit: '×',
  limit: `≤ ${limit}`,
  ok: value === null || value === undefined ? argv.has('--no-keepassxc') : value <= limit,
  ...extra,
});
result.budgets = [
  {
    name: 'save after a one-record edit (p50)',
    at: `${C.catalogRunbooks.toLocaleString('en-GB')} runbooks`,
    value: rb.save.p50Ms,
    cpu: rb.save.cpuP50Ms,
    unit: 'ms',
    limit: `< ${BUDGETS.saveMs}`,
    ok: rb.save.p50Ms < BUDGETS.saveMs,
  },
  {
    name: 'save after a one-record edit (p50)',
    at: `${C.rssSize.toLocaleString('en-GB')} records`,
    value: big.save.p50Ms,
    unit: 'ms',
    limit: `< ${BUDGETS.save20kMs}`,
    ok: big.save.p50Ms < BUDGETS.save20kMs,
  },
  {
    name: 'unlock to usable − Argon2id, as a share of Argon2id (medians)',
    at: `${C.catalogRunbooks.toLocaleString('en-GB')} runbooks`,
    value: Number((rb.unlock.overKdfMs / rb.kdfMs).toFixed(2)),
    detail: `${ms(rb.unlock.overKdfMs)} ms over ${ms(rb.kdfMs)} ms`,
    unit: '×',
    limit: `≤ ${BUDGETS.unlockOverKdfShare}`,
    ok: rb.unlock.overKdfMs / rb.kdfMs <= BUDGETS.unlockOverKdfShare,
  },
  {
    name: 'audit append, fsynced and signed (p95)',
    at: `${C.appends} appends`,
    value: rb.auditAppend.p95Ms,
    unit: 'ms',
    limit: `< ${BUDGETS.auditAppendP95Ms}`,
    ok: rb.auditAppend.p95Ms < BUDGETS.auditAppendP95Ms,
  },
  ratioBudget('signed catalog sync, first (all new) ÷ keepassxc-cli XML import', kpr?.import5000, BUDGETS.syncVsKeePassXC, {
    at: `${C.catalogRunbooks.toLocaleString('en-GB')} runbooks`,
    detail: `${ms(result.catalog.firstSync.totalMs)} ms ÷ ${result.keepassxc?.importRunbooks?.medianMs ?? '–'} ms`,
    cpu: ms(result.catalog.firstSync.cpuMs),
  }),
  {
    name: 're-sync (1 in 20 changed) ÷ first sync',
    at: `${C.catalogRunbooks.toLocaleString('en-GB')} runbooks`,
    value: Number((result.catalog.resync.totalMs / result.catalog.firstSync.totalMs).toFixed(2)),
    detail: `${ms(result.catalog.resync.totalMs)} ms ÷ ${ms(result.catalog.firstSync.totalMs)} ms`,
    unit: '×',
    limit: `≤ ${BUDGETS.resyncVsFirstSync}`,
    ok: result.catalog.resync.totalMs / result.catalog.firstSync.totalMs <= BUDGETS.resyncVsFirstSync,
  },
  ratioBudget('command line: open, search, exit ÷ keepassxc-cli search (medians, alternating)', kpr?.oneShotCliSearch, BUDGETS.cliSearchVsKeePassXC, {
    at: `${C.compareSize.toLocaleString('en-GB')} records`,
    detail: `${result.keepassxc?.lifeboatCliOneShotSearchMs ?? '–'} ms ÷ ${result.keepassxc?.oneShotSearchMs ?? '–'} ms`,
  }),
  {
    name: 'search p95 (200 queries)',
    at: `${C.rssSize.toLocaleString('en-GB')} records`,
    value: big.search.p95Ms,
    unit: 'ms',
    limit: `< ${BUDGETS.search20kP95Ms}`,
    ok: big.search.p95Ms < BUDGETS.search20kP95Ms,
  },
  {
    name: 'audit verification (audit verify)',
    at: `${result.audit.records.toLocaleString('en-GB')} records`,
    value: result.audit.verifyRecordsPerSecond,
    unit: 'records/s',
    limit: `≥ ${BUDGETS.auditVerifyPerSecond}`,
    ok: result.audit.verifyRecordsPerSecond >= BUDGETS.auditVerifyPerSecond,
  },
  {
    name: 'peak RSS, unlock + 200 searches',
    at: `${C.rssSize.toLocaleString('en-GB')} records`,
    value: big.peakRssMiB,
    unit: 'MiB',
    limit: `< ${BUDGETS.peakRssMiB.toFixed(1)}`,
    ok: big.peakRssMiB < BUDGETS.peakRssMiB,
  },
];
try {
  const search = JSON.parse(readFileSync('bench/results/search.json', 'utf8'));
  result.searchBench = {
    records: search.records,
    p95Ms: search.p95Ms,
    withinBudget: search.withinBudget,
    note: 'from bench/results/search.json (search.bench.mjs)',
  };
} catch {
  result.searchBench = null;
}
result.totalSeconds = Math.round((performance.now() - started) / 1000);
result.loadAverageAtEnd = loadavg().map((l) => Number(l.toFixed(2)));
result.withinBudget = result.budgets.every((b) => b.ok);

// A --quick run is for trying the bench out: it prints, and leaves the results of the last full run alone.
if (!QUICK) {
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/vault.json', `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync('bench/results/vault.md', renderMarkdown(result, BUDGETS));
  writeFileSync('bench/results/README-section.md', renderReadmeSection(result));
}
process.stdout.write(renderMarkdown(result, BUDGETS));
process.stdout.write(
  `\n${
    result.withinBudget
      ? 'All budgets met.'
      : `Budgets broken: ${result.budgets
          .filter((b) => !b.ok)
          .map((b) => b.name)
          .join('; ')}.`
  }${QUICK ? ' (--quick: not enforced)' : ''} ${result.totalSeconds} s.\n`,
);
if (KEEP) {
  note(`kept ${work}`);
}
process.exitCode = result.withinBudget || QUICK ? 0 : 1;
