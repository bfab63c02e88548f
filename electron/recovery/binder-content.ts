/**
 * What identifies a printed binder page (issue #21, docs/recovery.md "The
 * printed binder"): a record's id, its revision and a short content hash,
 * in the page footer and, as a compact payload, in the record's QR code.
 *
 * The content hash is defined so another implementation can compute it:
 * the first 16 hex digits (8 bytes) of SHA-256 over the canonical JSON
 * (RFC 8785 for these values: vault/canonical-json.ts) of
 *   {"data": DATA, "id": ID, "title": TITLE, "type": TYPE, "v": 1, "vaultId": VAULT_ID}
 * where DATA is the record's stored fields with every sealed value replaced
 * by the string "sealed" (its ciphertext is random per seal, and the value
 * itself is never printed). A change of a sealed value still shows, as a
 * new revision.
 *
 * The payload: `lifeboat-binder:1:<vaultId>:<recordId>:<revision>:<hash>`
 * (vault id 32 lower-case hex digits, record id as stored, revision a
 * decimal integer ≥ 1, hash 16 lower-case hex digits).
 */
import { createHash } from 'node:crypto';
import { LifeboatError } from '../../shared/errors.js';
import { canonicalJson } from '../vault/canonical-json.js';

export const BINDER_PAYLOAD_PREFIX = 'lifeboat-binder:1';

/** The record as the hash sees it: what the vault stores, sealed values as the word "sealed". */
export interface HashedRecord {
  id: string;
  type: string;
  title: string;
  data: Record<string, unknown>;
}

export interface BinderPage {
  vaultId: string;
  recordId: string;
  revision: number;
  hash: string;
}

function isSealedValue(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { $sealed?: unknown }).$sealed === 'string';
}

/** The record's fields with sealed values replaced by "sealed" (never their ciphertext, never their value). */
export function hashableData(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, isSealedValue(value) ? 'sealed' : value]));
}

export function contentHash(vaultId: string, record: HashedRecord): string {
  const canonical = canonicalJson({ v: 1, vaultId, id: record.id, type: record.type, title: record.title, data: hashableData(record.data) });
  return createHash('sha256').update(canonical, 'utf8').digest('hex').slice(0, 16);
}

export function binderPayload(page: BinderPage): string {
  return `${BINDER_PAYLOAD_PREFIX}:${page.vaultId}:${page.recordId}:${page.revision}:${page.hash}`;
}

const PARTS: readonly { name: string; pattern: RegExp }[] = [
  { name: 'vault id (32 hex digits)', pattern: /^[0-9a-f]{32}$/ },
  { name: 'record id', pattern: /^[a-z]{2,4}-[0-9a-z][0-9a-z-]{0,62}$/ },
  { name: 'revision (a whole number from 1)', pattern: /^[1-9][0-9]{0,8}$/ },
  { name: 'content hash (16 hex digits)', pattern: /^[0-9a-f]{16}$/ },
];

/**
 * Reads a payload as scanned or typed (white space anywhere ignored: the
 * printed line wraps, and the payload holds none). A bad
 * one is an error naming the part that is wrong; nothing else is guessed.
 */
export function parseBinderPayload(text: string): BinderPage {
  const trimmed = text.replace(/\s+/gu, '');
  if (!trimmed.startsWith(`${BINDER_PAYLOAD_PREFIX}:`)) {
    throw new LifeboatError(
      'VAULT_BAD_INPUT',
      `This is not a Lifeboat binder code: it must start with "${BINDER_PAYLOAD_PREFIX}:" (the text of the QR code beside a printed record).`,
    );
  }
  const parts = trimmed.slice(BINDER_PAYLOAD_PREFIX.length + 1).split(':');
  if (parts.length !== PARTS.length) {
    throw new LifeboatError(
      'VAULT_BAD_INPUT',
      `A binder code has ${PARTS.length} parts after "${BINDER_PAYLOAD_PREFIX}:" (vault id, record id, revision, hash); this one has ${parts.length}.`,
    );
  }
  PARTS.forEach((part, i) => {
    if (!part.pattern.test(parts[i] ?? '')) {
      throw new LifeboatError('VAULT_BAD_INPUT', `The binder code's ${part.name} is not valid: "${(parts[i] ?? '').slice(0, 70)}".`);
    }
  });
  const [vaultId, recordId, revision, hash] = parts as [string, string, string, string];
  return { vaultId, recordId, revision: Number(revision), hash };
}
