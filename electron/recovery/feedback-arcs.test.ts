/**
 * Suggested breaks against their definition: the exact answer is as small as
 * trying every subset of edges finds, and the heuristic's leaves no cycle,
 * needs every edge it drops and is never below the minimum, on seeded random
 * graphs (the seed is in each test's name, so a failure replays).
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../test/support/seeded-random.mjs';
import { isCyclic, stronglyConnected, type Adjacency, type Edge } from './dependency-cycles.js';
import { feedbackArcSet } from './feedback-arcs.js';

/** n vertices, each edge u → v (u ≠ v unless loops) present with probability p. */
function randomGraph(random: () => number, n: number, p: number, loops = false): number[][] {
  return Array.from({ length: n }, (_, u) => Array.from({ length: n }, (_, v) => v).filter((v) => (loops || u !== v) && random() < p));
}

function isAcyclic(adj: Adjacency, without: readonly Edge[]): boolean {
  const gone = new Set(without.map(([u, v]) => `${u}>${v}`));
  const kept = adj.map((next, u) => next.filter((v) => !gone.has(`${u}>${v}`)));
  return stronglyConnected(kept).every((c) => !isCyclic(kept, c));
}

/** The smallest number of edges whose removal leaves no cycle, by trying every subset by size. */
function bruteFeedbackSize(adj: Adjacency): number {
  const edges: Edge[] = adj.flatMap((next, u) => next.map((v) => [u, v] as const));
  for (let size = 0; size <= edges.length; size += 1) {
    const pick = (from: number, chosen: Edge[]): boolean =>
      chosen.length === size ? isAcyclic(adj, chosen) : edges.slice(from).some((edge, i) => pick(from + i + 1, [...chosen, edge]));
    if (pick(0, [])) {
      return size;
    }
  }
  return edges.length;
}

describe('feedback arc set', () => {
  it('drops a self-loop always, and one edge of a 2-cycle', () => {
    expect(feedbackArcSet([[0]])).toEqual({ edges: [[0, 0]], exact: true });
    const two = feedbackArcSet([[1], [0]]);
    expect(two.edges).toHaveLength(1);
    expect(isAcyclic([[1], [0]], two.edges)).toBe(true);
  });

  it('is as small as trying every subset of edges finds, on random small graphs (seed 42)', () => {
    const random = mulberry32(42);
    let compared = 0;
    for (let round = 0; round < 120; round += 1) {
      const adj = randomGraph(random, 2 + Math.floor(random() * 5), 0.25 + random() * 0.35, random() < 0.2);
      if (adj.flat().length > 13) {
        continue; // 2^13 subsets is as far as the brute force goes quickly
      }
      compared += 1;
      const fas = feedbackArcSet(adj);
      expect(fas.exact).toBe(true);
      expect(isAcyclic(adj, fas.edges)).toBe(true);
      expect(fas.edges.length, JSON.stringify(adj)).toBe(bruteFeedbackSize(adj));
    }
    expect(compared).toBeGreaterThan(80);
  });

  it('the heuristic for large groups leaves no cycle, needs every edge it drops, and is never below the minimum (seed 99)', () => {
    const random = mulberry32(99);
    for (let round = 0; round < 60; round += 1) {
      const adj = randomGraph(random, 4 + Math.floor(random() * 9), 0.2 + random() * 0.3);
      const exact = feedbackArcSet(adj);
      const greedy = feedbackArcSet(adj, 0);
      expect(greedy.exact).toBe(false);
      expect(isAcyclic(adj, greedy.edges)).toBe(true);
      expect(greedy.edges.length).toBeGreaterThanOrEqual(exact.edges.length);
      for (const [i] of greedy.edges.entries()) {
        expect(
          isAcyclic(
            adj,
            greedy.edges.filter((_, j) => j !== i),
          ),
        ).toBe(false);
      }
    }
  });

  it('orders a 3,000-service ring with shortcuts quickly, dropping few edges', () => {
    const n = 3000;
    const random = mulberry32(3);
    const adj = Array.from({ length: n }, (_, v) =>
      [(v + 1) % n, ...(random() < 0.1 ? [Math.floor(random() * n)] : [])].filter((w, i, all) => w !== v && all.indexOf(w) === i),
    );
    const started = performance.now();
    const fas = feedbackArcSet(adj);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(fas.exact).toBe(false);
    expect(isAcyclic(adj, fas.edges)).toBe(true);
    expect(fas.edges.length).toBeLessThan(n / 10);
  });
});
