/**
 * Fuzz: recovery share text, as custodians type it (electron/quorum/share-codec.ts decodeShare,
 * shared/share-groups.ts, and combineShares in quorum/quorum-shares.ts).
 *
 * - Any string decodes to a payload or is refused with SHARE_INVALID: never another error, never
 *   longer than 2 s (sandboxed), and a typed variation of a real share decodes only if it is the
 *   same share once normalised (case, spaces, dashes, O/I/L look-alikes).
 * Shares swept: the five of a real 3-of-5 set (random every run, as libsodium makes them; a failure
 * prints their text) and five encoded from seeded payloads (the same every run).
 * - Every single-character substitution of a share, at every one of its 100 positions, by each
 *   of the 31 other characters of the alphabet, is caught (SHARE_INVALID, in the group where it is);
 *   a look-alike or a change of case is harmless.
 * - Every adjacent transposition within a group is caught or harmless (two equal characters).
 *   The guarantee observed, and proved over random groups below: Luhn mod 32 catches every single
 *   substitution, every group typed in another group's boxes, and every transposition of two
 *   adjacent data characters except the pair 0 ↔ Z (code points 0 and 31: 2·0 + 31 ≡ 2·31 − 31 + 0
 *   mod 32, exactly the 09 ↔ 90 blind spot of the decimal Luhn). It does not cover the check
 *   character itself: swapping the last data character with the check character passes the group
 *   for 1 group in 496 (0.2%: counted over all 32^4 data values for group numbers 1, 7 and 20, and
 *   measured again below). Both gaps are caught by the whole-share BLAKE2b checksum (16 bits), which
 *   the exhaustive sweep of real shares shows catching every one.
 * - combineShares with forged shares (valid checksums: the checksum is unkeyed, anyone can make one)
 *   is refused with SHARE_INVALID or SHARE_REJECTED, and never returns a key unless every share is a
 *   real, distinct one.
 *
 * Bugs this file found, since fixed in the engine and kept as regression tests at the end:
 * - two shares with different custodian numbers but the same Shamir x coordinate made
 *   `shamir-secret-sharing`'s combine throw a plain Error ("shares must contain unique values…"),
 *   which escaped combineShares as a crash instead of SHARE_REJECTED;
 * - a real share whose custodian number was rewritten (the checksum is unkeyed, so anyone can
 *   recompute it) still combined: the vault opened and the log named the wrong custodian. (Sets
 *   created before the fix have no x coordinates in the header and stay open to this.)
 *
 * Scale: LIFEBOAT_FUZZ_RUNS multiplies the inputs, LIFEBOAT_FUZZ_SEED changes them,
 * LIFEBOAT_FUZZ_PATH replays one (see test/fuzz/mutate.ts).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LifeboatError } from '../../shared/errors.js';
import { GROUP_LENGTH, groupCheckChar, groupChecks, normalizeShareText, SHARE_ALPHABET, SHARE_GROUPS } from '../../shared/share-groups.js';
import { loadSodium, type Sodium } from '../../electron/vault/keys/crypto-runtime.js';
import { createRecoveryShares, type ShareSet } from '../../electron/quorum/quorum-shares.js';
import { decodeShare, encodeShare, type SharePayload } from '../../electron/quorum/share-codec.js';
import { readHeader, type VaultHeader } from '../../electron/vault/keys/vault-header.js';
import { createRecord } from '../../electron/vault/records/vault-records.js';
import { newVault } from '../support/test-vault.js';
import { mulberry32 } from '../support/seeded-random.mjs';
import {
  assertRefused,
  eachCase,
  fcParams,
  FuzzLog,
  HANG_LIMIT_MS,
  mutateText,
  type Outcome,
  outcomeKey,
  passes,
  refusedWith,
  Sandbox,
  seedFor,
} from './mutate.js';

const sandbox = new Sandbox();
let sodium: Sodium;
let set: ShareSet;
let header: VaultHeader;
let payloads: SharePayload[];
/** Shares to sweep: the vault's five (random each run: libsodium) and five from the seed (the same every run). */
let samples: { name: string; text: string; payload: SharePayload }[];

