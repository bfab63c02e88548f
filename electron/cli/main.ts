#!/usr/bin/env node
/**
 * The `lifeboat` command: process glue around run-cli.ts.
 */
import { appVersion } from '../package-paths.js';
import { runCli } from './run-cli.js';
import { takeSecretEnvironment } from './secret-env.js';

// Before anything else runs: passphrases leave process.env (the CLI keeps its own copy).
const env = takeSecretEnvironment(process.env);

void runCli(
  process.argv.slice(2),
  { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) },
  {
    version: appVersion(),
    env,
  },
).then((code) => {
  process.exitCode = code;
});
