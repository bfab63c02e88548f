/**
 * Fuzz: the audit log and what is checked against it (electron/vault/audit/audit-log.ts parseLine and
 * AuditLog.load, audit-verify.ts verifyAuditLines, the `checkpoint` file, and audit exports through
 * vault-audit.ts verifyExportFile / verifyExportDocument / verifyCheckpointNote).
 *
 * Every call runs in the fuzz sandbox (test/fuzz/mutate.ts): never a crash, never a hang (HANG_LIMIT_MS).
 * - audit.log mutated (bytes, or one line replaced by any JSON value or a near-record): unlocking as
 *   an owner or as an auditor is AUDIT_BROKEN, unless what is left is the original log, or a prefix
 *   of it no shorter than the head the newest snapshot and the checkpoint seal, followed by a torn
 *   last line (a crash mid-append; readers ignore it). On the cleanly locked vault the seal covers
 *   every record; on a crash image (a session that died before locking) records after the seal
 *   exist, and cutting whole records off that tail opens silently: a known limit, tallied (records
 *   appended since the last save are sealed only by the next lock).
 * - verifyAuditLines on mutated lines, with the vault's public keys: AUDIT_BROKEN.
 * - the `checkpoint` file mutated: AUDIT_BROKEN at unlock.
 * - a checkpoint note from a person (`audit verify --since FILE`): VAULT_BAD_INPUT or AUDIT_BROKEN,
 *   or verified only if its text and signature by this vault are intact.
 * - an audit export mutated (bytes of the file, or one value replaced): AUDIT_BROKEN,
 *   VAULT_BAD_INPUT or VAULT_TAMPERED (an audit key no longer signed by the vault identity), or
 *   verified only if the JSON is unchanged, or (an export with no exporter signature, as an
 *   auditor's) only its unsigned display fields (vaultName, exportedAt, exportedBy) or extra
 *   signature lines in its checkpoint (C2SP signed notes ignore signatures by other keys) changed —
 *   tallied separately, so the summary shows how often they occur. A full member's export signs
 *   the display fields too.
 *
 * Bugs this file found, since fixed in the engine and kept as regression tests at the end:
 * - a line that was JSON `null` crashed parseLine (Object.keys(null): TypeError), at unlock and in
 *   export verification, instead of AUDIT_BROKEN;
 * - an export whose event held deeply nested arrays (thousands of levels) overflowed the stack in
 *   canonicalJson (RangeError) instead of a refusal.
 *
 * Scale: LIFEBOAT_FUZZ_RUNS multiplies the inputs, LIFEBOAT_FUZZ_SEED changes them,
 * LIFEBOAT_FUZZ_PATH replays one (see test/fuzz/mutate.ts).
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../shared/errors.js';
import { AUDIT_FILE } from '../../electron/vault/audit/audit-log.js';
import { loadSodium, type Sodium } from '../../electron/vault/keys/crypto-runtime.js';
import { CHECKPOINT_FILE } from '../../electron/vault/audit/checkpoint.js';
import { exportAudit } from '../../electron/vault/audit/vault-audit.js';
import { readHeader } from '../../electron/vault/keys/vault-header.js';
import { LOCK_FILE_NAME } from '../../electron/vault/storage/vault-lock.js';
import { addMember } from '../../electron/vault/vault-members.js';
import { createVault, openVault } from '../../electron/vault/vault-open.js';
import { createRecord, openRecord, revealField } from '../../electron/vault/records/vault-records.js';
import { PASSPHRASES } from '../support/test-vault.js';
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
  VaultBench,
} from './mutate.js';

const sandbox = new Sandbox();
let sodium: Sodium;
let root: string;
let vaultId: string;
let publicKeys: Map<number, Uint8Array>;

/** A vault image: its folder on a bench, its log's lines, and how many of them are sealed. */
interface Image {
  bench: VaultBench;
  lines: string[];
  sealed: number;
}
let clean: Image;
let crash: Image;
let exportText: string;
let exportJson: ExportJson;

