/**
 * Shared pieces of the fuzz tests (issue #8, "Fuzzing and bad input").
 *
 * - Settings from the environment, the same for every file in test/fuzz:
 *     LIFEBOAT_FUZZ_SEED=N   base seed (default 8008); each test derives its own from it and its name.
 *     LIFEBOAT_FUZZ_RUNS=K   multiplies every test's number of inputs by K (default 1; 10 for a long run).
 *     LIFEBOAT_FUZZ_PATH=P   replays one failing input: the path a failure message prints
 *                            (a case number for the byte mutator, a fast-check path otherwise);
 *                            run it with the same seed and `-t "<test name>"`.
 * - A seeded byte mutator and a token mutator for text (test/support/seeded-random.ts), each mutation
 *   described step by step, so a failure message says exactly what was done to the input.
 * - A sandbox that runs one engine call at a time in a worker thread under a watchdog: a call that
 *   takes more than HANG_LIMIT_MS is a hang, reported with its seed and path, and the worker is
 *   replaced. (Synchronous code cannot be interrupted in the test's own thread: without this, one
 *   hang would freeze the whole run with no message at all.) The worker loads the TypeScript sources
 *   themselves through a module hook that transpiles them with the project's own `typescript`.
 * - Engine calls whose results cannot cross a thread (a VaultSession), wrapped to return summaries.
 *
 * Nothing here imports vitest: the worker imports this module too.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import type { ErrorCode } from '../../shared/errors.js';
import type { VaultSession } from '../../electron/vault/vault-session.js';
import { mulberry32 } from '../support/seeded-random.mjs';

// The engine is imported where it is used (await import): a test file that needs only the mutators
// or the sandbox does not load the whole engine into its own thread.

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * A single call taking longer than this is a hang. Calls take well under a second alone, but a
 * worker's first call also loads the engine, and unit test files run two at a time on two cores
 * (vitest.config.ts): a first call took 2.0 s there once. An infinite loop is caught all the same.
 */
export const HANG_LIMIT_MS = 8_000;

// --- settings ----------------------------------------------------------------------

const DEFAULT_SEED = 8008;

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name}=${raw} is not a positive number`);
  }
  return value;
}

export const FUZZ = {
  seed: Math.trunc(envNumber('LIFEBOAT_FUZZ_SEED', DEFAULT_SEED)),
  factor: envNumber('LIFEBOAT_FUZZ_RUNS', 1),
  path: process.env['LIFEBOAT_FUZZ_PATH']?.trim() || undefined,
};

/** How many inputs a test runs: its default times LIFEBOAT_FUZZ_RUNS, at least one. */
export function runs(base: number): number {
  return Math.max(1, Math.round(base * FUZZ.factor));
}

/** The seed of one test: the base seed mixed with the test's label (FNV-1a), so tests differ but replay. */
export function seedFor(label: string): number {
  let hash = 0x811c9dc5 ^ FUZZ.seed;
  for (let i = 0; i < label.length; i += 1) {
    hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193);
  }
  return hash | 0;
}

/** How to replay one failing input: printed in every failure message. */
export function replayHint(testName: string, path: string | number): string {
  return `replay: LIFEBOAT_FUZZ_SEED=${FUZZ.seed} LIFEBOAT_FUZZ_PATH=${String(path)} npx vitest run test/fuzz -t ${JSON.stringify(testName)}`;
}

/**
 * fast-check parameters for a test: its seed, its runs scaled by LIFEBOAT_FUZZ_RUNS, the replay path
 * if one is given, and a reporter whose failure message starts with how to replay the failure
 * (fast-check's own message, with the counterexample, follows).
 */
export function fcParams<T>(label: string, baseRuns: number, testName = label): fc.Parameters<T> {
  const replay: fc.Plugin<T> = () => ({
    onAllRunsComplete: (details) => {
      if (details.failed) {
        const cause: unknown = 'errorInstance' in details ? details.errorInstance : undefined;
        throw new Error(`${label} (seed ${FUZZ.seed}): ${replayHint(testName, details.counterexamplePath ?? '?')}\n${fc.defaultReportMessage(details)}`, {
          cause,
        });
      }
    },
  });
  const params: fc.Parameters<T> = { seed: seedFor(label), numRuns: runs(baseRuns), endOnFailure: true, includeErrorInReport: true, plugins: [replay] };
  return FUZZ.path === undefined ? params : { ...params, path: FUZZ.path };
}

// --- mutators --------------------------------------------------------------------------

export interface Mutation<T> {
  value: T;
  /** What was done, in order ("flip bit 3 @120", "insert 0x22 @40"…). */
  steps: string[];
}

const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x20, 0x22, 0x5c, 0x0a, 0x0d, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x30, 0x39, 0x2d, 0x2e, 0x3d];
const INTERESTING_U32 = [0, 1, 0x7f, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000, 0x500001];

function pick(random: () => number, n: number): number {
  return Math.floor(random() * n);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function hex(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0')}`;
}

