/**
 * Fuzz: the `.lbcat` catalog archive, where hostile input first arrives (electron/catalog/
 * catalog-archive.ts readCatalogArchive and zip-format.ts, catalog-manifest.ts verifyCatalog, and
 * catalog-sync.ts syncCatalog as a vault runs it).
 *
 * Every call runs in the fuzz sandbox (test/fuzz/mutate.ts): never a crash (a RangeError from a
 * DataView read past the end, fflate's own errors), never a hang (HANG_LIMIT_MS), never a memory bomb.
 * - A signed catalog (real fixture pages, a seeded publisher key: the same bytes every run) mutated
 *   byte by byte, or truncated at every 37th length and at each of its last 64: readCatalogArchive
 *   refuses with VAULT_BAD_INPUT (the archive's structure: the zip layer names the entry), or returns
 *   exactly the original files (the change was in zip metadata nothing reads); verifyCatalog with
 *   the trusted key refuses with VAULT_BAD_INPUT or VAULT_TAMPERED, or returns exactly the signed
 *   files and manifest.
 * - The same through a vault's sync (dry run): also CATALOG_UNTRUSTED when the manifest's key id no
 *   longer names a trusted publisher; a catalog signed by a key the vault does not trust is
 *   CATALOG_UNTRUSTED, one that claims a trusted key id but is signed by another is VAULT_TAMPERED.
 * - Archives built by fast-check entry by entry (hostile names, lying sizes and CRCs, unknown
 *   methods, encryption flags, symlink and folder attributes, highly compressible content) read
 *   under small random limits: refused with VAULT_BAD_INPUT, or every file returned is one that was
 *   put in, under a legal path, with its real content, within every limit (entries, per file,
 *   total, ratio); any entry that lies about its size or CRC gets the whole archive refused.
 *
 * Scale: LIFEBOAT_FUZZ_RUNS multiplies the inputs, LIFEBOAT_FUZZ_SEED changes them,
 * LIFEBOAT_FUZZ_PATH replays one (see test/fuzz/mutate.ts).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'fflate';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../shared/errors.js';
import { catalogPathProblem, type CatalogLimits } from '../../electron/catalog/catalog-archive.js';
import { MANIFEST_PATH, SIGNATURE_PATH } from '../../electron/catalog/catalog-manifest.js';
import { trustPublisher } from '../../electron/catalog/catalog-trust.js';
import { crc32, encodeZip, METHOD_DEFLATE, METHOD_STORED, type ZipWriteEntry } from '../../electron/catalog/zip-format.js';
import { createVault } from '../../electron/vault/vault-open.js';
import { PASSPHRASES } from '../support/test-vault.js';
import {
  assertRefused,
  buildSignedCatalog,
  eachCase,
  fcParams,
  FuzzLog,
  mutateBytes,
  type Outcome,
  outcomeKey,
  packSigned,
  passes,
  refusedWith,
  REPO_ROOT,
  runs,
  Sandbox,
  type SignedCatalog,
} from './mutate.js';

const sandbox = new Sandbox();
const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
let root: string;
let vaultDir: string;
let catalog: SignedCatalog;

function fixture(relative: string): Uint8Array {
  return readFileSync(join(FIXTURES, relative));
}

beforeAll(async () => {
  const files = new Map([
    ['services/pgdb.yaml', fixture('backstage-catalogs/janus-idp/pgdb.yaml')],
    ['services/keycloak.yaml', fixture('backstage-catalogs/janus-idp/keycloak.yaml')],
    ['teams/rhdh-team.yaml', fixture('backstage-catalogs/janus-idp/rhdh-team.yaml')],
    ['runbooks/TargetDown.md', fixture('prometheus-operator-runbooks/runbooks/general/TargetDown.md')],
    ['runbooks/Watchdog.md', fixture('prometheus-operator-runbooks/runbooks/general/Watchdog.md')],
    ['manual/ab-testing.html.md', fixture('govuk-developer-docs/manual/ab-testing.html.md')],
  ]);
  catalog = await buildSignedCatalog(files, 'catalog archive');
  root = await mkdtemp(join(tmpdir(), 'lifeboat-fuzz-catalog-'));
  vaultDir = join(root, 'ops.lifeboat');
  const owner = await createVault(vaultDir, { owner: 'alice', passphrase: PASSPHRASES['alice'] ?? '', insecureFastKdf: true, name: 'Ops' });
  await trustPublisher(owner, { name: 'Platform team', keyId: catalog.keyId, publicKey: Buffer.from(catalog.publicKey).toString('base64') });
  await owner.lock();
}, 60_000);

afterAll(async () => {
  await sandbox.close();
  await rm(root, { recursive: true, force: true });
});

function sameFiles(got: unknown, expected: ReadonlyMap<string, Uint8Array>): boolean {
  if (!(got instanceof Map) || got.size !== expected.size) {
    return false;
  }
  return [...expected].every(([path, bytes]) => {
    const other: unknown = got.get(path);
    return other instanceof Uint8Array && Buffer.from(other).equals(Buffer.from(bytes));
  });
}

/** Everything in the archive: content files, manifest and signature. */
function archiveEntries(): Map<string, Uint8Array> {
  return new Map([...catalog.files, [MANIFEST_PATH, catalog.manifestBytes]]);
}

