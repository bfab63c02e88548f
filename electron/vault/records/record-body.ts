/**
 * How a record's `body` (for a runbook, its Markdown; the same for every
 * type) is stored: compressed, in a column of its own.
 *
 * Why: bodies are most of a vault's bytes (18 of 38 MiB at 5,000 runbooks)
 * and every unlock decrypts, and every save encrypts, all of the database.
 * Raw DEFLATE (RFC 1951, Node's zlib) stores them in 40 % of the space, and
 * rows that fit a page no longer leave half-empty overflow pages behind: the
 * database for 5,000 runbooks went from 38 to 26 MiB (bench/README.md).
 *
 * The layout (docs/vault-format.md): when a record's `data.body` is a
 * string UTF-8 can carry (no unpaired surrogate), the `records` row holds `data` with `"body": null` in its place
 * (so the keys keep their order) and `body` = DEFLATE(UTF-8 text); otherwise
 * `body` is NULL and `data` is stored as it is. Revisions keep their JSON whole.
 *
 * Compression before encryption can leak through lengths (CRIME). Not here:
 * each body is compressed alone, so nothing chosen by one writer shares a
 * compression window with another field, sealed fields are ciphertext and
 * never compressed, and the only length anyone sees is the snapshot's, in
 * whole 4 KiB database pages.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { LifeboatError } from '../../../shared/errors.js';

/** The SQL function the search view reads bodies through (registered on every database). */
export const BODY_FUNCTION = 'lifeboat_body';

export interface PackedData {
  /** `data` as stored: JSON, with `"body": null` when the body went to its own column. */
  json: string;
  /** The compressed body, or null when `data.body` is not a string. */
  body: Uint8Array | null;
}

/** A UTF-16 surrogate with no partner: UTF-8 cannot carry it (it would come back as U+FFFD), JSON can. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Far above any runbook; a bound on what a damaged blob can make us allocate. */
const MAX_BODY_BYTES = 256 * 1024 * 1024;

export function packData(data: Record<string, unknown>): PackedData {
  const text = data['body'];
  // A body UTF-8 cannot hold exactly stays in the JSON, as it was written.
  if (typeof text !== 'string' || LONE_SURROGATE.test(text)) {
    return { json: JSON.stringify(data), body: null };
  }
  return { json: JSON.stringify({ ...data, body: null }), body: deflateRawSync(Buffer.from(text, 'utf8')) };
}

/**
 * The body's UTF-8 bytes: what the SQL function returns. A blob, not text:
 * sql.js hands a string result to SQLite character by character (~270 µs
 * for 8 KB, which made a search's snippets three times slower) and a blob
 * with one copy; the view casts it to text, which for UTF-8 is the same bytes.
 */
export function bodyBytes(body: Uint8Array): Buffer {
  try {
    return inflateRawSync(body, { maxOutputLength: MAX_BODY_BYTES });
  } catch (error) {
    // The snapshot is authenticated, so this is damage from inside, not a wrong key.
    throw new LifeboatError('VAULT_TAMPERED', `A record's stored body cannot be read (${(error as Error).message}). Run \`lifeboat doctor\`.`, {
      cause: error,
    });
  }
}

export function bodyText(body: Uint8Array): string {
  return bodyBytes(body).toString('utf8');
}

/** `data` as the record has it: the stored JSON with its body put back. */
export function unpackData(json: string, body: Uint8Array | null | undefined): Record<string, unknown> {
  const data = JSON.parse(json) as Record<string, unknown>;
  if (body) {
    data['body'] = bodyText(body);
  }
  return data;
}

/**
 * unpackData with the body inflated on its first read: the property is
 * there (enumerable, in its place among the keys) and reads, spreads,
 * JSON.stringify and structured clones see the text; writing it replaces it
 * with the value written.
 */
export function unpackDataLazily(json: string, body: Uint8Array | null | undefined): Record<string, unknown> {
  const data = JSON.parse(json) as Record<string, unknown>;
  if (body) {
    let text: string | undefined;
    Object.defineProperty(data, 'body', {
      configurable: true,
      enumerable: true,
      get: () => (text ??= bodyText(body)),
      set: (value: unknown) => {
        Object.defineProperty(data, 'body', { configurable: true, enumerable: true, writable: true, value });
      },
    });
  }
  return data;
}
