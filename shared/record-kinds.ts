/**
 * Record types, roles and field names as plain constants, free of the
 * validation library, so the renderer can use them without bundling zod.
 * records.ts builds the schemas on top of these.
 */
export const ROLES = ['owner', 'commander', 'responder', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** The member name of the recovery shares' key slot (not a person; reserved). */
export const QUORUM_MEMBER = 'recovery quorum';

export const RECORD_TYPES = ['service', 'runbook', 'contact', 'procedure', 'secret', 'key-location'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export const RECOVERY_METHODS = ['restore', 'rebuild', 'redeploy', 'failover', 'replicated'] as const;

/** The fields of a secret that are sealed: shown as •••• until revealed. */
export const SEALED_FIELDS = ['username', 'password', 'recoveryCodes', 'totpSeed', 'text'] as const;
export type SealedField = (typeof SEALED_FIELDS)[number];
export const SEALED_MASK = '••••';

/** Fields that hold lists: the CLI's repeated or comma-separated --field values go here. */
export const LIST_FIELDS = new Set(['dependsOn', 'steps', 'validation', 'phones', 'channels', 'secrets', 'whoCanReach']);
/** Fields that hold true or false (the CLI's --field twoPerson=true). */
export const BOOLEAN_FIELDS = new Set(['twoPerson']);
/** Fields that hold numbers (durations are given in minutes, or as 30m / 4h). */
export const NUMBER_FIELDS = new Set(['tier', 'rtoMinutes', 'rpoMinutes', 'estimatedMinutes', 'escalationOrder']);

/** How a form shows each field of each record type (the engine's schemas decide what is valid). */
export type FieldKind = 'text' | 'textarea' | 'number' | 'list' | 'date' | 'select' | 'sealed' | 'sealed-long';

export interface FieldSpec {
  key: string;
  label: string;
  kind: FieldKind;
  options?: readonly string[];
  hint?: string;
}

export const RECORD_FIELDS: Record<RecordType, readonly FieldSpec[]> = {
  service: [
    { key: 'tier', label: 'Tier (0 most critical – 4)', kind: 'number' },
    { key: 'owner', label: 'Owner', kind: 'text' },
    { key: 'rtoMinutes', label: 'RTO (minutes)', kind: 'number' },
    { key: 'rpoMinutes', label: 'RPO (minutes)', kind: 'number' },
    { key: 'recoveryMethod', label: 'Recovery method', kind: 'select', options: RECOVERY_METHODS },
    { key: 'dependsOn', label: 'Depends on (one per line)', kind: 'list' },
    { key: 'description', label: 'Description', kind: 'textarea' },
  ],
  runbook: [
    { key: 'service', label: 'Service', kind: 'text' },
    { key: 'estimatedMinutes', label: 'Estimated minutes', kind: 'number' },
    { key: 'lastReviewed', label: 'Last reviewed', kind: 'date' },
    { key: 'steps', label: 'Steps (one per line)', kind: 'list' },
    { key: 'validation', label: 'Validation checks (one per line)', kind: 'list' },
    { key: 'body', label: 'Runbook (Markdown)', kind: 'textarea' },
  ],
  contact: [
    { key: 'role', label: 'Role', kind: 'text' },
    { key: 'phones', label: 'Phones (one per line)', kind: 'list' },
    { key: 'channels', label: 'Out-of-band channels (one per line)', kind: 'list' },
    { key: 'escalationOrder', label: 'Escalation order (1 first)', kind: 'number' },
    { key: 'notes', label: 'Notes', kind: 'textarea' },
  ],
  procedure: [
    { key: 'steps', label: 'Steps (one per line)', kind: 'list' },
    { key: 'secrets', label: 'Secrets it needs (titles, one per line)', kind: 'list' },
    { key: 'body', label: 'Procedure (Markdown)', kind: 'textarea' },
  ],
  secret: [
    { key: 'username', label: 'Username', kind: 'sealed' },
    { key: 'password', label: 'Password', kind: 'sealed' },
    { key: 'totpSeed', label: 'TOTP seed', kind: 'sealed' },
    { key: 'recoveryCodes', label: 'Recovery codes', kind: 'sealed-long' },
    { key: 'text', label: 'Sealed note', kind: 'sealed-long' },
    { key: 'notes', label: 'Notes (not sealed)', kind: 'textarea' },
  ],
  'key-location': [
    { key: 'what', label: 'What key or material', kind: 'text' },
    { key: 'where', label: 'Where it physically is', kind: 'text' },
    { key: 'whoCanReach', label: 'Who can reach it (one per line)', kind: 'list' },
    { key: 'howToRetrieve', label: 'How to retrieve it', kind: 'textarea' },
    { key: 'lastVerified', label: 'Last verified', kind: 'date' },
  ],
};
