/**
 * Fuzz: the vault header (header.json), read before anything can check it. Its MAC can only be
 * verified after the unlock, so every byte of it reaches the parser (readHeader), the key slots
 * (Argon2id with the slot's own parameters, then the wrapped key) and the recovery quorum's checks
 * before it is authenticated.
 *
 * For every input, `openVault` (and, for the recovery fields, `openVaultByQuorum`) runs in the fuzz
 * sandbox (test/fuzz/mutate.ts) and must end in a LifeboatError that fits:
 * - not JSON any more: VAULT_TAMPERED;
 * - JSON that differs from the original: VAULT_TAMPERED, or VAULT_AUTH_FAILED when the change reaches
 *   the member's own slot or the vault id (both bound into the slot's wrapping), or for the quorum
 *   SHARE_REJECTED when the change is in the recovery set the shares are checked against;
 * - JSON equal to the original (whitespace, escapes, key order, number spelling): anything but a
 *   crash or a hang, and opening is fine;
 * never a crash (TypeError, RangeError, a bare libsodium Error), never more than 2 s.
 * Inputs: byte mutations of header.json (opened as an owner, a commander and an auditor in turn),
 * and fast-check replacements of single values (a hostile value of the right type or any JSON).
 *
 * A member's own slot may legitimately ask for more Argon2id work, up to libsodium's SENSITIVE
 * setting (4 passes, 1 GiB): that unlock takes seconds by design, so a watchdog stop there is
 * tallied as "slow by design", not failed. Anything beyond is refused before Argon2id runs.
 *
 * Bugs this file found:
 * - (fixed since, regression tests at the end) KDF parameters had no upper bound: a raised opslimit
 *   made the unlock run Argon2id for as long as the header said (2^31-1 passes: practically
 *   forever) before the MAC could object, and a memlimit of 2^31 or more made libsodium throw a
 *   TypeError ("memLimit must be an unsigned integer") that escaped as a crash;
 * - (fixed since, regression test at the end) a recovery `kcv` that was not 16 bytes of canonical
 *   base64 crashed the quorum unlock (libsodium's from_base64 / memcmp threw plain errors); the
 *   header schema (vault-header.ts RecoverySetSchema) now refuses it, so readHeader gives
 *   VAULT_TAMPERED before any share is combined;
 * - (fixed since, regression test at the end) a slot's `kdf.salt` that was valid base64 but not
 *   16 bytes crashed the unlock: crypto_pwhash threw TypeError "invalid salt length". The header
 *   schema (SlotSchema) now refuses a salt that is not 16 bytes of canonical base64 as VAULT_TAMPERED,
 *   naming the member's slot, and openSlot checks the length again before deriving. Found with
 *   LIFEBOAT_FUZZ_RUNS=5 LIFEBOAT_FUZZ_SEED=77.
 *
 * Scale: LIFEBOAT_FUZZ_RUNS multiplies the inputs, LIFEBOAT_FUZZ_SEED changes them,
 * LIFEBOAT_FUZZ_PATH replays one (see test/fuzz/mutate.ts).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LifeboatError, type ErrorCode } from '../../shared/errors.js';
import { loadSodium } from '../../electron/vault/keys/crypto-runtime.js';
import { combineShares, createRecoveryShares } from '../../electron/quorum/quorum-shares.js';
import { HEADER_FILE, readHeader } from '../../electron/vault/keys/vault-header.js';
import { addMember } from '../../electron/vault/vault-members.js';
import { createVault } from '../../electron/vault/vault-open.js';
import { createRecord } from '../../electron/vault/records/vault-records.js';
import { openSlot } from '../../electron/vault/keys/vault-slots.js';
import { PASSPHRASES } from '../support/test-vault.js';
import {
  assertRefused,
  changedPaths,
  describeOutcome,
  eachCase,
  fcParams,
  FuzzLog,
  mutateBytes,
  type Outcome,
  outcomeKey,
  parseJsonBytes,
  passes,
  Sandbox,
  VaultBench,
} from './mutate.js';

const MEMBERS = ['alice', 'bob', 'carol'] as const;
type Member = (typeof MEMBERS)[number];
const QUORUM = 'recovery quorum';

const sandbox = new Sandbox();
let root: string;
let bench: VaultBench;
let original: Buffer;
let originalJson: HeaderJson;
let shares: string[];

interface SlotJson {
  member: string;
  kdf: { opslimit: number; memlimit: number; salt: string };
}
interface HeaderJson {
  slots: SlotJson[];
  recovery?: Record<string, unknown>;
  [key: string]: unknown;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lifeboat-fuzz-header-'));
  const dir = join(root, 'pristine.lifeboat');
  const owner = await createVault(dir, { owner: 'alice', passphrase: PASSPHRASES['alice'] ?? '', insecureFastKdf: true, name: 'Ops' });
  await addMember(owner, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
  await addMember(owner, { name: 'carol', role: 'auditor', passphrase: PASSPHRASES['carol'] ?? '' });
  await createRecord(owner, { type: 'secret', title: 'Root DB', data: { username: 'root', password: 'hunter22' } });
  await createRecord(owner, { type: 'runbook', title: 'Restore the DB', data: { steps: ['stop writes', 'restore'] } });
  shares = (await createRecoveryShares(owner, { threshold: 2, custodians: ['Ana', 'Bea', 'Cy'] })).shares.map((s) => s.text);
  await owner.lock();
  bench = await VaultBench.create(dir, join(root, 'bench.lifeboat'));
  original = bench.file(HEADER_FILE);
  originalJson = JSON.parse(original.toString('utf8')) as HeaderJson;
}, 60_000);

afterAll(async () => {
  await sandbox.close();
  await rm(root, { recursive: true, force: true });
});

function openAs(who: Member): (dir: string) => Promise<Outcome> {
  return (dir) => sandbox.call('test/fuzz/mutate.ts', 'openVaultSummary', [dir, who, PASSPHRASES[who] ?? '']);
}

function openByQuorum(dir: string): Promise<Outcome> {
  return sandbox.call('test/fuzz/mutate.ts', 'openByQuorumSummary', [dir, shares.slice(0, 2), 'fuzz: owners unreachable']);
}

function writeHeader(bytes: Uint8Array | string): (dir: string) => Promise<void> {
  return (dir) => writeFile(join(dir, HEADER_FILE), bytes);
}

function slotOf(json: unknown, member: string): SlotJson | undefined {
  const slots = (json as Partial<HeaderJson> | undefined)?.slots;
  return Array.isArray(slots) ? slots.find((s) => (s as Partial<SlotJson> | null)?.member === member) : undefined;
}

function slotPrefix(member: string): string {
  return `slots.${originalJson.slots.findIndex((s) => s.member === member)}.`;
}

/** libsodium's crypto_pwhash OPSLIMIT_SENSITIVE and MEMLIMIT_SENSITIVE: the most a slot may ask for. */
const SENSITIVE = { opslimit: 4, memlimit: 2 ** 30 };

