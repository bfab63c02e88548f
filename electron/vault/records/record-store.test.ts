import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { RECORD_KINDS } from '../../../shared/record-kinds.js';
import { RECORD_TYPES } from '../../../shared/records.js';
import { storedRecord } from '../../../test/support/stored-record.js';
import { RecordStore, type StoredRecord } from './record-store.js';
import { indexTermsOf } from './search-index.js';

const text = fc.string({ maxLength: 12 });
/** Record data of any shape the index has to cope with: strings, lists of mixed values, sealed objects. */
const fieldValue = fc.oneof(
  text,
  fc.array(fc.oneof(text, fc.integer(), fc.constant(null), fc.array(text, { maxLength: 2 })), { maxLength: 4 }),
  fc.record({ $sealed: fc.base64String({ maxLength: 12 }) }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
/** Every field of every kind (searched or not), and the common ones the index reads. */
const FIELDS = [...new Set([...Object.values(RECORD_KINDS).flatMap((kind) => kind.fields.map((f) => f.key)), 'tags', 'archived'])];
const data = fc.dictionary(fc.constantFrom(...FIELDS), fieldValue, { maxKeys: 8 });
const recordType = fc.constantFrom(...RECORD_TYPES);

function version(record: StoredRecord, changes: Partial<StoredRecord>): StoredRecord {
  return { ...record, ...changes, revision: record.revision + 1 };
}

describe('record store: the search index reads its text from the records', () => {
  it('indexes exactly the terms indexTermsOf() gives, for any shape of record data', async () => {
    const store = await RecordStore.open();
    fc.assert(
      fc.property(recordType, text, data, (type, title, d) => {
        const record = storedRecord(type, title, d);
        store.transaction(() => {
          store.put(record, 'created', []);
        });
        expect(store.indexedText(record.id)).toEqual(indexTermsOf(type, title, d));
      }),
      { numRuns: 300 },
    );
    expect(store.searchIndexConsistent()).toBe(true);
    store.close();
  });

  it('stays consistent through any sequence of creates, edits, archives and deletions', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(5), fc.constantFrom('put', 'delete', 'archive'), text, data), { minLength: 1, maxLength: 25 }),
        async (steps) => {
          const store = await RecordStore.open();
          const records = new Map<number, StoredRecord>();
          for (const [slot, action, title, d] of steps) {
            const old = records.get(slot);
            const next = !old
              ? storedRecord('runbook', title, d)
              : action === 'delete'
                ? version(old, { deleted: true })
                : version(old, { title, data: action === 'archive' ? { ...d, archived: true } : d, deleted: false });
            store.transaction(() => {
              store.put(next, old ? 'edited' : 'created', []);
            });
            records.set(slot, next);
          }
          expect(store.searchIndexConsistent()).toBe(true);
          store.close();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('writes a batch (putMany, table by table) exactly as the same writes one by one', async () => {
    // Each step: records created or changed (archived, deleted) in one batch; the same batches put one at a time elsewhere.
    const batches = fc.array(
      fc.uniqueArray(fc.tuple(fc.nat(7), fc.constantFrom('put', 'delete', 'archive'), text, data), { selector: ([slot]) => slot, maxLength: 6 }),
      {
        minLength: 1,
        maxLength: 5,
      },
    );
    await fc.assert(
      fc.asyncProperty(batches, async (steps) => {
        const [batched, single] = [await RecordStore.open(), await RecordStore.open()];
        const records = new Map<number, StoredRecord>();
        for (const batch of steps) {
          const writes = batch.map(([slot, action, title, d]) => {
            const old = records.get(slot);
            const record = !old
              ? storedRecord('runbook', title, d)
              : action === 'delete'
                ? version(old, { deleted: true })
                : version(old, { title, data: action === 'archive' ? { ...d, archived: true } : d, deleted: false });
            records.set(slot, record);
            return { record, action: old ? ('edited' as const) : ('created' as const), changed: [], isNew: old === undefined };
          });
          batched.transaction(() => {
            batched.putMany(writes);
          });
          single.transaction(() => {
            writes.forEach((w) => {
              single.put(w.record, w.action, w.changed, { isNew: w.isNew });
            });
          });
        }
        for (const record of records.values()) {
          expect(batched.get(record.id)).toEqual(single.get(record.id));
          expect(batched.revisions(record.id)).toEqual(single.revisions(record.id));
          expect(batched.indexedText(record.id)).toEqual(single.indexedText(record.id));
          for (let n = 1; n <= record.revision; n++) {
            expect(batched.revisionData(record.id, n)).toEqual(single.revisionData(record.id, n));
          }
        }
        expect(batched.searchIndexConsistent()).toBe(true);
        batched.close();
        single.close();
      }),
      { numRuns: 40 },
    );
  });

  it('finds a record by its new words after an edit, and not by the old ones', async () => {
    const store = await RecordStore.open();
    const record = storedRecord('runbook', 'Failover', { body: 'promote the zanzibar replica', steps: ['drain quokka traffic'] });
    store.transaction(() => {
      store.put(record, 'created', []);
    });
    expect(store.search('zanzibar', { exact: true }).hits.map((h) => h.id)).toEqual([record.id]);
    store.transaction(() => {
      store.put(version(record, { data: { body: 'promote the walrus replica', steps: [] } }), 'edited', ['body', 'steps']);
    });
    expect(store.search('zanzibar', { exact: true }).hits).toEqual([]);
    expect(store.search('quokka', { exact: true }).hits).toEqual([]);
    expect(store.search('walrus', { exact: true }).hits.map((h) => h.id)).toEqual([record.id]);
    expect(store.search('walrus', { exact: true }).hits[0]?.snippet).toContain('\u0002walrus\u0003');
    store.close();
  });
});

describe('record store: bodies are stored compressed', () => {
  /** The saved database image of a store holding `record` alone. */
  async function imageOf(record: StoredRecord): Promise<Uint8Array> {
    const store = await RecordStore.open();
    store.transaction(() => {
      store.put(record, 'created', []);
    });
    const image = store.export();
    store.close();
    return image;
  }

  // 'binary' includes unpaired surrogates: valid in a JavaScript string and in JSON, not in UTF-8.
  const anyBody = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 40 }), fieldValue);

  it('gives every record back exactly as it was written, keys in order, whatever its body', async () => {
    const store = await RecordStore.open();
    fc.assert(
      fc.property(recordType, text, data, anyBody, (type, title, d, body) => {
        const written = { ...d, body };
        const record = storedRecord(type, title, written);
        store.transaction(() => {
          store.put(record, 'created', []);
        });
        const read = store.get(record.id)?.data;
        expect(read).toEqual(written);
        expect(Object.keys(read ?? {})).toEqual(Object.keys(written));
        expect(store.indexedText(record.id)).toEqual(indexTermsOf(type, title, written));
        // all() inflates a body when it is first read: the same data, keys, JSON and copies.
        const lazy = store.all().find((r) => r.id === record.id)?.data;
        expect(lazy).toEqual(written);
        expect(JSON.stringify(lazy)).toBe(JSON.stringify(written));
        expect(structuredClone(lazy)).toEqual(written);
        expect({ ...lazy }).toEqual(written);
      }),
      { numRuns: 200 },
    );
    store.close();
  });

  it('gives all() a body that is inflated when read and replaced when written', async () => {
    const store = await RecordStore.open();
    const record = storedRecord('runbook', 'Restore', { body: '# Restore\n\n1. Stop the service\n' });
    store.transaction(() => {
      store.put(record, 'created', []);
    });
    const [data] = store.all().map((r) => r.data);
    expect(data?.['body']).toBe('# Restore\n\n1. Stop the service\n');
    if (data) {
      data['body'] = 'changed';
    }
    expect(data).toEqual({ body: 'changed' });
    expect(store.get(record.id)?.data['body']).toBe('# Restore\n\n1. Stop the service\n');
    store.close();
  });

  it('keeps a body UTF-8 cannot carry (an unpaired surrogate) exactly, in the record itself', async () => {
    const record = storedRecord('runbook', 'Half an emoji', { body: 'cut here: \ud83d then on' });
    const image = await imageOf(record);
    const store = await RecordStore.open(image);
    expect(store.get(record.id)?.data['body']).toBe('cut here: \ud83d then on');
    store.close();
    const SQL = await initSqlJs();
    const raw = new SQL.Database(image);
    expect(raw.exec('SELECT body IS NULL FROM records')[0]?.values).toEqual([[1]]);
    raw.close();
  });

  it('refuses a stored body that does not inflate as damage (VAULT_TAMPERED), not a crash', async () => {
    const record = storedRecord('runbook', 'Restore', { body: 'walrus steps' });
    const SQL = await initSqlJs();
    const raw = new SQL.Database(await imageOf(record));
    raw.run("UPDATE records SET body = x'ffffffff'");
    const damaged = await RecordStore.open(raw.export());
    raw.close();
    expect(() => damaged.get(record.id)).toThrow(expect.objectContaining({ code: 'VAULT_TAMPERED' }));
    damaged.close();
  });

  it('keeps a runbook in a fraction of its size, with no plain copy of its text, and finds it after a reopen', async () => {
    // Real prose: this repository's own format document, as a runbook body.
    const body = readFileSync(new URL('../../../docs/vault-format.md', import.meta.url), 'utf8');
    const phrase = body.split('\n').find((line) => line.length > 60) ?? '';
    const record = storedRecord('runbook', 'Restore the vault format', { service: 'vault', body, steps: ['one'] });
    const image = await imageOf(record);
    expect(Buffer.from(image).includes(Buffer.from(phrase))).toBe(false);
    const SQL = await initSqlJs();
    const raw = new SQL.Database(image);
    const [stored] = raw.exec("SELECT length(body), json_type(data, '$.body') FROM records")[0]?.values ?? [];
    expect(Number(stored?.[0])).toBeLessThan(Buffer.byteLength(body) / 2);
    expect(stored?.[1]).toBe('null');
    raw.close();
    const reopened = await RecordStore.open(image);
    expect(reopened.get(record.id)?.data).toEqual({ service: 'vault', body, steps: ['one'] });
    expect(reopened.search('secretstream', { exact: true }).hits.map((h) => h.id)).toEqual([record.id]);
    expect(reopened.searchIndexConsistent()).toBe(true);
    reopened.close();
  });
});

