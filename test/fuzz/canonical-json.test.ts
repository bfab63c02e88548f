/**
 * Properties of canonical JSON (electron/vault/canonical-json.ts): the bytes Lifeboat hashes, MACs
 * and signs (the header's MAC, audit records and their commitments, evidence reports, catalog entry
 * hashes). Checked over fast-check JSON values with every kind of string (lone surrogates included)
 * and numbers (negative zero, exponents, the largest doubles):
 * - it is JSON, and parses back to the same value (what JSON.stringify would give);
 * - it is idempotent: canonicalising the parsed output gives the same text;
 * - key order does not matter, at any depth;
 * - it is exactly an independent RFC 8785 (JCS) reference: keys sorted by UTF-16 code units, no
 *   whitespace, ECMAScript number and string serialisation — so another implementation can
 *   reproduce the bytes;
 * - it is injective: two values give the same text exactly when they are the same JSON;
 * - its text is well-formed Unicode and canonicalBytes is its UTF-8;
 * - undefined members are left out; anything that is not JSON (NaN, ±Infinity, Date, Map, a class
 *   instance, a BigInt, a function, a symbol) is a TypeError, at any depth.
 * Its one limit — recursion per level, so thousands of levels overflow the stack — is where the
 * known bugs of audit-log.test.ts and report-signing.test.ts come from; Lifeboat itself never nests
 * deeper than a few levels, and 1,000 levels are shown to work.
 *
 * Pure and fast, so run in this thread; LIFEBOAT_FUZZ_RUNS multiplies the runs, LIFEBOAT_FUZZ_SEED
 * changes them, LIFEBOAT_FUZZ_PATH replays one (see test/fuzz/mutate.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalJson } from '../../electron/vault/canonical-json.js';
import { changedPaths, fcParams } from './mutate.js';

/**
 * JSON values as JSON.parse gives them (fast-check also makes objects without a prototype, which no
 * parser in Lifeboat produces and canonicalJson refuses by design), plus numbers and strings at the edges.
 */
const json: fc.Arbitrary<unknown> = fc.oneof(
  fc
    .oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }),
      fc.jsonValue({ maxDepth: 3, stringUnit: 'grapheme' }),
      fc.dictionary(
        fc.constantFrom('__proto__', 'constructor', '10', '2', '-1', '1.5', '', 'a', 'B', 'é', '\uD83D\uDE00', '\uFFFF', '\uD800'),
        fc.jsonValue({ maxDepth: 1 }),
      ),
    )
    .map((value) => JSON.parse(JSON.stringify(value)) as unknown),
  fc.constantFrom<unknown>(
    -0,
    [-0, { z: -0 }],
    0,
    1e21,
    1e-7,
    5e-324,
    Number.MAX_VALUE,
    -Number.MAX_SAFE_INTEGER,
    0.1 + 0.2,
    '\u2028\u2029',
    '\u0000\u001f\u007f',
    '"\\/',
  ),
);

