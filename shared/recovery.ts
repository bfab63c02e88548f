/**
 * Recovery readiness: the dependency graph, the recovery plan (waves,
 * critical path, RTO breaches), the readiness review, recovery sessions
 * (exercises and real incidents) and their evidence reports. The engine
 * computes all of it (electron/recovery/); these schemas are what crosses IPC.
 */
import { z } from 'zod';

import { JOURNAL_KINDS, READINESS_RULES, REPORT_FORMATS, SESSION_KINDS, SEVERITIES, type ReadinessRule } from './recovery-kinds.js';

export * from './recovery-kinds.js';

const minutes = z.number().nonnegative();
const ruleNames = Object.keys(READINESS_RULES) as [ReadinessRule, ...ReadinessRule[]];

export const FindingSchema = z.object({
  rule: z.enum(ruleNames),
  severity: z.enum(SEVERITIES),
  /** One sentence, naming what is wrong and, where it helps, what to do. */
  message: z.string(),
  /** The record the finding is about, when it is not the service itself (a runbook, a secret). */
  recordId: z.string().optional(),
});
export type Finding = z.output<typeof FindingSchema>;

export const ServiceReadinessSchema = z.object({
  id: z.string(),
  title: z.string(),
  tier: z.number().int().nullable(),
  owner: z.string().nullable(),
  rtoMinutes: z.number().nullable(),
  score: z.number(),
  worst: z.enum(SEVERITIES).nullable(),
  findings: z.array(FindingSchema),
  /** Last measured time to useful service (minutes) in an ended session, if any. */
  measuredMinutes: z.number().nullable(),
});
export type ServiceReadiness = z.output<typeof ServiceReadinessSchema>;

export const ReadinessReviewSchema = z.object({
  generatedAt: z.string(),
  staleDays: z.number().int(),
  /** Highest risk first. */
  services: z.array(ServiceReadinessSchema),
  /** Findings about the vault as a whole (catalog freshness, unrotated secrets). */
  vault: z.array(FindingSchema),
});
export type ReadinessReview = z.output<typeof ReadinessReviewSchema>;

export const MissingDependencySchema = z.object({ serviceId: z.string(), serviceTitle: z.string(), ref: z.string() });
export type MissingDependency = z.output<typeof MissingDependencySchema>;

export const PlanServiceSchema = z.object({
  id: z.string(),
  title: z.string(),
  wave: z.number().int(),
  /** From its runbooks (the longest one); null when none gives an estimate. */
  estimatedMinutes: minutes.nullable(),
  /** Earliest start and finish on paper, in minutes from the start of recovery. */
  startMinute: minutes,
  finishMinute: minutes,
  rtoMinutes: minutes.nullable(),
  /** finishMinute > rtoMinutes. */
  breach: z.boolean(),
  /** The chain of services that decides its finish, dependency first, ending with itself (ids). */
  criticalPath: z.array(z.string()),
  /** True when a service on its critical path has no estimate: the finish is a lower bound. */
  lowerBound: z.boolean(),
});
export type PlanService = z.output<typeof PlanServiceSchema>;

export const RecoveryPlanSchema = z.object({
  /** The services asked for (ids); empty means every service. */
  scope: z.array(z.string()),
  waves: z.array(z.object({ index: z.number().int(), services: z.array(PlanServiceSchema) })),
  /** The longest chain in the plan: how long recovery takes on paper with unlimited hands. */
  criticalPath: z.object({
    minutes,
    /** True when a service on or before the path has no estimate: the minutes are a lower bound. */
    lowerBound: z.boolean(),
    services: z.array(z.object({ id: z.string(), title: z.string(), estimatedMinutes: minutes.nullable() })),
  }),
  breaches: z.array(PlanServiceSchema),
  missing: z.array(MissingDependencySchema),
  unestimated: z.array(z.object({ id: z.string(), title: z.string() })),
});
export type RecoveryPlan = z.output<typeof RecoveryPlanSchema>;

export const GraphSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      tier: z.number().int().nullable(),
      rtoMinutes: z.number().nullable(),
      worst: z.enum(SEVERITIES).nullable(),
      findings: z.number().int(),
      /** The service's runbook to open on click (the longest-estimated one), if any. */
      runbookId: z.string().nullable(),
    }),
  ),
  /** `from` depends on `to`. */
  edges: z.array(z.object({ from: z.string(), to: z.string() })),
  missing: z.array(MissingDependencySchema),
  /** A dependency cycle (ids, first repeated at the end), or null. */
  cycle: z.array(z.string()).nullable(),
});
export type ServiceGraph = z.output<typeof GraphSchema>;

// --- Recovery sessions ----------------------------------------------------

