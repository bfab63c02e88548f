/**
 * The fault-injection campaign inside `npm test` (issue #8; docs/proof.md):
 * the kinds the older crash tests do not cover — recovery share rotation and
 * recovery session ticks — each SIGKILLed mid-operation.
 *
 * 1. A short run of scripts/proof.mjs (`--kinds rotate,tick`, 20 iterations):
 *    kills at random instants and at exact points of the file writes; after
 *    each, the vault opens, the log verifies, every ACKed tick is there, and
 *    exactly one of the old and new share sets opens the vault by quorum — the
 *    one header.json names — never neither, never both.
 * 2. The commit point of a rotation, exactly: the worker kills itself just
 *    before and just after the rotation's header write. Before: the old set
 *    opens and the new one (already printed for the custodians) is refused.
 *    After: the new set opens and the old one is refused as retired.
 * 3. A former engine bug, now a regression test: a rotation killed between its header
 *    write and its rekey's header write is never finished, so an old copy of
 *    header.json with the old shares opens what is written afterwards
 *    (docs/vault-format.md promises it opens nothing written afterwards).
 *
 * The workers run dist/node (`npm run build:node` first; `npm test` does).
 * LIFEBOAT_PROOF_SEED replays the short run.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LifeboatError } from '../../shared/errors.js';
import { createRecoveryShares, openVaultByQuorum, type ShareSet } from '../../electron/quorum/quorum-shares.js';
import { auditEntries, verifyAudit } from '../../electron/vault/audit/vault-audit.js';
import { readHeader } from '../../electron/vault/keys/vault-header.js';
import { createVault, openVault } from '../../electron/vault/vault-open.js';
import { createRecord, listRecords } from '../../electron/vault/records/vault-records.js';
import { anotherLaptop } from '../support/test-vault.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = join(ROOT, 'scripts/proof.mjs');
const WORKER = join(ROOT, 'test/integration/proof-worker.mjs');
const OWNER = 'owner';
const PASSPHRASE = 'owner passphrase for the proof campaign test';
const REASON = 'proof-campaign test';

const KindStats = z.object({ iterations: z.number(), kills: z.number(), findings: z.number(), plans: z.record(z.string(), z.number()) });
const Summary = z.object({
  seed: z.number(),
  done: z.number(),
  seconds: z.number(),
  failures: z.number(),
  failure: z.string().nullable(),
  findings: z.array(z.string()),
  kinds: z.record(z.string(), KindStats),
});
const SharesLine = z.object({ setId: z.string(), threshold: z.number(), shares: z.array(z.string()) });

let work: string;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/node/electron/quorum/quorum-shares.js'))) {
    throw new Error('dist/node is missing: run `npm run build:node` first (the campaign and its worker run the built engine).');
  }
  work = await mkdtemp(join(tmpdir(), 'lifeboat-proof-test-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function runNode(
  args: string[],
  env: Record<string, string>,
): Promise<{ stdout: string; stderr: string; code: number | null; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  return { stdout, stderr, code, signal };
}

it('a short campaign: share rotations and session ticks, SIGKILLed 20 times, lose nothing acknowledged and never leave zero or two working share sets', async () => {
  const json = join(work, 'summary.json');
  const seed = process.env['LIFEBOAT_PROOF_SEED'];
  const { stdout, stderr, code } = await runNode(
    [SCRIPT, '--kinds', 'rotate,tick', '--iterations', '20', '--budget', '25s', '--json', json, '--quiet', ...(seed === undefined ? [] : ['--seed', seed])],
    {},
  );
  process.stderr.write(stdout);
  const summary = Summary.parse(JSON.parse(await readFile(json, 'utf8')));
  expect(summary.failure, stderr).toBeNull();
  expect(code, stderr).toBe(0);
  expect(summary.failures).toBe(0);
  const rotate = summary.kinds['rotate'];
  const tick = summary.kinds['tick'];
  // Round-robin: 10 each, unless a slow machine hit the budget first.
  expect(rotate?.kills ?? 0, `seed ${String(summary.seed)}`).toBeGreaterThanOrEqual(5);
  expect(tick?.kills ?? 0, `seed ${String(summary.seed)}`).toBeGreaterThanOrEqual(5);
  expect((rotate?.kills ?? 0) + (tick?.kills ?? 0)).toBe(summary.done);
}, 45_000);

// --- Rotation, killed at its commit point exactly -------------------------------------

interface Killed {
  lines: string[];
  printed: z.output<typeof SharesLine>[];
  acked: string[];
  signal: NodeJS.Signals | null;
}

/** One rotation by the worker, which SIGKILLs itself at `killAt` (see proof-worker.mjs). */
async function rotateAndDie(dir: string, killAt: string): Promise<Killed> {
  const { stdout, stderr, signal } = await runNode([WORKER, 'rotate', dir, '42'], {
    LIFEBOAT_PROOF_OWNER: OWNER,
    LIFEBOAT_PROOF_PASSPHRASE: PASSPHRASE,
    LIFEBOAT_PROOF_KILL_AT: killAt,
  });
  const lines = stdout.split('\n').filter((l) => l !== '');
  const payloads = (kind: string): unknown[] => lines.filter((l) => l.startsWith(`${kind} `)).map((l) => JSON.parse(l.slice(kind.length + 1)) as unknown);
  if (lines.some((l) => l.startsWith('ERR '))) {
    throw new Error(`the worker failed:\n${lines.join('\n')}\n${stderr}`);
  }
  return {
    lines,
    printed: payloads('SHARES').map((p) => SharesLine.parse(p)),
    acked: payloads('ACK').map((p) => z.object({ setId: z.string() }).parse(p).setId),
    signal,
  };
}

