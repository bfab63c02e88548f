import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync, strToU8, zipSync } from 'fflate';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LifeboatError, type ErrorCode } from '../../shared/errors.js';
import { CATALOG_LIMITS, readCatalogArchive, writeCatalogArchive, type CatalogFile } from './catalog-archive.js';
import { crc32, encodeZip, METHOD_DEFLATE, METHOD_STORED, type ZipWriteEntry } from './zip-format.js';

const MiB = 1024 * 1024;
const RUNBOOKS = join(process.cwd(), 'test/fixtures/prometheus-operator-runbooks/runbooks');
const FILE_ATTRS = (0o100644 * 0x10000) >>> 0;

/** A deflated entry; `over` lets a test make it lie. */
function entry(name: string | Uint8Array, content: Uint8Array, over: Partial<ZipWriteEntry> = {}): ZipWriteEntry {
  return {
    nameBytes: typeof name === 'string' ? strToU8(name) : name,
    method: METHOD_DEFLATE,
    data: deflateSync(content),
    crc32: crc32(content),
    size: content.length,
    externalAttrs: FILE_ATTRS,
    ...over,
  };
}

function refusal(run: () => unknown): LifeboatError {
  try {
    run();
  } catch (error) {
    if (error instanceof LifeboatError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a refusal, but it was accepted');
}

function expectRefused(run: () => unknown, code: ErrorCode, ...parts: string[]): LifeboatError {
  const error = refusal(run);
  expect(error.code).toBe(code);
  for (const part of parts) {
    expect(error.message).toContain(part);
  }
  return error;
}

/**
 * A raw deflate stream crafted by hand: one fixed-Huffman block holding a
 * literal 0 and then `copies` × <length 258, distance 1>, 13 bits each.
 * It inflates to 1 + 258 × copies zero bytes (~159:1), so a 2 GiB bomb costs
 * ~13 MB to build — cheap here, ruinous for a reader that inflates it whole.
 */
function fixedHuffmanBomb(copies: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((11 + 13 * copies + 7) / 8) + 1);
  let acc = 0;
  let bits = 0;
  let at = 0;
  const put = (value: number, count: number): void => {
    acc |= value << bits;
    bits += count;
    while (bits >= 8) {
      out[at++] = acc & 0xff;
      acc >>>= 8;
      bits -= 8;
    }
  };
  // Huffman codes go most significant bit first: reversed before packing.
  const reversed = (code: number, length: number): number => {
    let r = 0;
    for (let i = 0; i < length; i += 1) {
      r = (r << 1) | ((code >> i) & 1);
    }
    return r;
  };
  const literalZero = reversed(0b00110000, 8);
  const length258 = reversed(0b11000101, 8);
  put(1, 1); // BFINAL
  put(1, 2); // BTYPE 01: fixed Huffman
  put(literalZero, 8);
  for (let i = 0; i < copies; i += 1) {
    put(length258, 8);
    put(0, 5); // distance code 0: distance 1
  }
  put(0, 7); // end of block (code 256)
  if (bits > 0) {
    out[at++] = acc & 0xff;
  }
  return out.subarray(0, at);
}

let fiftyMiB: Pick<ZipWriteEntry, 'data' | 'size' | 'crc32'> | undefined;

/** 50 MiB of zeros deflated by fflate (~50 KiB), built once. */
function fiftyMiBOfZeros(): Pick<ZipWriteEntry, 'data' | 'size' | 'crc32'> {
  if (!fiftyMiB) {
    const zeros = new Uint8Array(50 * MiB);
    fiftyMiB = { data: deflateSync(zeros, { level: 9 }), size: zeros.length, crc32: crc32(zeros) };
  }
  return fiftyMiB;
}

function memoryInUse(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('writeCatalogArchive / readCatalogArchive', () => {
  it('round-trips files, folders, a non-ASCII name, an empty and an incompressible file', () => {
    const files: CatalogFile[] = [
      { path: 'runbooks/db/restore.md', bytes: strToU8('# Restore\n\nSteps.\n'.repeat(20)) },
      { path: 'catalog-info.yaml', bytes: strToU8('kind: Component\n') },
      { path: 'café/Übersicht.md', bytes: strToU8('ü') },
      { path: 'empty.md', bytes: new Uint8Array(0) },
    ];
    const read = readCatalogArchive(writeCatalogArchive(files));
    expect([...read.keys()].sort()).toEqual(files.map((f) => f.path).sort());
    for (const f of files) {
      expect(read.get(f.path)).toEqual(f.bytes);
    }
  });

  it('packs the same files to the same bytes whatever their order and the clock', () => {
    const files: CatalogFile[] = [
      { path: 'b.md', bytes: strToU8('B') },
      { path: 'a/z.yaml', bytes: strToU8('kind: Group\n') },
      { path: 'a.md', bytes: strToU8('A'.repeat(500)) },
    ];
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2001-02-03T04:05:06Z'));
    const first = writeCatalogArchive(files);
    vi.setSystemTime(new Date('2033-12-31T23:59:58Z'));
    const second = writeCatalogArchive([...files].reverse());
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    // Sorted by path in the archive.
    expect([...readCatalogArchive(first).keys()]).toEqual(['a.md', 'a/z.yaml', 'b.md']);
  });

  it('reads a zip written by another tool (fflate zipSync, with folder entries)', () => {
    const bytes = zipSync({ docs: { 'a.md': strToU8('# A\n'), deep: { 'b.yaml': strToU8('x: 1\n') } } });
    const read = readCatalogArchive(bytes);
    expect([...read.keys()].sort()).toEqual(['docs/a.md', 'docs/deep/b.yaml']);
    expect(new TextDecoder().decode(read.get('docs/a.md'))).toBe('# A\n');
  });

  it('accepts real text over 1 MiB: the ratio guard is not tripped by Markdown', async () => {
    const names = (await readdir(RUNBOOKS, { recursive: true })).filter((n) => n.endsWith('.md')).sort();
    const pages = await Promise.all(names.map((n) => readFile(join(RUNBOOKS, n))));
    const text = Buffer.concat(Array.from({ length: 20 }, () => Buffer.concat(pages))).subarray(0, 2 * MiB);
    const read = readCatalogArchive(writeCatalogArchive([{ path: 'all-runbooks.md', bytes: text }]));
    expect(read.get('all-runbooks.md')?.length).toBe(2 * MiB);
  });

  it('refuses to write a path the reader would refuse', () => {
    expectRefused(() => writeCatalogArchive([{ path: '../x.md', bytes: new Uint8Array(1) }]), 'VAULT_BAD_INPUT', 'catalog: ../x.md:');
  });
});

describe('readCatalogArchive refuses', () => {
  it.each(['../evil.md', '/abs.md', 'a/../../b.md', '..\\x', 'docs\\..\\..\\x.md', 'C:/windows.md', 'a//b.md', './a.md'])('the path %s', (path) => {
    const bytes = encodeZip([entry('ok.md', strToU8('fine')), entry(path, strToU8('evil'))]);
    expectRefused(() => readCatalogArchive(bytes), 'VAULT_BAD_INPUT', `catalog: ${path}: `);
  });

  it('a symbolic link entry', () => {
    const bytes = encodeZip([entry('link.md', strToU8('/etc/passwd'), { externalAttrs: (0o120777 * 0x10000) >>> 0 })]);
    expectRefused(() => readCatalogArchive(bytes), 'VAULT_BAD_INPUT', 'catalog: link.md: ', 'symbolic link');
  });

  it('a device or other special entry', () => {
    const bytes = encodeZip([entry('fifo.md', strToU8(''), { externalAttrs: (0o010644 * 0x10000) >>> 0 })]);
    expectRefused(() => readCatalogArchive(bytes), 'VAULT_BAD_INPUT', 'catalog: fifo.md: ', 'not a regular file');
  });

  it('duplicate paths', () => {
    const bytes = encodeZip([entry('dup.md', strToU8('one')), entry('dup.md', strToU8('two'))]);
    expectRefused(() => readCatalogArchive(bytes), 'VAULT_BAD_INPUT', 'catalog: dup.md: ', 'more than once');
  });

  it('a path that is both a file and a folder', () => {
    const bytes = encodeZip([entry('notes', strToU8('file')), entry('notes/a.md', strToU8('inside'))]);
    expectRefused(() => readCatalogArchive(bytes), 'VAULT_BAD_INPUT', 'catalog: notes/a.md: ', 'both a file and a folder');
  });

  it('a name that is not UTF-8', () => {
    const latin1 = Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x6d, 0x64]); // "café.md" in Latin-1
    const bytes = encodeZip([entry(latin1, strToU8('x'))]);
    expectRefused(() => readCatalogArchive(bytes), 'VAULT_BAD_INPUT', 'catalog: caf\uFFFD.md: ', 'not valid UTF-8');
  });

  it('too many entries, naming the first one over the limit', () => {
    const bytes = encodeZip(['a.md', 'b.md', 'c.md', 'd.md'].map((n) => entry(n, strToU8(n))));
    expect(readCatalogArchive(bytes, { ...CATALOG_LIMITS, entries: 4 }).size).toBe(4);
    expectRefused(() => readCatalogArchive(bytes, { ...CATALOG_LIMITS, entries: 3 }), 'VAULT_BAD_INPUT', 'catalog: d.md: ', 'over the limit of 3');
  });

  it('a file over the per-file limit', () => {
    const bytes = encodeZip([entry('small.md', new Uint8Array(10)), entry('big.md', new Uint8Array(101))]);
    expectRefused(() => readCatalogArchive(bytes, { ...CATALOG_LIMITS, fileBytes: 100 }), 'VAULT_BAD_INPUT', 'catalog: big.md: ', 'per-file limit');
  });

  it('files over the total limit, naming the one that crosses it', () => {
    const bytes = encodeZip([entry('one.md', new Uint8Array(60)), entry('two.md', new Uint8Array(60))]);
    expectRefused(() => readCatalogArchive(bytes, { ...CATALOG_LIMITS, totalBytes: 100 }), 'VAULT_BAD_INPUT', 'catalog: two.md: ', 'total limit');
  });

  it('a file over 1 MiB that compresses beyond 200:1', () => {
    const bytes = encodeZip([entry('zeros.md', new Uint8Array(2 * MiB))]);
    expectRefused(() => readCatalogArchive(bytes), 'VAULT_BAD_INPUT', 'catalog: zeros.md: ', 'over the 200:1 limit');
  });

  it('a 50 MiB zip bomb that declares its size, before inflating anything', () => {
    const bytes = encodeZip([{ ...entry('bomb.md', new Uint8Array(0)), ...fiftyMiBOfZeros() }]);
    expectRefused(() => readCatalogArchive(bytes), 'VAULT_BAD_INPUT', 'catalog: bomb.md: ', `it is ${50 * MiB} bytes, over the 5 MiB per-file limit`);
  });

  it('a 50 MiB zip bomb that lies about its size, as soon as it passes the lie', () => {
    const bytes = encodeZip([{ ...entry('bomb.md', new Uint8Array(0)), ...fiftyMiBOfZeros(), size: 1000 }]);
    expectRefused(() => readCatalogArchive(bytes), 'VAULT_BAD_INPUT', 'catalog: bomb.md: ', 'inflates to more than the 1000 bytes it declares');
  });

  it('a 2 GiB bomb declaring 4 MiB, quickly and without allocating its output', () => {
    const copies = Math.ceil((2 * 1024 * MiB) / 258);
    const stream = fixedHuffmanBomb(copies);
    const bytes = encodeZip([entry('bomb.md', new Uint8Array(0), { data: stream, size: 4 * MiB })]);
    const before = memoryInUse();
    const started = performance.now();
    expectRefused(() => readCatalogArchive(bytes), 'VAULT_BAD_INPUT', 'catalog: bomb.md: ', `inflates to more than the ${4 * MiB} bytes it declares`);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(memoryInUse() - before).toBeLessThan(64 * MiB);
  });

  it('the hand-made bomb is a real deflate stream (proves the test above)', () => {
    const small = fixedHuffmanBomb(1000);
    const bytes = encodeZip([entry('zeros.md', new Uint8Array(0), { data: small, size: 1 + 258 * 1000, crc32: crc32(new Uint8Array(1 + 258 * 1000)) })]);
    const zeros = readCatalogArchive(bytes).get('zeros.md') ?? new Uint8Array(0);
    expect(Buffer.from(zeros).equals(Buffer.alloc(1 + 258 * 1000))).toBe(true);
  });

  it('a file that inflates to less than it declares', () => {
    const bytes = encodeZip([entry('short.md', strToU8('ten bytes!'), { size: 1000 })]);
    expectRefused(() => readCatalogArchive(bytes), 'VAULT_BAD_INPUT', 'catalog: short.md: ', 'inflates to 10 bytes, not the 1000');
  });

  it('a stored file whose sizes disagree', () => {
    const content = strToU8('stored');
    const bytes = encodeZip([entry('stored.md', content, { method: METHOD_STORED, data: content, size: 3 })]);
    expectRefused(() => readCatalogArchive(bytes), 'VAULT_BAD_INPUT', 'catalog: stored.md: ', 'sizes differ');
  });

  it('damaged compressed data', () => {
    const bytes = encodeZip([entry('broken.md', strToU8('x'), { data: Uint8Array.from([0xff, 0xff, 0xff, 0xff]), size: 1 })]);
    expectRefused(() => readCatalogArchive(bytes), 'VAULT_BAD_INPUT', 'catalog: broken.md: ', 'damaged');
  });

  it('a CRC-32 mismatch', () => {
    const bytes = encodeZip([entry('crc.md', strToU8('content'), { crc32: 12345 })]);
    expectRefused(() => readCatalogArchive(bytes), 'VAULT_BAD_INPUT', 'catalog: crc.md: ', 'CRC-32');
  });

  it('an encrypted entry', () => {
    const bytes = encodeZip([entry('secret.md', strToU8('x'), { flags: 0x0801 })]);
    expectRefused(() => readCatalogArchive(bytes), 'VAULT_BAD_INPUT', 'catalog: secret.md: ', 'encrypted');
  });

  it('bytes that are not a zip, naming the archive by its label', () => {
    expectRefused(() => readCatalogArchive(strToU8('not a zip at all'), CATALOG_LIMITS, 'team.lbcat'), 'VAULT_BAD_INPUT', 'team.lbcat: not a zip archive');
  });
});
