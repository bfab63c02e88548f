/**
 * The CLI's logic, apart from process globals so tests can drive it. Output
 * is for people by default and a single JSON document with --json; the exit
 * code always comes from the error code (shared/errors.ts).
 */
import { parseArgs } from 'node:util';
import type { EngineStatus } from '../../shared/contract.js';
import { LifeboatError, exitCodeFor, toErrorShape } from '../../shared/errors.js';
import { runSelfTest, selfTestSteps, type SelfTestStep } from '../vault/self-test.js';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export interface CliDeps {
  version: string;
  selfTestSteps?: () => SelfTestStep[];
}

export const USAGE = `Usage: lifeboat <command> [options]

Commands:
  status [--json]   check that the engine's cryptography and database work here
  help              show this help
  version           print the version

Exit codes: 0 ok, 1 anything else, 2 bad usage or input, 3 wrong passphrase or unknown member,
4 integrity failure, 5 vault busy, 6 not permitted for this role.
`;

function formatStatus(status: EngineStatus): string {
  const lines = status.components.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.label}: ${c.detail}`);
  lines.push(status.ready ? 'Engine ready.' : 'Engine NOT ready: see the failed checks above.');
  return `${lines.join('\n')}\n`;
}

async function statusCommand(args: string[], io: CliIo, deps: CliDeps): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } }, strict: true });
  const status = await runSelfTest((deps.selfTestSteps ?? selfTestSteps)(), (done, total, label) => {
    if (!values.json && done < total) {
      io.err(`[${done + 1}/${total}] ${label}…\n`);
    }
  });
  if (values.json) {
    io.out(`${JSON.stringify(status, null, 2)}\n`);
  } else {
    io.out(formatStatus(status));
  }
  return status.ready ? 0 : exitCodeFor('ENGINE_UNAVAILABLE');
}

async function dispatch(argv: string[], io: CliIo, deps: CliDeps): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.out(USAGE);
      return 0;
    case 'version':
    case '--version':
    case '-v':
      io.out(`lifeboat ${deps.version}\n`);
      return 0;
    case 'status':
      return statusCommand(rest, io, deps);
    default:
      throw new LifeboatError('CLI_USAGE', `Unknown command "${command}". Run \`lifeboat help\` for the list.`);
  }
}

/** Node's parseArgs throws plain TypeErrors with ERR_PARSE_ARGS_* codes: make them usage errors. */
function asUsageError(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
    return new LifeboatError('CLI_USAGE', `${(error as Error).message}. Run \`lifeboat help\` for usage.`);
  }
  return error;
}

export async function runCli(argv: string[], io: CliIo, deps: CliDeps): Promise<number> {
  try {
    return await dispatch(argv, io, deps);
  } catch (raw) {
    const error = asUsageError(raw);
    const shape = toErrorShape(error);
    if (argv.includes('--json')) {
      io.out(`${JSON.stringify({ ok: false, error: shape }, null, 2)}\n`);
    } else {
      io.err(`lifeboat: ${shape.message}\n`);
    }
    return exitCodeFor(shape.code);
  }
}