async function vaultWithShares(name: string): Promise<{ dir: string; set: ShareSet }> {
  const dir = join(work, name);
  const session = await createVault(dir, { owner: OWNER, passphrase: PASSPHRASE, insecureFastKdf: true });
  await createRecord(session, { type: 'secret', title: 'Root', data: { password: 'before the rotation' } });
  const set = await createRecoveryShares(session, { threshold: 2, custodians: ['Ana', 'Bea', 'Cy'] });
  await session.lock();
  return { dir, set };
}

/** 'opened' or the refusal's code and sentence. */
async function quorum(dir: string, shares: readonly string[]): Promise<string> {
  try {
    const session = await openVaultByQuorum(dir, { shares, reason: REASON });
    await session.lock();
    return 'opened';
  } catch (error) {
    return error instanceof LifeboatError ? `${error.code}: ${error.message}` : String(error);
  }
}

describe('a share rotation killed exactly at its commit point (the header write)', () => {
  it('just before it: the old set still opens, the new set (already printed) is refused, the log verifies', async () => {
    const { dir, set } = await vaultWithShares('before-header');
    const run = await rotateAndDie(dir, 'before-rename:header.json#1');
    expect(run.signal).toBe('SIGKILL');
    expect(run.acked).toEqual([]);
    const [fresh] = run.printed;
    expect(fresh, run.lines.join('\n')).toBeDefined();

    const owner = await openVault(dir, { member: OWNER, passphrase: PASSPHRASE });
    expect(owner.header.recovery?.setId).toBe(set.setId);
    verifyAudit(owner);
    // The rotation was logged before anything was written: a logged change that never committed.
    expect(auditEntries(owner).some((e) => e.event.type === 'recovery.shares-created' && e.event.details?.['setId'] === fresh?.setId)).toBe(true);
    await owner.lock();

    expect(
      await quorum(
        dir,
        set.shares.slice(1).map((s) => s.text),
      ),
    ).toBe('opened');
    expect(await quorum(dir, fresh?.shares.slice(0, fresh.threshold) ?? [])).toMatch(/^SHARE_REJECTED: .*not from this vault's current set/);
  });

  it('just after it: the new set opens, the old one is refused as retired, the log verifies', async () => {
    const { dir, set } = await vaultWithShares('after-header');
    const run = await rotateAndDie(dir, 'after-rename:header.json#1');
    expect(run.signal).toBe('SIGKILL');
    expect(run.acked).toEqual([]);
    const [fresh] = run.printed;
    expect(fresh, run.lines.join('\n')).toBeDefined();

    const owner = await openVault(dir, { member: OWNER, passphrase: PASSPHRASE });
    expect(owner.header.recovery?.setId).toBe(fresh?.setId);
    expect(owner.header.retiredRecoverySets).toContain(set.setId);
    verifyAudit(owner);
    await owner.lock();

    expect(await quorum(dir, fresh?.shares.slice(0, fresh.threshold) ?? [])).toBe('opened');
    expect(
      await quorum(
        dir,
        set.shares.slice(0, 2).map((s) => s.text),
      ),
    ).toMatch(/^SHARE_REJECTED: .*rotated or revoked/);
  });
});

describe('a rotation is one header write: killed right after it, the new set and the new epoch are in force together', () => {
  // Shared by the two tests below: the first proves the state, the second the exposure.
  const stale = { dir: '', copy: '', oldShares: [] as string[], epochBefore: 0 };

  it('the kill leaves the new set committed in a header of the NEW key epoch (found when it was two writes)', async () => {
    const { dir, set } = await vaultWithShares('stale-slot');
    const oldHeader = await readFile(join(dir, 'header.json'));
    const epochBefore = (await readHeader(dir)).keyEpoch;
    const run = await rotateAndDie(dir, 'after-rename:header.json#1');
    expect(run.signal).toBe('SIGKILL');
    const header = await readHeader(dir);
    expect(header.recovery?.setId).toBe(run.printed[0]?.setId);
    expect(header.keyEpoch).toBe(epochBefore + 1);

    // The owner carries on: new data lands in the new epoch.
    const owner = await openVault(dir, { member: OWNER, passphrase: PASSPHRASE });
    await createRecord(owner, { type: 'secret', title: 'Written after the rotation', data: { password: 'new secret' } });
    expect(owner.header.keyEpoch).toBe(epochBefore + 1);
    await owner.lock();

    // A backup of the folder taken before the rotation, restored over a copy of it.
    stale.dir = dir;
    stale.copy = join(work, 'stale-slot-copy');
    await cp(dir, stale.copy, { recursive: true });
    await writeFile(join(stale.copy, 'header.json'), oldHeader);
    stale.oldShares = set.shares.slice(0, 2).map((s) => s.text);
    stale.epochBefore = epochBefore;
  });

  // docs/vault-format.md: rotating "rekeys the vault, so an old copy of the quorum slot opens nothing written afterwards".
  it('an old copy of header.json with the retired shares does not open what was written after the rotation', async () => {
    expect(stale.copy).not.toBe('');
    let titles: string[] = [];
    try {
      // On a laptop that never saw the rotation: this one's local anchor refuses the old header
      // by itself, and what is proven here is that the old slot's keys open nothing newer.
      const session = await openVaultByQuorum(stale.copy, { shares: stale.oldShares, reason: REASON, stateDir: anotherLaptop() });
      titles = listRecords(session, 'secret').map((r) => r.title);
      await session.lock();
    } catch (error) {
      // Refused: what the format promises.
      expect(error).toBeInstanceOf(LifeboatError);
    }
    expect(titles).not.toContain('Written after the rotation');
  });
});
