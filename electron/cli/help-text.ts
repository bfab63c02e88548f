/**
 * `lifeboat help` and `lifeboat help VERB`, written from the verbs'
 * declarations (verb.ts): the list of every usage line by group, and one
 * verb's usage lines, summary and options.
 */
import { commandsOf, type CliVerb, type OptionSpec, type Usage, type VerbGroup } from './verb.js';

interface HelpGroup {
  id: VerbGroup;
  heading: string;
  /** Where the notes beside the usage lines start, after the two-space indent. */
  column?: number;
  footnote?: readonly string[];
}

const GROUPS: readonly HelpGroup[] = [
  { id: 'vault', heading: 'Vault (acting member: --as NAME; passphrase from LIFEBOAT_PASSPHRASE, --passphrase-file F, or a prompt):' },
  { id: 'catalogs', heading: 'Catalogs (signed exports from the source of truth):' },
  { id: 'recovery', heading: "Recovery (services, their dependsOn and their runbooks' steps, checks and estimates):" },
  {
    id: 'quorum',
    heading: 'Recovery shares and the emergency kit (for the day no owner can unlock):',
    footnote: [
      '(a mistyped share is exit 2 naming the file and the group; shares that do not open this vault, too few,',
      ' the same sheet twice or a rotated set, exit 3; a non-owner creating or revoking shares, exit 6)',
    ],
  },
  { id: 'other', heading: 'Other:', column: 18 },
];

const EXIT_CODES = `Exit codes: 0 ok, 1 anything else, 2 bad usage or input, 3 wrong passphrase, unknown member or shares
that do not open this vault, 4 integrity failure, 5 vault busy, 6 not permitted for this role (or a two-person
secret without --second).`;

/** The notes' column unless a group says otherwise, and the width a note beside a long line must fit in. */
const NOTE_COLUMN = 43;
const LINE_WIDTH = 110;

function lineAndNote(usage: Usage): { line: string; note: readonly string[] } {
  if (typeof usage === 'string') {
    return { line: usage, note: [] };
  }
  return { line: usage.line, note: typeof usage.note === 'string' ? [usage.note] : usage.note };
}

/**
 * A usage line of the list, its note beside it: in the group's column when
 * the line leaves room, else three spaces after a long line when it still
 * fits, else on the lines below, in the column.
 */
function listLines(usage: Usage, column: number): string[] {
  const { line, note } = lineAndNote(usage);
  const [first, ...more] = note;
  const indent = ' '.repeat(2 + column);
  if (first === undefined) {
    return [`  ${line}`];
  }
  if (line.length + 3 <= column) {
    return [`  ${line.padEnd(column)}${first}`, ...more.map((n) => indent + n)];
  }
  if (more.length === 0 && 2 + line.length + 3 + first.length <= LINE_WIDTH) {
    return [`  ${line}   ${first}`];
  }
  return [`  ${line}`, ...note.map((n) => indent + n)];
}

/** `lifeboat help`: every verb's usage lines, by group. */
export function overviewHelp(verbs: readonly CliVerb[]): string {
  const lines = ['Usage: lifeboat <command> [options]', ''];
  for (const group of GROUPS) {
    lines.push(group.heading);
    for (const verb of verbs.filter((v) => v.group === group.id)) {
      for (const { command } of commandsOf(verb)) {
        lines.push(...command.usage.flatMap((usage) => listLines(usage, group.column ?? NOTE_COLUMN)));
      }
      lines.push(...(verb.footnote ?? []).map((line) => `  ${line}`));
    }
    lines.push(...(group.footnote ?? []).map((line) => `  ${line}`), '');
  }
  lines.push(EXIT_CODES);
  return `${lines.join('\n')}\n`;
}

function optionLabel(name: string, spec: OptionSpec): string {
  return spec.type === 'boolean' ? `--${name}` : `--${name} ${spec.value}`;
}

/**
 * `lifeboat help VERB [SUB-VERB]`: the verb's summary, its usage lines with
 * their notes, and every option it takes; for a verb with sub-verbs, an
 * option only some of them take starts with their names.
 */
export function verbHelp(verb: CliVerb, subcommand?: string): string {
  const commands = commandsOf(verb).filter((c) => subcommand === undefined || c.name === subcommand);
  const lines = [`lifeboat ${verb.name}${subcommand === undefined ? '' : ` ${subcommand}`}: ${verb.summary}`, '', 'Usage:'];
  for (const { command } of commands) {
    for (const usage of command.usage) {
      const { line, note } = lineAndNote(usage);
      lines.push(`  lifeboat ${line}`, ...note.map((n) => `      ${n}`));
    }
  }
  lines.push(...(verb.footnote ?? []).map((line) => `  ${line}`));

  // One entry per option and help text; the commands that take it, when not all do.
  const options = new Map<string, { label: string; help: string; takenBy: string[] }>();
  for (const { name, command } of commands) {
    for (const [option, spec] of Object.entries(command.options)) {
      const key = `${option}\u0000${spec.help}`;
      const entry = options.get(key) ?? { label: optionLabel(option, spec), help: spec.help, takenBy: [] };
      entry.takenBy.push(name ?? verb.name);
      options.set(key, entry);
    }
  }
  const entries = [...options.values()].map(({ label, help, takenBy }) => ({
    label,
    help: takenBy.length < commands.length ? `${takenBy.join(', ')}: ${help}` : help,
  }));
  entries.push({ label: '-h, --help', help: 'show this help' });
  const width = Math.max(...entries.map((e) => e.label.length)) + 3;
  lines.push('', 'Options:', ...entries.map((e) => `  ${e.label.padEnd(width)}${e.help}`));
  return `${lines.join('\n')}\n`;
}
