/**
 * Compact placement for wrapped waves (see DependencyLayout.ts): each row
 * keeps the left-to-right order dagre chose to cross few edges, and each box
 * (a service, or a recover-together group's box) is pulled under the boxes
 * it depends on, never closer to its neighbour than the usual gap. Rows are
 * placed top-down, so each leans on those above.
 */

/** Box size and spacing, shared with the routed layout. Rows of one wave sit closer together than the waves themselves. */
export const PACK = { width: 196, height: 54, gap: 28, rowGap: 22, groupGap: 44, margin: 14 } as const;

export interface Packed {
  /** Left edges and top edges of the boxes, before the caller centres them. */
  x: Map<string, number>;
  y: Map<string, number>;
  width: number;
  height: number;
}

/**
 * Lefts for one row, in order, as close to `desired` as spacing allows and
 * within `span` pixels from 0, so that no row sticks out past the others.
 * Crowded wishes are resolved both ways (pushing right, pushing left) and the
 * two answers averaged, so a crowd spreads evenly around the spot it wants.
 * Boxes may differ in width (a recover-together group is wider).
 */
function placeRow(desired: readonly number[], widths: readonly number[], span: number): number[] {
  const n = desired.length;
  const width = (i: number): number => widths[i] ?? PACK.width;
  // The least room the boxes before (after) each one need.
  const before: number[] = [];
  const after: number[] = [];
  let sum = 0;
  for (let i = 0; i < n; i += 1) {
    before[i] = sum;
    sum += width(i) + PACK.gap;
  }
  sum = 0;
  for (let i = n - 1; i >= 0; i -= 1) {
    sum += width(i);
    after[i] = sum;
    sum += PACK.gap;
  }
  const known = desired.findIndex((d) => !Number.isNaN(d));
  // Boxes with nothing above them line up beside the nearest one that has.
  const wishes = desired.map((d, i) =>
    Number.isNaN(d) ? (known === -1 ? (before[i] ?? 0) : (desired[known] ?? 0) + (before[i] ?? 0) - (before[known] ?? 0)) : d,
  );
  const clamped = wishes.map((wish, i) => Math.min(span - (after[i] ?? 0), Math.max(before[i] ?? 0, wish)));
  const pushedRight = [...clamped];
  for (let i = 1; i < n; i += 1) {
    pushedRight[i] = Math.max(pushedRight[i] ?? 0, (pushedRight[i - 1] ?? 0) + width(i - 1) + PACK.gap);
  }
  const pushedLeft = [...clamped];
  for (let i = n - 2; i >= 0; i -= 1) {
    pushedLeft[i] = Math.min(pushedLeft[i] ?? 0, (pushedLeft[i + 1] ?? 0) - width(i) - PACK.gap);
  }
  return pushedRight.map((x, i) => (x + (pushedLeft[i] ?? x)) / 2);
}

export function packRows(
  /** dagre's horizontal position of a box (or any rank): only the order within a row is used. */
  orderOf: (key: string) => number,
  layers: readonly { keys: readonly string[] }[],
  /** The row of every box, top to bottom (several rows for a wrapped wave). */
  rowOf: ReadonlyMap<string, number>,
  edges: readonly { dependency: string; dependent: string }[],
  perRow: number,
  sizeOf: (key: string) => { width: number; height: number } = () => PACK,
): Packed {
  const widest = Math.max(0, ...[...rowOf.keys()].map((key) => sizeOf(key).width));
  const span = Math.max(perRow * (PACK.width + PACK.gap) - PACK.gap, widest);
  const layerOf = new Map(layers.flatMap((layer, index) => layer.keys.map((key) => [key, index] as const)));
  const rows = new Map<number, string[]>();
  for (const [key, r] of rowOf) {
    rows.set(r, [...(rows.get(r) ?? []), key]);
  }
  const parents = new Map<string, string[]>();
  for (const edge of edges) {
    parents.set(edge.dependent, [...(parents.get(edge.dependent) ?? []), edge.dependency]);
  }
  const x = new Map<string, number>();
  const y = new Map<string, number>();
  const centre = (key: string): number | undefined => {
    const left = x.get(key);
    return left === undefined ? undefined : left + sizeOf(key).width / 2;
  };
  let top = PACK.margin;
  let lastLayer: number | undefined;
  for (const r of [...rows.keys()].sort((a, b) => a - b)) {
    const row = (rows.get(r) ?? []).sort((a, b) => orderOf(a) - orderOf(b));
    const layer = layerOf.get(row[0] ?? '');
    if (lastLayer !== undefined && layer !== lastLayer) {
      top += PACK.groupGap - PACK.rowGap;
    }
    lastLayer = layer;
    const widths = row.map((key) => sizeOf(key).width);
    const desired = row.map((key, i) => {
      const above = (parents.get(key) ?? []).map(centre).filter((v): v is number => v !== undefined);
      return above.length === 0 ? Number.NaN : above.reduce((a, b) => a + b, 0) / above.length - (widths[i] ?? 0) / 2;
    });
    placeRow(desired, widths, span).forEach((left, i) => {
      x.set(row[i] ?? '', left);
      y.set(row[i] ?? '', top);
    });
    top += Math.max(...row.map((key) => sizeOf(key).height)) + PACK.rowGap;
  }
  const lefts = [...x.keys()];
  const min = Math.min(...lefts.map((key) => x.get(key) ?? 0));
  const max = Math.max(...lefts.map((key) => (x.get(key) ?? 0) + sizeOf(key).width));
  for (const [key, left] of x) {
    x.set(key, left - min + PACK.margin);
  }
  return { x, y, width: max - min + 2 * PACK.margin, height: top - PACK.rowGap + PACK.margin };
}