function readArchive(bytes: Uint8Array, limits?: CatalogLimits): Promise<Outcome> {
  return sandbox.call('electron/catalog/catalog-archive.ts', 'readCatalogArchive', limits ? [bytes, limits] : [bytes]);
}

function verify(bytes: Uint8Array): Promise<Outcome> {
  return sandbox.call('electron/catalog/catalog-manifest.ts', 'verifyCatalog', [bytes, { trustedKey: catalog.publicKey, label: 'ops.lbcat' }]);
}

function syncDryRun(bytes: Uint8Array): Promise<Outcome> {
  return sandbox.call('test/fuzz/mutate.ts', 'syncDryRunSummary', [vaultDir, 'alice', PASSPHRASES['alice'] ?? '', bytes, 'ops.lbcat']);
}

/** readCatalogArchive: VAULT_BAD_INPUT, or exactly the original entries. */
function judgeRead(outcome: Outcome): { key: string; problem: string | null } {
  if (outcome.kind === 'returned') {
    const got = outcome.value as Map<string, Uint8Array>;
    const expected = archiveEntries();
    const withoutSignature = new Map([...got].filter(([path]) => path !== SIGNATURE_PATH));
    return sameFiles(withoutSignature, expected) && got.has(SIGNATURE_PATH)
      ? { key: 'read (same files: zip metadata only)', problem: null }
      : { key: 'read (other files)', problem: `the archive read as other files: ${[...got.keys()].join(', ')}` };
  }
  return { key: outcomeKey(outcome), problem: refusedWith(outcome, ['VAULT_BAD_INPUT']) };
}

/** verifyCatalog and sync: a refusal that fits, or exactly the signed content. */
function judgeVerified(outcome: Outcome, codes: readonly ErrorCode[], sync: boolean): { key: string; problem: string | null } {
  if (outcome.kind === 'returned') {
    if (sync) {
      const report = outcome.value as { catalogId: string; added: number };
      const same = report.catalogId === 'ops-catalog' && report.added === expectedAdded;
      return { key: 'synced (same content)', problem: same ? null : `an altered catalog synced: ${JSON.stringify(report)}` };
    }
    const got = outcome.value as { files: unknown; signature: string };
    return sameFiles(got.files, catalog.files) && got.signature === 'verified'
      ? { key: 'verified (same content)', problem: null }
      : { key: 'verified (other content)', problem: 'an altered catalog verified with other content' };
  }
  return { key: outcomeKey(outcome), problem: refusedWith(outcome, codes) };
}

let expectedAdded = -1;

