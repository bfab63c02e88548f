/**
 * The verbs' declarations are the CLI's only word on what it accepts: every
 * verb is in `lifeboat help`, `help VERB` shows every option it takes, an
 * option it does not declare is refused before anything runs, and every
 * declared option is one its code reads.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { withSession } from './cli-context.js';
import { runCli } from './run-cli.js';
import { secondMemberName, secondPersonFor } from './second-person.js';
import { commandsOf, ownCommand, type CliCommand, type CliVerb, type OptionTable } from './verb.js';
import { loadVerbs, VERB_TABLE } from './verbs.js';

const VERBS = await loadVerbs();

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

async function lifeboat(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = capture();
  const code = await runCli(argv, c.io, { version: '1' });
  return { code, out: c.out.join(''), err: c.err.join('') };
}

/** Each command of each verb, with the words that run it: ['audit'], ['audit', 'verify'], … */
const COMMANDS: { words: string[]; verb: CliVerb; command: CliCommand }[] = VERBS.flatMap((verb) =>
  commandsOf(verb).map(({ name, command }) => ({ words: name === undefined ? [verb.name] : [verb.name, name], verb, command })),
);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `values.x` and `values['x']` in a command's code, as the test runner compiled it. */
function valuesRead(source: string): Set<string> {
  const read = new Set<string>();
  for (const match of source.matchAll(/\bvalues(?:\.([A-Za-z_$][\w$]*)|\[\s*['"]([^'"]+)['"]\s*\])/g)) {
    read.add(match[1] ?? match[2] ?? '');
  }
  return read;
}

/** Helpers a command hands its values to, and what each reads of them. */
const VALUE_READERS = [withSession, secondMemberName, secondPersonFor];

/** What a command reads itself, plus what the helpers it hands its values to read. */
function optionsRead(source: string): Set<string> {
  const read = valuesRead(source);
  for (const helper of VALUE_READERS) {
    if (new RegExp(`\\b${helper.name}\\b\\)?\\([^;]*?\\bvalues\\b`).test(source)) {
      for (const option of valuesRead(helper.toString())) {
        read.add(option);
      }
    }
  }
  return read;
}

/**
 * The option tables, each with the commands that declare it: one command
 * each, but for the verbs whose sub-verbs share one table (member, catalog,
 * trust), where it is enough that one of them reads an option.
 */
const TABLES: { commands: string; options: OptionTable; sources: string[] }[] = [];
for (const { words, command } of COMMANDS) {
  const table = TABLES.find((t) => t.options === command.options);
  if (table) {
    table.commands += `, ${words.join(' ')}`;
    table.sources.push(command.run.toString());
  } else {
    TABLES.push({ commands: words.join(' '), options: command.options, sources: [command.run.toString()] });
  }
}

/** Accepted and not read, as before the verbs were declared: every session verb takes --id, start and list ignore it. */
const UNREAD: Partial<Record<string, string[]>> = { 'session start': ['id'], 'session list': ['id'] };

const VERBS_FOLDER = fileURLToPath(new URL('./verbs', import.meta.url));

