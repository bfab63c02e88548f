/**
 * Fuzz: encrypted database snapshots (electron/vault/storage/snapshot-file.ts decryptSnapshot, and the
 * newest snapshot as openVault reads it).
 *
 * Every byte of a snapshot is authenticated (the 20-byte prefix is each frame's associated data,
 * the stream header keys the stream, the frames carry Poly1305 tags and the last one TAG_FINAL, and
 * nothing may follow it), so any change must be VAULT_TAMPERED naming the file: never a crash
 * (RangeError from a lying length, a bare libsodium Error), never more than 2 s (each call runs in
 * the fuzz sandbox, test/fuzz/mutate.ts), never a success unless the bytes are unchanged.
 * Inputs: byte mutations (bit flips, interesting bytes and 32-bit lengths in either byte order,
 * insertions, deletions, duplicated ranges, truncations, appended bytes) of
 * - a one-frame snapshot and a four-frame one (2.5 MiB database: frame lengths and boundaries),
 *   decrypted directly with the content key;
 * - the newest snapshot of a real vault, opened with openVault;
 * - an older generation of that vault: opening ignores it (only `lifeboat doctor --restore` reads
 *   older generations), so the vault opens with the same records, or refuses with VAULT_TAMPERED.
 * The snapshots' ciphertext differs from run to run (libsodium's random stream header); the
 * mutations, chosen by the seed, do not.
 *
 * Scale: LIFEBOAT_FUZZ_RUNS multiplies the inputs, LIFEBOAT_FUZZ_SEED changes them,
 * LIFEBOAT_FUZZ_PATH replays one (see test/fuzz/mutate.ts).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium, type Sodium } from '../../electron/vault/keys/crypto-runtime.js';
import { encryptDeltaSnapshot, encryptSnapshot, listGenerations, type SnapshotMeta } from '../../electron/vault/storage/snapshot-file.js';
import { createVault } from '../../electron/vault/vault-open.js';
import { createRecord } from '../../electron/vault/records/vault-records.js';
import { mulberry32 } from '../support/seeded-random.mjs';
import { PASSPHRASES } from '../support/test-vault.js';
import {
  eachCase,
  FuzzLog,
  mutateBytes,
  type Mutation,
  type OpenSummary,
  type Outcome,
  outcomeKey,
  refusedWith,
  Sandbox,
  seedFor,
  VaultBench,
} from './mutate.js';

const sandbox = new Sandbox();
let sodium: Sodium;
let root: string;
let bench: VaultBench;
let newest: string;
let oldest: string;
let titles: string[];

const MiB = 1024 * 1024;

beforeAll(async () => {
  sodium = await loadSodium();
  root = await mkdtemp(join(tmpdir(), 'lifeboat-fuzz-snapshot-'));
  const dir = join(root, 'pristine.lifeboat');
  const owner = await createVault(dir, { owner: 'alice', passphrase: PASSPHRASES['alice'] ?? '', insecureFastKdf: true, name: 'Ops' });
  await createRecord(owner, { type: 'secret', title: 'Root DB', data: { username: 'root', password: 'hunter22' } });
  await createRecord(owner, { type: 'runbook', title: 'Restore the DB', data: { steps: ['stop writes', 'restore'] } });
  await createRecord(owner, { type: 'contact', title: 'DBA on call', data: { phones: ['+1 555 0100'] } });
  await owner.lock();
  titles = ['DBA on call', 'Restore the DB', 'Root DB'];
  const generations = await listGenerations(dir);
  expect(generations.length).toBeGreaterThanOrEqual(3);
  newest = generations[0]?.file ?? '';
  oldest = generations.at(-1)?.file ?? '';
  bench = await VaultBench.create(dir, join(root, 'bench.lifeboat'));
}, 60_000);

afterAll(async () => {
  await sandbox.close();
  await rm(root, { recursive: true, force: true });
});

/** A seeded content key and `bytes` seeded bytes, and the metadata every fuzzed snapshot shares. */
function seeded(label: string, bytes: number): { key: Uint8Array; data: Uint8Array; meta: SnapshotMeta } {
  const random = mulberry32(seedFor(label));
  const key = Uint8Array.from({ length: 32 }, () => Math.floor(random() * 256));
  const data = Uint8Array.from({ length: bytes }, () => Math.floor(random() * 256));
  const meta: SnapshotMeta = {
    vaultId: '0123456789abcdef0123456789abcdef',
    generation: 7,
    keyEpoch: 2,
    savedAt: '2026-03-02T09:00:00.000Z',
    savedBy: 'alice',
    auditHead: { size: 3, hash: '0'.repeat(64) },
    dbBytes: bytes,
  };
  return { key, data, meta };
}

/** A full snapshot of `dbBytes` seeded database bytes, under a seeded content key. */
function buildSnapshot(dbBytes: number, label: string): { key: Uint8Array; bytes: Uint8Array } {
  const { key, data, meta } = seeded(label, dbBytes);
  return { key, bytes: encryptSnapshot(sodium, key, meta, data) };
}

