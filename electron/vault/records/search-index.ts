/**
 * Full-text search over the vault's records with SQLite FTS4 (sql.js has no
 * FTS5): titles, services, bodies, steps, people and tags — never sealed
 * fields, which are ciphertext objects and are not indexed at all.
 *
 * Ranking: each column has a weight (title and service first); a record's
 * score sums, over query terms and columns, weight × (1 + log hits in the
 * record), from FTS4's matchinfo('pcy'); ties go by title. Prefix matching makes
 * results appear as you type; unicode61 folds case and accents (cafe = Café).
 */
import type { Database, Statement } from 'sql.js';
import type { RecordType } from '../../../shared/records.js';
import { BODY_FUNCTION } from './record-body.js';

/** A string field of the record's JSON, or '' (sealed fields are objects, so never text). */
function textOf(field: string): string {
  return `(CASE json_type(r.data, '$.${field}') WHEN 'text' THEN json_extract(r.data, '$.${field}') ELSE '' END)`;
}

/** The strings of a list field, each preceded by `sep` ('' when there are none). */
function itemsOf(field: string, sep: string): string {
  return `coalesce((SELECT group_concat(${sep} || j.value, '') FROM json_each(r.data, '$.${field}') AS j
    WHERE json_type(r.data, '$.${field}') = 'array' AND j.type = 'text'), '')`;
}

/**
 * The index holds no copy of the text (FTS4 "external content"): it reads
 * the columns from this view of the records table: searchableText() below,
 * in SQL (a test holds the two to the same text). Half of a vault's bytes used to be that copy.
 * The price: the view must give the same text when a row is removed from the
 * index as when it was added, so the index row is deleted *before* the record
 * changes (RecordStore.put) and the view shows only live records. A body
 * stored compressed in its own column (record-body.ts) is read through the
 * SQL function RecordStore registers on every database.
 */
const SOURCE_SELECT = `SELECT r.rowid AS rowid,
  r.title AS title,
  (CASE WHEN r.type = 'service' THEN r.title || ${itemsOf('dependsOn', "' '")} ELSE ${textOf('service')} END) AS service,
  ((CASE WHEN r.body IS NULL THEN ${textOf('body')} ELSE CAST(${BODY_FUNCTION}(r.body) AS TEXT) END) || ${itemsOf('steps', 'char(10)')} || ${itemsOf('validation', 'char(10)')}
    || char(10) || ${textOf('description')} || char(10) || ${textOf('what')} || char(10) || ${textOf('where')}
    || char(10) || ${textOf('howToRetrieve')} || char(10) || (CASE WHEN r.type = 'secret' THEN '' ELSE ${textOf('notes')} END)) AS body,
  (${textOf('owner')} || ' ' || ${textOf('role')} || ${itemsOf('whoCanReach', "' '")} || ${itemsOf('channels', "' '")}) AS people,
  substr(${itemsOf('tags', "' '")}, 2) AS tags
FROM records AS r WHERE r.deleted = 0`;
const SOURCE_VIEW = `CREATE VIEW IF NOT EXISTS record_search_source AS\n${SOURCE_SELECT}`;

/**
 * One index row per live record; its docid is the record's rowid in
 * `records`, so an update or delete touches one row. No prefix indexes
 * (FTS4 prefix="…"): each one is another full copy of the position lists;
 * a prefix query scans the term range instead. Measured on 5,000 records:
 * the database 25 MiB instead of 34, indexing 30 % faster, a two-letter
 * query a few milliseconds slower (bench/README.md).
 */
export const SEARCH_SCHEMA = `${SOURCE_VIEW};
CREATE VIRTUAL TABLE IF NOT EXISTS record_search USING fts4(
  title, service, body, people, tags,
  content="record_search_source", tokenize=unicode61
);
CREATE TABLE IF NOT EXISTS record_search_meta (
  docid INTEGER PRIMARY KEY, rid TEXT NOT NULL, rtype TEXT NOT NULL, archived INTEGER NOT NULL
);`;

/**
 * Vaults saved before the index read its text from the view kept a copy of
 * it: drop that index (and the view, should its definition ever change) so
 * SEARCH_SCHEMA creates the current ones, and reindex everything.
 */
