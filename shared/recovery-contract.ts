/**
 * The recovery channels: the dependency graph, the plan, the readiness review,
 * and recovery sessions with their evidence reports.
 */
import { z } from 'zod';
import { DestinationSchema } from './destinations.js';
import { OnCallReportSchema } from './on-call.js';

import {
  EvidenceReportSchema,
  GraphSchema,
  JOURNAL_KINDS,
  ReadinessReviewSchema,
  RecoveryPlanSchema,
  RecoverySessionSchema,
  ReportFormatSchema,
  RunbookTicksSchema,
  SESSION_KINDS,
  SessionSummarySchema,
} from './recovery.js';

const id = z.string().min(1).max(64);
const index = z.number().int().nonnegative();

export const recoveryContract = {
  'recovery:graph': { request: z.object({}).strict(), response: GraphSchema },
  'recovery:plan': {
    request: z.object({ services: z.array(id).max(10_000).optional() }).strict(),
    response: RecoveryPlanSchema,
  },
  'recovery:readiness': {
    request: z.object({ staleDays: z.number().int().min(1).max(3650).optional() }).strict(),
    response: ReadinessReviewSchema,
  },
  // Who is on call (issue 23): services by id; none: every schedule. `at` is ISO 8601 (the laptop clock when absent).
  'oncall:lookup': {
    request: z.object({ services: z.array(id).max(100).optional(), at: z.iso.datetime({ offset: true }).optional() }).strict(),
    response: OnCallReportSchema,
  },
  'sessions:list': { request: z.object({}).strict(), response: z.array(SessionSummarySchema) },
  'sessions:start': {
    request: z.object({ kind: z.enum(SESSION_KINDS), scenario: z.string().max(2000), services: z.array(id).min(1).max(10_000) }).strict(),
    response: RecoverySessionSchema,
  },
  'sessions:get': { request: z.object({ id }).strict(), response: RecoverySessionSchema },
  'sessions:step': {
    request: z.object({ id, serviceId: id, index, done: z.boolean() }).strict(),
    response: RecoverySessionSchema,
  },
  'sessions:check': {
    request: z.object({ id, serviceId: id, index, passed: z.boolean(), note: z.string().max(2000).optional() }).strict(),
    response: RecoverySessionSchema,
  },
  'sessions:journal': {
    request: z.object({ id, kind: z.enum(JOURNAL_KINDS), serviceId: id.optional(), text: z.string().max(2000) }).strict(),
    response: RecoverySessionSchema,
  },
  'sessions:override': {
    request: z.object({ id, serviceId: id, reason: z.string().max(2000) }).strict(),
    response: RecoverySessionSchema,
  },
  'sessions:end': { request: z.object({ id }).strict(), response: RecoverySessionSchema },
  /** A record's checklist ticks in the running session (runbook-ticks.ts). */
  'sessions:runbook-ticks': { request: z.object({ recordId: id }).strict(), response: RunbookTicksSchema },
  'sessions:tick-runbook': {
    request: z.object({ id, recordId: id, index: index.max(10_000), done: z.boolean() }).strict(),
    response: RunbookTicksSchema,
  },
  'sessions:report': { request: z.object({ id }).strict(), response: EvidenceReportSchema },
  'sessions:export': {
    request: z.object({ id, format: ReportFormatSchema, to: DestinationSchema }).strict(),
    response: z.object({ path: z.string(), bytes: z.number().int() }),
  },
  'sessions:rotated': { request: z.object({ id, recordId: id }).strict(), response: EvidenceReportSchema },
} as const;
