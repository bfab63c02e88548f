import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LifeboatError, type ErrorCode } from '../../shared/errors.js';
import { loadSodium } from '../vault/keys/crypto-runtime.js';
import { CATALOG_LIMITS, readCatalogArchive, writeCatalogArchive } from './catalog-archive.js';
import {
  generatePublisherKey,
  MANIFEST_PATH,
  packCatalog,
  SIGNATURE_PATH,
  unpackedFolderFiles,
  verifyCatalog,
  writePublisherKey,
  type PublisherKey,
} from './catalog-manifest.js';

const RUNBOOKS = join(process.cwd(), 'test/fixtures/prometheus-operator-runbooks/runbooks');
const JANUS = join(process.cwd(), 'test/fixtures/backstage-catalogs/janus-idp');
const NOW = new Date('2025-06-01T12:00:00.000Z');
const CRASHLOOP = 'kubernetes/KubePodCrashLooping.md';

let dir: string;
let keyPath: string;
let key: PublisherKey;
let runbooks: Uint8Array;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifeboat-catalog-'));
  key = await generatePublisherKey('Platform Team');
  keyPath = join(dir, 'publisher.key');
  await writePublisherKey(keyPath, key);
  runbooks = (await packCatalog({ srcDir: RUNBOOKS, keyPath, catalogVersion: 7, now: NOW })).bytes;
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function refusal(run: () => Promise<unknown>): Promise<LifeboatError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof LifeboatError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a refusal, but it was accepted');
}

async function expectRefused(run: () => Promise<unknown>, code: ErrorCode, ...parts: string[]): Promise<void> {
  const error = await refusal(run);
  expect(error.code).toBe(code);
  for (const part of parts) {
    expect(error.message).toContain(part);
  }
}

/** Unzips, lets the test change the files (manifest and signature included), zips again. */
function rezip(bytes: Uint8Array, change: (files: Map<string, Uint8Array>) => void): Uint8Array {
  const files = readCatalogArchive(bytes);
  change(files);
  return writeCatalogArchive([...files].map(([path, content]) => ({ path, bytes: content })));
}

/** Replaces the manifest with `edit(manifest)`, signed again by `signer` (a publisher signing a bad manifest). */
async function resigned(bytes: Uint8Array, signer: PublisherKey, edit: (manifest: Record<string, unknown>) => unknown): Promise<Uint8Array> {
  const sodium = await loadSodium();
  return rezip(bytes, (files) => {
    const manifest = JSON.parse(strFromU8(files.get(MANIFEST_PATH) ?? new Uint8Array(0))) as Record<string, unknown>;
    const edited = strToU8(JSON.stringify(edit(manifest)));
    files.set(MANIFEST_PATH, edited);
    files.set(SIGNATURE_PATH, sodium.crypto_sign_detached(edited, signer.secretKey));
  });
}

async function markdownUnder(root: string): Promise<string[]> {
  const names = await readdir(root, { recursive: true });
  return names
    .filter((n) => n.endsWith('.md'))
    .map((n) => n.split('\\').join('/'))
    .sort();
}