/** One random edit of `bytes` (never returns the same array). */
function mutateOnce(bytes: Uint8Array, random: () => number): Mutation<Uint8Array> {
  const n = bytes.length;
  const at = pick(random, Math.max(1, n));
  const out = Uint8Array.from(bytes);
  const op = n === 0 ? 4 : pick(random, 10);
  switch (op) {
    case 0: {
      const bit = pick(random, 8);
      out[at] = (out[at] ?? 0) ^ (1 << bit);
      return { value: out, steps: [`flip bit ${bit} @${at}`] };
    }
    case 1: {
      const byte = pick(random, 256);
      out[at] = byte;
      return { value: out, steps: [`set @${at} = ${hex(byte)}`] };
    }
    case 2: {
      const byte = INTERESTING_BYTES[pick(random, INTERESTING_BYTES.length)] ?? 0;
      out[at] = byte;
      return { value: out, steps: [`set @${at} = ${hex(byte)}`] };
    }
    case 3: {
      const value = INTERESTING_U32[pick(random, INTERESTING_U32.length)] ?? 0;
      const start = Math.min(at, Math.max(0, n - 4));
      const little = random() < 0.5;
      const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
      if (n >= 4) {
        view.setUint32(start, value >>> 0, little);
      }
      return { value: out, steps: [`u32${little ? 'le' : 'be'} 0x${value.toString(16)} @${start}`] };
    }
    case 4: {
      const count = 1 + pick(random, 4);
      const inserted = Array.from({ length: count }, () =>
        random() < 0.5 ? (INTERESTING_BYTES[pick(random, INTERESTING_BYTES.length)] ?? 0) : pick(random, 256),
      );
      const where = pick(random, n + 1);
      const value = concat(bytes.subarray(0, where), Uint8Array.from(inserted), bytes.subarray(where));
      return { value, steps: [`insert ${inserted.map(hex).join(' ')} @${where}`] };
    }
    case 5: {
      const count = 1 + pick(random, Math.min(16, n));
      const value = concat(bytes.subarray(0, at), bytes.subarray(at + count));
      return { value, steps: [`delete ${count} @${at}`] };
    }
    case 6: {
      const count = 1 + pick(random, Math.min(64, n));
      const from = pick(random, Math.max(1, n - count + 1));
      const chunk = bytes.subarray(from, from + count);
      const value = concat(bytes.subarray(0, at), chunk, bytes.subarray(at));
      return { value, steps: [`duplicate ${chunk.length} from @${from} to @${at}`] };
    }
    case 7: {
      const length = pick(random, n);
      return { value: bytes.slice(0, length), steps: [`truncate to ${length}`] };
    }
    case 8: {
      const other = pick(random, n);
      out[at] = bytes[other] ?? 0;
      out[other] = bytes[at] ?? 0;
      return { value: out, steps: [`swap @${at} @${other}`] };
    }
    default: {
      const count = 1 + pick(random, 16);
      const tail = Array.from({ length: count }, () => pick(random, 256));
      return { value: concat(bytes, Uint8Array.from(tail)), steps: [`append ${count} bytes`] };
    }
  }
}