export function searchIndexIsCurrent(db: Database): boolean {
  const [result] = db.exec("SELECT name, sql FROM sqlite_master WHERE name IN ('record_search', 'record_search_source')");
  const sql = new Map((result?.values ?? []).map(([name, text]) => [String(name), String(text)]));
  const index = sql.get('record_search') ?? '';
  return index.includes('content="record_search_source"') && !index.includes('prefix=') && (sql.get('record_search_source') ?? '').endsWith(SOURCE_SELECT);
}

export function dropSearchIndex(db: Database): void {
  db.run('DROP TABLE IF EXISTS record_search; DROP VIEW IF EXISTS record_search_source; DROP TABLE IF EXISTS record_search_meta;');
}

/** Indexes every live record from scratch (after dropSearchIndex and SEARCH_SCHEMA). */
export function rebuildSearchIndex(db: Database): void {
  db.run("INSERT INTO record_search (record_search) VALUES ('rebuild')");
  db.run(`INSERT INTO record_search_meta (docid, rid, rtype, archived)
          SELECT rowid, id, type, (CASE json_type(data, '$.archived') WHEN 'true' THEN 1 ELSE 0 END) FROM records WHERE deleted = 0`);
}

/** Column weights, in table order. */
const WEIGHTS = [10, 6, 1, 3, 4];