/** The value as JSON means it (what survives JSON.stringify then JSON.parse: -0 becomes 0). */
function meaning(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** The same value with every object's keys in another order (`order` picks the permutation). */
function reorder(value: unknown, order: number): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => reorder(item, order));
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    const rotated = entries.length === 0 ? entries : [...entries.slice(order % entries.length), ...entries.slice(0, order % entries.length)].reverse();
    const out: Record<string, unknown> = {};
    for (const [key, item] of rotated) {
      Object.defineProperty(out, key, { value: reorder(item, order + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** An independent RFC 8785 serialiser: keys by UTF-16 code units, ECMAScript numbers and strings. */
function jcs(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(jcs).join(',')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort((a, b) => {
      for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
        const d = a.charCodeAt(i) - b.charCodeAt(i);
        if (d !== 0) {
          return d;
        }
      }
      return a.length - b.length;
    });
    return `{${keys.map((k) => `${JSON.stringify(k)}:${jcs((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  if (typeof value === 'number') {
    return Object.is(value, -0) ? '0' : String(value);
  }
  return JSON.stringify(value);
}

describe('canonical JSON', () => {
  it('is JSON that parses back to the same value, and canonicalising that gives the same text', (context) => {
    fc.assert(
      fc.property(json, (value) => {
        const text = canonicalJson(value);
        const parsed = JSON.parse(text) as unknown;
        expect(changedPaths(meaning(value), parsed)).toEqual([]);
        expect(canonicalJson(parsed)).toBe(text);
      }),
      fcParams('canonical: round trip', 1000, context.task.name),
    );
  });

  it('does not depend on key order, at any depth', (context) => {
    fc.assert(
      fc.property(json, fc.nat({ max: 20 }), (value, order) => {
        expect(canonicalJson(reorder(value, order))).toBe(canonicalJson(value));
      }),
      fcParams('canonical: key order', 1000, context.task.name),
    );
  });

  it('is exactly RFC 8785 (JCS) as an independent serialiser writes it', (context) => {
    fc.assert(
      fc.property(json, (value) => {
        expect(canonicalJson(value)).toBe(jcs(value));
      }),
      fcParams('canonical: JCS', 1000, context.task.name),
    );
  });

  it('is injective: the same text exactly when the same JSON', (context) => {
    const pair = fc.oneof(
      fc.tuple(json, json),
      json.map((v) => [v, meaning(v)] as const),
      json.chain((v) => fc.nat({ max: 5 }).map((order) => [v, reorder(v, order)] as const)),
    );
    fc.assert(
      fc.property(pair, ([a, b]) => {
        expect(canonicalJson(a) === canonicalJson(b)).toBe(changedPaths(meaning(a), meaning(b)).length === 0);
      }),
      fcParams('canonical: injective', 1000, context.task.name),
    );
  });

  it('writes well-formed Unicode, and canonicalBytes is its UTF-8', (context) => {
    fc.assert(
      fc.property(json, (value) => {
        const text = canonicalJson(value);
        expect(/\p{Cs}/u.test(text)).toBe(false);
        expect(Buffer.from(canonicalBytes(value)).equals(Buffer.from(text, 'utf8'))).toBe(true);
        expect(new TextDecoder('utf-8', { fatal: true }).decode(canonicalBytes(value))).toBe(text);
      }),
      fcParams('canonical: unicode', 500, context.task.name),
    );
  });

  it('leaves undefined members out', (context) => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 1 }), { noNullPrototype: true }),
        fc.string({ maxLength: 4 }),
        (object, key) => {
          fc.pre(!Object.hasOwn(object, key));
          const withUndefined: Record<string, unknown> = { ...object };
          Object.defineProperty(withUndefined, key, { value: undefined, enumerable: true });
          expect(canonicalJson(withUndefined)).toBe(canonicalJson(object));
        },
      ),
      fcParams('canonical: undefined', 300, context.task.name),
    );
  });

  it('refuses anything that is not JSON with a TypeError, at any depth', (context) => {
    class Point {
      x = 1;
    }
    const notJson = fc.constantFrom<unknown>(
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      new Date(0),
      new Map(),
      new Set(),
      new Point(),
      1n,
      () => 1,
      Symbol('s'),
      new Uint8Array(1),
    );
    fc.assert(
      fc.property(notJson, fc.array(fc.constantFrom('array', 'object'), { maxLength: 5 }), (bad, wrapping) => {
        const value = wrapping.reduce<unknown>((inner, how) => (how === 'array' ? [1, inner] : { a: 1, z: inner }), bad);
        expect(() => canonicalJson(value)).toThrow(TypeError);
      }),
      fcParams('canonical: not JSON', 300, context.task.name),
    );
  });

  it('handles the nesting Lifeboat could ever write (1,000 levels)', () => {
    const deep = JSON.parse(`${'['.repeat(1000)}${']'.repeat(1000)}`) as unknown;
    expect(canonicalJson(deep)).toBe(`${'['.repeat(1000)}${']'.repeat(1000)}`);
  });
});