/** 1 to `maxSteps` random edits (biased towards one), described step by step. */
export function mutateBytes(bytes: Uint8Array, random: () => number, maxSteps = 3): Mutation<Uint8Array> {
  const count = random() < 0.6 ? 1 : 1 + pick(random, maxSteps);
  let value = bytes;
  const steps: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const next = mutateOnce(value, random);
    value = next.value;
    steps.push(...next.steps);
  }
  return { value, steps };
}

/**
 * Edits of text that a byte mutator rarely makes: a token from `dictionary` inserted or written over
 * a word, a line duplicated, deleted or re-indented. Mixed with byte edits of the UTF-8.
 */
export function mutateText(text: string, random: () => number, dictionary: readonly string[], maxSteps = 3): Mutation<string> {
  const count = 1 + pick(random, maxSteps);
  let value = text;
  const steps: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const lines = value.split('\n');
    const line = pick(random, lines.length);
    const token = dictionary[pick(random, dictionary.length)] ?? '';
    switch (pick(random, 6)) {
      case 0: {
        const at = pick(random, value.length + 1);
        value = value.slice(0, at) + token + value.slice(at);
        steps.push(`insert ${JSON.stringify(token)} @${at}`);
        break;
      }
      case 1: {
        const match = /[^\s:]+/.exec(lines[line] ?? '');
        lines[line] = match ? (lines[line] ?? '').replace(match[0], token) : token;
        value = lines.join('\n');
        steps.push(`line ${line + 1}: first word → ${JSON.stringify(token)}`);
        break;
      }
      case 2:
        lines.splice(line, 0, lines[line] ?? '');
        value = lines.join('\n');
        steps.push(`line ${line + 1} duplicated`);
        break;
      case 3:
        lines.splice(line, 1);
        value = lines.join('\n');
        steps.push(`line ${line + 1} deleted`);
        break;
      case 4: {
        const indent = [' ', '  ', '\t', ''][pick(random, 4)] ?? '';
        lines[line] = random() < 0.5 ? indent + (lines[line] ?? '') : (lines[line] ?? '').trimStart();
        value = lines.join('\n');
        steps.push(`line ${line + 1} re-indented`);
        break;
      }
      default: {
        const bytes = mutateBytes(new TextEncoder().encode(value), random, 1);
        value = new TextDecoder().decode(bytes.value);
        steps.push(...bytes.steps.map((s) => `utf8 ${s}`));
      }
    }
  }
  return { value, steps };
}

/** The random source of case `index` of a test: independent of every other case, so one replays alone. */
export function caseRandom(label: string, index: number): () => number {
  return mulberry32(seedFor(label) ^ Math.imul(index + 1, 0x9e3779b1));
}

// --- outcomes ---------------------------------------------------------------------------

export type Outcome =
  | { kind: 'returned'; value: unknown; ms: number }
  | { kind: 'refused'; code: ErrorCode; message: string; problems?: unknown[]; ms: number }
  | { kind: 'crashed'; error: string; ms: number }
  | { kind: 'hung'; ms: number };

export function describeOutcome(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'returned':
      return `it returned in ${outcome.ms.toFixed(0)} ms`;
    case 'refused':
      return `it was refused with ${outcome.code}: ${outcome.message.slice(0, 300)}`;
    case 'crashed':
      return `it crashed with ${outcome.error}`;
    case 'hung':
      return `it hung (no answer after ${outcome.ms.toFixed(0)} ms)`;
  }
}

/** A tally key for an outcome: the error code, or the kind. */
export function outcomeKey(outcome: Outcome): string {
  return outcome.kind === 'refused' ? outcome.code : outcome.kind;
}

/** Null when `outcome` is a refusal with one of `codes`; else what is wrong with it. */
export function refusedWith(outcome: Outcome, codes: readonly ErrorCode[]): string | null {
  if (outcome.kind === 'refused' && codes.includes(outcome.code)) {
    return null;
  }
  return `expected ${codes.join(' or ')}, but ${describeOutcome(outcome)}`;
}

