/**
 * Record types, roles and field names as plain constants, free of the
 * validation library, so the renderer can use them without bundling zod.
 * records.ts builds the schemas on top of these.
 */
export const ROLES = ['owner', 'commander', 'responder', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const RECORD_TYPES = ['service', 'runbook', 'contact', 'procedure', 'secret', 'key-location'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export const RECOVERY_METHODS = ['restore', 'rebuild', 'redeploy', 'failover', 'replicated'] as const;

/** The fields of a secret that are sealed: shown as •••• until revealed. */
export const SEALED_FIELDS = ['username', 'password', 'recoveryCodes', 'totpSeed', 'text'] as const;
export type SealedField = (typeof SEALED_FIELDS)[number];
export const SEALED_MASK = '••••';

/** Fields that hold lists: the CLI's repeated or comma-separated --field values go here. */
export const LIST_FIELDS = new Set(['dependsOn', 'steps', 'validation', 'phones', 'channels', 'secrets', 'whoCanReach']);
/** Fields that hold numbers (durations are given in minutes, or as 30m / 4h). */
export const NUMBER_FIELDS = new Set(['tier', 'rtoMinutes', 'rpoMinutes', 'estimatedMinutes', 'escalationOrder']);
