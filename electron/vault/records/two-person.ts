/**
 * The two-person rule, by record id (issue 15, M2; docs/security.md,
 * "Two-person rule"). A secret is covered when an owner marked it, or marked
 * a procedure that lists it among the secrets it needs. A procedure lists
 * secrets by record id, so renaming a secret cannot take it out of the
 * rule; titles typed in the editor, the command line's --field or a catalog
 * are resolved to ids when they are entered. Lists written before ids
 * (titles) are still read: a title entry covers every live secret of that
 * title, and editing such a secret is guarded like any covered secret, so a
 * rename cannot escape either way.
 */
import { LifeboatError } from '../../../shared/errors.js';
import { SEALED_FIELDS } from '../../../shared/records.js';
import type { RecordStore, StoredRecord } from './record-store.js';

/** A secret's record id as newRecordId writes it. */
const SECRET_ID = /^sec-[0-9a-f]{10}$/;

export function isSecretId(entry: string): boolean {
  return SECRET_ID.test(entry);
}

function liveSecrets(store: RecordStore): StoredRecord[] {
  return store.all().filter((r) => !r.deleted && r.type === 'secret');
}

const sameTitle = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

function listed(procedure: StoredRecord): string[] {
  const secrets = procedure.data['secrets'];
  return Array.isArray(secrets) ? secrets.filter((s): s is string => typeof s === 'string') : [];
}

/** Does this entry of a procedure's list name this secret (by id, or by title in lists written before ids)? */
function names(entry: string, secret: StoredRecord): boolean {
  return isSecretId(entry.trim()) ? entry.trim() === secret.id : sameTitle(entry, secret.title);
}

/** Does this procedure's list name this secret? */
export function procedureLists(procedure: StoredRecord, secret: StoredRecord): boolean {
  return listed(procedure).some((entry) => names(entry, secret));
}

/** A procedure's list entry as the window shows it: the live secret it names (and its sealed fields), or none. */
export interface LinkedCredential {
  /** As stored: a secret's id, or a title from before ids. */
  entry: string;
  id: string | null;
  title: string | null;
  /** Names of its sealed fields (never their values). */
  fields: string[];
  twoPerson: boolean;
}

/**
 * The credentials a procedure links to, in its order. An entry that names no
 * live secret (deleted, never made, an id typed wrong) has id null: the
 * window says "linked credential not found". A title that names several
 * secrets links none of them (which one is meant is not ours to guess).
 */
export function linkedCredentials(store: RecordStore, procedure: StoredRecord, sealedFields: (secret: StoredRecord) => string[]): LinkedCredential[] {
  const secrets = liveSecrets(store);
  return listed(procedure).map((entry) => {
    const matches = secrets.filter((secret) => names(entry, secret));
    const secret = matches.length === 1 ? matches[0] : undefined;
    return secret
      ? { entry, id: secret.id, title: secret.title, fields: sealedFields(secret), twoPerson: needsTwoPeople(store, secret) }
      : { entry, id: null, title: null, fields: [], twoPerson: false };
  });
}

/** The two-person procedures (not deleted) whose list names the secret. */
export function coveringProcedures(store: RecordStore, secret: StoredRecord): StoredRecord[] {
  return store
    .all()
    .filter((other) => !other.deleted && other.type === 'procedure' && other.data['twoPerson'] === true && listed(other).some((entry) => names(entry, secret)));
}

/** A secret is under the two-person rule when an owner marked it, or marked a procedure that lists it. */
export function needsTwoPeople(store: RecordStore, record: StoredRecord): boolean {
  if (record.data['twoPerson'] === true) {
    return true;
  }
  return record.type === 'secret' && coveringProcedures(store, record).length > 0;
}

/** The fields of a covered secret whose change needs an owner or a second member. */
const GUARDED_SECRET_FIELDS = new Set<string>(['title', 'twoPerson', ...SEALED_FIELDS]);

/**
 * Whether changing these fields of this record (or deleting it: `changed`
 * undefined) needs an owner or a confirming second member: any change to a
 * two-person procedure, and the title, sealed fields or mark of a covered
 * secret.
 */
export function changeNeedsSecondPerson(store: RecordStore, record: StoredRecord, changed?: readonly string[]): boolean {
  if (record.type === 'procedure' && record.data['twoPerson'] === true) {
    return true;
  }
  if (record.type !== 'secret' || !needsTwoPeople(store, record)) {
    return false;
  }
  return changed === undefined || changed.some((field) => GUARDED_SECRET_FIELDS.has(field));
}

export type ResolveMode =
  /** The editor and the command line: an ambiguous title is refused (say which, by id). */
  | 'entered'
  /** A catalog, written before its secrets exist: what does not resolve stays a title. */
  | 'catalog';

/**
 * A procedure's list of secrets with every entry that names exactly one
 * live secret (by id or title) turned into that secret's id. A title that
 * names no secret yet stays a title (it is matched by title until the list
 * is saved again after the secret exists).
 */
export function resolveSecretList(store: RecordStore, entries: readonly string[], mode: ResolveMode): string[] {
  const secrets = liveSecrets(store);
  const out: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    if (isSecretId(entry)) {
      out.push(entry);
      continue;
    }
    const matches = secrets.filter((s) => sameTitle(s.title, entry));
    const only = matches[0];
    if (matches.length === 1 && only) {
      out.push(only.id);
    } else if (matches.length > 1 && mode === 'entered') {
      throw new LifeboatError(
        'VAULT_BAD_INPUT',
        `${matches.length} secrets are titled "${entry}" (${matches.map((m) => m.id).join(', ')}): list the one this procedure needs by its id.`,
        { problems: [{ file: 'procedure', field: 'secrets', message: `"${entry}" names more than one secret; use its id.` }] },
      );
    } else {
      out.push(entry);
    }
  }
  return [...new Set(out)];
}

/**
 * The list as people read it: each id as its secret's title, where that
 * title names no other secret (so saving it again resolves to the same id);
 * otherwise the id itself.
 */
export function secretListForDisplay(store: RecordStore, entries: readonly string[]): string[] {
  const secrets = liveSecrets(store);
  return entries.map((entry) => {
    const secret = secrets.find((s) => s.id === entry);
    if (!secret) {
      return entry;
    }
    return secrets.filter((s) => sameTitle(s.title, secret.title)).length === 1 ? secret.title : entry;
  });
}

/** A record's data with its `secrets` list resolved, when it is a procedure that has one. */
export function withResolvedSecrets(store: RecordStore, type: string, data: Record<string, unknown>, mode: ResolveMode): Record<string, unknown> {
  const secrets = data['secrets'];
  if (type !== 'procedure' || !Array.isArray(secrets)) {
    return data;
  }
  return {
    ...data,
    secrets: resolveSecretList(
      store,
      secrets.filter((s): s is string => typeof s === 'string'),
      mode,
    ),
  };
}
