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
import { RECORD_KINDS, type KindRegistry, type SearchColumn } from '../../../shared/record-kinds.js';
import type { RecordType } from '../../../shared/records.js';
import { BODY_FUNCTION } from './record-body.js';

/**
 * The index's columns, in table order: the record's title, then the columns
 * record fields feed (record-kinds.ts says which field goes where), then its
 * tags. Each has a ranking weight, and a separator between its pieces of text.
 */
const COLUMNS = [
  { name: 'title', weight: 10, separator: ' ' },
  { name: 'service', weight: 6, separator: ' ' },
  { name: 'body', weight: 1, separator: '\n' },
  { name: 'people', weight: 3, separator: ' ' },
  { name: 'tags', weight: 4, separator: ' ' },
] as const satisfies readonly { name: 'title' | SearchColumn | 'tags'; weight: number; separator: ' ' | '\n' }[];
type ColumnName = (typeof COLUMNS)[number]['name'];

/** The field a record's body is stored in, compressed in its own column (record-body.ts). */
const STORED_BODY = 'body';

/**
 * One piece of a column's text: the record's title, or a text or list field
 * (each list item its own piece), left out for the kinds in `exceptIn`
 * (kinds that have the field but do not search it).
 */
type Piece = { source: 'title' } | { source: 'text' | 'list'; key: string; exceptIn: readonly string[] };

export interface ColumnPlan {
  name: ColumnName;
  separator: ' ' | '\n';
  /** Kinds whose title leads this column, each with its own pieces. */
  own: readonly { type: string; pieces: readonly Piece[] }[];
  /** The pieces for every other kind, by field key. */
  pieces: readonly Piece[];
}

/**
 * What goes in each column, read from the registry. The index works by field
 * key, not by kind (the view reads JSON of any shape), so a key searched in
 * one kind is searched wherever it appears, except in kinds that have the
 * field and do not search it. A key must sit in the same column and place,
 * and be a list or not, in every kind that searches it.
 */
export function searchPlan(kinds: KindRegistry = RECORD_KINDS): ColumnPlan[] {
  const placed = new Map<string, { column: SearchColumn; position: number; list: boolean }>();
  for (const [type, kind] of Object.entries(kinds)) {
    for (const field of kind.fields) {
      if (field.search) {
        const place = { ...field.search, list: field.kind === 'list' };
        const before = placed.get(field.key);
        if (before && (before.column !== place.column || before.position !== place.position || before.list !== place.list)) {
          throw new Error(`${type}.${field.key} is searched differently from the same field of another kind.`);
        }
        placed.set(field.key, place);
      }
    }
  }
  const fieldPieces = (column: SearchColumn, types: readonly string[]): Piece[] =>
    [...placed]
      .filter(([key, place]) => place.column === column && types.some((t) => kinds[t]?.fields.some((f) => f.key === key && f.search)))
      .sort(([, a], [, b]) => a.position - b.position)
      .map(([key, place]) => ({
        source: place.list ? 'list' : 'text',
        key,
        exceptIn: types.filter((t) => kinds[t]?.fields.some((f) => f.key === key && f.search?.column !== column)),
      }));
  return COLUMNS.map(({ name, separator }) => {
    if (name === 'title') {
      return { name, separator, own: [], pieces: [{ source: 'title' }] };
    }
    if (name === 'tags') {
      return { name, separator, own: [], pieces: [{ source: 'list', key: 'tags', exceptIn: [] }] };
    }
    const types = Object.keys(kinds);
    const leading = types.filter((t) => kinds[t]?.titleSearchedAs === name);
    return {
      name,
      separator,
      own: leading.map((type) => ({ type, pieces: [{ source: 'title' }, ...fieldPieces(name, [type])] })),
      pieces: fieldPieces(
        name,
        types.filter((t) => !leading.includes(t)),
      ),
    };
  });
}

/** A string field of the record's JSON, or '' (sealed fields are objects, so never text). */
function textOf(field: string): string {
  return `(CASE json_type(r.data, '$.${field}') WHEN 'text' THEN json_extract(r.data, '$.${field}') ELSE '' END)`;
}

/** The strings of a list field, each preceded by `sep` ('' when there are none). */
function itemsOf(field: string, sep: string): string {
  return `coalesce((SELECT group_concat(${sep} || j.value, '') FROM json_each(r.data, '$.${field}') AS j
    WHERE json_type(r.data, '$.${field}') = 'array' AND j.type = 'text'), '')`;
}