interface ExportJson {
  records: string[];
  events: Record<string, unknown>[];
  checkpoint: string;
  [key: string]: unknown;
}

async function linesOf(dir: string): Promise<string[]> {
  const text = await readFile(join(dir, AUDIT_FILE), 'utf8');
  return text.slice(0, -1).split('\n');
}

beforeAll(async () => {
  sodium = await loadSodium();
  root = await mkdtemp(join(tmpdir(), 'lifeboat-fuzz-audit-'));
  const dir = join(root, 'pristine.lifeboat');
  const pass = (who: string): string => PASSPHRASES[who] ?? '';
  const owner = await createVault(dir, { owner: 'alice', passphrase: pass('alice'), insecureFastKdf: true, name: 'Ops' });
  await addMember(owner, { name: 'bob', role: 'commander', passphrase: pass('bob') });
  await addMember(owner, { name: 'carol', role: 'auditor', passphrase: pass('carol') });
  const secret = await createRecord(owner, { type: 'secret', title: 'Root DB', data: { username: 'root', password: 'hunter22' } });
  const runbook = await createRecord(owner, { type: 'runbook', title: 'Restore the DB', data: { steps: ['stop writes', 'restore'] } });
  await owner.lock();
  const bob = await openVault(dir, { member: 'bob', passphrase: pass('bob') });
  await openRecord(bob, secret.id);
  await revealField(bob, secret.id, 'password', 'INC-42: restore');
  await bob.lock();
  // A session that dies before locking: opens and a reveal after the sealed head.
  const last = await openVault(dir, { member: 'alice', passphrase: pass('alice') });
  await openRecord(last, runbook.id);
  await revealField(last, secret.id, 'password', 'rotate after INC-42');
  await openRecord(last, secret.id);
  const crashDir = join(root, 'crashed.lifeboat');
  await cp(dir, crashDir, { recursive: true });
  await rm(join(crashDir, LOCK_FILE_NAME));
  const crashSealed = last.internals().sealedHead?.size ?? 0;
  await exportAudit(last, join(root, 'export.json'));
  await last.lock();

  vaultId = (await readHeader(dir)).vaultId;
  publicKeys = new Map((await readHeader(dir)).auditPublicKeys.map((k) => [k.epoch, sodium.from_base64(k.publicKey, sodium.base64_variants.ORIGINAL)]));
  const lines = await linesOf(dir);
  clean = { bench: await VaultBench.create(dir, join(root, 'bench.lifeboat')), lines, sealed: lines.length };
  crash = { bench: await VaultBench.create(crashDir, join(root, 'bench-crashed.lifeboat')), lines: await linesOf(crashDir), sealed: crashSealed };
  expect(crash.lines.length - crash.sealed).toBe(4); // its unlock, two opens and a reveal
  exportText = await readFile(join(root, 'export.json'), 'utf8');
  exportJson = JSON.parse(exportText) as ExportJson;
}, 60_000);

afterAll(async () => {
  await sandbox.close();
  await rm(root, { recursive: true, force: true });
});

function open(who: 'alice' | 'carol'): (dir: string) => Promise<Outcome> {
  return (dir) => sandbox.call('test/fuzz/mutate.ts', 'openVaultSummary', [dir, who, PASSPHRASES[who] ?? '']);
}

/**
 * Judges an unlock with `bytes` as audit.log. The complete lines (a torn last line dropped, as the
 * reader does) must be refused as AUDIT_BROKEN unless they are a prefix of the original of at
 * least the sealed size.
 */
