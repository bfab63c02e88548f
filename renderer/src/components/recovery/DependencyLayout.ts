/**
 * Where each box and arrow of the dependency graph goes, computed by dagre.
 *
 * Recovery reads top to bottom: each recovery wave is a band (DependencyWaves.ts),
 * with dependencies missing from the vault in a band above them all. A
 * recover-together group is one box in its wave, holding its members. dagre
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
import { GROUP_COLUMNS, memberOffset, missingKey, structure, type GraphNode, type Layer, type PlannedEdge, type Structure, type Unit } from './DependencyWaves';

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

/** A recover-together group's box, drawn behind its members. */
export interface LaidGroup {
  key: string;
  index: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidEdge extends PlannedEdge {
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
  /** Top to bottom, then left to right (a group's members together): the order keyboard focus follows. */
  nodes: LaidNode[];
  groups: LaidGroup[];
  edges: LaidEdge[];
  bands: Band[];
  /** Packed rather than placed by dagre (see layoutGraph): lines cross boxes, so they are drawn faint. */
  dense: boolean;
}

type LayoutGraph = graphlib.Graph<Record<string, unknown>, NodeLabel, EdgeLabel>;

/** The part of the layout that does not depend on the panel's width, computed once per graph. */
export interface OrderedGraph {
  graph: ServiceGraph;
  structure: Structure;
  /**
   * Dependencies between units (a group counts once), without repeats, that
   * point down the bands: a soft dependency may point up or sideways, and is
   * drawn straight rather than routed (dagre's fixed ranks cannot take it).
   */
  unitEdges: { dependency: string; dependent: string }[];
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
 * ranks apart. A recover-together group is one node as big as its box.
 */
function runDagre(layers: readonly Layer[], units: ReadonlyMap<string, Unit>, edges: OrderedGraph['unitEdges']): LayoutGraph {
  const g: LayoutGraph = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: NODE_SEP, ranksep: RANK_SEP, edgesep: 14, marginx: MARGIN, marginy: MARGIN, ranker: 'none' });
  g.setDefaultEdgeLabel(() => ({}));
  layers.forEach((layer, index) => {
    for (const key of layer.keys) {
      const unit = units.get(key);
      g.setNode(key, { width: unit?.width ?? NODE_WIDTH, height: unit?.height ?? NODE_HEIGHT, rank: index * 2 });
    }
  });
  for (const edge of edges) {
    g.setEdge(edge.dependency, edge.dependent);
  }
  dagre.layout(g);
  return g;
}

/** `columns`: members side by side in a group box (as many as a row of the panel holds, at most GROUP_COLUMNS). */
export function orderGraph(graph: ServiceGraph, columns = GROUP_COLUMNS): OrderedGraph {
  const built = structure(graph, columns);
  const layerOf = new Map(built.layers.flatMap((layer, index) => layer.keys.map((key) => [key, index] as const)));
  const seen = new Set<string>();
  const unitEdges: OrderedGraph['unitEdges'] = [];
  for (const edge of built.edges) {
    const dependency = built.unitOf.get(edge.dependency) ?? edge.dependency;
    const dependent = built.unitOf.get(edge.dependent) ?? edge.dependent;
    const downwards = (layerOf.get(dependency) ?? 0) < (layerOf.get(dependent) ?? 0);
    if (downwards && !seen.has(`${dependency}>${dependent}`)) {
      seen.add(`${dependency}>${dependent}`);
      unitEdges.push({ dependency, dependent });
    }
  }
  return { graph, structure: built, unitEdges, dagre: graph.nodes.length > DAGRE_LIMIT ? null : runDagre(built.layers, built.units, unitEdges) };
}

/**
 * From the bottom of a dependency to the top of the service that needs it
 * (or from its top up to the bottom of one above it: inside a group box, or
 * a soft dependency, which the plan does not order by).
 * Within a row it runs bottom to bottom, leaving a little left of centre and
 * arriving a little right of it, so arcs in both directions part.
 */
function directLine(from: LaidNode | undefined, to: LaidNode | undefined): Point[] {
  if (!from || !to) {
    return [];
  }
  const centre = NODE_WIDTH / 2;
  if (to.y > from.y + 1) {
    return [
      { x: from.x + centre, y: from.y + NODE_HEIGHT },
      { x: to.x + centre, y: to.y },
    ];
  }
  if (to.y < from.y - 1) {
    // Right of centre, so it never lies on top of a line running down between the same two boxes.
    const aside = centre + NODE_WIDTH / 6;
    return [
      { x: from.x + aside, y: from.y },
      { x: to.x + aside, y: to.y + NODE_HEIGHT },
    ];
  }
  const offset = from === to ? NODE_WIDTH / 5 : 14;
  return [
    { x: from.x + centre - offset, y: from.y + NODE_HEIGHT },
    { x: to.x + centre + offset, y: to.y + NODE_HEIGHT },
  ];
}

