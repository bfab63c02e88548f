/**
 * The pieces the entity-YAML and Markdown readers share: the problem and
 * entry shapes, YAML line lookup, value readers that report a wrong type as
 * a problem naming the source field (never throwing), and the final schema
 * check of an entry's data. See catalog-content.ts for the mapping rules.
 */
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node as YamlNode, type YAMLError } from 'yaml';
import { parseDuration } from '../../shared/durations.js';
import { RECORD_SCHEMAS, SEALED_FIELDS, type RecordType } from '../../shared/records.js';

export interface CatalogProblem {
  file: string;
  line?: number;
  field?: string;
  message: string;
}

/** A file, or one document of a YAML file, that is not catalog content: left out, never an error. */
export interface CatalogSkip {
  file: string;
  /** The document's first line, for one document of a YAML file. */
  line?: number;
  /** Why, in words: "not a Backstage entity (no apiVersion)", "an empty page"… */
  reason: string;
}

/** Something a publisher should fix that does not stop a sync: a generic or shared title, an empty page. */
export interface CatalogWarning {
  file: string;
  line?: number;
  /** Every file concerned (a title shared by several pages names them all), the first being `file`. */
  files?: string[];
  message: string;
}

export interface CatalogEntry {
  /** Stable identity across catalog versions: an entity ref (lower-cased) or the Markdown file's path. */
  key: string;
  type: RecordType;
  title: string;
  /** Passed RECORD_SCHEMAS[type]; this is the schema's output (defaults filled in, text trimmed). */
  data: Record<string, unknown>;
  file: string;
  line: number;
}

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array);
}

/** Problems of one file; `line` and `field` are left out when unknown. */
export class FileProblems {
  readonly list: CatalogProblem[] = [];

  constructor(readonly file: string) {}

  add(message: string, line?: number, field?: string): void {
    this.list.push({ file: this.file, ...(line === undefined ? {} : { line }), ...(field === undefined ? {} : { field }), message });
  }
}

/** At most this many YAML syntax errors are listed per document; the rest are counted. */
const MAX_SYNTAX_ERRORS = 10;

/**
 * YAML syntax errors of one document as problems (line numbers shifted by
 * `lineOffset`); one per line, as the parser often reports a mistake twice.
 */
export function reportYamlErrors(errors: readonly YAMLError[], lines: LineCounter, lineOffset: number, problems: FileProblems): void {
  const seen = new Set<number>();
  let left = 0;
  for (const error of errors) {
    const line = Math.max(lines.linePos(error.pos[0]).line + lineOffset, 1);
    if (seen.has(line)) {
      continue;
    }
    if (seen.size === MAX_SYNTAX_ERRORS) {
      left += 1;
      continue;
    }
    seen.add(line);
    problems.add(`YAML syntax error: ${error.message.split('\n')[0] ?? error.code}`, line);
  }
  if (left > 0) {
    problems.add(`…and ${left} more YAML syntax errors in the same document.`);
  }
}

/**
 * The line of the key at `path` (or of the sequence item), falling back to
 * the deepest ancestor found, then to the document's start.
 */
export function yamlLine(doc: Document, lines: LineCounter, path: readonly (string | number)[], lineOffset = 0): number {
  let node: unknown = doc.contents;
  let offset = doc.contents?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) {
        break;
      }
      offset = (pair.key as YamlNode).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      const range = (item as YamlNode | undefined)?.range;
      if (!range) {
        break;
      }
      offset = range[0];
      node = item;
    } else {
      break;
    }
  }
  return Math.max(lines.linePos(offset).line + lineOffset, 1);
}

/** Where a data field came from, so a schema failure names the source field and line. */
export interface FieldSource {
  field: string;
  line: number;
}

/** Reads typed values out of a parsed mapping, reporting wrong types against the source field. */
export interface FieldReader {
  /** Display name of a path, e.g. `lifeboat.estimated_minutes`. */
  name(path: readonly string[]): string;
  line(path: readonly string[]): number;
  problem(path: readonly string[], message: string): void;
}