function kindTest(types: readonly string[]): string {
  return types.length === 1 ? `r.type = '${types[0] ?? ''}'` : `r.type IN (${types.map((t) => `'${t}'`).join(', ')})`;
}

function pieceSql(piece: Piece, sep: string): string {
  if (piece.source === 'title') {
    return 'r.title';
  }
  const sql =
    piece.source === 'list'
      ? itemsOf(piece.key, sep)
      : piece.key === STORED_BODY
        ? `(CASE WHEN r.body IS NULL THEN ${textOf(piece.key)} ELSE CAST(${BODY_FUNCTION}(r.body) AS TEXT) END)`
        : textOf(piece.key);
  return piece.exceptIn.length > 0 ? `(CASE WHEN ${kindTest(piece.exceptIn)} THEN '' ELSE ${sql} END)` : sql;
}

/** Texts joined by the separator; a list's items each preceded by it (the first piece's first one dropped). */
function joinSql(pieces: readonly Piece[], sep: string): string {
  const parts: string[] = [];
  pieces.forEach((piece, i) => {
    const sql = pieceSql(piece, sep);
    if (piece.source === 'list') {
      parts.push(i === 0 ? `substr(${sql}, 2)` : sql);
    } else {
      parts.push(...(i === 0 ? [sql] : [sep, sql]));
    }
  });
  return parts.length === 0 ? "''" : parts.join(' || ');
}

function columnSql(column: ColumnPlan): string {
  const sep = column.separator === '\n' ? 'char(10)' : "' '";
  const rest = joinSql(column.pieces, sep);
  if (column.own.length > 0) {
    return `(CASE ${column.own.map((branch) => `WHEN r.type = '${branch.type}' THEN ${joinSql(branch.pieces, sep)}`).join(' ')} ELSE ${rest} END)`;
  }
  return column.pieces.length > 1 ? `(${rest})` : rest;
}

/** The view's SELECT for a plan: each column's text, in SQL, from a live record. */
export function sourceSelect(plan: readonly ColumnPlan[]): string {
  return `SELECT r.rowid AS rowid,\n${plan.map((column) => `  ${columnSql(column)} AS ${column.name}`).join(',\n')}\nFROM records AS r WHERE r.deleted = 0`;
}

const PLAN = searchPlan();
const COLUMN_NAMES = COLUMNS.map((c) => c.name).join(', ');

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
export const SOURCE_SELECT = sourceSelect(PLAN);
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
  ${COLUMN_NAMES},
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
  return (
    index.includes('content="record_search_source"') &&
    !index.includes('prefix=') &&
    sqlLayout(sql.get('record_search_source') ?? '').endsWith(sqlLayout(SOURCE_SELECT))
  );
}

/**
 * SQL with its layout evened out (every run of white space outside quotes
 * one space): a view written before its SELECT was generated, in other lines,
 * is the same view.
 */