describe('the verb declarations', () => {
  it('one file per verb in verbs/, named after it, each in the registry once', async () => {
    const files = readdirSync(VERBS_FOLDER).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(files.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual(VERBS.map((v) => v.name).sort());
    for (const file of files) {
      const exported = Object.values((await import(`./verbs/${file.replace(/\.ts$/, '.js')}`)) as Record<string, unknown>);
      const verbs = exported.filter((value): value is CliVerb => typeof value === 'object' && value !== null && 'group' in value);
      if (file === 'help.ts') {
        // A factory: the help verb is handed the registry it lists.
        expect(verbs).toEqual([]);
        continue;
      }
      expect(verbs, file).toHaveLength(1);
      expect(VERBS, file).toContain(verbs[0]);
    }
  });

  it('the lazy table names each verb as it declares itself, with its aliases (run-cli finds a verb by the table alone)', () => {
    expect(VERB_TABLE.map((entry) => [entry.name, entry.aliases ?? []])).toEqual(VERBS.map((verb) => [verb.name, verb.aliases ?? []]));
  });

  it.each(VERB_TABLE.filter((entry) => entry.unlocksAhead).map((entry) => ({ name: entry.name, entry })))(
    '$name, whose unlock starts before it loads, runs as `$name DIR --as NAME …` (unlock-ahead.ts reads its arguments so)',
    async ({ name, entry }) => {
      const own = ownCommand(await entry.load());
      expect(own, name).toBeDefined();
      for (const usage of own?.usage ?? []) {
        expect(typeof usage === 'string' ? usage : usage.line).toMatch(new RegExp(`^${name} DIR --as NAME\\b`));
      }
    },
  );

  it('every verb, and every usage line of it, is in `lifeboat help`', async () => {
    const help = await lifeboat('help');
    expect(help.code).toBe(0);
    const lines = help.out.split('\n');
    for (const { verb, command } of COMMANDS) {
      expect(
        lines.some((line) => line.startsWith(`  ${verb.name} `) || line === `  ${verb.name}`),
        verb.name,
      ).toBe(true);
      for (const usage of command.usage) {
        const line = typeof usage === 'string' ? usage : usage.line;
        expect(
          lines.some((l) => l.startsWith(`  ${line}`)),
          line,
        ).toBe(true);
      }
    }
    // No command and --help are the same list.
    expect((await lifeboat()).out).toBe(help.out);
    expect((await lifeboat('--help')).out).toBe(help.out);
  });

  it.each(VERBS.map((verb) => ({ name: verb.name, verb })))('help $name shows its usage, summary and every option', async ({ name, verb }) => {
    const help = await lifeboat('help', name);
    expect(help.code, help.err).toBe(0);
    expect(help.out).toContain(`lifeboat ${name}: ${verb.summary}`);
    for (const { command } of commandsOf(verb)) {
      for (const [option, spec] of Object.entries(command.options)) {
        const label = spec.type === 'string' ? `--${option} ${spec.value}` : `--${option}`;
        expect(help.out, label).toMatch(new RegExp(`^ {2}${escapeRegExp(label)} +\\S`, 'm'));
        expect(spec.help.trim(), `--${option}`).not.toBe('');
      }
    }
    expect(help.out).toMatch(/^ {2}-h, --help +show this help$/m);
    // VERB --help prints the same.
    expect((await lifeboat(name, '--help')).out).toBe(help.out);
  });

  it('help VERB SUB-VERB and VERB SUB-VERB --help show that sub-verb only', async () => {
    const help = await lifeboat('help', 'session', 'step');
    expect(help.code).toBe(0);
    expect(help.out).toContain('lifeboat session step DIR --as NAME --id ID --service S --step N [--undo]');
    expect(help.out).not.toContain('session start');
    expect(help.out).toMatch(/^ {2}--undo +un-tick the step$/m);
    expect(help.out).not.toContain('--kind');
    expect((await lifeboat('session', 'step', '--help')).out).toBe(help.out);
    expect((await lifeboat('session', 'step', '-h')).out).toBe(help.out);
  });

  it('help for an unknown verb or sub-verb is refused like an unknown command (exit 2)', async () => {
    for (const words of [['opne'], ['session', 'strat'], ['list', 'extra']]) {
      const r = await lifeboat('help', ...words);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toBe(`lifeboat: Unknown command "${words.join(' ')}". Run \`lifeboat help\` for the list.\n`);
    }
  });

  it.each(COMMANDS.map(({ words, command }) => ({ command: words.join(' '), words, declared: command })))(
    '$command refuses an option it does not declare (exit 2), before anything runs',
    async ({ words }) => {
      const r = await lifeboat(...words, '--no-such-option', 'no-such-vault', '--json');
      expect(r.code).toBe(2);
      expect(r.err).toBe('lifeboat: Unknown option --no-such-option. Run `lifeboat help` for usage.\n');
      expect(JSON.parse(r.out)).toMatchObject({ ok: false, error: { code: 'CLI_USAGE' } });
    },
  );

  it('withSession reads --as, --passphrase-file, --json and --break-lock (the commands that hand it their values count on it)', () => {
    expect([...valuesRead(withSession.toString())].sort()).toEqual(['as', 'break-lock', 'json', 'passphrase-file']);
  });

  it.each(TABLES)('declared for $commands: every option is read, and only those', ({ commands, options, sources }) => {
    const read = new Set(sources.flatMap((source) => [...optionsRead(source)]));
    const ignored = new Set(commands.split(', ').flatMap((command) => UNREAD[command] ?? []));
    expect([...read].filter((option) => !(option in options))).toEqual([]);
    expect(Object.keys(options).filter((option) => !read.has(option) && !ignored.has(option))).toEqual([]);
  });
});
