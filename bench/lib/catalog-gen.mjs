// A signed catalog of N runbooks, packed and signed with the real
// electron/catalog code (the publisher's side), and a timed sync of it into
// a vault (the vault's side: verify, parse, diff, apply, save).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { packCatalog } from '../../dist/node/electron/catalog/catalog-manifest.js';
import { syncCatalog } from '../../dist/node/electron/catalog/catalog-sync.js';
import { trustPublisher } from '../../dist/node/electron/catalog/catalog-trust.js';
import { encodeBase64, generatePublisherKey, writePublisherKey } from '../../dist/node/electron/catalog/publisher-key.js';
import { catalogFolderFiles } from './corpus.mjs';

export const CATALOG_ID = 'bench-runbooks';

/** Writes the docs-as-code folder; returns its file count and bytes. */
export function writeCatalogFolder(dir, files) {
  rmSync(dir, { recursive: true, force: true });
  let bytes = 0;
  for (const [path, text] of files) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    bytes += Buffer.byteLength(text);
  }
  return { files: files.size, bytes };
}

/** A publisher key on disk (what `lifeboat catalog keygen` writes). */
export async function makePublisher(workDir) {
  const key = await generatePublisherKey('Bench publisher');
  const keyPath = join(workDir, 'publisher.key');
  rmSync(keyPath, { force: true });
  await writePublisherKey(keyPath, key);
  return { key, keyPath };
}

/** Packs and signs version `version` of the catalog folder; returns bytes and timings. */
export async function packVersion(corpus, workDir, keyPath, count, version, changeEvery = 0) {
  const src = join(workDir, `catalog-v${version}`);
  const files = catalogFolderFiles(corpus, count, { version, changeEvery });
  const { bytes: textBytes, files: fileCount } = writeCatalogFolder(src, files);
  const t0 = performance.now();
  const packed = await packCatalog({ srcDir: src, keyPath, catalogVersion: version, catalogId: CATALOG_ID, publisherName: 'Bench publisher' });
  return { files, fileCount, textBytes, packMs: performance.now() - t0, lbcatBytes: packed.bytes.length, bytes: packed.bytes, src };
}

export async function trust(session, key) {
  await trustPublisher(session, { name: 'Bench publisher', keyId: key.keyId, publicKey: encodeBase64(key.publicKey) });
}

/**
 * syncCatalog of a signed .lbcat, timed, with the time between its progress
 * labels (read + check, signature, parse, diff, apply) and the final save.
 */
export async function timedSync(session, bytes, label) {
  const marks = [];
  const ticks = [];
  // Garbage collection inside the sync (V8's own gc entries): part of where the time goes.
  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    gcMs += list.getEntries().reduce((sum, e) => sum + e.duration, 0);
  });
  gc.observe({ entryTypes: ['gc'] });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let lastLabel = 'start';
  let lastAt = t0;
  const report = await syncCatalog(
    session,
    { kind: 'signed', bytes, label },
    {
      progress: (done, total, reported) => {
        // The apply reports "Applied N of M changes" every 50 records (issue 19's progress); one phase here.
        const applying = reported.startsWith('Applied ');
        const label = applying ? 'Applying changes' : reported;
        if (applying) {
          ticks.push({ done, at: performance.now() });
        }
        // The last apply tick is the end of the transaction: the rest is the snapshot.
        const what = applying && total > 0 && done === total ? 'Saving the snapshot' : label;
        if (what !== lastLabel) {
          const now = performance.now();
          marks.push({ phase: lastLabel, ms: now - lastAt });
          lastLabel = what;
          lastAt = now;
        }
      },
    },
  );
  const totalMs = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  gcMs += gc.takeRecords().reduce((sum, e) => sum + e.duration, 0);
  gc.disconnect();
  marks.push({ phase: lastLabel, ms: performance.now() - lastAt });
  const phases = Object.fromEntries(marks.filter((m) => m.phase !== 'start' && m.phase !== 'Done').map((m) => [m.phase, m.ms]));
  const d = report.diff;
  // applyDiff reports every 50 records: the cost per record early and late in the
  // transaction shows whether it grows with what is already stored.
  const rate = (from, to) => (from && to && to.done > from.done ? Number(((to.at - from.at) / (to.done - from.done)).toFixed(3)) : null);
  const fifth = Math.floor(ticks.length / 5);
  const applyMsPerRecord =
    ticks.length >= 10 ? { firstFifth: rate(ticks[0], ticks[fifth]), lastFifth: rate(ticks[ticks.length - 1 - fifth], ticks.at(-1)) } : null;
  return {
    totalMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    gcMs: Number(gcMs.toFixed(1)),
    phases,
    applyMsPerRecord,
    added: d.added.length,
    changed: d.changed.length,
    unchanged: d.unchanged,
    removed: d.removed.length,
    conflicts: d.conflicts.length,
  };
}
