/**
 * Full-text search over the vault's records with SQLite FTS4 (sql.js has no
 * FTS5): titles, services, bodies, steps, people and tags — never sealed
 * fields, which are ciphertext objects and are not indexed at all.
 *
 * Ranking: each column has a weight (title and service first); a record's
 * score sums, over query terms and columns, weight × hits in the record ×
 * an IDF-like factor from FTS4's matchinfo('pcx'). Prefix matching makes
 * results appear as you type; unicode61 folds case and accents (cafe = Café).
 */
import type { Database } from 'sql.js';
import type { RecordType } from '../../shared/records.js';

export const SEARCH_SCHEMA = `
CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts4(
  record_id, title, service, body, people, tags,
  notindexed=record_id, prefix="2,3", tokenize=unicode61
);`;

/** Column weights, in table order after record_id. */
const WEIGHTS = [10, 6, 1, 3, 4];
const COLUMN_COUNT = 6;

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

/** What of a record is searchable. Sealed fields are objects, so never strings here. */
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

export function indexRecord(db: Database, id: string, text: IndexedText | null): void {
  db.run('DELETE FROM search WHERE record_id = ?', [id]);
  if (text) {
    db.run('INSERT INTO search (record_id, title, service, body, people, tags) VALUES (?, ?, ?, ?, ?, ?)', [
      id,
      text.title,
      text.service,
      text.body,
      text.people,
      text.tags,
    ]);
  }
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

function score(matchinfo: Uint8Array): number {
  const view = new DataView(matchinfo.buffer, matchinfo.byteOffset, matchinfo.byteLength);
  const phrases = view.getUint32(0, true);
  const columns = view.getUint32(4, true);
  let total = 0;
  for (let p = 0; p < phrases; p += 1) {
    for (let c = 1; c < columns && c < COLUMN_COUNT; c += 1) {
      const base = 8 + (p * columns + c) * 12;
      const hitsHere = view.getUint32(base, true);
      const docsWithHits = view.getUint32(base + 8, true);
      if (hitsHere > 0) {
        total += (WEIGHTS[c - 1] ?? 1) * (1 + Math.log(hitsHere)) * (1 / (1 + Math.log(1 + docsWithHits)));
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
  const where = ['search MATCH ?', 'r.deleted = 0'];
  const params: (string | number)[] = [match];
  if (filters.type) {
    where.push('r.type = ?');
    params.push(filters.type);
  }
  if (!filters.includeArchived) {
    where.push("coalesce(json_extract(r.data, '$.archived'), 0) = 0");
  }
  if (filters.service) {
    where.push("(lower(json_extract(r.data, '$.service')) = lower(?) OR (r.type = 'service' AND lower(r.title) = lower(?)))");
    params.push(filters.service, filters.service);
  }
  if (filters.tag) {
    where.push("EXISTS (SELECT 1 FROM json_each(r.data, '$.tags') WHERE lower(value) = lower(?))");
    params.push(filters.tag);
  }
  const statement = db.prepare(
    `SELECT r.id, r.type, r.title, matchinfo(search, 'pcx') AS info,
            snippet(search, char(2), char(3), '…', -1, 12) AS excerpt
       FROM search JOIN records r ON r.id = search.record_id
      WHERE ${where.join(' AND ')}`,
  );
  const hits: SearchHit[] = [];
  try {
    statement.bind(params);
    while (statement.step()) {
      const row = statement.getAsObject();
      hits.push({
        id: String(row['id']),
        type: String(row['type']) as RecordType,
        title: String(row['title']),
        score: score(row['info'] as Uint8Array),
        snippet: String(row['excerpt']),
      });
    }
  } finally {
    statement.free();
  }
  return hits.sort((a, b) => b.score - a.score || a.title.localeCompare(b.title)).slice(0, filters.limit ?? 50);
}
