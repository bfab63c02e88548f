// Relevance: does search put the right document first? (issue 16)
// Builds an in-memory vault database from the vendored public fixtures
// (GOV.UK manual, prometheus-operator runbooks, two Backstage catalogs), each
// record with the catalog reference a sync gives it (catalog id, file path,
// version), and runs the fixed query set of bench/relevance-queries.json,
// written before the engine was tuned. Prints top-1, top-3 and MRR (over the
// first 10 hits) and every miss. Run after `npm run build:node`:
//   node bench/relevance.bench.mjs [--label before|after]
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCatalogContent } from '../dist/node/electron/catalog/catalog-content.js';
import { RecordStore } from '../dist/node/electron/vault/records/record-store.js';

const BUDGET_TOP1 = 0.85;
const BUDGET_TOP3 = 0.95;
const FIXTURES = 'test/fixtures';
const SOURCES = [
  ['govuk-developer-docs/manual', 'govuk/', 'govuk-manual'],
  ['prometheus-operator-runbooks/runbooks', 'prom/', 'prometheus-runbooks'],
  ['backstage-catalogs/janus-idp', 'janus/', 'janus-idp'],
  ['backstage-catalogs/backstage-examples', 'examples/', 'backstage-examples'],
];
const label = process.argv.includes('--label') ? process.argv[process.argv.indexOf('--label') + 1] : 'current';

function readTree(dir, prefix, files) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      readTree(path, `${prefix}${entry.name}/`, files);
    } else if (/\.(md|ya?ml)$/.test(entry.name)) {
      files.set(`${prefix}${entry.name}`, new Uint8Array(readFileSync(path)));
    }
  }
  return files;
}

const store = await RecordStore.open();
const now = new Date().toISOString();
const fileOf = new Map();
let n = 0;
for (const [dir, prefix, catalogId] of SOURCES) {
  const files = readTree(join(FIXTURES, dir), '', new Map());
  const { entries } = parseCatalogContent(files);
  for (const entry of entries) {
    const id = `r-${(n += 1)}`;
    fileOf.set(id, `${prefix}${entry.file}`);
    const catalogRef = { catalogId, key: entry.key, file: entry.file, catalogVersion: 1, syncedRevision: 1, entryHash: 'bench' };
    store.put(
      {
        id,
        type: entry.type,
        title: entry.title,
        data: { ...entry.data, catalogRef },
        revision: 1,
        createdAt: now,
        createdBy: 'bench',
        updatedAt: now,
        updatedBy: 'bench',
        deleted: false,
      },
      'created',
      [],
    );
  }
}

const { queries } = JSON.parse(readFileSync('bench/relevance-queries.json', 'utf8'));
const rows = [];
for (const { q, kind, expect } of queries) {
  const result = store.search(q, { limit: 10 });
  const hits = Array.isArray(result) ? result : result.hits;
  const files = hits.map((h) => fileOf.get(h.id));
  const rank = files.findIndex((f) => expect.includes(f)) + 1;
  rows.push({ q, kind, rank, corrected: Array.isArray(result) ? null : result.corrected, top: files.slice(0, 3) });
}
const share = (ok) => rows.filter(ok).length / rows.length;
const summary = {
  bench: 'relevance',
  label,
  records: n,
  queries: rows.length,
  top1: Number(share((r) => r.rank === 1).toFixed(3)),
  top3: Number(share((r) => r.rank >= 1 && r.rank <= 3).toFixed(3)),
  mrr: Number((rows.reduce((s, r) => s + (r.rank > 0 ? 1 / r.rank : 0), 0) / rows.length).toFixed(3)),
  notFound: rows.filter((r) => r.rank === 0).length,
  budget: { top1: BUDGET_TOP1, top3: BUDGET_TOP3 },
  at: new Date().toISOString(),
};
summary.withinBudget = summary.top1 >= BUDGET_TOP1 && summary.top3 >= BUDGET_TOP3;
mkdirSync('bench/results', { recursive: true });
writeFileSync(`bench/results/relevance-${label}.json`, `${JSON.stringify({ ...summary, rows }, null, 2)}\n`);
const pct = (x) => `${(x * 100).toFixed(1)} %`;
writeFileSync(
  `bench/results/relevance-${label}.md`,
  [
    `Relevance (${label}): ${rows.length} queries over ${n} records of the vendored fixtures.`,
    '',
    '| top-1 | top-3 | MRR | not in top 10 | budget | ok |',
    '|---|---|---|---|---|---|',
    `| ${pct(summary.top1)} | ${pct(summary.top3)} | ${summary.mrr} | ${summary.notFound} | top-1 ≥ 85 %, top-3 ≥ 95 % | ${summary.withinBudget ? 'yes' : 'NO'} |`,
    '',
    '| query | kind | rank | corrected | first hit |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.q} | ${r.kind} | ${r.rank || '–'} | ${r.corrected ?? ''} | ${r.top[0] ?? ''} |`),
    '',
  ].join('\n'),
);
for (const r of rows.filter((row) => row.rank !== 1)) {
  process.stdout.write(`  rank ${r.rank || '–'}  ${r.q}  →  ${r.top.join(', ')}\n`);
}
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
store.close();
process.exitCode = summary.withinBudget ? 0 : 1;
