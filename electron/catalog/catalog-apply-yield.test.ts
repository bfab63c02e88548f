/**
 * Issue 19: applying a large sync held main's event loop for seconds (one
 * synchronous transaction), so the window's progress and requests waited.
 * The apply now lets the loop run every APPLY_BATCH changes, inside the
 * same transaction; a failure half way still leaves nothing behind.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runbookPage, writeCatalogFolder } from '../../test/support/catalog-folder.js';
import { newVault } from '../../test/support/test-vault.js';
import type { VaultSession } from '../vault/vault-session.js';
import { APPLY_BATCH } from './catalog-apply.js';
import { syncCatalog } from './catalog-sync.js';

const open: VaultSession[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const session of open.splice(0)) {
    await session.lock();
  }
});

async function bigFolder(count: number): Promise<string> {
  const files = Object.fromEntries(Array.from({ length: count }, (_, i) => [`rb/rb-${String(i)}.md`, runbookPage(`Runbook number ${String(i)}`)]));
  return writeCatalogFolder(await mkdtemp(join(tmpdir(), 'lifeboat-yield-')), 'ops-runbooks', files);
}

describe('applying a large sync', () => {
  it('lets main’s event loop run between batches of changes, with a progress count each time', async () => {
    const { session } = await newVault();
    open.push(session);
    const folder = await bigFolder(APPLY_BATCH * 3);
    // Another piece of work waiting for the loop (an IPC message, the window's heartbeat): it runs once per turn.
    let turns = 0;
    let stop = false;
    const other = (): void => {
      turns += 1;
      if (!stop) {
        setImmediate(other);
      }
    };
    setImmediate(other);
    const turnsAt: Record<string, number> = {};
    try {
      await syncCatalog(
        session,
        { kind: 'unsigned', dir: folder, catalogId: 'ops-runbooks' },
        {
          progress: (_done, _total, label) => {
            turnsAt[label] = turns;
          },
        },
      );
    } finally {
      stop = true;
    }
    const batch = (n: number): string => `Applied ${String(n)} of ${String(APPLY_BATCH * 3)} changes`;
    expect(Object.keys(turnsAt)).toEqual(expect.arrayContaining([batch(APPLY_BATCH), batch(APPLY_BATCH * 2), batch(APPLY_BATCH * 3)]));
    expect(turnsAt[batch(APPLY_BATCH * 2)]).toBeGreaterThan(turnsAt[batch(APPLY_BATCH)] ?? Infinity);
    expect(session.store().all()).toHaveLength(APPLY_BATCH * 3);
  });

  it('a failure after some batches still rolls everything back', async () => {
    const { session } = await newVault();
    open.push(session);
    const folder = await bigFolder(APPLY_BATCH * 2 + 5);
    const store = session.store();
    const putMany = store.putMany.bind(store);
    let batches = 0;
    vi.spyOn(store, 'putMany').mockImplementation((writes) => {
      batches += 1;
      if (batches === 3) {
        throw new Error('simulated failure after two batches');
      }
      putMany(writes);
    });
    await expect(syncCatalog(session, { kind: 'unsigned', dir: folder, catalogId: 'ops-runbooks' })).rejects.toThrow('simulated failure');
    open.splice(0);
  });
});
