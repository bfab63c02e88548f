/**
 * Full-text search over the vault's records with SQLite FTS4 (sql.js has no
 * FTS5): titles, source file names and paths, headings, services, bodies,
 * steps, people and tags — never sealed fields, which are ciphertext objects
 * and are not indexed at all.
 *
 * The index holds terms, not words (search-text.ts: folded, stemmed,
 * compound names whole and split); queries are planned and ranked in
 * search-query.ts (any word, all-words first, BM25F with column weights and
 * length normalisation, synonyms); a query word that matches nothing is
 * corrected against the vault's own vocabulary; snippets come from the best
 * section of the record's text (search-snippet.ts). docs/vault-format.md,
 * "Search index"; issue 16.
 */
import type { Database, Statement } from 'sql.js';
import { RECORD_KINDS, type KindRegistry, type SearchColumn } from '../../../shared/record-kinds.js';
import type { RecordType } from '../../../shared/records.js';
import { BODY_FUNCTION } from './record-body.js';
import { headingsOf, indexTerms, pathText, rawTokens, stem, fold, wholeTerm } from './search-text.js';
import {
  ALL_WORDS,
  allWordsQuery,
  allowedEdits,
  correctTerm,
  groupPhrases,
  matchExpression,
  phrasesOf,
  planQuery,
  rankValue,
  Scorer,
  type QueryGroup,
} from './search-query.js';
import { forEachMatch, forgetRowFacts } from './search-rows.js';
import { snippetOf, WordMatcher } from './search-snippet.js';

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

/** SQL functions the index's view calls; the number is the layout of their output (a change reindexes every vault). */
export const TERMS_FUNCTION = 'lifeboat_terms_2';
export const PATH_FUNCTION = 'lifeboat_path_2';
export const HEADINGS_FUNCTION = 'lifeboat_headings_2';

/**
 * The index's columns, in table order, with their ranking weight and how
 * much their length discounts a hit (BM25's b): the title and the source
 * file's name and path count most (an alert runbook is named after its
 * alert), then the service, headings and tags, the people, and the body.
 */
export const INDEX_COLUMNS = [
  { name: 'title', weight: 10, lengthNorm: 0.5 },
  { name: 'name', weight: 10, lengthNorm: 0.5 },
  { name: 'headings', weight: 4, lengthNorm: 0.5 },
  { name: 'service', weight: 6, lengthNorm: 0.5 },
  { name: 'body', weight: 1, lengthNorm: 0.75 },
  { name: 'people', weight: 3, lengthNorm: 0.5 },
  { name: 'tags', weight: 4, lengthNorm: 0.5 },
] as const;
type IndexColumn = (typeof INDEX_COLUMNS)[number]['name'];
const INDEX_COLUMN_NAMES = INDEX_COLUMNS.map((c) => c.name).join(', ');
const COLUMN_WEIGHTS = { weights: INDEX_COLUMNS.map((c) => c.weight), lengthNorm: INDEX_COLUMNS.map((c) => c.lengthNorm) };

/** The catalog file a record came from, as written in its catalog reference ('' for a record made here). */
const PATH_SQL = "(CASE json_type(r.data, '$.catalogRef.file') WHEN 'text' THEN json_extract(r.data, '$.catalogRef.file') ELSE '' END)";

/** The view's SELECT for a plan: each index column's terms, computed from a live record's text. */
export function indexSelect(plan: readonly ColumnPlan[]): string {
  const raw = (name: string): string => {
    const column = plan.find((c) => c.name === name);
    return column ? columnSql(column) : "''";
  };
  const terms = (sql: string, keepStopWords: boolean): string => `${TERMS_FUNCTION}(${sql}, ${keepStopWords ? 1 : 0})`;
  const columns: Record<IndexColumn, string> = {
    title: terms(raw('title'), true),
    name: terms(`${PATH_FUNCTION}(${PATH_SQL})`, true),
    headings: terms(`${HEADINGS_FUNCTION}(${raw('body')})`, false),
    service: terms(raw('service'), false),
    body: terms(raw('body'), false),
    people: terms(raw('people'), false),
    tags: terms(raw('tags'), false),
  };
  return `SELECT r.rowid AS rowid,\n${INDEX_COLUMNS.map((c) => `  ${columns[c.name]} AS ${c.name}`).join(',\n')}\nFROM records AS r WHERE r.deleted = 0`;
}

