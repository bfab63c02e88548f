/**
 * Records in an unlocked vault: create, edit, delete, list, open, reveal.
 * Opening and revealing are logged (fsynced) before anything is returned.
 * Sealed fields of secrets are encrypted field by field under the content
 * key, bound to vault, record and field, so they stay ciphertext even in the
 * decrypted database until a logged reveal opens one.
 */
import { LifeboatError } from '../../../shared/errors.js';
import { ONE_TIME_CODE_FIELDS } from '../../../shared/record-kinds.js';
import { RECORD_SCHEMAS, SEALED_FIELDS, SEALED_MASK, type RecordSummary, type RecordType, type RecordView, type Revision } from '../../../shared/records.js';
import type { Sodium } from '../keys/crypto-runtime.js';
import { can } from '../../../shared/permissions.js';
import { requirePlainLine } from '../../../shared/terminal-text.js';
import { seal, unseal } from '../keys/key-hierarchy.js';
import { openSlot, zeroOpened } from '../keys/vault-slots.js';
import type { StoredRecord, RecordStore } from './record-store.js';
import type { SearchFilters, SearchResult } from './search-index.js';
import { changeNeedsSecondPerson, linkedCredentials, needsTwoPeople, procedureLists, secretListForDisplay, withResolvedSecrets } from './two-person.js';
import type { VaultSession } from '../vault-session.js';

const ID_PREFIX: Record<RecordType, string> = {
  service: 'svc',
  runbook: 'rb',
  contact: 'ct',
  procedure: 'pr',
  secret: 'sec',
  'key-location': 'key',
  schedule: 'sch',
  escalation: 'esc',
};

interface SealedValue {
  $sealed: string;
}

function isSealed(value: unknown): value is SealedValue {
  return typeof value === 'object' && value !== null && typeof (value as SealedValue).$sealed === 'string';
}

const fieldAd = (vaultId: string, recordId: string, field: string): string => `lifeboat-field|${vaultId}|${recordId}|${field}`;

/** A fresh record id: a short type prefix and 10 random hex digits (e.g. rb-3f9a1c2e7d). */
export function newRecordId(sodium: Sodium, type: RecordType): string {
  return `${ID_PREFIX[type]}-${sodium.to_hex(sodium.randombytes_buf(5))}`;
}

function contentKey(session: VaultSession): Uint8Array {
  const key = session.internals().keys.content;
  if (!key) {
    throw new LifeboatError('VAULT_FORBIDDEN', 'An auditor cannot read vault content.');
  }
  return key;
}

/** Validates a record's fields against its type's schema; errors name the field. */
export function validateData(type: RecordType, data: Record<string, unknown>): Record<string, unknown> {
  const parsed = RECORD_SCHEMAS[type].safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') ?? '';
    const unknownKeys = issue?.code === 'unrecognized_keys' ? (issue as { keys?: string[] }).keys?.join(', ') : undefined;
    const message = unknownKeys ? `A ${type} has no field ${unknownKeys}.` : `The ${type} field "${field}" is invalid: ${issue?.message ?? 'invalid value'}.`;
    // Every problem, each naming its field, so a form can mark each one.
    const problems = parsed.error.issues.map((i) => ({
      file: type,
      field: i.code === 'unrecognized_keys' ? ((i as { keys?: string[] }).keys ?? []).join(', ') : i.path.map(String).join('.'),
      message: i.message,
    }));
    throw new LifeboatError('VAULT_BAD_INPUT', message, { problems });
  }
  return parsed.data;
}

function sealFields(sodium: Sodium, key: Uint8Array, vaultId: string, recordId: string, data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...data };
  for (const field of SEALED_FIELDS) {
    const value = out[field];
    if (typeof value === 'string') {
      out[field] = { $sealed: sodium.to_base64(seal(sodium, key, value, fieldAd(vaultId, recordId, field)), sodium.base64_variants.ORIGINAL) };
    }
  }
  return out;
}

function masked(record: StoredRecord): { data: Record<string, unknown>; sealedFields: string[] } {
  const data: Record<string, unknown> = {};
  const sealedFields: string[] = [];
  for (const [field, value] of Object.entries(record.data)) {
    if (isSealed(value)) {
      data[field] = SEALED_MASK;
      sealedFields.push(field);
    } else {
      data[field] = value;
    }
  }
  return { data, sealedFields };
}

