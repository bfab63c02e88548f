/**
 * Where each box and arrow of the dependency graph goes, computed by dagre.
 *
 * Recovery reads top to bottom: each recovery wave is a band (DependencyWaves.ts),
 * with dependencies missing from the vault in a band above them all. dagre
 * ranks the bands, orders each one to cross as few edges as it can, places the
 * boxes and routes the edges around them. A wave wider than the panel wraps
 * onto several rows instead, so a vault of a hundred services grows downwards
 * (where the panel scrolls) rather than into a strip too wide to read; the
 * rows then keep dagre's order but are packed under the services they depend
 * on (DependencyPacking.ts), with edges drawn straight from box to box.
 */
import dagre, { type EdgeLabel, type graphlib, type NodeLabel } from '@dagrejs/dagre';
import type { ServiceGraph } from '../../../../shared/recovery';
import { PACK, packRows } from './DependencyPacking';
import { missingKey, plannedEdges, serviceWaves, waveGroups, type GraphNode, type Group, type PlannedEdge } from './DependencyWaves';

export const NODE_WIDTH = PACK.width;
export const NODE_HEIGHT = PACK.height;
/** Room on the left for the band labels ("Wave 1"). */
export const GUTTER = 92;
const NODE_SEP = PACK.gap;
const RANK_SEP = 52;
const MARGIN = PACK.margin;
const BAND_PAD = 10;
/** dagre's ordering grows faster than linearly (a second at a thousand services): past this, waves are ordered by title. */
const DAGRE_LIMIT = 600;

export interface Point {
  x: number;
  y: number;
}

export interface LaidNode {
  key: string;
  /** Top-left corner. */
  x: number;
  y: number;
  /** The service, or null for a dependency the vault does not have. */
  service: GraphNode | null;
  /** The reference as written, for a missing dependency. */
  ref: string | null;
}

export interface LaidEdge extends Omit<PlannedEdge, 'cyclic'> {
  /** Drawn straight from box to box (an S-curve, or an arc within a row) rather than along dagre's route. */
  direct: boolean;
  points: Point[];
}

export interface Band {
  label: string;
  top: number;
  height: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  /** Top to bottom, then left to right: the order keyboard focus follows. */
  nodes: LaidNode[];
  edges: LaidEdge[];
  bands: Band[];
  /** Packed rather than placed by dagre (see layoutGraph): lines cross boxes, so they are drawn faint. */
  dense: boolean;
}

type LayoutGraph = graphlib.Graph<Record<string, unknown>, NodeLabel, EdgeLabel>;

/** The part of the layout that does not depend on the panel's width, computed once per graph. */
export interface OrderedGraph {
  graph: ServiceGraph;
  groups: Group[];
  edges: PlannedEdge[];
  /** dagre's drawing with one row per band, or null for a vault too large to wait for. */
  dagre: LayoutGraph | null;
}

/** How many boxes fit side by side in `width` pixels (at least 2). */
export function boxesPerRow(width: number): number {
  return Math.max(2, Math.floor((width - GUTTER - 2 * MARGIN + NODE_SEP) / (NODE_WIDTH + NODE_SEP)));
}

/**
 * dagre with `ranker: 'none'` keeps the ranks it is given; it doubles every
 * edge's minimum length internally (room for edge labels), so bands are two
 * ranks apart. Edges inside a cycle stay out: they would point sideways.
 */
function runDagre(groups: readonly Group[], edges: readonly PlannedEdge[]): LayoutGraph {
  const g: LayoutGraph = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: NODE_SEP, ranksep: RANK_SEP, edgesep: 14, marginx: MARGIN, marginy: MARGIN, ranker: 'none' });
  g.setDefaultEdgeLabel(() => ({}));
  groups.forEach((group, index) => {
    for (const key of group.keys) {
      g.setNode(key, { width: NODE_WIDTH, height: NODE_HEIGHT, rank: index * 2 });
    }
  });
  for (const edge of edges.filter((e) => !e.cyclic)) {
    g.setEdge(edge.dependency, edge.dependent);
  }
  dagre.layout(g);
  return g;
}

export function orderGraph(graph: ServiceGraph): OrderedGraph {
  const waves = serviceWaves(graph);
  const groups = waveGroups(graph, waves);
  const edges = plannedEdges(graph, waves);
  return { graph, groups, edges, dagre: graph.nodes.length > DAGRE_LIMIT ? null : runDagre(groups, edges) };
}

/**
 * From the bottom of a dependency to the top of the service that needs it.
 * Within a row (a cycle) it runs bottom to bottom, leaving a little left of
 * centre and arriving a little right of it, so arcs in both directions part.
 */