function judgeLog(image: Image, bytes: Uint8Array, outcome: Outcome): { key: string; problem: string | null } {
  const text = new TextDecoder().decode(bytes);
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  const kept = complete === '' ? [] : complete.slice(0, -1).split('\n');
  const prefix = kept.length <= image.lines.length && kept.every((line, i) => line === image.lines[i]);
  if (prefix && kept.length === image.lines.length) {
    const torn = text.length > complete.length;
    return {
      key: outcome.kind === 'returned' ? (torn ? 'opened (torn last line ignored)' : 'opened (unchanged)') : outcomeKey(outcome),
      problem: refusedOrOpened(outcome),
    };
  }
  if (prefix && kept.length >= image.sealed) {
    return { key: outcome.kind === 'returned' ? 'known limit: unsealed tail records cut, opened' : outcomeKey(outcome), problem: refusedOrOpened(outcome) };
  }
  return { key: outcomeKey(outcome), problem: refusedWith(outcome, ['AUDIT_BROKEN']) };
}

/** Fine if it opened or was refused with AUDIT_BROKEN; a problem if it crashed or hung. */
function refusedOrOpened(outcome: Outcome): string | null {
  return outcome.kind === 'returned' ? null : refusedWith(outcome, ['AUDIT_BROKEN']);
}

function logBytes(lines: readonly string[]): Uint8Array {
  return new TextEncoder().encode(lines.map((l) => `${l}\n`).join(''));
}

/** JSON values a line may be replaced by: anything, and near-records (fields missing, extra, retyped, reordered). */
function lineReplacement(template: string): fc.Arbitrary<string> {
  const record = JSON.parse(template) as Record<string, unknown>;
  const keys = Object.keys(record);
  return fc.oneof(
    fc.constantFrom('null', 'true', '0', '""', '[]', '{}', '[null]', '"null"', ' ', '\t{}', '1e999', '{"__proto__":{}}'),
    fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
    fc
      .record({ drop: fc.subarray(keys), extra: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }) })
      .map(({ drop, extra }) => JSON.stringify({ ...Object.fromEntries(Object.entries(record).filter(([k]) => !drop.includes(k))), ...extra })),
    fc.tuple(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 1 })).map(([key, value]) => JSON.stringify({ ...record, [key]: value })),
    fc.constant(JSON.stringify(Object.fromEntries(Object.entries(record).reverse()))),
    fc.constant(JSON.stringify(record, null, 1)),
  );
}