function view(record: StoredRecord): RecordView {
  const { data, sealedFields } = masked(record);
  return {
    id: record.id,
    type: record.type,
    title: record.title,
    revision: record.revision,
    createdAt: record.createdAt,
    createdBy: record.createdBy,
    updatedAt: record.updatedAt,
    updatedBy: record.updatedBy,
    data,
    sealedFields,
  };
}

/** A record as the record view gets it, sealed values masked, without logging: for callers that log their own read (the printed binder). */
export function maskedView(record: StoredRecord): RecordView {
  return view(record);
}

function requireRecord(store: RecordStore, id: string): StoredRecord {
  const record = store.get(id);
  if (!record || record.deleted) {
    throw new LifeboatError('VAULT_NOT_FOUND', `No record with id ${id}.`);
  }
  return record;
}

function cleanTitle(title: string): string {
  const trimmed = title.trim();
  if (trimmed.length === 0 || trimmed.length > 200) {
    throw new LifeboatError('VAULT_BAD_INPUT', 'A record needs a title of 1 to 200 characters.');
  }
  // Control and bidi characters could rewrite a terminal line or reorder what the window shows.
  requirePlainLine(trimmed, 'A title');
  return trimmed;
}

export function listRecords(session: VaultSession, type?: RecordType): RecordSummary[] {
  session.require('records.read');
  return session.store().list(type);
}

/**
 * Logs "record opened" (fsynced), then returns the record with sealed fields
 * masked, and a procedure's secrets (stored by id) as their titles, plus
 * the credentials they link to (title, sealed field names; no values).
 */
export async function openRecord(session: VaultSession, id: string): Promise<RecordView> {
  session.require('records.read');
  const store = session.store();
  const record = requireRecord(store, id);
  await session.log({ type: 'record.opened', recordId: id, recordTitle: record.title });
  const shown = view(record);
  const secrets = shown.data['secrets'];
  if (record.type === 'procedure' && Array.isArray(secrets)) {
    shown.data = { ...shown.data, secrets: secretListForDisplay(store, secrets.map(String)) };
    // The secrets it needs, revealed from the procedure itself (issue 19, item 4): titles and field names only.
    shown.credentials = linkedCredentials(store, record, (secret) => masked(secret).sealedFields);
  }
  return shown;
}

export interface CreateRecordInput {
  type: RecordType;
  title: string;
  data: Record<string, unknown>;
}

export async function createRecord(session: VaultSession, input: CreateRecordInput): Promise<RecordSummary> {
  session.require('records.write');
  const { sodium, header } = session.internals();
  const store = session.store();
  const title = cleanTitle(input.title);
  const data = validateData(input.type, withResolvedSecrets(store, input.type, input.data, 'entered'));
  if (data['twoPerson'] === true) {
    session.require('members.manage');
  }
  const id = newRecordId(sodium, input.type);
  const now = new Date().toISOString();
  const record: StoredRecord = {
    id,
    type: input.type,
    title,
    data: sealFields(sodium, contentKey(session), header.vaultId, id, data),
    revision: 1,
    createdAt: now,
    createdBy: session.member.name,
    updatedAt: now,
    updatedBy: session.member.name,
    deleted: false,
  };
  await session.log({ type: 'record.created', recordId: id, recordTitle: title });
  store.put(record, 'created', Object.keys(data));
  await session.commit();
  return { id, type: record.type, title, revision: 1, updatedAt: now, updatedBy: record.updatedBy };
}

export interface EditRecordInput {
  title?: string;
  /** Fields to set; a field set to null is removed. Sealed fields are replaced, never echoed. */
  set: Record<string, unknown>;
}

