/**
 * Who is on call: the answer the window, the CLI (`lifeboat oncall`) and the
 * tests share (issue 23; docs/recovery.md "On call now"). Times are ISO 8601
 * in UTC; each screen writes them in the schedule's zone and the laptop's
 * (shared/zoned-time.ts, zod-free for the renderer).
 */
import { z } from 'zod';

/** A person as a schedule or a policy names them, and the contact they were matched to. */
export const OnCallPersonSchema = z.object({
  name: z.string(),
  email: z.string().nullable(),
  /** How the contact was found: by e-mail; by name only (flagged: two people may share one); or not at all. */
  match: z.enum(['email', 'name', 'none']),
  contact: z.object({ id: z.string(), title: z.string() }).nullable(),
  phones: z.array(z.string()),
  channels: z.array(z.string()),
});
export type OnCallPerson = z.infer<typeof OnCallPersonSchema>;

export const ScheduleNowSchema = z.object({
  id: z.string(),
  title: z.string(),
  timeZone: z.string(),
  source: z.string(),
  /** Null: nobody is on call at the time (a gap, or past the export). Never a stale person. */
  now: OnCallPersonSchema.nullable(),
  /** When the current shift ends (ISO, UTC). */
  nowUntil: z.string().nullable(),
  next: z.object({ person: OnCallPersonSchema, from: z.string(), until: z.string() }).nullable(),
  coverageFrom: z.string().nullable(),
  /** Null: a rotation with no end. */
  coverageUntil: z.string().nullable(),
  /** Said plainly when nobody is on call: past the export, before it, or a gap. */
  notice: z.string().nullable(),
});
export type ScheduleNow = z.infer<typeof ScheduleNowSchema>;

export const OnCallTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('schedule'), name: z.string(), schedule: ScheduleNowSchema.nullable() }),
  z.object({ kind: z.literal('person'), name: z.string(), person: OnCallPersonSchema }),
]);
export type OnCallTarget = z.infer<typeof OnCallTargetSchema>;

export const OnCallLevelSchema = z.object({
  level: z.number().int(),
  escalateAfterMinutes: z.number().int().nullable(),
  targets: z.array(OnCallTargetSchema),
});
export type OnCallLevel = z.infer<typeof OnCallLevelSchema>;

export const FallbackContactSchema = z.object({
  id: z.string(),
  name: z.string(),
  escalationOrder: z.number().int(),
  phones: z.array(z.string()),
  channels: z.array(z.string()),
});

export const ServiceOnCallSchema = z.object({
  service: z.object({ id: z.string(), title: z.string() }),
  policy: z.object({ id: z.string(), title: z.string() }).nullable(),
  levels: z.array(OnCallLevelSchema),
  /** Plain sentences: no escalation path, a schedule past its export, a gap. */
  notices: z.array(z.string()),
  /** The contacts' escalation order, given whenever a level has nobody on call (or there is no path). */
  fallback: z.array(FallbackContactSchema).nullable(),
});
export type ServiceOnCall = z.infer<typeof ServiceOnCallSchema>;

export const OnCallReportSchema = z.object({
  /** The time asked about (the laptop's clock unless --at), ISO in UTC. */
  at: z.string(),
  /** The laptop's clock, in UTC, and the warning when it is earlier than a time already seen (shared/clock-check.ts). */
  clock: z.object({ nowUtc: z.string(), suspect: z.boolean(), warning: z.string().optional() }),
  services: z.array(ServiceOnCallSchema),
  /** Every schedule's person on call at the time (asked without a service). */
  schedules: z.array(ScheduleNowSchema),
});
export type OnCallReport = z.infer<typeof OnCallReportSchema>;

export { timeForBoth, timeInZone } from './zoned-time.js';
