/**
 * Recovery shares, quorum unlock and the emergency kit. Share texts travel
 * only from the renderer to main (typed by custodians); created shares never
 * come back over IPC: main writes them straight to the sheets.
 */
import { z } from 'zod';
import { DestinationSchema } from './destinations.js';
import { SessionInfoSchema } from './vault-contract.js';

const path = z.string().min(1);
const shareText = z.string().min(1).max(400);

export const RecoverySetViewSchema = z.object({
  setId: z.string(),
  threshold: z.number().int(),
  custodians: z.array(z.object({ index: z.number().int(), name: z.string() })),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type RecoverySetView = z.output<typeof RecoverySetViewSchema>;

export const quorumContract = {
  'shares:status': { request: z.object({}).strict(), response: RecoverySetViewSchema.nullable() },
  'shares:create': {
    request: z.object({ threshold: z.number().int(), custodians: z.array(z.string().max(120)).max(255), to: DestinationSchema }).strict(),
    response: z.object({
      set: RecoverySetViewSchema,
      files: z.array(z.object({ custodian: z.string(), index: z.number().int(), pdf: z.string(), text: z.string() })),
    }),
  },
  'shares:revoke': { request: z.object({}).strict(), response: z.object({ ok: z.literal(true) }) },
  /** One share checked as it is entered, before any other (no vault needs to be unlocked). */
  'shares:check': {
    request: z.object({ dir: path, share: shareText }).strict(),
    response: z.object({ index: z.number().int(), custodian: z.string(), threshold: z.number().int(), custodians: z.number().int() }),
  },
  'shares:practice': {
    request: z.object({ dir: path, shares: z.array(shareText).min(1).max(255) }).strict(),
    response: z.object({ custodians: z.array(z.string()), setId: z.string() }),
  },
  'vault:unlock-quorum': {
    request: z.object({ dir: path, shares: z.array(shareText).min(1).max(255), reason: z.string().max(2000) }).strict(),
    response: SessionInfoSchema,
  },
  'kit:export': { request: z.object({ to: DestinationSchema }).strict(), response: z.object({ path: z.string(), bytes: z.number().int() }) },
} as const;