export async function editRecord(session: VaultSession, id: string, input: EditRecordInput, second?: SecondPerson): Promise<RecordSummary> {
  session.require('records.write');
  const { sodium, header } = session.internals();
  const store = session.store();
  const current = requireRecord(store, id);
  const title = input.title === undefined ? current.title : cleanTitle(input.title);
  // Validate the plaintext view of the change: sealed values already stored stay sealed.
  const plainChanges: Record<string, unknown> = withResolvedSecrets(store, current.type, { ...input.set }, 'entered');
  const merged: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(current.data)) {
    if (!(field in plainChanges)) {
      merged[field] = isSealed(value) ? '' : value;
    }
  }
  for (const [field, value] of Object.entries(plainChanges)) {
    if (value !== null) {
      merged[field] = value;
    }
  }
  validateData(current.type, merged);
  // A cleared field and an absent one are the same (forms send null or [] for blanks).
  const normal = (value: unknown): string =>
    value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0) ? '' : JSON.stringify(value);
  const changedFields = Object.keys(plainChanges).filter((f) => normal(current.data[f]) !== normal(plainChanges[f]));
  const resealed = sealFields(sodium, contentKey(session), header.vaultId, id, plainChanges);
  const data: Record<string, unknown> = { ...current.data };
  for (const [field, value] of Object.entries(resealed)) {
    if (value === null) {
      // Removing a field is an explicit null in the change.
      Reflect.deleteProperty(data, field);
    } else {
      data[field] = value;
    }
  }
  if (changedFields.includes('twoPerson')) {
    // Who must confirm a reveal is the owners' decision, like who may open the vault.
    session.require('members.manage');
  }
  const changed = title !== current.title ? ['title', ...changedFields] : changedFields;
  if (changed.length === 0) {
    return { id, type: current.type, title, revision: current.revision, updatedAt: current.updatedAt, updatedBy: current.updatedBy };
  }
  const confirmedBy = await confirmGuardedChange(session, current, changed, second);
  const now = new Date().toISOString();
  const next: StoredRecord = { ...current, title, data, revision: current.revision + 1, updatedAt: now, updatedBy: session.member.name };
  await session.log({
    type: 'record.edited',
    recordId: id,
    recordTitle: title,
    details: { fields: changed.join(','), ...(confirmedBy ? { secondMember: confirmedBy } : {}) },
  });
  store.put(next, 'edited', changed);
  await session.commit();
  return { id, type: next.type, title, revision: next.revision, updatedAt: now, updatedBy: next.updatedBy };
}

export async function deleteRecord(session: VaultSession, id: string, second?: SecondPerson): Promise<void> {
  session.require('records.write');
  const store = session.store();
  const current = requireRecord(store, id);
  const confirmedBy = await confirmGuardedChange(session, current, undefined, second);
  const now = new Date().toISOString();
  await session.log({ type: 'record.deleted', recordId: id, recordTitle: current.title, ...(confirmedBy ? { details: { secondMember: confirmedBy } } : {}) });
  store.put({ ...current, deleted: true, revision: current.revision + 1, updatedAt: now, updatedBy: session.member.name }, 'deleted', []);
  await session.commit();
}

export function recordHistory(session: VaultSession, id: string): Revision[] {
  session.require('records.read');
  const store = session.store();
  requireRecord(store, id);
  return store.revisions(id);
}

function requireReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length < 3) {
    throw new LifeboatError('VAULT_BAD_INPUT', 'Say why you need this secret (a reason of at least 3 characters); it goes into the audit log.');
  }
  requirePlainLine(trimmed, 'A reason');
  return trimmed;
}

/** The second person of a two-person reveal: another full member, proven by their own passphrase. */
export interface SecondPerson {
  member: string;
  passphrase: string;
}

type Confirming = 'reveal' | 'change';

