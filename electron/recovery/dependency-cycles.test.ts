/**
 * The cycle algorithms against definitions: components against mutual
 * reachability, Johnson's cycles against a plain enumeration of simple
 * paths, on seeded random graphs (the seed is in each test's name, so a
 * failure replays).
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../test/support/seeded-random.mjs';
import { elementaryCycles, isCyclic, stronglyConnected, type Adjacency } from './dependency-cycles.js';

const ALL = { keep: Number.MAX_SAFE_INTEGER, countLimit: Number.MAX_SAFE_INTEGER, stepLimit: Number.MAX_SAFE_INTEGER };

/** n vertices, each edge u → v (u ≠ v unless loops) present with probability p. */
function randomGraph(random: () => number, n: number, p: number, loops = false): number[][] {
  return Array.from({ length: n }, (_, u) => Array.from({ length: n }, (_, v) => v).filter((v) => (loops || u !== v) && random() < p));
}

function reachable(adj: Adjacency, from: number): Set<number> {
  const seen = new Set([from]);
  const pending = [from];
  while (pending.length > 0) {
    for (const w of adj[pending.pop() as number] ?? []) {
      if (!seen.has(w)) {
        seen.add(w);
        pending.push(w);
      }
    }
  }
  return seen;
}

/** Every simple cycle, by extending simple paths from their smallest vertex: slow, obviously right. */
function bruteCycles(adj: Adjacency): string[] {
  const out: string[] = [];
  const extend = (path: number[]): void => {
    const start = path[0] as number;
    for (const w of adj[path[path.length - 1] as number] ?? []) {
      if (w === start) {
        out.push([...path, start].join('>'));
      } else if (w > start && !path.includes(w)) {
        extend([...path, w]);
      }
    }
  };
  adj.forEach((_, v) => {
    extend([v]);
  });
  return out.sort();
}

describe('strongly connected components', () => {
  it('puts every component after the components it can reach (dependencies first)', () => {
    // 0 → 1 ⇄ 2 → 3; 4 → 4 (itself); 5 → 0
    const adj = [[1], [2], [1, 3], [], [4], [0]];
    const components = stronglyConnected(adj);
    expect(components.map((c) => c.join(','))).toEqual(['3', '1,2', '0', '4', '5']);
    expect(components.filter((c) => isCyclic(adj, c))).toEqual([[1, 2], [4]]);
  });

  it('finds nested cycles as one component, and two groups where one needs the other', () => {
    // Group A: 0 → 1 → 2 → 0 and 1 → 0 (a cycle inside a cycle); group B: 3 ⇄ 4, and 3 needs group A.
    const adj = [[1], [2, 0], [0], [4, 0], [3]];
    const components = stronglyConnected(adj);
    expect(components).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
  });

  it('agrees with mutual reachability on random graphs (seed 18)', () => {
    const random = mulberry32(18);
    for (let round = 0; round < 200; round += 1) {
      const adj = randomGraph(random, 1 + Math.floor(random() * 9), random() * 0.4, true);
      const reach = adj.map((_, v) => reachable(adj, v));
      const components = stronglyConnected(adj);
      expect(components.flat().sort((a, b) => a - b)).toEqual(adj.map((_, v) => v));
      const componentOf = new Map(components.flatMap((c, i) => c.map((v) => [v, i] as const)));
      adj.forEach((next, u) => {
        for (const v of adj.keys()) {
          const together = componentOf.get(u) === componentOf.get(v);
          expect(together).toBe(reach[u]?.has(v) === true && reach[v]?.has(u) === true);
        }
        // Dependencies first: every edge points to the same component or an earlier one.
        for (const v of next) {
          expect(componentOf.get(v) ?? 0).toBeLessThanOrEqual(componentOf.get(u) ?? 0);
        }
      });
    }
  });

  it('walks a 100,000-vertex chain without overflowing the stack', () => {
    const adj = Array.from({ length: 100_000 }, (_, v) => (v === 0 ? [99_999] : [v - 1]));
    expect(stronglyConnected(adj)).toHaveLength(1);
  });
});

describe('elementary cycles', () => {
  it('names each cycle once, from its smallest vertex: a self-loop, a 2-cycle and a 3-cycle sharing an edge', () => {
    const adj = [[0, 1], [0, 2], [0]];
    expect(elementaryCycles(adj, ALL)).toEqual({
      cycles: [
        [0, 0],
        [0, 1, 0],
        [0, 1, 2, 0],
      ],
      count: 3,
      complete: true,
    });
  });

  it('counts the 20 cycles of the complete graph on 4 vertices', () => {
    const k4 = [0, 1, 2, 3].map((u) => [0, 1, 2, 3].filter((v) => v !== u));
    expect(elementaryCycles(k4, ALL).count).toBe(20);
  });

  it('finds exactly the simple cycles a plain enumeration finds, on random graphs (seed 7)', () => {
    const random = mulberry32(7);
    for (let round = 0; round < 150; round += 1) {
      const adj = randomGraph(random, 1 + Math.floor(random() * 7), random() * 0.6, true);
      const search = elementaryCycles(adj, ALL);
      expect(search.complete).toBe(true);
      expect(search.cycles.map((c) => c.join('>')).sort()).toEqual(bruteCycles(adj));
      expect(search.count).toBe(search.cycles.length);
    }
  });

  it('keeps only the first ones, counts on to a limit, and says the count is a lower bound', () => {
    const k6 = [0, 1, 2, 3, 4, 5].map((u) => [0, 1, 2, 3, 4, 5].filter((v) => v !== u));
    const all = elementaryCycles(k6, { ...ALL, keep: 20 });
    expect(all).toMatchObject({ count: 409, complete: true });
    expect(all.cycles).toHaveLength(20);
    expect(elementaryCycles(k6, { keep: 20, countLimit: 100, stepLimit: ALL.stepLimit })).toMatchObject({ count: 100, complete: false });
    const stepped = elementaryCycles(k6, { keep: 20, countLimit: ALL.countLimit, stepLimit: 50 });
    expect(stepped.complete).toBe(false);
    expect(stepped.count).toBeLessThan(409);
  });

  it('stops a long search on a large group at its step limit, and says the count is a lower bound', () => {
    // 3,000 services each needing its neighbours both ways: one group, 2,999 two-service cycles,
    // and every restart of the search walks what is left of the chain.
    const n = 3000;
    const chain = Array.from({ length: n }, (_, v) => [v - 1, v + 1].filter((w) => w >= 0 && w < n));
    const started = performance.now();
    const search = elementaryCycles(chain, { keep: 20, countLimit: Number.MAX_SAFE_INTEGER, stepLimit: 100_000 });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(search.complete).toBe(false);
    expect(search.count).toBeGreaterThan(0);
    expect(search.count).toBeLessThan(n - 1);
    expect(search.cycles[0]).toEqual([0, 1, 0]);
  });
});
