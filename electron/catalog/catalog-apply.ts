/**
 * Applies a computed diff to the vault in one transaction and one snapshot:
 * every change becomes a revision; removed entries are archived, not
 * deleted; conflicts keep the local edit unless told to take the catalog's.
 * If anything fails, the database is rolled back and nothing is written.
 * Every APPLY_BATCH changes it reports progress and lets main's event loop
 * run (issue 19: a 5,000-record sync held it for seconds); the transaction
 * stays open meanwhile, which is safe because every other use of an open
 * vault waits its turn (VaultService.exclusive).
 */
import type { CatalogRef } from '../../shared/records.js';
import type { PutRequest, StoredRecord } from '../vault/records/record-store.js';
import { newRecordId, validateData } from '../vault/records/vault-records.js';
import type { VaultSession } from '../vault/vault-session.js';
import type { CatalogEntry } from './catalog-content.js';
import type { CatalogImage } from './catalog-images.js';
import { entryHash, type SyncChange, type SyncDiff } from './catalog-diff.js';
import { rememberKeptLocal } from './catalog-kept-local.js';
import { pinPublisher } from './catalog-pins.js';
import { recordAppliedVersion } from './catalog-trust.js';

export type ConflictChoice = 'keep-local' | 'take-catalog';

export interface ApplyInput {
  catalogId: string;
  catalogVersion: number;
  publisher: string;
  /** The signed manifest's createdAt (clock evidence, shared/clock-check.ts). */
  signedAt?: string;
  unsigned: boolean;
  /** Set on a catalog id's first signed sync, or an owner's re-pin: the key the id is pinned to from now on. */
  pinKeyId?: string;
  diff: SyncDiff;
  /** Every image the catalog carries: the catalog id's images become exactly these. */
  images?: readonly CatalogImage[];
  /** Records of unsigned imports this signed catalog adopts (catalog-adopt.ts): each becomes the entry's record. */
  adopted?: SyncChange[];
  /** Per conflict key; default keep-local. */
  conflictChoice: (change: SyncChange) => ConflictChoice;
  progress?: (done: number, total: number) => void;
}

export interface ApplyCounts {
  added: number;
  changed: number;
  archived: number;
  conflictsKeptLocal: number;
  conflictsTookCatalog: number;
  adopted: number;
}

/**
 * Changes written between two turns of the event loop, each batch table by
 * table (RecordStore.putMany): 250 runbooks take ~60 ms, and batches of 50
 * lost a third of what writing table by table gains (issue 20).
 */
export const APPLY_BATCH = 250;

