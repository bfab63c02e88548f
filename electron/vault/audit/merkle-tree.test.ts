import { describe, expect, it } from 'vitest';
import { LifeboatError } from '../../../shared/errors.js';
import { loadSodium } from '../keys/crypto-runtime.js';
import {
  consistencyProof,
  emptyRoot,
  HASH_BYTES,
  inclusionProof,
  leafHash,
  MerkleFrontier,
  nodeHash,
  rootHash,
  verifyConsistency,
  verifyInclusion,
} from './merkle-tree.js';
import { currentRoot } from './checkpoint.js';

const sodium = await loadSodium();
const hex = (h: string): Uint8Array => sodium.from_hex(h);
const toHex = (b: Uint8Array): string => sodium.to_hex(b);
const hexAll = (bs: readonly Uint8Array[]): string[] => bs.map(toHex);

// --- Published test vectors -------------------------------------------------
// Test DATA only (hex strings), copied from transparency-dev/merkle,
// proof/verify_test.go (the vectors Certificate Transparency implementations
// share: the same values appear in google/certificate-transparency's
// merkle_tree_test.cc and Chromium's ct_log_verifier_unittest.cc).
// Inclusion vectors there are 1-based ("leaf 1" is index 0); converted below.

/** The eight leaf inputs. */
const VECTOR_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];

/** MTH of the first 1..8 leaves. */
const VECTOR_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const VECTOR_INCLUSION: { index: number; size: number; proof: string[] }[] = [
  { index: 0, size: 1, proof: [] },
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

const VECTOR_CONSISTENCY: { oldSize: number; newSize: number; proof: string[] }[] = [
  { oldSize: 1, newSize: 1, proof: [] },
  {
    oldSize: 1,
    newSize: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    oldSize: 6,
    newSize: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    oldSize: 2,
    newSize: 5,
    proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'],
  },
  {
    oldSize: 6,
    newSize: 7,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

/** SHA-256("") (transparency-dev/merkle, rfc6962/rfc6962_test.go: `echo -n | sha256sum`). */
const EMPTY_TREE_ROOT = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const vectorLeafHashes = VECTOR_LEAVES.map((d) => leafHash(sodium, hex(d)));

// --- Independent references used by the property tests -----------------------

/** Deterministic, distinct leaf hashes for synthetic trees. */
function syntheticLeaves(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => leafHash(sodium, sodium.from_string(`entry ${i}`)));
}

/**
 * A different construction of the same tree hash: hash pairs level by level
 * and carry an unpaired last node up unchanged. Equal to RFC 6962's MTH, but
 * shares no code with the recursive split used by merkle-tree.ts.
 */
function levelByLevelRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) {
    return sodium.crypto_hash_sha256(new Uint8Array(0));
  }
  let level = [...leaves];
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) {
      const pair = new Uint8Array(65);
      pair[0] = 1;
      pair.set(level[i] ?? new Uint8Array(), 1);
      pair.set(level[i + 1] ?? new Uint8Array(), 33);
      next.push(sodium.crypto_hash_sha256(pair));
    }
    if (level.length % 2 === 1) {
      next.push(level[level.length - 1] ?? new Uint8Array());
    }
    level = next;
  }
  return level[0] ?? new Uint8Array();
}

function flipBit(proof: readonly Uint8Array[], element: number, bit: number): Uint8Array[] {
  return proof.map((h, i) => {
    if (i !== element) {
      return h;
    }
    const copy = h.slice();
    copy[bit >> 3] = (copy[bit >> 3] ?? 0) ^ (1 << (bit & 7));
    return copy;
  });
}

/** Bit positions to flip in proof element `i` for the pair (a, b): eight, one per 32-bit word, rotating. */
function bitsToFlip(a: number, b: number, i: number): number[] {
  return Array.from({ length: 8 }, (_, word) => word * 32 + ((a * 7 + b * 3 + i * 11 + word) % 32));
}