beforeAll(async () => {
  sodium = await loadSodium();
  const { dir, session } = await newVault();
  await createRecord(session, { type: 'secret', title: 'Root', data: { password: 'p' } });
  set = await createRecoveryShares(session, { threshold: 3, custodians: ['Ana', 'Bea', 'Cy', 'Dev', 'Eli'] });
  await session.lock();
  header = await readHeader(dir);
  payloads = set.shares.map((s) => decodeShare(sodium, s.text));
  const random = mulberry32(seedFor('share: seeded samples'));
  const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
  const seeded = Array.from({ length: 5 }, (_, i): SharePayload => ({
    vaultTag: sodium.to_hex(bytes(4)),
    setId: sodium.to_hex(bytes(8)),
    threshold: 1 + Math.floor(random() * 255),
    index: i + 1,
    share: bytes(33),
  }));
  samples = [
    ...set.shares.map((share, i) => ({ name: `the vault's share ${i + 1} (${share.text})`, text: share.text, payload: payloadAt(i) })),
    ...seeded.map((payload, i) => ({ name: `seeded share ${i + 1}`, text: encodeShare(sodium, payload), payload })),
  ];
}, 60_000);

afterAll(async () => {
  await sandbox.close();
});

function decodeInSandbox(text: string): Promise<Outcome> {
  return sandbox.call('electron/quorum/share-codec.ts', 'decodeShare', [text], { sodium: true });
}

/** decodeShare in this thread, timed: the payload, or the LifeboatError; anything else fails the test. */
function decodeHere(text: string): { payload?: SharePayload; error?: LifeboatError } {
  const started = performance.now();
  let result: { payload?: SharePayload; error?: LifeboatError };
  try {
    result = { payload: decodeShare(sodium, text) };
  } catch (error) {
    if (!(error instanceof LifeboatError)) {
      throw new Error(`decodeShare crashed on ${JSON.stringify(text)}: ${String(error)}`);
    }
    result = { error };
  }
  const ms = performance.now() - started;
  if (ms > HANG_LIMIT_MS) {
    throw new Error(`decodeShare took ${ms.toFixed(0)} ms on ${JSON.stringify(text).slice(0, 120)}`);
  }
  return result;
}

function samePayload(a: SharePayload, b: SharePayload): boolean {
  return a.vaultTag === b.vaultTag && a.setId === b.setId && a.threshold === b.threshold && a.index === b.index && sodium.memcmp(a.share, b.share);
}

function compact(text: string): string {
  return text.replace(/ /g, '');
}

function shareText(i: number): string {
  const share = set.shares[i];
  if (!share) {
    throw new Error(`no share ${i}`);
  }
  return share.text;
}

function payloadAt(i: number): SharePayload {
  const payload = payloads[i];
  if (!payload) {
    throw new Error(`no payload ${i}`);
  }
  return payload;
}

/** A decoded payload has the shape the format promises. */
function payloadShapeProblem(value: unknown): string | null {
  const p = value as Partial<SharePayload>;
  const ok =
    typeof p.vaultTag === 'string' &&
    /^[0-9a-f]{8}$/.test(p.vaultTag) &&
    typeof p.setId === 'string' &&
    /^[0-9a-f]{16}$/.test(p.setId) &&
    Number.isInteger(p.threshold) &&
    Number.isInteger(p.index) &&
    p.share instanceof Uint8Array &&
    p.share.length === 33;
  return ok ? null : `decodeShare returned a malformed payload: ${JSON.stringify(value).slice(0, 200)}`;
}

/** Characters of a share (all ASCII, so code units and characters agree). */
function charsOf(text: string): string[] {
  return Array.from(text);
}

const ALPHABET = charsOf(SHARE_ALPHABET);
const SHARE_CHARS = [...ALPHABET, 'O', 'I', 'L', 'o', 'i', 'l', 'a', 'z', ' ', '-', '\t', 'U', 'u', '\n'];

