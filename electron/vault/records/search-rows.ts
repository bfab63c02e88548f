/**
 * Reading one query's matching rows out of sql.js, fast (issue 20: search
 * p95 < 30 ms at 20,000 records).
 *
 * A prefix typed as a word ("con", "pro") matches most of a large vault:
 * 13,000 of 20,000 records. Returned one row at a time, each row crossed
 * from WebAssembly into JavaScript (a step, three column reads, and sql.js
 * copying the matchinfo blob byte by byte): twice what FTS4 took to find
 * them. So SQLite packs every row into one string (group_concat of each
 * row's docid, type and hex(matchinfo)), read in one crossing and decoded
 * here. The numbers are FTS4's own, unchanged: the same ranking as before.
 *
 * What is the same for every row of a query (matchinfo 'p', 'c', 'n', 'a')
 * is asked once, from the index's statistics row, rather than once per row.
 */
import type { Database } from 'sql.js';
import { LifeboatError } from '../../../shared/errors.js';

/** Hex digit values by character code (0 for anything else: FTS4's hex() writes 0-9 A-F only). */
const HEX = new Uint8Array(128);
for (let i = 0; i < 10; i += 1) {
  HEX[48 + i] = i;
}
for (let i = 0; i < 6; i += 1) {
  HEX[65 + i] = 10 + i;
  HEX[97 + i] = 10 + i;
}

function byteAt(hex: string, at: number): number {
  return ((HEX[hex.charCodeAt(at)] ?? 0) << 4) | (HEX[hex.charCodeAt(at + 1)] ?? 0);
}

/**
 * FTS4's variable-length integers (7 bits a byte, least significant first:
 * sqlite3Fts3GetVarint), as the statistics row holds them.
 */
export function ftsVarints(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let value = 0;
  let scale = 1;
  for (const byte of bytes) {
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) {
      out.push(value);
      value = 0;
      scale = 1;
    }
  }
  return out;
}

/**
 * What matchinfo would read for every row, read once per table and kept
 * until the database next changes: each record's type and archived flag
 * (the side table search-index.ts keeps), each row's length per column
 * (matchinfo 'l', from FTS4's `<table>_docsize`), and the table's rows and
 * average lengths ('n' and 'a', from `<table>_stat`). At 10,000 matching
 * rows, looking up each row's length and meta row cost more than FTS4's
 * query itself. search-index.test.ts holds every figure equal to matchinfo's.
 */
interface RowFacts {
  changes: number;
  /** docid → position in the arrays below. */
  at: Map<number, number>;
  /** Each row's type, as an index into `typeNames`. */
  types: Uint8Array;
  typeNames: string[];
  archived: Uint8Array;
  /** `columns` lengths per row. */
  lengths: Uint32Array;
  records: number;
  averages: number[];
}

const kept = new WeakMap<Database, RowFacts>();

/** Drops what was kept for a database (its connection is reopened or closed). */
export function forgetRowFacts(db: Database): void {
  kept.delete(db);
}

function changesOf(db: Database): number {
  return Number(db.exec('SELECT total_changes()')[0]?.values[0]?.[0] ?? -1);
}

/** Every row of `select` (one text column per row) packed by SQLite into one string, rows separated by `separator`. */
function packedRows(db: Database, select: string, params: (string | number)[], separator: string): string {
  // LIMIT -1 OFFSET 0 keeps SQLite from flattening the subquery into the aggregate, where matchinfo() may not run.
  const [result] = db.exec(`SELECT group_concat(row, '${separator}') FROM (${select} LIMIT -1 OFFSET 0)`, params);
  const packed = result?.values[0]?.[0];
  return typeof packed === 'string' ? packed : '';
}

/** FTS4 varints (ftsVarints) read straight from their hex, into `out` from `offset`, at most `count`. */
function varintsFromHex(hex: string, from: number, to: number, out: Uint32Array, offset: number, count: number): void {
  let value = 0;
  let scale = 1;
  let n = 0;
  for (let at = from; at + 1 < to && n < count; at += 2) {
    const byte = byteAt(hex, at);
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) {
      out[offset + n] = value % 2 ** 32;
      n += 1;
      value = 0;
      scale = 1;
    }
  }
}

function readFacts(db: Database, table: string, meta: string, columns: number, changes: number): RowFacts {
  // Two scans in docid order rather than a join: the join took three times as long as both.
  const types = packedRows(db, `SELECT docid || ':' || archived || ':' || rtype AS row FROM ${meta} ORDER BY docid`, [], ',');
  const sizes = packedRows(db, `SELECT docid || ':' || hex(size) AS row FROM ${table}_docsize ORDER BY docid`, [], ',');
  const typeRows = types === '' ? [] : types.split(',');
  const size = typeRows.length;
  const facts: RowFacts = {
    changes,
    at: new Map(),
    types: new Uint8Array(size),
    typeNames: [],
    archived: new Uint8Array(size),
    lengths: new Uint32Array(size * columns),
    ...indexStatistics(db, table, columns),
  };
  const codes = new Map<string, number>();
  typeRows.forEach((row, i) => {
    // Record types are words and hyphens: no ':' inside a row but the separators.
    const a = row.indexOf(':');
    const b = row.indexOf(':', a + 1);
    const type = row.slice(b + 1);
    let code = codes.get(type);
    if (code === undefined) {
      code = facts.typeNames.push(type) - 1;
      codes.set(type, code);
    }
    facts.at.set(Number(row.slice(0, a)), i);
    facts.archived[i] = row.charCodeAt(a + 1) === 48 && b === a + 2 ? 0 : 1;
    facts.types[i] = code;
  });
  for (let start = 0; start < sizes.length;) {
    const comma = sizes.indexOf(',', start);
    const end = comma < 0 ? sizes.length : comma;
    const colon = sizes.indexOf(':', start);
    const i = facts.at.get(Number(sizes.slice(start, colon)));
    if (i !== undefined) {
      varintsFromHex(sizes, colon + 1, end, facts.lengths, i * columns, columns);
    }
    start = end + 1;
  }
  return facts;
}

