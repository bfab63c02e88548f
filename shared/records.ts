/**
 * The vault's record types and member roles, shared by the engine, the CLI
 * and the renderer. Each record type has a schema; `sealed` fields of a secret
 * never leave the engine except through a logged reveal.
 */
import { z } from 'zod';

import { BOOLEAN_FIELDS, LIST_FIELDS, NUMBER_FIELDS, RECORD_TYPES, RECOVERY_METHODS, ROLES, SEALED_FIELDS, SEALED_MASK } from './record-kinds.js';

export { BOOLEAN_FIELDS, LIST_FIELDS, NUMBER_FIELDS, RECORD_TYPES, RECOVERY_METHODS, ROLES, SEALED_FIELDS, SEALED_MASK };
export type { RecordType, Role, SealedField } from './record-kinds.js';
import type { RecordType } from './record-kinds.js';

const text = z.string().trim().min(1);

/** Where a record came from when a signed catalog created it (sync keeps this up to date). */
export const CatalogRefSchema = z
  .object({
    catalogId: z.string(),
    /** The entry's stable key inside the catalog (e.g. "component:default/billing" or a file path). */
    key: z.string(),
    file: z.string(),
    catalogVersion: z.number().int(),
    /** The record revision the last sync wrote: a higher one means a local edit since. */
    syncedRevision: z.number().int(),
    /** Hash of the entry as the catalog last gave it: a different one means the catalog changed it. */
    entryHash: z.string(),
    /** Set when the entry came from an unsigned folder (owner's --unsigned sync). */
    unsigned: z.boolean().optional(),
  })
  .strict();
export type CatalogRef = z.output<typeof CatalogRefSchema>;

/** Fields every record type may carry. */
const common = {
  tags: z.array(text).optional(),
  /** Front matter or annotations Lifeboat does not use, kept verbatim. */
  meta: z.record(z.string(), z.unknown()).optional(),
  catalogRef: CatalogRefSchema.optional(),
  /** A catalog entry that disappeared from its catalog: kept, marked, out of the way. */
  archived: z.boolean().optional(),
};
const list = z.array(text).default([]);
const minutes = z.number().int().nonnegative();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'expected a date like 2026-01-31');

export const ServiceData = z
  .object({
    ...common,
    tier: z.number().int().min(0).max(4).optional(),
    owner: text.optional(),
    rtoMinutes: minutes.optional(),
    rpoMinutes: minutes.optional(),
    recoveryMethod: z.enum(RECOVERY_METHODS).optional(),
    dependsOn: list,
    /** Entries of dependsOn the service can start without (soft): shown, not ordered by (docs/recovery.md). */
    startsWithout: z.array(text).optional(),
    /** Minutes to bring up its recover-together group once the members are back (docs/recovery.md). */
    groupMinutes: minutes.optional(),
    description: z.string().optional(),
  })
  .strict();

export const RunbookData = z
  .object({
    ...common,
    service: text.optional(),
    body: z.string().default(''),
    steps: list,
    validation: list,
    estimatedMinutes: minutes.optional(),
    lastReviewed: isoDate.optional(),
  })
  .strict();

export const ContactData = z
  .object({
    ...common,
    role: text.optional(),
    phones: list,
    channels: list,
    escalationOrder: z.number().int().positive().optional(),
    notes: z.string().optional(),
  })
  .strict();

/** Set by an owner: revealing needs a second member's passphrase too (docs/security.md). */
const twoPerson = z.boolean().optional();

export const ProcedureData = z
  .object({
    ...common,
    body: z.string().default(''),
    steps: list,
    secrets: list,
    twoPerson,
  })
  .strict();

export const SecretData = z
  .object({
    ...common,
    username: z.string().optional(),
    password: z.string().optional(),
    recoveryCodes: z.string().optional(),
    totpSeed: z.string().optional(),
    text: z.string().optional(),
    notes: z.string().optional(),
    twoPerson,
  })
  .strict();

export const KeyLocationData = z
  .object({
    ...common,
    what: text.optional(),
    where: text.optional(),
    whoCanReach: list,
    howToRetrieve: z.string().optional(),
    lastVerified: isoDate.optional(),
  })
  .strict();

export const RECORD_SCHEMAS = {
  service: ServiceData,
  runbook: RunbookData,
  contact: ContactData,
  procedure: ProcedureData,
  secret: SecretData,
  'key-location': KeyLocationData,
} as const satisfies Record<RecordType, z.ZodType>;



export const RecordSummarySchema = z.object({
  id: z.string(),
  type: z.enum(RECORD_TYPES),
  title: z.string(),
  revision: z.number().int(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});

export const RecordViewSchema = RecordSummarySchema.extend({
  createdAt: z.string(),
  createdBy: z.string(),
  /** The record's fields, sealed ones replaced by SEALED_MASK. */
  data: z.record(z.string(), z.unknown()),
  sealedFields: z.array(z.string()),
});

export type RecordSummary = z.output<typeof RecordSummarySchema>;
export type RecordView = z.output<typeof RecordViewSchema>;

export const RevisionSchema = z.object({
  revision: z.number().int(),
  at: z.string(),
  by: z.string(),
  action: z.enum(['created', 'edited', 'deleted']),
  /** Names of the fields that changed (values of sealed fields are never recorded). */
  changed: z.array(z.string()),
});
export type Revision = z.output<typeof RevisionSchema>;

export const MemberSchema = z.object({ name: z.string(), role: z.enum(ROLES) });
export type Member = z.output<typeof MemberSchema>;
