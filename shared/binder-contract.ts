/**
 * The printed binder over IPC (issue #21): preview what it will hold, print
 * it to a chosen file, check a printed page's code. No sealed value ever
 * crosses here: the window cannot include secrets (an owner does that with
 * `lifeboat binder --include-secret`, docs/recovery.md).
 */
import { z } from 'zod';
import { DestinationSchema } from './destinations.js';

export const BinderChoiceSchema = z.union([
  z.object({ search: z.string().min(1).max(500) }).strict(),
  z.object({ services: z.array(z.string().min(1).max(300)).min(1).max(200) }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);

const SummarySchema = z.object({
  records: z.number().int(),
  byType: z.record(z.string(), z.number().int()),
  chosenBy: z.string(),
  secretsIncluded: z.array(z.string()),
});

export const BinderContentsSchema = z.object({
  summary: SummarySchema,
  /** The contents page: each record with the id, revision and hash its pages will carry. */
  entries: z.array(z.object({ id: z.string(), type: z.string(), title: z.string(), revision: z.number().int(), hash: z.string() })),
  /** The plan's waves as printed (service titles), when the binder has services. */
  waves: z.array(z.array(z.string())),
});
export type BinderContents = z.output<typeof BinderContentsSchema>;

export const PageCheckSchema = z.object({
  status: z.enum(['current', 'changed', 'unknown']),
  message: z.string(),
  page: z.object({ vaultId: z.string(), recordId: z.string(), revision: z.number().int(), hash: z.string() }),
  record: z.object({ id: z.string(), title: z.string(), type: z.string(), revision: z.number().int(), deleted: z.boolean() }).nullable(),
  changes: z.array(z.object({ revision: z.number().int(), at: z.string(), by: z.string(), action: z.string(), changed: z.array(z.string()) })),
});
export type PageCheckView = z.output<typeof PageCheckSchema>;

export const binderContract = {
  'binder:preview': { request: z.object({ choice: BinderChoiceSchema }).strict(), response: BinderContentsSchema },
  'binder:print': {
    request: z.object({ choice: BinderChoiceSchema, to: DestinationSchema }).strict(),
    response: z.object({ path: z.string(), bytes: z.number().int(), summary: SummarySchema }),
  },
  'binder:verify': { request: z.object({ code: z.string().min(1).max(400) }).strict(), response: PageCheckSchema },
};
