/**
 * Recovery readiness: the dependency graph, the recovery plan (waves,
 * critical path, RTO breaches), the readiness review, recovery sessions
 * (exercises and real incidents) and their evidence reports. The engine
 * computes all of it (electron/recovery/); these schemas are what crosses IPC.
 */
import { z } from 'zod';

import { JOURNAL_KINDS, PAPER_TONES, READINESS_RULES, REPORT_FORMATS, RTO_VERDICTS, SESSION_KINDS, SEVERITIES, type ReadinessRule } from './recovery-kinds.js';

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

/**
 * What the plan can honestly say on paper (electron/recovery/plan-verdicts.ts):
 * the total time, and each RTO verdict with its count. Both hosts and the
 * CLI print these lines as they are; an "unknown" line is grey, never green.
 */
export const PaperSummarySchema = z.object({
  total: z.object({
    /** known: every service has an estimate; at-least: some have none; unknown: none has one. */
    state: z.enum(['known', 'at-least', 'unknown']),
    minutes,
    /** Services in the plan with no estimate. */
    unestimated: z.number().int(),
    /** "45 min", "at least 45 min, plus 3 services with no estimate", "unknown: no runbook … gives a time estimate". */
    text: z.string(),
  }),
  counts: z.object({
    achievable: z.number().int(),
    breach: z.number().int(),
    unknown: z.number().int(),
    noRto: z.number().int(),
    unestimated: z.number().int(),
  }),
  /** One sentence per verdict that applies, bad news first. */
  lines: z.array(z.object({ tone: z.enum(PAPER_TONES), text: z.string() })),
});
export type PaperSummary = z.output<typeof PaperSummarySchema>;

export const ReadinessReviewSchema = z.object({
  generatedAt: z.string(),
  staleDays: z.number().int(),
  /** Highest risk first. */
  services: z.array(ServiceReadinessSchema),
  /** Findings about the vault as a whole (catalog freshness, unrotated secrets). */
  vault: z.array(FindingSchema),
  /** The plan of every service on paper: RTOs achievable, not achievable, and unknown. */
  paper: PaperSummarySchema,
});
export type ReadinessReview = z.output<typeof ReadinessReviewSchema>;

export const MissingDependencySchema = z.object({ serviceId: z.string(), serviceTitle: z.string(), ref: z.string() });
export type MissingDependency = z.output<typeof MissingDependencySchema>;

/** A service as catalogs name it: record id, title and entity ref (`component:api`; null when it came from no catalog). */
export const ServiceRefSchema = z.object({ id: z.string(), title: z.string(), ref: z.string().nullable() });
export type ServiceRef = z.output<typeof ServiceRefSchema>;

/** `from` depends on `to`; a soft dependency is one `from` can start without (not ordered by). */
export const DependencyEdgeSchema = z.object({ from: ServiceRefSchema, to: ServiceRefSchema, soft: z.boolean() });
export type DependencyEdge = z.output<typeof DependencyEdgeSchema>;

export const PlanServiceSchema = ServiceRefSchema.extend({
  wave: z.number().int(),
  /** From its runbooks (the longest one); null when none gives an estimate. */
  estimatedMinutes: minutes.nullable(),
  /** Earliest start and finish on paper, in minutes from the start of recovery (a group's, for its members). */
  startMinute: minutes,
  finishMinute: minutes,
  rtoMinutes: minutes.nullable(),
  /** finishMinute > rtoMinutes. */
  breach: z.boolean(),
  /** Its RTO on paper: achievable, breach, unknown (an estimate is missing on the way) or no-rto. */
  verdict: z.enum(RTO_VERDICTS),
  /**
   * The chain of services that decides its finish, dependency first (ids):
   * it ends with the service itself, or for a member of a recover-together
   * group with the member whose recovery takes longest.
   */
  criticalPath: z.array(z.string()),
  /** True when a service on its critical path has no estimate: the finish is a lower bound. */
  lowerBound: z.boolean(),
  /** Index in the plan's `groups` of its recover-together group, or null. */
  group: z.number().int().nullable(),
});
export type PlanService = z.output<typeof PlanServiceSchema>;