async function confirmSecondPerson(
  session: VaultSession,
  record: StoredRecord,
  second: SecondPerson | undefined,
  what: Confirming = 'reveal',
): Promise<string> {
  if (!second) {
    throw new LifeboatError(
      'TWO_PERSON_REQUIRED',
      what === 'reveal'
        ? `"${record.title}" is under the two-person rule: a second member must confirm the reveal with their own passphrase.`
        : `"${record.title}" is under the two-person rule: changing or deleting it needs an owner, or a second member (owner or commander) confirming with their own passphrase.`,
    );
  }
  if (second.member === session.member.name) {
    throw new LifeboatError('TWO_PERSON_REQUIRED', 'The second person must be another member, not you.');
  }
  const { sodium, header } = session.internals();
  let opened: ReturnType<typeof openSlot>;
  try {
    opened = openSlot(sodium, header, second.member, second.passphrase);
  } catch (error) {
    // A wrong passphrase here is someone guessing a colleague's: it goes in the log.
    await session.log({ type: 'secret.confirmation-failed', recordId: record.id, recordTitle: record.title, details: { secondMember: second.member } });
    throw error;
  }
  zeroOpened(sodium, opened);
  if (opened.slot.scope !== 'full' || !can(opened.slot.role, what === 'reveal' ? 'records.reveal' : 'records.write')) {
    throw new LifeboatError(
      'VAULT_FORBIDDEN',
      `${second.member} is ${opened.slot.role === 'auditor' ? 'an auditor' : `a ${opened.slot.role}`} and cannot confirm ${what === 'reveal' ? 'a reveal' : 'this change'}.`,
    );
  }
  return opened.slot.member;
}

/**
 * Renaming a covered secret, replacing its sealed values, or changing a
 * two-person procedure at all (its list decides what is covered) would let
 * one member undo the rule: an owner may, anyone else needs a second member.
 * Returns the confirming member, if one was needed or named.
 */
async function confirmGuardedChange(
  session: VaultSession,
  record: StoredRecord,
  changed: readonly string[] | undefined,
  second: SecondPerson | undefined,
): Promise<string | undefined> {
  const guarded = changeNeedsSecondPerson(session.store(), record, changed);
  if (second) {
    return confirmSecondPerson(session, record, second, 'change');
  }
  if (guarded && session.member.role !== 'owner') {
    return confirmSecondPerson(session, record, undefined, 'change');
  }
  return undefined;
}

/** How an unsealing is logged: shown, copied, or turned into a one-time code (the seed itself never leaves). */
type UnsealEvent = 'secret.revealed' | 'secret.copied' | 'code.generated';

/** What one unsealing opens: one field, or every sealed field of a credential (a procedure's "Reveal credential"). */
type Unsealing = { field: string } | { credential: true; procedureId?: string };

/**
 * Unseals one field or a whole credential after one reason, with one audit
 * event naming every field it opens (issue 19, item 4). Everything that can
 * refuse (the role, the reason, the field, the procedure link, the second
 * person) is checked before the log, and the log is written before any value
 * is decrypted.
 */
async function unsealFields(
  session: VaultSession,
  id: string,
  what: Unsealing,
  reason: string,
  type: UnsealEvent,
  second?: SecondPerson,
): Promise<{ field: string; value: string }[]> {
  session.require('records.reveal');
  const why = requireReason(reason);
  const { sodium, header } = session.internals();
  const record = requireRecord(session.store(), id);
  const fields = 'field' in what ? [what.field] : Object.keys(record.data).filter((key) => isSealed(record.data[key]));
  if ('field' in what && !isSealed(record.data[what.field])) {
    throw new LifeboatError('VAULT_BAD_INPUT', `${record.title} has no sealed field "${what.field}".`);
  }
  if (fields.length === 0) {
    throw new LifeboatError('VAULT_BAD_INPUT', `${record.title} has no sealed fields to reveal.`);
  }
  if ('credential' in what && what.procedureId !== undefined) {
    requireLinkedBy(session.store(), what.procedureId, record);
  }
  // A second person who is named is always checked, even where the rule does not demand one:
  // the log must never say someone confirmed who did not.
  const confirmedBy = needsTwoPeople(session.store(), record) || second ? await confirmSecondPerson(session, record, second) : undefined;
  const details: Record<string, string | boolean> = {
    ...('credential' in what ? { fields: fields.join(','), credential: true } : {}),
    ...('credential' in what && what.procedureId !== undefined ? { procedure: what.procedureId } : {}),
    ...(confirmedBy ? { twoPerson: true, secondMember: confirmedBy } : {}),
  };
  // Write-ahead: if this append fails, it throws and nothing is revealed.
  await session.log({
    type,
    recordId: id,
    recordTitle: record.title,
    field: fields.join(', '),
    reason: why,
    ...(Object.keys(details).length > 0 ? { details } : {}),
  });
  return fields.map((field) => {
    const sealed = record.data[field] as SealedValue;
    const plain = unseal(
      sodium,
      contentKey(session),
      sodium.from_base64(sealed.$sealed, sodium.base64_variants.ORIGINAL),
      fieldAd(header.vaultId, id, field),
      () => new LifeboatError('VAULT_TAMPERED', `The sealed field "${field}" of ${record.title} does not decrypt.`),
    );
    try {
      return { field, value: sodium.to_string(plain) };
    } finally {
      sodium.memzero(plain);
    }
  });
}

