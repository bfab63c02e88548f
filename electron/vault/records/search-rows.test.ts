/**
 * The rows a search ranks must be FTS4's own matchinfo, however they are
 * read (search-rows.ts packs them and keeps per-row figures between
 * searches): these tests compare every figure with matchinfo('pcnalx') asked
 * row by row, before and after the index changes.
 */
import type { Database } from 'sql.js';
import { describe, expect, it } from 'vitest';
import { storedRecord } from '../../../test/support/stored-record.js';
import { RecordStore, type StoredRecord } from './record-store.js';
import { INDEX_COLUMNS } from './search-index.js';
import { matchExpression, phrasesOf, planQuery } from './search-query.js';
import { forEachMatch, ftsVarints } from './search-rows.js';

const dbOf = (store: RecordStore): Database => (store as unknown as { db: Database }).db;

function rowByRow(db: Database, match: string): Map<number, number[]> {
  const [result] = db.exec(
    "SELECT record_search.docid, matchinfo(record_search, 'pcnalx'), m.rtype FROM record_search JOIN record_search_meta m ON m.docid = record_search.docid WHERE record_search MATCH ? AND m.archived = 0",
    [match],
  );
  return new Map(
    (result?.values ?? []).map(([docid, blob]) => {
      const bytes = blob as Uint8Array;
      return [Number(docid), Array.from(new Uint32Array(bytes.slice().buffer))];
    }),
  );
}

function packed(
  db: Database,
  match: string,
  phrases: number,
  filters: { type?: string; includeArchived?: boolean } = {},
): Map<number, { type: string; info: number[] }> {
  const out = new Map<number, { type: string; info: number[] }>();
  forEachMatch(
    db,
    {
      table: 'record_search',
      meta: 'record_search_meta',
      phrases,
      columns: INDEX_COLUMNS.length,
      from: 'FROM record_search WHERE record_search MATCH ?',
      params: [match],
      ...(filters.type ? { type: filters.type } : {}),
      includeArchived: filters.includeArchived === true,
    },
    (docid, type, info) => out.set(docid, { type, info: Array.from(info) }),
  );
  return out;
}

function runbook(title: string, body: string, extra: Record<string, unknown> = {}): StoredRecord {
  return storedRecord('runbook', title, { body, service: 'billing', ...extra });
}

async function filled(): Promise<RecordStore> {
  const store = await RecordStore.open();
  const records = [
    runbook('Restore Postgres from backup', '# Restore\nStop writes. Restore the last base backup, then replay the WAL. Restore again if it fails.'),
    runbook('Rotate TLS certificates', 'If postgres clients fail the handshake, restart them.\n## Check\nopenssl s_client'),
    runbook('Old restore notes', 'restore restore restore', { archived: true }),
    storedRecord('service', 'billing-db', { dependsOn: ['storage'], owner: 'team-dba', description: 'Postgres for billing' }),
    storedRecord('secret', 'Postgres superuser', { password: { $sealed: 'AAAA' }, tags: ['database'] }),
    storedRecord('contact', 'Zoë Café', { role: 'database administrator, restores backups' }),
  ];
  store.transaction(() => {
    for (const record of records) {
      store.put(record, 'created', []);
    }
  });
  return store;
}

describe('search rows', () => {
  it('are matchinfo as FTS4 gives it row by row, for prefixes, synonyms and several words', async () => {
    const store = await filled();
    const db = dbOf(store);
    for (const query of ['rest', 'postgres backup', 'db', 'restore the wal', 'zoe', 'nothing-here']) {
      const phrases = phrasesOf(planQuery(query));
      const match = matchExpression(phrases) ?? '';
      const expected = rowByRow(db, match);
      const got = packed(db, match, phrases.length);
      expect([...got.keys()].sort(), query).toEqual([...expected.keys()].sort());
      for (const [docid, { info }] of got) {
        expect(info, `${query}: row ${docid}`).toEqual(expected.get(docid));
      }
    }
    store.close();
  });

  it('leave archived rows out unless asked, and keep to a type when asked', async () => {
    const store = await filled();
    const db = dbOf(store);
    const types = (rows: Map<number, { type: string }>): string[] => [...rows.values()].map((r) => r.type).sort();
    expect(types(packed(db, 'restor*', 1))).toEqual(['contact', 'runbook']);
    expect(types(packed(db, 'restor*', 1, { includeArchived: true }))).toEqual(['contact', 'runbook', 'runbook']);
    expect(types(packed(db, 'restor*', 1, { type: 'contact' }))).toEqual(['contact']);
    store.close();
  });

  it('follow the index when a record changes (lengths, counts and archived flags are not stale)', async () => {
    const store = await filled();
    const db = dbOf(store);
    expect(packed(db, 'restor*', 1).size).toBe(2);
    const [first] = store.list('runbook');
    const record = store.get(first?.id ?? '') as StoredRecord;
    store.transaction(() => {
      store.put({ ...record, revision: 2, data: { ...record.data, body: 'restore '.repeat(40) } }, 'edited', ['body']);
      store.put(runbook('Restore DNS', 'restore the zone'), 'created', []);
    });
    const got = packed(db, 'restor*', 1);
    const expected = rowByRow(db, 'restor*');
    expect(got.size).toBe(3);
    for (const [docid, { info }] of got) {
      expect(info).toEqual(expected.get(docid));
    }
    store.close();
  });

  it('read FTS4 varints least significant group first', () => {
    expect(ftsVarints(Uint8Array.of(0x05, 0x96, 0x01, 0xff, 0xff, 0x03))).toEqual([5, 150, 65535]);
  });
});