/** A delta carrying every third block of a seeded 48 KiB image (12 blocks of 4 KiB, 4 carried). */
function buildDelta(label: string): { key: Uint8Array; bytes: Uint8Array } {
  const { key, data, meta } = seeded(label, 12 * 4096);
  const indexes = Uint32Array.from([0, 3, 6, 9]);
  const delta = { ...meta, snapshotId: 'ab'.repeat(16), base: { generation: 6, snapshotId: 'cd'.repeat(16) }, blockBytes: 4096, blocks: indexes.length };
  return { key, bytes: encryptDeltaSnapshot(sodium, key, delta, data, indexes) };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && sodium.memcmp(a, b);
}

const FILE = 'snapshot-000000000007.lbs';

/** The mutations of one campaign: a changed snapshot must be VAULT_TAMPERED naming the file. */
function judgeTampered(original: Uint8Array, mutation: Mutation<Uint8Array>, outcome: Outcome, file: string): { key: string; problem: string | null } {
  if (sameBytes(original, mutation.value)) {
    return { key: 'unchanged bytes', problem: outcome.kind === 'crashed' || outcome.kind === 'hung' ? refusedWith(outcome, ['VAULT_TAMPERED']) : null };
  }
  const problem = refusedWith(outcome, ['VAULT_TAMPERED']);
  if (problem !== null) {
    return { key: outcomeKey(outcome), problem };
  }
  return {
    key: outcomeKey(outcome),
    problem: outcome.kind === 'refused' && !outcome.message.includes(file) ? `the refusal does not name ${file}: ${outcome.message}` : null,
  };
}

describe('a snapshot, altered, never decrypts', () => {
  for (const [name, dbBytes, cases] of [
    ['one frame of data (2 KiB)', 2048, 300],
    ['four frames (2.5 MiB: three data chunks)', 2.5 * MiB, 40],
    ['a delta of four 4 KiB blocks', 0, 200],
  ] as const) {
    it(`decryptSnapshot with the content key: ${name}`, async (context) => {
      const label = `snapshot: decrypt ${name}`;
      const { key, bytes } = dbBytes === 0 ? buildDelta(label) : buildSnapshot(dbBytes, label);
      const intact = await sandbox.call('electron/vault/storage/snapshot-file.ts', 'decryptSnapshot', [key, bytes, FILE], { sodium: true });
      expect(intact.kind).toBe('returned');
      const log = new FuzzLog(label, context.task.name);
      await eachCase(label, cases, async (index, random) => {
        const mutation = mutateBytes(bytes, random);
        const outcome = await sandbox.call('electron/vault/storage/snapshot-file.ts', 'decryptSnapshot', [key, mutation.value, FILE], { sodium: true });
        const { key: tally, problem } = judgeTampered(bytes, mutation, outcome, FILE);
        log.note(index, tally, problem, mutation.steps.join('; '));
      });
      await context.annotate(log.summary());
      log.check();
    }, 60_000);
  }
});

describe('a vault whose snapshots were altered', () => {
  function openAlice(dir: string): Promise<Outcome> {
    return sandbox.call('test/fuzz/mutate.ts', 'openVaultSummary', [dir, 'alice', PASSPHRASES['alice'] ?? '']);
  }

  it('the newest snapshot mutated: VAULT_TAMPERED naming it', async (context) => {
    const label = 'snapshot: newest in a vault';
    const log = new FuzzLog(label, context.task.name);
    const original = bench.file(newest);
    await eachCase(label, 80, async (index, random) => {
      const mutation = mutateBytes(original, random);
      const outcome = await bench.attempt((dir) => writeFile(join(dir, newest), mutation.value), openAlice);
      const { key, problem } = judgeTampered(original, mutation, outcome, newest);
      log.note(index, key, problem, mutation.steps.join('; '));
    });
    await context.annotate(log.summary());
    log.check();
  }, 60_000);

  it('an older generation mutated: the vault opens with the same records (older ones are read only by doctor), or refuses', async (context) => {
    const label = 'snapshot: oldest in a vault';
    const log = new FuzzLog(label, context.task.name);
    const original = bench.file(oldest);
    await eachCase(label, 30, async (index, random) => {
      const mutation = mutateBytes(original, random);
      const outcome = await bench.attempt((dir) => writeFile(join(dir, oldest), mutation.value), openAlice);
      let problem: string | null = null;
      if (outcome.kind === 'returned') {
        const summary = outcome.value as OpenSummary;
        problem = JSON.stringify(summary.titles) === JSON.stringify(titles) ? null : `the vault opened with other records: ${JSON.stringify(summary.titles)}`;
      } else {
        problem = refusedWith(outcome, ['VAULT_TAMPERED']);
      }
      log.note(index, outcome.kind === 'returned' ? 'opened (same records)' : outcomeKey(outcome), problem, mutation.steps.join('; '));
    });
    await context.annotate(log.summary());
    log.check();
  }, 60_000);
});
