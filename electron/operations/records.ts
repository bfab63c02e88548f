/**
 * Records as members read and change them. The engine logs every open and
 * reveal before content leaves it; this layer adds what both hosts need
 * around it: a two-person reveal whose failure names the second person.
 */
import { LifeboatError } from '../../shared/errors.js';
import {
  copyField as engineCopy,
  createRecord as engineCreate,
  deleteRecord as engineDelete,
  editRecord as engineEdit,
  openRecord as engineOpen,
  revealCredential as engineRevealCredential,
  revealField as engineReveal,
  type CreateRecordInput,
  type EditRecordInput,
  type SecondPerson,
} from '../vault/records/vault-records.js';
export { searchRecords, settleSearch, type SearchHit, type SearchResult } from './record-search.js';
import type { VaultSession } from '../vault/vault-session.js';
import type { RecordView } from '../../shared/records.js';
import { catalogPins } from '../catalog/catalog-pins.js';
import { recordImages } from './record-images.js';
import { recordLinks } from './record-links.js';

import { normalizeSeedFields } from './one-time-codes.js';
import { stampRotation } from './secret-upkeep.js';
import type { RecordSummary } from '../../shared/records.js';

export { callList, listRecords, recordHistory, revisionChanges, type SecondPerson } from '../vault/records/vault-records.js';

/**
 * The member is already unlocked, so a wrong passphrase here is the second
 * person's: say so, or the first would think their own was refused.
 */
async function withSecondPerson<T>(second: SecondPerson | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (second && error instanceof LifeboatError && error.code === 'VAULT_AUTH_FAILED') {
      throw new LifeboatError(
        'VAULT_AUTH_FAILED',
        `Wrong passphrase for ${second.member} (the second person), or no member of that name. Nothing was revealed or changed.`,
      );
    }
    throw error;
  }
}

/**
 * Logs "record opened" (the engine does, before anything leaves it), then
 * returns the record with where each link of its Markdown leads and the
 * images it shows, bytes included (issue 17):
 * the window and `lifeboat show` both open records here.
 */
export async function openRecord(session: VaultSession, id: string): Promise<RecordView> {
  const record = await engineOpen(session, id);
  return { ...record, links: recordLinks(session, record), images: recordImages(session, record) };
}

/** Where a synced record came from (issue 16: two runbooks with one title are told apart by it; issue 17: who published it). */
export interface RecordSource {
  catalogId: string;
  path: string;
  version: number;
  signed: boolean;
  /** The publisher the catalog id is pinned to (docs/catalog-format.md, "Publisher pinning"); null for an unsigned folder. */
  publisher: string | null;
  archived: boolean;
}

/** A record's provenance, or null for a record made in the vault. */
export function recordSource(session: VaultSession, record: RecordView): RecordSource | null {
  const ref = record.data['catalogRef'];
  if (ref === null || typeof ref !== 'object') {
    return null;
  }
  const r = ref as Record<string, unknown>;
  const catalogId = typeof r['catalogId'] === 'string' ? r['catalogId'] : '';
  const signed = r['unsigned'] !== true;
  return {
    catalogId,
    path: typeof r['file'] === 'string' ? r['file'] : '',
    version: Number(r['catalogVersion'] ?? 0),
    signed,
    publisher: signed ? (catalogPins(session)[catalogId]?.publisher ?? null) : null,
    archived: record.data['archived'] === true,
  };
}

/** A sealed field's value, after the reason (and a second member, where the rule asks) is logged. */
export function revealField(session: VaultSession, id: string, field: string, reason: string, second?: SecondPerson): Promise<string> {
  return withSecondPerson(second, () => engineReveal(session, id, field, reason, second));
}

/**
 * Every sealed field of a credential (username, password…) after one reason,
 * logged first as one event listing the fields; from a procedure, which must
 * list it. The two-person rule applies as to any reveal of that secret.
 */
export function revealCredential(
  session: VaultSession,
  id: string,
  reason: string,
  options: { second?: SecondPerson; procedureId?: string } = {},
): Promise<{ field: string; value: string }[]> {
  return withSecondPerson(options.second, () => engineRevealCredential(session, id, reason, options));
}

/** Like revealField, logged as a copy: the value goes to a clipboard, never to the screen. */
export function copyField(session: VaultSession, id: string, field: string, reason: string, second?: SecondPerson): Promise<string> {
  return withSecondPerson(second, () => engineCopy(session, id, field, reason, second));
}

/**
 * What both hosts store for a record: a one-time-code field turned into its
 * canonical otpauth:// URI (refused, naming the part, before anything is
 * logged), and a secret's `lastRotated` stamped when a sealed value is new.
 */
function prepared(type: string, title: string, data: Record<string, unknown>, now: Date): Record<string, unknown> {
  const seeds = normalizeSeedFields(data, title);
  return type === 'secret' ? stampRotation(seeds, now) : seeds;
}

export async function createRecord(session: VaultSession, input: CreateRecordInput): Promise<RecordSummary> {
  return engineCreate(session, { ...input, data: prepared(input.type, input.title, input.data, new Date()) });
}

/** A change; a covered secret or a two-person procedure needs an owner or a confirming second member. */
export async function editRecord(session: VaultSession, id: string, input: EditRecordInput, second?: SecondPerson): Promise<RecordSummary> {
  const current = session.store().get(id);
  const set = current ? prepared(current.type, input.title ?? current.title, input.set, new Date()) : input.set;
  return withSecondPerson(second, () => engineEdit(session, id, { ...input, set }, second));
}

/** A deletion, guarded like a change. */
export function deleteRecord(session: VaultSession, id: string, second?: SecondPerson): Promise<void> {
  return withSecondPerson(second, () => engineDelete(session, id, second));
}
