/**
 * The structure the drawing follows: recovery waves (the engine's layering,
 * recomputed here because the graph is drawn even when a cycle stops the
 * plan), the bands they make, and the edges to draw.
 */
import dagre from '@dagrejs/dagre';
import type { ServiceGraph } from '../../../../shared/recovery';

export type GraphNode = ServiceGraph['nodes'][number];

export interface Group {
  label: string;
  keys: string[];
}

export interface PlannedEdge {
  key: string;
  /** Drawn from the dependency (recovered first)… */
  dependency: string;
  /** …to the service that needs it, where the arrowhead is. */
  dependent: string;
  missing: boolean;
  /** Both ends in one dependency cycle, so in the same wave: drawn as an arc, not routed. */
  cyclic: boolean;
}

export function missingKey(ref: string): string {
  return `missing:${ref.trim().toLowerCase()}`;
}

/**
 * Wave 0 depends on nothing, wave n only on earlier waves, as the engine
 * plans them. Services caught in a dependency cycle have no wave of their
 * own: each strongly connected component counts as one service.
 */
export function serviceWaves(graph: ServiceGraph): Map<string, number> {
  // Plain ids, no labels: only the shape matters to Tarjan's components.
  const g = new dagre.graphlib.Graph<string, string, string>();
  for (const node of graph.nodes) {
    g.setNode(node.id);
  }
  for (const edge of graph.edges) {
    if (g.hasNode(edge.to)) {
      g.setEdge(edge.from, edge.to);
    }
  }
  const components = dagre.graphlib.alg.tarjan(g);
  const componentOf = new Map(components.flatMap((ids, index) => ids.map((id) => [id, index] as const)));
  const needs = components.map(() => new Set<number>());
  for (const edge of graph.edges) {
    const from = componentOf.get(edge.from);
    const to = componentOf.get(edge.to);
    if (from !== undefined && to !== undefined && from !== to) {
      needs[from]?.add(to);
    }
  }
  const waveOf = new Map<number, number>();
  let remaining = components.map((_, index) => index);
  for (let wave = 0; remaining.length > 0; wave += 1) {
    const ready = remaining.filter((c) => [...(needs[c] ?? [])].every((dep) => waveOf.has(dep)));
    for (const c of ready) {
      waveOf.set(c, wave);
    }
    remaining = remaining.filter((c) => !waveOf.has(c));
  }
  return new Map(graph.nodes.map((n) => [n.id, waveOf.get(componentOf.get(n.id) ?? -1) ?? 0]));
}

/** Bands of boxes, top to bottom: dependencies missing from the vault, then each wave. */
export function waveGroups(graph: ServiceGraph, waves: ReadonlyMap<string, number>): Group[] {
  const byWave: string[][] = [];
  for (const node of [...graph.nodes].sort((a, b) => a.title.localeCompare(b.title))) {
    (byWave[waves.get(node.id) ?? 0] ??= []).push(node.id);
  }
  const missing = [...new Set(graph.missing.map((m) => missingKey(m.ref)))].sort();
  return [...(missing.length > 0 ? [{ label: 'Not in vault', keys: missing }] : []), ...byWave.map((keys, index) => ({ label: `Wave ${index + 1}`, keys }))];
}

export function plannedEdges(graph: ServiceGraph, waves: ReadonlyMap<string, number>): PlannedEdge[] {
  return [
    ...graph.edges.map((e) => ({
      key: `${e.to}>${e.from}`,
      dependency: e.to,
      dependent: e.from,
      missing: false,
      cyclic: waves.get(e.to) === waves.get(e.from),
    })),
    ...graph.missing.map((m) => ({
      key: `${missingKey(m.ref)}>${m.serviceId}`,
      dependency: missingKey(m.ref),
      dependent: m.serviceId,
      missing: true,
      cyclic: false,
    })),
  ];
}
