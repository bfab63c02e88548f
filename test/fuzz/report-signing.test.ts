/**
 * Fuzz: the signed evidence report, checked with no vault key (electron/recovery/report-signing.ts
 * verifySignedReport and verifyReportFile).
 *
 * Every call runs in the fuzz sandbox (test/fuzz/mutate.ts): never a crash, never more than 2 s.
 * A report verifies only if its JSON means exactly what was signed: the signature covers the
 * canonical JSON of the whole document as written (unknown nested keys included), so key order,
 * whitespace and escapes may change and nothing else. Anything else is AUDIT_BROKEN (well formed, not
 * what was signed) or VAULT_BAD_INPUT (not JSON, not a report, a malformed key).
 * Inputs: byte mutations of the exported file; one value anywhere replaced by a hostile one; a key
 * added at any depth (the schema would drop it; the signature must not); semantically identical
 * rewritings (which must verify).
 *
 * Bug this file found, since fixed in the engine and kept as a regression test at the end: a key
 * holding thousands of nested arrays overflowed the stack in canonicalJson (RangeError) before the
 * signature was even checked, instead of a refusal.
 *
 * Scale: LIFEBOAT_FUZZ_RUNS multiplies the inputs, LIFEBOAT_FUZZ_SEED changes them,
 * LIFEBOAT_FUZZ_PATH replays one (see test/fuzz/mutate.ts).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endSession, markStep, recordCheck, startSession } from '../../electron/recovery/recovery-sessions.js';
import { exportReport } from '../../electron/recovery/report-export.js';
import { createRecord, revealField } from '../../electron/vault/records/vault-records.js';
import { newVault } from '../support/test-vault.js';
import {
  assertRefused,
  changedPaths,
  eachCase,
  fcParams,
  FuzzLog,
  mutateBytes,
  type Outcome,
  outcomeKey,
  parseJsonBytes,
  passes,
  refusedWith,
  Sandbox,
} from './mutate.js';

const sandbox = new Sandbox();
let root: string;
let text: string;
let doc: Record<string, unknown>;

beforeAll(async () => {
  const { session } = await newVault();
  await createRecord(session, { type: 'service', title: 'Postgres', data: { tier: 1, rtoMinutes: 60 } });
  await createRecord(session, {
    type: 'runbook',
    title: 'Restore Postgres',
    data: { service: 'Postgres', steps: ['Restore base backup', 'Replay WAL'], validation: ['SELECT 1 works'], estimatedMinutes: 40 },
  });
  const secret = (await createRecord(session, { type: 'secret', title: 'Postgres superuser', data: { username: 'postgres', password: 'pw' } })).id;
  const { id } = await startSession(session, { kind: 'incident', scenario: 'Postgres primary lost', services: ['Postgres'] });
  await revealField(session, secret, 'password', 'INC-42: restore');
  await markStep(session, id, 'Postgres', 0, true);
  await recordCheck(session, id, 'Postgres', 0, false, 'HTTP 500 on /orders');
  await recordCheck(session, id, 'Postgres', 0, true);
  await endSession(session, id);
  root = await mkdtemp(join(tmpdir(), 'lifeboat-fuzz-report-'));
  await exportReport(session, id, 'json', join(root, 'report.json'));
  await session.lock();
  text = await readFile(join(root, 'report.json'), 'utf8');
  doc = JSON.parse(text) as Record<string, unknown>;
}, 60_000);

afterAll(async () => {
  await sandbox.close();
  await rm(root, { recursive: true, force: true });
});

function verifyDoc(json: unknown): Promise<Outcome> {
  return sandbox.call('electron/recovery/report-signing.ts', 'verifySignedReport', [json, 'report.json'], { sodium: true });
}

/** Verifies only when the JSON is unchanged; otherwise AUDIT_BROKEN or VAULT_BAD_INPUT. */
function judge(json: unknown, outcome: Outcome): { key: string; problem: string | null } {
  const changed = json === undefined ? ['(not JSON)'] : changedPaths(doc, json);
  if (outcome.kind === 'returned') {
    return changed.length === 0
      ? { key: 'verified (JSON unchanged)', problem: null }
      : { key: 'verified', problem: `an altered report verified (changes ${changed.slice(0, 4).join(', ')})` };
  }
  return { key: outcomeKey(outcome), problem: refusedWith(outcome, ['AUDIT_BROKEN', 'VAULT_BAD_INPUT', 'VAULT_TAMPERED']) };
}