/**
 * Slow by design (see the header): the member's own slot asks for more Argon2id work or memory than
 * the original, within SENSITIVE, and the watchdog stopped the unlock.
 */
function isSlowByDesign(json: unknown, who: string, outcome: Outcome): boolean {
  const now = slotOf(json, who)?.kdf as Partial<SlotJson['kdf']> | null | undefined;
  const before = slotOf(originalJson, who)?.kdf;
  if (outcome.kind !== 'hung' || typeof now?.opslimit !== 'number' || typeof now.memlimit !== 'number' || !before) {
    return false;
  }
  const raised = now.opslimit > before.opslimit || now.memlimit > before.memlimit;
  return raised && now.opslimit <= SENSITIVE.opslimit && now.memlimit <= SENSITIVE.memlimit;
}

/**
 * Judges one unlock of a changed header. `who` is the member, or the quorum; `extra` lists codes
 * the change may also give (e.g. SHARE_REJECTED for a changed recovery set).
 */
function judge(bytes: Uint8Array, who: string, outcome: Outcome): { key: string; problem: string | null } {
  const json = parseJsonBytes(bytes);
  const changed = json === undefined ? null : changedPaths(originalJson, json);
  const where = changed === null ? 'not JSON' : `changes ${changed.join(', ') || 'nothing'}`;
  if (isSlowByDesign(json, who, outcome)) {
    return { key: 'slow by design: KDF cost raised within SENSITIVE', problem: null };
  }
  if (outcome.kind === 'crashed' || outcome.kind === 'hung') {
    return { key: outcomeKey(outcome), problem: `${where}: ${describeOutcome(outcome)}` };
  }
  if (changed !== null && changed.length === 0) {
    return { key: outcome.kind === 'returned' ? 'opened (JSON unchanged)' : `${outcomeKey(outcome)} (JSON unchanged)`, problem: null };
  }
  if (outcome.kind === 'returned') {
    return { key: 'opened', problem: `${where}: the vault opened with a changed header` };
  }
  const allowed: ErrorCode[] = ['VAULT_TAMPERED'];
  if (changed !== null) {
    const own = who === QUORUM ? slotPrefix(QUORUM) : slotPrefix(who);
    if (changed.some((p) => p.startsWith(own) || p === 'vaultId' || p === 'slots')) {
      allowed.push('VAULT_AUTH_FAILED');
    }
    if (who === QUORUM && changed.some((p) => p === 'vaultId' || p.startsWith('recovery') || p === 'retiredRecoverySets')) {
      allowed.push('SHARE_REJECTED');
    }
  }
  return {
    key: outcomeKey(outcome),
    problem: allowed.includes(outcome.code) ? null : `${where}: expected ${allowed.join(' or ')}, but ${describeOutcome(outcome)}`,
  };
}

