/**
 * The runbooks of a catalog are inflated in a worker thread (issue 15): the
 * main thread (Electron's main process, which answers the window) keeps
 * running meanwhile, the worker holds every entry to the limits itself, and
 * a worker that fails is a typed error, never a hang or a crash.
 */
import { statSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateSync, strToU8 } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { LifeboatError } from '../../shared/errors.js';
import { mulberry32 } from '../../test/support/seeded-random.mjs';
import { CATALOG_LIMITS, openCatalogArchive } from './catalog-archive.js';
import { inflateInWorker, inflateWorkerRuns, inflateWorkerUrl, setInflateWorkerUrlForTests, type CompressedEntry } from './catalog-inflate-runner.js';
import { crc32, encodeZip, METHOD_DEFLATE } from './zip-format.js';

const MiB = 1024 * 1024;
const FILE_ATTRS = (0o100644 * 0x10000) >>> 0;

afterEach(() => {
  setInflateWorkerUrlForTests(null);
});

/** `bytes` of seeded words: compresses a few to one, like real runbooks. */
function prose(bytes: number, seed = 7): Uint8Array {
  const random = mulberry32(seed);
  const words = ['drain', 'node', 'restore', 'replica', 'from', 'backup', 'then', 'verify', 'checksum', 'and', 'page', 'oncall'];
  const parts: string[] = [];
  let length = 0;
  while (length < bytes) {
    const word = `${words[Math.floor(random() * words.length)] ?? 'x'} `;
    parts.push(word);
    length += word.length;
  }
  return strToU8(parts.join('').slice(0, bytes));
}

function deflated(content: Uint8Array, over: Partial<CompressedEntry> = {}): CompressedEntry {
  return { data: deflateSync(content, { level: 1 }), method: METHOD_DEFLATE, size: content.length, crc32: crc32(content), ...over };
}

/** Runs `work` while a 1 ms timer ticks; how many times the main thread got to run it meanwhile. */
async function ticksDuring(work: () => Promise<unknown>): Promise<number> {
  let ticks = 0;
  const timer = setInterval(() => {
    ticks += 1;
  }, 1);
  try {
    // Let the timer start before the work.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const before = ticks;
    await work();
    return ticks - before;
  } finally {
    clearInterval(timer);
  }
}

