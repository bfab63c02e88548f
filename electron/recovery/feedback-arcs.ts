/**
 * The fewest "depends on" edges whose removal leaves no cycle (a minimum
 * feedback arc set), suggested to whoever owns a recover-together group:
 * drop them, or mark them soft, and the group has an order. Exact by dynamic
 * programming over vertex subsets up to EXACT_LIMIT vertices; above that,
 * the Eades–Lin–Smyth greedy order with redundant edges put back
 * (docs/recovery.md, "Suggested breaks"). Same graph shape as
 * dependency-cycles.ts: vertices 0..n-1, u → v meaning u needs v.
 */
import type { Adjacency, Edge } from './dependency-cycles.js';

/** Groups up to this many vertices get an exact minimum (2^n · n steps: about a million at 16). */
export const EXACT_LIMIT = 16;

export interface FeedbackArcSet {
  /** The edges to drop, as [u, v] (u depends on v), sorted. */
  edges: Edge[];
  /** True when no smaller set exists; false for the heuristic's answer. */
  exact: boolean;
}

/**
 * The fewest edges whose removal leaves no cycle. Self-loops are always in
 * it. Among the rest, an order of the vertices (dependencies first) is
 * chosen and the edges that point against it are dropped.
 */
export function feedbackArcSet(adj: Adjacency, exactLimit = EXACT_LIMIT): FeedbackArcSet {
  const n = adj.length;
  const loops: Edge[] = [];
  for (let v = 0; v < n; v += 1) {
    if ((adj[v] ?? []).includes(v)) {
      loops.push([v, v]);
    }
  }
  const exact = n <= exactLimit;
  const order = exact ? exactOrder(adj) : greedyOrder(adj);
  const position = new Int32Array(n);
  order.forEach((v, i) => (position[v] = i));
  let against: Edge[] = [];
  for (let u = 0; u < n; u += 1) {
    for (const v of adj[u] ?? []) {
      if (u !== v && (position[u] as number) < (position[v] as number)) {
        against.push([u, v]);
      }
    }
  }
  if (!exact) {
    against = putBackRedundant(adj, against);
  }
  const edges = [...loops, ...against].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return { edges, exact };
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * The order (dependencies first) with the fewest edges against it, by
 * dynamic programming: best(S) = min over v in S of best(S \ v) + the
 * vertices of S \ v that depend on v (they would come before what they need).
 */
function exactOrder(adj: Adjacency): number[] {
  const n = adj.length;
  const dependents = new Int32Array(n);
  for (let u = 0; u < n; u += 1) {
    for (const v of adj[u] ?? []) {
      if (u !== v) {
        dependents[v] = (dependents[v] as number) | (1 << u);
      }
    }
  }
  const size = 1 << n;
  const best = new Int32Array(size).fill(0x7fffffff);
  const last = new Int8Array(size);
  best[0] = 0;
  for (let set = 1; set < size; set += 1) {
    for (let v = 0; v < n; v += 1) {
      const bit = 1 << v;
      if ((set & bit) === 0) {
        continue;
      }
      const rest = set ^ bit;
      const cost = (best[rest] as number) + popcount((dependents[v] as number) & rest);
      if (cost < (best[set] as number)) {
        best[set] = cost;
        last[set] = v;
      }
    }
  }
  const order: number[] = [];
  for (let set = size - 1; set !== 0; set ^= 1 << (last[set] as number)) {
    order.push(last[set] as number);
  }
  return order.reverse();
}

/**
 * Eades, Lin and Smyth (1993): repeatedly take a vertex that needs nothing
 * left (to the front), else one nothing left needs (to the back), else the
 * one with the most dependents left minus dependencies left (to the front).
 * On a connected graph without 2-cycles at most m/2 − n/6 edges end up
 * against the order; not always the fewest.
 * O(n + m): queues for the first two, buckets by score for the third.
 */
function greedyOrder(adj: Adjacency): number[] {
  const n = adj.length;
  const dependents: number[][] = Array.from({ length: n }, () => []);
  const needs = new Int32Array(n);
  const neededBy = new Int32Array(n);
  for (let u = 0; u < n; u += 1) {
    for (const v of adj[u] ?? []) {
      if (u !== v) {
        dependents[v]?.push(u);
        needs[u] = (needs[u] as number) + 1;
        neededBy[v] = (neededBy[v] as number) + 1;
      }
    }
  }
  const done = new Uint8Array(n);
  const front: number[] = [];
  const back: number[] = [];
  const free: number[] = [];
  const unneeded: number[] = [];
  // Buckets by (dependents − dependencies) + n; an entry whose score has moved since is skipped.
  const buckets: number[][] = Array.from({ length: 2 * n + 1 }, () => []);
  const score = (v: number): number => (neededBy[v] as number) - (needs[v] as number) + n;
  let top = 0;
  const file = (v: number): void => {
    if (needs[v] === 0) {
      free.push(v);
    } else if (neededBy[v] === 0) {
      unneeded.push(v);
    }
    const b = score(v);
    buckets[b]?.push(v);
    top = Math.max(top, b);
  };
  for (let v = 0; v < n; v += 1) {
    file(v);
  }
  const take = (v: number, toFront: boolean): void => {
    done[v] = 1;
    (toFront ? front : back).push(v);
    for (const w of adj[v] ?? []) {
      if (w !== v && done[w] === 0) {
        neededBy[w] = (neededBy[w] as number) - 1;
        file(w);
      }
    }
    for (const u of dependents[v] ?? []) {
      if (done[u] === 0) {
        needs[u] = (needs[u] as number) - 1;
        file(u);
      }
    }
  };
  const next = (queue: number[]): number => {
    while (queue.length > 0) {
      const v = queue.pop() as number;
      if (done[v] === 0) {
        return v;
      }
    }
    return -1;
  };
  const best = (): number => {
    for (;;) {
      const v = buckets[top]?.pop();
      if (v === undefined) {
        top -= 1;
      } else if (done[v] === 0 && score(v) === top) {
        return v;
      }
    }
  };
  for (let left = n; left > 0; left -= 1) {
    const source = next(free);
    if (source !== -1) {
      take(source, true);
      continue;
    }
    const sink = next(unneeded);
    take(sink !== -1 ? sink : best(), sink === -1);
  }
  return [...front, ...back.reverse()];
}

/** Puts back each dropped edge whose return closes no cycle, so the set is minimal (no edge in it is needless). */
function putBackRedundant(adj: Adjacency, dropped: readonly Edge[]): Edge[] {
  const n = adj.length;
  const removed = new Set(dropped.map(([u, v]) => u * n + v));
  const kept: Edge[] = [];
  for (const [u, v] of dropped) {
    removed.delete(u * n + v);
    if (reaches(adj, removed, v, u)) {
      removed.add(u * n + v);
      kept.push([u, v]);
    }
  }
  return kept;
}

/** Whether `to` can be reached from `from` along edges not in `removed`. */
function reaches(adj: Adjacency, removed: ReadonlySet<number>, from: number, to: number): boolean {
  const n = adj.length;
  const seen = new Uint8Array(n);
  const pending = [from];
  seen[from] = 1;
  while (pending.length > 0) {
    const u = pending.pop() as number;
    if (u === to) {
      return true;
    }
    for (const w of adj[u] ?? []) {
      if (seen[w] === 0 && !removed.has(u * n + w)) {
        seen[w] = 1;
        pending.push(w);
      }
    }
  }
  return false;
}
