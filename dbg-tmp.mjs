import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { RecordStore } from './dist/node/electron/vault/records/record-store.js';
const store = await RecordStore.open(new Uint8Array(readFileSync('/tmp/prof/db10k.sqlite')));
for (const [lo, hi] of [['p', 'q'], ['s', 't'], ['a', 'b'], ['x','y'], ['a', '~']]) {
  const t = performance.now(); const [r] = store.db.exec("SELECT term, documents FROM record_search_terms WHERE col = '*' AND term >= ? AND term < ? AND length(term) >= 3", [lo, hi]); console.log(lo, r?.values.length, (performance.now() - t).toFixed(1));
}
const [e] = store.db.exec("EXPLAIN QUERY PLAN SELECT term, documents FROM record_search_terms WHERE col = '*' AND term >= 'p' AND term < 'q'"); console.log(e.values);