/** Non-empty trimmed text; numbers are accepted and written as text. Undefined when absent or blank. */
export function readText(reader: FieldReader, path: readonly string[], value: unknown): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    return String(value);
  }
  if (typeof value !== 'string') {
    reader.problem(path, `${reader.name(path)} must be text, not ${describe(value)}.`);
    return undefined;
  }
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A list of non-empty texts; a single text counts as a list of one. Blank items are dropped. */
export function readTextList(reader: FieldReader, path: readonly string[], value: unknown): string[] | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const items: unknown[] = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const item of items) {
    if (typeof item === 'string' || (typeof item === 'number' && Number.isFinite(item))) {
      const text = String(item).trim();
      if (text !== '') {
        out.push(text);
      }
    } else {
      reader.problem(path, `${reader.name(path)} must be a list of texts; one item is ${describe(item)}.`);
      return undefined;
    }
  }
  return out;
}

/** Minutes from a duration (shared/durations.ts: `30m`, `4h`, `1h30m`, `2d`, `1 h 30 min`) or whole minutes. */
export function readDuration(reader: FieldReader, path: readonly string[], value: unknown): number | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const minutes = parseDuration(value);
  if (minutes === undefined) {
    reader.problem(path, `${reader.name(path)} must be a duration like 30m, 4h, 1h30m or 2d (or whole minutes), not ${describe(value)}.`);
  }
  return minutes;
}

/** A calendar date as YYYY-MM-DD, from "2026-01-31", "2026-01-31T10:00:00Z" or a Date. */
export function isoDay(value: unknown): string | undefined {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ][\d:.+\-Zz ]*)?$/.exec(value.trim());
  if (!match) {
    return undefined;
  }
  const [, y, m, d] = match as unknown as [string, string, string, string];
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d) ? `${y}-${m}-${d}` : undefined;
}

export function readDate(reader: FieldReader, path: readonly string[], value: unknown): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const day = isoDay(value);
  if (day === undefined) {
    reader.problem(path, `${reader.name(path)} must be a date like 2026-01-31, not ${describe(value)}.`);
  }
  return day;
}

/** A whole number in [min, max]; numeric text is accepted. */
export function readInteger(reader: FieldReader, path: readonly string[], value: unknown, min: number, max: number): number | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const n = typeof value === 'string' && /^\s*-?\d{1,9}\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    reader.problem(path, `${reader.name(path)} must be a whole number from ${min} to ${max}, not ${describe(value)}.`);
    return undefined;
  }
  return n;
}

/** A short, safe description of a value for a problem message. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) {
    return 'empty';
  }
  if (typeof value === 'string') {
    return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (value instanceof Date) {
    return 'a date';
  }
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

const SEALED_NORMALIZED = new Set<string>(SEALED_FIELDS.map((f) => f.toLowerCase()));

/** Whether a key names a sealed secret field, in any spelling (`totp_seed`, `totpSeed`, `recovery-codes`). */
export function isSealedFieldName(key: string): boolean {
  return SEALED_NORMALIZED.has(key.replace(/[-_\s]/g, '').toLowerCase());
}

const MAX_DEPTH = 64;

/**
 * At most this many values are copied into one entry's `meta`. A real
 * entity has dozens; more means YAML aliases repeated inside aliases (a
 * "billion laughs"), which `yaml`'s maxAliasCount does not always catch
 * (it counts the largest branch, not the sum, and not cycles at all).
 */
export const MAX_META_VALUES = 100_000;

/**
 * Why a value cannot be copied by jsonSafe: it contains itself (`cycle`,
 * `path` is where the repeated collection starts), or it expands to more
 * than MAX_META_VALUES values (`too-large`, `path` is where the count ran out).
 */
export class UnsafeValueError extends Error {
  constructor(
    readonly reason: 'cycle' | 'too-large',
    readonly path: readonly string[],
    limit = MAX_META_VALUES,
  ) {
    super(reason === 'cycle' ? `The value at ${path.join('.') || 'the top'} contains itself.` : `The value expands to more than ${limit} values.`);
    this.name = 'UnsafeValueError';
  }
}

/**
 * A JSON-safe copy for `meta`: dates become ISO strings, non-finite numbers
 * and bigints become text, binary becomes base64, undefined entries are
 * dropped; only plain objects and arrays remain (canonical JSON accepts it).
 * Deeper than 64 levels becomes null. Shared values (YAML aliases) are
 * copied at each use. Throws UnsafeValueError for a value that contains
 * itself or copies to more than MAX_META_VALUES values, never walking further.
 */
