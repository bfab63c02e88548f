#!/usr/bin/env node
/**
 * The `lifeboat` command: process glue around run-cli.ts.
 */
import { refuseCoreDumps } from '../core-dumps.js';
import { appVersion } from '../package-paths.js';
import { runCli } from './run-cli.js';
import { takeSecretEnvironment } from './secret-env.js';

// Before anything else runs: no core dump may hold what this run reads (Linux: ../core-dumps.ts),
// and passphrases leave process.env (the CLI keeps its own copy).
refuseCoreDumps();
const env = takeSecretEnvironment(process.env);

// A reader that stops early (`lifeboat list … | head`) closes the pipe. That is not this run's failure:
// the rest of its output is dropped, and it still finishes what it started (the lock logs, seals and
// releases the vault) rather than dying on an unhandled EPIPE with the vault's lock file left behind.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') {
    throw error;
  }
});

void runCli(
  process.argv.slice(2),
  { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) },
  {
    version: appVersion(),
    env,
    // isTTY is undefined, not false, when not a terminal (the typings say boolean).
    stdout: { isTty: (process.stdout.isTTY as boolean | undefined) === true, columns: process.stdout.columns },
  },
).then((code) => {
  process.exitCode = code;
});
