/**
 * lifeboat binder DIR --as NAME (--search Q | --services A,B | --all) --out FILE.pdf:
 * the printed binder (issue #21); and `binder verify DIR --as NAME --code '…'`:
 * is a printed page still current? Both call operations/binder.ts.
 */
import { resolve } from 'node:path';
import { LifeboatError } from '../../../shared/errors.js';
import { printBinder, verifyBinderPage, type BinderChoice, type SecretInclusion } from '../../operations/binder.js';
import { COMMON_OPTIONS, printJson, requireOption, requirePositional, withSession } from '../cli-context.js';
import { serviceList } from '../option-values.js';
import { secondPassphraseFrom } from '../passphrase-input.js';
import { pdfPrinter } from '../pdf-output.js';
import { defineCommand, defineVerb } from '../verb.js';

/** Quoted in usage errors: one line each, so an error stays one line. */
const USAGE = 'lifeboat binder DIR --as NAME (--search Q | --services A,B | --all) --out FILE.pdf [--include-secret ID --reason TEXT --second MEMBER]';
const VERIFY_USAGE = "lifeboat binder verify DIR --as NAME --code 'lifeboat-binder:1:…'";

/** Exit code of `binder verify` per answer: scripts can tell a stale page from an unknown one. */
const VERIFY_EXIT = { current: 0, changed: 1, unknown: 2 } as const;

function choiceOf(values: { search?: string | undefined; services?: string[] | undefined; all: boolean }): BinderChoice {
  const given = [values.search !== undefined, values.services !== undefined, values.all].filter(Boolean).length;
  if (given !== 1) {
    throw new LifeboatError('CLI_USAGE', `Choose the records with exactly one of --search Q, --services A,B or --all. Usage: ${USAGE}`);
  }
  if (values.search !== undefined) {
    return { search: values.search };
  }
  if (values.services !== undefined) {
    const services = serviceList(values.services);
    if (services.length === 0) {
      throw new LifeboatError('CLI_USAGE', `--services needs at least one service id or title. Usage: ${USAGE}`);
    }
    return { services };
  }
  return { all: true };
}

const verifyCommand = defineCommand({
  usage: [
    {
      line: "binder verify DIR --as NAME --code 'lifeboat-binder:1:…'",
      note: ['is a printed page current (exit 0), changed since (exit 1, by whom', 'and when) or unknown to this vault (exit 2)? Logged like an open'],
    },
  ],
  options: {
    ...COMMON_OPTIONS,
    code: { type: 'string', value: 'CODE', help: "the page's QR code as text (lifeboat-binder:1:vault:record:revision:hash)" },
  },
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', VERIFY_USAGE);
    const code = requireOption(values.code, 'code', VERIFY_USAGE);
    const check = await withSession(ctx, dir, values, VERIFY_USAGE, (session) => verifyBinderPage(session, code));
    if (values.json) {
      printJson(ctx, check);
    } else {
      const changes = check.changes.map(
        (c) =>
          `  revision ${c.revision}: ${c.action} ${c.at.replace('T', ' ').slice(0, 19)} UTC by ${c.by}${c.changed.length > 0 ? ` (${c.changed.join(', ')})` : ''}\n`,
      );
      ctx.io.out(`${check.message}\n${changes.join('')}`);
    }
    return VERIFY_EXIT[check.status];
  },
});

export const binderVerb = defineVerb({
  name: 'binder',
  group: 'recovery',
  summary: 'print a binder PDF of chosen records (no secret values), and check a printed page against the vault',
  usage: [
    {
      line: 'binder DIR --as NAME (--search Q | --services A,B | --all) --out FILE.pdf',
      note: [
        'cover, contents, recovery waves, call sheet, runbooks, procedures, key',
        'locations; every page names its record, revision and hash, and each',
        'record has a QR code; sealed values are never printed (--all: every',
        'record but secrets). Logged, with the record list, before it is written',
      ],
    },
    {
      line: 'binder DIR --as OWNER … --include-secret ID --reason TEXT --second MEMBER',
      note: ["an owner prints named secrets' values too: reason and a second", 'member required, each reveal logged first'],
    },
  ],
  options: {
    ...COMMON_OPTIONS,
    search: { type: 'string', value: 'Q', help: 'the records a search finds (secrets left out)' },
    services: {
      type: 'string',
      value: 'A,B',
      multiple: true,
      help: 'these services (ids, titles or entity refs) and what they need, their runbooks, procedures, contacts, key locations',
    },
    all: { type: 'boolean', help: 'every record but secrets' },
    out: { type: 'string', value: 'FILE.pdf', help: 'where to write the PDF (needs Chromium)' },
    'include-secret': { type: 'string', value: 'ID', multiple: true, help: "owners: print this secret's values too (with --reason and --second)" },
    reason: { type: 'string', value: 'TEXT', help: 'with --include-secret: why, logged before any value is read' },
    second: { type: 'string', value: 'MEMBER', help: 'with --include-secret: the second member confirming' },
    'second-passphrase-file': { type: 'string', value: 'F', help: "the second member's passphrase from F (else LIFEBOAT_SECOND_PASSPHRASE, else a prompt)" },
  },
  subcommands: { verify: verifyCommand },
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    const choice = choiceOf({ search: values.search, services: values.services, all: values.all });
    const out = requireOption(values.out, 'out', USAGE);
    const secrets = values['include-secret'] ?? [];
    if (secrets.length === 0 && (values.reason !== undefined || values.second !== undefined)) {
      throw new LifeboatError('CLI_USAGE', `--reason and --second go with --include-secret. Usage: ${USAGE}`);
    }
    const reason = secrets.length > 0 ? requireOption(values.reason, 'reason', USAGE) : '';
    const secondName = secrets.length > 0 ? requireOption(values.second, 'second', USAGE) : '';
    const printer = await pdfPrinter(ctx.env);
    const result = await withSession(ctx, resolve(dir), values, USAGE, async (session) => {
      const inclusion: SecretInclusion | undefined =
        secrets.length === 0
          ? undefined
          : {
              ids: secrets,
              reason,
              second: { member: secondName, passphrase: await secondPassphraseFrom(ctx.env, values['second-passphrase-file'], ctx.prompt, secondName) },
            };
      return printBinder(session, choice, out, printer, inclusion);
    });
    if (values.json) {
      printJson(ctx, { out: result.path, bytes: result.bytes, ...result.summary });
    } else {
      const kinds = Object.entries(result.summary.byType)
        .map(([type, n]) => `${n} ${type}`)
        .join(', ');
      ctx.io.out(
        `Wrote the binder (${result.summary.records} records: ${kinds}; ${result.bytes} bytes) to ${result.path}.\n` +
          (result.summary.secretsIncluded.length > 0
            ? `It holds the values of ${result.summary.secretsIncluded.join(', ')}: keep it locked away.\n`
            : 'It holds no secret value.\n') +
          "Check a page later with: lifeboat binder verify DIR --as NAME --code '…' (the text of its QR code).\n",
      );
    }
    return 0;
  },
});