/** For a fast-check property: true when there is no problem, else throws it (so the report says what was wrong). */
export function passes(problem: string | null): true {
  if (problem !== null) {
    throw new Error(problem);
  }
  return true;
}

/** Throws (with the whole outcome in the message) unless it is a refusal with one of `codes`. */
export function assertRefused(outcome: Outcome, codes: readonly ErrorCode[]): void {
  const problem = refusedWith(outcome, codes);
  if (problem !== null) {
    throw new Error(problem);
  }
}

/**
 * What one test saw: a tally of outcomes and every problem with the input that caused it.
 * `check()` throws one error listing the first problems, each with its path, and how to replay.
 */
export class FuzzLog {
  readonly counts = new Map<string, number>();
  readonly problems: string[] = [];
  inputs = 0;

  /** `testName` is the vitest test's name, for the replay command (-t). */
  constructor(
    readonly label: string,
    readonly testName = label,
  ) {}

  /** Records one input: `key` for the tally, `problem` (null if fine), `path` to replay it. */
  note(path: string | number, key: string, problem: string | null, input = ''): void {
    this.inputs += 1;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (problem !== null) {
      this.problems.push(`path ${String(path)}${input === '' ? '' : ` [${input}]`}: ${problem}`);
    }
  }

  summary(): string {
    const tally = [...this.counts]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, n]) => `${key}: ${n}`)
      .join(', ');
    return `${this.label}: ${this.inputs} inputs (seed ${FUZZ.seed}, ×${FUZZ.factor}) — ${tally}`;
  }

  /** Throws if any input misbehaved. */
  check(): void {
    if (this.problems.length === 0) {
      return;
    }
    const first = this.problems[0]?.match(/^path (\S+)/)?.[1] ?? '0';
    throw new Error(
      `${this.problems.length} of ${this.inputs} inputs misbehaved in "${this.label}" (seed ${FUZZ.seed}):\n` +
        `${this.problems.slice(0, 12).join('\n')}${this.problems.length > 12 ? `\n…and ${this.problems.length - 12} more` : ''}\n` +
        replayHint(this.testName, first),
    );
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Paths (a.b.0.c) where two JSON values differ; [] when they are equal ("semantically nothing"). */
export function changedPaths(a: unknown, b: unknown, path = ''): string[] {
  const here = path === '' ? '(root)' : path;
  const child = (key: string): string => (path === '' ? key : `${path}.${key}`);
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length !== b.length ? [here] : a.flatMap((item, i) => changedPaths(item, b[i], child(String(i))));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((key) => (Object.hasOwn(a, key) && Object.hasOwn(b, key) ? changedPaths(a[key], b[key], child(key)) : [child(key)]));
  }
  // === and not Object.is: JSON has one zero (-0 is written 0), and no NaN.
  return a === b ? [] : [here];
}

/** The JSON text of `bytes` parsed as the engine reads files (UTF-8, invalid bytes replaced), or undefined. */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Runs cases 0…runs(base)-1 (base times LIFEBOAT_FUZZ_RUNS), each with its own random source, or only
 * the one LIFEBOAT_FUZZ_PATH names.
 */
export async function eachCase(label: string, base: number, run: (index: number, random: () => number) => Promise<void>): Promise<void> {
  if (FUZZ.path !== undefined && /^\d+$/.test(FUZZ.path)) {
    const index = Number(FUZZ.path);
    await run(index, caseRandom(label, index));
    return;
  }
  const n = runs(base);
  for (let index = 0; index < n; index += 1) {
    await run(index, caseRandom(label, index));
  }
}

// --- the sandbox ----------------------------------------------------------------------------

/**
 * Module hooks for the worker: `.js` specifiers fall back to the `.ts` source, which is transpiled
 * (isolated modules, as tsconfig.base.json requires) and cached on disk by the hash of its path and
 * text, so a new worker loads in well under a second and `typescript` is loaded only on a miss.
 */
