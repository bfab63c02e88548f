/**
 * One-time codes and the upkeep of secrets (issue 21): the channels' requests
 * and responses. A code crosses to the window only after main logged "code
 * generated"; the seed never does, except the one a member reads from their
 * own QR image to put into the editor.
 */
import { z } from 'zod';
import { FindingSchema } from './recovery.js';

const id = z.string().min(1).max(64);
const note = z.string().max(500).optional();
const SecondPersonSchema = z.object({ member: z.string().min(1), passphrase: z.string().min(1).max(1024) }).strict();

/** Base64 of at most 8 MiB (operations/qr-images.ts refuses larger images with a sentence). */
const MAX_IMAGE_BASE64 = Math.ceil((8 * 1024 * 1024 * 4) / 3) + 4;

export const GeneratedCodeSchema = z.object({
  id: z.string(),
  field: z.string(),
  type: z.enum(['totp', 'hotp']),
  digits: z.number().int(),
  /** Strings: leading zeros kept. */
  code: z.string(),
  next: z.string(),
  /** TOTP: seconds until `code` stops being current; HOTP: null. */
  secondsLeft: z.number().int().nullable(),
  period: z.number().int().nullable(),
  counter: z.number().int().nullable(),
  /** The laptop's clock in UTC and shared/clock-check.ts's warning. */
  clock: z.object({ nowUtc: z.string(), suspect: z.boolean(), warning: z.string().optional() }),
});
export type GeneratedCodeView = z.output<typeof GeneratedCodeSchema>;

const UpkeepSchema = z.object({ id: z.string(), title: z.string(), at: z.string() });

export const SecretAttentionSchema = z.object({
  /** "2 break-glass credentials overdue", or null when no secret needs anything. */
  summary: z.string().nullable(),
  findings: z.array(FindingSchema),
  /** The owner's setting: "expiring soon" starts this many days ahead. */
  warningDays: z.number().int(),
});
export type SecretAttentionView = z.output<typeof SecretAttentionSchema>;

export const secretContract = {
  /** A one-time code: reason first, logged as "code generated" before the seed is opened; the two-person rule applies. */
  'secret:code': {
    request: z.object({ id, field: z.string().min(1).max(64).optional(), reason: z.string(), second: SecondPersonSchema.optional() }).strict(),
    response: GeneratedCodeSchema,
  },
  /** The otpauth:// link in a QR image the member chose (PNG or JPEG bytes, base64), checked, for the editor. Nothing is stored or logged. */
  'secret:qr-seed': {
    request: z.object({ name: z.string().min(1).max(255), base64: z.string().min(1).max(MAX_IMAGE_BASE64) }).strict(),
    response: z.object({ uri: z.string(), type: z.enum(['totp', 'hotp']), issuer: z.string(), label: z.string() }),
  },
  /** "Mark rotated": logged, sets lastRotated, ticks incident rotation checklists (owners, commanders). */
  'secret:rotated': { request: z.object({ id, note }).strict(), response: UpkeepSchema },
  /** "Confirm disabled": an emergency account disabled again after use; logged (owners, commanders). */
  'secret:disabled': { request: z.object({ id, note }).strict(), response: UpkeepSchema },
  /** The expiry and rotation findings and the home screen's one line, right after unlock. */
  'secret:attention': { request: z.object({}).strict(), response: SecretAttentionSchema },
  /** Owners: how many days before `expires` a secret is flagged as expiring (0–3650; default 30). Logged as a settings change. */
  'settings:set-expiry-warning-days': { request: z.object({ days: z.number().int() }).strict(), response: z.object({ days: z.number().int() }) },
};