export function jsonSafe(value: unknown, maxValues = MAX_META_VALUES): unknown {
  /** The collections being copied, outermost first, with the path length at which each was entered. */
  const ancestors = new Map<object, number>();
  const path: string[] = [];
  let visited = 0;

  const copy = (item: unknown): unknown => {
    visited += 1;
    if (visited > maxValues) {
      throw new UnsafeValueError('too-large', [...path], maxValues);
    }
    if (item === null || typeof item === 'string' || typeof item === 'boolean') {
      return item;
    }
    if (typeof item === 'number') {
      return Number.isFinite(item) ? item : String(item);
    }
    if (typeof item === 'bigint') {
      return item.toString();
    }
    if (item instanceof Date) {
      return Number.isNaN(item.getTime()) ? null : item.toISOString();
    }
    if (item instanceof Uint8Array) {
      return Buffer.from(item).toString('base64');
    }
    if (typeof item !== 'object') {
      return null;
    }
    const start = ancestors.get(item);
    if (start !== undefined) {
      throw new UnsafeValueError('cycle', path.slice(0, start));
    }
    if (path.length >= MAX_DEPTH) {
      return null;
    }
    ancestors.set(item, path.length);
    try {
      if (Array.isArray(item) || item instanceof Set) {
        return [...(item as Iterable<unknown>)].map((child, index) => within(String(index), child) ?? null);
      }
      const entries: [unknown, unknown][] = item instanceof Map ? [...(item as Map<unknown, unknown>)] : Object.entries(item);
      // Object.fromEntries defines own properties, so a "__proto__" key stays a plain key.
      return Object.fromEntries(entries.filter(([, child]) => child !== undefined).map(([key, child]) => [String(key), within(String(key), child)]));
    } finally {
      ancestors.delete(item);
    }
  };

  const within = (segment: string, item: unknown): unknown => {
    path.push(segment);
    try {
      return copy(item);
    } finally {
      path.pop();
    }
  };

  return copy(value);
}

/**
 * `meta` from leftover keys: JSON-safe, or undefined when there is nothing
 * left. A leftover value that contains itself or expands past
 * MAX_META_VALUES is reported as a problem against its source field
 * (`source` maps a path in `rest` to the path in the file) and gives undefined.
 */
export function metaOf(rest: PlainObject, reader: FieldReader, source: (path: readonly string[]) => readonly string[]): Record<string, unknown> | undefined {
  let meta: Record<string, unknown>;
  try {
    meta = jsonSafe(rest) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof UnsafeValueError)) {
      throw error;
    }
    const field = source(error.reason === 'cycle' ? error.path : error.path.slice(0, 1));
    const name = field.length > 0 ? reader.name(field) : 'A value';
    reader.problem(
      field,
      error.reason === 'cycle'
        ? `${name} contains itself (a YAML alias inside its own anchor), so it has no end: a catalog value cannot refer to itself.`
        : `${name} expands to more than ${MAX_META_VALUES.toLocaleString('en-US')} values (YAML aliases repeated inside aliases): refused as a resource-exhaustion attack.`,
    );
    return undefined;
  }
  return Object.keys(meta).length === 0 ? undefined : meta;
}

/** Drops undefined fields (the schemas are strict, and `undefined` is not a value to sync). */
export function compact(data: PlainObject): PlainObject {
  return Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
}

/**
 * Validates `data` against RECORD_SCHEMAS[type]. Each failure becomes a
 * problem naming the source field (via `sources`) and its line. Returns the
 * schema's output, or undefined if it failed.
 */
export function validateEntryData(
  type: RecordType,
  data: PlainObject,
  sources: ReadonlyMap<string, FieldSource>,
  fallbackLine: number,
  problems: FileProblems,
): Record<string, unknown> | undefined {
  const parsed = RECORD_SCHEMAS[type].safeParse(compact(data));
  if (parsed.success) {
    return parsed.data;
  }
  for (const issue of parsed.error.issues) {
    const dataField = issue.path.length > 0 ? String(issue.path[0]) : '';
    const source = sources.get(dataField);
    const detail = issue.path.length > 1 ? ` (item ${issue.path.slice(1).map(String).join('.')})` : '';
    problems.add(`${source?.field ?? (dataField || type)}${detail}: ${issue.message}`, source?.line ?? fallbackLine, source?.field ?? (dataField || undefined));
  }
  return undefined;
}