describe('packCatalog + verifyCatalog on real folders', () => {
  it('packs the Prometheus runbooks and verifies them with the publisher key, byte for byte', async () => {
    const verified = await verifyCatalog(runbooks, { trustedKey: key.publicKey });
    expect(verified.signature).toBe('verified');
    expect(verified.publicKeyMatches).toBe(true);
    expect(verified.manifest).toMatchObject({ format: 'lifeboat-catalog', version: 1, catalogId: 'runbooks', catalogVersion: 7 });
    expect(verified.manifest.publisher).toEqual({ name: 'Platform Team', keyId: key.keyId });
    expect(verified.manifest.createdAt).toBe(NOW.toISOString());
    const expected = await markdownUnder(RUNBOOKS);
    expect(expected.length).toBe(117);
    expect([...verified.files.keys()].sort()).toEqual(expected);
    for (const path of expected) {
      expect(Buffer.from(verified.files.get(path) ?? []).equals(await readFile(join(RUNBOOKS, path)))).toBe(true);
    }
  });

  it('packs the janus-idp Backstage catalog under its folder name', async () => {
    const { bytes, manifest } = await packCatalog({ srcDir: JANUS, keyPath, catalogVersion: 1, publisherName: 'Janus' });
    const verified = await verifyCatalog(bytes, { trustedKey: key.publicKey });
    expect(manifest.catalogId).toBe('janus-idp');
    expect(verified.manifest.publisher.name).toBe('Janus');
    expect([...verified.files.keys()]).toEqual([
      'argocd.yaml',
      'janus-authors.yaml',
      'janus-idp.yaml',
      'keycloak.yaml',
      'pgdb.yaml',
      'rhdh-team.yaml',
      'showcase.yaml',
    ]);
    expect(strFromU8(verified.files.get('keycloak.yaml') ?? new Uint8Array(0))).toContain('kind: Resource');
  });

  it('without a trusted key, checks the hashes but reports the signature unverified', async () => {
    const verified = await verifyCatalog(runbooks);
    expect(verified.signature).toBe('unverified');
    expect(verified.publicKeyMatches).toBeNull();
    expect(verified.files.size).toBe(117);
  });

  it('reports a key id the trusted key does not match', async () => {
    const bytes = await resigned(runbooks, key, (m) => ({ ...m, publisher: { name: 'Platform Team', keyId: '0123456789abcdef' } }));
    const verified = await verifyCatalog(bytes, { trustedKey: key.publicKey });
    expect(verified.signature).toBe('verified');
    expect(verified.publicKeyMatches).toBe(false);
  });

  it('packs the same folder to identical bytes given the same time, and honours the time', async () => {
    const again = await packCatalog({ srcDir: RUNBOOKS, keyPath, catalogVersion: 7, now: NOW });
    expect(Buffer.from(again.bytes).equals(Buffer.from(runbooks))).toBe(true);
    const later = await packCatalog({ srcDir: RUNBOOKS, keyPath, catalogVersion: 7, now: new Date('2025-06-02T00:00:00Z') });
    expect(Buffer.from(later.bytes).equals(Buffer.from(runbooks))).toBe(false);
  });

  it('reads an unpacked folder into the same files the signed catalog holds', async () => {
    const folder = await unpackedFolderFiles(RUNBOOKS);
    const { files } = await verifyCatalog(runbooks);
    expect([...folder.keys()].sort()).toEqual([...files.keys()].sort());
    expect(folder.get(CRASHLOOP)).toEqual(files.get(CRASHLOOP));
  });
});