const ALL_BITS = Array.from({ length: HASH_BYTES * 8 }, (_, b) => b);
const SOME_HASH = hex('abacaba000000000000000000000000000000000000000000060061e00123456');

// --- Tests ------------------------------------------------------------------

describe('RFC 6962 hashing', () => {
  it('hashes the empty tree, leaves and nodes with the RFC 6962 prefixes (known answers)', () => {
    // Known answers from transparency-dev/merkle, rfc6962/rfc6962_test.go.
    expect(toHex(emptyRoot(sodium))).toBe(EMPTY_TREE_ROOT);
    expect(toHex(rootHash(sodium, []))).toBe(EMPTY_TREE_ROOT);
    expect(toHex(leafHash(sodium, new Uint8Array(0)))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(toHex(leafHash(sodium, sodium.from_string('L123456')))).toBe('395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56');
    expect(toHex(nodeHash(sodium, sodium.from_string('N123'), sodium.from_string('N456')))).toBe(
      'aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb',
    );
  });

  it('keeps the same root as leaves are appended (MerkleFrontier): the published vectors, then every size to 70', () => {
    const frontier = new MerkleFrontier();
    expect(toHex(frontier.root(sodium))).toBe(EMPTY_TREE_ROOT);
    VECTOR_ROOTS.forEach((root, i) => {
      frontier.append(sodium, vectorLeafHashes[i] as Uint8Array);
      expect(toHex(frontier.root(sodium))).toBe(root);
    });
    const leaves = Array.from({ length: 70 }, (_, i) => leafHash(sodium, sodium.from_string(`entry ${String(i)}`)));
    const grown = new MerkleFrontier();
    leaves.forEach((leaf, i) => {
      grown.append(sodium, leaf);
      expect(toHex(grown.root(sodium)), `size ${String(i + 1)}`).toBe(toHex(rootHash(sodium, leaves, i + 1)));
    });
  });

  it("a log's current root follows the log as it grows, and starts again when its lines are not the ones read", () => {
    const lines = Array.from({ length: 40 }, (_, i) => ({ line: `{"seq":${String(i)}}` }));
    const expected = (n: number): string =>
      toHex(
        rootHash(
          sodium,
          lines.slice(0, n).map((l) => leafHash(sodium, sodium.from_string(l.line))),
          n,
        ),
      );
    const log = lines.slice(0, 25);
    expect(toHex(currentRoot(sodium, log).root)).toBe(expected(25));
    log.push(...lines.slice(25));
    expect(toHex(currentRoot(sodium, log).root)).toBe(expected(40));
    // The same array with the last line the frontier read rewritten (an AuditLog never does): read again from the start.
    log[10] = { line: 'rewritten' };
    log[39] = { line: 'rewritten too' };
    const rewritten = log.map((l) => leafHash(sodium, sodium.from_string(l.line)));
    expect(toHex(currentRoot(sodium, log).root)).toBe(toHex(rootHash(sodium, rewritten, 40)));
  });

  it('computes the published roots for sizes 1..8', () => {
    const roots = VECTOR_ROOTS.map((_, i) => toHex(rootHash(sodium, vectorLeafHashes, i + 1)));
    expect(roots).toEqual(VECTOR_ROOTS);
    // The default size is all of the leaves.
    expect(toHex(rootHash(sodium, vectorLeafHashes))).toBe(VECTOR_ROOTS[7]);
  });

  it('matches a level-by-level construction for every size up to 70', () => {
    const leaves = syntheticLeaves(70);
    for (let n = 0; n <= 70; n++) {
      expect(toHex(rootHash(sodium, leaves, n)), `size ${n}`).toBe(toHex(levelByLevelRoot(leaves.slice(0, n))));
    }
  });

  it('computes the root of 100,000 leaves quickly and correctly', () => {
    const leaves = syntheticLeaves(100_000);
    // The best of three runs, so a busy machine does not make this flaky.
    const timings: number[] = [];
    let root: Uint8Array = new Uint8Array();
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      root = rootHash(sodium, leaves);
      timings.push(performance.now() - started);
    }
    expect(toHex(root)).toBe(toHex(levelByLevelRoot(leaves)));
    // ~0.15 s on an idle laptop; the bound leaves room for a slow CI machine
    // but catches an accidental O(n²) (minutes) or O(n log n) rehash (seconds).
    expect(Math.min(...timings)).toBeLessThan(1000);
  });

  it('refuses sizes it cannot honour and leaf hashes of the wrong length', () => {
    const leaves = vectorLeafHashes;
    for (const bad of [-1, 9, 1.5, Number.NaN]) {
      expect(() => rootHash(sodium, leaves, bad)).toThrow(LifeboatError);
    }
    expect(() => rootHash(sodium, [new Uint8Array(31)])).toThrow(/leaf hash 0 is not 32 bytes/);
    expect(() => inclusionProof(sodium, leaves, 8, 8)).toThrow(/leaf index 8/);
    expect(() => inclusionProof(sodium, leaves, 0, 0)).toThrow(LifeboatError);
    expect(() => consistencyProof(sodium, leaves, 5, 4)).toThrow(/old size 5/);
    expect(() => consistencyProof(sodium, leaves, 1, 9)).toThrow(/new size 9/);
  });
});

