/** A seeded PRNG (seeded-random.mjs): the same seed gives the same sequence, uniform in [0, 1). */
export function mulberry32(seed: number): () => number;