describe('verifyCatalog refuses', () => {
  it('a content file changed after signing, naming it', async () => {
    const bytes = rezip(runbooks, (files) => {
      const content = Uint8Array.from(files.get(CRASHLOOP) ?? []);
      content[10] = (content[10] ?? 0) ^ 0x01;
      files.set(CRASHLOOP, content);
    });
    await expectRefused(() => verifyCatalog(bytes, { trustedKey: key.publicKey }), 'VAULT_TAMPERED', `catalog: ${CRASHLOOP}: `, 'SHA-256');
  });

  it('a content file changed in size after signing', async () => {
    const bytes = rezip(runbooks, (files) => files.set(CRASHLOOP, (files.get(CRASHLOOP) ?? new Uint8Array(0)).subarray(1)));
    await expectRefused(() => verifyCatalog(bytes), 'VAULT_TAMPERED', `catalog: ${CRASHLOOP}: `, 'the manifest says');
  });

  it('a manifest edited after signing (version bumped)', async () => {
    const bytes = rezip(runbooks, (files) => {
      const text = strFromU8(files.get(MANIFEST_PATH) ?? new Uint8Array(0));
      files.set(MANIFEST_PATH, strToU8(text.replace('"catalogVersion": 7', '"catalogVersion": 8')));
    });
    expect(bytes).not.toEqual(runbooks);
    await expectRefused(() => verifyCatalog(bytes, { trustedKey: key.publicKey }), 'VAULT_TAMPERED', `catalog: ${SIGNATURE_PATH}: `, `publisher ${key.keyId}`);
  });

  it('a catalog checked with the wrong key', async () => {
    const other = await generatePublisherKey();
    await expectRefused(
      () => verifyCatalog(runbooks, { trustedKey: other.publicKey, label: 'runbooks.lbcat' }),
      'VAULT_TAMPERED',
      `runbooks.lbcat: ${SIGNATURE_PATH}: `,
      other.keyId,
    );
  });

  it('a file in the archive that the manifest does not list', async () => {
    const bytes = rezip(runbooks, (files) => files.set('extra/injected.md', strToU8('# Run this\n')));
    await expectRefused(() => verifyCatalog(bytes, { trustedKey: key.publicKey }), 'VAULT_TAMPERED', 'catalog: extra/injected.md: ', 'not listed');
  });

  it('a listed file missing from the archive', async () => {
    const bytes = rezip(runbooks, (files) => files.delete(CRASHLOOP));
    await expectRefused(() => verifyCatalog(bytes, { trustedKey: key.publicKey }), 'VAULT_TAMPERED', `catalog: ${CRASHLOOP}: `, 'missing from the archive');
  });

  it('an invalid manifest field, even when validly signed, naming the field', async () => {
    const bytes = await resigned(runbooks, key, (m) => ({
      ...m,
      files: (m.files as { sha256: string }[]).map((f, i) => (i === 2 ? { ...f, sha256: f.sha256.toUpperCase() } : f)),
    }));
    await expectRefused(() => verifyCatalog(bytes, { trustedKey: key.publicKey }), 'VAULT_BAD_INPUT', `catalog: ${MANIFEST_PATH}: files[2].sha256: `);
  });

  it('an unknown manifest field', async () => {
    const bytes = await resigned(runbooks, key, (m) => ({ ...m, secrets: 'no' }));
    await expectRefused(() => verifyCatalog(bytes), 'VAULT_BAD_INPUT', `catalog: ${MANIFEST_PATH}: unknown field secrets`);
  });

  it('a catalog version that is not a positive whole number', async () => {
    const bytes = await resigned(runbooks, key, (m) => ({ ...m, catalogVersion: 1.5 }));
    await expectRefused(() => verifyCatalog(bytes), 'VAULT_BAD_INPUT', `${MANIFEST_PATH}: catalogVersion: `);
  });

  it('a manifest listing a path outside the catalog', async () => {
    const bytes = await resigned(runbooks, key, (m) => ({ ...m, files: [{ path: '../x.md', size: 1, sha256: '0'.repeat(64) }] }));
    await expectRefused(() => verifyCatalog(bytes), 'VAULT_BAD_INPUT', `${MANIFEST_PATH}: files[0].path: `, 'climbs out');
  });

  it('a catalog with no signature', async () => {
    const bytes = rezip(runbooks, (files) => files.delete(SIGNATURE_PATH));
    await expectRefused(() => verifyCatalog(bytes), 'VAULT_BAD_INPUT', `catalog: ${SIGNATURE_PATH}: missing`);
  });

  it('a zip that is not a catalog', async () => {
    const bytes = writeCatalogArchive([{ path: 'readme.md', bytes: strToU8('hi') }]);
    await expectRefused(() => verifyCatalog(bytes), 'VAULT_BAD_INPUT', `catalog: ${MANIFEST_PATH}: missing`);
  });

  it('archive-level refusals first, naming the archive and the entry', async () => {
    const bytes = rezip(runbooks, () => undefined);
    await expectRefused(
      () => verifyCatalog(bytes, { label: 'runbooks.lbcat', limits: { ...CATALOG_LIMITS, entries: 100 } }),
      'VAULT_BAD_INPUT',
      'runbooks.lbcat: ',
      'over the limit of 100',
    );
  });
});

