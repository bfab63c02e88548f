/**
 * The readiness review: per service, what would slow or stop its recovery,
 * each finding with a severity and one sentence. "All backups are green" is
 * not a recovery status; these are the questions an exercise would ask.
 *
 * Risk score = Σ severity points × tier weight (recovery-kinds.ts), so one
 * critical gap on a tier-0 service outranks a handful of small ones on a
 * tier-4 one. Services are sorted by score, then tier, then title.
 *
 * The review is a pure function of its inputs (reviewReadiness); the vault
 * adapter (vaultReadiness) gathers them from an unlocked vault.
 */
import { onCallFindings, type OnCallFindings } from './on-call-readiness.js';
import type { OnCallRecord, OnCallRecords } from './on-call.js';
import {
  DEFAULT_CATALOG_STALE_DAYS,
  DEFAULT_STALE_DAYS,
  SEVERITIES,
  SEVERITY_POINTS,
  TIER_WEIGHT,
  type Finding,
  type ReadinessReview,
  type RecoverGroup,
  type RecoveryPlan,
  type RecoverySession,
  type RotationItem,
  type RtoVerdict,
  type ServiceReadiness,
  type Severity,
} from '../../shared/recovery.js';
import type { StoredRecord } from '../vault/records/record-store.js';
import { eventsForEvidence } from '../vault/audit/vault-audit.js';
import type { VaultSession } from '../vault/vault-session.js';
import { binderDrift, type BinderDrift } from './binder-verify.js';
import { computePlan } from './recovery-plan.js';
import { allSessions } from './recovery-sessions.js';
import { revealsDuring, rotationChecklist } from './secret-rotation.js';
import { secretDatesOf, secretExpiryFindings } from './secret-expiry.js';
import { readExpiryWarningDays, readSettings } from '../vault/vault-settings.js';
import { formatMinutes } from '../../shared/durations.js';
import type { ServiceGraphModel, ServiceNode } from './service-graph.js';

const DAY_MS = 86_400_000;

/** Words that mark a service as identity / single sign-on. */
const IDENTITY = /\b(identity|idp|sso|single sign-on|auth|authn|oauth|oidc|saml|keycloak|okta|ldap|active directory|entra|azure ad|iam)\b/i;

export interface ProcedureInfo {
  id: string;
  title: string;
  tags: string[];
  body: string;
}

export interface ReadinessInput {
  graph: ServiceGraphModel;
  procedures: readonly ProcedureInfo[];
  sessions: readonly RecoverySession[];
  /** Secrets revealed during ended real incidents, with their rotation state. */
  incidentRotations: readonly RotationItem[];
  lastSync: { at: string; catalogId: string } | null;
  /** True when any record came from a catalog (a vault that never syncs is told once, gently). */
  usesCatalogs: boolean;
  now: Date;
  staleDays?: number;
  catalogStaleDays?: number;
  /** The plan of every service, when the caller already has it (else it is computed). */
  plan?: RecoveryPlan;
  /** Printed binders whose records changed since (binder-verify.ts). */
  binders?: readonly BinderDrift[];
  /** On-call findings (on-call-readiness.ts), added as they are. */
  onCall?: OnCallFindings;
}

export function isIdentityService(node: ServiceNode): boolean {
  return [node.title, node.catalogKey ?? '', node.description, ...node.tags].some((text) => IDENTITY.test(text));
}

function mentions(haystack: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, 'iu').test(haystack);
}

/** A procedure covers a service when it is tagged with, or its title names, the service. */
function breakGlassFor(node: ServiceNode, procedures: readonly ProcedureInfo[]): ProcedureInfo | undefined {
  const name = node.title.toLowerCase();
  return procedures.find((p) => p.tags.some((tag) => tag.toLowerCase() === name) || mentions(p.title, node.title));
}

function daysSince(date: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(date)) / DAY_MS);
}

/** Each ended session's result per service: minutes to useful, or null when it never became useful. */
function measurements(sessions: readonly RecoverySession[]): Map<string, { at: string; minutes: number | null }[]> {
  const out = new Map<string, { at: string; minutes: number | null }[]>();
  for (const s of sessions.filter((x) => x.status === 'ended').sort((a, b) => a.startedAt.localeCompare(b.startedAt))) {
    // A service without validation checks cannot be measured at all: no result, not a failure.
    for (const service of s.services.filter((x) => x.checks.length > 0)) {
      out.set(service.id, [...(out.get(service.id) ?? []), { at: s.endedAt ?? s.startedAt, minutes: service.usefulMinutes ?? null }]);
    }
  }
  return out;
}

