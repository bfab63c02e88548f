/**
 * The CLI's logic, apart from process globals so tests can drive it: finds
 * the verb (verbs.ts), parses its arguments with its declared options
 * (verb.ts) and runs it. Output is for people by default and a single JSON
 * document with --json; the exit code always comes from the error code
 * (shared/errors.ts).
 */
import { escapeForTerminal } from '../../shared/terminal-text.js';
import { LifeboatError, exitCodeFor, toErrorShape } from '../../shared/errors.js';
import type { SelfTestStep } from '../operations/vault-access.js';
import type { CliContext, CliIo, StdoutInfo } from './cli-context.js';
import { verbHelp } from './help-text.js';
import { terminalPrompt, type PromptIo } from './terminal-prompt.js';
import { ownCommand, parseCommandArgs, subcommandOf, unknownCommand, type CliCommand, type CliVerb } from './verb.js';
import { startUnlockAhead } from './unlock-ahead.js';
import { verbEntry } from './verbs.js';

export type { CliIo } from './cli-context.js';

export interface CliDeps {
  version: string;
  selfTestSteps?: () => SelfTestStep[];
  env?: NodeJS.ProcessEnv;
  prompt?: PromptIo;
  /** Whether standard output is a terminal, and how wide (main.ts); a pipe when not given. */
  stdout?: StdoutInfo;
}

/** Parses a command's arguments with its declared options, then runs it, or prints its verb's help for -h/--help. */
async function runCommand(command: CliCommand, args: string[], ctx: CliContext, help: () => string): Promise<number> {
  const { help: wantsHelp, ...parsed } = parseCommandArgs(command, args);
  if (wantsHelp) {
    ctx.io.out(help());
    return 0;
  }
  return command.run(ctx, parsed);
}

/**
 * A verb's arguments: its help; else the sub-verb the first one names; else
 * the verb itself, when it runs as such; else its usage error.
 */
async function runVerb(verb: CliVerb, args: string[], ctx: CliContext): Promise<number> {
  const [first, ...rest] = args;
  if (first === '--help' || first === '-h') {
    ctx.io.out(verbHelp(verb));
    return 0;
  }
  const subcommand = subcommandOf(verb, first);
  if (subcommand) {
    return runCommand(subcommand, rest, ctx, () => verbHelp(verb, first));
  }
  const own = ownCommand(verb);
  if (own) {
    return runCommand(own, args, ctx, () => verbHelp(verb));
  }
  if (verb.unknownSubcommand) {
    verb.unknownSubcommand(first, rest);
  }
  throw unknownCommand(`${verb.name} ${first ?? ''}`.trim());
}

async function dispatch(argv: string[], io: CliIo, deps: CliDeps): Promise<number> {
  const [name = 'help', ...rest] = argv;
  const entry = verbEntry(name);
  if (entry === undefined) {
    throw unknownCommand(name);
  }
  if (entry.unlocksAhead) {
    // Argon2id runs in its worker while the verb's modules load (issue #20).
    startUnlockAhead(rest, deps.env ?? process.env);
  }
  const verb = await entry.load();
  const ctx: CliContext = {
    io: escapingIo(io),
    terminal: io,
    env: deps.env ?? process.env,
    prompt: deps.prompt ?? terminalPrompt(),
    version: deps.version,
    stdout: deps.stdout ?? { isTty: false },
    selfTestSteps: deps.selfTestSteps,
  };
  return runVerb(verb, rest, ctx);
}

/** Node's parseArgs throws plain TypeErrors with ERR_PARSE_ARGS_* codes: make them usage errors. */
function asUsageError(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) {
    return error;
  }
  // Node's own wording runs to several sentences; say it in one.
  const message = (error as Error).message;
  const option = /'(-{1,2}[^'\s]+)'/.exec(message)?.[1];
  const sentence =
    code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option
      ? `Unknown option ${option}`
      : code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option
        ? `Option ${option} needs a value`
        : (message.split('. ')[0] ?? message);
  return new LifeboatError('CLI_USAGE', `${sentence}. Run \`lifeboat help\` for usage.`);
}

/**
 * Stored text (titles, reasons, record fields, member names) reaches every
 * verb's output, an error's sentence included: escaped here once, so no verb
 * can forget (issue 15, M6). JSON stays exact: it already escapes C0, and a
 * `\u202e` written inside a JSON string reads back as the same character.
 */
function escapingIo(io: CliIo): CliIo {
  return {
    out: (text) => {
      io.out(escapeForTerminal(text));
    },
    err: (text) => {
      io.err(escapeForTerminal(text));
    },
  };
}

export async function runCli(argv: string[], raw: CliIo, deps: CliDeps): Promise<number> {
  const io = escapingIo(raw);
  try {
    return await dispatch(argv, raw, deps);
  } catch (raw) {
    const error = asUsageError(raw);
    const shape = toErrorShape(error);
    // The sentence always goes to stderr; with --json, the typed error also goes to stdout.
    io.err(`lifeboat: ${shape.message}\n`);
    if (argv.includes('--json')) {
      io.out(`${JSON.stringify({ ok: false, error: shape }, null, 2)}\n`);
    }
    return exitCodeFor(shape.code);
  }
}
