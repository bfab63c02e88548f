/**
 * How a `lifeboat` verb declares itself (the model of KeePassXC's CLI): its
 * name, its group and usage lines in `lifeboat help`, a summary, its options
 * with their help, and what it runs. Sub-verbs (`member add`, `session
 * start`) are commands of their verb, chosen by the first argument.
 *
 * The dispatcher (run-cli.ts) parses a command's arguments with node:util
 * parseArgs and the declared table only, so an option cannot be accepted
 * without being documented, and both helps (help-text.ts) are generated from
 * these declarations.
 */
import { parseArgs } from 'node:util';
import { LifeboatError } from '../../shared/errors.js';
import type { CliContext } from './cli-context.js';
import type { OptionSpec, OptionTable } from './option-spec.js';

export type { OptionSpec, OptionTable };

/** The sections of `lifeboat help`, in order. */
export type VerbGroup = 'vault' | 'catalogs' | 'recovery' | 'quorum' | 'other';

/** A flag is false unless given; an option's value is undefined unless given. */
type OptionValue<S extends OptionSpec> = S extends { type: 'boolean' } ? boolean : S extends { multiple: true } ? string[] | undefined : string | undefined;

export type OptionValues<O extends OptionTable> = { -readonly [K in keyof O]: OptionValue<O[K]> };

export interface ParsedArgs<O extends OptionTable> {
  values: OptionValues<O>;
  positionals: string[];
}

/** A line of usage without "lifeboat ", and what help says beside it (one entry per printed line). */
export type Usage = string | { readonly line: string; readonly note: string | readonly string[] };

export interface CliCommand<O extends OptionTable = OptionTable> {
  readonly usage: readonly Usage[];
  readonly options: O;
  /** Every command but `status` and `version` takes arguments besides its options. */
  readonly positionals?: false;
  run(ctx: CliContext, args: ParsedArgs<O>): number | Promise<number>;
}

interface VerbHeading {
  readonly name: string;
  /** Other words that run it (`--help` for `help`). */
  readonly aliases?: readonly string[];
  readonly group: VerbGroup;
  /** What the verb is for, in one line: the first line of `lifeboat help VERB`. */
  readonly summary: string;
  /** Said after the usage lines, in both helps. */
  readonly footnote?: readonly string[];
}

interface VerbWithSubcommands extends VerbHeading {
  /** By name, in the order help lists them. */
  readonly subcommands: Readonly<Record<string, CliCommand>>;
  /** A missing or unknown sub-verb (for a verb that does not run as such): throws its usage error. */
  unknownSubcommand?(given: string | undefined, rest: string[]): never;
}

/**
 * A verb runs as such (`list DIR`), has sub-verbs (`session start`), or both
 * (`audit DIR`, `audit verify`): then it runs as such when the first argument
 * names none of its sub-verbs.
 */
export type CliVerb = VerbHeading & Partial<CliCommand> & Partial<VerbWithSubcommands>;

/** Declares a verb that runs as such (and may have sub-verbs too); its run sees the declared options, typed. */
export function defineVerb<const O extends OptionTable>(verb: VerbHeading & CliCommand<O> & Partial<VerbWithSubcommands>): CliVerb;
/** Declares a verb made of sub-verbs only. */
export function defineVerb(verb: VerbWithSubcommands): CliVerb;
export function defineVerb(verb: CliVerb): CliVerb {
  return verb;
}

/** Declares a sub-verb; its run sees the declared options, typed. */
export function defineCommand<const O extends OptionTable>(command: CliCommand<O>): CliCommand {
  return command;
}

/** The verb as a command, when it runs as such. */
export function ownCommand(verb: CliVerb): CliCommand | undefined {
  return verb.run && verb.usage && verb.options ? (verb as CliCommand) : undefined;
}

/** The commands of a verb as help lists them: the verb itself first (no name), then its sub-verbs. */
export function commandsOf(verb: CliVerb): { name: string | undefined; command: CliCommand }[] {
  const own = ownCommand(verb);
  return [...(own ? [{ name: undefined, command: own }] : []), ...Object.entries(verb.subcommands ?? {}).map(([name, command]) => ({ name, command }))];
}

/** The verb a word names: its name or an alias. */
export function findVerb(verbs: readonly CliVerb[], word: string): CliVerb | undefined {
  return verbs.find((verb) => verb.name === word || verb.aliases?.includes(word) === true);
}

export function unknownCommand(words: string): LifeboatError {
  return new LifeboatError('CLI_USAGE', `Unknown command "${words}". Run \`lifeboat help\` for the list.`);
}

/** The sub-verb the first argument names, if it names one. */
export function subcommandOf(verb: CliVerb, word: string | undefined): CliCommand | undefined {
  const subcommands = verb.subcommands ?? {};
  return word !== undefined && Object.hasOwn(subcommands, word) ? subcommands[word] : undefined;
}

/**
 * Parses a command's arguments with its declared options and nothing else
 * (strict: an unknown option is a usage error), plus -h/--help, which every
 * command takes. A flag not given is false.
 */
export function parseCommandArgs<O extends OptionTable>(
  command: { readonly options: O; readonly positionals?: false },
  args: string[],
): ParsedArgs<O> & { help: boolean } {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string; default?: boolean }> = {};
  for (const [name, spec] of Object.entries(command.options)) {
    options[name] = spec.type === 'boolean' ? { type: 'boolean', default: false } : { type: 'string', multiple: spec.multiple === true };
  }
  options['help'] = { type: 'boolean', short: 'h', default: false };
  const { values, positionals } = parseArgs({ args, options, allowPositionals: command.positionals !== false, strict: true });
  const { help, ...declared } = values;
  // parseArgs typed the values from the table built above; they are the declared table's.
  return { values: declared as OptionValues<O>, positionals, help: help === true };
}