function serviceFindings(node: ServiceNode, input: ReadinessInput, context: Context): Finding[] {
  const findings: Finding[] = [];
  const add = (rule: Finding['rule'], severity: Severity, message: string, recordId?: string): void => {
    findings.push({ rule, severity, message, ...(recordId === undefined ? {} : { recordId }) });
  };
  const staleDays = input.staleDays ?? DEFAULT_STALE_DAYS;

  if (node.rtoMinutes === null) {
    add('no-rto', 'high', `${node.title} has no RTO: nobody has said how long it may be down.`);
  }
  if (node.rpoMinutes === null) {
    add('no-rpo', 'medium', `${node.title} has no RPO: nobody has said how much data it may lose.`);
  }
  if (node.owner === null) {
    add('no-owner', 'medium', `${node.title} has no owner to call.`);
  }
  if (node.recoveryMethod === null) {
    add('method-undecided', 'medium', `Nobody has decided whether ${node.title} is restored, rebuilt, redeployed or failed over.`);
  }
  for (const ref of node.missing) {
    add('missing-dependency', 'medium', `${node.title} depends on "${ref}", which is not a service in this vault.`);
  }

  if (node.runbooks.length === 0) {
    add('no-runbook', 'high', `${node.title} has no runbook.`);
  } else {
    for (const runbook of node.runbooks) {
      if (runbook.lastReviewed === null) {
        add('runbook-stale', 'medium', `The runbook "${runbook.title}" has no review date.`, runbook.id);
      } else if (daysSince(runbook.lastReviewed, input.now) > staleDays) {
        add(
          'runbook-stale',
          'medium',
          `The runbook "${runbook.title}" was last reviewed ${daysSince(runbook.lastReviewed, input.now)} days ago (limit ${staleDays}).`,
          runbook.id,
        );
      }
      const reviewed = (runbook.lastReviewed ?? runbook.updatedAt).slice(0, 10);
      const changedSince = node.dependsOn
        .map((id) => input.graph.services.get(id))
        .filter((dep): dep is ServiceNode => dep !== undefined && dep.changedAt !== null && dep.changedAt.slice(0, 10) > reviewed);
      if (changedSince.length > 0) {
        const names = changedSince.map((dep) => `${dep.title} (${(dep.changedAt ?? '').slice(0, 10)})`).join(', ');
        add('runbook-older-than-dependency', 'medium', `The runbook "${runbook.title}" was reviewed ${reviewed}, before changes to ${names}.`, runbook.id);
      }
    }
    if (node.runbooks.every((runbook) => runbook.validation.length === 0)) {
      add('no-validation', 'high', `No runbook of ${node.title} has an application-level validation check, so nobody can say when it is useful again.`);
    }
  }

  // Identity: the service itself, or anything it needs, that logs people in.
  for (const dep of context.identityGaps.get(node.id) ?? []) {
    const via = dep.id === node.id ? `${node.title} is an identity service` : `${node.title} depends on the identity service ${dep.title}`;
    add('identity-without-break-glass', 'critical', `${via}, and no break-glass procedure names ${dep.title}: without it, nobody can log in to recover.`);
  }

  const group = context.groupOf.get(node.id);
  if (group) {
    add('dependency-cycle', group.services.length > 1 ? 'high' : 'medium', cycleMessage(node, group));
  }

  const planned = context.finish.get(node.id);
  if (planned?.verdict === 'unknown' && node.rtoMinutes !== null) {
    // Honest planning (plan-verdicts.ts): a missing estimate is unknown, never "ready".
    const why = planned.ownEstimate ? 'something it waits for has no time estimate' : `no runbook of ${node.title} gives a time estimate`;
    add(
      'rto-unknown-on-paper',
      'medium',
      `${node.title} has an RTO of ${formatMinutes(node.rtoMinutes)}, but on paper nobody can say whether it is met: ${why}.`,
    );
  }
  if (planned && node.rtoMinutes !== null && planned.finish > node.rtoMinutes) {
    add(
      'rto-not-achievable',
      'high',
      `On paper ${node.title} is back after ${planned.lowerBound ? 'at least ' : ''}${formatMinutes(planned.finish)}, beyond its RTO of ${formatMinutes(node.rtoMinutes)}.`,
    );
  }

  const measured = context.measured.get(node.id) ?? [];
  if (node.rtoMinutes !== null) {
    const rto = node.rtoMinutes;
    if (!measured.some((m) => m.minutes !== null && m.minutes <= rto)) {
      add('rto-not-demonstrated', 'medium', `No exercise or incident has shown ${node.title} useful within its RTO of ${formatMinutes(rto)}.`);
    }
    const last = measured[measured.length - 1];
    if (last && (last.minutes === null || last.minutes > rto)) {
      add(
        'measured-slower-than-rto',
        'high',
        last.minutes === null
          ? `In the last session (${last.at.slice(0, 10)}) ${node.title} never passed its validation checks.`
          : `In the last session (${last.at.slice(0, 10)}) ${node.title} took ${formatMinutes(last.minutes)} to be useful, beyond its RTO of ${formatMinutes(rto)}.`,
      );
    }
  }
  return findings;
}

