import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { RecordStore } from './dist/node/electron/vault/records/record-store.js';
const store = await RecordStore.open(new Uint8Array(readFileSync('/tmp/prof/db10k.sqlite')));
const queries = JSON.parse(readFileSync('/tmp/prof/queries.json', 'utf8'));
for (const q of queries.slice(0, 20)) store.search(q);
const times = [];
for (let rep = 0; rep < (Number(process.env.REPS) || 1); rep++) for (const q of queries) { const t = performance.now(); store.search(q); times.push(performance.now() - t); }
times.sort((a, b) => a - b);
console.log('p50', times[Math.floor(times.length * 0.5)].toFixed(2), 'p95', times[Math.floor(times.length * 0.95)].toFixed(2), 'max', times.at(-1).toFixed(2));
const per = [];
for (const q of queries) { const t = performance.now(); const r = store.search(q); per.push([performance.now() - t, q, r.hits.length, r.corrected]); }
per.sort((a, b) => b[0] - a[0]); console.log(per.slice(0, 12).map(p => `${p[0].toFixed(1)} ${JSON.stringify(p[1])} ${p[2]} ${p[3]}`).join('\n'));