describe('audit.log, altered, is AUDIT_BROKEN at unlock', () => {
  for (const [name, image, who] of [
    ['cleanly locked vault, as owner', () => clean, 'alice'],
    ['cleanly locked vault, as auditor', () => clean, 'carol'],
    ['crash image (unsealed tail), as owner', () => crash, 'alice'],
  ] as const) {
    it(`byte mutations: ${name}`, async (context) => {
      const label = `audit.log bytes: ${name}`;
      const log = new FuzzLog(label, context.task.name);
      const { bench, lines } = image();
      const original = logBytes(lines);
      await eachCase(label, 60, async (index, random) => {
        const mutation = mutateBytes(original, random);
        const outcome = await bench.attempt((dir) => writeFile(join(dir, AUDIT_FILE), mutation.value), open(who));
        const { key, problem } = judgeLog(image(), mutation.value, outcome);
        log.note(index, key, problem, mutation.steps.join('; '));
      });
      await context.annotate(log.summary());
      log.check();
    }, 60_000);
  }

  it('one line replaced by any JSON value or a near-record, or whole lines cut, duplicated or moved (crash image, as owner)', async (context) => {
    const label = 'audit.log lines: replaced, cut, moved';
    const log = new FuzzLog(label, context.task.name);
    const lines = crash.lines;
    const edit = fc.oneof(
      fc
        .tuple(fc.nat({ max: lines.length - 1 }), fc.constant(null))
        .chain(([at]) => lineReplacement(lines[at] ?? '{}').map((line) => ({ kind: 'replace' as const, at, line }))),
      fc.nat({ max: lines.length }).map((keep) => ({ kind: 'cut' as const, keep })),
      fc.tuple(fc.nat({ max: lines.length - 1 }), fc.nat({ max: lines.length })).map(([from, to]) => ({ kind: 'move' as const, from, to })),
      fc.tuple(fc.nat({ max: lines.length - 1 }), fc.nat({ max: lines.length })).map(([from, to]) => ({ kind: 'copy' as const, from, to })),
    );
    await fc.assert(
      fc.asyncProperty(edit, async (change) => {
        const edited = [...lines];
        if (change.kind === 'replace') {
          edited[change.at] = change.line;
        } else if (change.kind === 'cut') {
          edited.splice(change.keep);
        } else {
          const [line] = change.kind === 'move' ? edited.splice(change.from, 1) : [edited[change.from]];
          edited.splice(change.to, 0, line ?? '');
        }
        const bytes = logBytes(edited);
        const outcome = await crash.bench.attempt((dir) => writeFile(join(dir, AUDIT_FILE), bytes), open('alice'));
        const { key, problem } = judgeLog(crash, bytes, outcome);
        log.note('fast-check', key, problem, JSON.stringify(change).slice(0, 200));
        return passes(problem);
      }),
      fcParams(label, 80, context.task.name),
    );
    await context.annotate(log.summary());
    log.check();
  }, 60_000);

  it('verifyAuditLines with the vault’s public keys: mutated lines are AUDIT_BROKEN', async (context) => {
    const label = 'audit.log: verifyAuditLines';
    const log = new FuzzLog(label, context.task.name);
    const lines = clean.lines;
    const intact = await sandbox.call('electron/vault/audit/audit-verify.ts', 'verifyAuditLines', [lines, { vaultId, publicKeys }], { sodium: true });
    expect(intact.kind).toBe('returned');
    await eachCase(label, 200, async (index, random) => {
      const at = Math.floor(random() * lines.length);
      const mutation = mutateBytes(new TextEncoder().encode(lines[at] ?? ''), random, 2);
      const edited = [...lines];
      edited[at] = new TextDecoder().decode(mutation.value);
      const outcome = await sandbox.call('electron/vault/audit/audit-verify.ts', 'verifyAuditLines', [edited, { vaultId, publicKeys }], { sodium: true });
      const unchanged = edited[at] === lines[at];
      const problem = unchanged ? null : refusedWith(outcome, ['AUDIT_BROKEN']);
      log.note(index, unchanged ? 'unchanged' : outcomeKey(outcome), problem, `line ${at + 1}: ${mutation.steps.join('; ')}`);
    });
    await context.annotate(log.summary());
    log.check();
  });

  it('the checkpoint file mutated: AUDIT_BROKEN at unlock, as owner and as auditor', async (context) => {
    const label = 'checkpoint file: byte mutations';
    const log = new FuzzLog(label, context.task.name);
    const original = clean.bench.file(CHECKPOINT_FILE);
    await eachCase(label, 50, async (index, random) => {
      const mutation = mutateBytes(original, random);
      const outcome = await clean.bench.attempt((dir) => writeFile(join(dir, CHECKPOINT_FILE), mutation.value), open(index % 2 === 0 ? 'alice' : 'carol'));
      const unchanged = Buffer.from(mutation.value).equals(original);
      log.note(index, unchanged ? 'unchanged' : outcomeKey(outcome), unchanged ? null : refusedWith(outcome, ['AUDIT_BROKEN']), mutation.steps.join('; '));
    });
    await context.annotate(log.summary());
    log.check();
  }, 60_000);
});

// --- checkpoint notes and exports ---------------------------------------------------------------------

/** The checkpoint's body and its signature lines. */
function splitNote(note: string): { body: string; signatures: string[] } | undefined {
  const split = note.lastIndexOf('\n\n');
  return split < 0
    ? undefined
    : {
        body: note.slice(0, split + 1),
        signatures: note
          .slice(split + 2)
          .split('\n')
          .filter((l) => l !== ''),
      };
}