const tick = { at: z.string().optional(), by: z.string().optional() };

export const SessionStepSchema = z.object({ text: z.string(), ...tick });
export const SessionCheckSchema = z.object({
  text: z.string(),
  /** Set when the check passed (its latest result). */
  passedAt: z.string().optional(),
  passedBy: z.string().optional(),
  failures: z.array(z.object({ at: z.string(), by: z.string(), note: z.string() })),
});

export const SessionServiceSchema = z.object({
  id: z.string(),
  title: z.string(),
  wave: z.number().int(),
  rtoMinutes: minutes.nullable(),
  estimatedMinutes: minutes.nullable(),
  runbooks: z.array(z.object({ id: z.string(), title: z.string() })),
  steps: z.array(SessionStepSchema),
  checks: z.array(SessionCheckSchema),
  /** When every validation check had passed: the service was useful again. */
  usefulAt: z.string().optional(),
  /** Minutes from the session's start to usefulAt. */
  usefulMinutes: minutes.optional(),
});
export type SessionService = z.output<typeof SessionServiceSchema>;

export const JournalEntrySchema = z.object({
  at: z.string(),
  by: z.string(),
  kind: z.enum(JOURNAL_KINDS),
  serviceId: z.string().optional(),
  text: z.string(),
});
export type JournalEntry = z.output<typeof JournalEntrySchema>;

export const RecoverySessionSchema = z.object({
  id: z.string(),
  kind: z.enum(SESSION_KINDS),
  scenario: z.string(),
  status: z.enum(['active', 'ended']),
  startedAt: z.string(),
  startedBy: z.string(),
  endedAt: z.string().optional(),
  endedBy: z.string().optional(),
  services: z.array(SessionServiceSchema),
  journal: z.array(JournalEntrySchema),
  missing: z.array(MissingDependencySchema),
});
export type RecoverySession = z.output<typeof RecoverySessionSchema>;

export const SessionSummarySchema = z.object({
  id: z.string(),
  kind: z.enum(SESSION_KINDS),
  scenario: z.string(),
  status: z.enum(['active', 'ended']),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  services: z.number().int(),
  useful: z.number().int(),
});
export type SessionSummary = z.output<typeof SessionSummarySchema>;

export const RevealSchema = z.object({
  at: z.string(),
  actor: z.string(),
  action: z.enum(['revealed', 'copied']),
  recordId: z.string(),
  recordTitle: z.string(),
  field: z.string(),
  reason: z.string(),
});
export type Reveal = z.output<typeof RevealSchema>;

export const RotationItemSchema = z.object({
  recordId: z.string(),
  recordTitle: z.string(),
  fields: z.array(z.string()),
  lastRevealedAt: z.string(),
  revealedBy: z.array(z.string()),
  rotatedAt: z.string().optional(),
  rotatedBy: z.string().optional(),
});
export type RotationItem = z.output<typeof RotationItemSchema>;

export const ReportServiceSchema = z.object({
  id: z.string(),
  title: z.string(),
  wave: z.number().int(),
  rtoMinutes: minutes.nullable(),
  estimatedMinutes: minutes.nullable(),
  usefulMinutes: minutes.nullable(),
  /** met: useful within RTO; missed: useful later than RTO, or never; not-measured: no RTO or no checks. */
  verdict: z.enum(['met', 'missed', 'not-measured']),
  stepsDone: z.number().int(),
  stepsTotal: z.number().int(),
  checksPassed: z.number().int(),
  checksTotal: z.number().int(),
  failedChecks: z.array(z.object({ text: z.string(), failures: z.array(z.object({ at: z.string(), by: z.string(), note: z.string() })) })),
});

export const EvidenceReportSchema = z.object({
  vault: z.object({ id: z.string(), name: z.string() }),
  session: z.object({
    id: z.string(),
    kind: z.enum(SESSION_KINDS),
    scenario: z.string(),
    startedAt: z.string(),
    startedBy: z.string(),
    endedAt: z.string(),
    endedBy: z.string(),
    durationMinutes: minutes,
  }),
  services: z.array(ReportServiceSchema),
  /** The slowest steps: minutes from the previous tick of the same service (or the start). */
  delays: z.array(z.object({ serviceId: z.string(), serviceTitle: z.string(), step: z.string(), minutes, by: z.string() })),
  missing: z.array(MissingDependencySchema),
  journal: z.array(JournalEntrySchema),
  reveals: z.array(RevealSchema),
  rotation: z.array(RotationItemSchema),
  generatedAt: z.string(),
  generatedBy: z.string(),
});
export type EvidenceReport = z.output<typeof EvidenceReportSchema>;

export const ReportFormatSchema = z.enum(REPORT_FORMATS);
