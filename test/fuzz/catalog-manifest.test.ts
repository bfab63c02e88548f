/**
 * Fuzz: the catalog manifest and what binds a catalog to its publisher (electron/catalog/
 * catalog-manifest.ts parseCatalogManifest and verifyCatalog), and publisher keys as people paste
 * them or keep them in a file (publisher-key.ts parsePublicKey, readPublisherKey).
 *
 * Every call runs in the fuzz sandbox (test/fuzz/mutate.ts) unless it is a pure function timed
 * in place: never a crash, never a hang (HANG_LIMIT_MS).
 * - Manifest bytes mutated, or one field given a hostile value: parseCatalogManifest refuses with
 *   VAULT_BAD_INPUT naming the field, or returns a manifest that keeps every rule of the format
 *   (checked here independently of the schema).
 * - The same manifests inside a valid archive with the original signature: verifyCatalog with the
 *   trusted key is VAULT_TAMPERED (the signature covers the exact bytes, whitespace included), unless
 *   the bytes are unchanged.
 * - Odd manifests signed by the publisher itself: VAULT_BAD_INPUT or VAULT_TAMPERED, or exactly the
 *   listed files, each with its listed size and SHA-256.
 * - Content files, the signature, or the file list altered inside a valid archive (CRCs right, so
 *   the zip layer passes): VAULT_TAMPERED or VAULT_BAD_INPUT.
 * - Public key text: VAULT_BAD_INPUT, or 32 bytes that format back to the same text. A typo in a
 *   key is NOT always caught — `lbpub1:` has no checksum, so most single-character substitutions give
 *   another valid key (tallied below); what protects a vault is that the other key has another key
 *   id, so a sync is refused as CATALOG_UNTRUSTED. Checked here: every such typo changes the key id.
 * - A publisher key file mutated: VAULT_BAD_INPUT, or the same key pair (only the name may change).
 *
 * Scale: LIFEBOAT_FUZZ_RUNS multiplies the inputs, LIFEBOAT_FUZZ_SEED changes them,
 * LIFEBOAT_FUZZ_PATH replays one (see test/fuzz/mutate.ts).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LifeboatError } from '../../shared/errors.js';
import { catalogPathProblem } from '../../electron/catalog/catalog-archive.js';
import { MANIFEST_PATH, SIGNATURE_PATH } from '../../electron/catalog/catalog-manifest.js';
import { formatPublicKey, keyIdWith, parsePublicKey, publisherKeyFileText } from '../../electron/catalog/publisher-key.js';
import { writeCatalogArchive } from '../../electron/catalog/catalog-archive.js';
import { loadSodium, type Sodium } from '../../electron/vault/keys/crypto-runtime.js';
import {
  buildSignedCatalog,
  eachCase,
  fcParams,
  FuzzLog,
  HANG_LIMIT_MS,
  mutateBytes,
  type Outcome,
  outcomeKey,
  packSigned,
  passes,
  refusedWith,
  REPO_ROOT,
  Sandbox,
  type SignedCatalog,
} from './mutate.js';

const sandbox = new Sandbox();
const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
let sodium: Sodium;
let root: string;
let catalog: SignedCatalog;
let manifestJson: Record<string, unknown>;

beforeAll(async () => {
  sodium = await loadSodium();
  root = await mkdtemp(join(tmpdir(), 'lifeboat-fuzz-manifest-'));
  const files = new Map([
    ['services/pgdb.yaml', readFileSync(join(FIXTURES, 'backstage-catalogs/janus-idp/pgdb.yaml'))],
    ['runbooks/Watchdog.md', readFileSync(join(FIXTURES, 'prometheus-operator-runbooks/runbooks/general/Watchdog.md'))],
    ['runbooks/TargetDown.md', readFileSync(join(FIXTURES, 'prometheus-operator-runbooks/runbooks/general/TargetDown.md'))],
  ]);
  catalog = await buildSignedCatalog(files, 'catalog manifest');
  manifestJson = JSON.parse(new TextDecoder().decode(catalog.manifestBytes)) as Record<string, unknown>;
});

afterAll(async () => {
  await sandbox.close();
  await rm(root, { recursive: true, force: true });
});

function parseManifest(bytes: Uint8Array): Promise<Outcome> {
  return sandbox.call('electron/catalog/catalog-manifest.ts', 'parseCatalogManifest', [bytes, 'ops.lbcat']);
}

function verify(bytes: Uint8Array): Promise<Outcome> {
  return sandbox.call('electron/catalog/catalog-manifest.ts', 'verifyCatalog', [bytes, { trustedKey: catalog.publicKey, label: 'ops.lbcat' }]);
}

/** Every rule of docs/catalog-format.md a parsed manifest must keep, checked without the schema. */
function manifestProblem(value: unknown): string | null {
  const m = value as Record<string, unknown>;
  const publisher = m['publisher'] as Record<string, unknown> | undefined;
  const files = m['files'];
  const exact = (object: unknown, keys: string[]): boolean =>
    typeof object === 'object' && object !== null && Object.keys(object).sort().join() === [...keys].sort().join();
  const checks: [boolean, string][] = [
    [exact(m, ['format', 'version', 'catalogId', 'catalogVersion', 'createdAt', 'publisher', 'files']), 'fields'],
    [m['format'] === 'lifeboat-catalog' && m['version'] === 1, 'format and version'],
    [typeof m['catalogId'] === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(m['catalogId']), 'catalogId'],
    [Number.isSafeInteger(m['catalogVersion']) && (m['catalogVersion'] as number) >= 1, 'catalogVersion'],
    [typeof m['createdAt'] === 'string' && !Number.isNaN(Date.parse(m['createdAt'])), 'createdAt'],
    [exact(publisher, ['name', 'keyId']), 'publisher fields'],
    [
      typeof publisher?.['name'] === 'string' && publisher['name'].length >= 1 && publisher['name'].length <= 200 && !/\p{Cc}/u.test(publisher['name']),
      'publisher.name',
    ],
    [typeof publisher?.['keyId'] === 'string' && /^[0-9a-f]{16}$/.test(publisher['keyId']), 'publisher.keyId'],
    [Array.isArray(files), 'files'],
  ];
  const failed = checks.find(([ok]) => !ok);
  if (failed) {
    return `a manifest breaking the format was accepted (${failed[1]}): ${JSON.stringify(value).slice(0, 200)}`;
  }
  const seen = new Set<string>();
  for (const file of files as unknown[]) {
    const f = file as Record<string, unknown>;
    const path = f['path'];
    const ok =
      exact(f, ['path', 'size', 'sha256']) &&
      typeof path === 'string' &&
      catalogPathProblem(path) === undefined &&
      path !== MANIFEST_PATH &&
      path !== SIGNATURE_PATH &&
      !seen.has(path) &&
      Number.isSafeInteger(f['size']) &&
      (f['size'] as number) >= 0 &&
      typeof f['sha256'] === 'string' &&
      /^[0-9a-f]{64}$/.test(f['sha256']);
    if (!ok) {
      return `a manifest with a bad file entry was accepted: ${JSON.stringify(f).slice(0, 200)}`;
    }
    seen.add(path);
  }
  return null;
}

