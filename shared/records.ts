/**
 * The vault's record types and member roles, shared by the engine, the CLI
 * and the renderer. Each record type has a schema, built from its fields in
 * record-kinds.ts; `sealed` fields of a secret never leave the engine except
 * through a logged reveal.
 */
import { z } from 'zod';

import {
  kindOf,
  RECORD_KINDS,
  RECORD_TYPES,
  RECOVERY_METHODS,
  ROLES,
  SEALED_FIELDS,
  SEALED_MASK,
  storedFields,
  type FieldKeyOf,
  type FieldSpec,
  type KindSpec,
} from './record-kinds.js';

export { RECORD_TYPES, RECOVERY_METHODS, ROLES, SEALED_FIELDS, SEALED_MASK };
export type { RecordType, Role, SealedField } from './record-kinds.js';
import type { RecordType } from './record-kinds.js';
import type { RecordImage, RecordLink } from './markdown-links.js';

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

/** What a field of each kind accepts, unless SPECIFIC narrows it. */
function fieldSchema(field: FieldSpec): z.ZodType {
  switch (field.kind) {
    case 'text':
      return text.optional();
    case 'textarea':
      // A Markdown body is always there, if only empty.
      return field.markdown ? z.string().default('') : z.string().optional();
    case 'number':
      return (field.minutes ? minutes : z.number().int()).optional();
    case 'list':
      return list;
    case 'date':
      return isoDate.optional();
    case 'select':
      return z.enum(field.options ?? []).optional();
    case 'sealed':
    case 'sealed-long':
      return z.string().optional();
    case 'boolean':
      return z.boolean().optional();
  }
}

/** Fields whose values are narrower than their kind's: written by hand, each naming a field of its kind. */
const SPECIFIC: { [T in RecordType]?: Partial<Record<FieldKeyOf<T>, z.ZodType>> } = {
  service: {
    tier: z.number().int().min(0).max(4).optional(),
    // Soft dependencies are absent unless a catalog says so: no empty list is written into every service.
    startsWithout: z.array(text).optional(),
  },
  // Absent unless a catalog or the editor gives some: no empty list is written into every contact.
  contact: { escalationOrder: z.number().int().positive().optional(), emails: z.array(text).optional() },
  secret: { rotateEveryDays: z.number().int().min(1).max(3650).optional() },
};

/** A kind's schema: the common fields, then its own in the order the engine writes them. */
export function recordSchema(kind: KindSpec, specific: Partial<Record<string, z.ZodType>> = {}) {
  const shape: Record<string, z.ZodType> = { ...common };
  for (const field of storedFields(kind)) {
    shape[field.key] = specific[field.key] ?? fieldSchema(field);
  }
  return z.object(shape).strict();
}

export const RECORD_SCHEMAS = Object.fromEntries(RECORD_TYPES.map((type) => [type, recordSchema(kindOf(RECORD_KINDS, type), SPECIFIC[type])])) as Record<
  RecordType,
  ReturnType<typeof recordSchema>
>;

const RecordLinkSchema = z.discriminatedUnion('kind', [
  z.object({ href: z.string(), kind: z.literal('record'), id: z.string(), title: z.string(), file: z.string(), anchor: z.string().optional() }).strict(),
  z.object({ href: z.string(), kind: z.literal('outside'), path: z.string() }).strict(),
  z.object({ href: z.string(), kind: z.literal('external') }).strict(),
  z.object({ href: z.string(), kind: z.literal('anchor') }).strict(),
]) satisfies z.ZodType<RecordLink>;

const RecordImageSchema = z.discriminatedUnion('kind', [
  z.object({ src: z.string(), kind: z.literal('image'), path: z.string(), mime: z.string(), size: z.number().int(), base64: z.string() }).strict(),
  z.object({ src: z.string(), kind: z.literal('missing'), path: z.string() }).strict(),
  z.object({ src: z.string(), kind: z.literal('external') }).strict(),
]) satisfies z.ZodType<RecordImage>;

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
  /** Where each link of the record's Markdown leads (shared/markdown-links.ts); given when a record is opened. */
  links: z.array(RecordLinkSchema).optional(),
  /** The images the record's Markdown shows, with the bytes of those its catalog carries (shared/markdown-links.ts); given when a record is opened. */
  images: z.array(RecordImageSchema).optional(),
  /**
   * A break-glass procedure's linked credentials, in its order (its `secrets`
   * list, by record id): id and title null when the entry names no live
   * secret ("linked credential not found"). Field names only, never values.
   */
  credentials: z
    .array(
      z.object({
        entry: z.string(),
        id: z.string().nullable(),
        title: z.string().nullable(),
        fields: z.array(z.string()),
        twoPerson: z.boolean(),
      }),
    )
    .optional(),
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

export const MemberSchema = z.object({
  name: z.string(),
  role: z.enum(ROLES),
  /** 1: the member's key slot predates the vault identity and moves to format 2 at their next unlock. */
  slotFormat: z.union([z.literal(1), z.literal(2)]).optional(),
});
export type Member = z.output<typeof MemberSchema>;