const HOOKS = `
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
let settings;
let ts;
export async function initialize(data) { settings = data; }
async function transpile(url, source) {
  const key = createHash('sha256').update(url).update('\\0').update(source).digest('hex');
  const cached = settings.cacheDir + '/' + key + '.js';
  try {
    return await readFile(cached, 'utf8');
  } catch {}
  ts ??= (await import(settings.typescript)).default;
  const output = ts.transpileModule(source, {
    fileName: url,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, isolatedModules: true },
  }).outputText;
  await mkdir(settings.cacheDir, { recursive: true });
  const temporary = cached + '.' + process.pid + '-' + Math.random().toString(16).slice(2);
  await writeFile(temporary, output);
  await rename(temporary, cached);
  return output;
}
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (/^(\\.|\\/|file:)/.test(specifier) && specifier.endsWith('.js')) {
      return next(specifier.slice(0, -3) + '.ts', context);
    }
    throw error;
  }
}
export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) {
    return next(url, context);
  }
  const source = await readFile(new URL(url), 'utf8');
  return { format: 'module', source: await transpile(url, source), shortCircuit: true };
}`;

/** The worker: imports modules on demand, calls one export per request, reports how it ended. */
const WORKER = `
const { register } = require('node:module');
const { parentPort, workerData } = require('node:worker_threads');
register('data:text/javascript,' + encodeURIComponent(workerData.hooks), { data: { typescript: workerData.typescript, cacheDir: workerData.cacheDir } });
const modules = new Map();
let sodium;
async function load(url) {
  if (!modules.has(url)) { modules.set(url, await import(url)); }
  return modules.get(url);
}
function describe(error) {
  if (error instanceof Error) {
    const frames = (error.stack || '').split('\\n').filter((l) => l.trim().startsWith('at ')).slice(0, 4).map((l) => l.trim());
    return error.constructor.name + ': ' + error.message + (frames.length ? ' (' + frames.join(' < ') + ')' : '');
  }
  return 'non-Error thrown: ' + String(error);
}
parentPort.on('message', async ({ id, module, fn, args, withSodium }) => {
  let started;
  let LifeboatError;
  try {
    LifeboatError = (await load(workerData.errors)).LifeboatError;
    const target = (await load(module))[fn];
    if (typeof target !== 'function') { throw new Error(fn + ' is not a function exported by ' + module); }
    if (withSodium && !sodium) { sodium = await (await load(workerData.crypto)).loadSodium(); }
    parentPort.postMessage({ id, started: true });
    started = performance.now();
    const value = await target(...(withSodium ? [sodium, ...args] : args));
    const ms = performance.now() - started;
    try { parentPort.postMessage({ id, kind: 'returned', value, ms }); }
    catch { parentPort.postMessage({ id, kind: 'returned', value: '(not cloneable)', ms }); }
  } catch (error) {
    if (started === undefined) { parentPort.postMessage({ id, setupFailed: describe(error) }); return; }
    const ms = performance.now() - started;
    if (LifeboatError && error instanceof LifeboatError) {
      parentPort.postMessage({ id, kind: 'refused', code: error.code, message: error.message, problems: error.problems, ms });
    } else {
      parentPort.postMessage({ id, kind: 'crashed', error: describe(error), ms });
    }
  }
});`;

interface Reply {
  id: number;
  started?: boolean;
  setupFailed?: string;
  kind?: Outcome['kind'];
  value?: unknown;
  code?: ErrorCode;
  message?: string;
  problems?: unknown[];
  error?: string;
  ms?: number;
}

/** Transpiled sources, by TypeScript version (the file names are hashes of path and text). */
const TRANSPILE_CACHE = join(
  tmpdir(),
  `lifeboat-fuzz-transpiled-${(JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'typescript', 'package.json'), 'utf8')) as { version: string }).version}-1`,
);