/** Names, at most eight, then how many more. */
function someNames(names: readonly string[]): string {
  return names.length <= 8 ? names.join(', ') : `${names.slice(0, 8).join(', ')} and ${names.length - 8} more`;
}

/**
 * Said on every member, so whoever opens any of them learns the group. The
 * hint names only the suggested breaks that are this service's own entries:
 * its record is where they can be dropped or marked soft.
 */
function cycleMessage(node: ServiceNode, group: RecoverGroup): string {
  const own = group.suggestedBreaks.filter((edge) => edge.from.id === node.id).map((edge) => edge.to.title);
  if (group.services.length === 1) {
    return `${node.title} depends on itself: remove that "depends on" entry, a service cannot wait for its own recovery.`;
  }
  const others = group.services.filter((s) => s.id !== node.id).map((s) => s.title);
  // "Soft": a dependency it can start without (lifeboat.dev/starts-without), docs/recovery.md.
  const hint = own.length === 0 ? '' : `; to order them, drop or mark soft its dependency on ${someNames(own)}`;
  return `${node.title} is in a dependency cycle with ${someNames(others)}: recovered together, no restore order exists between them${hint}.`;
}

/**
 * For each service, the identity services without a break-glass procedure
 * that it is or needs (itself first, then by title). Walked backwards from
 * each such service over "needed by" edges: O(gaps × (services +
 * dependencies)), where a closure per service was O(services²) on a graph
 * whose cycles make every closure large.
 */
function identityGaps(graph: ServiceGraphModel, procedures: readonly ProcedureInfo[]): Map<string, ServiceNode[]> {
  const out = new Map<string, ServiceNode[]>();
  const gaps = [...graph.services.values()].filter((node) => isIdentityService(node) && !breakGlassFor(node, procedures));
  if (gaps.length === 0) {
    return out;
  }
  const neededBy = new Map<string, string[]>();
  for (const node of graph.services.values()) {
    for (const dep of node.dependsOn) {
      (neededBy.get(dep) ?? neededBy.set(dep, []).get(dep))?.push(node.id);
    }
  }
  for (const gap of gaps) {
    const seen = new Set([gap.id]);
    const pending = [gap.id];
    while (pending.length > 0) {
      const id = pending.pop() as string;
      const list = out.get(id) ?? [];
      out.set(id, id === gap.id ? [gap, ...list] : [...list, gap]);
      for (const dependent of neededBy.get(id) ?? []) {
        if (!seen.has(dependent)) {
          seen.add(dependent);
          pending.push(dependent);
        }
      }
    }
  }
  return out;
}

interface Planned {
  finish: number;
  lowerBound: boolean;
  verdict: RtoVerdict;
  ownEstimate: boolean;
}

interface Context {
  identityGaps: Map<string, ServiceNode[]>;
  finish: Map<string, Planned>;
  groupOf: Map<string, RecoverGroup>;
  measured: Map<string, { at: string; minutes: number | null }[]>;
}

function worstOf(findings: readonly Finding[]): Severity | null {
  return SEVERITIES.find((severity) => findings.some((f) => f.severity === severity)) ?? null;
}

