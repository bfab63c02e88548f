/**
 * Recover-together groups (issue #18): the services in scope condensed into
 * strongly connected components over the dependencies the plan orders by
 * (soft ones left out). A component that closes a loop — several services,
 * or one that depends on itself — is a group: no restore order exists inside
 * it, so its members are brought up together. Every other component is a
 * service on its own.
 *
 * For each group: its elementary cycles (the first CYCLES_SHOWN, then a
 * count that stops at CYCLE_COUNT_LIMIT or CYCLE_STEP_LIMIT search steps, as
 * a dense group has exponentially many) and the fewest dependencies whose
 * removal would order it (dependency-cycles.ts, feedback-arcs.ts).
 */
import { elementaryCycles, isCyclic, stronglyConnected } from './dependency-cycles.js';
import { feedbackArcSet } from './feedback-arcs.js';
import { hardDependencies, type ServiceGraphModel } from './service-graph.js';

export const CYCLES_SHOWN = 20;
export const CYCLE_COUNT_LIMIT = 1000;
export const CYCLE_STEP_LIMIT = 100_000;

export interface GroupEdge {
  /** `from` depends on `to`. */
  from: string;
  to: string;
  soft: boolean;
}

export interface GroupAnalysis {
  /** Ids, by title. */
  members: string[];
  /** Every dependency between members, soft ones included. */
  edges: GroupEdge[];
  /** Ids, the first repeated at the end, shortest first. */
  cycles: string[][];
  cycleCount: number;
  cycleCountComplete: boolean;
  breaks: { from: string; to: string }[];
  breaksExact: boolean;
}

export interface Condensation {
  /** Components (ids by title), each listed after every component it needs. */
  components: string[][];
  componentOf: Map<string, number>;
  /** Each service's place in title order (the graph's order), to sort without comparing text. */
  position: Map<string, number>;
  /** The analysis of each component that closes a loop, by component index. */
  groups: Map<number, GroupAnalysis>;
}

/** Condenses the services of `scope` (which must hold every dependency of its members). */
export function condense(graph: ServiceGraphModel, scope: ReadonlySet<string>): Condensation {
  // The graph's services are in title order, so components and cycles read alphabetically.
  const ids = [...graph.services.keys()].filter((id) => scope.has(id));
  const indexOf = new Map(ids.map((id, i) => [id, i]));
  const adj = ids.map((id) => {
    const node = graph.services.get(id);
    return (node ? hardDependencies(node) : []).map((dep) => indexOf.get(dep)).filter((i): i is number => i !== undefined);
  });
  const found = stronglyConnected(adj);
  const components = found.map((component) => component.map((i) => ids[i] as string));
  const componentOf = new Map(components.flatMap((members, c) => members.map((id) => [id, c] as const)));
  const groups = new Map<number, GroupAnalysis>();
  found.forEach((component, c) => {
    if (isCyclic(adj, component)) {
      groups.set(c, analyseGroup(graph, components[c] ?? []));
    }
  });
  return { components, componentOf, position: indexOf, groups };
}

function analyseGroup(graph: ServiceGraphModel, members: readonly string[]): GroupAnalysis {
  const local = new Map(members.map((id, i) => [id, i]));
  const edges: GroupEdge[] = [];
  const adj = members.map((id) => {
    const node = graph.services.get(id);
    const soft = new Set(node?.softDependsOn ?? []);
    const out: number[] = [];
    for (const dep of node?.dependsOn ?? []) {
      const j = local.get(dep);
      if (j !== undefined) {
        edges.push({ from: id, to: dep, soft: soft.has(dep) });
        if (!soft.has(dep)) {
          out.push(j);
        }
      }
    }
    return out;
  });
  const search = elementaryCycles(adj, { keep: CYCLES_SHOWN, countLimit: CYCLE_COUNT_LIMIT, stepLimit: CYCLE_STEP_LIMIT });
  const fas = feedbackArcSet(adj);
  const idAt = (i: number): string => members[i] as string;
  return {
    members: [...members],
    edges,
    cycles: search.cycles.map((cycle) => cycle.map(idAt)).sort((a, b) => a.length - b.length),
    cycleCount: search.count,
    cycleCountComplete: search.complete,
    breaks: fas.edges.map(([u, v]) => ({ from: idAt(u), to: idAt(v) })),
    breaksExact: fas.exact,
  };
}