describe('inclusion proofs', () => {
  it.each(VECTOR_INCLUSION)('generates and verifies the published proof for leaf $index of $size', ({ index, size, proof }) => {
    const root = hex(VECTOR_ROOTS[size - 1] ?? '');
    const leaf = vectorLeafHashes[index] ?? new Uint8Array();
    expect(hexAll(inclusionProof(sodium, vectorLeafHashes, index, size))).toEqual(proof);
    expect(verifyInclusion(sodium, index, size, leaf, proof.map(hex), root)).toBe(true);
  });

  it('produces the c2sp.org/merkle-tree example paths for the 7-entry tree', () => {
    // Structure (not hashes) from C2SP/C2SP merkle-tree.md, "Example":
    // h=H(a,b) i=H(c,d) j=H(e,f) k=H(h,i) l=H(j,g).
    const [a, b, c, d, e, f, g] = syntheticLeaves(7) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    const leaves = [a, b, c, d, e, f, g];
    const h = nodeHash(sodium, a, b);
    const i = nodeHash(sodium, c, d);
    const j = nodeHash(sodium, e, f);
    const k = nodeHash(sodium, h, i);
    const l = nodeHash(sodium, j, g);
    expect(toHex(rootHash(sodium, leaves))).toBe(toHex(nodeHash(sodium, k, l)));
    expect(hexAll(inclusionProof(sodium, leaves, 0, 7))).toEqual(hexAll([b, i, l]));
    expect(hexAll(inclusionProof(sodium, leaves, 3, 7))).toEqual(hexAll([c, h, l]));
    expect(hexAll(inclusionProof(sodium, leaves, 4, 7))).toEqual(hexAll([f, g, k]));
    expect(hexAll(inclusionProof(sodium, leaves, 6, 7))).toEqual(hexAll([j, k]));
  });

  it('rejects the published proofs when anything about them is altered', () => {
    for (const { index, size, proof: proofHex } of VECTOR_INCLUSION) {
      const proof = proofHex.map(hex);
      const root = hex(VECTOR_ROOTS[size - 1] ?? '');
      const leaf = vectorLeafHashes[index] ?? new Uint8Array();
      const reject = (i: number, n: number, lh: Uint8Array, p: readonly Uint8Array[], r: Uint8Array, why: string): void => {
        expect(verifyInclusion(sodium, i, n, lh, p, r), `${index}/${size}: ${why}`).toBe(false);
      };
      reject(index - 1, size, leaf, proof, root, 'index - 1');
      reject(index + 1, size, leaf, proof, root, 'index + 1');
      reject(index ^ 2, size, leaf, proof, root, 'index ^ 2');
      reject(index, size * 2, leaf, proof, root, 'size * 2');
      reject(index, Math.floor(size / 2), leaf, proof, root, 'size / 2');
      reject(index, size, sodium.from_string('WrongLeaf'), proof, root, 'wrong leaf (short)');
      reject(index, size, SOME_HASH, proof, root, 'wrong leaf');
      reject(index, size, leaf, proof, hex(EMPTY_TREE_ROOT), 'empty root');
      reject(index, size, leaf, proof, SOME_HASH, 'random root');
      reject(index, size, leaf, [...proof, new Uint8Array()], root, 'trailing garbage');
      reject(index, size, leaf, [...proof, root], root, 'trailing root');
      reject(index, size, leaf, [new Uint8Array(), ...proof], root, 'preceding garbage');
      reject(index, size, leaf, [root, ...proof], root, 'preceding root');
      if (proof.length > 0) {
        reject(index, size, leaf, proof.slice(0, -1), root, 'removed component');
      }
    }
  });

  it('rejects malformed input without throwing', () => {
    const leaf = vectorLeafHashes[0] ?? new Uint8Array();
    const root = leaf; // a one-leaf tree's root is its leaf hash
    expect(verifyInclusion(sodium, 0, 1, leaf, [], root)).toBe(true);
    const probes: [number, number, Uint8Array, Uint8Array[], Uint8Array][] = [
      [0, 0, leaf, [], root],
      [1, 0, leaf, [], root],
      [2, 1, leaf, [], root],
      [-1, 1, leaf, [], root],
      [0.5, 1, leaf, [], root],
      [0, Number.NaN, leaf, [], root],
      [0, 2 ** 53, leaf, [], root],
      [0, 1, new Uint8Array(), [], root],
      [0, 1, leaf, [], new Uint8Array()],
      [0, 1, leaf, [], new Uint8Array(33)],
      [0, 2, leaf, [new Uint8Array(31)], root],
      [0, 2, leaf, Array.from({ length: 200 }, () => root), root],
    ];
    for (const [i, n, lh, p, r] of probes) {
      expect(verifyInclusion(sodium, i, n, lh, p, r), `probe ${i}/${n}`).toBe(false);
    }
    // Not even a nonsense type from an untyped caller throws.
    expect(verifyInclusion(sodium, 0, 1, leaf, null as unknown as Uint8Array[], root)).toBe(false);
    expect(verifyInclusion(sodium, 0, 1, 'x' as unknown as Uint8Array, [], root)).toBe(false);
  });

  it('property: for every 0 ≤ i < n ≤ 40 the proof verifies, and every alteration fails', () => {
    const leaves = syntheticLeaves(41);
    const roots = Array.from({ length: 42 }, (_, n) => rootHash(sodium, leaves, n));
    let checked = 0;
    for (let n = 1; n <= 40; n++) {
      const root = roots[n] ?? new Uint8Array();
      for (let i = 0; i < n; i++) {
        const leaf = leaves[i] ?? new Uint8Array();
        const proof = inclusionProof(sodium, leaves, i, n);
        const ok = (ii: number, nn: number, lh: Uint8Array, p: readonly Uint8Array[], r: Uint8Array): boolean => verifyInclusion(sodium, ii, nn, lh, p, r);
        expect(ok(i, n, leaf, proof, root), `valid ${i}/${n}`).toBe(true);
        // Any single flipped bit in any proof element (all bits for small trees).
        proof.forEach((_, e) => {
          for (const bit of n <= 10 ? ALL_BITS : bitsToFlip(i, n, e)) {
            if (ok(i, n, leaf, flipBit(proof, e, bit), root)) {
              expect.fail(`flipped bit ${bit} of proof[${e}] still verified ${i}/${n}`);
            }
            checked++;
          }
        });
        // A wrong leaf, a wrong root, the root of another size.
        expect(ok(i, n, leaves[(i + 1) % 41] ?? leaf, proof, root), `wrong leaf ${i}/${n}`).toBe(false);
        expect(ok(i, n, leaf, proof, SOME_HASH), `wrong root ${i}/${n}`).toBe(false);
        // Another index or size, each with its own (correct) root.
        for (let other = 1; other <= 41; other++) {
          if (other !== n && i < other) {
            expect(ok(i, other, leaf, proof, roots[other] ?? root), `size ${n}→${other}, leaf ${i}`).toBe(false);
          }
        }
        for (let j = 0; j < n; j++) {
          if (j !== i) {
            expect(ok(j, n, leaf, proof, root), `index ${i}→${j} of ${n}`).toBe(false);
          }
        }
        // The swapped pair (n, i): an index outside the tree.
        expect(ok(n, i, leaf, proof, root), `swapped ${i}/${n}`).toBe(false);
        // One element too few, or one too many.
        if (proof.length > 0) {
          expect(ok(i, n, leaf, proof.slice(1), root)).toBe(false);
          expect(ok(i, n, leaf, proof.slice(0, -1), root)).toBe(false);
        }
        expect(ok(i, n, leaf, [...proof, root], root)).toBe(false);
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });
});

describe('consistency proofs', () => {
  it.each(VECTOR_CONSISTENCY)('generates and verifies the published proof from $oldSize to $newSize', ({ oldSize, newSize, proof }) => {
    const oldRoot = hex(VECTOR_ROOTS[oldSize - 1] ?? '');
    const newRoot = hex(VECTOR_ROOTS[newSize - 1] ?? '');
    expect(hexAll(consistencyProof(sodium, vectorLeafHashes, oldSize, newSize))).toEqual(proof);
    expect(verifyConsistency(sodium, oldSize, newSize, oldRoot, newRoot, proof.map(hex))).toBe(true);
  });

  it('produces the c2sp.org/merkle-tree example proofs for the 7-entry tree', () => {
    // Structure from C2SP/C2SP merkle-tree.md, "Example" (labels as there).
    const [a, b, c, d, e, f, g] = syntheticLeaves(7) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    const leaves = [a, b, c, d, e, f, g];
    const h = nodeHash(sodium, a, b);
    const j = nodeHash(sodium, e, f);
    const k = nodeHash(sodium, h, nodeHash(sodium, c, d));
    const l = nodeHash(sodium, j, g);
    expect(hexAll(consistencyProof(sodium, leaves, 3, 7))).toEqual(hexAll([c, d, h, l]));
    expect(hexAll(consistencyProof(sodium, leaves, 4, 7))).toEqual(hexAll([l]));
    expect(hexAll(consistencyProof(sodium, leaves, 6, 7))).toEqual(hexAll([j, g, k]));
  });

  it('rejects the published proofs when anything about them is altered', () => {
    for (const { oldSize, newSize, proof: proofHex } of VECTOR_CONSISTENCY) {
      if (proofHex.length === 0) {
        continue;
      }
      const proof = proofHex.map(hex);
      const oldRoot = hex(VECTOR_ROOTS[oldSize - 1] ?? '');
      const newRoot = hex(VECTOR_ROOTS[newSize - 1] ?? '');
      const reject = (m: number, n: number, r1: Uint8Array, r2: Uint8Array, p: readonly Uint8Array[], why: string): void => {
        expect(verifyConsistency(sodium, m, n, r1, r2, p), `${oldSize}→${newSize}: ${why}`).toBe(false);
      };
      reject(oldSize - 1, newSize, oldRoot, newRoot, proof, 'old size - 1');
      reject(oldSize + 1, newSize, oldRoot, newRoot, proof, 'old size + 1');
      reject(oldSize ^ 2, newSize, oldRoot, newRoot, proof, 'old size ^ 2');
      reject(oldSize, newSize * 2, oldRoot, newRoot, proof, 'new size * 2');
      reject(oldSize, Math.floor(newSize / 2), oldRoot, newRoot, proof, 'new size / 2');
      reject(oldSize, newSize, sodium.from_string('WrongRoot'), newRoot, proof, 'short old root');
      reject(oldSize, newSize, oldRoot, sodium.from_string('WrongRoot'), proof, 'short new root');
      reject(oldSize, newSize, newRoot, oldRoot, proof, 'swapped roots');
      reject(newSize, oldSize, newRoot, oldRoot, proof, 'swapped sizes and roots');
      reject(oldSize, newSize, oldRoot, newRoot, [], 'empty proof');
      reject(oldSize, newSize, oldRoot, newRoot, [...proof, new Uint8Array()], 'trailing garbage');
      reject(oldSize, newSize, oldRoot, newRoot, [...proof, oldRoot], 'trailing old root');
      reject(oldSize, newSize, oldRoot, newRoot, [...proof, newRoot], 'trailing new root');
      reject(oldSize, newSize, oldRoot, newRoot, [new Uint8Array(), ...proof], 'preceding garbage');
      reject(oldSize, newSize, oldRoot, newRoot, [oldRoot, ...proof], 'preceding old root');
      reject(oldSize, newSize, oldRoot, newRoot, [newRoot, ...proof], 'preceding new root');
      reject(oldSize, newSize, oldRoot, newRoot, [proof[0] ?? oldRoot, ...proof], 'preceding proof[0]');
      reject(oldSize, newSize, oldRoot, newRoot, proof.slice(0, -1), 'truncated');
    }
  });

  it('handles the edge cases: equal sizes, an empty old tree, sizes going backwards, malformed input', () => {
    const empty = hex(EMPTY_TREE_ROOT);
    const r1 = hex(VECTOR_ROOTS[0] ?? '');
    const r2 = hex(VECTOR_ROOTS[1] ?? '');
    const cases: [number, number, Uint8Array, Uint8Array, Uint8Array[], boolean][] = [
      // Equal sizes: an empty proof and equal roots.
      [0, 0, empty, empty, [], true],
      [1, 1, r1, r1, [], true],
      [1, 1, r1, r2, [], false],
      [1, 1, r1, r1, [empty], false],
      [0, 0, SOME_HASH, SOME_HASH, [], false],
      // An empty old tree is a prefix of every tree; its root must be SHA-256("").
      [0, 1, empty, r1, [], true],
      [0, 2, empty, r2, [], true],
      [0, 1, empty, r1, [empty], false],
      [0, 1, SOME_HASH, r1, [], false],
      [0, 0, empty, SOME_HASH, [], false],
      // Time travel.
      [1, 0, r1, empty, [], false],
      [2, 1, r2, r1, [], false],
      // A non-trivial pair needs a proof.
      [1, 2, r1, r2, [], false],
      // Malformed numbers and hashes.
      [-1, 1, r1, r1, [], false],
      [1.5, 2, r1, r2, [], false],
      [1, Number.POSITIVE_INFINITY, r1, r2, [], false],
      [1, 2, new Uint8Array(31), r2, [], false],
      [1, 2, r1, new Uint8Array(33), [], false],
      [1, 2, r1, r2, Array.from({ length: 100 }, () => r1), false],
    ];
    for (const [m, n, a, b, p, want] of cases) {
      expect(verifyConsistency(sodium, m, n, a, b, p), `${m}→${n}`).toBe(want);
    }
    expect(verifyConsistency(sodium, 1, 2, r1, r2, undefined as unknown as Uint8Array[])).toBe(false);
    expect(consistencyProof(sodium, vectorLeafHashes, 0, 8)).toEqual([]);
    expect(consistencyProof(sodium, vectorLeafHashes, 5, 5)).toEqual([]);
  });

  it('property: for every 1 ≤ m ≤ n ≤ 40 the proof verifies, and every alteration fails', () => {
    const leaves = syntheticLeaves(41);
    const roots = Array.from({ length: 42 }, (_, n) => rootHash(sodium, leaves, n));
    let checked = 0;
    for (let n = 1; n <= 40; n++) {
      for (let m = 1; m <= n; m++) {
        const oldRoot = roots[m] ?? new Uint8Array();
        const newRoot = roots[n] ?? new Uint8Array();
        const proof = consistencyProof(sodium, leaves, m, n);
        const ok = (mm: number, nn: number, a: Uint8Array, b: Uint8Array, p: readonly Uint8Array[]): boolean => verifyConsistency(sodium, mm, nn, a, b, p);
        expect(ok(m, n, oldRoot, newRoot, proof), `valid ${m}→${n}`).toBe(true);
        expect(proof.length === 0, `proof is empty exactly when sizes are equal (${m}→${n})`).toBe(m === n);
        // Any single flipped bit in any proof element (all bits for small trees).
        proof.forEach((_, e) => {
          for (const bit of n <= 10 ? ALL_BITS : bitsToFlip(m, n, e)) {
            if (ok(m, n, oldRoot, newRoot, flipBit(proof, e, bit))) {
              expect.fail(`flipped bit ${bit} of proof[${e}] still verified ${m}→${n}`);
            }
            checked++;
          }
        });
        // A wrong old root, a wrong new root (including the roots of neighbouring sizes).
        expect(ok(m, n, SOME_HASH, newRoot, proof), `wrong old root ${m}→${n}`).toBe(false);
        expect(ok(m, n, oldRoot, SOME_HASH, proof), `wrong new root ${m}→${n}`).toBe(false);
        expect(ok(m, n, roots[m - 1] ?? SOME_HASH, newRoot, proof), `old root of ${m - 1} for ${m}→${n}`).toBe(false);
        expect(ok(m, n, oldRoot, roots[n + 1] ?? SOME_HASH, proof), `new root of ${n + 1} for ${m}→${n}`).toBe(false);
        // Swapped sizes (with the roots swapped too, so only the sizes are "wrong").
        if (m !== n) {
          expect(ok(n, m, newRoot, oldRoot, proof), `swapped ${m}→${n}`).toBe(false);
          expect(ok(m, n, newRoot, oldRoot, proof), `swapped roots ${m}→${n}`).toBe(false);
        }
        // Another size with its own correct root.
        for (let other = 1; other <= 41; other++) {
          if (other !== m && other <= n) {
            expect(ok(other, n, roots[other] ?? oldRoot, newRoot, proof), `old size ${m}→${other} (to ${n})`).toBe(false);
          }
          if (other !== n && other >= m) {
            expect(ok(m, other, oldRoot, roots[other] ?? newRoot, proof), `new size ${n}→${other} (from ${m})`).toBe(false);
          }
        }
        // One element too few, or one too many.
        if (proof.length > 0) {
          expect(ok(m, n, oldRoot, newRoot, proof.slice(1))).toBe(false);
          expect(ok(m, n, oldRoot, newRoot, proof.slice(0, -1))).toBe(false);
        }
        expect(ok(m, n, oldRoot, newRoot, [...proof, newRoot])).toBe(false);
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('proves consistency and inclusion inside a 100,000-leaf tree', () => {
    const leaves = syntheticLeaves(100_000);
    const newRoot = rootHash(sodium, leaves);
    for (const [m, i] of [
      [12_345, 0],
      [65_536, 99_999],
      [99_999, 54_321],
    ] as const) {
      const oldRoot = rootHash(sodium, leaves, m);
      const proof = consistencyProof(sodium, leaves, m, leaves.length);
      expect(verifyConsistency(sodium, m, leaves.length, oldRoot, newRoot, proof)).toBe(true);
      expect(verifyConsistency(sodium, m, leaves.length, oldRoot, newRoot, flipBit(proof, proof.length - 1, 255))).toBe(false);
      const path = inclusionProof(sodium, leaves, i, leaves.length);
      expect(path.length).toBeLessThanOrEqual(17);
      expect(verifyInclusion(sodium, i, leaves.length, leaves[i] ?? new Uint8Array(), path, newRoot)).toBe(true);
      expect(verifyInclusion(sodium, i, leaves.length, leaves[i + 1] ?? new Uint8Array(), path, newRoot)).toBe(false);
    }
  });
});
