/**
 * Test helper: runs the BUILT `lifeboat` CLI (dist/cli/lifeboat.js, the bundle npm's bin runs)
 * as a fresh Node process with a clean environment (no inherited LIFEBOAT_*
 * variable; LIFEBOAT_INSECURE_FAST_KDF=1 and the passphrases set per call),
 * stdin not a terminal, and checks what it printed. Shared by the CLI
 * integration tests (cli-contract, recovery-cli, quorum-cli).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/** The built CLI's entry point. */
export const CLI = fileURLToPath(new URL('../../dist/cli/lifeboat.js', import.meta.url));

/** stderr lines that are not the error sentence. */
const NOISE = [/^warning: this vault was created with LIFEBOAT_INSECURE_FAST_KDF=1/, /^note: \d+ failed unlock attempt\(s\)/];
export const STACK_TRACE = /^\s+at\s/m;

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** LIFEBOAT_PASSPHRASE; omit for none. */
  pass?: string;
  /** LIFEBOAT_NEW_PASSPHRASE. */
  newPass?: string;
  /** LIFEBOAT_SECOND_PASSPHRASE. */
  secondPass?: string;
  /** LIFEBOAT_STATE_DIR: the laptop whose local anchors the CLI keeps; the test file's own by default. */
  stateDir?: string;
}

/**
 * A copy of process.env without any LIFEBOAT_* variable but the test file's
 * state folder (LIFEBOAT_STATE_DIR, where the CLI keeps its local anchors:
 * test/support/state-dir-setup.ts), plus what this call needs.
 */
export function cleanEnv(options: RunOptions = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('LIFEBOAT_') || key === 'LIFEBOAT_STATE_DIR') {
      env[key] = value;
    }
  }
  env['LIFEBOAT_INSECURE_FAST_KDF'] = '1';
  if (options.pass !== undefined) {
    env['LIFEBOAT_PASSPHRASE'] = options.pass;
  }
  if (options.newPass !== undefined) {
    env['LIFEBOAT_NEW_PASSPHRASE'] = options.newPass;
  }
  if (options.secondPass !== undefined) {
    env['LIFEBOAT_SECOND_PASSPHRASE'] = options.secondPass;
  }
  if (options.stateDir !== undefined) {
    env['LIFEBOAT_STATE_DIR'] = options.stateDir;
  }
  return env;
}

/**
 * A function that runs the built CLI in the folder `cwd()` names (asked on
 * each call, so a test file can pass its temp folder before beforeAll made it).
 * stdin is not a terminal, so the CLI never prompts. `stateDirFor` may pick
 * the laptop (state folder) a call runs on from its arguments.
 */
export function cliRunner(
  cwd: () => string,
  stateDirFor: (args: string[]) => string | undefined = () => undefined,
): (args: string[], options?: RunOptions) => Promise<RunResult> {
  return (args, options = {}) =>
    new Promise((resolve, reject) => {
      const stateDir = options.stateDir ?? stateDirFor(args);
      const env = cleanEnv(stateDir === undefined ? options : { ...options, stateDir });
      const child = spawn(process.execPath, [CLI, ...args], { cwd: cwd(), env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code, signal) => {
        resolve({ code, signal, stdout, stderr });
      });
    });
}

/** Exit code (and signal, if any), stdout and stderr, for an assertion's message. */
export function show(r: RunResult): string {
  return `exit ${String(r.code)}${r.signal ? ` (${r.signal})` : ''}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

export function expectOk(r: RunResult): void {
  expect(r.code, show(r)).toBe(0);
  expect(r.stderr, show(r)).not.toMatch(STACK_TRACE);
}

/** The error sentence: the stderr lines that are not known noise. */
export function errorLines(r: RunResult): string[] {
  return r.stderr.split('\n').filter((line) => line.trim() !== '' && !NOISE.some((n) => n.test(line)));
}

export interface FailureOptions {
  /**
   * The CLI contract's stricter reading (cli-contract.test.ts): stderr and
   * stdout are searched for a stack trace one by one (not joined), and the
   * line must name no error class, node:internal or file:line, and stay
   * under 400 characters.
   */
  strict?: boolean;
}

/** Exit code, exactly one clear line on stderr (matching `message`), and no stack trace anywhere. */
export function expectFailure(r: RunResult, exit: number, message?: RegExp, options: FailureOptions = {}): string {
  expect(r.code, show(r)).toBe(exit);
  if (options.strict) {
    expect(r.stderr, show(r)).not.toMatch(STACK_TRACE);
    expect(r.stdout, show(r)).not.toMatch(STACK_TRACE);
  } else {
    expect(r.stdout + r.stderr, show(r)).not.toMatch(STACK_TRACE);
  }
  const lines = errorLines(r);
  expect(lines, show(r)).toHaveLength(1);
  const line = lines[0] ?? '';
  expect(line, show(r)).toMatch(/^lifeboat: \S/);
  if (options.strict) {
    expect(line).not.toMatch(/\b(?:TypeError|ReferenceError|SyntaxError|Error:)|node:internal|\.js:\d+/);
    expect(line.length).toBeLessThan(400);
  }
  if (message) {
    expect(line, show(r)).toMatch(message);
  }
  return line;
}

/** expectFailure with the contract's stricter reading (see FailureOptions.strict). */
export function expectStrictFailure(r: RunResult, exit: number, message?: RegExp): string {
  return expectFailure(r, exit, message, { strict: true });
}

/** The stdout of a successful --json call. */
export function json(r: RunResult): unknown {
  expectOk(r);
  return JSON.parse(r.stdout);
}
