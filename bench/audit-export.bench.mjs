// SIEM exports at scale (#22): a real vault (fast test KDF: the unlock is not
// what is measured) whose audit log holds 100,000 records, sealed and signed
// with the engine's own functions (lib/audit-gen.mjs), exported with the real
// application-layer `exportAuditAs` to each format in turn: the audit.exported
// event logged, every event decrypted, each line rendered from the log's
// records and chain hashes, and the file streamed to a temp file, fsynced and
// renamed (the signed export also commits, signs a checkpoint and the whole
// document). Also timed apart: rendering and writing alone (`siemLinesOf` +
// `writeLinesAtomic`) from a signed export in memory, and the match check
// (`verifySiemFile`, which verifies the signed export in full first).
// Budget: each export under 5 s. Results printed and written to
// bench/results/audit-export.{json,md}; exit 1 when a budget is broken.
// Run after `npm run build:node`: node bench/audit-export.bench.mjs [records]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { exportAuditAs, siemLinesOf, verifySiemFile } from '../dist/node/electron/operations/audit-formats.js';
import { AuditLog } from '../dist/node/electron/vault/audit/audit-log.js';
import { loadSodium } from '../dist/node/electron/vault/keys/crypto-runtime.js';
import { writeLinesAtomic } from '../dist/node/electron/vault/storage/atomic-file.js';
import { createVault, openVault } from '../dist/node/electron/vault/vault-open.js';
import { appendLinesOnce, auditEventMix, signAuditLines } from './lib/audit-gen.mjs';

const RECORDS = Number(process.argv[2] ?? 100_000);
const BUDGET_MS = 5_000;
const OWNER = 'alice';
const PASSPHRASE = 'bench passphrase for audit exports';
const FORMATS = ['jsonl', 'ocsf', 'cef', 'lifeboat'];

const sodium = await loadSodium();
const work = mkdtempSync(join(tmpdir(), 'lifeboat-audit-export-bench-'));
process.env.LIFEBOAT_STATE_DIR ??= join(work, 'state');
const dir = join(work, 'audit.lifeboat');
{
  const session = await createVault(dir, { owner: OWNER, passphrase: PASSPHRASE, name: 'bench-laptop', insecureFastKdf: true });
  const state = session.internals();
  const sample = Array.from({ length: 500 }, (_, i) => ({ id: `rb-${String(i).padStart(10, '0')}`, title: `Runbook ${i} | restore = primary` }));
  const { lines } = signAuditLines(sodium, {
    vaultId: state.header.vaultId,
    epoch: state.keys.epoch,
    auditKey: state.keys.audit,
    signingSecretKey: state.keys.signingSecret,
    startSeq: state.log.size,
    prevHash: state.log.headHash(),
    startTime: new Date(),
    events: auditEventMix(RECORDS - state.log.size, sample),
  });
  await appendLinesOnce(dir, lines);
  state.log = await AuditLog.load(sodium, dir, state.header.vaultId);
  await session.commit();
  await session.lock();
}

const session = await openVault(dir, { member: OWNER, passphrase: PASSPHRASE });
const rows = [];
for (const format of FORMATS) {
  const out = join(work, `export.${format}`);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const result = await exportAuditAs(session, out, format);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  rows.push({
    what: `export ${format} (application layer, whole path)`,
    records: result.records,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    bytes: statSync(out).size,
    budgetMs: BUDGET_MS,
  });
}
await session.lock();
{
  // Rendering alone, from a signed export already in memory (what collect does for its timeline).
  const doc = JSON.parse(readFileSync(join(work, 'export.lifeboat'), 'utf8'));
  for (const format of ['jsonl', 'ocsf', 'cef']) {
    const out = join(work, `render.${format}`);
    const t0 = performance.now();
    const count = await writeLinesAtomic(out, siemLinesOf(sodium, doc, format));
    rows.push({ what: `render + write ${format} from a signed export in memory`, records: count, ms: performance.now() - t0, bytes: statSync(out).size });
  }
}
// The match check verifies the signed export in full first (the lead's verify path); one format is enough to show it.
for (const format of ['jsonl']) {
  const t0 = performance.now();
  const report = await verifySiemFile(join(work, 'export.lifeboat'), join(work, `export.${format}`));
  rows.push({ what: `verify --siem ${format} (signed export verified first)`, records: report.matched + report.notCovered, ms: performance.now() - t0 });
}

const broken = rows.filter((r) => r.budgetMs !== undefined && r.ms > r.budgetMs);
const table = [
  `Audit export bench: ${RECORDS.toLocaleString('en')} audit records, ${new Date().toISOString()}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${availableParallelism()} cores`,
  '',
  '| what | records | time | CPU time (this process) | size | budget |',
  '|---|---:|---:|---:|---:|---|',
  ...rows.map(
    (r) =>
      `| ${r.what} | ${r.records.toLocaleString('en')} | ${(r.ms / 1000).toFixed(2)} s | ${r.cpuMs === undefined ? '' : `${(r.cpuMs / 1000).toFixed(2)} s`} | ${r.bytes === undefined ? '' : `${(r.bytes / 2 ** 20).toFixed(1)} MiB`} | ${r.budgetMs === undefined ? '' : r.ms <= r.budgetMs ? `< ${r.budgetMs / 1000} s: met` : `< ${r.budgetMs / 1000} s: BROKEN`} |`,
  ),
].join('\n');
process.stdout.write(`${table}\n`);
const results = join(import.meta.dirname, 'results');
mkdirSync(results, { recursive: true });
if (RECORDS === 100_000) {
  writeFileSync(join(results, 'audit-export.json'), `${JSON.stringify({ records: RECORDS, at: new Date().toISOString(), rows }, null, 1)}\n`);
  writeFileSync(join(results, 'audit-export.md'), `${table}\n`);
}
rmSync(work, { recursive: true, force: true });
if (broken.length > 0) {
  process.stderr.write(`Budget broken: ${broken.map((r) => r.what).join(', ')}\n`);
  process.exit(1);
}
