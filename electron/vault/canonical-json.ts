/**
 * Canonical JSON: the bytes that get hashed, MAC'd and signed. Object keys
 * are sorted by UTF-16 code units (JavaScript's default sort), no
 * whitespace, strings and numbers as JSON.stringify writes them; only
 * finite numbers, strings, booleans, null, arrays and plain objects are
 * allowed. This is the JSON Canonicalization Scheme (RFC 8785) for the values
 * Lifeboat writes (integers and strings; no floats), so another
 * implementation can reproduce the bytes. See docs/vault-format.md.
 */
import { LifeboatError } from '../../shared/errors.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Far deeper than anything Lifeboat writes; deeper input is refused instead of overflowing the stack. */
export const MAX_CANONICAL_DEPTH = 1000;

export function canonicalJson(value: unknown, depth = 0): string {
  if (depth > MAX_CANONICAL_DEPTH) {
    throw new LifeboatError('VAULT_BAD_INPUT', `A JSON value is nested more than ${MAX_CANONICAL_DEPTH} levels deep.`);
  }
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new TypeError('canonical JSON cannot hold a non-finite number');
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => canonicalJson(item, depth + 1)).join(',')}]`;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item, depth + 1)}`).join(',')}}`;
  }
  throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
}

export function canonicalBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}

/**
 * canonicalJson of an object cut into lines, for a document too large to
 * build as one string (a signed audit export: 80 MiB at 100,000 events): the
 * object's members each on a line, and the elements of a member that is an
 * array each on a line of their own. The lines joined with nothing are
 * exactly canonicalJson(value); joined with newlines they are the same JSON,
 * an element per line.
 *
 * `texts`: the canonical JSON of each element of some arrays, by array (the
 * same array object, not an equal one). Arrays found there are not encoded
 * again; arrays not found are encoded and added, so a second pass over a
 * document sharing those arrays (the same export, signed) costs nothing.
 */
export function* canonicalLines(value: Record<string, unknown>, texts?: Map<readonly unknown[], readonly string[]>): Generator<string> {
  if (Object.getPrototypeOf(value) !== Object.prototype) {
    throw new TypeError('canonical lines are for a plain object');
  }
  const entries = Object.entries(value)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  yield '{';
  for (const [index, [key, item]] of entries.entries()) {
    const after = index < entries.length - 1 ? ',' : '';
    if (!Array.isArray(item) || item.length === 0) {
      yield `${JSON.stringify(key)}:${canonicalJson(item, 1)}${after}`;
      continue;
    }
    const array = item as readonly unknown[];
    let elements = texts?.get(array);
    if (elements?.length !== array.length) {
      elements = array.map((element) => canonicalJson(element, 2));
      texts?.set(array, elements);
    }
    yield `${JSON.stringify(key)}:[`;
    const last = elements.length - 1;
    for (let i = 0; i <= last; i++) {
      yield i < last ? `${elements[i] ?? ''},` : (elements[i] ?? '');
    }
    yield `]${after}`;
  }
  yield '}';
}
