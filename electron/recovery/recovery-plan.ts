/**
 * The recovery plan: waves, recover-together groups, the critical path and
 * the RTOs that cannot be met on paper. It always comes out: dependency
 * cycles are condensed, never refused (issue #18).
 *
 * - Groups (dependency-groups.ts): services that depend on each other, over
 *   the dependencies the plan orders by (soft ones, which a service can
 *   start without, are shown but not ordered by), form one unit.
 * - Waves (layering of the condensed graph): wave 0 holds the units that
 *   depend on nothing in scope; wave n the ones whose dependencies are all in
 *   earlier waves. A group's members share its wave. Units in one wave can
 *   be recovered in parallel.
 * - Earliest finish with unlimited hands: finish(s) = estimate(s) + the latest
 *   finish among its dependencies. A group starts when everything its members
 *   need from outside is back, recovers its members in parallel and then
 *   takes its declared group time: finish = start + the longest member
 *   estimate + group time, for every member. A service without an estimate
 *   counts as 0 minutes and marks every finish that depends on it as a lower
 *   bound; its RTO verdict is then unknown unless already late
 *   (plan-verdicts.ts: missing data is never shown as achievable).
 * - A breach: finish(s) > RTO(s). "Not achievable on paper" means that even
 *   if every runbook runs exactly as estimated, the RTO is already missed.
 *   Being in a group is not a breach.
 */
import { LifeboatError } from '../../shared/errors.js';
import type { DependencyEdge, MissingDependency, PlanService, RecoverGroup, RecoveryPlan, ServiceRef } from '../../shared/recovery.js';
import { condense, type Condensation, type GroupAnalysis } from './dependency-groups.js';
import { paperSummary, rtoVerdict } from './plan-verdicts.js';
import { dependencyClosure, hardDependencies, serviceEstimate, type ServiceGraphModel } from './service-graph.js';

/** Every ref, in scope, that points at no service. */
export function missingDependencies(graph: ServiceGraphModel, scope?: ReadonlySet<string>): MissingDependency[] {
  const out: MissingDependency[] = [];
  for (const node of graph.services.values()) {
    if (scope === undefined || scope.has(node.id)) {
      out.push(...node.missing.map((ref) => ({ serviceId: node.id, serviceTitle: node.title, ref })));
    }
  }
  return out;
}

/**
 * Resolves what a person typed (ids, titles or entity refs) to service ids.
 * An unknown name is an error that names it.
 */
export function resolveServiceNames(graph: ServiceGraphModel, names: readonly string[]): string[] {
  const ids: string[] = [];
  for (const name of names) {
    const id = graph.services.has(name) ? name : graph.resolve(name);
    if (id === null) {
      throw new LifeboatError('VAULT_NOT_FOUND', `No service "${name}" in this vault (or more than one has that name: use its id).`);
    }
    if (!ids.includes(id)) {
      ids.push(id);
    }
  }
  return ids;
}

/** The plan for `selected` services and everything they need (every service when empty). */
export function computePlan(graph: ServiceGraphModel, selected: readonly string[] = []): RecoveryPlan {
  for (const id of selected) {
    if (!graph.services.has(id)) {
      throw new LifeboatError('VAULT_NOT_FOUND', `No service with id ${id} in this vault.`);
    }
  }
  const scope = selected.length === 0 ? new Set(graph.services.keys()) : dependencyClosure(graph, selected);
  const condensation = condense(graph, scope);
  const timings = timeComponents(graph, condensation);
  const groupIndex = numberGroups(condensation, timings);
  const refOf = (id: string): ServiceRef => serviceRef(graph, id);

  const waves: RecoveryPlan['waves'] = [];
  // Within a wave by title, a group's members together at its first member's place.
  const units = condensation.components.map((members, c) => ({ members, c, lead: condensation.position.get(members[0] ?? '') ?? 0 }));
  units.sort((a, b) => (timings[a.c]?.wave ?? 0) - (timings[b.c]?.wave ?? 0) || a.lead - b.lead);
  for (const { members, c } of units) {
    const timing = timings[c] as ComponentTiming;
    const wave = (waves[timing.wave] ??= { index: timing.wave, services: [] });
    wave.services.push(...members.map((id) => planService(graph, id, timing, groupIndex.get(c) ?? null)));
  }
  const all = waves.flatMap((wave) => wave.services);
  const longest = all.reduce<PlanService | null>((best, s) => (best === null || s.finishMinute > best.finishMinute ? s : best), null);
  return {
    scope: [...selected],
    waves,
    groups: [...groupIndex].map(([c, index]) => groupOf(graph, condensation.groups.get(c) as GroupAnalysis, timings[c] as ComponentTiming, index)),
    softDependencies: softEdges(graph, scope),
    criticalPath: {
      minutes: longest?.finishMinute ?? 0,
      lowerBound: longest?.lowerBound ?? false,
      services: (longest?.criticalPath ?? []).map((id) => {
        const node = graph.services.get(id);
        const c = condensation.componentOf.get(id);
        return { ...refOf(id), estimatedMinutes: node ? serviceEstimate(node) : null, group: c === undefined ? null : (groupIndex.get(c) ?? null) };
      }),
    },
    breaches: all.filter((s) => s.breach).sort((a, b) => b.finishMinute - (b.rtoMinutes ?? 0) - (a.finishMinute - (a.rtoMinutes ?? 0))),
    missing: missingDependencies(graph, scope),
    unestimated: all.filter((s) => s.estimatedMinutes === null).map(({ id }) => refOf(id)),
    paper: paperSummary(all, longest?.finishMinute ?? 0),
  };
}