/**
 * Services that depend on each other (a strongly connected component of the
 * dependencies the plan orders by): recovered together, in one wave, after
 * everything they need from outside. A service that depends on itself is a
 * group of one.
 */
export const RecoverGroupSchema = z.object({
  index: z.number().int(),
  wave: z.number().int(),
  /** By title. */
  services: z.array(ServiceRefSchema),
  /** Every dependency between members: the hard ones close its loops; soft ones are shown, not ordered by. */
  edges: z.array(DependencyEdgeSchema),
  /** Elementary cycles (no service twice), each with its first service repeated at the end; at most 20. */
  cycles: z.array(z.array(ServiceRefSchema)),
  /** How many elementary cycles there are; a lower bound when cycleCountComplete is false. */
  cycleCount: z.number().int(),
  cycleCountComplete: z.boolean(),
  /** The fewest dependencies whose removal (or marking soft) would order the members. */
  suggestedBreaks: z.array(DependencyEdgeSchema),
  /** True when no smaller set exists; false when a heuristic chose them (a large group). */
  suggestedBreaksExact: z.boolean(),
  /** The longest member estimate: members are recovered in parallel. Null when none has one. */
  estimatedMinutes: minutes.nullable(),
  /** Declared time to bring the group up once its members are back (the largest a member declares). */
  groupMinutes: minutes,
  startMinute: minutes,
  finishMinute: minutes,
  lowerBound: z.boolean(),
});
export type RecoverGroup = z.output<typeof RecoverGroupSchema>;

export const RecoveryPlanSchema = z.object({
  /** The services asked for (ids); empty means every service. */
  scope: z.array(z.string()),
  /** A group's members are listed together in its wave. */
  waves: z.array(z.object({ index: z.number().int(), services: z.array(PlanServiceSchema) })),
  groups: z.array(RecoverGroupSchema),
  /** Dependencies in scope that their service can start without: shown, not ordered by. */
  softDependencies: z.array(DependencyEdgeSchema),
  /** The longest chain in the plan: how long recovery takes on paper with unlimited hands. */
  criticalPath: z.object({
    minutes,
    /** True when a service on or before the path has no estimate: the minutes are a lower bound. */
    lowerBound: z.boolean(),
    /** A step with a group is that group, decided by this member (its slowest), plus the group's declared time. */
    services: z.array(ServiceRefSchema.extend({ estimatedMinutes: minutes.nullable(), group: z.number().int().nullable() })),
  }),
  breaches: z.array(PlanServiceSchema),
  missing: z.array(MissingDependencySchema),
  unestimated: z.array(ServiceRefSchema),
  /** What the plan can honestly say: total time and RTO verdicts, unknowns included. */
  paper: PaperSummarySchema,
});
export type RecoveryPlan = z.output<typeof RecoveryPlanSchema>;

