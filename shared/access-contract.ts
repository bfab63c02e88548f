/**
 * The auditor's window: the filtered, paged timeline and the emergency-access
 * report (preview and save). Owners and auditors (audit.read).
 */
import { z } from 'zod';
import { AccessPeriodSchema, AccessReportSchema, ACCESS_REPORT_FORMATS } from './access-report.js';
import { AuditFilterSchema } from './audit-filter.js';
import { DestinationSchema } from './destinations.js';
import { AuditEntrySchema } from './vault-contract.js';

export const AuditPageSchema = z.object({
  /** Newest first. */
  entries: z.array(AuditEntrySchema),
  /** How many events match, and how many the log holds. */
  total: z.number().int(),
  logSize: z.number().int(),
  /** What the filter's pickers offer, from the whole log. */
  members: z.array(z.string()),
  devices: z.array(z.string()),
  records: z.array(z.object({ id: z.string(), title: z.string() })),
  types: z.array(z.string()),
});
export type AuditPage = z.output<typeof AuditPageSchema>;

export const accessContract = {
  'audit:query': {
    request: z.object({ filter: AuditFilterSchema, offset: z.number().int().nonnegative(), limit: z.number().int().positive().max(1000) }).strict(),
    response: AuditPageSchema,
  },
  'audit:access-report': { request: AccessPeriodSchema, response: AccessReportSchema },
  'audit:access-report-save': {
    request: z.object({ period: AccessPeriodSchema, format: z.enum(ACCESS_REPORT_FORMATS), to: DestinationSchema }).strict(),
    response: z.object({ path: z.string(), bytes: z.number().int(), reveals: z.number().int() }),
  },
} as const;
