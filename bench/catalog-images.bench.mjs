// What carrying runbook images costs a sync (issue 17, "Images"): the same
// signed catalog of 5,000 runbooks from the vendored corpus, packed twice,
// once as text only and once with one page in IMAGE_EVERY showing a PNG of
// IMAGE_KIB KiB (incompressible, as a real PNG is), each synced into a fresh
// fast-KDF vault, alternating, RUNS times each. Reports the .lbcat sizes, the
// medians, and what the images cost.
//
// The budget: a sync no more than 10 % slower than before, in the same
// run. With `--before DIR`, DIR is a checkout of an earlier commit built with
// `npx tsc -p tsconfig.build.json` (its dist/node); its syncCatalog syncs the
// same text-only catalog in the same alternation, and the budget is enforced
// on text only (this build ÷ that one). Without it, the figures are printed and
// no budget is checked.
//
//   npm run build:node && node bench/catalog-images.bench.mjs [--before DIR] [--quick]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createVault } from '../dist/node/electron/vault/vault-open.js';
import { loadCorpus, catalogFolderFiles } from './lib/corpus.mjs';
import { makePublisher, trust, writeCatalogFolder, CATALOG_ID } from './lib/catalog-gen.mjs';
import { packCatalog } from '../dist/node/electron/catalog/catalog-manifest.js';
import { syncCatalog } from '../dist/node/electron/catalog/catalog-sync.js';
import { mulberry32 } from '../test/support/seeded-random.mjs';

const QUICK = process.argv.includes('--quick');
const BEFORE = process.argv.includes('--before') ? process.argv[process.argv.indexOf('--before') + 1] : undefined;
const RUNBOOKS = QUICK ? 1_000 : 5_000;
const RUNS = QUICK ? 1 : 3;
const IMAGE_EVERY = 20;
const IMAGE_KIB = 60;
const BUDGET_RATIO = 1.1;

const work = mkdtempSync(join(tmpdir(), 'lifeboat-images-bench-'));
const ms = (x) => Number(x.toFixed(0));
const mib = (bytes) => Number((bytes / 1024 / 1024).toFixed(2));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A file with a PNG's signature and incompressible bytes: a sync checks the signature, never decodes. */
function pngOfSize(bytes, seed) {
  const random = mulberry32(seed);
  const out = new Uint8Array(bytes);
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  for (let i = 8; i < bytes; i += 1) {
    out[i] = Math.floor(random() * 256);
  }
  return out;
}

async function packed(withImages, keyPath) {
  const corpus = loadCorpus();
  const files = catalogFolderFiles(corpus, RUNBOOKS);
  let images = 0;
  if (withImages) {
    let i = 0;
    for (const [path, text] of files) {
      if (i % IMAGE_EVERY === 0) {
        const depth = path.split('/').length - 1;
        files.set(path, `${text}\n\n![The service's recovery diagram](${'../'.repeat(depth)}img/diagram-${i}.png)\n`);
        images += 1;
      }
      i += 1;
    }
  }
  const src = join(work, withImages ? 'with-images' : 'text-only');
  writeCatalogFolder(src, files);
  if (withImages) {
    mkdirSync(join(src, 'img'), { recursive: true });
    for (let i = 0; i < RUNBOOKS; i += IMAGE_EVERY) {
      writeFileSync(join(src, `img/diagram-${i}.png`), pngOfSize(IMAGE_KIB * 1024, i + 1));
    }
  }
  const result = await packCatalog({ srcDir: src, keyPath, catalogVersion: 1, catalogId: CATALOG_ID, publisherName: 'Bench publisher' });
  return { bytes: result.bytes, images, warnings: result.warnings.length };
}

const thisBuild = { createVault, syncCatalog, trust };

/** The earlier build's own engine, for the same sync in the same run. */
async function beforeBuild(dir) {
  const dist = join(resolve(dir), 'dist/node/electron');
  const open = await import(pathToFileURL(join(dist, 'vault/vault-open.js')).href);
  const sync = await import(pathToFileURL(join(dist, 'catalog/catalog-sync.js')).href);
  const trusting = await import(pathToFileURL(join(dist, 'catalog/catalog-trust.js')).href);
  const keys = await import(pathToFileURL(join(dist, 'catalog/publisher-key.js')).href);
  return {
    createVault: open.createVault,
    syncCatalog: sync.syncCatalog,
    trust: (session, key) => trusting.trustPublisher(session, { name: 'Bench publisher', keyId: key.keyId, publicKey: keys.encodeBase64(key.publicKey) }),
  };
}