export interface IndexedText {
  title: string;
  service: string;
  body: string;
  people: string;
  tags: string;
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * What of a record is searchable, as the index's view computes it in SQL:
 * the reference the view is tested against. Sealed fields are objects, so
 * never strings here.
 */
export function searchableText(type: RecordType, title: string, data: Record<string, unknown>): IndexedText {
  const service = type === 'service' ? [title, ...list(data['dependsOn'])] : [str(data['service'])];
  return {
    title,
    service: service.join(' '),
    body: [
      str(data['body']),
      ...list(data['steps']),
      ...list(data['validation']),
      str(data['description']),
      str(data['what']),
      str(data['where']),
      str(data['howToRetrieve']),
      type === 'secret' ? '' : str(data['notes']),
    ].join('\n'),
    people: [str(data['owner']), str(data['role']), ...list(data['whoCanReach']), ...list(data['channels'])].join(' '),
    tags: list(data['tags']).join(' '),
  };
}

export interface IndexedRecord {
  rowid: number;
  id: string;
  type: RecordType;
  archived: boolean;
}

/**
 * Copies a live record's text from the view into the index. Compiling it
 * (the view inlines a dozen JSON subqueries) costs more than running it, so
 * RecordStore keeps it prepared.
 */
export const INDEX_INSERT = `INSERT INTO record_search (docid, title, service, body, people, tags)
  SELECT rowid, title, service, body, people, tags FROM record_search_source WHERE rowid = ?`;

/**
 * Takes a record out of the index. Must run while `records` still holds the
 * row as it was indexed: FTS4 reads the old text from the view to know which
 * terms to remove.
 */
export function unindexRecord(db: Database, rowid: number): void {
  db.run('DELETE FROM record_search WHERE docid = ?', [rowid]);
  db.run('DELETE FROM record_search_meta WHERE docid = ?', [rowid]);
}

/**
 * Indexes a live record as `records` now holds it. The record's id, type and
 * archived flag live in a small side table keyed by docid, so a search never
 * loads records' JSON just to filter and name its hits.
 */
export function indexRecord(db: Database, record: IndexedRecord, prepared?: Statement): void {
  if (prepared) {
    prepared.run([record.rowid]);
  } else {
    db.run(INDEX_INSERT, [record.rowid]);
  }
  db.run('INSERT INTO record_search_meta (docid, rid, rtype, archived) VALUES (?, ?, ?, ?)', [record.rowid, record.id, record.type, record.archived ? 1 : 0]);
}

/** "resto pg-main" → `resto* pg* main*`: every term, as a prefix; no FTS syntax gets through. */
export function toMatchExpression(query: string): string | null {
  const terms = query.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
  if (terms.length === 0) {
    return null;
  }
  // Lower-cased, FTS operators (OR, AND, NOT, NEAR) are only keywords in upper case.
  return terms.slice(0, 12).map((t) => `${t.toLowerCase()}*`).join(' ');
}

export interface SearchFilters {
  type?: RecordType;
  service?: string;
  tag?: string;
  limit?: number;
  includeArchived?: boolean;
}

export interface SearchHit {
  id: string;
  type: RecordType;
  title: string;
  score: number;
  /** A short excerpt; the matched words are between \u0002 and \u0003. */
  snippet: string;
}

/**
 * matchinfo('pcy'): phrase count, column count, then hits of each phrase in
 * each column of this row. (The global statistics of 'x' cost more than the
 * ranking gains: within one query they are the same for every row.)
 */
function score(matchinfo: Uint8Array): number {
  const view = new DataView(matchinfo.buffer, matchinfo.byteOffset, matchinfo.byteLength);
  const phrases = view.getUint32(0, true);
  const columns = view.getUint32(4, true);
  let total = 0;
  for (let p = 0; p < phrases; p += 1) {
    for (let c = 0; c < WEIGHTS.length && c < columns; c += 1) {
      const hits = view.getUint32(8 + (p * columns + c) * 4, true);
      if (hits > 0) {
        total += (WEIGHTS[c] ?? 1) * (1 + Math.log(hits));
      }
    }
  }
  return total;
}

export function runSearch(db: Database, query: string, filters: SearchFilters = {}): SearchHit[] {
  const match = toMatchExpression(query);
  if (!match) {
    return [];
  }
  const where = ['record_search MATCH ?'];
  const params: (string | number)[] = [match];
  if (filters.type) {
    where.push('m.rtype = ?');
    params.push(filters.type);
  }
  if (!filters.includeArchived) {
    where.push('m.archived = 0');
  }
  // Only the service and tag filters need the record itself.
  const join = filters.service !== undefined || filters.tag !== undefined;
  if (filters.service) {
    where.push("(lower(json_extract(r.data, '$.service')) = lower(?) OR (r.type = 'service' AND lower(r.title) = lower(?)))");
    params.push(filters.service, filters.service);
  }
  if (filters.tag) {
    where.push("EXISTS (SELECT 1 FROM json_each(r.data, '$.tags') WHERE lower(value) = lower(?))");
    params.push(filters.tag);
  }
  // Pass 1: score every match from matchinfo (cheap), keep the best `limit`.
  const scored: (Omit<SearchHit, 'snippet' | 'title'> & { docid: number })[] = [];
  // One exec rather than a step per row: crossing into WebAssembly per row costs more than the query.
  const [result] = db.exec(
    `SELECT record_search.docid, matchinfo(record_search, 'pcy'), m.rid, m.rtype
       FROM record_search JOIN record_search_meta m ON m.docid = record_search.docid
       ${join ? 'JOIN records r ON r.rowid = record_search.docid' : ''}
      WHERE ${where.join(' AND ')}`,
    params,
  );
  for (const [docid, info, id, type] of result?.values ?? []) {
    scored.push({ docid: Number(docid), id: String(id), type: String(type) as RecordType, score: score(info as Uint8Array) });
  }
  // Ties (common among short prefixes) go by docid first, by title once titles are known.
  const limit = filters.limit ?? 50;
  scored.sort((a, b) => b.score - a.score || a.docid - b.docid);
  const cutoff = scored[Math.min(limit, scored.length) - 1]?.score ?? 0;
  // Keep ties at the cut so titles can break them, but never more than a few pages' worth.
  const candidates = scored.filter((hit, i) => i < limit || (hit.score === cutoff && i < limit * 4));
  // Pass 2: titles for the candidates (by docid: cheap), to order ties by title.
  const titles = new Map<number, string>();
  if (candidates.length > 0) {
    const [rows] = db.exec(`SELECT rowid, title FROM records WHERE rowid IN (${candidates.map(() => '?').join(',')})`, candidates.map((h) => h.docid));
    for (const [docid, title] of rows?.values ?? []) {
      titles.set(Number(docid), String(title));
    }
  }
  const top = candidates
    .map((hit) => ({ ...hit, title: titles.get(hit.docid) ?? '' }))
    .sort((a, b) => b.score - a.score || a.title.localeCompare(b.title))
    .slice(0, limit);
  // Pass 3: snippets (the expensive part) for the results shown.
  const snippets = new Map<number, string>();
  if (top.length > 0) {
    const [rows] = db.exec(
      `SELECT docid, snippet(record_search, char(2), char(3), '…', -1, 12) FROM record_search
        WHERE record_search MATCH ? AND docid IN (${top.map(() => '?').join(',')})`,
      [match, ...top.map((hit) => hit.docid)],
    );
    for (const [docid, text] of rows?.values ?? []) {
      snippets.set(Number(docid), String(text));
    }
  }
  return top.map(({ docid, ...hit }) => ({ ...hit, snippet: snippets.get(docid) ?? '' }));
}