/** The procedure a credential is revealed from must list it: the log's "from procedure" is never a made-up link. */
function requireLinkedBy(store: RecordStore, procedureId: string, secret: StoredRecord): void {
  const procedure = requireRecord(store, procedureId);
  if (procedure.type !== 'procedure' || !procedureLists(procedure, secret)) {
    throw new LifeboatError('VAULT_BAD_INPUT', `${procedure.title} does not list ${secret.title} among the secrets it needs.`);
  }
}

async function unsealField(session: VaultSession, id: string, field: string, reason: string, type: UnsealEvent, second?: SecondPerson): Promise<string> {
  const [opened] = await unsealFields(session, id, { field }, reason, type, second);
  return opened?.value ?? '';
}

export function revealField(session: VaultSession, id: string, field: string, reason: string, second?: SecondPerson): Promise<string> {
  return unsealField(session, id, field, reason, 'secret.revealed', second);
}

/** The UI copies to the clipboard; the event says "copied" rather than "revealed". */
export function copyField(session: VaultSession, id: string, field: string, reason: string, second?: SecondPerson): Promise<string> {
  return unsealField(session, id, field, reason, 'secret.copied', second);
}

/**
 * A one-time-code seed, opened only to make a code in main
 * (operations/one-time-codes.ts): logged first as "code generated", with the
 * same reason and two-person checks as a reveal. The caller must never hand
 * the returned seed to a host.
 */
export async function openSeedForCode(session: VaultSession, id: string, field: string, reason: string, second?: SecondPerson): Promise<string> {
  // The log must never say "code generated" for a password that was in fact opened.
  if (!ONE_TIME_CODE_FIELDS.includes(field)) {
    throw new LifeboatError('VAULT_BAD_INPUT', `"${field}" is not a one-time-code field.`);
  }
  return unsealField(session, id, field, reason, 'code.generated', second);
}

/**
 * Every sealed field of a secret (username, password, and whatever else it
 * seals), for one reason and one "secret.revealed" event listing the fields.
 * `procedureId`: the break-glass procedure it is revealed from, which must
 * list it (logged with the event).
 */
export function revealCredential(
  session: VaultSession,
  id: string,
  reason: string,
  options: { second?: SecondPerson; procedureId?: string } = {},
): Promise<{ field: string; value: string }[]> {
  const what: Unsealing = options.procedureId === undefined ? { credential: true } : { credential: true, procedureId: options.procedureId };
  return unsealFields(session, id, what, reason, 'secret.revealed', options.second);
}

/** Re-seals every sealed field (records and revisions) from one content key to another: used by rekey. */
export function resealAll(session: VaultSession, fromKey: Uint8Array, toKey: Uint8Array): void {
  const { sodium, header } = session.internals();
  const store = session.store();
  const reseal = (recordId: string, data: Record<string, unknown>): Record<string, unknown> | null => {
    let touched = false;
    const out: Record<string, unknown> = { ...data };
    for (const [field, value] of Object.entries(data)) {
      if (isSealed(value)) {
        const ad = fieldAd(header.vaultId, recordId, field);
        const plain = unseal(
          sodium,
          fromKey,
          sodium.from_base64(value.$sealed, sodium.base64_variants.ORIGINAL),
          ad,
          () => new LifeboatError('VAULT_TAMPERED', `A sealed field of record ${recordId} does not decrypt.`),
        );
        out[field] = { $sealed: sodium.to_base64(seal(sodium, toKey, plain, ad), sodium.base64_variants.ORIGINAL) };
        sodium.memzero(plain);
        touched = true;
      }
    }
    return touched ? out : null;
  };
  for (const record of store.all()) {
    const data = reseal(record.id, record.data);
    if (data) {
      store.replaceData(record.id, data);
    }
  }
  for (const revision of store.allRevisionData()) {
    const data = reseal(revision.recordId, revision.data);
    if (data) {
      store.replaceRevisionData(revision.recordId, revision.revision, data);
    }
  }
}