export function sqlLayout(sql: string): string {
  return sql
    .split("'")
    .map((part, i) => (i % 2 === 0 ? part.replace(/\s+/g, ' ') : part))
    .join("'");
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
const WEIGHTS = COLUMNS.map((c) => c.weight);

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

function joinText(pieces: readonly Piece[], separator: string, type: string, title: string, data: Record<string, unknown>): string {
  let text = '';
  pieces.forEach((piece, i) => {
    if (piece.source === 'list') {
      const items = piece.exceptIn.includes(type) ? [] : list(data[piece.key]);
      text += i === 0 ? items.join(separator) : items.map((item) => separator + item).join('');
    } else {
      const value = piece.source === 'title' ? title : piece.exceptIn.includes(type) ? '' : str(data[piece.key]);
      text += i === 0 ? value : separator + value;
    }
  });
  return text;
}

/**
 * What of a record is searchable, as the index's view computes it in SQL:
 * the reference the view is tested against. Sealed fields are objects, so
 * never strings here.
 */
export function searchableText(type: string, title: string, data: Record<string, unknown>, plan: readonly ColumnPlan[] = PLAN): IndexedText {
  const text = (name: ColumnName): string => {
    const column = plan.find((c) => c.name === name);
    if (!column) {
      return '';
    }
    const pieces = column.own.find((branch) => branch.type === type)?.pieces ?? column.pieces;
    return joinText(pieces, column.separator, type, title, data);
  };
  return { title: text('title'), service: text('service'), body: text('body'), people: text('people'), tags: text('tags') };
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
export const INDEX_INSERT = `INSERT INTO record_search (docid, ${COLUMN_NAMES})
  SELECT rowid, ${COLUMN_NAMES} FROM record_search_source WHERE rowid = ?`;

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
  return terms
    .slice(0, 12)
    .map((t) => `${t.toLowerCase()}*`)
    .join(' ');
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
 * Kinds found by title and tags only, and shown without a snippet (issue 15,
 * M5): a key location's text says where the key is and how to get it ("Safe
 * B2, combination 31-07-44"), which is read by opening the record, logged;
 * a snippet would show it unlogged, and a match on it would confirm a guess.
 * (A secret's notes are not indexed at all.)
 */
export const TITLE_ONLY_KINDS: ReadonlySet<RecordType> = new Set<RecordType>(['key-location', 'secret']);

/** The columns a title-only kind may match in: title and tags. */
const TITLE_ONLY_COLUMNS = new Set(COLUMNS.flatMap((column, index) => (column.name === 'title' || column.name === 'tags' ? [index] : [])));

/**
 * matchinfo('pcy'): phrase count, column count, then hits of each phrase in
 * each column of this row. (The global statistics of 'x' cost more than the
 * ranking gains: within one query they are the same for every row.)
 */
function score(matchinfo: Uint8Array, titleOnly = false): number {
  const view = new DataView(matchinfo.buffer, matchinfo.byteOffset, matchinfo.byteLength);
  const phrases = view.getUint32(0, true);
  const columns = view.getUint32(4, true);
  let total = 0;
  for (let p = 0; p < phrases; p += 1) {
    for (let c = 0; c < WEIGHTS.length && c < columns; c += 1) {
      if (titleOnly && !TITLE_ONLY_COLUMNS.has(c)) {
        continue;
      }
      const hits = view.getUint32(8 + (p * columns + c) * 4, true);
      if (hits > 0) {
        total += (WEIGHTS[c] ?? 1) * (1 + Math.log(hits));
      }
    }
  }
  return total;
}

/** Whether every phrase of the query hit one of `columns` (matchinfo 'pcy'). */
function allPhrasesIn(matchinfo: Uint8Array, columns: ReadonlySet<number>): boolean {
  const view = new DataView(matchinfo.buffer, matchinfo.byteOffset, matchinfo.byteLength);
  const phrases = view.getUint32(0, true);
  const count = view.getUint32(4, true);
  for (let p = 0; p < phrases; p += 1) {
    if (![...columns].some((c) => c < count && view.getUint32(8 + (p * count + c) * 4, true) > 0)) {
      return false;
    }
  }
  return true;
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
    const kind = String(type) as RecordType;
    const points = score(info as Uint8Array, TITLE_ONLY_KINDS.has(kind));
    // Every query word must be matched somewhere the kind may match (a title-only kind: its title or tags).
    if (points > 0 && (!TITLE_ONLY_KINDS.has(kind) || allPhrasesIn(info as Uint8Array, TITLE_ONLY_COLUMNS))) {
      scored.push({ docid: Number(docid), id: String(id), type: kind, score: points });
    }
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
    const [rows] = db.exec(
      `SELECT rowid, title FROM records WHERE rowid IN (${candidates.map(() => '?').join(',')})`,
      candidates.map((h) => h.docid),
    );
    for (const [docid, title] of rows?.values ?? []) {
      titles.set(Number(docid), String(title));
    }
  }
  const top = candidates
    .map((hit) => ({ ...hit, title: titles.get(hit.docid) ?? '' }))
    .sort((a, b) => b.score - a.score || a.title.localeCompare(b.title))
    .slice(0, limit);
  // Pass 3: snippets (the expensive part) for the results shown; title-only kinds get none.
  const snippets = new Map<number, string>();
  const withText = top.filter((hit) => !TITLE_ONLY_KINDS.has(hit.type));
  if (withText.length > 0) {
    const [rows] = db.exec(
      `SELECT docid, snippet(record_search, char(2), char(3), '…', -1, 12) FROM record_search
        WHERE record_search MATCH ? AND docid IN (${withText.map(() => '?').join(',')})`,
      [match, ...withText.map((hit) => hit.docid)],
    );
    for (const [docid, text] of rows?.values ?? []) {
      snippets.set(Number(docid), String(text));
    }
  }
  return top.map(({ docid, ...hit }) => ({ ...hit, snippet: snippets.get(docid) ?? '' }));
}
