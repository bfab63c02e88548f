/**
 * The record kinds, declared once: each kind's name, its fields and how
 * every part of Lifeboat treats each field. Plain data, free of the
 * validation library, so the renderer can use it without bundling zod.
 *
 * Read by: the engine's schemas (records.ts), the search index
 * (electron/vault/records/search-index.ts), catalog pages
 * (electron/catalog/markdown-entry.ts), the command line's --field
 * (electron/cli/record-fields.ts), and the renderer's editor and record view
 * (renderer/src/record-form.ts, record-view.ts). A kind added here alone
 * appears in all of them (test/architecture/record-kinds.test.ts proves it);
 * only its validation beyond the field kind (records.ts, SPECIFIC) and what a
 * catalog page maps to it (markdown-entry.ts) are written elsewhere.
 */
export const ROLES = ['owner', 'commander', 'responder', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** The member name of the recovery shares' key slot (not a person; reserved). */
export const QUORUM_MEMBER = 'recovery quorum';

export const RECOVERY_METHODS = ['restore', 'rebuild', 'redeploy', 'failover', 'replicated'] as const;

export const SEALED_MASK = '••••';

/**
 * What a field holds, which decides how a form shows it, how the command
 * line reads it and what the engine accepts by default:
 * - text: one line (trimmed, never blank); textarea: free text, kept as typed;
 * - number: a whole number (a duration when `minutes`); list: texts, one per line;
 * - date: YYYY-MM-DD; select: one of `options`; boolean: true or false;
 * - sealed, sealed-long: encrypted at rest, shown as •••• until a logged reveal.
 */
export type FieldKind = 'text' | 'textarea' | 'number' | 'list' | 'date' | 'select' | 'sealed' | 'sealed-long' | 'boolean';

/** The search index's columns that record fields feed (title and tags are every record's own). */
export type SearchColumn = 'service' | 'body' | 'people';

/**
 * How the record view shows a field (renderer/src/record-view.ts), when not
 * the default for its kind (lists as lists, sealed as sealed, Markdown
 * rendered, everything else as a labelled fact):
 * - copy-list: a list whose items each get a copy button (phone numbers);
 * - links: a list of service names, each opening its service record;
 * - checklist: a list ticked off step by step; checks: a list under its own heading;
 * - badge: the two-person badge next to the title;
 * - hidden: not shown (only in the editor).
 */
export type FieldView = 'fact' | 'list' | 'copy-list' | 'links' | 'checklist' | 'checks' | 'markdown' | 'sealed' | 'badge' | 'hidden';

export interface FieldSpec {
  /** The key in the record's data. */
  readonly key: string;
  /** What people call the field: the record view's label, and the editor's unless `formLabel` says otherwise. */
  readonly label: string;
  readonly kind: FieldKind;
  /** Said in brackets after the label in the editor; lists say "one per line", durations "minutes", Markdown "Markdown". */
  readonly note?: string;
  /** The editor's whole label, where it reads better than the view's label and its note. */
  readonly formLabel?: string;
  /** A sentence under the field in the editor. */
  readonly hint?: string;
  /** The choices of a select. */
  readonly options?: readonly string[];
  /** A number of minutes: written and read as a duration (shared/durations.ts). */
  readonly minutes?: true;
  /** Holds Markdown: rendered in the view, given room in the editor. */
  readonly markdown?: true;
  /**
   * Searchable: the index column the field's text goes to, and its place
   * there (lower first). The same key has the same place in every kind.
   */
  readonly search?: { readonly column: SearchColumn; readonly position: number };
  readonly view?: FieldView;
  /** Only an owner sets it: the editor offers it to owners only, the engine refuses anyone else. */
  readonly ownerOnly?: true;
  /**
   * A sealed one-time-code seed (TOTP, RFC 6238; HOTP, RFC 4226), stored as an
   * otpauth:// URI: showing it means generating a code, itself a logged reveal
   * (docs/security.md, "One-time codes").
   */
  readonly oneTimeCode?: true;
}

export interface KindSpec {
  /** One record of the kind, in words. */
  readonly label: string;
  /** Many of them: the library's filter chips. */
  readonly plural: string;
  /** In the order the editor shows them. */
  readonly fields: readonly FieldSpec[];
  /**
   * The order the engine writes the fields in, when it is not the editor's:
   * records already written keep theirs, and `lifeboat show` and history
   * list fields in it.
   */
  readonly storedOrder?: readonly string[];
  /** A catalog's Markdown page may be one of these (`lifeboat.type`). */
  readonly catalogPage?: true;
  /** The record's own title is also searched in this column, first (a service names itself). */
  readonly titleSearchedAs?: SearchColumn;
}

export type KindRegistry = Readonly<Record<string, KindSpec>>;

/** Set by an owner: revealing needs a second member's passphrase too (docs/security.md). */
const TWO_PERSON = {
  key: 'twoPerson',
  label: 'Two-person rule',
  note: 'a second member must confirm every reveal',
  kind: 'boolean',
  view: 'badge',
  ownerOnly: true,
} as const satisfies FieldSpec;

/** A secret's or procedure's one-time-code seed (docs/security.md, "One-time codes"). */
const ONE_TIME_CODE = {
  key: 'totp',
  label: 'One-time code',
  note: 'otpauth:// URI or Base32 secret',
  hint: 'Paste the otpauth:// link or the Base32 key the service showed, or read it from a QR image. Showing a code is logged like a reveal.',
  kind: 'sealed',
  oneTimeCode: true,
} as const satisfies FieldSpec;

export const RECORD_KINDS = {
  service: {
    label: 'Service',
    plural: 'Services',
    titleSearchedAs: 'service',
    fields: [
      { key: 'tier', label: 'Tier', note: '0 most critical – 4', kind: 'number' },
      { key: 'owner', label: 'Owner', kind: 'text', search: { column: 'people', position: 0 } },
      { key: 'rtoMinutes', label: 'RTO', kind: 'number', minutes: true },
      { key: 'rpoMinutes', label: 'RPO', kind: 'number', minutes: true },
      { key: 'recoveryMethod', label: 'Recovery method', kind: 'select', options: RECOVERY_METHODS },
      { key: 'dependsOn', label: 'Depends on', kind: 'list', view: 'links', search: { column: 'service', position: 0 } },
      // Entries of dependsOn the service can start without: shown, not ordered by (docs/recovery.md).
      { key: 'startsWithout', label: 'Can start without', note: 'soft dependencies, one per line', kind: 'list', view: 'links' },
      // Time to bring up its recover-together group once the members are back (docs/recovery.md).
      { key: 'groupMinutes', label: 'Group time', kind: 'number', minutes: true },
      { key: 'description', label: 'Description', kind: 'textarea', view: 'hidden', search: { column: 'body', position: 3 } },
    ],
  },
  runbook: {
    label: 'Runbook',
    plural: 'Runbooks',
    catalogPage: true,
    fields: [
      { key: 'service', label: 'Service', kind: 'text', search: { column: 'service', position: 1 } },
      // The alert an alert runbook is named after (a catalog file `KubePodCrashLooping.md`; docs/catalog-format.md).
      { key: 'alert', label: 'Alert', kind: 'text', search: { column: 'service', position: 2 } },
      { key: 'estimatedMinutes', label: 'Estimated time', formLabel: 'Estimated minutes', kind: 'number', minutes: true },
      { key: 'lastReviewed', label: 'Last reviewed', kind: 'date' },
      { key: 'steps', label: 'Steps', kind: 'list', view: 'checklist', search: { column: 'body', position: 1 } },
      { key: 'validation', label: 'Validation checks', kind: 'list', view: 'checks', search: { column: 'body', position: 2 } },
      { key: 'body', label: 'Runbook', kind: 'textarea', markdown: true, search: { column: 'body', position: 0 } },
    ],
    storedOrder: ['service', 'alert', 'body', 'steps', 'validation', 'estimatedMinutes', 'lastReviewed'],
  },
  contact: {
    label: 'Contact',
    plural: 'Contacts',
    catalogPage: true,
    fields: [
      { key: 'role', label: 'Role', kind: 'text', search: { column: 'people', position: 1 } },
      { key: 'phones', label: 'Phones', kind: 'list', view: 'copy-list' },
      { key: 'channels', label: 'Out-of-band channels', kind: 'list', search: { column: 'people', position: 3 } },
      // How an on-call schedule's person is matched to this contact (docs/catalog-format.md "On-call schedules").
      // Not searchable: a new search column would change the index view and reindex every vault (search-index.test.ts).
      { key: 'emails', label: 'E-mail addresses', kind: 'list' },
      { key: 'escalationOrder', label: 'Escalation order', note: '1 first', kind: 'number' },
      { key: 'notes', label: 'Notes', kind: 'textarea', view: 'hidden', search: { column: 'body', position: 7 } },
    ],
  },
  procedure: {
    label: 'Break-glass procedure',
    plural: 'Break-glass',
    catalogPage: true,
    fields: [
      { key: 'steps', label: 'Steps', kind: 'list', view: 'checklist', search: { column: 'body', position: 1 } },
      { key: 'secrets', label: 'Secrets it needs', note: 'titles or record ids, one per line', kind: 'list', view: 'hidden' },
      { key: 'body', label: 'Procedure', kind: 'textarea', markdown: true, search: { column: 'body', position: 0 } },
      { ...TWO_PERSON, hint: 'Applies to every secret this procedure lists.' },
      ONE_TIME_CODE,
    ],
    storedOrder: ['body', 'steps', 'secrets', 'twoPerson', 'totp'],
  },
  secret: {
    label: 'Secret',
    plural: 'Secrets',
    fields: [
      { key: 'username', label: 'Username', kind: 'sealed' },
      { key: 'password', label: 'Password', kind: 'sealed' },
      ONE_TIME_CODE,
      // Kept for secrets stored before one-time codes: any text, never turned into codes.
      { key: 'totpSeed', label: 'TOTP seed', note: 'text only; use One-time code for codes', kind: 'sealed' },
      { key: 'recoveryCodes', label: 'Recovery codes', kind: 'sealed-long' },
      { key: 'text', label: 'Sealed note', kind: 'sealed-long' },
      // Not searchable: the index holds nothing of a secret but its title and tags.
      { key: 'notes', label: 'Notes', note: 'not sealed', kind: 'textarea', view: 'hidden' },
      TWO_PERSON,
      // Expiry and rotation (docs/recovery.md, "Secrets: expiry and rotation"); read by the readiness review.
      { key: 'rotateEveryDays', label: 'Rotate every', note: 'days', kind: 'number' },
      { key: 'expires', label: 'Expires', kind: 'date' },
      { key: 'lastRotated', label: 'Last rotated', hint: 'Set by Lifeboat whenever a sealed value changes or someone marks it rotated.', kind: 'date' },
      {
        key: 'disableAfterUse',
        label: 'Emergency account',
        note: 'disable after use',
        hint: 'After any reveal or code, the readiness review asks someone to confirm the account was disabled again.',
        kind: 'boolean',
      },
    ],
    storedOrder: [
      'username',
      'password',
      'recoveryCodes',
      'totpSeed',
      'text',
      'notes',
      'twoPerson',
      'totp',
      'rotateEveryDays',
      'expires',
      'lastRotated',
      'disableAfterUse',
    ],
  },
  'key-location': {
    label: 'Key location',
    plural: 'Key locations',
    catalogPage: true,
    fields: [
      { key: 'what', label: 'What', formLabel: 'What key or material', kind: 'text', search: { column: 'body', position: 4 } },
      { key: 'where', label: 'Where', formLabel: 'Where it physically is', kind: 'text', search: { column: 'body', position: 5 } },
      { key: 'whoCanReach', label: 'Who can reach it', kind: 'list', search: { column: 'people', position: 2 } },
      { key: 'howToRetrieve', label: 'How to retrieve', formLabel: 'How to retrieve it', kind: 'textarea', search: { column: 'body', position: 6 } },
      { key: 'lastVerified', label: 'Last verified', kind: 'date' },
    ],
  },
  // An on-call schedule: a catalog's .ics file or a PagerDuty export's schedule (docs/catalog-format.md "On-call schedules").
  schedule: {
    label: 'On-call schedule',
    plural: 'Schedules',
    fields: [
      { key: 'timeZone', label: 'Time zone', kind: 'text' },
      { key: 'source', label: 'Source', kind: 'text' },
      { key: 'coverageFrom', label: 'Covers from', note: 'ISO 8601, UTC', kind: 'text' },
      { key: 'coverageUntil', label: 'Covers until', note: 'ISO 8601, UTC; empty: a rotation with no end', kind: 'text' },
      { key: 'people', label: 'People on the rota', kind: 'list' },
      { key: 'calendar', label: 'Calendar', note: 'iCalendar text', kind: 'textarea', view: 'hidden' },
    ],
  },
  // Who is paged, in order, for a service (docs/catalog-format.md "Escalation policies").
  escalation: {
    label: 'Escalation policy',
    plural: 'Escalations',
    catalogPage: true,
    fields: [
      {
        key: 'levels',
        label: 'Levels',
        kind: 'list',
        hint: 'One level a line, first paged first: "schedule Payments primary, escalate after 30m" or "person Ana Lima, escalate after 15m".',
      },
      { key: 'services', label: 'Services', kind: 'list', view: 'links' },
      { key: 'notes', label: 'Notes', kind: 'textarea', view: 'hidden', search: { column: 'body', position: 7 } },
    ],
  },
} as const satisfies KindRegistry;

export type RecordType = keyof typeof RECORD_KINDS;
export const RECORD_TYPES = Object.keys(RECORD_KINDS) as RecordType[] as readonly RecordType[];

/** Every field of every kind, with its literal key and kind. */
type AnyField = (typeof RECORD_KINDS)[RecordType]['fields'][number];
/** The keys of one kind's fields. */
export type FieldKeyOf<T extends RecordType> = (typeof RECORD_KINDS)[T]['fields'][number]['key'];

/** The kinds a catalog's Markdown page may be. */
export type CatalogPageType = { [T in RecordType]: (typeof RECORD_KINDS)[T] extends { catalogPage: true } ? T : never }[RecordType];

// --- Reading a registry ------------------------------------------------------
// Each takes the registry, so a test can hand one a kind that does not exist.

export function kindOf(kinds: KindRegistry, type: string): KindSpec {
  const kind = kinds[type];
  if (!kind) {
    throw new Error(`No record kind ${type}.`);
  }
  return kind;
}

/** A kind's fields in the order the engine writes them. */
export function storedFields(kind: KindSpec): readonly FieldSpec[] {
  const order = kind.storedOrder;
  if (!order) {
    return kind.fields;
  }
  return order.map((key) => {
    const field = kind.fields.find((f) => f.key === key);
    if (!field) {
      throw new Error(`storedOrder names ${key}, which is not a field.`);
    }
    return field;
  });
}

/** Keys of the fields, of any kind, that `test` picks. */
export function fieldKeys(kinds: KindRegistry, test: (field: FieldSpec) => boolean): Set<string> {
  return new Set(Object.values(kinds).flatMap((kind) => kind.fields.filter(test).map((f) => f.key)));
}

export function isSealedKind(kind: FieldKind): boolean {
  return kind === 'sealed' || kind === 'sealed-long';
}

/** How the record view shows the field. */
export function viewOf(field: FieldSpec): FieldView {
  if (field.view) {
    return field.view;
  }
  if (field.markdown) {
    return 'markdown';
  }
  return field.kind === 'list' ? 'list' : isSealedKind(field.kind) ? 'sealed' : 'fact';
}

/** The editor's label: "Steps (one per line)", "RTO (minutes)", "Runbook (Markdown)". */
export function formLabelOf(field: FieldSpec): string {
  if (field.formLabel !== undefined) {
    return field.formLabel;
  }
  const note = field.note ?? (field.kind === 'list' ? 'one per line' : field.minutes ? 'minutes' : field.markdown ? 'Markdown' : undefined);
  return note === undefined ? field.label : `${field.label} (${note})`;
}

export function catalogPageTypes(kinds: KindRegistry): string[] {
  return Object.keys(kinds).filter((type) => kindOf(kinds, type).catalogPage === true);
}

// --- Lifeboat's own kinds -------------------------------------------------------

/** The fields of a secret that are sealed: shown as •••• until revealed. */
export type SealedField = Extract<AnyField, { kind: 'sealed' | 'sealed-long' }>['key'];
export const SEALED_FIELDS = [...fieldKeys(RECORD_KINDS, (f) => isSealedKind(f.kind))] as readonly SealedField[];

/** The sealed fields that hold a one-time-code seed (an otpauth:// URI once stored). */
export const ONE_TIME_CODE_FIELDS = [...fieldKeys(RECORD_KINDS, (f) => f.oneTimeCode === true)] as readonly string[];