async function timedSync(build, catalog, key, n) {
  const dir = join(work, `vault-${n}`);
  const session = await build.createVault(dir, { owner: 'alice', passphrase: 'bench correct horse battery staple', insecureFastKdf: true, name: 'Bench' });
  await build.trust(session, key);
  const t0 = performance.now();
  const report = await build.syncCatalog(session, { kind: 'signed', bytes: catalog.bytes, label: 'bench.lbcat' });
  const totalMs = performance.now() - t0;
  await session.lock();
  rmSync(dir, { recursive: true, force: true });
  return { totalMs, added: report.diff.added.length, images: report.images?.added.length ?? 0, imageBytes: report.images?.bytes ?? 0 };
}

try {
  const { key, keyPath } = await makePublisher(work);
  const text = await packed(false, keyPath);
  const images = await packed(true, keyPath);
  const before = BEFORE ? await beforeBuild(BEFORE) : undefined;
  const runs = { before: [], text: [], images: [] };
  let n = 0;
  let carried = { images: 0, imageBytes: 0 };
  for (let r = 0; r < RUNS; r += 1) {
    if (before) {
      runs.before.push((await timedSync(before, text, key, (n += 1))).totalMs);
    }
    runs.text.push((await timedSync(thisBuild, text, key, (n += 1))).totalMs);
    const withImages = await timedSync(thisBuild, images, key, (n += 1));
    carried = withImages;
    runs.images.push(withImages.totalMs);
  }
  const imagesRatio = median(runs.images) / median(runs.text);
  const result = {
    runbooks: RUNBOOKS,
    runs: RUNS,
    ...(before ? { before: { build: BEFORE, syncMedianMs: ms(median(runs.before)), syncMs: runs.before.map(ms) } } : {}),
    textOnly: { lbcatMiB: mib(text.bytes.length), syncMedianMs: ms(median(runs.text)), syncMs: runs.text.map(ms) },
    withImages: {
      images: carried.images,
      imageMiB: mib(carried.imageBytes),
      lbcatMiB: mib(images.bytes.length),
      syncMedianMs: ms(median(runs.images)),
      syncMs: runs.images.map(ms),
      ratioToText: Number(imagesRatio.toFixed(3)),
      msPerImageMiB: ms((median(runs.images) - median(runs.text)) / (carried.imageBytes / 1024 / 1024)),
    },
  };
  if (before) {
    result.textRatioToBefore = Number((median(runs.text) / median(runs.before)).toFixed(3));
    result.budget = `text-only sync ≤ ${BUDGET_RATIO}× the earlier build's`;
    result.ok = result.textRatioToBefore <= BUDGET_RATIO;
  }
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (!QUICK) {
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/catalog-images.json', `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(
      'bench/results/catalog-images.md',
      [
        `# Sync with images (issue 17), ${RUNBOOKS.toLocaleString('en')} runbooks, median of ${RUNS} alternating runs`,
        '',
        '| catalog, build | .lbcat | sync (median) | runs |',
        '|---|---|---|---|',
        ...(result.before
          ? [
              `| text only, earlier build (${BEFORE}) | ${result.textOnly.lbcatMiB} MiB | ${result.before.syncMedianMs} ms | ${result.before.syncMs.join(', ')} |`,
            ]
          : []),
        `| text only, this build | ${result.textOnly.lbcatMiB} MiB | ${result.textOnly.syncMedianMs} ms | ${result.textOnly.syncMs.join(', ')} |`,
        `| with ${result.withImages.images} images of ${IMAGE_KIB} KiB (${result.withImages.imageMiB} MiB), this build | ${result.withImages.lbcatMiB} MiB | ${result.withImages.syncMedianMs} ms | ${result.withImages.syncMs.join(', ')} |`,
        '',
        result.before
          ? `Text-only sync, this build ÷ the earlier one: ${result.textRatioToBefore}× (budget ${result.budget}): ${result.ok ? 'within' : 'OVER'}.`
          : 'No earlier build given (--before): no budget checked.',
        `Images cost ${result.withImages.ratioToText}× the text-only sync, ${result.withImages.msPerImageMiB} ms per MiB of images.`,
        '',
      ].join('\n'),
    );
  }
  process.exitCode = result.ok === false && !QUICK ? 1 : 0;
} finally {
  rmSync(work, { recursive: true, force: true });
}