describe('decodeShare: any string gives a payload or SHARE_INVALID', () => {
  it('arbitrary text, and strings of share characters around the right length', async (context) => {
    const label = 'share: arbitrary text';
    const log = new FuzzLog(label, context.task.name);
    const input = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.array(fc.constantFrom(...SHARE_CHARS), { minLength: 95, maxLength: 125 }).map((chars) => chars.join('')),
      fc.array(fc.constantFrom(...ALPHABET), { minLength: 100, maxLength: 100 }).map((chars) => chars.join('')),
    );
    await fc.assert(
      fc.asyncProperty(input, async (text) => {
        const outcome = await decodeInSandbox(text);
        const problem = outcome.kind === 'returned' ? payloadShapeProblem(outcome.value) : refusedWith(outcome, ['SHARE_INVALID']);
        log.note('fast-check', outcomeKey(outcome), problem, JSON.stringify(text).slice(0, 140));
        return passes(problem);
      }),
      fcParams(label, 500, context.task.name),
    );
    await context.annotate(log.summary());
    log.check();
  });

  it('a share retyped with mutations: decodes only when it is the same share once normalised', async (context) => {
    const label = 'share: mutated shares';
    const log = new FuzzLog(label, context.task.name);
    await eachCase(label, 600, async (index, random) => {
      const sample = samples[5 + (index % 5)];
      if (!sample) {
        return;
      }
      const original = sample.text;
      const mutation = mutateText(random() < 0.5 ? original : original.toLowerCase(), random, SHARE_CHARS, 2);
      const outcome = await decodeInSandbox(mutation.value);
      let problem: string | null;
      if (outcome.kind === 'returned') {
        const same = normalizeShareText(mutation.value) === normalizeShareText(original);
        problem = same && samePayload(outcome.value as SharePayload, sample.payload) ? null : 'an altered share decoded to a payload';
      } else {
        problem = refusedWith(outcome, ['SHARE_INVALID']);
      }
      log.note(index, outcome.kind === 'returned' ? 'decoded (same share)' : outcomeKey(outcome), problem, `${sample.name}: ${mutation.steps.join('; ')}`);
    });
    await context.annotate(log.summary());
    log.check();
  });
});

