/**
 * mulberry32: a tiny seeded PRNG, so a randomized test or campaign prints its
 * seed and a failure can be replayed exactly. Plain JavaScript, so the
 * TypeScript tests, the crash workers and scripts/proof.mjs share one copy
 * (types in seeded-random.d.mts).
 *
 * @param {number} seed
 * @returns {() => number} uniform in [0, 1)
 */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