function fileUrl(relative: string): string {
  return pathToFileURL(join(REPO_ROOT, relative)).href;
}

/**
 * One engine call at a time in a worker thread. `call` resolves with how the call ended: returned,
 * refused (a LifeboatError), crashed (anything else) or hung (no answer within the limit; the worker
 * is then terminated and the next call starts a new one). Startup and module loading are not timed.
 */
export class Sandbox {
  private worker: Worker | undefined;
  private nextId = 0;
  private queue: Promise<unknown> = Promise.resolve();
  /** Workers replaced after a hang or a crash of the thread itself. */
  restarts = 0;

  constructor(private readonly limitMs = HANG_LIMIT_MS) {}

  private start(): Worker {
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        hooks: HOOKS,
        typescript: pathToFileURL(join(REPO_ROOT, 'node_modules', 'typescript', 'lib', 'typescript.js')).href,
        cacheDir: TRANSPILE_CACHE,
        errors: fileUrl('shared/errors.ts'),
        crypto: fileUrl('electron/vault/keys/crypto-runtime.ts'),
      },
      // A memory bomb ends the worker (reported as a crash), not the test run. The stack is the
      // size V8 gives a main thread (~1 MB; a worker's default is 4 MB), as in the CLI and Electron.
      resourceLimits: { maxOldGenerationSizeMb: 768, stackSizeMb: 1 },
    });
    // An error between calls (nothing listening for it then) must not take the test run down.
    worker.on('error', () => {
      if (this.worker === worker) {
        this.worker = undefined;
        this.restarts += 1;
      }
    });
    return worker;
  }

  /** Calls export `fn` of `module` (a path from the repository root) with `args` (and libsodium first if asked). */
  call(module: string, fn: string, args: unknown[], options: { sodium?: boolean } = {}): Promise<Outcome> {
    const run = this.queue.then(() => this.callNow(module, fn, args, options.sodium === true));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private callNow(module: string, fn: string, args: unknown[], withSodium: boolean): Promise<Outcome> {
    this.worker ??= this.start();
    const worker = this.worker;
    const id = (this.nextId += 1);
    return new Promise<Outcome>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let startedAt = 0;
      const finish = (outcome: Outcome | Error): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (outcome instanceof Error) {
          reject(outcome);
        } else {
          resolve(outcome);
        }
      };
      const drop = (): void => {
        if (this.worker === worker) {
          this.worker = undefined;
          this.restarts += 1;
        }
        void worker.terminate();
      };
      const onMessage = (reply: Reply): void => {
        if (reply.id !== id) {
          return;
        }
        if (reply.setupFailed !== undefined) {
          finish(new Error(`the sandbox could not call ${module} ${fn}: ${reply.setupFailed}`));
        } else if (reply.started === true) {
          startedAt = performance.now();
          timer = setTimeout(() => {
            drop();
            finish({ kind: 'hung', ms: performance.now() - startedAt });
          }, this.limitMs);
        } else {
          finish(toOutcome(reply, this.limitMs));
        }
      };
      const onError = (error: Error): void => {
        drop();
        finish({ kind: 'crashed', error: `the worker died: ${error.name}: ${error.message}`, ms: startedAt === 0 ? 0 : performance.now() - startedAt });
      };
      const onExit = (code: number): void => {
        drop();
        finish({ kind: 'crashed', error: `the worker exited with code ${code}`, ms: startedAt === 0 ? 0 : performance.now() - startedAt });
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ id, module: fileUrl(module), fn, args, withSodium });
    });
  }

  async close(): Promise<void> {
    await this.queue;
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}

function toOutcome(reply: Reply, limitMs: number): Outcome {
  const ms = reply.ms ?? 0;
  if (ms > limitMs) {
    // Finished, but later than a parse may take: a hang all the same.
    return { kind: 'hung', ms };
  }
  switch (reply.kind) {
    case 'returned':
      return { kind: 'returned', value: reply.value, ms };
    case 'refused':
      return { kind: 'refused', code: reply.code ?? 'INTERNAL', message: reply.message ?? '', ...(reply.problems ? { problems: reply.problems } : {}), ms };
    default:
      return { kind: 'crashed', error: reply.error ?? 'unknown', ms };
  }
}