function rowFacts(db: Database, table: string, meta: string, columns: number): RowFacts {
  const changes = changesOf(db);
  let facts = kept.get(db);
  if (facts?.changes !== changes) {
    facts = readFacts(db, table, meta, columns, changes);
    kept.set(db, facts);
  }
  return facts;
}

/**
 * matchinfo 'n' and 'a' of an FTS4 table: its rows, and each column's
 * average length in terms, rounded as FTS4 rounds them. From the statistics
 * row FTS4 keeps itself (`<table>_stat`, id 0: the row count, then each
 * column's total length), which matchinfo reads for every row it is asked
 * about.
 */
export function indexStatistics(db: Database, table: string, columns: number): { records: number; averages: number[] } {
  const [result] = db.exec(`SELECT value FROM ${table}_stat WHERE id = 0`);
  const blob = result?.values[0]?.[0];
  const numbers = blob instanceof Uint8Array ? ftsVarints(blob) : [];
  const records = numbers[0] ?? 0;
  const averages = Array.from({ length: columns }, (_, c) => {
    const total = (numbers[1 + c] ?? 0) % 2 ** 32;
    return records > 0 ? Math.floor((total + Math.floor(records / 2)) / records) >>> 0 : 0;
  });
  return { records, averages };
}

/** One matching row: its docid, its record type, and matchinfo('pcnalx') as FTS4 would give it. */
export type MatchVisitor = (docid: number, type: string, info: Uint32Array) => void;

export interface MatchQuery {
  /** The FTS4 table, and the side table holding each docid's rtype and archived flag. */
  table: string;
  meta: string;
  phrases: number;
  columns: number;
  /** `FROM … WHERE …` of a query over the FTS4 table (named as `table`). */
  from: string;
  params: (string | number)[];
  /** Only rows of this type; archived rows too. */
  type?: string;
  includeArchived: boolean;
}

/**
 * Runs the query, its rows packed into one string of hex by SQLite (each
 * row the same width: its docid, then matchinfo 'x'), decoded in one native
 * call, and calls `visit` for each row with matchinfo in the 'pcnalx' layout
 * the scorer reads (one buffer, reused). What is the same for every row (the
 * index-wide hits and record counts of 'x', and 'p', 'c', 'n', 'a') is read
 * from the first row and kept in the buffer; each later row brings its own
 * hits only. Returns the number of rows visited.
 */
export function forEachMatch(db: Database, query: MatchQuery, visit: MatchVisitor): number {
  const { phrases, columns, table } = query;
  const facts = rowFacts(db, table, query.meta, columns);
  // A docid is a records rowid: positive, under 2^53.
  const packed = packedRows(db, `SELECT printf('%016X', ${table}.docid) || hex(matchinfo(${table}, 'x')) AS row ${query.from}`, query.params, '');
  const triples = phrases * columns;
  const rowBytes = 8 + 12 * triples;
  const bytes = Buffer.from(packed, 'hex');
  if (bytes.length % rowBytes !== 0 || bytes.length !== packed.length / 2) {
    // Only a broken SQLite build or a damaged index could answer otherwise: never rank what cannot be read.
    throw new LifeboatError('VAULT_TAMPERED', 'The search index answered in an unexpected form. Run `lifeboat doctor`.');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const head = 3 + 2 * columns;
  const info = new Uint32Array(head + 3 * triples);
  info[0] = phrases;
  info[1] = columns;
  info[2] = facts.records;
  facts.averages.forEach((average, c) => {
    info[3 + c] = average;
  });
  const wanted = query.type === undefined ? -1 : facts.typeNames.indexOf(query.type);
  let seen = 0;
  for (let at = 0; at < bytes.length; at += rowBytes) {
    const docid = view.getUint32(at, false) * 2 ** 32 + view.getUint32(at + 4, false);
    const i = facts.at.get(docid);
    const code = i === undefined ? -1 : (facts.types[i] ?? -1);
    if (i === undefined || (query.type !== undefined && code !== wanted) || (!query.includeArchived && facts.archived[i] === 1)) {
      continue;
    }
    for (let c = 0; c < columns; c += 1) {
      info[3 + columns + c] = facts.lengths[i * columns + c] ?? 0;
    }
    const x = at + 8;
    if (seen === 0) {
      for (let k = 0; k < 3 * triples; k += 1) {
        info[head + k] = view.getUint32(x + 4 * k, true);
      }
    } else {
      for (let k = 0; k < triples; k += 1) {
        info[head + 3 * k] = view.getUint32(x + 12 * k, true);
      }
    }
    seen += 1;
    visit(docid, facts.typeNames[code] ?? '', info);
  }
  return seen;
}