/** Each band's units in dagre's order, cut into rows of at most `perRow` box slots: the row index of every unit. */
function wrapRows(layers: readonly Layer[], units: ReadonlyMap<string, Unit>, orderOf: (key: string) => number, perRow: number): Map<string, number> {
  const rowOf = new Map<string, number>();
  let row = 0;
  for (const layer of layers) {
    let used = 0;
    for (const key of [...layer.keys].sort((a, b) => orderOf(a) - orderOf(b))) {
      const slots = units.get(key)?.slots ?? 1;
      if (used > 0 && used + slots > perRow) {
        row += 1;
        used = 0;
      }
      rowOf.set(key, row);
      used += slots;
    }
    row += 1;
  }
  return rowOf;
}

/** Top-left corners of every unit, and the size of the drawing. */
function placeUnits(ordered: OrderedGraph, perRow: number): { at: Map<string, Point>; width: number; height: number; routed: boolean } {
  const { structure: built, unitEdges, dagre: g } = ordered;
  const sizeOf = (key: string): { width: number; height: number } => built.units.get(key) ?? PACK;
  // As wide as `perRow` boxes: what boxesPerRow promised the panel has room for.
  const rowsWidth = perRow * (NODE_WIDTH + NODE_SEP) - NODE_SEP + 2 * MARGIN;
  const slots = (layer: Layer): number => layer.keys.reduce((n, key) => n + (built.units.get(key)?.slots ?? 1), 0);
  if (g !== null && built.layers.every((layer) => slots(layer) <= perRow) && Number(g.graph()['width'] ?? 0) <= rowsWidth + 1) {
    const at = new Map(
      g.nodes().map((key) => {
        const label = g.node(key);
        const size = sizeOf(key);
        return [key, { x: (label.x ?? 0) - size.width / 2 + GUTTER, y: (label.y ?? 0) - size.height / 2 }] as const;
      }),
    );
    return { at, width: Number(g.graph()['width'] ?? 0) + GUTTER, height: Number(g.graph()['height'] ?? 0), routed: true };
  }
  const position = new Map(built.layers.flatMap((layer) => layer.keys.map((key, i) => [key, i] as const)));
  const orderOf = g ? (key: string) => g.node(key).x ?? 0 : (key: string) => position.get(key) ?? 0;
  const packed = packRows(orderOf, built.layers, wrapRows(built.layers, built.units, orderOf, perRow), unitEdges, perRow, sizeOf);
  const at = new Map([...packed.x.keys()].map((key) => [key, { x: (packed.x.get(key) ?? 0) + GUTTER, y: packed.y.get(key) ?? 0 }] as const));
  return { at, width: packed.width + GUTTER, height: packed.height, routed: false };
}

/** Lays the ordered graph out for rows of at most `perRow` boxes (see the top of this file). */
export function layoutGraph(ordered: OrderedGraph, perRow: number): GraphLayout {
  const { graph, structure: built, dagre: g } = ordered;
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const refs = new Map(graph.missing.map((m) => [missingKey(m.ref), m.ref]));
  const placed = placeUnits(ordered, perRow);
  const nodes: (LaidNode & { order: [number, number, number] })[] = [];
  const groups: LaidGroup[] = [];
  for (const [key, corner] of placed.at) {
    const unit = built.units.get(key);
    if (!unit) {
      continue;
    }
    const middle = Math.round(corner.y + unit.height / 2);
    if (unit.group !== null) {
      groups.push({ key, index: unit.group, ...corner, width: unit.width, height: unit.height });
    }
    unit.members.forEach((member, i) => {
      const offset = unit.group === null ? { x: 0, y: 0 } : memberOffset(i, unit.slots);
      nodes.push({
        key: member,
        x: corner.x + offset.x,
        y: corner.y + offset.y,
        service: byId.get(member) ?? null,
        ref: refs.get(member) ?? null,
        order: [middle, corner.x, i],
      });
    });
  }
  nodes.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1] || a.order[2] - b.order[2]);
  const at = new Map(nodes.map((n) => [n.key, n]));
  const single = (key: string): boolean => built.units.get(key)?.group === null;
  const edges = built.edges.map((edge) => {
    const routed = placed.routed && g !== null && single(edge.dependency) && single(edge.dependent) && g.hasEdge(edge.dependency, edge.dependent);
    const points = routed
      ? (g.edge(edge.dependency, edge.dependent).points ?? []).map((p) => ({ x: p.x + GUTTER, y: p.y }))
      : directLine(at.get(edge.dependency), at.get(edge.dependent));
    return { ...edge, direct: !routed, points };
  });
  const bands = built.layers.map((layer) => {
    const boxes = layer.keys.map((key) => ({ top: placed.at.get(key)?.y ?? 0, height: built.units.get(key)?.height ?? NODE_HEIGHT }));
    const top = Math.min(...boxes.map((b) => b.top)) - BAND_PAD;
    return { label: layer.label, top, height: Math.max(...boxes.map((b) => b.top + b.height)) + BAND_PAD - top };
  });
  return {
    width: Math.ceil(placed.width),
    height: Math.ceil(placed.height),
    nodes: nodes.map(({ order: _order, ...node }) => node),
    groups,
    edges,
    bands,
    dense: !placed.routed,
  };
}
