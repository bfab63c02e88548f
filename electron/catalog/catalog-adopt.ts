/**
 * Issue 17, adoption: the same runbooks were first synced from an unsigned
 * folder (under its own id), and now arrive in a signed catalog. Without
 * adoption the signed sync adds them all again, as duplicates. An owner may
 * adopt them (`sync … --adopt`, logged): each record of an unsigned import
 * whose catalog key and file path are those of a new signed entry becomes
 * that signed catalog's record (a new revision, its history kept).
 *
 * Only records flagged unsigned are ever candidates: adoption never takes a
 * record of another signed catalog (ids stay pinned to their publisher). A
 * path two unsigned imports both hold is ambiguous and is not adopted.
 */
import type { CatalogRef } from '../../shared/records.js';
import type { StoredRecord } from '../vault/records/record-store.js';
import { differingFields, type SyncChange } from './catalog-diff.js';

export interface Adoption {
  /** New signed entries that an unsigned import already holds: recordId is that record. */
  candidates: SyncChange[];
  /** The unsigned catalog ids they come from. */
  from: string[];
}

/**
 * Records an unsigned folder left under this very id (synced before a signed
 * catalog used it): a signed sync rewrites or archives them, so it needs an
 * owner's --adopt too, or a trusted publisher could take over an owner's
 * import just by signing its id.
 */
export function heldUnderId(catalogId: string, records: readonly StoredRecord[]): SyncChange[] {
  return records.flatMap((record) => {
    const ref = record.data['catalogRef'] as CatalogRef | undefined;
    return !record.deleted && ref?.unsigned === true && ref.catalogId === catalogId
      ? [{ key: ref.key, type: record.type, title: record.title, file: ref.file, recordId: record.id, fields: [] }]
      : [];
  });
}

export function findAdoptable(catalogId: string, added: readonly SyncChange[], records: readonly StoredRecord[]): Adoption {
  const byPlace = new Map<string, StoredRecord[]>();
  for (const record of records) {
    const ref = record.data['catalogRef'] as CatalogRef | undefined;
    if (!record.deleted && ref?.unsigned === true && ref.catalogId !== catalogId) {
      const place = `${ref.key}\u0000${ref.file}`;
      byPlace.set(place, [...(byPlace.get(place) ?? []), record]);
    }
  }
  const candidates: SyncChange[] = [];
  const from = new Set<string>();
  for (const change of added) {
    const held = byPlace.get(`${change.key}\u0000${change.file}`);
    const record = held?.length === 1 ? held[0] : undefined;
    if (record && change.entry) {
      candidates.push({ ...change, recordId: record.id, fields: differingFields(record, change.entry) });
      from.add((record.data['catalogRef'] as CatalogRef).catalogId);
    }
  }
  return { candidates, from: [...from].sort() };
}
