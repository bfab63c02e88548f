// Bundles the `lifeboat` command into dist/cli/ after tsc has compiled it to
// dist/node/ (`npm run build:node` runs both). Issue #20: a one-shot
// `lifeboat search` spent ~0.2 s of CPU resolving, reading and linking some
// 70 ES modules (ours and npm's; for CommonJS packages such as sql.js Node
// also scans the whole source for its exports) where one bundle loads in a
// third of that. Node 20 has no compile cache for ES modules.
//
// - Every verb stays a chunk of its own (run-cli imports a verb when it
//   runs: cli/verbs.ts), chunks beside the entry.
// - The engine's worker threads are entries too, under the names workerUrl()
//   (vault/worker-once.ts) looks for beside the module that starts them, so
//   they are found beside the chunks. The Argon2id worker needs no file: it
//   loads libsodium from node_modules.
// - playwright-core (Chromium for PDFs) stays in node_modules: it finds its
//   own files at run time.
// The unbundled dist/node/ stays what Electron, the browser host and the
// tests' own imports use; the layering the lint and test/architecture check
// is the source's, which bundling does not change.
import { readFileSync, rmSync } from 'node:fs';
import { rolldown } from 'rolldown';

const OUT = 'dist/cli';
const ENTRY = 'lifeboat';

rmSync(OUT, { recursive: true, force: true });
const bundle = await rolldown({
  input: {
    [ENTRY]: 'dist/node/electron/cli/main.js',
    'audit-signature-worker': 'dist/node/electron/vault/audit/audit-signature-worker.js',
    'catalog-inflate-worker': 'dist/node/electron/catalog/catalog-inflate-worker.js',
  },
  platform: 'node',
  external: [/^node:/, /^playwright-core(\/|$)/, /^electron(\/|$)/],
  // sql.js, CommonJS, reads __dirname (unused here: sqlite-runtime.ts hands it its WebAssembly).
  transform: { define: { __dirname: 'import.meta.dirname', __filename: 'import.meta.filename' } },
  logLevel: 'warn',
});
await bundle.write({ dir: OUT, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', sourcemap: false });
await bundle.close();
if (!readFileSync(`${OUT}/${ENTRY}.js`, 'utf8').startsWith('#!/usr/bin/env node')) {
  throw new Error(`${OUT}/${ENTRY}.js lost its #! line: npm would not run it as a command`);
}
