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
 *
 * The fewest edges whose removal leaves no cycle are in feedback-arcs.ts.
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
    if (components.length === 0) {
      break;
    }
    // Each restart costs a pass over the group: it counts against the same limit.
    steps += n;
    if (steps > limits.stepLimit) {
      result.complete = false;
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