/** The same body, with this vault's signature line still there: other signature lines are ignored by the spec. */
function sameSignedCheckpoint(original: string, now: unknown): boolean {
  const a = splitNote(original);
  const b = typeof now === 'string' ? splitNote(now) : undefined;
  return a !== undefined && b !== undefined && a.body === b.body && a.signatures.every((line) => b.signatures.includes(line));
}

/** Fields nothing signs, in an export without the exporter's signature (an auditor's); a signed export has none. */
function unsignedExportFields(json: unknown): string[] {
  return typeof json === 'object' && json !== null && 'signature' in json ? [] : ['vaultName', 'exportedAt', 'exportedBy'];
}

/** Judges a verified export: fine only if unchanged, or changed where nothing is signed. */
function judgeExport(json: unknown, outcome: Outcome): { key: string; problem: string | null } {
  const refused: ErrorCode[] = ['AUDIT_BROKEN', 'VAULT_BAD_INPUT', 'VAULT_TAMPERED'];
  const UNSIGNED_EXPORT_FIELDS = unsignedExportFields(json);
  if (outcome.kind !== 'returned') {
    return { key: outcomeKey(outcome), problem: refusedWith(outcome, refused) };
  }
  const changed = json === undefined ? ['(not JSON)'] : changedPaths(exportJson, json);
  if (changed.length === 0) {
    return { key: 'verified (JSON unchanged)', problem: null };
  }
  if (changed.every((p) => UNSIGNED_EXPORT_FIELDS.includes(p))) {
    return { key: 'verified: only unsigned display fields changed', problem: null };
  }
  if (
    changed.every((p) => UNSIGNED_EXPORT_FIELDS.includes(p) || p === 'checkpoint') &&
    sameSignedCheckpoint(exportJson.checkpoint, (json as ExportJson).checkpoint)
  ) {
    return { key: 'verified: checkpoint signature lines of other keys', problem: null };
  }
  return { key: 'verified', problem: `an altered export verified (changes ${changed.join(', ')})` };
}

