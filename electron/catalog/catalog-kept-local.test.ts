/**
 * Issue 19, item 10: a conflict settled by keeping the local edit came back
 * on every later sync, even when the catalog had not changed that record.
 * It is now remembered against the content hash of the catalog entry that
 * was refused: an unchanged catalog does not ask again; a catalog that
 * changes the record again does. Dry runs decide nothing; a sync that fails
 * forgets its decisions; the memory survives a lock; one in the wrong shape
 * asks again.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runbookPage, writeCatalogFolder } from '../../test/support/catalog-folder.js';
import { newVault, unlockAs } from '../../test/support/test-vault.js';
import { editRecord } from '../vault/records/vault-records.js';
import type { VaultSession } from '../vault/vault-session.js';
import { keptLocalDecisions } from './catalog-kept-local.js';
import { syncCatalog, type SyncOptions } from './catalog-sync.js';

let work: string;
const open: VaultSession[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lifeboat-kept-local-'));
});
afterEach(async () => {
  for (const session of open.splice(0)) {
    await session.lock();
  }
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function setUp(): Promise<{ dir: string; session: VaultSession; folder: string; restoreId: string }> {
  const { dir, session } = await newVault();
  open.push(session);
  const folder = await writeCatalogFolder(await mkdtemp(join(work, 'src-')), 'ops-runbooks', {
    'db/restore.md': runbookPage('Restore the database', 'Stop the writers'),
    'dns/failover.md': runbookPage('Fail over DNS'),
  });
  await syncFolder(session, folder);
  const restore = session
    .store()
    .all()
    .find((r) => r.title === 'Restore the database');
  if (!restore) {
    throw new Error('the runbook was not synced');
  }
  // A local edit, then a catalog change of the same record: a conflict.
  await editRecord(session, restore.id, { set: { body: 'LOCAL: page the DBA first.' } });
  await writeFile(join(folder, 'db/restore.md'), runbookPage('Restore the database', 'Stop the writers, then restore'));
  return { dir, session, folder, restoreId: restore.id };
}

function syncFolder(session: VaultSession, folder: string, options: SyncOptions = {}) {
  return syncCatalog(session, { kind: 'unsigned', dir: folder, catalogId: 'ops-runbooks' }, options);
}

describe('a conflict settled by keeping the local edit', () => {
  it('does not come back while the catalog side is unchanged, and comes back when the catalog changes that record again', async () => {
    const { session, folder, restoreId } = await setUp();
    const kept = await syncFolder(session, folder);
    expect(kept.diff.conflicts.map((c) => c.recordId)).toEqual([restoreId]);
    expect(kept.applied).toMatchObject({ conflictsKeptLocal: 1 });

    const again = await syncFolder(session, folder, { dryRun: true });
    expect(again.diff.conflicts).toEqual([]);
    expect(again.diff.changed).toEqual([]);
    expect(again.diff).toMatchObject({ unchanged: 2, keptLocal: 1 });
    expect(session.store().get(restoreId)?.data['body']).toBe('LOCAL: page the DBA first.');

    await writeFile(join(folder, 'db/restore.md'), runbookPage('Restore the database', 'Stop the writers, then restore from the 02:00 snapshot'));
    const changedAgain = await syncFolder(session, folder, { dryRun: true });
    expect(changedAgain.diff.conflicts.map((c) => c.recordId)).toEqual([restoreId]);
    expect(changedAgain.diff.keptLocal).toBe(0);
  });

  it('is remembered across a lock (in the encrypted database), and forgotten once the catalog’s version is taken', async () => {
    const { dir, session, folder, restoreId } = await setUp();
    await syncFolder(session, folder);
    await session.lock();
    open.splice(0);
    const alice = await unlockAs(dir, 'alice');
    open.push(alice);
    expect((await syncFolder(alice, folder, { dryRun: true })).diff.keptLocal).toBe(1);
    expect(Object.keys(keptLocalDecisions(alice))).toEqual([restoreId]);

    await writeFile(join(folder, 'db/restore.md'), runbookPage('Restore the database', 'Restore from the snapshot'));
    const taken = await syncFolder(alice, folder, { conflicts: 'take-catalog' });
    expect(taken.applied).toMatchObject({ conflictsTookCatalog: 1 });
    expect(keptLocalDecisions(alice)).toEqual({});
  });

  it('a dry run decides nothing: the conflict is still asked at the real sync', async () => {
    const { session, folder } = await setUp();
    await syncFolder(session, folder, { dryRun: true });
    expect(keptLocalDecisions(session)).toEqual({});
    expect((await syncFolder(session, folder, { dryRun: true })).diff.conflicts).toHaveLength(1);
  });

  it('a decision stored in the wrong shape counts as none: the conflict is asked again (the safe side)', async () => {
    const { session, folder } = await setUp();
    await syncFolder(session, folder);
    session.store().setMeta('keptLocalConflicts', JSON.stringify({ x: 'not a decision' }));
    expect((await syncFolder(session, folder, { dryRun: true })).diff.conflicts).toHaveLength(1);
    session.store().setMeta('keptLocalConflicts', '{ not json');
    expect((await syncFolder(session, folder, { dryRun: true })).diff.conflicts).toHaveLength(1);
  });
});