describe('a signed catalog, altered', () => {
  it('the original reads, verifies and syncs', async () => {
    expect(judgeRead(await readArchive(catalog.bytes)).problem).toBeNull();
    const verified = await verify(catalog.bytes);
    expect(verified.kind).toBe('returned');
    const synced = await syncDryRun(catalog.bytes);
    expect(synced.kind, JSON.stringify(synced)).toBe('returned');
    expectedAdded = synced.kind === 'returned' ? (synced.value as { added: number }).added : 0;
    expect(expectedAdded).toBeGreaterThan(3);
  });

  it('byte mutations: readCatalogArchive and verifyCatalog', async (context) => {
    const label = 'catalog: byte mutations';
    const log = new FuzzLog(label, context.task.name);
    await eachCase(label, 400, async (index, random) => {
      const mutation = mutateBytes(catalog.bytes, random);
      const read = judgeRead(await readArchive(mutation.value));
      const verified = judgeVerified(await verify(mutation.value), ['VAULT_BAD_INPUT', 'VAULT_TAMPERED'], false);
      log.note(index, `read ${read.key} / verify ${verified.key}`, read.problem ?? verified.problem, mutation.steps.join('; '));
    });
    await context.annotate(log.summary());
    log.check();
  }, 60_000);

  it('truncated at every 37th length and at each of the last 64', async (context) => {
    const label = 'catalog: truncations';
    const log = new FuzzLog(label, context.task.name);
    const n = catalog.bytes.length;
    const lengths = new Set<number>();
    for (let length = 0; length < n; length += Math.max(1, Math.round(37 / Math.max(1, runs(1))))) {
      lengths.add(length);
    }
    for (let length = Math.max(0, n - 64); length < n; length += 1) {
      lengths.add(length);
    }
    for (const length of lengths) {
      const outcome = await readArchive(catalog.bytes.slice(0, length));
      log.note(`length ${length}`, outcomeKey(outcome), refusedWith(outcome, ['VAULT_BAD_INPUT']));
    }
    await context.annotate(log.summary());
    log.check();
  }, 60_000);

  it('byte mutations through a vault’s sync (dry run)', async (context) => {
    const label = 'catalog: sync of mutated archives';
    const log = new FuzzLog(label, context.task.name);
    await eachCase(label, 40, async (index, random) => {
      const mutation = mutateBytes(catalog.bytes, random);
      const { key, problem } = judgeVerified(
        await syncDryRun(mutation.value),
        ['VAULT_BAD_INPUT', 'VAULT_TAMPERED', 'CATALOG_UNTRUSTED', 'CATALOG_INVALID'],
        true,
      );
      log.note(index, key, problem, mutation.steps.join('; '));
    });
    await context.annotate(log.summary());
    log.check();
  }, 60_000);

  it('another publisher’s catalog is CATALOG_UNTRUSTED; one claiming the trusted key id but signed by another key is VAULT_TAMPERED', async () => {
    const stranger = await buildSignedCatalog(catalog.files, 'another publisher');
    assertRefused(await syncDryRun(stranger.bytes), ['CATALOG_UNTRUSTED']);
    const impostor = await packSigned(catalog.files, catalog.manifestBytes, stranger.secretKey);
    assertRefused(await syncDryRun(impostor), ['VAULT_TAMPERED']);
  });
});

// --- archives built entry by entry ------------------------------------------------------------------

interface EntrySpec {
  name: string | Uint8Array;
  content: Uint8Array;
  method: number;
  sizeLie: number;
  crcLie: boolean;
  attrs: number;
  flags: number;
}

const S_IFREG = 0o100000;
const GOOD_NAMES = ['a.md', 'dir/b.yaml', 'c.txt', 'x/y/z.md', 'README', 'dir/', 'ünïcödé.md'];
const HOSTILE_NAMES = [
  '../escape.md',
  '/abs.md',
  'C:/win.md',
  'c:x',
  'a\\b.md',
  'a//b.md',
  './a.md',
  'a/./b.md',
  'a/../b.md',
  '.',
  '..',
  '',
  'a\u0000b.md',
  'tab\t.md',
  'dir',
  'dir/b.yaml/c.md',
  'ünïcödé.md',
  '😀.md',
  ' ',
  'lifeboat-catalog.json',
  'x'.repeat(300),
];

const entrySpec: fc.Arbitrary<EntrySpec> = fc.record({
  name: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...GOOD_NAMES) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_NAMES) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 8 }) },
  ),
  content: fc.oneof(
    fc.uint8Array({ maxLength: 600 }),
    fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 40_000 })).map(([byte, n]) => new Uint8Array(n).fill(byte)),
  ),
  method: fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(METHOD_STORED, METHOD_DEFLATE) },
    { weight: 1, arbitrary: fc.constantFrom(1, 9, 12, 14, 99, 0xffff) },
  ),
  sizeLie: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(-1, 1, 1000, -1000, 0xfffffffe) }),
  crcLie: fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  attrs: fc.oneof(
    { weight: 6, arbitrary: fc.constant((S_IFREG | 0o644) * 0x10000) },
    { weight: 1, arbitrary: fc.constantFrom(0, 0o040755 * 0x10000, 0o120777 * 0x10000, 0o010644 * 0x10000, 0x10, 0xffffffff) },
  ),
  flags: fc.oneof({ weight: 8, arbitrary: fc.constant(0x0800) }, { weight: 1, arbitrary: fc.constantFrom(0, 0x0801, 0x0008, 0xffff) }),
});

const limitsArb: fc.Arbitrary<CatalogLimits> = fc.record({
  entries: fc.integer({ min: 2, max: 12 }),
  totalBytes: fc.integer({ min: 100, max: 60_000 }),
  fileBytes: fc.integer({ min: 50, max: 45_000 }),
  maxRatio: fc.integer({ min: 2, max: 300 }),
  ratioFloorBytes: fc.integer({ min: 0, max: 5_000 }),
});