export const GraphSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      ref: z.string().nullable(),
      tier: z.number().int().nullable(),
      rtoMinutes: z.number().nullable(),
      worst: z.enum(SEVERITIES).nullable(),
      findings: z.number().int(),
      /** The service's runbook to open on click (the longest-estimated one), if any. */
      runbookId: z.string().nullable(),
      /** Its wave in the plan of every service (0-based). */
      wave: z.number().int(),
      /** Index in `groups` of its recover-together group, or null. */
      group: z.number().int().nullable(),
    }),
  ),
  /** `from` depends on `to`; soft: `from` can start without it. */
  edges: z.array(z.object({ from: z.string(), to: z.string(), soft: z.boolean() })),
  missing: z.array(MissingDependencySchema),
  /** The recover-together groups of the whole vault, as in its plan (ids). */
  groups: z.array(
    z.object({
      index: z.number().int(),
      wave: z.number().int(),
      services: z.array(z.string()),
      cycles: z.array(z.array(z.string())),
      cycleCount: z.number().int(),
      cycleCountComplete: z.boolean(),
      suggestedBreaks: z.array(z.object({ from: z.string(), to: z.string() })),
      suggestedBreaksExact: z.boolean(),
    }),
  ),
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
  /** Index in the session's `groups` when it is recovered together with others. */
  group: z.number().int().optional(),
  rtoMinutes: minutes.nullable(),
  estimatedMinutes: minutes.nullable(),
  runbooks: z.array(z.object({ id: z.string(), title: z.string() })),
  steps: z.array(SessionStepSchema),
  checks: z.array(SessionCheckSchema),
  /**
   * Ids of the services it needs from outside its own recover-together group
   * (hard dependencies, frozen from the plan). Sessions started before issue
   * #19 have none: nothing to wait on.
   */
  needs: z.array(z.string()).optional(),
  /** Of `needs`, those not useful yet: until they are, it is waiting on them (session-usefulness.ts). */
  waitingOn: z.array(z.string()).optional(),
  /** The commander counted it useful without waiting for `waitingOn` (logged as session.override). */
  override: z.object({ at: z.string(), by: z.string(), reason: z.string(), waitingOn: z.array(z.string()) }).optional(),
  /** When every validation check had passed and everything it needs was useful (or the wait overridden). */
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
  /** Recover-together groups frozen from the plan (sessions started before groups existed have none). */
  groups: z.array(z.object({ index: z.number().int(), wave: z.number().int(), services: z.array(z.string()) })).optional(),
  journal: z.array(JournalEntrySchema),
  missing: z.array(MissingDependencySchema),
  /**
   * Checklists ticked from a record's view that are no service's steps here
   * (electron/recovery/runbook-ticks.ts): one per runbook, frozen at its first tick.
   */
  runbooks: z.array(z.object({ id: z.string(), title: z.string(), steps: z.array(SessionStepSchema) })).optional(),
});
export type RecoverySession = z.output<typeof RecoverySessionSchema>;
export type SessionStep = z.output<typeof SessionStepSchema>;

/** A record's checklist as the running session holds it: who ticked each step and when (null: not ticked). */
export const RunbookTicksSchema = z.object({
  /** The running exercise or incident the ticks belong to; null when none is running (ticks are then not kept). */
  session: z.object({ id: z.string(), kind: z.enum(SESSION_KINDS), scenario: z.string() }).nullable(),
  steps: z.array(z.object({ at: z.string(), by: z.string() }).nullable()),
});
export type RunbookTicks = z.output<typeof RunbookTicksSchema>;

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
  /** Titles of what it still waited on when the session ended (not useful because of them). Absent in reports made before issue #19. */
  waitingOn: z.array(z.string()).optional(),
  /** The commander counted it useful without waiting (titles of what it waited on then). */
  override: z.object({ at: z.string(), by: z.string(), reason: z.string(), waitingOn: z.array(z.string()) }).optional(),
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
  /** Runbooks ticked from their record view that were no service's steps (session `runbooks`); absent when none. */
  runbooks: z
    .array(
      z.object({
        id: z.string(),
        title: z.string(),
        stepsTotal: z.number().int(),
        ticked: z.array(z.object({ step: z.number().int(), text: z.string(), at: z.string(), by: z.string() })),
      }),
    )
    .optional(),
  missing: z.array(MissingDependencySchema),
  journal: z.array(JournalEntrySchema),
  reveals: z.array(RevealSchema),
  rotation: z.array(RotationItemSchema),
  generatedAt: z.string(),
  generatedBy: z.string(),
});
export type EvidenceReport = z.output<typeof EvidenceReportSchema>;

export const ReportFormatSchema = z.enum(REPORT_FORMATS);