// --- a signed catalog to mutate ---------------------------------------------------------------------

export interface SignedCatalog {
  bytes: Uint8Array;
  manifestBytes: Uint8Array;
  files: Map<string, Uint8Array>;
  publicKey: Uint8Array;
  secretKey: Uint8Array;
  keyId: string;
}

/** The `.lbcat` of `files` with this manifest text, signed by `secretKey` (as packCatalog does). */
export async function packSigned(files: ReadonlyMap<string, Uint8Array>, manifestBytes: Uint8Array, secretKey: Uint8Array): Promise<Uint8Array> {
  const { loadSodium } = await import('../../electron/vault/keys/crypto-runtime.js');
  const { writeCatalogArchive } = await import('../../electron/catalog/catalog-archive.js');
  const { MANIFEST_PATH, SIGNATURE_PATH } = await import('../../electron/catalog/catalog-manifest.js');
  const sodium = await loadSodium();
  const signature = sodium.crypto_sign_detached(manifestBytes, secretKey);
  return writeCatalogArchive([
    ...[...files].map(([path, bytes]) => ({ path, bytes })),
    { path: MANIFEST_PATH, bytes: manifestBytes },
    { path: SIGNATURE_PATH, bytes: signature },
  ]);
}

/** A signed catalog of `files` by a publisher key derived from `label`'s seed: the same bytes every run. */
export async function buildSignedCatalog(files: ReadonlyMap<string, Uint8Array>, label: string, catalogId = 'ops-catalog'): Promise<SignedCatalog> {
  const { loadSodium } = await import('../../electron/vault/keys/crypto-runtime.js');
  const { keyIdWith } = await import('../../electron/catalog/publisher-key.js');
  const sodium = await loadSodium();
  const random = mulberry32(seedFor(label));
  const { publicKey, privateKey } = sodium.crypto_sign_seed_keypair(Uint8Array.from({ length: 32 }, () => Math.floor(random() * 256)));
  const keyId = keyIdWith(sodium, publicKey);
  const manifest = {
    format: 'lifeboat-catalog',
    version: 1,
    catalogId,
    catalogVersion: 7,
    createdAt: '2026-03-02T09:00:00.000Z',
    publisher: { name: 'Platform team', keyId },
    files: [...files]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([path, bytes]) => ({ path, size: bytes.length, sha256: sodium.to_hex(sodium.crypto_hash_sha256(bytes)) })),
  };
  const manifestBytes = new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
  return { bytes: await packSigned(files, manifestBytes, privateKey), manifestBytes, files: new Map(files), publicKey, secretKey: privateKey, keyId };
}

// --- a vault folder to mutate ---------------------------------------------------------------------

/**
 * A working copy of a pristine vault folder, put back byte for byte after each attempt (files the
 * pristine folder lacks, such as attempts.json or a lock left by a hung unlock, are removed; after an
 * unlock that succeeded, which appended to the log, the folder is copied afresh). A fresh copy per
 * attempt would cost far more than the attempts themselves.
 */
export class VaultBench {
  private constructor(
    private readonly pristineDir: string,
    private readonly pristine: ReadonlyMap<string, Buffer>,
    readonly dir: string,
  ) {}

  static async create(pristineDir: string, dir: string): Promise<VaultBench> {
    const pristine = new Map<string, Buffer>();
    for (const name of await readdir(pristineDir)) {
      pristine.set(name, await readFile(join(pristineDir, name)));
    }
    await cp(pristineDir, dir, { recursive: true });
    return new VaultBench(pristineDir, pristine, dir);
  }

  /** The pristine bytes of one file. */
  file(name: string): Buffer {
    const bytes = this.pristine.get(name);
    if (!bytes) {
      throw new Error(`the pristine vault has no ${name}`);
    }
    return bytes;
  }