describe('the inflate worker', () => {
  it('inflates a catalog’s runbooks while the main thread keeps running (in this thread, it could not)', async () => {
    const content = prose(5 * MiB);
    const one = deflated(content);
    const names = Array.from({ length: 12 }, (_, i) => `runbooks/rb-${i}.md`);
    const bytes = encodeZip(
      names.map((name) => ({ nameBytes: strToU8(name), method: METHOD_DEFLATE, data: one.data, crc32: one.crc32, size: one.size, externalAttrs: FILE_ATTRS })),
    );
    const archive = openCatalogArchive(bytes);

    // The measure works: inflating the same files in this thread lets the timer run not once.
    expect(await ticksDuring(() => Promise.resolve(names.map((name) => archive.read(name))))).toBe(0);

    const runs = inflateWorkerRuns();
    let files = new Map<string, Uint8Array>();
    const ticks = await ticksDuring(async () => {
      files = await archive.inflate(names);
    });
    expect(inflateWorkerRuns()).toBe(runs + 1);
    expect(ticks).toBeGreaterThan(10);
    expect([...files.keys()]).toEqual(names);
    expect(Buffer.from(files.get('runbooks/rb-11.md') ?? []).equals(Buffer.from(content))).toBe(true);
  });

  it('holds entries to the limits itself, whatever it is sent', async () => {
    const limits = { fileBytes: 1000, totalBytes: 1500 };
    const small = prose(800);
    // Main's checks are not there to save it: declared sizes past the limits are refused before any allocation.
    expect(await inflateInWorker([deflated(prose(2000))], limits)).toEqual({
      kind: 'refused',
      index: 0,
      why: 'it is 2000 bytes, over the 1000 bytes per-file limit',
    });
    expect(await inflateInWorker([deflated(small), deflated(small)], limits)).toEqual({
      kind: 'refused',
      index: 1,
      why: 'it brings the catalog to 1600 bytes, over the 1500 bytes total limit',
    });
    // An entry that lies about its size is stopped where its declared size ends.
    const zeros = new Uint8Array(50 * MiB);
    const bomb = { data: deflateSync(zeros, { level: 9 }), method: METHOD_DEFLATE, size: 1000, crc32: crc32(zeros) };
    expect(await inflateInWorker([deflated(small), bomb], CATALOG_LIMITS)).toEqual({
      kind: 'refused',
      index: 1,
      why: 'it inflates to more than the 1000 bytes it declares',
    });
    expect(await inflateInWorker([deflated(small, { crc32: 1 })], CATALOG_LIMITS)).toEqual({
      kind: 'refused',
      index: 0,
      why: 'it fails its CRC-32 check (the archive is damaged)',
    });
  });

  it('names the entry a refusal came from, with the same code and sentence as in this thread', async () => {
    const content = prose(3000);
    const bytes = encodeZip([
      {
        nameBytes: strToU8('ok.md'),
        method: METHOD_DEFLATE,
        data: deflateSync(content),
        crc32: crc32(content),
        size: content.length,
        externalAttrs: FILE_ATTRS,
      },
      { nameBytes: strToU8('short.md'), method: METHOD_DEFLATE, data: deflateSync(content), crc32: crc32(content), size: 4000, externalAttrs: FILE_ATTRS },
    ]);
    const archive = openCatalogArchive(bytes, CATALOG_LIMITS, 'ops.lbcat');
    const inThread = (() => {
      try {
        archive.read('short.md');
      } catch (error) {
        return error;
      }
      return null;
    })();
    const inWorker = await archive.inflate(['ok.md', 'short.md']).catch((error: unknown) => error);
    expect(inWorker).toBeInstanceOf(LifeboatError);
    expect(inThread).toBeInstanceOf(LifeboatError);
    expect((inWorker as LifeboatError).code).toBe('VAULT_BAD_INPUT');
    expect((inWorker as LifeboatError).message).toBe('ops.lbcat: short.md: it inflates to 3000 bytes, not the 4000 it declares');
    expect((inWorker as LifeboatError).message).toBe((inThread as LifeboatError).message);
  });

  it('a worker that cannot start, or stops without answering, is ENGINE_UNAVAILABLE', async () => {
    const entries = [deflated(prose(100))];
    setInflateWorkerUrlForTests(pathToFileURL(join(tmpdir(), 'no-such-lifeboat-worker.js')));
    await expect(inflateInWorker(entries, CATALOG_LIMITS)).rejects.toMatchObject({
      code: 'ENGINE_UNAVAILABLE',
      message: expect.stringContaining('Nothing was changed') as unknown,
    });
    const quitter = join(mkdtempSync(join(tmpdir(), 'lb-worker-')), 'quitter.mjs');
    writeFileSync(quitter, 'process.exit(3);\n');
    setInflateWorkerUrlForTests(pathToFileURL(quitter));
    await expect(inflateInWorker(entries, CATALOG_LIMITS)).rejects.toMatchObject({ code: 'ENGINE_UNAVAILABLE' });
  });

  it('tests run the compiled worker: it is not older than its sources (else run npm run build:node)', () => {
    const compiled = fileURLToPath(inflateWorkerUrl());
    const built = Math.min(statSync(compiled).mtimeMs, statSync(join(compiled, '..', 'catalog-inflate.js')).mtimeMs);
    for (const source of ['catalog-inflate-worker.ts', 'catalog-inflate.ts', 'zip-format.ts']) {
      expect(statSync(join(import.meta.dirname, source)).mtimeMs, `${source} changed after the last build`).toBeLessThanOrEqual(built);
    }
  });
});
