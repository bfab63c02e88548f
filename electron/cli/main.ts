#!/usr/bin/env node
/**
 * The `lifeboat` command: process glue around run-cli.ts.
 */
import { appVersion } from '../package-paths.js';
import { runCli } from './run-cli.js';

void runCli(
  process.argv.slice(2),
  { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) },
  {
    version: appVersion(),
  },
).then((code) => {
  process.exitCode = code;
});