/**
 * The index holds no copy of the text (FTS4 "external content"): it reads
 * its columns from this view of the records table — indexTermsOf() below,
 * in SQL (a test holds the two to the same terms). The price: the view must
 * give the same terms when a row is removed from the index as when it was
 * added, so the index row is deleted *before* the record changes
 * (RecordStore.put), the view shows only live records, and the functions it
 * calls (registerSearchFunctions) never change their output without a new
 * name. A body stored compressed in its own column (record-body.ts) is read
 * through the SQL function RecordStore registers on every database.
 */
export const SOURCE_SELECT = sourceSelect(PLAN);
export const INDEX_SELECT = indexSelect(PLAN);
const SOURCE_VIEW = `CREATE VIEW IF NOT EXISTS record_search_source AS\n${INDEX_SELECT}`;

/** The functions the view calls, on every database the store opens. */
export function registerSearchFunctions(db: Database): void {
  db.create_function(TERMS_FUNCTION, (text: unknown, keep: unknown) => (typeof text === 'string' ? indexTerms(text, keep === 1) : ''));
  db.create_function(PATH_FUNCTION, (path: unknown) => (typeof path === 'string' ? pathText(path) : ''));
  db.create_function(HEADINGS_FUNCTION, (body: unknown) => (typeof body === 'string' ? headingsOf(body).join('\n') : ''));
}

/**
 * One index row per live record; its docid is the record's rowid in
 * `records`, so an update or delete touches one row. No prefix indexes
 * (FTS4 prefix="…"): each one is another full copy of the position lists;
 * a prefix query scans the term range instead. The terms are made by the
 * view, so unicode61 only splits them at spaces. `record_search_terms`
 * (fts4aux) lists the index's vocabulary for typo correction; it stores nothing.
 */
export const SEARCH_SCHEMA = `${SOURCE_VIEW};
CREATE VIRTUAL TABLE IF NOT EXISTS record_search USING fts4(
  ${INDEX_COLUMN_NAMES},
  content="record_search_source", tokenize=unicode61
);
CREATE VIRTUAL TABLE IF NOT EXISTS record_search_terms USING fts4aux(record_search);
CREATE TABLE IF NOT EXISTS record_search_meta (
  docid INTEGER PRIMARY KEY, rid TEXT NOT NULL, rtype TEXT NOT NULL, archived INTEGER NOT NULL
);`;

/**
 * A database whose index is of an older layout (other columns, a copy of
 * the text, prefix tables, words instead of terms) is reindexed: drop it
 * (and the view) so SEARCH_SCHEMA creates the current ones.
 */