describe('record store: revisions', () => {
  it('keeps every version of a record while storing the current one once', async () => {
    const store = await RecordStore.open();
    const v1 = storedRecord('runbook', 'Restore', { body: 'one' });
    const v2 = version(v1, { data: { body: 'two' } });
    const v3 = version(v2, { title: 'Restore now', data: { body: 'three' } });
    for (const [v, action] of [
      [v1, 'created'],
      [v2, 'edited'],
      [v3, 'edited'],
    ] as const) {
      store.transaction(() => {
        store.put(v, action, []);
      });
    }
    expect([1, 2, 3].map((n) => store.revisionData(v1.id, n))).toEqual([
      { title: 'Restore', data: { body: 'one' } },
      { title: 'Restore', data: { body: 'two' } },
      { title: 'Restore now', data: { body: 'three' } },
    ]);
    expect(store.revisionData(v1.id, 4)).toBeUndefined();
    // Rekeying rewrites stored revision data: the current version is the record's own.
    expect(store.allRevisionData().map((r) => r.revision)).toEqual([1, 2]);
    store.close();
  });

  it('drops a change whose transaction fails, revisions and index included', async () => {
    const store = await RecordStore.open();
    const v1 = storedRecord('runbook', 'Restore', { body: 'original words' });
    store.transaction(() => {
      store.put(v1, 'created', []);
    });
    expect(() =>
      store.transaction(() => {
        store.put(version(v1, { data: { body: 'replacement words' } }), 'edited', ['body']);
        throw new Error('disk on fire');
      }),
    ).toThrow('disk on fire');
    expect(store.get(v1.id)?.data).toEqual({ body: 'original words' });
    expect(store.revisionData(v1.id, 1)).toEqual({ title: 'Restore', data: { body: 'original words' } });
    expect(store.search('original', { exact: true }).hits.map((h) => h.id)).toEqual([v1.id]);
    expect(store.search('replacement', { exact: true }).hits).toEqual([]);
    expect(store.searchIndexConsistent()).toBe(true);
    store.close();
  });
});