// --- values to put in the header -------------------------------------------------------------------

/** Every leaf of the header, as a path of keys and indexes. */
function leafPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) {
    return [path, ...value.flatMap((item, i) => leafPaths(item, [...path, i]))];
  }
  if (typeof value === 'object' && value !== null) {
    return [path, ...Object.entries(value).flatMap(([key, item]) => leafPaths(item, [...path, key]))];
  }
  return [path];
}

function setAt(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  const copy = structuredClone(root);
  if (path.length === 0) {
    return value;
  }
  let holder = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    holder = holder[key] as Record<string | number, unknown>;
  }
  const last = path.at(-1) ?? '';
  if (value === undefined) {
    if (Array.isArray(holder)) {
      holder.splice(Number(last), 1);
    } else {
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- removing a field is one of the mutations
      delete holder[last];
    }
  } else {
    holder[last] = value;
  }
  return copy;
}

/** Hostile values: numbers at the edges, base64 of every shape, strings of every kind, other types. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, -1, 1, 2, 7, 255, 256, 8191, 8192, 65536, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53, 1e308, 1.5, -0),
  fc.constantFrom(
    '',
    ' ',
    'A',
    'AA==',
    'AB==',
    'AAA=',
    'AAAA',
    '====',
    'A===',
    'owner',
    'auditor',
    'full',
    'audit',
    'argon2id13',
    '00000000000000000000000000000000',
    'alice',
    'recovery quorum',
  ),
  fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b).toString('base64')),
  fc.uint8Array({ minLength: 1, maxLength: 40 }).map((b) => Buffer.from(b).toString('base64').replace(/=+$/, '')),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.constantFrom(null, true, false, [], {}, [1], { a: 1 }),
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 2 }),
);

// --- tests -----------------------------------------------------------------------------------------

describe('header.json, altered, is refused with a typed error at unlock', () => {
  it('byte mutations, opened by an owner, a commander and an auditor in turn', async (context) => {
    const label = 'header: byte mutations';
    const log = new FuzzLog(label, context.task.name);
    await eachCase(label, 100, async (index, random) => {
      const who = MEMBERS[index % MEMBERS.length] ?? 'alice';
      const mutation = mutateBytes(original, random);
      const outcome = await bench.attempt(writeHeader(mutation.value), openAs(who));
      const { key, problem } = judge(mutation.value, who, outcome);
      log.note(index, key, problem, `as ${who}: ${mutation.steps.join('; ')}`);
    });
    await context.annotate(log.summary());
    log.check();
    expect(log.counts.get('VAULT_TAMPERED') ?? 0).toBeGreaterThan(log.inputs / 2);
  }, 60_000);

  it('one value replaced (hostile values of every type, any JSON, or removed), opened by its member', async (context) => {
    const label = 'header: one value replaced';
    const log = new FuzzLog(label, context.task.name);
    const paths = leafPaths(originalJson).filter((p) => p.length > 0);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), hostileValue, fc.constantFrom(...MEMBERS), async (path, value, who) => {
        const text = JSON.stringify(setAt(originalJson, path, value), null, 2);
        const outcome = await bench.attempt(writeHeader(text), openAs(who));
        const { key, problem } = judge(Buffer.from(text), who, outcome);
        log.note('fast-check', key, problem, `as ${who}: ${path.join('.')} = ${value === undefined ? 'removed' : JSON.stringify(value)}`);
        return passes(problem);
      }),
      fcParams(label, 120, context.task.name),
    );
    await context.annotate(log.summary());
    log.check();
  }, 60_000);

  it('the recovery set and the quorum’s slot altered: the quorum unlock refuses with a typed error', async (context) => {
    const label = 'header: quorum fields replaced';
    const log = new FuzzLog(label, context.task.name);
    const quorumSlot = originalJson.slots.findIndex((s) => s.member === QUORUM);
    expect(quorumSlot).toBeGreaterThanOrEqual(0);
    const paths = leafPaths(originalJson).filter(
      ([first, second]) => first === 'recovery' || first === 'retiredRecoverySets' || first === 'vaultId' || (first === 'slots' && second === quorumSlot),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), hostileValue, async (path, value) => {
        const text = JSON.stringify(setAt(originalJson, path, value), null, 2);
        const outcome = await bench.attempt(writeHeader(text), openByQuorum);
        const { key, problem } = judge(Buffer.from(text), QUORUM, outcome);
        log.note('fast-check', key, problem, `${path.join('.')} = ${value === undefined ? 'removed' : JSON.stringify(value)}`);
        return passes(problem);
      }),
      fcParams(label, 100, context.task.name),
    );
    await context.annotate(log.summary());
    log.check();
  }, 60_000);

  it('whitespace, escapes and key order change nothing: the vault still opens', async () => {
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(originalJson).reverse()));
    const escaped = JSON.stringify(originalJson, null, '\t').replace(/"name": "Ops"/, '"name": "\\u004fps"');
    for (const text of [reordered, escaped, `\n\n${original.toString('utf8')}  \n`]) {
      const outcome = await bench.attempt(writeHeader(text), openAs('alice'));
      expect(describeOutcome(outcome)).toMatch(/returned/);
    }
    expect(describeOutcome(await bench.attempt(() => Promise.resolve(), openByQuorum))).toMatch(/returned/);
  });
});

describe('bugs found here', () => {
  function withKdf(member: Member, kdf: Partial<SlotJson['kdf']>): string {
    const json = structuredClone(originalJson);
    const slot = json.slots.find((s) => s.member === member);
    if (!slot) {
      throw new Error(`no slot for ${member}`);
    }
    Object.assign(slot.kdf, kdf);
    return JSON.stringify(json, null, 2);
  }

  it('fixed: a memlimit of 2^31 in the member’s slot is refused as VAULT_TAMPERED, not a TypeError from libsodium', async () => {
    const outcome = await bench.attempt(writeHeader(withKdf('alice', { memlimit: 2 ** 31 })), openAs('alice'));
    assertRefused(outcome, ['VAULT_TAMPERED']);
  });

  it('fixed: an opslimit of 2^31-1 or a memlimit over 1 GiB in the member’s slot is refused at once, not run for hours', async () => {
    // Refused before Argon2id starts. The watchdog allows for the sandbox's own start-up on a loaded
    // machine (500 ms was too tight in CI) and still stops a regression long before "hours".
    const quick = new Sandbox(5000);
    try {
      for (const kdf of [{ opslimit: 2 ** 31 - 1 }, { opslimit: SENSITIVE.opslimit + 1 }, { memlimit: SENSITIVE.memlimit + 1024 }]) {
        const outcome = await bench.attempt(writeHeader(withKdf('alice', kdf)), (dir) =>
          quick.call('test/fuzz/mutate.ts', 'openVaultSummary', [dir, 'alice', PASSPHRASES['alice'] ?? '']),
        );
        assertRefused(outcome, ['VAULT_TAMPERED']);
      }
    } finally {
      await quick.close();
    }
  });

  it('fixed: a salt that is not 16 bytes of canonical base64 in a slot is refused as VAULT_TAMPERED naming the slot, not a TypeError', async () => {
    // crypto_pwhash throws TypeError "invalid salt length" for anything but crypto_pwhash_SALTBYTES (16):
    // the header schema refuses such a salt at readHeader, whoever opens; openSlot checks again.
    const aliceSlot = originalJson.slots.findIndex((s) => s.member === 'alice');
    const salts = [
      Buffer.alloc(12, 7).toString('base64'),
      Buffer.alloc(32, 7).toString('base64'),
      '',
      Buffer.alloc(16, 7).toString('base64').replace('w==', 'x=='),
    ];
    for (const salt of salts) {
      const outcome = await bench.attempt(writeHeader(withKdf('alice', { salt })), openAs('alice'));
      assertRefused(outcome, ['VAULT_TAMPERED']);
      expect(outcome.kind === 'refused' ? outcome.message : '').toContain(`slots.${aliceSlot}.kdf.salt: the salt of alice's key slot`);
    }
    // Another member's slot with a bad salt: the header is refused for alice too (its MAC would be anyway).
    const outcome = await bench.attempt(writeHeader(withKdf('bob', { salt: Buffer.alloc(12, 7).toString('base64') })), openAs('alice'));
    assertRefused(outcome, ['VAULT_TAMPERED']);
    expect(outcome.kind === 'refused' ? outcome.message : '').toMatch(/the salt of bob's key slot \([0-9a-f]{16}\) holds 12 bytes, not 16/);
  });

  it('fixed: a recovery kcv of the wrong length or non-canonical base64 is refused as VAULT_TAMPERED at open, not a crash', async () => {
    // combineShares compared it with libsodium's from_base64 / memcmp unguarded: 'AAAA' (3 bytes) made
    // memcmp throw, 'AB==' (non-zero padding bits) made from_base64 throw. RecoverySetSchema now
    // requires 16 bytes of canonical base64, so readHeader refuses the header for the quorum and
    // members alike.
    for (const kcv of ['AAAA', 'AB==', Buffer.alloc(32, 1).toString('base64'), 'AAAAAAAAAAAAAAAAAAAAAB==']) {
      const json = structuredClone(originalJson);
      json.recovery = { ...json.recovery, kcv };
      for (const open of [openByQuorum, openAs('alice')]) {
        const outcome = await bench.attempt(writeHeader(JSON.stringify(json)), open);
        assertRefused(outcome, ['VAULT_TAMPERED']);
        expect(outcome.kind === 'refused' ? outcome.message : '').toContain("recovery.kcv: the recovery shares' key check value");
      }
    }
  });

  it('fixed: openSlot and combineShares refuse such a salt or kcv themselves, for a header that did not come through readHeader', async () => {
    const sodium = await loadSodium();
    const header = await readHeader(join(root, 'pristine.lifeboat'));
    const refusal = (run: () => unknown): Promise<unknown> =>
      Promise.resolve()
        .then(run)
        .then(
          () => 'returned',
          (error: unknown) => (error instanceof LifeboatError ? `${error.code}: ${error.message}` : error),
        );
    const badSalt = {
      ...header,
      slots: header.slots.map((s) => (s.member === 'alice' ? { ...s, kdf: { ...s.kdf, salt: Buffer.alloc(12, 7).toString('base64') } } : s)),
    };
    expect(await refusal(() => openSlot(sodium, badSalt, 'alice', PASSPHRASES['alice'] ?? ''))).toBe(
      'VAULT_TAMPERED: The key slot of alice has a salt of 12 bytes, not 16: the header is altered.',
    );
    for (const [kcv, message] of [
      ['AAAA', "VAULT_TAMPERED: The vault header is damaged: the recovery shares' key check value holds 3 bytes, not 16."],
      ['AB==', "VAULT_TAMPERED: The vault header is damaged: the recovery shares' key check value is not valid base64."],
    ] as const) {
      const recovery = header.recovery ? { ...header.recovery, kcv } : undefined;
      expect(await refusal(() => combineShares(sodium, { ...header, recovery }, shares.slice(0, 2)))).toBe(message);
    }
  });
});