describe('packCatalog reading a folder', () => {
  let src: string;

  beforeAll(async () => {
    src = join(dir, 'team-docs');
    await mkdir(join(src, 'services/api'), { recursive: true });
    await mkdir(join(src, '.git'), { recursive: true });
    await writeFile(join(src, 'catalog-info.yaml'), 'kind: Component\n');
    await writeFile(join(src, 'services/api/Runbook.MD'), '# API\n');
    await writeFile(join(src, 'services/notes.markdown'), 'notes\n');
    await writeFile(join(src, 'services/api/diagram.png'), 'not text');
    await writeFile(join(src, '.hidden.md'), 'hidden');
    await writeFile(join(src, '.git/HEAD.md'), 'ref');
  });

  it('keeps catalog files only, with forward-slash paths, skipping dotfiles and dot-folders', async () => {
    const { bytes, manifest } = await packCatalog({ srcDir: src, keyPath, catalogVersion: 3, now: NOW });
    expect(manifest.catalogId).toBe('team-docs');
    expect(manifest.files.map((f) => f.path)).toEqual(['catalog-info.yaml', 'services/api/Runbook.MD', 'services/notes.markdown']);
    expect((await verifyCatalog(bytes, { trustedKey: key.publicKey })).files.size).toBe(3);
  });

  it('refuses a symbolic link inside the folder, naming it', async () => {
    const linked = join(dir, 'linked');
    await mkdir(linked);
    await writeFile(join(linked, 'ok.md'), 'ok');
    await symlink(join(RUNBOOKS, 'kubernetes/KubeAPIDown.md'), join(linked, 'sneaky.md'));
    await expectRefused(() => packCatalog({ srcDir: linked, keyPath, catalogVersion: 1 }), 'VAULT_BAD_INPUT', 'sneaky.md: ', 'symbolic link');
    await expectRefused(() => unpackedFolderFiles(linked), 'VAULT_BAD_INPUT', 'sneaky.md: ', 'symbolic link');
  });

  it('refuses a catalog version that is not a positive whole number', async () => {
    await expectRefused(() => packCatalog({ srcDir: src, keyPath, catalogVersion: 0 }), 'VAULT_BAD_INPUT', 'catalogVersion');
  });

  it('refuses a folder name that is not a catalog id unless one is given', async () => {
    const odd = join(dir, 'my docs!');
    await mkdir(odd);
    await writeFile(join(odd, 'a.md'), 'a');
    await expectRefused(() => packCatalog({ srcDir: odd, keyPath, catalogVersion: 1 }), 'VAULT_BAD_INPUT', 'catalogId', 'give a catalog id');
    const { manifest } = await packCatalog({ srcDir: odd, keyPath, catalogVersion: 1, catalogId: 'my-docs' });
    expect(manifest.catalogId).toBe('my-docs');
  });

  it('refuses a folder with nothing to pack', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    await writeFile(join(empty, 'picture.png'), 'x');
    await expectRefused(
      () => packCatalog({ srcDir: empty, keyPath, catalogVersion: 1 }),
      'VAULT_BAD_INPUT',
      'no .yaml, .yml, .md, .markdown, .ics or .pagerduty.json files',
    );
  });

  it('applies the limits to an unpacked folder, naming the file', async () => {
    await expectRefused(() => unpackedFolderFiles(src, { ...CATALOG_LIMITS, fileBytes: 8 }), 'VAULT_BAD_INPUT', 'catalog-info.yaml: ', 'per-file limit');
    // Images are read too (a page may show them), so they count: the third file in path order is the PNG.
    await expectRefused(() => unpackedFolderFiles(src, { ...CATALOG_LIMITS, entries: 2 }), 'VAULT_BAD_INPUT', 'services/api/diagram.png: ', 'more than 2');
  });

  it('refuses a folder that does not exist', async () => {
    await expectRefused(() => unpackedFolderFiles(join(dir, 'nope')), 'VAULT_NOT_FOUND', 'nope');
  });
});

describe('what a catalog costs before its signature is checked', () => {
  /** The same archive with one content entry's central-directory CRC-32 flipped: reading that entry fails. */
  function withDamagedEntry(bytes: Uint8Array, path: string): Uint8Array {
    const copy = bytes.slice();
    const name = strToU8(path);
    // The central directory comes last, so the last occurrence of the name is its central header's.
    let at = -1;
    for (let i = copy.length - name.length; i >= 0 && at < 0; i -= 1) {
      if (name.every((b, j) => copy[i + j] === b)) {
        at = i;
      }
    }
    const header = at - 46;
    expect(new DataView(copy.buffer).getUint32(header, true)).toBe(0x02014b50);
    copy[header + 16] = (copy[header + 16] ?? 0) ^ 0xff;
    return copy;
  }

  it('with a key that did not sign it, the signature is refused before any runbook is inflated', async () => {
    const damaged = withDamagedEntry(runbooks, CRASHLOOP);
    const stranger = await generatePublisherKey('Someone else');
    // Had the runbook been inflated first, its CRC-32 would have been the refusal.
    await expectRefused(() => verifyCatalog(damaged, { trustedKey: stranger.publicKey }), 'VAULT_TAMPERED', 'the signature does not verify');
    await expectRefused(() => verifyCatalog(damaged, { trustedKey: key.publicKey }), 'VAULT_BAD_INPUT', CRASHLOOP, 'CRC-32');
  });
});
