/**
 * What every command gets: output streams, environment, the passphrase
 * prompt, and helpers to open a vault as the acting member and always lock it.
 */
import { LifeboatError } from '../../shared/errors.js';
import { openVault, type SelfTestStep, type VaultSession } from '../operations/vault-access.js';
import { passphraseFrom, type PromptIo } from './passphrase-input.js';
import type { OptionTable } from './option-spec.js';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export interface StdoutInfo {
  isTty: boolean;
  columns?: number | undefined;
}

export interface CliContext {
  /** Everything printed here is escaped (shared/terminal-text.ts): stored text cannot drive the terminal. */
  io: CliIo;
  /** The terminal itself, for the few escape sequences the command line writes on purpose (a progress bar); never stored text. */
  terminal: CliIo;
  env: NodeJS.ProcessEnv;
  prompt: PromptIo;
  version: string;
  /** Standard output: a terminal (colour allowed unless NO_COLOR) and its width, or a pipe or file. */
  stdout: StdoutInfo;
  /** What `status` runs (tests swap in failing steps); the engine's own by default. */
  selfTestSteps?: (() => SelfTestStep[]) | undefined;
}

/** The options of every command that opens a vault as a member. */
export const COMMON_OPTIONS = {
  as: { type: 'string', value: 'NAME', help: 'the acting member' },
  'passphrase-file': { type: 'string', value: 'F', help: "read the acting member's passphrase from F (else LIFEBOAT_PASSPHRASE, else a prompt)" },
  json: { type: 'boolean', help: 'print one JSON document (an error too, with its code)' },
  'break-lock': {
    type: 'boolean',
    help: 'take the vault although its lock names another computer (one that is gone); never a live process on this one; logged',
  },
} as const satisfies OptionTable;

export interface CommonValues {
  as?: string | undefined;
  'passphrase-file'?: string | undefined;
  json?: boolean | undefined;
  'break-lock'?: boolean | undefined;
}

export function requireOption(value: string | undefined, name: string, usage: string): string {
  if (value === undefined || value.trim() === '') {
    throw new LifeboatError('CLI_USAGE', `Missing --${name}. Usage: ${usage}`);
  }
  return value;
}

export function requirePositional(positionals: string[], index: number, what: string, usage: string): string {
  const value = positionals[index];
  if (value === undefined) {
    throw new LifeboatError('CLI_USAGE', `Missing ${what}. Usage: ${usage}`);
  }
  return value;
}

export const INSECURE_KDF_WARNING =
  'warning: this vault was created with LIFEBOAT_INSECURE_FAST_KDF=1: its passphrases are cheap to guess. Use it for tests only.\n';

/** What the unlock has to tell the person once: a folder without permissions, a local anchor that cannot be kept. */
export function printSessionNotes(ctx: CliContext, session: VaultSession): void {
  for (const note of [session.folderNote, session.anchorNote]) {
    if (note) {
      ctx.io.err(`note: ${note}\n`);
    }
  }
}

/** Opens the vault as --as, runs `work`, and locks the vault whatever happens. */
export async function withSession<T>(
  ctx: CliContext,
  dir: string,
  values: CommonValues,
  usage: string,
  work: (session: VaultSession) => Promise<T>,
): Promise<T> {
  const member = requireOption(values.as, 'as', usage);
  const passphrase = await passphraseFrom(ctx.env, values['passphrase-file'], ctx.prompt, member);
  const session = await openVault(dir, { member, passphrase, breakLock: values['break-lock'] === true });
  if (session.insecureFastKdf) {
    ctx.io.err(INSECURE_KDF_WARNING);
  }
  printSessionNotes(ctx, session);
  if (session.failedAttemptsBefore > 0 && !values.json) {
    ctx.io.err(`note: ${session.failedAttemptsBefore} failed unlock attempt(s) since the last unlock; they are recorded in the audit log.\n`);
  }
  try {
    return await work(session);
  } finally {
    await session.lock();
  }
}

/**
 * Colour only on a terminal, and never when NO_COLOR is set to anything
 * (https://no-color.org): a pipe or a file gets plain text.
 */
export function wantsColour(ctx: CliContext): boolean {
  const noColour = ctx.env['NO_COLOR'];
  return ctx.stdout.isTty && (noColour === undefined || noColour === '');
}

export function printJson(ctx: CliContext, value: unknown): void {
  ctx.io.out(`${JSON.stringify(value, null, 2)}\n`);
}
