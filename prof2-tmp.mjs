import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { RecordStore } from './dist/node/electron/vault/records/record-store.js';
const store = await RecordStore.open(new Uint8Array(readFileSync('/tmp/prof/db10k.sqlite')));
const db = store.db; const orig = db.exec.bind(db); let log = [];
db.exec = (sql, params) => { const t = performance.now(); const r = orig(sql, params); log.push(`${sql.trim().slice(0, 30).replace(/\s+/g, ' ')} [${params?.[0]}] rows=${r[0]?.values.length ?? 0} ${(performance.now() - t).toFixed(1)}ms`); return r; };
for (const q of process.argv.slice(2)) { for (let i = 0; i < 2; i++) { log = []; const t = performance.now(); store.search(q); console.log(q, (performance.now() - t).toFixed(1)); } console.log(log.join('\n')); }
