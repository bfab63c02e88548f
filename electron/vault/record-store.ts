/**
 * The vault's database (sql.js, in memory; persisted as encrypted snapshots).
 * Storage only: validation, sealing and permissions live in vault-session.ts.
 * Sealed fields are stored as {"$sealed": base64} — ciphertext even inside
 * the decrypted database, opened only by a logged reveal.
 */
import type { Database } from 'sql.js';
import type { RecordSummary, RecordType, Revision } from '../../shared/records.js';
import { indexRecord, runSearch, searchableText, SEARCH_SCHEMA, type IndexedRecord, type SearchFilters, type SearchHit } from './search-index.js';
import { loadSqlite } from './sqlite-runtime.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS records (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  title TEXT NOT NULL,
  data TEXT NOT NULL,
  revision INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS records_type ON records (type, deleted);
CREATE TABLE IF NOT EXISTS revisions (
  record_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  at TEXT NOT NULL,
  by TEXT NOT NULL,
  action TEXT NOT NULL,
  changed TEXT NOT NULL,
  title TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (record_id, revision)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

export interface StoredRecord {
  id: string;
  type: RecordType;
  title: string;
  data: Record<string, unknown>;
  revision: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  deleted: boolean;
}

type Row = Record<string, string | number | null | Uint8Array>;

function rowsOf(db: Database, sql: string, params: (string | number)[] = []): Row[] {
  const statement = db.prepare(sql);
  try {
    statement.bind(params);
    const rows: Row[] = [];
    while (statement.step()) {
      rows.push(statement.getAsObject());
    }
    return rows;
  } finally {
    statement.free();
  }
}

function toRecord(row: Row): StoredRecord {
  return {
    id: String(row['id']),
    type: String(row['type']) as RecordType,
    title: String(row['title']),
    data: JSON.parse(String(row['data'])) as Record<string, unknown>,
    revision: Number(row['revision']),
    createdAt: String(row['created_at']),
    createdBy: String(row['created_by']),
    updatedAt: String(row['updated_at']),
    updatedBy: String(row['updated_by']),
    deleted: Number(row['deleted']) === 1,
  };
}

export class RecordStore {
  private constructor(private readonly db: Database) {}

  static async open(bytes?: Uint8Array): Promise<RecordStore> {
    const SQL = await loadSqlite();
    const db = bytes ? new SQL.Database(bytes) : new SQL.Database();
    db.run(SCHEMA);
    db.run(SEARCH_SCHEMA);
    const store = new RecordStore(db);
    store.reindexIfMissing();
    return store;
  }

  export(): Uint8Array {
    return this.db.export();
  }

  close(): void {
    this.db.close();
  }

  list(type?: RecordType): RecordSummary[] {
    const rows = type
      ? rowsOf(this.db, 'SELECT * FROM records WHERE deleted = 0 AND type = ? ORDER BY type, title', [type])
      : rowsOf(this.db, 'SELECT * FROM records WHERE deleted = 0 ORDER BY type, title');
    return rows.map(toRecord).map(({ id, type: t, title, revision, updatedAt, updatedBy }) => ({
      id,
      type: t,
      title,
      revision,
      updatedAt,
      updatedBy,
    }));
  }

  get(id: string): StoredRecord | undefined {
    const [row] = rowsOf(this.db, 'SELECT * FROM records WHERE id = ?', [id]);
    return row ? toRecord(row) : undefined;
  }

  /** Every stored record, deleted ones too (for rekeying sealed fields). */
  all(): StoredRecord[] {
    return rowsOf(this.db, 'SELECT * FROM records').map(toRecord);
  }

  put(record: StoredRecord, action: Revision['action'], changed: string[]): void {
    this.db.run(
      `INSERT INTO records (id, type, title, data, revision, created_at, created_by, updated_at, updated_by, deleted)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET type = excluded.type, title = excluded.title, data = excluded.data, revision = excluded.revision,
         updated_at = excluded.updated_at, updated_by = excluded.updated_by, deleted = excluded.deleted`,
      [
        record.id,
        record.type,
        record.title,
        JSON.stringify(record.data),
        record.revision,
        record.createdAt,
        record.createdBy,
        record.updatedAt,
        record.updatedBy,
        record.deleted ? 1 : 0,
      ],
    );
    indexRecord(this.db, this.indexKey(record), record.deleted ? null : searchableText(record.type, record.title, record.data));
    this.db.run('INSERT INTO revisions (record_id, revision, at, by, action, changed, title, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      record.id,
      record.revision,
      record.updatedAt,
      record.updatedBy,
      action,
      JSON.stringify(changed),
      record.title,
      JSON.stringify(record.data),
    ]);
  }

  /** Replaces a record's data in place, without a revision (used when rekeying sealed fields). */
  replaceData(id: string, data: Record<string, unknown>): void {
    this.db.run('UPDATE records SET data = ? WHERE id = ?', [JSON.stringify(data), id]);
  }

  /** Revisions' stored data also holds sealed fields: rekeying rewrites them too. */
  allRevisionData(): { recordId: string; revision: number; data: Record<string, unknown> }[] {
    return rowsOf(this.db, 'SELECT record_id, revision, data FROM revisions').map((row) => ({
      recordId: String(row['record_id']),
      revision: Number(row['revision']),
      data: JSON.parse(String(row['data'])) as Record<string, unknown>,
    }));
  }

  replaceRevisionData(recordId: string, revision: number, data: Record<string, unknown>): void {
    this.db.run('UPDATE revisions SET data = ? WHERE record_id = ? AND revision = ?', [JSON.stringify(data), recordId, revision]);
  }

  /** The title and data a record had at one revision (sealed fields still sealed). */
  revisionData(id: string, revision: number): { title: string; data: Record<string, unknown> } | undefined {
    const [row] = rowsOf(this.db, 'SELECT title, data FROM revisions WHERE record_id = ? AND revision = ?', [id, revision]);
    return row ? { title: String(row['title']), data: JSON.parse(String(row['data'])) as Record<string, unknown> } : undefined;
  }

  revisions(id: string): Revision[] {
    return rowsOf(this.db, 'SELECT * FROM revisions WHERE record_id = ? ORDER BY revision', [id]).map((row) => ({
      revision: Number(row['revision']),
      at: String(row['at']),
      by: String(row['by']),
      action: String(row['action']) as Revision['action'],
      changed: JSON.parse(String(row['changed'])) as string[],
    }));
  }

  /** Runs `work` in one SQLite transaction: all of it, or (on a throw) none of it. */
  transaction<T>(work: () => T): T {
    this.db.run('BEGIN');
    try {
      const result = work();
      this.db.run('COMMIT');
      return result;
    } catch (error) {
      this.db.run('ROLLBACK');
      throw error;
    }
  }

  private indexKey(record: StoredRecord): IndexedRecord {
    const [row] = rowsOf(this.db, 'SELECT rowid FROM records WHERE id = ?', [record.id]);
    return { rowid: Number(row?.['rowid']), id: record.id, type: record.type, archived: record.data['archived'] === true };
  }

  /** A database saved before the search index existed gets one on first open. */
  private reindexIfMissing(): void {
    const [indexed] = rowsOf(this.db, 'SELECT count(*) AS n FROM record_search');
    if (Number(indexed?.['n'] ?? 0) > 0) {
      return;
    }
    for (const record of this.all()) {
      if (!record.deleted) {
        indexRecord(this.db, this.indexKey(record), searchableText(record.type, record.title, record.data));
      }
    }
  }

  search(query: string, filters?: SearchFilters): SearchHit[] {
    return runSearch(this.db, query, filters);
  }

  getMeta(key: string): string | undefined {
    const [row] = rowsOf(this.db, 'SELECT value FROM meta WHERE key = ?', [key]);
    return row ? String(row['value']) : undefined;
  }

  /** Every meta value whose key starts with `prefix` (recovery sessions are kept as `session:<id>`). */
  metaWithPrefix(prefix: string): { key: string; value: string }[] {
    return rowsOf(this.db, 'SELECT key, value FROM meta WHERE substr(key, 1, ?) = ? ORDER BY key', [prefix.length, prefix]).map((row) => ({
      key: String(row['key']),
      value: String(row['value']),
    }));
  }

  setMeta(key: string, value: string): void {
    this.db.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
  }
}
