/**
 * Test helper: runs `lifeboat ARGV` in this process (electron/cli/run-cli.ts,
 * what main.ts calls) and keeps what it printed: for CLI tests that check a
 * verb's output and exit code without spawning Node (test/support/cli-run.ts
 * spawns the built CLI, for the contract tests).
 */
import { runCli, type CliDeps } from '../../electron/cli/run-cli.js';
import { PASSPHRASES } from './test-vault.js';

export interface CapturedRun {
  code: number;
  out: string;
  err: string;
}

/**
 * `member`'s passphrase (test-vault.ts) in LIFEBOAT_PASSPHRASE unless `env`
 * is given; standard output a pipe unless `stdout` says a terminal.
 */
export async function runCliCaptured(
  argv: string[],
  options: { member?: string; env?: NodeJS.ProcessEnv; stdout?: CliDeps['stdout'] } = {},
): Promise<CapturedRun> {
  const out: string[] = [];
  const err: string[] = [];
  const env = options.env ?? { LIFEBOAT_PASSPHRASE: PASSPHRASES[options.member ?? 'alice'] ?? '' };
  const code = await runCli(
    argv,
    { out: (t) => out.push(t), err: (t) => err.push(t) },
    { version: '1', env, ...(options.stdout ? { stdout: options.stdout } : {}) },
  );
  return { code, out: out.join(''), err: err.join('') };
}
