// Builds the scale vaults in a separate process, so that on a two-core
// machine the main process can prepare the catalog and the audit log at the
// same time. Nothing is measured while this runs (only setup overlaps).
//   node bench/lib/build-child.mjs SIZE:DIR [SIZE:DIR…]
// Prints one JSON line per vault: { records, dir, createMs, addMs, lockMs }.
import { loadCorpus, makeRecords } from './corpus.mjs';
import { buildVault } from './vault-gen.mjs';

const corpus = loadCorpus();
for (const arg of process.argv.slice(2)) {
  const at = arg.indexOf(':');
  const records = Number(arg.slice(0, at));
  const dir = arg.slice(at + 1);
  const { createMs, addMs, lockMs } = await buildVault(dir, makeRecords(corpus, records));
  process.stdout.write(`${JSON.stringify({ records, dir, createMs, addMs, lockMs })}\n`);
}