describe('typing mistakes in a real share', () => {
  it('every single-character substitution, at every position, by every other character, is caught in its group', async (context) => {
    const log = new FuzzLog('share: every substitution', context.task.name);
    for (const sample of samples) {
      const chars = charsOf(compact(sample.text));
      chars.forEach((original, position) => {
        for (const replacement of ALPHABET) {
          if (replacement === original) {
            continue;
          }
          const typed = [...chars];
          typed[position] = replacement;
          const { payload, error } = decodeHere(typed.join(''));
          const group = Math.floor(position / GROUP_LENGTH) + 1;
          const caught = error?.code === 'SHARE_INVALID' && error.message.includes(`group ${group} does not check`);
          log.note(
            `${sample.name} position ${position}`,
            caught ? 'SHARE_INVALID in its group' : payload ? 'decoded' : (error?.code ?? '?'),
            caught ? null : `${original} → ${replacement}: ${payload ? 'it decoded' : (error?.message ?? '')}`,
          );
        }
      });
    }
    await context.annotate(log.summary());
    log.check();
    expect(log.inputs).toBe(samples.length * SHARE_GROUPS * GROUP_LENGTH * 31);
  });

  it('look-alikes, lower case, dashes and extra spaces are harmless', () => {
    for (const { name, text, payload: expected } of samples) {
      const variants = [
        text.toLowerCase(),
        text.replace(/ /g, '-'),
        text.replace(/ /g, '  \t'),
        compact(text),
        text.replace(/0/g, 'O').replace(/1/g, (_, i: number) => (i % 2 === 0 ? 'I' : 'l')),
      ];
      for (const variant of variants) {
        const { payload, error } = decodeHere(variant);
        expect(error?.message, `${name}: ${variant}`).toBeUndefined();
        expect(payload && samePayload(payload, expected), `${name}: ${variant}`).toBe(true);
      }
    }
  });

  it('every adjacent transposition within a group is caught or harmless; the layer that caught each is tallied', async (context) => {
    const log = new FuzzLog('share: every adjacent transposition', context.task.name);
    for (const sample of samples) {
      const chars = charsOf(compact(sample.text));
      for (let g = 0; g < SHARE_GROUPS; g += 1) {
        for (let i = 0; i < GROUP_LENGTH - 1; i += 1) {
          const a = g * GROUP_LENGTH + i;
          const typed = [...chars];
          [typed[a], typed[a + 1]] = [chars[a + 1] ?? '', chars[a] ?? ''];
          const { payload, error } = decodeHere(typed.join(''));
          const kind = i === GROUP_LENGTH - 2 ? 'data↔check' : 'data↔data';
          let key: string;
          let problem: string | null = null;
          if (chars[a] === chars[a + 1]) {
            key = 'harmless (equal characters)';
            problem = payload && samePayload(payload, sample.payload) ? null : 'swapping two equal characters changed the share';
          } else if (error?.code === 'SHARE_INVALID') {
            key = `${kind} caught by ${error.message.includes('as a whole') ? 'the whole-share checksum' : 'the group check'}`;
          } else {
            key = `${kind} not caught`;
            problem = `${chars[a] ?? ''}${chars[a + 1] ?? ''} in group ${g + 1}: ${payload ? 'decoded to another payload' : (error?.message ?? '')}`;
          }
          log.note(`${sample.name} group ${g + 1} position ${i}`, key, problem);
        }
      }
    }
    await context.annotate(log.summary());
    log.check();
  });
});