/**
 * Full-text search as the user types: not logged, because each keystroke's
 * results are a passing view; the query the user settles on is
 * (settleSearch). Key locations and secrets are found by title and tags
 * only and carry no snippet (search-index.ts, TITLE_ONLY_KINDS).
 */
export function searchRecords(session: VaultSession, query: string, filters?: SearchFilters): SearchResult {
  session.require('records.read');
  return session.store().search(query, filters);
}

/**
 * The search the user settled on (Enter, opening a hit, a pause; the
 * command line's one search): the results, after one "records.searched"
 * event naming the records whose text the snippets show. Logged first, like
 * an open; nothing is logged when no snippet shows any text.
 */
export async function settleSearch(session: VaultSession, query: string, filters?: SearchFilters): Promise<SearchResult> {
  const result = searchRecords(session, query, filters);
  const shown = result.hits.filter((hit) => hit.snippet !== '');
  if (shown.length > 0) {
    await session.log({
      type: 'records.searched',
      details: { query: query.trim().slice(0, 200), records: shown.map((hit) => hit.id).join(','), count: shown.length },
    });
  }
  return result;
}

export interface CallListEntry {
  id: string;
  name: string;
  role: string;
  phones: string[];
  channels: string[];
  escalationOrder: number | null;
}

/**
 * The contact call list for the incident home: escalation order first.
 * Showing it opens every contact at once, so it is logged as one event.
 */
export async function callList(session: VaultSession): Promise<CallListEntry[]> {
  session.require('records.read');
  const store = session.store();
  const contacts = store
    .list('contact')
    .map((summary) => store.get(summary.id))
    .filter((r): r is StoredRecord => r !== undefined && r.data['archived'] !== true);
  await session.log({ type: 'call-list.opened', details: { contacts: contacts.length } });
  const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
  return contacts
    .map((r) => ({
      id: r.id,
      name: r.title,
      role: typeof r.data['role'] === 'string' ? r.data['role'] : '',
      phones: strings(r.data['phones']),
      channels: strings(r.data['channels']),
      escalationOrder: typeof r.data['escalationOrder'] === 'number' ? r.data['escalationOrder'] : null,
    }))
    .sort((a, b) => (a.escalationOrder ?? 1e9) - (b.escalationOrder ?? 1e9) || a.name.localeCompare(b.name));
}

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

function shown(value: unknown): string {
  if (value === undefined || value === null) {
    return '';
  }
  if (isSealed(value)) {
    return SEALED_MASK;
  }
  if (Array.isArray(value)) {
    return value.map(String).join('\n');
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/**
 * What one revision changed, field by field, against the one before it,
 * logged as an open of the record (with the revision). Sealed values are
 * never shown, only that they changed.
 */
export async function revisionChanges(session: VaultSession, id: string, revision: number): Promise<FieldChange[]> {
  session.require('records.read');
  const store = session.store();
  const record = requireRecord(store, id);
  const now = store.revisionData(id, revision);
  if (!now) {
    throw new LifeboatError('VAULT_NOT_FOUND', `Record ${id} has no revision ${revision}.`);
  }
  // A diff shows the record's text, old and new: logged like opening it, before anything is returned.
  await session.log({ type: 'record.opened', recordId: id, recordTitle: record.title, details: { revision } });
  const before = store.revisionData(id, revision - 1) ?? { title: '', data: {} };
  const changes: FieldChange[] = [];
  if (before.title !== now.title) {
    changes.push({ field: 'title', before: before.title, after: now.title });
  }
  for (const field of new Set([...Object.keys(before.data), ...Object.keys(now.data)])) {
    if (field === 'catalogRef') {
      continue;
    }
    const a = shown(before.data[field]);
    const b = shown(now.data[field]);
    const sealedChange = isSealed(now.data[field]) && JSON.stringify(before.data[field]) !== JSON.stringify(now.data[field]);
    if (a !== b || sealedChange) {
      changes.push({ field, before: a, after: sealedChange ? `${SEALED_MASK} (new sealed value)` : b });
    }
  }
  return changes;
}