export function searchIndexIsCurrent(db: Database): boolean {
  const [result] = db.exec("SELECT name, sql FROM sqlite_master WHERE name IN ('record_search', 'record_search_source', 'record_search_terms')");
  const sql = new Map((result?.values ?? []).map(([name, text]) => [String(name), String(text)]));
  const index = sql.get('record_search') ?? '';
  return (
    index.includes('content="record_search_source"') &&
    sqlLayout(index).includes(sqlLayout(`fts4( ${INDEX_COLUMN_NAMES},`)) &&
    !index.includes('prefix=') &&
    sql.has('record_search_terms') &&
    sqlLayout(sql.get('record_search_source') ?? '').endsWith(sqlLayout(INDEX_SELECT))
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
  db.run(
    'DROP TABLE IF EXISTS record_search_terms; DROP TABLE IF EXISTS record_search; DROP VIEW IF EXISTS record_search_source; DROP TABLE IF EXISTS record_search_meta;',
  );
}

/** Indexes every live record from scratch (after dropSearchIndex and SEARCH_SCHEMA). */
export function rebuildSearchIndex(db: Database): void {
  db.run("INSERT INTO record_search (record_search) VALUES ('rebuild')");
  db.run(`INSERT INTO record_search_meta (docid, rid, rtype, archived)
          SELECT rowid, id, type, (CASE json_type(data, '$.archived') WHEN 'true' THEN 1 ELSE 0 END) FROM records WHERE deleted = 0`);
}

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

export type IndexTerms = Record<IndexColumn, string>;

/** The terms the index holds for a record, as its view computes them in SQL: the reference the view is tested against. */
export function indexTermsOf(type: string, title: string, data: Record<string, unknown>, plan: readonly ColumnPlan[] = PLAN): IndexTerms {
  const raw = searchableText(type, title, data, plan);
  const ref = data['catalogRef'];
  const path =
    ref !== null && typeof ref === 'object' && typeof (ref as Record<string, unknown>)['file'] === 'string'
      ? String((ref as Record<string, unknown>)['file'])
      : '';
  return {
    title: indexTerms(raw.title, true),
    name: indexTerms(pathText(path), true),
    headings: indexTerms(headingsOf(raw.body).join('\n')),
    service: indexTerms(raw.service),
    body: indexTerms(raw.body),
    people: indexTerms(raw.people),
    tags: indexTerms(raw.tags),
  };
}

export interface IndexedRecord {
  rowid: number;
  id: string;
  type: RecordType;
  archived: boolean;
}

/**
 * Adds a live record's terms to the index. They are computed here, in
 * JavaScript, from the record as written (indexTermsOf), not read back
 * through the view: the view would inflate the body twice and cross into
 * WebAssembly seven times per record (a first sync of 5,000 runbooks took 41 %
 * longer that way). The view still gives FTS4 the old terms when a record
 * leaves the index, so the two must agree: record-store.test.ts holds them to
 * the same terms, and searchIndexConsistent() checks a whole index.
 */
export const INDEX_INSERT = `INSERT INTO record_search (docid, ${INDEX_COLUMN_NAMES})
  VALUES (?, ${INDEX_COLUMNS.map(() => '?').join(', ')})`;

export const INDEX_META_INSERT = 'INSERT INTO record_search_meta (docid, rid, rtype, archived) VALUES (?, ?, ?, ?)';

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
 * Indexes a live record as `records` now holds it, with its terms
 * (indexTermsOf of the same title and data). The record's id, type and
 * archived flag live in a small side table keyed by docid, so a search never
 * loads records' JSON just to filter and name its hits.
 */
export function indexRecord(db: Database, record: IndexedRecord, terms: IndexTerms, prepared?: Statement, preparedMeta?: Statement): void {
  // As UTF-8 blobs, which FTS4 reads as the same text: sql.js copies a blob into SQLite in one go, and
  // writes a string character by character (most of a body's indexing time).
  const values = [record.rowid, ...INDEX_COLUMNS.map((column) => Buffer.from(terms[column.name], 'utf8'))];
  if (prepared) {
    prepared.run(values);
  } else {
    db.run(INDEX_INSERT, values);
  }
  const meta = [record.rowid, record.id, record.type, record.archived ? 1 : 0];
  if (preparedMeta) {
    preparedMeta.run(meta);
  } else {
    db.run(INDEX_META_INSERT, meta);
  }
}

export interface SearchFilters {
  type?: RecordType;
  service?: string;
  tag?: string;
  limit?: number;
  includeArchived?: boolean;
  /** Search the words as typed: no correction of words that match nothing. */
  exact?: boolean;
}

/** Where a hit came from when a catalog sync created it. */
export interface HitSource {
  catalogId: string;
  /** The file inside the catalog. */
  path: string;
  version: number;
  /** False for an owner's unsigned folder sync. */
  signed: boolean;
}

export interface SearchHit {
  id: string;
  type: RecordType;
  title: string;
  score: number;
  /** A short excerpt of the best-matching section; the matched words are between \u0002 and \u0003. */
  snippet: string;
  /** The headings the snippet sits under ("Diagnosis › Check replication lag"), or ''. */
  heading: string;
  archived: boolean;
  source: HitSource | null;
}

export interface SearchResult {
  query: string;
  /** The query as searched when some of its words were corrected, else null. */
  corrected: string | null;
  hits: SearchHit[];
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
const TITLE_ONLY_COLUMNS: ReadonlySet<number> = new Set(
  INDEX_COLUMNS.flatMap((column, index) => (column.name === 'title' || column.name === 'tags' ? [index] : [])),
);

export interface Scored {
  docid: number;
  groups: number;
  type: RecordType;
  rank: number;
}

interface Pass {
  groups: QueryGroup[];
  scored: Scored[];
  /** Records holding each group's terms, in the whole index. */
  docs: number[];
}

/**
 * One query to the index: records with every required word ('all'), or with
 * any of the query's words ('any'), each scored.
 */
function runPass(db: Database, groups: QueryGroup[], filters: SearchFilters, mode: 'all' | 'any'): Pass {
  const all = mode === 'all' ? allWordsQuery(groups) : null;
  const phrases = all ? all.phrases : phrasesOf(groups);
  const match = all ? all.match : mode === 'any' ? matchExpression(phrases) : null;
  const docs = groups.map(() => 0);
  if (!match) {
    return { groups, scored: [], docs };
  }
  const where = ['record_search MATCH ?'];
  const params: (string | number)[] = [match];
  // Only the service and tag filters need the record itself; type and archived are known per row (search-rows.ts).
  const join = filters.service !== undefined || filters.tag !== undefined;
  if (filters.service) {
    where.push("(lower(json_extract(r.data, '$.service')) = lower(?) OR (r.type = 'service' AND lower(r.title) = lower(?)))");
    params.push(filters.service, filters.service);
  }
  if (filters.tag) {
    where.push("EXISTS (SELECT 1 FROM json_each(r.data, '$.tags') WHERE lower(value) = lower(?))");
    params.push(filters.tag);
  }
  // Every row in one crossing (search-rows.ts): at 20,000 records a typed prefix matches 13,000 of them.
  const from = `FROM record_search ${join ? 'JOIN records r ON r.rowid = record_search.docid' : ''} WHERE ${where.join(' AND ')}`;
  const scored: Scored[] = [];
  // Made from the first row: what every row shares (index-wide counts) comes with each.
  const state: { scorer?: Scorer } = {};
  const query = {
    table: 'record_search',
    meta: 'record_search_meta',
    phrases: phrases.length,
    columns: INDEX_COLUMNS.length,
    from,
    params,
    ...(filters.type ? { type: filters.type } : {}),
    includeArchived: filters.includeArchived === true,
  };
  forEachMatch(db, query, (docid, type, info) => {
    const scorer = (state.scorer ??= new Scorer(info, phrases, groups, COLUMN_WEIGHTS));
    const kind = type as RecordType;
    const row = scorer.score(info, TITLE_ONLY_KINDS.has(kind) ? TITLE_ONLY_COLUMNS : undefined);
    // A row must match some required word where its kind may match (a title-only kind: its title or tags).
    if (row.score > 0 && (row.matched > 0 || row.required === 0)) {
      scored.push({ docid, groups: row.groupsMatched, type: kind, rank: rankValue(row) });
    }
  });
  return { groups, scored, docs: state.scorer?.docs ?? docs };
}

/**
 * How many rows this connection has changed so far (SQLite's total_changes():
 * any insert, update or delete, rolled back or not): what an answer kept
 * "until the database changes" is checked against. Where sql.js reopens the
 * connection (an export, in older versions) it starts again from 0, so such
 * answers are dropped there too (forgetVocabulary, RecordStore.export).
 */
export function totalChanges(db: Database): number {
  return Number(db.exec('SELECT total_changes()')[0]?.values[0]?.[0] ?? -1);
}

/**
 * The index's terms that begin with one letter, each with its record count,
 * kept per database until it next changes. By first letter because reading
 * the whole vocabulary (fts4aux counts every term's records) took 200 ms at
 * 10,000 records; one letter takes 1–40 ms.
 */
const vocabularies = new WeakMap<Database, { changes: number; letters: Map<string, { term: string; docs: number }[]> }>();

/** Drops what vocabularyFrom and search-rows.ts kept for a database (its connection is reopened or closed). */
export function forgetVocabulary(db: Database): void {
  vocabularies.delete(db);
  forgetRowFacts(db);
}

function vocabularyFrom(db: Database, letter: string): { term: string; docs: number }[] {
  const now = totalChanges(db);
  let cached = vocabularies.get(db);
  if (cached?.changes !== now) {
    cached = { changes: now, letters: new Map() };
    vocabularies.set(db, cached);
  }
  let terms = cached.letters.get(letter);
  if (terms === undefined) {
    // The upper bound: the next code point (terms are folded, so letters and digits).
    const next = String.fromCodePoint((letter.codePointAt(0) ?? 0) + 1);
    const [result] = db.exec("SELECT term, documents FROM record_search_terms WHERE col = '*' AND term >= ? AND term < ? AND length(term) >= 3", [
      letter,
      next,
    ]);
    terms = (result?.values ?? []).map(([term, docs]) => ({ term: String(term), docs: Number(docs) }));
    cached.letters.set(letter, terms);
  }
  return terms;
}

/**
 * The vault's terms a misspelling of `term` may be corrected to: those that
 * begin with its first letter or, for a swap of the first two ("rpometheus"),
 * its second.
 */
function candidateTerms(db: Database, term: string): { term: string; docs: number }[] {
  const first = term.codePointAt(0) ?? 0;
  const second = term.codePointAt(first > 0xffff ? 2 : 1) ?? first;
  const letters = [...new Set([String.fromCodePoint(first), String.fromCodePoint(second)])];
  return letters.flatMap((letter) => vocabularyFrom(db, letter));
}

/**
 * Groups whose terms match nothing, corrected against the vault's own terms
 * (search-query.ts, correctTerm). A compound's parts that match nothing are
 * dropped when its whole name is corrected (the whole says what was meant).
 * Undefined when nothing was corrected.
 */
function corrections(db: Database, pass: Pass): Map<number, string> | undefined {
  const fixes = new Map<number, string>();
  const missing = pass.groups.map((group, g) => group.kind !== 'stop' && (pass.docs[g] ?? 0) === 0);
  if (!missing.some(Boolean)) {
    return undefined;
  }
  pass.groups.forEach((group, g) => {
    const term = group.terms[0];
    const fixed = missing[g] && term !== undefined && allowedEdits(term) > 0 ? correctTerm(term, candidateTerms(db, term)) : undefined;
    if (fixed !== undefined) {
      fixes.set(g, fixed);
    }
  });
  return fixes.size > 0 ? fixes : undefined;
}

/** The corrected groups: a fixed term (with its synonyms), parts of a corrected whole left out. */
function correctedGroups(groups: readonly QueryGroup[], fixes: ReadonlyMap<number, string>, docs: readonly number[]): QueryGroup[] {
  const wholeFixed = new Set(groups.flatMap((group, g) => (group.kind === 'whole' && fixes.has(g) ? [group.token] : [])));
  return groups.flatMap((group, g) => {
    const fixed = fixes.get(g);
    if (fixed !== undefined) {
      return [{ ...group, terms: [fixed] }];
    }
    if (group.part !== undefined && wholeFixed.has(group.token) && (docs[g] ?? 0) === 0) {
      return [];
    }
    return [group];
  });
}

/** A term as a record writes it (its title, file name, headings or text), for "Showing results for …"; the term itself if none. */
function surfaceOf(term: string, texts: readonly string[]): string {
  for (const text of texts) {
    for (const token of rawTokens(text)) {
      if (token.parts.length > 1 && wholeTerm(token.parts) === term) {
        return token.text;
      }
      const part = token.parts.find((p) => stem(fold(p)) === term);
      if (part !== undefined) {
        return part.toLowerCase();
      }
    }
  }
  return term;
}

/** The query with each corrected word (or whole compound) as the best hit writes it. */
function correctedQuery(query: string, groups: readonly QueryGroup[], fixes: ReadonlyMap<number, string>, texts: readonly string[]): string {
  const tokens = rawTokens(query);
  const replaced = tokens.map((token, t) => {
    const whole = groups.findIndex((group, g) => group.token === t && group.kind === 'whole' && fixes.has(g));
    if (whole >= 0) {
      return surfaceOf(fixes.get(whole) ?? '', texts);
    }
    if (token.parts.length === 1) {
      const g = groups.findIndex((group, i) => group.token === t && fixes.has(i));
      return g >= 0 ? surfaceOf(fixes.get(g) ?? '', texts) : token.text;
    }
    let text = token.text;
    groups.forEach((group, g) => {
      const fixed = fixes.get(g);
      const part = group.part !== undefined ? token.parts[group.part] : undefined;
      if (group.token === t && fixed !== undefined && part !== undefined) {
        text = text.replace(part, surfaceOf(fixed, texts));
      }
    });
    return text;
  });
  return replaced.join(' ');
}

const RAW_BODY = (() => {
  const column = PLAN.find((c) => c.name === 'body');
  return column ? columnSql(column) : "''";
})();

interface Shown {
  id: string;
  title: string;
  body: string;
  archived: boolean;
  source: HitSource | null;
}

function sourceOf(json: unknown): HitSource | null {
  if (typeof json !== 'string') {
    return null;
  }
  const ref = JSON.parse(json) as Record<string, unknown>;
  return {
    catalogId: typeof ref['catalogId'] === 'string' ? ref['catalogId'] : '',
    path: typeof ref['file'] === 'string' ? ref['file'] : '',
    version: Number(ref['catalogVersion'] ?? 0),
    signed: ref['unsigned'] !== true,
  };
}

/** Titles, provenance and (for kinds shown with a snippet) text of the records about to be shown. */
function shownRecords(db: Database, docids: readonly number[], withText: ReadonlySet<number>): Map<number, Shown> {
  const out = new Map<number, Shown>();
  if (docids.length === 0) {
    return out;
  }
  const [rows] = db.exec(
    `SELECT r.rowid, r.id, r.title, json_extract(r.data, '$.catalogRef'), json_type(r.data, '$.archived') = 'true',
            CASE WHEN r.rowid IN (${[...withText].join(',') || 'NULL'}) THEN ${RAW_BODY} ELSE '' END
       FROM records AS r WHERE r.rowid IN (${docids.map(() => '?').join(',')})`,
    [...docids],
  );
  for (const [docid, id, title, ref, archived, body] of rows?.values ?? []) {
    out.set(Number(docid), { id: String(id), title: String(title), body: String(body ?? ''), archived: Number(archived) === 1, source: sourceOf(ref) });
  }
  return out;
}

/** Fewer records with every word than this, and records with some of the words follow them. */
export const ANY_WORDS_BELOW = 10;

/** Hits shown with a snippet (the first page); the rest have a title and provenance only. */
export const SNIPPET_HITS = 20;

const byRank = (a: Scored, b: Scored): number => b.rank - a.rank || a.docid - b.docid;

/**
 * The first `count` rows in rank order (ties by docid): what sorting them all
 * and keeping the first `count` gives, without sorting 13,000 rows to show 50.
 */
export function firstRanked<T extends Scored>(rows: T[], count: number): T[] {
  if (rows.length <= count) {
    return rows.sort(byRank);
  }
  const ranks = Float64Array.from(rows, (row) => row.rank).sort();
  const bar = ranks[ranks.length - count] ?? -Infinity;
  const above = rows.filter((row) => row.rank > bar).sort(byRank);
  // Copies of one runbook rank alike: thousands may tie at the bar, and only the lowest docids are kept.
  const tied = rows.filter((row) => row.rank === bar);
  const docids = Float64Array.from(tied, (row) => row.docid).sort();
  const last = docids[Math.min(count - above.length, docids.length) - 1] ?? -Infinity;
  return [...above, ...tied.filter((row) => row.docid <= last).sort(byRank)].slice(0, count);
}

export function runSearch(db: Database, query: string, filters: SearchFilters = {}): SearchResult {
  const groups = planQuery(query);
  const limit = filters.limit ?? 50;
  // Records with every word rank first; records with only some follow when the first are fewer than a
  // screenful. (Asking for any word unions every word's records: at 10,000 records, the slowest query.)
  const enough = Math.min(limit, ANY_WORDS_BELOW);
  let pass = runPass(db, groups, filters, 'all');
  if (pass.scored.filter((hit) => hit.rank >= ALL_WORDS).length < enough) {
    pass = runPass(db, groups, filters, 'any');
  }
  let fixes = filters.exact ? undefined : corrections(db, pass);
  if (fixes) {
    const corrected = correctedGroups(groups, fixes, pass.docs);
    let fixedPass = runPass(db, corrected, filters, 'all');
    if (fixedPass.scored.filter((hit) => hit.rank >= ALL_WORDS).length < enough) {
      fixedPass = runPass(db, corrected, filters, 'any');
    }
    // A correction stands only if a hit shows it: the vocabulary also holds words of key locations' text,
    // which a correction must never confirm (TITLE_ONLY_KINDS).
    const shown = fixedPass.scored.reduce((bits, hit) => bits | hit.groups, 0);
    const confirmed = [...fixes].every(([g]) => {
      const original = groups[g];
      const at = corrected.findIndex((c) => original !== undefined && c.token === original.token && c.kind === original.kind && c.part === original.part);
      return at >= 0 && at < 31 && (shown & (1 << at)) !== 0;
    });
    if (confirmed) {
      pass = fixedPass;
    } else {
      fixes = undefined;
    }
  }
  // Ties go by docid (insertion order) first, by title once titles are known. Ties at the cut are kept (below).
  const ordered = firstRanked(pass.scored, limit * 4);
  const cutoff = ordered[Math.min(limit, ordered.length) - 1]?.rank ?? 0;
  // Keep ties at the cut so titles can break them, but never more than a few pages' worth.
  const candidates = ordered.filter((hit, i) => i < limit || (hit.rank === cutoff && i < limit * 4));
  // Snippets for the first page only: reading and scanning fifty long pages per keystroke cost more than the search.
  const withText = new Set(
    [...candidates]
      .sort((a, b) => b.rank - a.rank)
      .slice(0, SNIPPET_HITS)
      .filter((hit) => !TITLE_ONLY_KINDS.has(hit.type))
      .map((hit) => hit.docid),
  );
  const shown = shownRecords(
    db,
    candidates.map((hit) => hit.docid),
    withText,
  );
  const top = candidates
    .map((hit) => ({ ...hit, record: shown.get(hit.docid) }))
    .sort((a, b) => b.rank - a.rank || (a.record?.title ?? '').localeCompare(b.record?.title ?? ''))
    .slice(0, limit);
  const matcher = new WordMatcher(pass.groups.filter((group) => group.kind !== 'stop').map((group, g) => groupPhrases(group, g)));
  const hits = top.map(({ docid, type, rank, record }): SearchHit => {
    const snippet = withText.has(docid) ? snippetOf(record?.body ?? '', matcher) : { text: '', heading: '' };
    return {
      id: record?.id ?? '',
      type,
      title: record?.title ?? '',
      // The ranking value: 10,000 and more when every word matched; hits come in its order.
      score: Math.round(rank * 1000) / 1000,
      snippet: snippet.text,
      heading: snippet.heading,
      archived: record?.archived ?? false,
      source: record?.source ?? null,
    };
  });
  const best = top[0]?.record;
  const texts = best ? [best.title, pathText(best.source?.path ?? ''), best.body] : [];
  return { query, corrected: fixes ? correctedQuery(query, groups, fixes, texts) : null, hits };
}
