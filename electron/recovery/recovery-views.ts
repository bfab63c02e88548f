/**
 * What the app and the CLI ask of an unlocked vault: the graph (coloured by
 * readiness), the plan for some services, and the readiness review. Each
 * builds the graph afresh from the records, so a local edit or a sync shows
 * at once; at 5,000 services that is a few milliseconds of work.
 */
import type { ReadinessReview, RecoveryPlan, ServiceGraph } from '../../shared/recovery.js';
import { lastSync } from '../catalog/catalog-trust.js';
import type { VaultSession } from '../vault/vault-session.js';
import { readSettings } from '../vault/vault-settings.js';
import { vaultReadiness } from './readiness-review.js';
import { computePlan, missingDependencies, resolveServiceNames } from './recovery-plan.js';
import { vaultGraph } from './recovery-sessions.js';
import { primaryRunbook } from './service-graph.js';

function syncState(session: VaultSession): { at: string; catalogId: string } | null {
  const last = lastSync(session);
  return last ? { at: last.at, catalogId: last.catalogId } : null;
}

/** The review; runbooks are stale after the vault's review interval unless `staleDays` says otherwise. */
export function readinessOf(session: VaultSession, options: { staleDays?: number | undefined; now?: Date } = {}): ReadinessReview {
  const staleDays = options.staleDays ?? readSettings(session).reviewDays;
  return vaultReadiness(session, vaultGraph(session), syncState(session), { ...options, staleDays });
}

/** `services` may be ids, titles or entity refs; empty means every service. */
export function planOf(session: VaultSession, services: readonly string[] = []): RecoveryPlan {
  const graph = vaultGraph(session);
  return computePlan(graph, resolveServiceNames(graph, services));
}

/** The graph of every service, coloured by readiness, with its plan's waves and recover-together groups. */
export function graphOf(session: VaultSession): ServiceGraph {
  const graph = vaultGraph(session);
  const plan = computePlan(graph);
  const review = vaultReadiness(session, graph, syncState(session), { staleDays: readSettings(session).reviewDays, plan });
  const byId = new Map(review.services.map((s) => [s.id, s]));
  const planned = new Map(plan.waves.flatMap((wave) => wave.services).map((s) => [s.id, s]));
  return {
    nodes: [...graph.services.values()].map((node) => {
      const readiness = byId.get(node.id);
      return {
        id: node.id,
        title: node.title,
        ref: node.ref,
        tier: node.tier,
        rtoMinutes: node.rtoMinutes,
        worst: readiness?.worst ?? null,
        findings: readiness?.findings.length ?? 0,
        runbookId: primaryRunbook(node)?.id ?? null,
        wave: planned.get(node.id)?.wave ?? 0,
        group: planned.get(node.id)?.group ?? null,
      };
    }),
    edges: [...graph.services.values()].flatMap((node) => node.dependsOn.map((to) => ({ from: node.id, to, soft: node.softDependsOn.includes(to) }))),
    missing: missingDependencies(graph),
    groups: plan.groups.map((group) => ({
      index: group.index,
      wave: group.wave,
      services: group.services.map((s) => s.id),
      cycles: group.cycles.map((cycle) => cycle.map((s) => s.id)),
      cycleCount: group.cycleCount,
      cycleCountComplete: group.cycleCountComplete,
      suggestedBreaks: group.suggestedBreaks.map((edge) => ({ from: edge.from.id, to: edge.to.id })),
      suggestedBreaksExact: group.suggestedBreaksExact,
    })),
  };
}