/** Every path in the report, objects and arrays included. */
function allPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  const here = [path];
  if (Array.isArray(value)) {
    return [...here, ...value.flatMap((item, i) => allPaths(item, [...path, i]))];
  }
  if (typeof value === 'object' && value !== null) {
    return [...here, ...Object.entries(value).flatMap(([key, item]) => allPaths(item, [...path, key]))];
  }
  return here;
}

function holderOf(root: unknown, path: readonly (string | number)[]): Record<string | number, unknown> | undefined {
  let holder = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    const next = holder[key];
    if (typeof next !== 'object' || next === null) {
      return undefined;
    }
    holder = next as Record<string | number, unknown>;
  }
  return holder;
}

const hostile = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    '',
    ' ',
    0,
    -1,
    1,
    1.5,
    -0,
    2 ** 53,
    1e308,
    true,
    false,
    [],
    {},
    [null],
    'AAAA',
    'AB==',
    '\u0000',
    '\uD800',
    'approved',
    'met',
    'missed',
  ),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.jsonValue({ maxDepth: 2 }),
);

describe('a signed evidence report, altered, never verifies', () => {
  it('the report as exported verifies, and so do semantically identical rewritings', async () => {
    for (const json of [doc, JSON.parse(JSON.stringify(doc)) as unknown, Object.fromEntries(Object.entries(doc).reverse())]) {
      expect(judge(json, await verifyDoc(json))).toEqual({ key: 'verified (JSON unchanged)', problem: null });
    }
    for (const rewritten of [JSON.stringify(doc), JSON.stringify(doc, null, '\t'), text.replace(/"format"/, '"\\u0066ormat"'), `\n${text}\n\n`]) {
      await writeFile(join(root, 'rewritten.json'), rewritten);
      const outcome = await sandbox.call('electron/recovery/report-signing.ts', 'verifyReportFile', [join(root, 'rewritten.json')]);
      expect(outcome.kind, JSON.stringify(outcome).slice(0, 300)).toBe('returned');
    }
  });

  it('the file mutated byte by byte (verifyReportFile)', async (context) => {
    const label = 'report: byte mutations';
    const log = new FuzzLog(label, context.task.name);
    const original = new TextEncoder().encode(text);
    const path = join(root, 'mutated.json');
    await eachCase(label, 250, async (index, random) => {
      const mutation = mutateBytes(original, random);
      await writeFile(path, mutation.value);
      const outcome = await sandbox.call('electron/recovery/report-signing.ts', 'verifyReportFile', [path]);
      const { key, problem } = judge(parseJsonBytes(mutation.value), outcome);
      log.note(index, key, problem, mutation.steps.join('; '));
    });
    await context.annotate(log.summary());
    log.check();
  });

  it('one value anywhere replaced by a hostile one, or a key added at any depth', async (context) => {
    const label = 'report: values replaced, keys added';
    const log = new FuzzLog(label, context.task.name);
    const paths = allPaths(doc).filter((p) => p.length > 0);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), hostile, fc.boolean(), async (path, value, addKey) => {
        const json = structuredClone(doc);
        const holder = holderOf(json, path);
        const last = path.at(-1) ?? '';
        if (!holder) {
          return true;
        }
        const target = holder[last];
        const adding = addKey && typeof target === 'object' && target !== null && !Array.isArray(target);
        if (adding) {
          (target as Record<string, unknown>)['waiver'] = value;
        } else {
          holder[last] = value;
        }
        const outcome = await verifyDoc(json);
        const { key, problem } = judge(json, outcome);
        log.note('fast-check', key, problem, `${path.join('.')}${adding ? '.waiver' : ''} = ${JSON.stringify(value).slice(0, 60)}`);
        return passes(problem);
      }),
      fcParams(label, 300, context.task.name),
    );
    await context.annotate(log.summary());
    log.check();
  });
});

describe('bugs found here, now fixed', () => {
  it('a report with 20,000 nested arrays in an unknown key is refused, not a RangeError (stack overflow)', async () => {
    // verifySignedReport canonicalises the document as written before checking anything else, and
    // canonicalJson recursed without a bound. Written as text so the nesting never crosses a thread.
    const path = join(root, 'deep.json');
    await writeFile(
      path,
      JSON.stringify({ ...doc, report: { ...(doc['report'] as object), note: 'DEEP' } }).replace('"DEEP"', `${'['.repeat(20_000)}${']'.repeat(20_000)}`),
    );
    assertRefused(await sandbox.call('electron/recovery/report-signing.ts', 'verifyReportFile', [path]), ['AUDIT_BROKEN', 'VAULT_BAD_INPUT']);
  });
});