describe('record store: databases saved by earlier versions', () => {
  /** The layout of stop 10 (index with its own copy of the text, every revision with its data). */
  async function earlierDatabase(): Promise<Uint8Array> {
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run(`
      CREATE TABLE records (id TEXT PRIMARY KEY, type TEXT NOT NULL, title TEXT NOT NULL, data TEXT NOT NULL, revision INTEGER NOT NULL,
        created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);
      CREATE INDEX records_type ON records (type, deleted);
      CREATE TABLE revisions (record_id TEXT NOT NULL, revision INTEGER NOT NULL, at TEXT NOT NULL, by TEXT NOT NULL, action TEXT NOT NULL,
        changed TEXT NOT NULL, title TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (record_id, revision));
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE VIRTUAL TABLE record_search USING fts4(title, service, body, people, tags, prefix="2,3", tokenize=unicode61);
      CREATE TABLE record_search_meta (docid INTEGER PRIMARY KEY, rid TEXT NOT NULL, rtype TEXT NOT NULL, archived INTEGER NOT NULL);`);
    const at = '2026-01-01T00:00:00.000Z';
    const rows: [string, string, string, number, number][] = [
      ['a', 'Restore billing', '{"body":"walrus steps"}', 2, 0],
      ['b', 'Old runbook', '{"body":"quokka"}', 1, 1],
    ];
    for (const [id, title, data, revision, deleted] of rows) {
      db.run('INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [id, 'runbook', title, data, revision, at, 'alice', at, 'alice', deleted]);
    }
    db.run(`INSERT INTO revisions VALUES ('a', 1, '${at}', 'alice', 'created', '[]', 'Restore billing', '{"body":"first words"}'),
      ('a', 2, '${at}', 'alice', 'edited', '["body"]', 'Restore billing', '{"body":"walrus steps"}'),
      ('b', 1, '${at}', 'alice', 'created', '[]', 'Old runbook', '{"body":"quokka"}')`);
    db.run(`INSERT INTO record_search (docid, title, body) VALUES (1, 'Restore billing', 'walrus steps')`);
    db.run(`INSERT INTO record_search_meta VALUES (1, 'a', 'runbook', 0)`);
    const bytes = db.export();
    db.close();
    return bytes;
  }

  it('opens with its search index rebuilt from the records and its history intact', async () => {
    const store = await RecordStore.open(await earlierDatabase());
    expect(store.search('walrus', { exact: true }).hits.map((h) => h.id)).toEqual(['a']);
    expect(store.get('a')?.data).toEqual({ body: 'walrus steps' });
    expect(store.search('quokka', { exact: true }).hits).toEqual([]);
    expect(store.searchIndexConsistent()).toBe(true);
    expect(store.revisionData('a', 1)).toEqual({ title: 'Restore billing', data: { body: 'first words' } });
    expect(store.revisionData('a', 2)).toEqual({ title: 'Restore billing', data: { body: 'walrus steps' } });
    // The current version is no longer stored twice.
    expect(store.allRevisionData().map((r) => `${r.recordId}/${r.revision}`)).toEqual(['a/1']);
    // And it keeps working like a new one.
    store.transaction(() => {
      store.put({ ...(store.get('a') as StoredRecord), revision: 3, data: { body: 'zebra' } }, 'edited', ['body']);
    });
    expect(store.search('walrus', { exact: true }).hits).toEqual([]);
    expect(store.revisionData('a', 2)).toEqual({ title: 'Restore billing', data: { body: 'walrus steps' } });
    expect(store.searchIndexConsistent()).toBe(true);
    // Saved, the bodies are in their own column, compressed.
    const SQL = await initSqlJs();
    const saved = new SQL.Database(store.export());
    expect(saved.exec("SELECT id, json_type(data, '$.body'), typeof(body) FROM records ORDER BY id")[0]?.values).toEqual([
      ['a', 'null', 'blob'],
      ['b', 'null', 'blob'],
    ]);
    saved.close();
    store.close();
  });

  it('saves without dead space, even after many edits and deletions', async () => {
    const SQL = await initSqlJs();
    for (const start of [undefined, await earlierDatabase()]) {
      const store = await RecordStore.open(start);
      const records = Array.from({ length: 60 }, (_, i) => storedRecord('runbook', `Runbook ${i}`, { body: `step ${i} `.repeat(400) }));
      store.transaction(() => {
        records.forEach((r) => {
          store.put(r, 'created', []);
        });
      });
      store.transaction(() => {
        records.forEach((r, i) => {
          store.put(version(r, i % 2 ? { deleted: true } : { data: { body: 'short' } }), 'edited', ['body']);
        });
      });
      const saved = new SQL.Database(store.export());
      const pragma = (name: string): unknown => saved.exec(`PRAGMA ${name}`)[0]?.values[0]?.[0];
      expect(pragma('auto_vacuum')).toBe(1);
      expect(pragma('freelist_count')).toBe(0);
      expect(store.searchIndexConsistent()).toBe(true);
      saved.close();
      store.close();
    }
  });
});

describe('record store: opening a decrypted image', () => {
  it('runs on the image itself rather than a copy, and zeroes it when closed', async () => {
    const source = await RecordStore.open();
    const record = storedRecord('runbook', 'Restore', { body: 'walrus' });
    source.transaction(() => {
      source.put(record, 'created', []);
    });
    const image = source.export();
    source.close();
    const store = await RecordStore.adopt(image);
    // If sql.js ever copies again, this says so (the store still works, with the memory of two copies).
    expect(store.sharesImage).toBe(true);
    expect(store.search('walrus', { exact: true }).hits.map((h) => h.id)).toEqual([record.id]);
    store.transaction(() => {
      store.put(version(record, { data: { body: 'narwhal' } }), 'edited', ['body']);
    });
    expect(store.search('narwhal', { exact: true }).hits.map((h) => h.id)).toEqual([record.id]);
    expect(image.some((b) => b !== 0)).toBe(true);
    store.close();
    expect(image.every((b) => b === 0)).toBe(true);
  });

  it('zeroes an image it could not open', async () => {
    const image = new Uint8Array(4096).fill(0x41);
    await expect(RecordStore.adopt(image)).rejects.toThrow();
    expect(image.every((b) => b === 0)).toBe(true);
  });
});

describe('record store: the catalog paths links resolve against (issue 17)', () => {
  const ref = (catalogId: string, file: string) => ({
    catalogRef: { catalogId, key: file, file, catalogVersion: 1, syncedRevision: 1, entryHash: 'h' },
  });

  it('answers from what it kept until anything changes, also after a save reopened the connection', async () => {
    const store = await RecordStore.open();
    const a = storedRecord('runbook', 'A', { body: '', ...ref('ops', 'a.md') });
    store.transaction(() => {
      store.put(a, 'created', []);
    });
    expect(store.catalogFiles('ops').map((r) => r.file)).toEqual(['a.md']);
    // A save between (older sql.js reopened the connection there, starting its change count again), then a write.
    store.export();
    const b = storedRecord('runbook', 'B', { body: '', ...ref('ops', 'b.md') });
    store.transaction(() => {
      store.put(b, 'created', []);
    });
    expect(store.catalogFiles('ops').map((r) => r.file)).toEqual(['a.md', 'b.md']);
    store.transaction(() => {
      store.put(version(b, { deleted: true }), 'deleted', []);
    });
    expect(store.catalogFiles('ops').map((r) => r.title)).toEqual(['A']);
    store.transaction(() => {
      store.put(storedRecord('runbook', 'Other', { body: '', ...ref('other', 'a.md') }), 'created', []);
    });
    expect(store.catalogFiles('ops').map((r) => r.title)).toEqual(['A']);
    expect(store.catalogFiles('other').map((r) => r.title)).toEqual(['Other']);
    store.close();
  });
});