const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function applyDiff(session: VaultSession, input: ApplyInput): Promise<ApplyCounts> {
  const { sodium } = session;
  const store = session.store();
  const now = new Date().toISOString();
  const by = session.member.name;
  const counts: ApplyCounts = { added: 0, changed: 0, archived: 0, conflictsKeptLocal: 0, conflictsTookCatalog: 0, adopted: 0 };
  const takeConflicts = input.diff.conflicts.filter((c) => input.conflictChoice(c) === 'take-catalog');
  counts.conflictsTookCatalog = takeConflicts.length;
  counts.conflictsKeptLocal = input.diff.conflicts.length - takeConflicts.length;
  const adopted = input.adopted ?? [];
  const total = adopted.length + input.diff.added.length + input.diff.changed.length + takeConflicts.length + input.diff.removed.length;
  let done = 0;
  /** `n` more changes written: progress, and main's loop gets a turn, each time the count passes a batch. */
  const advance = async (n: number): Promise<void> => {
    const before = Math.floor(done / APPLY_BATCH);
    done += n;
    const passed = Math.floor(done / APPLY_BATCH) > before;
    if (passed || (n > 0 && done === total)) {
      input.progress?.(done, total);
    }
    if (passed) {
      await breathe();
    }
  };

  const refFor = (entry: CatalogEntry, revision: number): CatalogRef => ({
    catalogId: input.catalogId,
    key: entry.key,
    file: entry.file,
    catalogVersion: input.catalogVersion,
    syncedRevision: revision,
    entryHash: entryHash(sodium, entry),
    ...(input.unsigned ? { unsigned: true } : {}),
  });

  const recordFor = (entry: CatalogEntry, current: StoredRecord | undefined, fields: string[]): PutRequest => {
    const revision = (current?.revision ?? 0) + 1;
    // A catalog cannot set the two-person rule; an owner's mark survives the catalog's changes.
    const mark = current?.data['twoPerson'] === true ? { twoPerson: true } : {};
    const data = validateData(entry.type, { ...entry.data, ...mark, catalogRef: refFor(entry, revision) });
    return {
      record: {
        id: current?.id ?? newRecordId(sodium, entry.type),
        type: entry.type,
        title: entry.title,
        data,
        revision,
        createdAt: current?.createdAt ?? now,
        createdBy: current?.createdBy ?? by,
        updatedAt: now,
        updatedBy: by,
        deleted: false,
      },
      action: current ? 'edited' : 'created',
      changed: fields,
      isNew: current === undefined,
    };
  };

  // Added, then adopted (an unsigned import's record becomes this catalog's, with a new ref, no longer
  // flagged unsigned), then changed: written APPLY_BATCH at a time, table by table (RecordStore.putMany).
  const writes = [
    ...input.diff.added.map((change) => ({ change, kind: 'added' as const })),
    ...adopted.map((change) => ({ change, kind: 'adopted' as const })),
    ...[...input.diff.changed, ...takeConflicts].map((change) => ({ change, kind: 'changed' as const })),
  ];

  await store.transactionAsync(async () => {
    for (let at = 0; at < writes.length; at += APPLY_BATCH) {
      const batch = writes.slice(at, at + APPLY_BATCH);
      store.putMany(
        batch.map(({ change, kind }) =>
          recordFor(change.entry as CatalogEntry, kind === 'added' ? undefined : store.get(change.recordId ?? ''), change.fields),
        ),
      );
      for (const { kind } of batch) {
        counts[kind] += 1;
      }
      await advance(batch.length);
    }
    // Keeping a local edit still undoes the catalog's own archiving when the entry returns,
    // and is remembered against the catalog content refused (catalog-kept-local.ts).
    const kept = new Map<string, string>();
    for (const change of input.diff.conflicts.filter((c) => input.conflictChoice(c) === 'keep-local')) {
      const current = store.get(change.recordId ?? '');
      if (current && change.entry) {
        kept.set(current.id, entryHash(sodium, change.entry));
      }
      if (current?.data['archived'] === true) {
        const data = { ...current.data };
        Reflect.deleteProperty(data, 'archived');
        store.put({ ...current, data, revision: current.revision + 1, updatedAt: now, updatedBy: by }, 'edited', ['archived']);
      }
    }
    for (const change of input.diff.removed) {
      const current = store.get(change.recordId ?? '');
      if (current) {
        const revision = current.revision + 1;
        // Archiving is the catalog's doing, not a local edit: the ref moves with it.
        const ref = { ...(current.data['catalogRef'] as CatalogRef), syncedRevision: revision };
        store.put({ ...current, data: { ...current.data, archived: true, catalogRef: ref }, revision, updatedAt: now, updatedBy: by }, 'edited', ['archived']);
        counts.archived += 1;
      }
      await advance(1);
    }
    const settled = [...input.diff.changed, ...takeConflicts, ...input.diff.removed, ...adopted].flatMap((c) => (c.recordId ? [c.recordId] : []));
    if (kept.size > 0 || settled.length > 0) {
      rememberKeptLocal(session, { kept, settled, catalogVersion: input.catalogVersion });
    }
    if (input.images) {
      store.replaceCatalogImages(input.catalogId, input.images);
    }
    // An unsigned folder has no version: it must never lower a signed catalog's rollback floor.
    recordAppliedVersion(session, input.catalogId, input.unsigned ? null : input.catalogVersion, input.publisher, input.signedAt);
    if (input.pinKeyId) {
      pinPublisher(session, input.catalogId, input.pinKeyId, input.publisher);
    }
  });
  return counts;
}
