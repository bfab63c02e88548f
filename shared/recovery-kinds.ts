/**
 * Readiness rules, severities and session vocabulary as plain constants, free
 * of the validation library, so the renderer can use them without bundling
 * zod. recovery.ts builds the schemas on top of these.
 */

/** Most severe first: the dashboard and the graph colour by the worst one. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Risk points per finding; multiplied by the service's tier weight. */
export const SEVERITY_POINTS: Record<Severity, number> = { critical: 40, high: 20, medium: 8, low: 2 };

/** Tier 0 is the most critical; a service with no tier counts as tier 2. */
export const TIER_WEIGHT = [5, 3, 2, 1.5, 1] as const;

export const READINESS_RULES = {
  'no-rto': 'No RTO',
  'no-rpo': 'No RPO',
  'no-owner': 'No owner',
  'no-runbook': 'No runbook',
  'runbook-stale': 'Runbook not reviewed recently',
  'runbook-older-than-dependency': 'Runbook older than a change to a dependency',
  'no-validation': 'No application-level validation checks',
  'method-undecided': 'Recovery method undecided',
  'identity-without-break-glass': 'Identity dependency with no break-glass procedure',
  'rto-not-demonstrated': 'RTO never demonstrated in an exercise',
  'measured-slower-than-rto': 'Last measured recovery slower than RTO',
  'rto-not-achievable': 'RTO not achievable on paper',
  'rto-unknown-on-paper': 'RTO not checkable on paper: no time estimate',
  'missing-dependency': 'Depends on a service the vault does not have',
  'dependency-cycle': 'In a dependency cycle: recovered together',
  'secret-not-rotated': 'Secret not rotated since an incident revealed it',
  'secret-rotation-overdue': 'Secret overdue for rotation',
  'secret-expired': 'Secret expired',
  'secret-expiring': 'Secret expiring soon',
  'emergency-account-not-disabled': 'Emergency account used and not confirmed disabled',
  'catalog-stale': 'Catalog not synced recently',
  'binder-changed': 'Printed binder out of date',
  'no-escalation-path': 'No escalation path (who to page)',
  'oncall-export-ending': 'On-call schedule export ending or ended',
  'oncall-no-phone': 'On call soon with no phone in the vault',
  'oncall-gap': 'Gap in on-call coverage',
} as const;
export type ReadinessRule = keyof typeof READINESS_RULES;

/**
 * A service's RTO against the plan on paper (docs/recovery.md, "Honest
 * planning"): achievable only when it has an RTO and every service it waits
 * for, itself included, has an estimate; never when something is unknown.
 */
export const RTO_VERDICTS = ['achievable', 'breach', 'unknown', 'no-rto'] as const;
export type RtoVerdict = (typeof RTO_VERDICTS)[number];

/** How a line of the plan's verdict reads: good news, bad news, or not known (grey, never green). */
export const PAPER_TONES = ['ok', 'bad', 'unknown'] as const;
export type PaperTone = (typeof PAPER_TONES)[number];

export const DEFAULT_STALE_DAYS = 180;
export const DEFAULT_CATALOG_STALE_DAYS = 30;

export const SESSION_KINDS = ['exercise', 'incident'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

export const JOURNAL_KINDS = ['note', 'blocker', 'unblocked'] as const;
export type JournalKind = (typeof JOURNAL_KINDS)[number];

export const REPORT_FORMATS = ['markdown', 'pdf', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