export function reviewReadiness(input: ReadinessInput): ReadinessReview {
  const vault: Finding[] = [];
  const plan = input.plan ?? computePlan(input.graph);
  const finish = new Map<string, Planned>();
  for (const wave of plan.waves) {
    for (const s of wave.services) {
      finish.set(s.id, { finish: s.finishMinute, lowerBound: s.lowerBound, verdict: s.verdict, ownEstimate: s.estimatedMinutes !== null });
    }
  }
  const groupOf = new Map(plan.groups.flatMap((group) => group.services.map((s) => [s.id, group] as const)));
  const context: Context = { identityGaps: identityGaps(input.graph, input.procedures), finish, groupOf, measured: measurements(input.sessions) };

  const services: ServiceReadiness[] = [...input.graph.services.values()].map((node) => {
    const findings = [...serviceFindings(node, input, context), ...(input.onCall?.services.get(node.id) ?? [])];
    const severityRank = (f: Finding): number => SEVERITIES.indexOf(f.severity);
    findings.sort((a, b) => severityRank(a) - severityRank(b));
    const weight = TIER_WEIGHT[node.tier ?? 2] ?? 1;
    const measured = context.measured.get(node.id) ?? [];
    return {
      id: node.id,
      title: node.title,
      tier: node.tier,
      owner: node.owner,
      rtoMinutes: node.rtoMinutes,
      score: Math.round(findings.reduce((sum, f) => sum + SEVERITY_POINTS[f.severity], 0) * weight),
      worst: worstOf(findings),
      findings,
      measuredMinutes: measured[measured.length - 1]?.minutes ?? null,
    };
  });
  services.sort((a, b) => b.score - a.score || (a.tier ?? 2) - (b.tier ?? 2) || a.title.localeCompare(b.title));

  for (const item of input.incidentRotations.filter((r) => r.rotatedAt === undefined)) {
    vault.push({
      rule: 'secret-not-rotated',
      severity: 'critical',
      message: `"${item.recordTitle}" was revealed during an incident (${item.lastRevealedAt.slice(0, 10)}, by ${item.revealedBy.join(', ')}) and has not been rotated since.`,
      recordId: item.recordId,
    });
  }
  const catalogStale = input.catalogStaleDays ?? DEFAULT_CATALOG_STALE_DAYS;
  if (input.lastSync === null) {
    if (input.usesCatalogs) {
      vault.push({ rule: 'catalog-stale', severity: 'high', message: 'Records came from a catalog, but no sync has been recorded.' });
    } else {
      vault.push({ rule: 'catalog-stale', severity: 'low', message: 'This vault has never synced a catalog: every runbook here is maintained by hand.' });
    }
  } else if (daysSince(input.lastSync.at, input.now) > catalogStale) {
    vault.push({
      rule: 'catalog-stale',
      severity: 'high',
      message: `The last catalog sync (${input.lastSync.catalogId}) was ${daysSince(input.lastSync.at, input.now)} days ago (limit ${catalogStale}): runbooks may be out of date.`,
    });
  }

  for (const binder of input.binders ?? []) {
    vault.push({
      rule: 'binder-changed',
      severity: 'medium',
      message: `The binder of ${binder.at.slice(0, 10)} (printed by ${binder.by}): ${binder.changed} changed since. Print it again and destroy the old one.`,
    });
  }

  vault.push(...(input.onCall?.vault ?? []));
  return { generatedAt: input.now.toISOString(), staleDays: input.staleDays ?? DEFAULT_STALE_DAYS, services, vault, paper: plan.paper };
}

function onCallRecords(records: readonly StoredRecord[]): OnCallRecords {
  const of = (type: string): OnCallRecord[] => records.filter((r) => r.type === type).map((r) => ({ id: r.id, title: r.title, data: r.data }));
  return { services: of('service'), escalations: of('escalation'), schedules: of('schedule'), contacts: of('contact') };
}

function procedureInfo(record: StoredRecord): ProcedureInfo {
  const tags = Array.isArray(record.data['tags']) ? record.data['tags'].map(String) : [];
  return { id: record.id, title: record.title, tags, body: typeof record.data['body'] === 'string' ? record.data['body'] : '' };
}

/** Gathers the review's inputs from an unlocked vault. */
export function vaultReadiness(
  session: VaultSession,
  graph: ServiceGraphModel,
  lastSync: { at: string; catalogId: string } | null,
  options: { staleDays?: number | undefined; now?: Date; plan?: RecoveryPlan } = {},
): ReadinessReview {
  session.require('records.read');
  const records = session
    .store()
    .all()
    .filter((r) => !r.deleted && r.data['archived'] !== true);
  const sessions = allSessions(session);
  const entries = eventsForEvidence(session);
  const incidentReveals = sessions.filter((s) => s.kind === 'incident' && s.status === 'ended').flatMap((s) => revealsDuring(entries, s));
  const review = reviewReadiness({
    graph,
    procedures: records.filter((r) => r.type === 'procedure').map(procedureInfo),
    sessions,
    incidentRotations: rotationChecklist(entries, incidentReveals),
    lastSync,
    usesCatalogs: records.some((r) => r.data['catalogRef'] !== undefined),
    now: options.now ?? new Date(),
    binders: binderDrift(entries, session.store()),
    onCall: onCallFindings(onCallRecords(records), options.now ?? new Date(), readSettings(session).onCallWarningDays),
    ...(options.staleDays === undefined ? {} : { staleDays: options.staleDays }),
    ...(options.plan === undefined ? {} : { plan: options.plan }),
  });
  // Expiry and rotation of secrets (secret-expiry.ts, issue 21): vault-wide findings, after the incident ones.
  review.vault.push(...secretExpiryFindings(secretDatesOf(records), entries, options.now ?? new Date(), readExpiryWarningDays(session)));
  return review;
}