  /** Applies `mutate` to the working copy, runs `attempt` on it, and puts the copy back. */
  async attempt(mutate: (dir: string) => Promise<void>, attempt: (dir: string) => Promise<Outcome>): Promise<Outcome> {
    await mutate(this.dir);
    const outcome = await attempt(this.dir);
    await this.restore(outcome.kind === 'returned');
    return outcome;
  }

  private async restore(recopy: boolean): Promise<void> {
    if (recopy) {
      await rm(this.dir, { recursive: true, force: true });
      await cp(this.pristineDir, this.dir, { recursive: true });
      return;
    }
    for (const name of await readdir(this.dir)) {
      if (!this.pristine.has(name)) {
        await rm(join(this.dir, name), { recursive: true, force: true });
      }
    }
    for (const [name, bytes] of this.pristine) {
      const current = await readFile(join(this.dir, name)).catch(() => undefined);
      if (!current?.equals(bytes)) {
        await writeFile(join(this.dir, name), bytes);
      }
    }
  }
}

// --- engine calls that return summaries (run inside the sandbox) ---------------------------------

export interface OpenSummary {
  member: string;
  role: string;
  /** Titles of live records, sorted; null for an auditor. */
  titles: string[] | null;
  logSize: number;
  /** "verified N records", or what verifyAudit said; "not readable" for roles that cannot read it. */
  audit: string;
}

async function summarize(session: VaultSession): Promise<OpenSummary> {
  const { listRecords } = await import('../../electron/vault/records/vault-records.js');
  const { verifyAudit } = await import('../../electron/vault/audit/vault-audit.js');
  try {
    const role = session.member.role;
    const titles =
      role === 'auditor'
        ? null
        : listRecords(session)
            .map((r) => r.title)
            .sort();
    let audit = 'not readable by this role';
    if (role === 'owner' || role === 'auditor') {
      try {
        audit = `verified ${verifyAudit(session).records} records`;
      } catch (error) {
        audit = `verifyAudit refused: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    return { member: session.member.name, role, titles, logSize: session.internals().log.size, audit };
  } finally {
    await session.lock();
  }
}

/** Unlocks, reads what the member may read, locks again. */
export async function openVaultSummary(dir: string, member: string, passphrase: string): Promise<OpenSummary> {
  const { openVault } = await import('../../electron/vault/vault-open.js');
  return summarize(await openVault(dir, { member, passphrase, stateDir: laptopThatNeverSawIt() }));
}

/** Opens with recovery shares, reads, locks again. */
export async function openByQuorumSummary(dir: string, shares: string[], reason: string): Promise<OpenSummary> {
  const { openVaultByQuorum } = await import('../../electron/quorum/quorum-shares.js');
  return summarize(await openVaultByQuorum(dir, { shares, reason, stateDir: laptopThatNeverSawIt() }));
}

/**
 * Each fuzzed open is on a laptop that never saw the vault (a fresh state
 * folder for its local anchor): these fuzz what the vault folder catches by
 * itself, from copies of one pristine vault put back between inputs. Made
 * inside the test file's own state folder (test/support/state-dir-setup.ts).
 */
function laptopThatNeverSawIt(): string {
  return mkdtempSync(join(process.env['LIFEBOAT_STATE_DIR'] ?? tmpdir(), 'laptop-'));
}

/** A dry-run sync of a signed catalog as `member`: what the diff would be. */
export async function syncDryRunSummary(
  dir: string,
  member: string,
  passphrase: string,
  bytes: Uint8Array,
  label: string,
): Promise<{ catalogId: string; added: number }> {
  const { openVault } = await import('../../electron/vault/vault-open.js');
  const { syncCatalog } = await import('../../electron/catalog/catalog-sync.js');
  const session = await openVault(dir, { member, passphrase });
  try {
    const report = await syncCatalog(session, { kind: 'signed', bytes, label }, { dryRun: true });
    return { catalogId: report.catalogId, added: report.diff.added.length };
  } finally {
    await session.lock();
  }
}
