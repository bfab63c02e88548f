/**
 * lifeboat report access DIR --as AUDITOR [--from T] [--to T] [--out FILE.pdf|.md|.json]
 *
 * The emergency-access report (docs/access-report.md): owners and auditors.
 * Without --out, Markdown goes to the terminal; with it, the file's extension
 * picks the format; the JSON is checkable anywhere with `audit verify --export`.
 */
import { LifeboatError } from '../../../shared/errors.js';
import type { AccessReportFormat } from '../../../shared/access-report.js';
import { accessReportMarkdownOut, exportAccessReport, resolvePeriod } from '../../operations/access-report.js';
import { COMMON_OPTIONS, printJson, requirePositional, withSession } from '../cli-context.js';
import { shellWord } from '../output-format.js';
import { pdfPrinter } from '../pdf-output.js';
import { defineCommand, defineVerb } from '../verb.js';

const USAGE = 'lifeboat report access DIR --as NAME [--from DATE] [--to DATE] [--out FILE.pdf|FILE.md|FILE.json] [--json]';

/** The format is the file's: `--out report.pdf` is never Markdown in disguise, and an unknown extension is refused. */
export function formatOf(out: string): AccessReportFormat {
  const extension = (/\.([a-z]+)$/i.exec(out)?.[1] ?? '').toLowerCase();
  if (extension === 'pdf') {
    return 'pdf';
  }
  if (extension === 'json') {
    return 'json';
  }
  if (extension === 'md' || extension === 'markdown') {
    return 'markdown';
  }
  throw new LifeboatError('CLI_USAGE', `--out ${out}: name a .pdf, .md or .json file (the extension picks the format). Usage: ${USAGE}`);
}

const reportAccess = defineCommand({
  usage: [
    {
      line: 'report access DIR --as NAME [--from DATE] [--to DATE] [--out FILE]',
      note: ['owners and auditors; the whole log unless a period is given;', 'FILE.pdf, .md or .json (signed by the log it carries)'],
    },
  ],
  options: {
    ...COMMON_OPTIONS,
    from: { type: 'string', value: 'DATE', help: 'first day (2026-01-01) or time (ISO, UTC) of the period' },
    to: { type: 'string', value: 'DATE', help: 'last day (included) or time of the period' },
    out: { type: 'string', value: 'FILE', help: 'write FILE.pdf, FILE.md or FILE.json (without it, Markdown goes to the terminal)' },
  },
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    const period = { ...(values.from === undefined ? {} : { from: values.from }), ...(values.to === undefined ? {} : { to: values.to }) };
    // A bad date is refused before any passphrase is asked for.
    resolvePeriod(period);
    const out = values.out;
    if (out === undefined) {
      if (values.json) {
        throw new LifeboatError('CLI_USAGE', `--json describes a written report: add --out FILE.json for the signed report. Usage: ${USAGE}`);
      }
      ctx.io.out(await withSession(ctx, dir, values, USAGE, (session) => accessReportMarkdownOut(session, period)));
      return 0;
    }
    const format = formatOf(out);
    const printer = format === 'pdf' ? await pdfPrinter(ctx.env) : undefined;
    const written = await withSession(ctx, dir, values, USAGE, (session) => exportAccessReport(session, { period, format, path: out }, printer));
    if (values.json) {
      printJson(ctx, { out: written.path, format, bytes: written.bytes, reveals: written.reveals });
    } else {
      ctx.io.out(
        `Wrote the emergency-access report (${format}, ${written.bytes} bytes, ${written.reveals} reveals) to ${written.path}.${
          format === 'json' ? ` Check it anywhere, without a key: lifeboat audit verify --export ${shellWord(written.path)}` : ''
        }\n`,
      );
    }
    return 0;
  },
});

export const reportVerb = defineVerb({
  name: 'report',
  group: 'vault',
  summary: 'the emergency-access report: unlocks, reveals and their reasons, sessions, rotation, changes; mapped to controls',
  subcommands: { access: reportAccess },
  unknownSubcommand(given) {
    throw new LifeboatError(
      'CLI_USAGE',
      `${given === undefined ? 'Missing the report kind:' : `Unknown report "${given}";`} use access. Run \`lifeboat help\` for usage.`,
    );
  },
});
