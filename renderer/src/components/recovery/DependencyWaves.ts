/**
 * The structure the drawing follows: the engine's recovery waves (each node
 * carries its wave and recover-together group), the units placed in them —
 * a service, a dependency missing from the vault, or a recover-together
 * group drawn as one box holding its members — the bands they make, and the
 * edges to draw.
 */
import type { ServiceGraph } from '../../../../shared/recovery';
import { PACK } from './DependencyPacking';

export type GraphNode = ServiceGraph['nodes'][number];
export type GraphGroup = ServiceGraph['groups'][number];

/** Members side by side in a group box, at most this many per row (fewer when the panel has room for fewer boxes). */
export const GROUP_COLUMNS = 3;
/** Inside a group box: padding around the members, room for its heading, and below each row of members room for the arcs between them. */
export const GROUP_PAD = 8;
export const GROUP_HEAD = 28;
const GROUP_FOOT = 40;
/** With the padding, a group of n columns is exactly as wide as n boxes side by side, so it packs like them. */
const MEMBER_GAP = PACK.gap - 2 * GROUP_PAD;

export interface Unit {
  /** A service id, a missing ref's key, or `group:<index>`. */
  key: string;
  /** The boxes it holds: itself, or the group's members by title. */
  members: string[];
  group: number | null;
  /** Box slots it takes in a row of boxes (a group's columns). */
  slots: number;
  width: number;
  height: number;
}

/** One band of units, top to bottom: dependencies missing from the vault, then each wave. */
export interface Layer {
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
  /** The dependent can start without it: shown, not ordered by. */
  soft: boolean;
  /** Both ends in one recover-together group: drawn inside its box, not routed. */
  inGroup: boolean;
}

export function missingKey(ref: string): string {
  return `missing:${ref.trim().toLowerCase()}`;
}

export function groupKey(index: number): string {
  return `group:${index}`;
}

/** Where a member sits inside its group box of `columns`, from the box's top-left corner. */
export function memberOffset(position: number, columns: number): { x: number; y: number } {
  const col = position % columns;
  const row = Math.floor(position / columns);
  return { x: GROUP_PAD + col * (PACK.width + MEMBER_GAP), y: GROUP_HEAD + row * (PACK.height + GROUP_FOOT) };
}

function groupUnit(group: GraphGroup, columns: number): Unit {
  const count = group.services.length;
  const cols = Math.min(count, columns);
  const rows = Math.ceil(count / cols);
  return {
    key: groupKey(group.index),
    members: group.services,
    group: group.index,
    slots: cols,
    width: 2 * GROUP_PAD + cols * PACK.width + (cols - 1) * MEMBER_GAP,
    height: GROUP_HEAD + rows * (PACK.height + GROUP_FOOT),
  };
}

const single = (key: string): Unit => ({ key, members: [key], group: null, slots: 1, width: PACK.width, height: PACK.height });

export interface Structure {
  units: Map<string, Unit>;
  /** The unit that holds each box. */
  unitOf: Map<string, string>;
  layers: Layer[];
  edges: PlannedEdge[];
}

/** Units by wave (titles in order, a group at its first member's place), missing dependencies on top. */
export function structure(graph: ServiceGraph, columns = GROUP_COLUMNS): Structure {
  const units = new Map<string, Unit>();
  const unitOf = new Map<string, string>();
  const add = (unit: Unit): void => {
    units.set(unit.key, unit);
    for (const member of unit.members) {
      unitOf.set(member, unit.key);
    }
  };
  const byWave: string[][] = [];
  for (const node of [...graph.nodes].sort((a, b) => a.title.localeCompare(b.title))) {
    const group = node.group === null ? undefined : graph.groups[node.group];
    if (group && unitOf.has(node.id)) {
      continue;
    }
    const unit = group ? groupUnit(group, columns) : single(node.id);
    add(unit);
    (byWave[node.wave] ??= []).push(unit.key);
  }
  const missing = [...new Set(graph.missing.map((m) => missingKey(m.ref)))].sort();
  for (const key of missing) {
    add(single(key));
  }
  const layers = [
    ...(missing.length > 0 ? [{ label: 'Not in vault', keys: missing }] : []),
    ...byWave.map((keys, index) => ({ label: `Wave ${index + 1}`, keys })),
  ].filter((layer) => layer.keys.length > 0);
  const groupOf = new Map(graph.nodes.map((n) => [n.id, n.group]));
  const edges: PlannedEdge[] = [
    ...graph.edges.map((e) => {
      const group = groupOf.get(e.from);
      return {
        key: `${e.to}>${e.from}`,
        dependency: e.to,
        dependent: e.from,
        missing: false,
        soft: e.soft,
        inGroup: group !== null && group === groupOf.get(e.to),
      };
    }),
    ...graph.missing.map((m) => ({
      key: `${missingKey(m.ref)}>${m.serviceId}`,
      dependency: missingKey(m.ref),
      dependent: m.serviceId,
      missing: true,
      soft: false,
      inGroup: false,
    })),
  ];
  return { units, unitOf, layers, edges };
}
