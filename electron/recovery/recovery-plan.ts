/**
 * The recovery plan: waves, the critical path and the RTOs that cannot be
 * met on paper.
 *
 * - Waves (Kahn's layering): wave 0 holds the services that depend on nothing
 *   in scope; wave n the ones whose dependencies are all in earlier waves.
 *   Services in one wave can be recovered in parallel.
 * - Earliest finish with unlimited hands: finish(s) = estimate(s) + the latest
 *   finish among its dependencies. A service without an estimate counts as 0
 *   minutes and marks every finish that depends on it as a lower bound.
 * - A breach: finish(s) > RTO(s). "Not achievable on paper" means that even
 *   if every runbook runs exactly as estimated, the RTO is already missed.
 * A cycle makes waves meaningless, so the plan refuses it and names it.
 */
import { LifeboatError } from '../../shared/errors.js';
import type { MissingDependency, PlanService, RecoveryPlan } from '../../shared/recovery.js';
import { dependencyClosure, serviceEstimate, type ServiceGraphModel } from './service-graph.js';

/** A dependency cycle among `scope` (ids, the first repeated at the end), or null. */
export function findCycle(graph: ServiceGraphModel, scope?: ReadonlySet<string>): string[] | null {
  const inScope = (id: string): boolean => scope === undefined || scope.has(id);
  const state = new Map<string, 'active' | 'done'>();
  const path: string[] = [];
  // Iterative depth-first search: a deep chain of services must not overflow the stack.
  for (const start of [...graph.services.keys()].filter(inScope)) {
    if (state.has(start)) {
      continue;
    }
    const stack: { id: string; next: number }[] = [{ id: start, next: 0 }];
    state.set(start, 'active');
    path.push(start);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as { id: string; next: number };
      const deps = (graph.services.get(frame.id)?.dependsOn ?? []).filter(inScope);
      if (frame.next >= deps.length) {
        state.set(frame.id, 'done');
        stack.pop();
        path.pop();
        continue;
      }
      const dep = deps[frame.next] as string;
      frame.next += 1;
      const seen = state.get(dep);
      if (seen === 'active') {
        return [...path.slice(path.indexOf(dep)), dep];
      }
      if (seen === undefined) {
        state.set(dep, 'active');
        path.push(dep);
        stack.push({ id: dep, next: 0 });
      }
    }
  }
  return null;
}

export function cycleError(graph: ServiceGraphModel, cycle: readonly string[]): LifeboatError {
  const names = cycle.map((id) => graph.services.get(id)?.title ?? id);
  return new LifeboatError(
    'PLAN_CYCLE',
    `These services depend on each other in a cycle: ${names.join(' → ')}. Remove one of those "depends on" entries so recovery has a place to start.`,
  );
}

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
  const cycle = findCycle(graph, scope);
  if (cycle) {
    throw cycleError(graph, cycle);
  }

  // Kahn's algorithm by layers, O(services + dependencies): a service joins
  // the wave after the one in which its last dependency was planned.
  const pending = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const id of scope) {
    const deps = graph.services.get(id)?.dependsOn ?? [];
    pending.set(id, deps.length);
    for (const dep of deps) {
      dependents.set(dep, [...(dependents.get(dep) ?? []), id]);
    }
  }
  const planned = new Map<string, PlanService>();
  const waves: RecoveryPlan['waves'] = [];
  let ready = [...scope].filter((id) => pending.get(id) === 0);
  while (ready.length > 0) {
    const index = waves.length;
    const services = ready.map((id) => planService(graph, id, index, planned));
    services.sort((a, b) => a.title.localeCompare(b.title));
    const next: string[] = [];
    for (const service of services) {
      planned.set(service.id, service);
      for (const dependent of dependents.get(service.id) ?? []) {
        const left = (pending.get(dependent) ?? 0) - 1;
        pending.set(dependent, left);
        if (left === 0) {
          next.push(dependent);
        }
      }
    }
    waves.push({ index, services });
    ready = next;
  }

  const all = [...planned.values()];
  const longest = all.reduce<PlanService | null>((best, s) => (best === null || s.finishMinute > best.finishMinute ? s : best), null);
  return {
    scope: [...selected],
    waves,
    criticalPath: {
      minutes: longest?.finishMinute ?? 0,
      lowerBound: longest?.lowerBound ?? false,
      services: (longest?.criticalPath ?? []).map((id) => {
        const node = graph.services.get(id);
        return { id, title: node?.title ?? id, estimatedMinutes: node ? serviceEstimate(node) : null };
      }),
    },
    breaches: all.filter((s) => s.breach).sort((a, b) => b.finishMinute - (b.rtoMinutes ?? 0) - (a.finishMinute - (a.rtoMinutes ?? 0))),
    missing: missingDependencies(graph, scope),
    unestimated: all.filter((s) => s.estimatedMinutes === null).map(({ id, title }) => ({ id, title })),
  };
}

function planService(graph: ServiceGraphModel, id: string, wave: number, planned: ReadonlyMap<string, PlanService>): PlanService {
  const node = graph.services.get(id);
  if (!node) {
    throw new LifeboatError('INTERNAL', `Service ${id} vanished while planning.`);
  }
  const estimate = serviceEstimate(node);
  let gate: PlanService | null = null;
  for (const dep of node.dependsOn) {
    const before = planned.get(dep);
    if (before && (gate === null || before.finishMinute > gate.finishMinute)) {
      gate = before;
    }
  }
  const startMinute = gate?.finishMinute ?? 0;
  const finishMinute = startMinute + (estimate ?? 0);
  const lowerBound = estimate === null || node.dependsOn.some((dep) => planned.get(dep)?.lowerBound === true);
  return {
    id,
    title: node.title,
    wave,
    estimatedMinutes: estimate,
    startMinute,
    finishMinute,
    rtoMinutes: node.rtoMinutes,
    breach: node.rtoMinutes !== null && finishMinute > node.rtoMinutes,
    criticalPath: [...(gate?.criticalPath ?? []), id],
    lowerBound,
  };
}