describe('checkpoint notes and audit exports', () => {
  it('a checkpoint note as a person gives it (audit verify --since): refused, or verified only if intact', async (context) => {
    const label = 'checkpoint note: verifyCheckpointNote';
    const log = new FuzzLog(label, context.task.name);
    const note = exportJson.checkpoint;
    await eachCase(label, 300, async (index, random) => {
      const mutation = mutateBytes(new TextEncoder().encode(note), random);
      const text = new TextDecoder().decode(mutation.value);
      const outcome = await sandbox.call('electron/vault/audit/vault-audit.ts', 'verifyCheckpointNote', [vaultId, publicKeys, text], { sodium: true });
      const intact = sameSignedCheckpoint(note, text);
      const problem =
        outcome.kind === 'returned' ? (intact ? null : 'an altered checkpoint verified') : refusedWith(outcome, ['AUDIT_BROKEN', 'VAULT_BAD_INPUT']);
      log.note(
        index,
        outcome.kind === 'returned' ? (text === note ? 'verified (unchanged)' : 'verified (other signature lines only)') : outcomeKey(outcome),
        problem,
        mutation.steps.join('; '),
      );
    });
    await context.annotate(log.summary());
    log.check();
  });

  it('an export file mutated byte by byte (verifyExportFile): refused, or verified only where nothing changed that is signed', async (context) => {
    const label = 'export: byte mutations';
    const log = new FuzzLog(label, context.task.name);
    const original = new TextEncoder().encode(exportText);
    const path = join(root, 'mutated-export.json');
    await eachCase(label, 150, async (index, random) => {
      const mutation = mutateBytes(original, random);
      await writeFile(path, mutation.value);
      const outcome = await sandbox.call('electron/vault/audit/vault-audit.ts', 'verifyExportFile', [path]);
      const { key, problem } = judgeExport(parseJsonBytes(mutation.value), outcome);
      log.note(index, key, problem, mutation.steps.join('; '));
    });
    await context.annotate(log.summary());
    log.check();
  });

  it('an export with one value replaced, a key added or removed (verifyExportDocument)', async (context) => {
    const label = 'export: values replaced';
    const log = new FuzzLog(label, context.task.name);
    const paths: (string | number)[][] = [];
    const walk = (value: unknown, path: (string | number)[]): void => {
      paths.push(path);
      if (Array.isArray(value)) {
        value.forEach((item, i) => {
          walk(item, [...path, i]);
        });
      } else if (typeof value === 'object' && value !== null) {
        Object.entries(value).forEach(([key, item]) => {
          walk(item, [...path, key]);
        });
      }
    };
    walk(exportJson, []);
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom<unknown>(null, '', 'null', 0, -1, 1.5, 2 ** 53, [], {}, [null], '\u0000', 'AAAA', 'AB=='),
      fc.string({ unit: 'binary', maxLength: 12 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), value, fc.boolean(), async (path, replacement, addKey) => {
        const doc = structuredClone(exportJson) as unknown;
        let holder = doc as Record<string | number, unknown>;
        for (const key of path.slice(0, -1)) {
          holder = holder[key] as Record<string | number, unknown>;
        }
        const last = path.at(-1);
        if (last === undefined) {
          return true;
        }
        if (addKey && typeof holder[last] === 'object' && holder[last] !== null && !Array.isArray(holder[last])) {
          (holder[last] as Record<string, unknown>)['unexpected'] = replacement;
        } else {
          holder[last] = replacement;
        }
        const outcome = await sandbox.call('electron/vault/audit/vault-audit.ts', 'verifyExportDocument', [doc, 'export.json'], { sodium: true });
        const { key, problem } = judgeExport(doc, outcome);
        log.note('fast-check', key, problem, `${path.join('.')}${addKey ? '.unexpected' : ''} = ${JSON.stringify(replacement).slice(0, 80)}`);
        return passes(problem);
      }),
      fcParams(label, 150, context.task.name),
    );
    await context.annotate(log.summary());
    log.check();
  });
});

describe('bugs found here, now fixed', () => {
  it('an audit.log line that is JSON null is AUDIT_BROKEN at unlock, not a TypeError', async () => {
    // audit-log.ts parseLine called Object.keys(value) before checking that value was an object.
    const lines = [...clean.lines];
    lines[2] = 'null';
    const outcome = await clean.bench.attempt((dir) => writeFile(join(dir, AUDIT_FILE), logBytes(lines)), open('alice'));
    assertRefused(outcome, ['AUDIT_BROKEN']);
  });

  it('an export whose record is JSON null is refused, not a TypeError', async () => {
    const doc = { ...structuredClone(exportJson), records: ['null', ...exportJson.records.slice(1)] };
    const outcome = await sandbox.call('electron/vault/audit/vault-audit.ts', 'verifyExportDocument', [doc, 'export.json'], { sodium: true });
    assertRefused(outcome, ['AUDIT_BROKEN', 'VAULT_BAD_INPUT']);
  });

  it('an export whose event holds 20,000 nested arrays is refused, not a RangeError (stack overflow)', async () => {
    // canonical-json.ts recursed without a bound; verifyAuditLines hashes each exported event with it.
    // Written as text and parsed by the verifier itself: the nesting never crosses a thread.
    const doc = { ...structuredClone(exportJson), events: exportJson.events.map((e, i) => (i === 0 ? { ...e, details: { x: 'DEEP' } } : e)) };
    const path = join(root, 'deep-export.json');
    await writeFile(path, JSON.stringify(doc).replace('"DEEP"', `${'['.repeat(20_000)}${']'.repeat(20_000)}`));
    const outcome = await sandbox.call('electron/vault/audit/vault-audit.ts', 'verifyExportFile', [path]);
    assertRefused(outcome, ['AUDIT_BROKEN', 'VAULT_BAD_INPUT']);
  });
});
