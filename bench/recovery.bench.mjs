// Recovery planning at scale: the dependency graph, the full plan and the
// readiness review over 5,000 services (each with a runbook, up to three
// dependencies on earlier services, so the graph is a DAG about 12 waves
// deep), timed over 20 runs. Budget: graph + plan + review under 500 ms p95,
// so the Recovery plan and Readiness screens answer at once on a big vault.
// Run after `npm run build:node`: node bench/recovery.bench.mjs [services]
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { reviewReadiness } from '../dist/node/electron/recovery/readiness-review.js';
import { computePlan } from '../dist/node/electron/recovery/recovery-plan.js';
import { buildServiceGraph } from '../dist/node/electron/recovery/service-graph.js';

const SERVICES = Number(process.argv[2] ?? 5_000);
const BUDGET_P95_MS = 500;
const RUNS = 20;

let seed = 7;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const at = '2026-10-01T00:00:00.000Z';
const records = [];
for (let i = 0; i < SERVICES; i += 1) {
  const deps = [];
  // Depend on services a little earlier in the list: realistic fan-in, a deep but finite DAG.
  for (let d = 0; d < Math.floor(random() * 4) && i > 0; d += 1) {
    deps.push(`svc-${Math.max(0, i - 1 - Math.floor(random() * Math.min(i, 400)))}`);
  }
  const base = { revision: 1, createdAt: at, createdBy: 'bench', updatedAt: at, updatedBy: 'bench', deleted: false };
  records.push({
    ...base,
    id: `s${i}`,
    type: 'service',
    title: `svc-${i}`,
    data: { tier: i % 5, owner: 'team', rtoMinutes: 60 + (i % 7) * 30, rpoMinutes: 15, recoveryMethod: 'restore', dependsOn: deps },
  });
  records.push({
    ...base,
    id: `r${i}`,
    type: 'runbook',
    title: `Recover svc-${i}`,
    data: { service: `svc-${i}`, steps: ['a', 'b'], validation: ['ok'], estimatedMinutes: 5 + (i % 40), lastReviewed: '2026-06-01' },
  });
}

const times = [];
let waves = 0;
let findings = 0;
for (let run = 0; run < RUNS; run += 1) {
  const started = performance.now();
  const graph = buildServiceGraph(records);
  const plan = computePlan(graph);
  const review = reviewReadiness({
    graph,
    procedures: [],
    sessions: [],
    incidentRotations: [],
    lastSync: null,
    usesCatalogs: false,
    now: new Date('2026-11-25T00:00:00Z'),
  });
  times.push(performance.now() - started);
  waves = plan.waves.length;
  findings = review.services.reduce((n, s) => n + s.findings.length, 0);
}
times.sort((a, b) => a - b);
const p = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
const result = { services: SERVICES, runs: RUNS, waves, findings, p50Ms: Math.round(p(0.5)), p95Ms: Math.round(p(0.95)), budgetP95Ms: BUDGET_P95_MS };
const ok = result.p95Ms < BUDGET_P95_MS;
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/recovery.json', `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(
  'bench/results/recovery.md',
  `| services | waves | findings | p50 | p95 | budget (p95) |\n|---|---|---|---|---|---|\n| ${SERVICES} | ${waves} | ${findings} | ${result.p50Ms} ms | ${result.p95Ms} ms | < ${BUDGET_P95_MS} ms ${ok ? 'ok' : 'BROKEN'} |\n`,
);
process.stdout.write(
  `graph + plan + readiness over ${SERVICES} services (${waves} waves, ${findings} findings): p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms (budget < ${BUDGET_P95_MS} ms) ${ok ? 'ok' : 'BROKEN'}\n`,
);
process.exit(ok ? 0 : 1);
