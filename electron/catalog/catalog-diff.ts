/**
 * What a sync would change, computed before anything is written: entries of
 * the catalog against the vault's records that came from the same catalog.
 *
 * - added: a key the vault has never seen (or only archived, then it returns);
 * - changed: the catalog's entry differs from what the last sync applied,
 *   and nobody edited the record locally since;
 * - conflicts: both the catalog and a local edit changed it since the last sync;
 * - removed: the catalog no longer has it (the record is archived, not deleted);
 * - unchanged: the catalog gives the same entry as last time (local edits stay);
 *   also counted in keptLocal when the entry is one whose change a member
 *   already refused, keeping the local edit (catalog-kept-local.ts).
 */
import { ARCHIVE_CONFIRM_SHARE } from '../../shared/catalog-ids.js';
import type { RecordType } from '../../shared/records.js';
import { canonicalJson } from '../vault/canonical-json.js';
import type { Sodium } from '../vault/keys/crypto-runtime.js';
import type { StoredRecord } from '../vault/records/record-store.js';
import type { CatalogEntry } from './catalog-content.js';

export interface SyncChange {
  key: string;
  type: RecordType;
  title: string;
  file: string;
  recordId?: string;
  /** Fields whose values differ between the vault and the catalog. */
  fields: string[];
  entry?: CatalogEntry;
}

export interface SyncDiff {
  added: SyncChange[];
  changed: SyncChange[];
  conflicts: SyncChange[];
  removed: SyncChange[];
  unchanged: number;
  /** Of the unchanged: conflicts settled earlier by keeping the local edit, the catalog's side still the one refused. */
  keptLocal: number;
}

export function entryHash(sodium: Sodium, entry: Pick<CatalogEntry, 'title' | 'data'>): string {
  // The same UTF-8 bytes libsodium would encode from the string (canonical JSON has no lone surrogate),
  // encoded natively: half the cost of hashing every entry of a re-sync (issue 20).
  return sodium.to_hex(sodium.crypto_generichash(32, Buffer.from(canonicalJson({ title: entry.title, data: entry.data }), 'utf8'), null));
}

function catalogFields(record: StoredRecord): Record<string, unknown> {
  const { catalogRef: _ref, archived: _archived, ...rest } = record.data;
  return rest;
}

export function differingFields(record: StoredRecord, entry: CatalogEntry): string[] {
  const local = catalogFields(record);
  const keys = new Set([...Object.keys(local), ...Object.keys(entry.data)]);
  const fields = [...keys].filter((k) => canonicalJson(local[k] ?? null) !== canonicalJson(entry.data[k] ?? null));
  return record.title === entry.title ? fields.sort() : ['title', ...fields.sort()];
}

interface RefLike {
  catalogId: string;
  key: string;
  syncedRevision: number;
  entryHash: string;
}

/**
 * `signed`: a signed catalog rewrites the records an unsigned folder left under
 * its id (only when an owner adopts them, catalog-sync.ts), so they count as
 * changed even when the content is the same, and lose the unsigned flag.
 */
export function diffCatalog(
  sodium: Sodium,
  catalogId: string,
  entries: readonly CatalogEntry[],
  records: readonly StoredRecord[],
  signed = false,
  keptLocal: Readonly<Record<string, { entryHash: string }>> = {},
): SyncDiff {
  const byKey = new Map<string, StoredRecord>();
  for (const record of records) {
    const ref = record.data['catalogRef'] as RefLike | undefined;
    if (ref?.catalogId === catalogId && !record.deleted) {
      byKey.set(ref.key, record);
    }
  }
  const diff: SyncDiff = { added: [], changed: [], conflicts: [], removed: [], unchanged: 0, keptLocal: 0 };
  const seen = new Set<string>();
  for (const entry of entries) {
    seen.add(entry.key);
    const record = byKey.get(entry.key);
    const base = { key: entry.key, type: entry.type, title: entry.title, file: entry.file, entry };
    if (!record) {
      diff.added.push({ ...base, fields: Object.keys(entry.data).sort() });
      continue;
    }
    const ref = record.data['catalogRef'] as RefLike & { unsigned?: boolean };
    const hash = entryHash(sodium, entry);
    const catalogChanged = ref.entryHash !== hash || record.data['archived'] === true || (signed && ref.unsigned === true);
    if (!catalogChanged) {
      // Whatever was edited locally, the catalog gives what it gave: nothing to compare field by field.
      diff.unchanged += 1;
      continue;
    }
    const fields = differingFields(record, entry);
    const locallyEdited = record.revision > ref.syncedRevision;
    if (locallyEdited && fields.length > 0 && keptLocal[record.id]?.entryHash === hash && record.data['archived'] !== true) {
      // The same catalog content a member already refused for this record: settled, not asked again.
      diff.unchanged += 1;
      diff.keptLocal += 1;
    } else if (locallyEdited && fields.length > 0) {
      diff.conflicts.push({ ...base, recordId: record.id, fields });
    } else {
      diff.changed.push({ ...base, recordId: record.id, fields });
    }
  }
  for (const [key, record] of byKey) {
    if (!seen.has(key) && record.data['archived'] !== true) {
      const ref = record.data['catalogRef'] as { file?: string };
      diff.removed.push({ key, type: record.type, title: record.title, file: ref.file ?? '', recordId: record.id, fields: [] });
    }
  }
  return diff;
}

/**
 * Issue 17: how many of the catalog's live (not archived) records this diff
 * would archive, and whether that is more than ARCHIVE_CONFIRM_SHARE of them,
 * which needs an explicit confirmation (a wrong folder or id hides runbooks).
 */
export function archiveShare(
  catalogId: string,
  diff: SyncDiff,
  records: readonly StoredRecord[],
): { archiving: number; of: number; needsConfirmation: boolean } {
  const of = records.filter((r) => !r.deleted && r.data['archived'] !== true && (r.data['catalogRef'] as RefLike | undefined)?.catalogId === catalogId).length;
  const archiving = diff.removed.length;
  return { archiving, of, needsConfirmation: archiving > 0 && archiving > of * ARCHIVE_CONFIRM_SHARE };
}
