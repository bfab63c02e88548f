/**
 * The vault's database (sql.js, in memory; persisted as encrypted snapshots).
 * Storage only: validation, sealing and permissions live in vault-session.ts.
 * Sealed fields are stored as {"$sealed": base64} — ciphertext even inside
 * the decrypted database, opened only by a logged reveal.
 */
import type { Database, Statement } from 'sql.js';
import type { RecordSummary, RecordType, Revision } from '../../../shared/records.js';
import {
  dropSearchIndex,
  forgetVocabulary,
  INDEX_INSERT,
  INDEX_META_INSERT,
  indexRecord,
  indexTermsOf,
  rebuildSearchIndex,
  registerSearchFunctions,
  runSearch,
  SEARCH_SCHEMA,
  searchIndexIsCurrent,
  totalChanges,
  unindexRecord,
  type IndexTerms,
  type SearchFilters,
  type SearchResult,
} from './search-index.js';
import { loadSqlite, zeroFreedSqliteMemory } from '../storage/sqlite-runtime.js';
import { BODY_FUNCTION, bodyBytes, packData, unpackData, unpackDataLazily } from './record-body.js';
import { forgetWords } from './search-text.js';

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
  deleted INTEGER NOT NULL DEFAULT 0,
  body BLOB
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
CREATE TABLE IF NOT EXISTS catalog_images (
  catalog_id TEXT NOT NULL,
  path TEXT NOT NULL,
  mime TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  bytes BLOB NOT NULL,
  PRIMARY KEY (catalog_id, path)
);
`;

/** An image a catalog carries (electron/catalog/catalog-images.ts), as the vault keeps it. */
export interface StoredImage {
  path: string;
  mime: string;
  sha256: string;
  bytes: Uint8Array;
}

/** What a put may be told. */
export interface PutOptions {
  /** The id is new: insert (failing on a taken id) without looking for a row to replace. */
  isNew?: boolean;
}

/** One write of putMany: what put() is given. */
export interface PutRequest extends PutOptions {
  record: StoredRecord;
  action: Revision['action'];
  changed: string[];
}

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

/** A revision row's data while that revision is its record's current one (the record row holds it). */
const CURRENT = '';

/**
 * Free pages are given back at every commit, so a snapshot holds no dead
 * space (FTS4 merges segments and leaves ~20 % of the file free otherwise;
 * every save encrypts and writes all of it).
 */
const AUTO_VACUUM_FULL = 1;

/** The functions the schema relies on (the search view reads bodies through BODY_FUNCTION). */
function registerFunctions(db: Database): void {
  db.create_function(BODY_FUNCTION, (body: unknown) => (body instanceof Uint8Array ? bodyBytes(body) : null));
  registerSearchFunctions(db);
}

function rowsOf(db: Database, sql: string, params: (string | number)[] = []): Row[] {
  const statement = db.prepare(sql);
  try {
    return stepAll(statement, params);
  } finally {
    statement.free();
  }
}

/** Every row a statement gives for `params`; the statement is left reset, ready to run again. */
function stepAll(statement: Statement, params: (string | number)[]): Row[] {
  try {
    statement.bind(params);
    const rows: Row[] = [];
    while (statement.step()) {
      rows.push(statement.getAsObject());
    }
    return rows;
  } finally {
    statement.reset();
  }
}

function toRecord(row: Row, lazyBody = false): StoredRecord {
  return {
    id: String(row['id']),
    type: String(row['type']) as RecordType,
    title: String(row['title']),
    data: lazyBody
      ? unpackDataLazily(String(row['data']), row['body'] as Uint8Array | null)
      : unpackData(String(row['data']), row['body'] as Uint8Array | null),
    revision: Number(row['revision']),
    createdAt: String(row['created_at']),
    createdBy: String(row['created_by']),
    updatedAt: String(row['updated_at']),
    updatedBy: String(row['updated_by']),
    deleted: Number(row['deleted']) === 1,
  };
}

export class RecordStore {
  /** Prepared once (statement()), freed by sql.js whenever the database is exported or closed. */
  private readonly prepared = new Map<string, Statement>();
  /** catalogFiles' answers, each with the database's change count it was read at. */
  private readonly catalogFilesKept = new Map<string, { changes: number; files: { id: string; title: string; file: string }[] }>();

  private constructor(
    private readonly db: Database,
    /** The decrypted image the database was opened on, when sql.js kept it rather than a copy (adopt). */
    private image: Uint8Array | null = null,
  ) {}

  static async open(bytes?: Uint8Array): Promise<RecordStore> {
    const SQL = await loadSqlite();
    const db = bytes ? new SQL.Database(bytes) : new SQL.Database();
    if (!bytes) {
      // Before the first table, or it takes a VACUUM (see upgrade).
      db.run(`PRAGMA auto_vacuum = ${AUTO_VACUUM_FULL}`);
    }
    return RecordStore.ready(db, null);
  }

  /**
   * Opens the database on a decrypted image and takes the image over: the
   * caller must not use it again; it is zeroed when the store closes.
   *
   * Why: sql.js copies the image into its in-memory file system
   * (Emscripten's MEMFS does `bytes.slice(0, n)` on the first write to an
   * empty file), so unlocking held the database twice, 200 MiB at 20,000
   * records. Answering that one call on this one array with the array itself
   * lets MEMFS keep it. Should a later sql.js copy differently, the image is
   * copied as before and zeroed at once: slower to free, never wrong.
   */
  static async adopt(image: Uint8Array): Promise<RecordStore> {
    const handedOver = { kept: false };
    let db: Database;
    try {
      const SQL = await loadSqlite();
      Object.defineProperty(image, 'slice', {
        configurable: true,
        value: (start?: number, end?: number): Uint8Array => {
          if (start === 0 && end === image.length) {
            handedOver.kept = true;
            return image;
          }
          return Uint8Array.prototype.slice.call(image, start, end);
        },
      });
      db = new SQL.Database(image);
    } catch (error) {
      image.fill(0);
      throw error;
    } finally {
      Reflect.deleteProperty(image, 'slice');
    }
    if (!handedOver.kept) {
      image.fill(0);
    }
    return RecordStore.ready(db, handedOver.kept ? image : null);
  }

  private static ready(db: Database, image: Uint8Array | null): RecordStore {
    const store = new RecordStore(db, image);
    try {
      registerFunctions(db);
      db.run(SCHEMA);
      store.upgrade();
    } catch (error) {
      store.close();
      throw error;
    }
    return store;
  }

  /** Whether sql.js runs on the adopted image itself (diagnostics and tests). */
  get sharesImage(): boolean {
    return this.image !== null;
  }

  export(): Uint8Array {
    // sql.js closes and reopens the database to export it, freeing every prepared statement.
    this.prepared.clear();
    // Where sql.js reopens the connection, total_changes() starts again from 0: what was kept could match by chance.
    this.catalogFilesKept.clear();
    forgetVocabulary(this.db);
    const bytes = this.db.export();
    // Older sql.js closed and reopened the database to export it, dropping its functions with it.
    registerFunctions(this.db);
    return bytes;
  }

  close(): void {
    this.prepared.clear();
    this.db.close();
    this.catalogFilesKept.clear();
    forgetVocabulary(this.db);
    // The search's word caches hold words of this vault's text: gone with it.
    forgetWords();
    // sql.js may have moved the file to a bigger buffer since; either way this copy is done with.
    this.image?.fill(0);
    this.image = null;
    // The pages SQLite read and wrote stay in its heap, freed but whole, until zeroed (security issue 15).
    zeroFreedSqliteMemory();
  }

  list(type?: RecordType): RecordSummary[] {
    // Summaries only: parsing every record's JSON to throw it away cost 150 MiB and a second at 20,000 records.
    const columns = 'id, type, title, revision, updated_at, updated_by';
    const rows = type
      ? rowsOf(this.db, `SELECT ${columns} FROM records WHERE deleted = 0 AND type = ? ORDER BY type, title`, [type])
      : rowsOf(this.db, `SELECT ${columns} FROM records WHERE deleted = 0 ORDER BY type, title`);
    return rows.map((row) => ({
      id: String(row['id']),
      type: String(row['type']) as RecordType,
      title: String(row['title']),
      revision: Number(row['revision']),
      updatedAt: String(row['updated_at']),
      updatedBy: String(row['updated_by']),
    }));
  }

  get(id: string): StoredRecord | undefined {
    const [row] = rowsOf(this.db, 'SELECT * FROM records WHERE id = ?', [id]);
    return row ? toRecord(row) : undefined;
  }

  /**
   * The live records a catalog gave the vault, by the file each came from
   * (links between runbooks resolve against these when a record is opened;
   * issue 17). Reading the paths out of every record's JSON costs 75 ms at
   * 5,000 runbooks in sql.js, so the answer is kept until the database
   * changes at all (SQLite's total_changes(): any insert, update or delete
   * on this connection, rolled back or not).
   */
  catalogFiles(catalogId: string): readonly { id: string; title: string; file: string }[] {
    const changes = totalChanges(this.db);
    const kept = this.catalogFilesKept.get(catalogId);
    if (kept?.changes === changes) {
      return kept.files;
    }
    const rows = rowsOf(
      this.db,
      `SELECT id, title, json_extract(data, '$.catalogRef.file') AS file FROM records
        WHERE deleted = 0 AND json_extract(data, '$.catalogRef.catalogId') = ? AND json_type(data, '$.catalogRef.file') = 'text'`,
      [catalogId],
    );
    const files = rows.map((row) => ({ id: String(row['id']), title: String(row['title']), file: String(row['file']) }));
    this.catalogFilesKept.set(catalogId, { changes, files });
    return files;
  }

  /** The images a catalog id holds: path → SHA-256 (hex). */
  catalogImageHashes(catalogId: string): Map<string, string> {
    const rows = rowsOf(this.db, 'SELECT path, sha256 FROM catalog_images WHERE catalog_id = ?', [catalogId]);
    return new Map(rows.map((row) => [String(row['path']), String(row['sha256'])]));
  }

  /** One image of a catalog id, bytes and all. */
  catalogImage(catalogId: string, path: string): StoredImage | undefined {
    const [row] = rowsOf(this.db, 'SELECT path, mime, sha256, bytes FROM catalog_images WHERE catalog_id = ? AND path = ?', [catalogId, path]);
    return row ? { path: String(row['path']), mime: String(row['mime']), sha256: String(row['sha256']), bytes: row['bytes'] as Uint8Array } : undefined;
  }

  /**
   * Makes a catalog id's images exactly `images`: those gone are deleted,
   * changed ones replaced, unchanged ones left alone. Call inside transaction().
   */
  replaceCatalogImages(catalogId: string, images: readonly StoredImage[]): void {
    const held = this.catalogImageHashes(catalogId);
    const wanted = new Set(images.map((image) => image.path));
    for (const path of held.keys()) {
      if (!wanted.has(path)) {
        this.db.run('DELETE FROM catalog_images WHERE catalog_id = ? AND path = ?', [catalogId, path]);
      }
    }
    for (const image of images) {
      if (held.get(image.path) !== image.sha256) {
        this.db.run('INSERT OR REPLACE INTO catalog_images (catalog_id, path, mime, sha256, bytes) VALUES (?, ?, ?, ?, ?)', [
          catalogId,
          image.path,
          image.mime,
          image.sha256,
          image.bytes,
        ]);
      }
    }
  }

  /**
   * Every stored record, deleted ones too (rekeying sealed fields, a sync's
   * comparison). Each body is inflated when first read, not before: a re-sync
   * compares 5,000 records by their catalog entry hash and reads the bodies
   * of only the few that changed (issue 20).
   */
  all(): StoredRecord[] {
    return rowsOf(this.db, 'SELECT * FROM records').map((row) => toRecord(row, true));
  }

  /**
   * Writes a record's new version and its revision row. A revision row keeps
   * no copy of the data while it is the record's current version (data = '',
   * CURRENT): the record row has it. When the record changes, its old data
   * moves into that revision row. Call inside transaction().
   */
  put(record: StoredRecord, action: Revision['action'], changed: string[], options: PutOptions = {}): void {
    this.putMany([{ record, action, changed, ...options }]);
  }

  /**
   * put() for many records at once, table by table: every old version out
   * of the index, then every record row, every revision row, every index
   * row. Interleaving the tables record by record made each write miss
   * SQLite's page cache (the index's segments pushed the records' pages out):
   * 5,000 new runbooks took 2.8 s of CPU that way and 1.3 s table by table
   * (issue 20). Each id at most once per call. Call inside transaction().
   */
  putMany(writes: readonly PutRequest[]): void {
    const ids = new Set(writes.map((w) => w.record.id));
    if (ids.size !== writes.length) {
      throw new Error('putMany: a record may be written once per call.');
    }
    // The index must drop the old text before the rows change (it reads it back from the records).
    for (const write of writes) {
      if (!write.isNew) {
        this.retire(write.record.id);
      }
    }
    const rowids = writes.map((write) => this.writeRow(write));
    const revision = this.statement('INSERT INTO revisions (record_id, revision, at, by, action, changed, title, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const { record, action, changed } of writes) {
      revision.run([record.id, record.revision, record.updatedAt, record.updatedBy, action, JSON.stringify(changed), record.title, CURRENT]);
    }
    const insert = this.statement(INDEX_INSERT);
    const insertMeta = this.statement(INDEX_META_INSERT);
    writes.forEach(({ record }, i) => {
      if (!record.deleted) {
        indexRecord(
          this.db,
          { rowid: rowids[i] ?? 0, id: record.id, type: record.type, archived: record.data['archived'] === true },
          indexTermsOf(record.type, record.title, record.data),
          insert,
          insertMeta,
        );
      }
    });
  }

  /** A record about to change: out of the index, and its current data kept in its revision row. */
  private retire(id: string): void {
    const [before] = this.rows('SELECT rowid, revision, data, body FROM records WHERE id = ?', [id]);
    if (!before) {
      return;
    }
    unindexRecord(this.db, Number(before['rowid']));
    // A revision's data is kept whole (body included), as it was.
    const previous = JSON.stringify(unpackData(String(before['data']), before['body'] as Uint8Array | null));
    this.statement('UPDATE revisions SET data = ? WHERE record_id = ? AND revision = ? AND data = ?').run([previous, id, Number(before['revision']), CURRENT]);
  }

  /** A record's row, inserted (a new id: failing on a taken one instead of overwriting) or replaced; its rowid. */
  private writeRow({ record, isNew }: PutRequest): number {
    const packed = packData(record.data);
    const write = this.statement(
      `INSERT INTO records (id, type, title, data, body, revision, created_at, created_by, updated_at, updated_by, deleted)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ${
         isNew
           ? ''
           : `ON CONFLICT (id) DO UPDATE SET type = excluded.type, title = excluded.title, data = excluded.data, body = excluded.body,
         revision = excluded.revision, updated_at = excluded.updated_at, updated_by = excluded.updated_by, deleted = excluded.deleted`
       }
       RETURNING rowid`,
    );
    try {
      write.bind([
        record.id,
        record.type,
        record.title,
        packed.json,
        packed.body,
        record.revision,
        record.createdAt,
        record.createdBy,
        record.updatedAt,
        record.updatedBy,
        record.deleted ? 1 : 0,
      ]);
      write.step();
      return Number(write.get()[0]);
    } finally {
      write.reset();
    }
  }

  /**
   * A statement prepared once and kept until the database is exported or
   * closed (sql.js frees every prepared statement then): a sync's thousands
   * of puts each parsed the same SQL again.
   */
  private statement(sql: string): Statement {
    let prepared = this.prepared.get(sql);
    if (!prepared) {
      prepared = this.db.prepare(sql);
      this.prepared.set(sql, prepared);
    }
    return prepared;
  }

  private rows(sql: string, params: (string | number)[]): Row[] {
    return stepAll(this.statement(sql), params);
  }

  /**
   * Replaces a record's data in place, without a revision (used when rekeying
   * sealed fields). Only sealed values may change: they are not in the index,
   * which reads the record's text when it removes it.
   */
  replaceData(id: string, data: Record<string, unknown>): void {
    const packed = packData(data);
    this.db.run('UPDATE records SET data = ?, body = ? WHERE id = ?', [packed.json, packed.body, id]);
  }

  /** Revisions' stored data also holds sealed fields: rekeying rewrites them too. */
  allRevisionData(): { recordId: string; revision: number; data: Record<string, unknown> }[] {
    return rowsOf(this.db, 'SELECT record_id, revision, data FROM revisions WHERE data != ?', [CURRENT]).map((row) => ({
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
    const [row] = rowsOf(
      this.db,
      `SELECT v.title, v.data AS kept, r.data, r.body
         FROM revisions AS v JOIN records AS r ON r.id = v.record_id
        WHERE v.record_id = ? AND v.revision = ? AND (v.data != ? OR r.revision = v.revision)`,
      [id, revision, CURRENT],
    );
    if (!row) {
      return undefined;
    }
    const data =
      row['kept'] === CURRENT
        ? unpackData(String(row['data']), row['body'] as Uint8Array | null)
        : (JSON.parse(String(row['kept'])) as Record<string, unknown>);
    return { title: String(row['title']), data };
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

  /**
   * The same for work that lets the event loop run between its steps (a large
   * catalog sync, issue 19), so main keeps answering the window. Nothing else
   * may use the database meanwhile: every operation on an open vault takes its
   * turn (VaultService.exclusive; the CLI is one operation per process).
   */
  async transactionAsync<T>(work: () => Promise<T>): Promise<T> {
    this.db.run('BEGIN');
    try {
      const result = await work();
      this.db.run('COMMIT');
      return result;
    } catch (error) {
      this.db.run('ROLLBACK');
      throw error;
    }
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

  /**
   * Brings a database saved by an earlier version to the current layout:
   * free pages given back at each commit, bodies compressed in their own
   * column (record-body.ts), an index that kept its own copy of the text (or
   * prefix tables, or none at all) rebuilt from the records, and revision
   * rows that repeat their record's current data emptied. In memory: the
   * vault on disk changes at the next save.
   */
  private upgrade(): void {
    const [vacuum] = rowsOf(this.db, 'PRAGMA auto_vacuum');
    const compact = Number(vacuum?.['auto_vacuum']) !== AUTO_VACUUM_FULL;
    const bodiesInline = !rowsOf(this.db, 'PRAGMA table_info(records)').some((column) => column['name'] === 'body');
    // A database in the current layout (the index of today's view and no
    // prefix tables) was written by code that never repeats current data in
    // revisions either: nothing to do, which keeps every unlock from scanning them.
    if (!compact && !bodiesInline && searchIndexIsCurrent(this.db)) {
      return;
    }
    // First, while the records still hold what the index and the revisions were written from.
    dropSearchIndex(this.db);
    this.db.run(
      `UPDATE revisions SET data = ? WHERE data != ? AND EXISTS
         (SELECT 1 FROM records AS r WHERE r.id = revisions.record_id AND r.revision = revisions.revision AND r.data = revisions.data)`,
      [CURRENT, CURRENT],
    );
    if (bodiesInline) {
      this.db.run('ALTER TABLE records ADD COLUMN body BLOB');
      this.transaction(() => {
        const update = this.db.prepare('UPDATE records SET data = ?, body = ? WHERE rowid = ?');
        try {
          for (const row of rowsOf(this.db, "SELECT rowid, data FROM records WHERE json_type(data, '$.body') = 'text'")) {
            const packed = packData(JSON.parse(String(row['data'])) as Record<string, unknown>);
            update.run([packed.json, packed.body, Number(row['rowid'])]);
          }
        } finally {
          update.free();
        }
      });
    }
    if (compact || bodiesInline) {
      // Packs the shrunken rows into fewer pages. May renumber the records' rowids (the index's docids): reindexed below.
      this.db.run(`PRAGMA auto_vacuum = ${AUTO_VACUUM_FULL}`);
      this.db.run('VACUUM');
    }
    this.transaction(() => {
      this.db.run(SEARCH_SCHEMA);
      rebuildSearchIndex(this.db);
    });
  }

  /** The terms the index holds for a live record (from its view), or undefined. */
  indexedText(id: string): IndexTerms | undefined {
    const [row] = rowsOf(this.db, 'SELECT s.* FROM record_search_source AS s JOIN records AS r ON r.rowid = s.rowid WHERE r.id = ?', [id]);
    return row
      ? {
          title: String(row['title']),
          name: String(row['name']),
          headings: String(row['headings']),
          service: String(row['service']),
          body: String(row['body']),
          people: String(row['people']),
          tags: String(row['tags']),
        }
      : undefined;
  }

  /**
   * FTS4's own integrity check: every live record's terms are in the index
   * and nothing else is. False when they have drifted apart (vault doctor).
   */
  searchIndexConsistent(): boolean {
    try {
      this.db.run("INSERT INTO record_search (record_search) VALUES ('integrity-check')");
      return true;
    } catch {
      return false;
    }
  }

  search(query: string, filters?: SearchFilters): SearchResult {
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

  /**
   * Rows this connection has inserted, updated or deleted since it opened
   * (SQLite's total_changes()): equal at two moments, nothing was written
   * between them by this store's statements (schema changes happen only when
   * the store opens; snapshot-chain.ts relies on that to skip re-reading an
   * unchanged database).
   */
  writeCount(): number {
    const [row] = rowsOf(this.db, 'SELECT total_changes() AS n');
    return Number(row?.['n']);
  }

  setMeta(key: string, value: string): void {
    this.db.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
  }
}