interface ComponentTiming {
  wave: number;
  startMinute: number;
  finishMinute: number;
  lowerBound: boolean;
  /** Ids, dependency first: the chain that decides the finish. */
  path: string[];
  /** The longest member estimate, and the group's declared time (0 for a lone service). */
  estimate: number | null;
  groupMinutes: number;
}

/**
 * Wave, start and finish of every component, in the condensation's order
 * (each after all it needs), so one pass is enough: O(services + dependencies).
 */
function timeComponents(graph: ServiceGraphModel, condensation: Condensation): ComponentTiming[] {
  const timings: ComponentTiming[] = [];
  condensation.components.forEach((members, c) => {
    let gate: ComponentTiming | undefined;
    let wave = 0;
    let waitsOnLowerBound = false;
    for (const id of members) {
      const node = graph.services.get(id);
      for (const dep of node ? hardDependencies(node) : []) {
        const d = condensation.componentOf.get(dep);
        const before = d === undefined || d === c ? undefined : timings[d];
        if (before) {
          wave = Math.max(wave, before.wave + 1);
          waitsOnLowerBound ||= before.lowerBound;
          if (gate === undefined || before.finishMinute > gate.finishMinute) {
            gate = before;
          }
        }
      }
    }
    const estimates = members.map((id) => {
      const node = graph.services.get(id);
      return node ? serviceEstimate(node) : null;
    });
    // The member that takes longest decides the group's time (the first by title on a tie).
    let slowest = 0;
    estimates.forEach((m, i) => {
      if (m !== null && m > (estimates[slowest] ?? -1)) {
        slowest = i;
      }
    });
    const estimate = estimates[slowest] ?? null;
    const groupMinutes = condensation.groups.has(c) ? Math.max(0, ...members.map((id) => graph.services.get(id)?.groupMinutes ?? 0)) : 0;
    const startMinute = gate?.finishMinute ?? 0;
    timings[c] = {
      wave,
      startMinute,
      finishMinute: startMinute + (estimate ?? 0) + groupMinutes,
      lowerBound: waitsOnLowerBound || estimates.some((m) => m === null),
      path: [...(gate?.path ?? []), members[slowest] as string],
      estimate,
      groupMinutes,
    };
  });
  return timings;
}

/** Group numbers, by wave then first member's title: component index → group index. */
function numberGroups(condensation: Condensation, timings: readonly ComponentTiming[]): Map<number, number> {
  const lead = (c: number): number => condensation.position.get(condensation.groups.get(c)?.members[0] ?? '') ?? 0;
  const order = [...condensation.groups.keys()].sort((a, b) => (timings[a]?.wave ?? 0) - (timings[b]?.wave ?? 0) || lead(a) - lead(b));
  return new Map(order.map((c, index) => [c, index]));
}

function serviceRef(graph: ServiceGraphModel, id: string): ServiceRef {
  const node = graph.services.get(id);
  return { id, title: node?.title ?? id, ref: node?.ref ?? null };
}

function edgeOf(graph: ServiceGraphModel, from: string, to: string, soft: boolean): DependencyEdge {
  return { from: serviceRef(graph, from), to: serviceRef(graph, to), soft };
}

function groupOf(graph: ServiceGraphModel, group: GroupAnalysis, timing: ComponentTiming, index: number): RecoverGroup {
  return {
    index,
    wave: timing.wave,
    services: group.members.map((id) => serviceRef(graph, id)),
    edges: group.edges.map((e) => edgeOf(graph, e.from, e.to, e.soft)),
    cycles: group.cycles.map((cycle) => cycle.map((id) => serviceRef(graph, id))),
    cycleCount: group.cycleCount,
    cycleCountComplete: group.cycleCountComplete,
    suggestedBreaks: group.breaks.map((e) => edgeOf(graph, e.from, e.to, false)),
    suggestedBreaksExact: group.breaksExact,
    estimatedMinutes: timing.estimate,
    groupMinutes: timing.groupMinutes,
    startMinute: timing.startMinute,
    finishMinute: timing.finishMinute,
    lowerBound: timing.lowerBound,
  };
}

/** Soft dependencies of the services in scope, in title order. */
function softEdges(graph: ServiceGraphModel, scope: ReadonlySet<string>): DependencyEdge[] {
  const out: DependencyEdge[] = [];
  for (const node of graph.services.values()) {
    if (scope.has(node.id)) {
      out.push(...node.softDependsOn.map((to) => edgeOf(graph, node.id, to, true)));
    }
  }
  return out;
}

function planService(graph: ServiceGraphModel, id: string, timing: ComponentTiming, group: number | null): PlanService {
  const node = graph.services.get(id);
  if (!node) {
    throw new LifeboatError('INTERNAL', `Service ${id} vanished while planning.`);
  }
  const estimate = serviceEstimate(node);
  // Fields written out rather than spread from serviceRef: spreading here made the plan five times slower at 5,000 services.
  return {
    id,
    title: node.title,
    ref: node.ref,
    wave: timing.wave,
    estimatedMinutes: estimate,
    startMinute: timing.startMinute,
    finishMinute: timing.finishMinute,
    rtoMinutes: node.rtoMinutes,
    breach: node.rtoMinutes !== null && timing.finishMinute > node.rtoMinutes,
    verdict: rtoVerdict(node.rtoMinutes, timing.finishMinute, timing.lowerBound),
    criticalPath: timing.path,
    lowerBound: timing.lowerBound,
    group,
  };
}