function directLine(from: LaidNode | undefined, to: LaidNode | undefined): Point[] {
  if (!from || !to) {
    return [];
  }
  const bottom = from.y + NODE_HEIGHT;
  if (to.y > from.y) {
    return [
      { x: from.x + NODE_WIDTH / 2, y: bottom },
      { x: to.x + NODE_WIDTH / 2, y: to.y },
    ];
  }
  const offset = from === to ? NODE_WIDTH / 5 : 14;
  return [
    { x: from.x + NODE_WIDTH / 2 - offset, y: bottom },
    { x: to.x + NODE_WIDTH / 2 + offset, y: to.y + NODE_HEIGHT },
  ];
}

/** Sorts the boxes into reading order and measures the bands: one per group, around its boxes. */
function finish(groupsInOrder: readonly Group[], nodes: LaidNode[], edges: LaidEdge[], size: { width: number; height: number }, dense: boolean): GraphLayout {
  nodes.sort((a, b) => a.y - b.y || a.x - b.x);
  const top = new Map(nodes.map((n) => [n.key, n.y]));
  const bands = groupsInOrder.map((group) => {
    const ys = group.keys.map((key) => top.get(key) ?? 0);
    const start = Math.min(...ys) - BAND_PAD;
    return { label: group.label, top: start, height: Math.max(...ys) + NODE_HEIGHT + BAND_PAD - start };
  });
  return { width: Math.ceil(size.width), height: Math.ceil(size.height), nodes, edges, bands, dense };
}

/** Each band's boxes in dagre's order, cut into rows of `perRow`: the row index of every box. */
function wrapRows(groups: readonly Group[], orderOf: (key: string) => number, perRow: number): Map<string, number> {
  const rowOf = new Map<string, number>();
  let row = 0;
  for (const group of groups) {
    const keys = [...group.keys].sort((a, b) => orderOf(a) - orderOf(b));
    for (let start = 0; start < keys.length; start += perRow) {
      for (const key of keys.slice(start, start + perRow)) {
        rowOf.set(key, row);
      }
      row += 1;
    }
  }
  return rowOf;
}

/** Lays the ordered graph out for rows of at most `perRow` boxes (see the top of this file). */
export function layoutGraph(ordered: OrderedGraph, perRow: number): GraphLayout {
  const { graph, groups, edges: planned, dagre: g } = ordered;
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const refs = new Map(graph.missing.map((m) => [missingKey(m.ref), m.ref]));
  const laid = (key: string, x: number, y: number): LaidNode => ({ key, x, y, service: byId.get(key) ?? null, ref: refs.get(key) ?? null });
  // As wide as `perRow` boxes: what boxesPerRow promised the panel has room for.
  const rowsWidth = perRow * (NODE_WIDTH + NODE_SEP) - NODE_SEP + 2 * MARGIN;
  const routed = g !== null && groups.every((group) => group.keys.length <= perRow) && Number(g.graph()['width'] ?? 0) <= rowsWidth + 1;

  let nodes: LaidNode[];
  let size: { width: number; height: number };
  if (routed) {
    nodes = g.nodes().map((key) => {
      const label = g.node(key);
      return laid(key, (label.x ?? 0) - NODE_WIDTH / 2 + GUTTER, (label.y ?? 0) - NODE_HEIGHT / 2);
    });
    // Arcs under the last row need room too.
    size = { width: Number(g.graph()['width'] ?? 0) + GUTTER, height: Number(g.graph()['height'] ?? 0) + (planned.some((e) => e.cyclic) ? 40 : 0) };
  } else {
    const position = new Map(groups.flatMap((group) => group.keys.map((key, i) => [key, i] as const)));
    const orderOf = g ? (key: string) => g.node(key).x ?? 0 : (key: string) => position.get(key) ?? 0;
    const packed = packRows(orderOf, groups, wrapRows(groups, orderOf, perRow), planned, perRow);
    nodes = [...packed.x.keys()].map((key) => laid(key, (packed.x.get(key) ?? 0) + GUTTER, packed.y.get(key) ?? 0));
    size = { width: packed.width + GUTTER, height: packed.height };
  }
  const at = new Map(nodes.map((n) => [n.key, n]));
  const edges = planned.map(({ cyclic, ...edge }) => {
    const direct = !routed || cyclic;
    const points = direct
      ? directLine(at.get(edge.dependency), at.get(edge.dependent))
      : (g.edge(edge.dependency, edge.dependent).points ?? []).map((p) => ({ x: p.x + GUTTER, y: p.y }));
    return { ...edge, direct, points };
  });
  return finish(groups, nodes, edges, size, !routed);
}