describe('Luhn mod 32 over random groups: the guarantee, exactly', () => {
  const groupArb = fc.record({
    group: fc.integer({ min: 1, max: SHARE_GROUPS }),
    data: fc.array(fc.constantFrom(...ALPHABET), { minLength: 4, maxLength: 4 }).map((c) => c.join('')),
  });

  it('every single substitution and every group typed in another group’s boxes is caught', (context) => {
    fc.assert(
      fc.property(
        groupArb,
        fc.nat({ max: GROUP_LENGTH - 1 }),
        fc.constantFrom(...ALPHABET),
        fc.integer({ min: 1, max: SHARE_GROUPS }),
        ({ group, data }, position, replacement, other) => {
          const typed = data + groupCheckChar(group, data);
          expect(groupChecks(group, typed)).toBe(true);
          const chars = charsOf(typed);
          if (chars[position] !== replacement) {
            chars[position] = replacement;
            expect(groupChecks(group, chars.join('')), `${typed} with ${replacement} at ${position}`).toBe(false);
          }
          if (other !== group) {
            expect(groupChecks(other, typed), `${typed} of group ${group} typed as group ${other}`).toBe(false);
          }
        },
      ),
      fcParams('luhn: substitutions', 2000, context.task.name),
    );
  });

  it('an adjacent transposition of data characters is caught unless the pair is 0 and Z', (context) => {
    fc.assert(
      fc.property(groupArb, fc.nat({ max: 2 }), ({ group, data }, i) => {
        const typed = data + groupCheckChar(group, data);
        const chars = charsOf(typed);
        const [a, b] = [chars[i] ?? '', chars[i + 1] ?? ''];
        [chars[i], chars[i + 1]] = [b, a];
        const blindSpot = new Set([a, b]).size === 2 && [a, b].sort().join('') === '0Z';
        expect(groupChecks(group, chars.join('')), `${typed}: ${a}${b} swapped`).toBe(a === b || blindSpot);
      }),
      fcParams('luhn: transpositions', 3000, context.task.name),
    );
    // The blind spot itself, deterministically.
    expect(groupChecks(7, `0Z12${groupCheckChar(7, '0Z12')}`.replace('0Z', 'Z0'))).toBe(true);
  });

  it('swapping the last data character with the check character rarely passes the group check (measured)', async (context) => {
    let passed = 0;
    let swapped = 0;
    fc.assert(
      fc.property(groupArb, ({ group, data }) => {
        const check = groupCheckChar(group, data);
        if (check !== data[3]) {
          swapped += 1;
          passed += groupChecks(group, data.slice(0, 3) + check + (data[3] ?? '')) ? 1 : 0;
        }
      }),
      { ...fcParams('luhn: data-check swap', 4000, context.task.name) },
    );
    await context.annotate(`data↔check swaps passing the group check: ${passed} of ${swapped} (${((100 * passed) / Math.max(1, swapped)).toFixed(1)}%)`);
    expect(passed / swapped).toBeLessThan(0.1);
  });

  it('random shares: every substitution is caught, every adjacent transposition is caught or harmless', (context) => {
    const payloadArb = fc.record({
      vaultTag: fc.uint8Array({ minLength: 4, maxLength: 4 }),
      setId: fc.uint8Array({ minLength: 8, maxLength: 8 }),
      threshold: fc.integer({ min: 0, max: 255 }),
      index: fc.integer({ min: 0, max: 255 }),
      share: fc.uint8Array({ minLength: 33, maxLength: 33 }),
    });
    fc.assert(
      fc.property(payloadArb, fc.nat({ max: 99 }), fc.constantFrom(...ALPHABET), fc.nat({ max: 3 }), (raw, position, replacement, pairAt) => {
        const payload: SharePayload = { ...raw, vaultTag: sodium.to_hex(raw.vaultTag), setId: sodium.to_hex(raw.setId) };
        const chars = charsOf(compact(encodeShare(sodium, payload)));
        const decoded = decodeHere(chars.join('')).payload;
        expect(decoded && samePayload(decoded, payload)).toBe(true);
        if (chars[position] !== replacement) {
          const typed = [...chars];
          typed[position] = replacement;
          expect(decodeHere(typed.join('')).error?.code).toBe('SHARE_INVALID');
        }
        const a = Math.floor(position / GROUP_LENGTH) * GROUP_LENGTH + pairAt;
        const swapped = [...chars];
        [swapped[a], swapped[a + 1]] = [chars[a + 1] ?? '', chars[a] ?? ''];
        const result = decodeHere(swapped.join(''));
        expect(result.error?.code === 'SHARE_INVALID' || (result.payload !== undefined && samePayload(result.payload, payload))).toBe(true);
      }),
      fcParams('share: random payloads', 1500, context.task.name),
    );
  });
});