/** A valid archive of these entries (CRCs right) with this manifest text and signature. */
function repack(files: ReadonlyMap<string, Uint8Array>, manifestBytes: Uint8Array, signature: Uint8Array): Uint8Array {
  return writeCatalogArchive([
    ...[...files].map(([path, bytes]) => ({ path, bytes })),
    { path: MANIFEST_PATH, bytes: manifestBytes },
    { path: SIGNATURE_PATH, bytes: signature },
  ]);
}

/** One field of the manifest replaced by a hostile value (or removed, or a field added). */
const manifestEdit = fc.record({
  path: fc.constantFrom(
    ['format'],
    ['version'],
    ['catalogId'],
    ['catalogVersion'],
    ['createdAt'],
    ['publisher'],
    ['publisher', 'name'],
    ['publisher', 'keyId'],
    ['files'],
    ['files', 0],
    ['files', 0, 'path'],
    ['files', 0, 'size'],
    ['files', 0, 'sha256'],
    ['files', 1, 'path'],
    ['extra'],
    ['publisher', 'extra'],
    ['files', 0, 'extra'],
  ),
  value: fc.oneof(
    fc.constantFrom<unknown>(
      undefined,
      null,
      '',
      ' ',
      0,
      -1,
      1.5,
      2 ** 53,
      1e308,
      true,
      [],
      {},
      'lifeboat-catalog',
      2,
      'ops catalog',
      '.hidden',
      'a'.repeat(129),
      'x/../y.md',
      '/etc/passwd',
      'C:/x.md',
      'a\\b.md',
      'lifeboat-catalog.json',
      'lifeboat-catalog.sig',
      'runbooks/Watchdog.md',
      '2026-13-45T00:00:00Z',
      '2026-03-02',
      '0123456789ABCDEF',
      'x\u0000y',
      '😀',
    ),
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.jsonValue({ maxDepth: 2 }),
  ),
});

