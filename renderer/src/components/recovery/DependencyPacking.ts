/**
 * Compact placement for wrapped waves (see DependencyLayout.ts): each row
 * keeps the left-to-right order dagre chose to cross few edges, and each box
 * is pulled under the services it depends on, never closer to its neighbour
 * than the usual gap. Rows are placed top-down, so each leans on those above.
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
 */
function placeRow(desired: readonly number[], span: number): number[] {
  const step = PACK.width + PACK.gap;
  const n = desired.length;
  const known = desired.findIndex((d) => !Number.isNaN(d));
  // Boxes with nothing above them line up beside the nearest one that has.
  const wishes = desired.map((d, i) => (Number.isNaN(d) ? (known === -1 ? i * step : (desired[known] ?? 0) + (i - known) * step) : d));
  const clamped = wishes.map((wish, i) => Math.min(span - PACK.width - (n - 1 - i) * step, Math.max(i * step, wish)));
  const pushedRight = [...clamped];
  for (let i = 1; i < n; i += 1) {
    pushedRight[i] = Math.max(pushedRight[i] ?? 0, (pushedRight[i - 1] ?? 0) + step);
  }
  const pushedLeft = [...clamped];
  for (let i = n - 2; i >= 0; i -= 1) {
    pushedLeft[i] = Math.min(pushedLeft[i] ?? 0, (pushedLeft[i + 1] ?? 0) - step);
  }
  return pushedRight.map((x, i) => (x + (pushedLeft[i] ?? x)) / 2);
}

export function packRows(
  /** dagre's horizontal position of a box (or any rank): only the order within a row is used. */
  orderOf: (key: string) => number,
  groups: readonly { keys: readonly string[] }[],
  /** The row of every box, top to bottom (several rows for a wrapped wave). */
  rowOf: ReadonlyMap<string, number>,
  edges: readonly { dependency: string; dependent: string }[],
  perRow: number,
): Packed {
  const span = perRow * (PACK.width + PACK.gap) - PACK.gap;
  const groupOf = new Map(groups.flatMap((group, index) => group.keys.map((key) => [key, index] as const)));
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
  let top = PACK.margin;
  let lastGroup: number | undefined;
  for (const r of [...rows.keys()].sort((a, b) => a - b)) {
    const row = (rows.get(r) ?? []).sort((a, b) => orderOf(a) - orderOf(b));
    const group = groupOf.get(row[0] ?? '');
    if (lastGroup !== undefined && group !== lastGroup) {
      top += PACK.groupGap - PACK.rowGap;
    }
    lastGroup = group;
    const desired = row.map((key) => {
      const above = (parents.get(key) ?? []).map((p) => x.get(p)).filter((v): v is number => v !== undefined);
      return above.length === 0 ? Number.NaN : above.reduce((a, b) => a + b, 0) / above.length;
    });
    placeRow(desired, span).forEach((left, i) => {
      x.set(row[i] ?? '', left);
      y.set(row[i] ?? '', top);
    });
    top += PACK.height + PACK.rowGap;
  }
  const lefts = [...x.values()];
  const min = Math.min(...lefts);
  for (const [key, left] of x) {
    x.set(key, left - min + PACK.margin);
  }
  return { x, y, width: Math.max(...lefts) - min + PACK.width + 2 * PACK.margin, height: top - PACK.rowGap + PACK.margin };
}