describe('combineShares: forged shares are refused, never combined into a key', () => {
  /** What a forger chooses: each field real (from share `base`) or not. */
  interface Forgery {
    base: number;
    realTag: boolean;
    realSet: boolean;
    threshold: number;
    index: number;
    /** Share bytes: the base share's, or random. */
    share: Uint8Array | null;
    /** x coordinate: kept, another real share's (a twin), or any byte. */
    x: { keep: true } | { twinOf: number } | { byte: number };
  }

  const likely = (arb: fc.Arbitrary<boolean>): fc.Arbitrary<boolean> => fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: arb });
  const forgedArb: fc.Arbitrary<Forgery> = fc.record({
    base: fc.nat({ max: 4 }),
    realTag: likely(fc.boolean()),
    realSet: likely(fc.boolean()),
    threshold: fc.oneof({ weight: 4, arbitrary: fc.constant(3) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) }),
    index: fc.integer({ min: 0, max: 6 }),
    share: fc.oneof(fc.constant(null), fc.uint8Array({ minLength: 33, maxLength: 33 })),
    x: fc.oneof(
      fc.constant({ keep: true as const }),
      fc.nat({ max: 4 }).map((twinOf) => ({ twinOf })),
      fc.integer({ min: 0, max: 255 }).map((byte) => ({ byte })),
    ),
  });
  const entryArb = fc.oneof(
    { weight: 2, arbitrary: fc.nat({ max: 4 }).map((i) => ({ real: i })) },
    { weight: 3, arbitrary: forgedArb.map((f) => ({ forged: f })) },
  );

  /** A share with valid group checks and checksum: the checksum is unkeyed, anyone can make one. */
  function forge(f: Forgery): string {
    const base = payloadAt(f.base);
    const share = Uint8Array.from(f.share ?? base.share);
    if ('twinOf' in f.x) {
      share[32] = payloadAt(f.x.twinOf).share[32] ?? 0;
    } else if ('byte' in f.x) {
      share[32] = f.x.byte;
    }
    return encodeShare(sodium, {
      vaultTag: f.realTag ? base.vaultTag : 'deadbeef',
      setId: f.realSet ? base.setId : '0011223344556677',
      threshold: f.threshold,
      index: f.index,
      share,
    });
  }

  /** Why combineShares returning a key is wrong, or null if it is right: only real, distinct shares may give one. */
  function keyProblem(texts: readonly string[]): { key: string; problem: string | null } {
    const given = texts.map((t) => decodeShare(sodium, t));
    const genuine = given.every((p) => payloads.some((real) => samePayload(p, real)));
    if (genuine && new Set(texts).size === texts.length && texts.length >= 3) {
      return { key: 'returned (real shares)', problem: null };
    }
    return { key: 'returned', problem: 'a key came out of forged, relabelled or repeated shares' };
  }

  it('any mix of real and forged shares: SHARE_INVALID or SHARE_REJECTED, or the key only from real distinct shares', async (context) => {
    const label = 'share: combine forged';
    const log = new FuzzLog(label, context.task.name);
    await fc.assert(
      fc.asyncProperty(fc.array(entryArb, { minLength: 1, maxLength: 5 }), async (entries) => {
        const texts = entries.map((e) => ('real' in e ? shareText(e.real) : forge(e.forged)));
        const outcome = await sandbox.call('electron/quorum/quorum-shares.ts', 'combineShares', [header, texts], { sodium: true });
        let judged: { key: string; problem: string | null };
        if (outcome.kind === 'returned') {
          judged = keyProblem(texts);
        } else {
          judged = { key: outcomeKey(outcome), problem: refusedWith(outcome, ['SHARE_INVALID', 'SHARE_REJECTED']) };
        }
        log.note('fast-check', judged.key, judged.problem, `${JSON.stringify(entries).slice(0, 200)} → ${texts.join(' / ')}`);
        return passes(judged.problem);
      }),
      fcParams(label, 300, context.task.name),
    );
    await context.annotate(log.summary());
    log.check();
  });

  it('a share relabelled with another custodian’s number is refused, not logged as that custodian', async () => {
    // Cy's share (custodian 3) with its custodian number rewritten to 1 and the checksum recomputed
    // (it is unkeyed): combineShares checked only that the numbers differ, the Shamir bytes are Cy's,
    // so the key came out and the unlock was logged with Ana as a custodian.
    const relabelled = encodeShare(sodium, { ...payloadAt(2), index: 1 });
    const outcome = await sandbox.call('electron/quorum/quorum-shares.ts', 'combineShares', [header, [relabelled, shareText(1), shareText(4)]], {
      sodium: true,
    });
    assertRefused(outcome, ['SHARE_REJECTED']);
  });

  it('two shares with different custodian numbers but the same x coordinate give SHARE_REJECTED, not a crash', async () => {
    // combine() threw a plain Error on repeated x coordinates, which escaped as a crash.
    const fourth = payloadAt(3);
    const bytes = Uint8Array.from(fourth.share);
    bytes[32] = payloadAt(1).share[32] ?? 0; // custodian 4's share, with custodian 2's x coordinate
    const forged = encodeShare(sodium, { ...fourth, share: bytes });
    const outcome = await sandbox.call('electron/quorum/quorum-shares.ts', 'combineShares', [header, [shareText(0), shareText(1), forged]], { sodium: true });
    assertRefused(outcome, ['SHARE_REJECTED']);
  });
});