function applyEdit(manifest: Record<string, unknown>, edit: { path: readonly (string | number)[]; value: unknown }): unknown {
  const copy = structuredClone(manifest);
  let holder = copy as Record<string | number, unknown>;
  for (const key of edit.path.slice(0, -1)) {
    const next = holder[key];
    if (typeof next !== 'object' || next === null) {
      return copy;
    }
    holder = next as Record<string | number, unknown>;
  }
  const last = edit.path.at(-1) ?? '';
  if (edit.value === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- removing a field is one of the edits
    delete holder[last];
  } else {
    holder[last] = edit.value;
  }
  return copy;
}

function describeEdit(edit: { path: readonly (string | number)[]; value: unknown }): string {
  return `${edit.path.join('.')} = ${edit.value === undefined ? 'removed' : JSON.stringify(edit.value).slice(0, 60)}`;
}

describe('the manifest', () => {
  it('bytes mutated: parseCatalogManifest refuses, or returns a manifest that keeps the format', async (context) => {
    const label = 'manifest: byte mutations';
    const log = new FuzzLog(label, context.task.name);
    await eachCase(label, 300, async (index, random) => {
      const mutation = mutateBytes(catalog.manifestBytes, random);
      const outcome = await parseManifest(mutation.value);
      const problem = outcome.kind === 'returned' ? manifestProblem(outcome.value) : refusedWith(outcome, ['VAULT_BAD_INPUT']);
      log.note(index, outcome.kind === 'returned' ? 'parsed' : outcomeKey(outcome), problem, mutation.steps.join('; '));
    });
    await context.annotate(log.summary());
    log.check();
  });

  it('one field given a hostile value: refused naming it, or a manifest that keeps the format', async (context) => {
    const label = 'manifest: hostile field values';
    const log = new FuzzLog(label, context.task.name);
    await fc.assert(
      fc.asyncProperty(manifestEdit, async (edit) => {
        const outcome = await parseManifest(new TextEncoder().encode(JSON.stringify(applyEdit(manifestJson, edit))));
        let problem = outcome.kind === 'returned' ? manifestProblem(outcome.value) : refusedWith(outcome, ['VAULT_BAD_INPUT']);
        const field = edit.path[0];
        if (problem === null && outcome.kind === 'refused' && !outcome.message.includes(field)) {
          problem = `the refusal does not name ${field}: ${outcome.message}`;
        }
        log.note('fast-check', outcome.kind === 'returned' ? 'parsed' : outcomeKey(outcome), problem, describeEdit(edit));
        return passes(problem);
      }),
      fcParams(label, 300, context.task.name),
    );
    await context.annotate(log.summary());
    log.check();
  });

  it('a mutated manifest under the original signature: VAULT_TAMPERED', async (context) => {
    const label = 'manifest: mutated under the signature';
    const log = new FuzzLog(label, context.task.name);
    const signature = sodium.crypto_sign_detached(catalog.manifestBytes, catalog.secretKey);
    await eachCase(label, 150, async (index, random) => {
      const mutation = mutateBytes(catalog.manifestBytes, random);
      const outcome = await verify(repack(catalog.files, mutation.value, signature));
      const unchanged = Buffer.from(mutation.value).equals(Buffer.from(catalog.manifestBytes));
      log.note(index, unchanged ? 'unchanged' : outcomeKey(outcome), unchanged ? null : refusedWith(outcome, ['VAULT_TAMPERED']), mutation.steps.join('; '));
    });
    await context.annotate(log.summary());
    log.check();
  });

  it('odd manifests signed by the publisher: refused, or exactly the listed files with their sizes and hashes', async (context) => {
    const label = 'manifest: odd but signed';
    const log = new FuzzLog(label, context.task.name);
    await fc.assert(
      fc.asyncProperty(manifestEdit, async (edit) => {
        const manifest = applyEdit(manifestJson, edit);
        const bytes = await packSigned(catalog.files, new TextEncoder().encode(JSON.stringify(manifest)), catalog.secretKey);
        const outcome = await verify(bytes);
        let problem: string | null;
        if (outcome.kind === 'returned') {
          const got = outcome.value as { manifest: { files: { path: string; size: number; sha256: string }[] }; files: Map<string, Uint8Array> };
          problem = manifestProblem(got.manifest);
          for (const entry of got.manifest.files) {
            const content = got.files.get(entry.path);
            if (!content || content.length !== entry.size || sodium.to_hex(sodium.crypto_hash_sha256(content)) !== entry.sha256) {
              problem ??= `${entry.path} was returned without matching its listed size and hash`;
            }
          }
          if (got.files.size !== got.manifest.files.length) {
            problem ??= 'files were returned that the manifest does not list';
          }
        } else {
          problem = refusedWith(outcome, ['VAULT_BAD_INPUT', 'VAULT_TAMPERED']);
        }
        log.note('fast-check', outcome.kind === 'returned' ? 'verified' : outcomeKey(outcome), problem, describeEdit(edit));
        return passes(problem);
      }),
      fcParams(label, 200, context.task.name),
    );
    await context.annotate(log.summary());
    log.check();
  });

  it('content files, the signature or the file list altered inside a valid archive: VAULT_TAMPERED or VAULT_BAD_INPUT', async (context) => {
    const label = 'manifest: entries altered';
    const log = new FuzzLog(label, context.task.name);
    const signature = sodium.crypto_sign_detached(catalog.manifestBytes, catalog.secretKey);
    const paths = [...catalog.files.keys()];
    await eachCase(label, 150, async (index, random) => {
      const files = new Map(catalog.files);
      let sig = signature;
      const path = paths[index % paths.length] ?? '';
      let what: string;
      switch (index % 5) {
        case 0:
        case 1: {
          const mutation = mutateBytes(files.get(path) ?? new Uint8Array(0), random);
          files.set(path, mutation.value);
          what = `${path}: ${mutation.steps.join('; ')}`;
          break;
        }
        case 2: {
          const mutation = mutateBytes(signature, random);
          sig = mutation.value;
          what = `signature: ${mutation.steps.join('; ')}`;
          break;
        }
        case 3:
          files.delete(path);
          files.set(random() < 0.5 ? `${path}.bak` : 'extra/unlisted.md', catalog.files.get(path) ?? new Uint8Array(0));
          what = `${path} renamed or replaced by an unlisted file`;
          break;
        default:
          files.delete(path);
          what = `${path} removed`;
      }
      const outcome = await verify(repack(files, catalog.manifestBytes, sig));
      const unchanged =
        [...catalog.files].every(([p, b]) => Buffer.from(files.get(p) ?? []).equals(Buffer.from(b))) &&
        files.size === catalog.files.size &&
        Buffer.from(sig).equals(Buffer.from(signature));
      log.note(index, unchanged ? 'unchanged' : outcomeKey(outcome), unchanged ? null : refusedWith(outcome, ['VAULT_TAMPERED', 'VAULT_BAD_INPUT']), what);
    });
    await context.annotate(log.summary());
    log.check();
    expect(log.counts.get('VAULT_TAMPERED') ?? 0).toBeGreaterThan(log.inputs / 2);
  });
});

