// Recovery planning at scale: the dependency graph, the full plan and the
// readiness review over 5,000 services, each with a runbook, timed over 20
// runs, on two graphs:
// - "dag": up to three dependencies on earlier services, so the graph is a
//   DAG about 12 waves deep (the original bench, same seed);
// - "cycles": the same, plus for one service in eight a dependency on one a
//   little later in the list, which closes hundreds of loops: recover-together
//   groups from 2 to a few dozen services, each with its cycles named (up to
//   20, then counted) and its suggested breaks computed.
// Budget: graph + plan + review under 500 ms p95 on each, so the Recovery plan
// and Readiness screens answer at once on a big vault.
// Run after `npm run build:node`: node bench/recovery.bench.mjs [services]
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { reviewReadiness } from '../dist/node/electron/recovery/readiness-review.js';
import { computePlan } from '../dist/node/electron/recovery/recovery-plan.js';
import { buildServiceGraph } from '../dist/node/electron/recovery/service-graph.js';

const SERVICES = Number(process.argv[2] ?? 5_000);
const BUDGET_P95_MS = 500;
const RUNS = 20;
const at = '2026-10-01T00:00:00.000Z';

function generate(backEdgeRate) {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const deps = [];
  for (let i = 0; i < SERVICES; i += 1) {
    deps[i] = [];
    // Depend on services a little earlier in the list: realistic fan-in, a deep but finite DAG.
    for (let d = 0; d < Math.floor(random() * 4) && i > 0; d += 1) {
      deps[i].push(Math.max(0, i - 1 - Math.floor(random() * Math.min(i, 400))));
    }
  }
  // Now and then something a service needs, directly or one step further, needs it back:
  // a runtime callback, a health check, shared auth. Each such edge closes at least one loop.
  for (let i = 0; i < SERVICES && backEdgeRate > 0; i += 1) {
    const first = deps[i][Math.floor(random() * deps[i].length)];
    if (first === undefined || random() >= backEdgeRate) {
      continue;
    }
    const further = deps[first][Math.floor(random() * deps[first].length)];
    const target = further !== undefined && random() < 0.5 ? further : first;
    if (!deps[target].includes(i)) {
      deps[target].push(i);
    }
  }
  const records = [];
  for (let i = 0; i < SERVICES; i += 1) {
    const base = { revision: 1, createdAt: at, createdBy: 'bench', updatedAt: at, updatedBy: 'bench', deleted: false };
    const dependsOn = deps[i].map((d) => `svc-${d}`);
    records.push({
      ...base,
      id: `s${i}`,
      type: 'service',
      title: `svc-${i}`,
      data: { tier: i % 5, owner: 'team', rtoMinutes: 60 + (i % 7) * 30, rpoMinutes: 15, recoveryMethod: 'restore', dependsOn },
    });
    records.push({
      ...base,
      id: `r${i}`,
      type: 'runbook',
      title: `Recover svc-${i}`,
      data: { service: `svc-${i}`, steps: ['a', 'b'], validation: ['ok'], estimatedMinutes: 5 + (i % 40), lastReviewed: '2026-06-01' },
    });
  }
  return records;
}

function measure(name, records) {
  const times = [];
  let plan;
  let findings = 0;
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    const graph = buildServiceGraph(records);
    plan = computePlan(graph);
    const review = reviewReadiness({
      graph,
      plan,
      procedures: [],
      sessions: [],
      incidentRotations: [],
      lastSync: null,
      usesCatalogs: false,
      now: new Date('2026-11-25T00:00:00Z'),
    });
    times.push(performance.now() - started);
    findings = review.services.reduce((n, s) => n + s.findings.length, 0);
  }
  times.sort((a, b) => a - b);
  const p = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  const groups = plan.groups;
  return {
    name,
    waves: plan.waves.length,
    groups: groups.length,
    inGroups: groups.reduce((n, g) => n + g.services.length, 0),
    largestGroup: groups.reduce((n, g) => Math.max(n, g.services.length), 0),
    cyclesCounted: groups.reduce((n, g) => n + g.cycleCount, 0),
    findings,
    p50Ms: Math.round(p(0.5)),
    p95Ms: Math.round(p(0.95)),
  };
}

const scenarios = [measure('dag', generate(0)), measure('cycles', generate(1 / 8))];
const ok = scenarios.every((s) => s.p95Ms < BUDGET_P95_MS);
const result = { services: SERVICES, runs: RUNS, budgetP95Ms: BUDGET_P95_MS, scenarios };
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/recovery.json', `${JSON.stringify(result, null, 2)}\n`);
const verdict = (s) => (s.p95Ms < BUDGET_P95_MS ? 'ok' : 'BROKEN');
writeFileSync(
  'bench/results/recovery.md',
  [
    '| graph | services | waves | groups (services in them, largest) | cycles counted | findings | p50 | p95 | budget (p95) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...scenarios.map(
      (s) =>
        `| ${s.name} | ${SERVICES} | ${s.waves} | ${s.groups} (${s.inGroups}, ${s.largestGroup}) | ${s.cyclesCounted} | ${s.findings} | ${s.p50Ms} ms | ${s.p95Ms} ms | < ${BUDGET_P95_MS} ms ${verdict(s)} |`,
    ),
    '',
  ].join('\n'),
);
for (const s of scenarios) {
  process.stdout.write(
    `graph + plan + readiness over ${SERVICES} services, ${s.name} (${s.waves} waves, ${s.groups} groups holding ${s.inGroups} services, largest ${s.largestGroup}, ${s.cyclesCounted} cycles counted, ${s.findings} findings): p50 ${s.p50Ms} ms, p95 ${s.p95Ms} ms (budget < ${BUDGET_P95_MS} ms) ${verdict(s)}\n`,
  );
}
process.exit(ok ? 0 : 1);
