/**
 * Graph algorithms for dependency cycles, on vertices 0..n-1 whose adjacency
 * lists hold "depends on" edges (u → v: u needs v). Plain arrays in, plain
 * arrays out; dependency-groups.ts maps them to services. See
 * docs/recovery.md ("Recover-together groups") for what the plan does with them.
 *
 * - stronglyConnected: Tarjan's components, iterative (a 5,000-service chain
 *   must not overflow the stack), dependencies first.
 * - elementaryCycles: Johnson's algorithm, stopped after a count or a number
 *   of search steps: a dense group has exponentially many cycles.
 * - feedbackArcSet: the fewest edges whose removal leaves no cycle. Exact by
 *   dynamic programming over vertex subsets up to EXACT_LIMIT vertices; above
 *   that, the Eades–Lin–Smyth greedy order with redundant edges put back.
 */

export type Adjacency = readonly (readonly number[])[];

/** [u, v]: u depends on v. */
export type Edge = readonly [number, number];

/**
 * Strongly connected components, each listed after every component it can
 * reach: with "depends on" edges, a component comes after all it needs.
 * Vertices inside a component are in ascending order.
 */
export function stronglyConnected(adj: Adjacency): number[][] {
  const n = adj.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const frameVertex = new Int32Array(n);
  const frameEdge = new Int32Array(n);
  const components: number[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root += 1) {
    if (index[root] !== -1) {
      continue;
    }
    let depth = 0;
    frameVertex[0] = root;
    frameEdge[0] = 0;
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (depth >= 0) {
      const v = frameVertex[depth] as number;
      const next = adj[v] ?? [];
      const e = frameEdge[depth] as number;
      if (e < next.length) {
        frameEdge[depth] = e + 1;
        const w = next[e] as number;
        if (index[w] === -1) {
          depth += 1;
          frameVertex[depth] = w;
          frameEdge[depth] = 0;
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
        } else if (onStack[w] === 1) {
          low[v] = Math.min(low[v] as number, index[w] as number);
        }
        continue;
      }
      if (low[v] === index[v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop() as number;
          onStack[w] = 0;
          component.push(w);
        } while (w !== v);
        components.push(component.sort((a, b) => a - b));
      }
      depth -= 1;
      if (depth >= 0) {
        const parent = frameVertex[depth] as number;
        low[parent] = Math.min(low[parent] as number, low[v] as number);
      }
    }
  }
  return components;
}

/** True when the component closes a loop: several vertices, or one that depends on itself. */
export function isCyclic(adj: Adjacency, component: readonly number[]): boolean {
  const only = component[0];
  return component.length > 1 || (only !== undefined && (adj[only] ?? []).includes(only));
}

export interface CycleSearch {
  /** Up to `keep` cycles, each a list of vertices with the first repeated at the end (a → b → a). */
  cycles: number[][];
  /** How many were found; a lower bound when `complete` is false. */
  count: number;
  /** False when the search stopped at `countLimit` cycles or `stepLimit` steps. */
  complete: boolean;
}

export interface CycleLimits {
  keep: number;
  countLimit: number;
  stepLimit: number;
}

/**
 * Every elementary cycle (no vertex twice), by Johnson's algorithm (1975):
 * from each vertex s in ascending order, the cycles through s among the
 * vertices ≥ s, with "blocked" vertices so no search path is walked twice
 * in vain. Each cycle is found once, starting at its smallest vertex.
 */
export function elementaryCycles(adj: Adjacency, limits: CycleLimits): CycleSearch {
  const n = adj.length;
  const result: CycleSearch = { cycles: [], count: 0, complete: true };
  const blocked = new Uint8Array(n);
  const blockedBy: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  let steps = 0;
  let s = 0;
  while (s < n && result.complete) {
    // The component, among vertices ≥ s, that holds the smallest vertex on a cycle.
    const sub = adj.map((next, v) => (v < s ? [] : next.filter((w) => w >= s)));
    const components = stronglyConnected(sub).filter((c) => (c[0] ?? -1) >= s && isCyclic(sub, c));
    steps += n;
    if (components.length === 0) {
      break;
    }
    const component = components.reduce((best, c) => ((c[0] ?? n) < (best[0] ?? n) ? c : best));
    s = component[0] as number;
    const inComponent = new Uint8Array(n);
    for (const v of component) {
      inComponent[v] = 1;
      blocked[v] = 0;
      blockedBy[v]?.clear();
    }
    const local = sub.map((next, v) => (inComponent[v] === 1 ? next.filter((w) => inComponent[w] === 1) : []));
    steps = circuitsFrom(s, local, { blocked, blockedBy, result, limits, steps });
    s += 1;
  }
  return result;
}

interface CircuitState {
  blocked: Uint8Array;
  blockedBy: Set<number>[];
  result: CycleSearch;
  limits: CycleLimits;
  steps: number;
}

function unblock(start: number, blocked: Uint8Array, blockedBy: Set<number>[]): void {
  const pending = [start];
  blocked[start] = 0;
  while (pending.length > 0) {
    const u = pending.pop() as number;
    const waiting = blockedBy[u];
    if (!waiting) {
      continue;
    }
    for (const w of waiting) {
      if (blocked[w] === 1) {
        blocked[w] = 0;
        pending.push(w);
      }
    }
    waiting.clear();
  }
}

/** Johnson's CIRCUIT(s), iterative; returns the step count so far. */
function circuitsFrom(s: number, adj: Adjacency, state: CircuitState): number {
  const { blocked, blockedBy, result, limits } = state;
  let steps = state.steps;
  const path = [s];
  const nextEdge = [0];
  const found = [false];
  blocked[s] = 1;
  while (path.length > 0) {
    const top = path.length - 1;
    const v = path[top] as number;
    const next = adj[v] ?? [];
    const e = nextEdge[top] as number;
    if (e < next.length) {
      nextEdge[top] = e + 1;
      const w = next[e] as number;
      steps += 1;
      if (steps > limits.stepLimit) {
        result.complete = false;
        return steps;
      }
      if (w === s) {
        found[top] = true;
        result.count += 1;
        if (result.cycles.length < limits.keep) {
          result.cycles.push([...path, s]);
        }
        if (result.count >= limits.countLimit) {
          result.complete = false;
          return steps;
        }
      } else if (blocked[w] === 0) {
        path.push(w);
        nextEdge.push(0);
        found.push(false);
        blocked[w] = 1;
      }
      continue;
    }
    const closed = found[top] === true;
    if (closed) {
      unblock(v, blocked, blockedBy);
    } else {
      for (const w of next) {
        blockedBy[w]?.add(v);
      }
    }
    path.pop();
    nextEdge.pop();
    found.pop();
    if (closed && found.length > 0) {
      found[found.length - 1] = true;
    }
  }
  return steps;
}

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