// --- publisher keys ------------------------------------------------------------------------------------

/** parsePublicKey in this thread, timed: the key or the LifeboatError. */
function parseKeyHere(text: string): { key?: Uint8Array; error?: LifeboatError } {
  const started = performance.now();
  let result: { key?: Uint8Array; error?: LifeboatError };
  try {
    result = { key: parsePublicKey(text) };
  } catch (error) {
    if (!(error instanceof LifeboatError)) {
      throw new Error(`parsePublicKey crashed on ${JSON.stringify(text)}: ${String(error)}`);
    }
    result = { error };
  }
  if (performance.now() - started > HANG_LIMIT_MS) {
    throw new Error(`parsePublicKey took over ${HANG_LIMIT_MS} ms on ${JSON.stringify(text).slice(0, 100)}`);
  }
  return result;
}

const BASE64_CHARS = Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ .');

describe('publisher keys', () => {
  it('any text: VAULT_BAD_INPUT, or 32 bytes that format back to the same text', (context) => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.string({ maxLength: 60 }).map((s) => `lbpub1:${s}`),
      fc.uint8Array({ maxLength: 48 }).map((b) => `lbpub1:${Buffer.from(b).toString('base64')}`),
      fc
        .tuple(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.constantFrom('', ' ', '\n', '\t', '\u00a0', '\u2028'), fc.constantFrom('', '=', '==', 'A'))
        .map(([b, pad, tail]) => `${pad}lbpub1:${Buffer.from(b).toString('base64')}${tail}${pad}`),
      fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `lbpub1:${Buffer.from(b).toString('base64url')}`),
    );
    const log = new FuzzLog('publisher key: any text', context.task.name);
    fc.assert(
      fc.property(text, (input) => {
        const { key, error } = parseKeyHere(input);
        const problem = key
          ? key.length === 32 && formatPublicKey(key) === input.trim()
            ? null
            : `${JSON.stringify(input)} parsed to a key that formats as ${formatPublicKey(key)}`
          : error?.code === 'VAULT_BAD_INPUT'
            ? null
            : `refused with ${error?.code ?? '?'}`;
        log.note('fast-check', key ? 'parsed' : (error?.code ?? '?'), problem, JSON.stringify(input));
        return passes(problem);
      }),
      fcParams('publisher key: any text', 1500, context.task.name),
    );
    log.check();
  });

  it('every single-character typo in a key: refused, or another key with another key id (there is no checksum)', async (context) => {
    const log = new FuzzLog('publisher key: every typo', context.task.name);
    const text = formatPublicKey(catalog.publicKey);
    const originalId = keyIdWith(sodium, catalog.publicKey);
    const chars = Array.from(text);
    chars.forEach((original, position) => {
      for (const replacement of BASE64_CHARS) {
        if (replacement === original) {
          continue;
        }
        const typed = [...chars];
        typed[position] = replacement;
        const { key, error } = parseKeyHere(typed.join(''));
        if (key) {
          const sameId = keyIdWith(sodium, key) === originalId;
          log.note(`position ${position}`, 'accepted: another key, another key id', sameId ? `${original} → ${replacement} kept the key id` : null);
        } else {
          log.note(`position ${position}`, error?.code ?? '?', error?.code === 'VAULT_BAD_INPUT' ? null : `refused with ${error?.code ?? '?'}`);
        }
      }
    });
    await context.annotate(log.summary());
    log.check();
  });

  it('a publisher key file mutated: VAULT_BAD_INPUT, or the same key pair', async (context) => {
    const label = 'publisher key: file mutations';
    const log = new FuzzLog(label, context.task.name);
    const original = new TextEncoder().encode(
      publisherKeyFileText({ name: 'Platform team', publicKey: catalog.publicKey, secretKey: catalog.secretKey, keyId: catalog.keyId }),
    );
    const path = join(root, 'publisher.key');
    await eachCase(label, 150, async (index, random) => {
      const mutation = mutateBytes(original, random);
      await writeFile(path, mutation.value);
      const outcome = await sandbox.call('electron/catalog/publisher-key.ts', 'readPublisherKey', [path]);
      let problem: string | null;
      if (outcome.kind === 'returned') {
        const key = outcome.value as { publicKey: Uint8Array; secretKey: Uint8Array; keyId: string };
        problem =
          Buffer.from(key.publicKey).equals(Buffer.from(catalog.publicKey)) && Buffer.from(key.secretKey).equals(Buffer.from(catalog.secretKey))
            ? null
            : 'a damaged key file gave another key pair';
      } else {
        problem = refusedWith(outcome, ['VAULT_BAD_INPUT']);
      }
      log.note(index, outcome.kind === 'returned' ? 'read (same key pair)' : outcomeKey(outcome), problem, mutation.steps.join('; '));
    });
    await context.annotate(log.summary());
    log.check();
  });
});