function buildEntry(spec: EntrySpec): ZipWriteEntry {
  const data = spec.method === METHOD_DEFLATE ? deflateSync(spec.content) : spec.content;
  return {
    nameBytes: typeof spec.name === 'string' ? new TextEncoder().encode(spec.name) : spec.name,
    method: spec.method,
    data,
    crc32: spec.crcLie ? crc32(spec.content) ^ 0x5a5a : crc32(spec.content),
    size: Math.max(0, Math.min(0xfffffffe, spec.content.length + spec.sizeLie)),
    externalAttrs: spec.attrs,
    flags: spec.flags,
  };
}

/** Null when what readCatalogArchive returned is legal under `limits` and true to what was put in. */
function returnedProblem(specs: readonly EntrySpec[], limits: CatalogLimits, files: Map<string, Uint8Array>): string | null {
  const put = new Map<string, Uint8Array[]>();
  for (const spec of specs) {
    const name = typeof spec.name === 'string' ? spec.name : new TextDecoder().decode(spec.name);
    put.set(name, [...(put.get(name) ?? []), spec.content]);
  }
  const liar = specs.find((s) => buildEntry(s).size !== s.content.length || s.crcLie);
  if (liar) {
    return `an entry lying about its ${liar.crcLie ? 'CRC' : 'size'} was accepted`;
  }
  if (specs.length > limits.entries) {
    return `${specs.length} entries were accepted under a limit of ${limits.entries}`;
  }
  let total = 0;
  for (const [path, content] of files) {
    total += content.length;
    const problem = catalogPathProblem(path);
    if (problem !== undefined) {
      return `the path ${JSON.stringify(path)} was accepted: ${problem}`;
    }
    const sources = put.get(path) ?? [];
    if (sources.length !== 1 || !Buffer.from(sources[0] ?? []).equals(Buffer.from(content))) {
      return `${JSON.stringify(path)} came out with content that was not put in under that name (${sources.length} entries named so)`;
    }
    if (content.length > limits.fileBytes) {
      return `${path} is ${content.length} bytes, over the per-file limit of ${limits.fileBytes}`;
    }
  }
  return total > limits.totalBytes ? `${total} bytes in all, over the limit of ${limits.totalBytes}` : null;
}

/** A short name for why an archive was refused, for the tally. */
function reasonOf(message: string): string {
  const reasons: [RegExp, string][] = [
    [/entries, over the limit/, 'entry limit'],
    [/per-file limit|total limit/, 'size limit'],
    [/compresses \d+:1/, 'ratio'],
    [/path|UTF-8|control character/, 'path'],
    [/more than once|both a file and a folder/, 'duplicate'],
    [/symbolic link|not a regular file|folder entry/, 'entry type'],
    [/encrypted|compression method/, 'method'],
    [/two sizes differ|inflates to|declares/, 'size lie'],
    [/CRC-32/, 'CRC'],
    [/damaged|empty|runs|lies outside|local header|overlaps|not a zip/, 'structure'],
  ];
  return reasons.find(([pattern]) => pattern.test(message))?.[1] ?? message.slice(0, 60);
}

describe('archives built entry by entry, read under random limits', () => {
  it('hostile names, lying sizes and CRCs, odd methods, flags and attributes, bombs: refused, or legal and true', async (context) => {
    const label = 'catalog: generated archives';
    const log = new FuzzLog(label, context.task.name);
    await fc.assert(
      fc.asyncProperty(fc.array(entrySpec, { minLength: 1, maxLength: 6 }), limitsArb, async (specs, limits) => {
        const bytes = encodeZip(specs.map(buildEntry));
        const outcome = await readArchive(bytes, limits);
        const problem =
          outcome.kind === 'returned' ? returnedProblem(specs, limits, outcome.value as Map<string, Uint8Array>) : refusedWith(outcome, ['VAULT_BAD_INPUT']);
        const key = outcome.kind === 'returned' ? 'read' : outcome.kind === 'refused' ? `refused (${reasonOf(outcome.message)})` : outcomeKey(outcome);
        log.note(
          'fast-check',
          key,
          problem,
          specs
            .map(
              (s) =>
                `${JSON.stringify(typeof s.name === 'string' ? s.name : [...s.name])} m${s.method} ${s.content.length}B${s.sizeLie ? ` lie${s.sizeLie}` : ''}${s.crcLie ? ' badcrc' : ''}`,
            )
            .join(', '),
        );
        return passes(problem);
      }),
      fcParams(label, 400, context.task.name),
    );
    await context.annotate(log.summary());
    log.check();
    expect(log.counts.get('read') ?? 0).toBeGreaterThan(0);
  }, 60_000);
});
