/**
 * The work a sync does for each entry that needs no vault: its entry hash
 * (catalog-diff.ts), its search-index terms and its compressed body
 * (record-body.ts), done on the parse threads beside the parse itself
 * (catalog-parse-runner.ts), so that main only writes (issue 20: these were
 * most of a 5,000-runbook sync's time on main, one after the other).
 *
 * Each is of the entry exactly as parsed. A sync that changes an entry before
 * writing it (a procedure's secrets named by title, resolved to ids) gets
 * nothing from here for it: `PreparedEntries.of` answers only for the very
 * data object the parse produced, and packData uses a compressed body only
 * for the very text it was made from. The terms are computed from the entry
 * validated as the vault will store it (validateData trims, for one), with
 * its catalog file; what else the stored record's data holds (the rest of its
 * catalogRef, an owner's two-person mark) is not searchable text.
 */
import type { Sodium } from '../vault/keys/crypto-runtime.js';
import { compressBody, type CompressedBody } from '../vault/records/record-body.js';
import { indexTermsOf, type IndexTerms } from '../vault/records/search-index.js';
import { validateData } from '../vault/records/vault-records.js';
import { entryHash } from './catalog-diff.js';
import type { CatalogEntry } from './catalog-fields.js';

/** What a thread prepared for one entry (structured-clone friendly). */
export interface EntryPrep {
  hash: string;
  /** Absent when the entry does not validate: the sync refuses it on main, with the error. */
  terms?: IndexTerms;
  /** The stored body, compressed; absent when the body stays in the JSON. */
  body?: Uint8Array;
}

export function prepareEntry(sodium: Sodium, entry: CatalogEntry): EntryPrep {
  const hash = entryHash(sodium, entry);
  let validated: Record<string, unknown>;
  try {
    const ref = { catalogId: '-', key: entry.key, file: entry.file, catalogVersion: 0, syncedRevision: 0, entryHash: hash };
    validated = validateData(entry.type, { ...entry.data, catalogRef: ref });
  } catch {
    return { hash };
  }
  const body = compressBody(validated['body']);
  return { hash, terms: indexTermsOf(entry.type, entry.title, validated), ...(body ? { body } : {}) };
}

/** An entry's preparation, looked up by the entry a sync holds (see the top of this file). */
export class PreparedEntries {
  private readonly byKey = new Map<string, { data: Record<string, unknown>; prep: EntryPrep }>();

  constructor(pairs: Iterable<readonly [CatalogEntry, EntryPrep]>) {
    for (const [entry, prep] of pairs) {
      // A key given twice is a problem the sync refuses; the first is the entry kept meanwhile.
      if (!this.byKey.has(entry.key)) {
        this.byKey.set(entry.key, { data: entry.data, prep });
      }
    }
  }

  static none(): PreparedEntries {
    return new PreparedEntries([]);
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Only for an entry whose data is the object parsed (not a copy changed since). */
  of(entry: Pick<CatalogEntry, 'key' | 'data'>): EntryPrep | undefined {
    const held = this.byKey.get(entry.key);
    return held?.data === entry.data ? held.prep : undefined;
  }

  hash(sodium: Sodium, entry: CatalogEntry): string {
    return this.of(entry)?.hash ?? entryHash(sodium, entry);
  }

  /** What put() may reuse for the record written from `entry` with `data` (validated, with its ref). */
  ahead(entry: CatalogEntry, data: Record<string, unknown>): { terms?: IndexTerms; body?: CompressedBody } {
    const prep = this.of(entry);
    if (!prep) {
      return {};
    }
    const text = entry.data['body'];
    return {
      ...(prep.terms ? { terms: prep.terms } : {}),
      ...(prep.body && typeof text === 'string' && data['body'] === text ? { body: { text, body: prep.body } } : {}),
    };
  }
}
