/**
 * lifeboat add DIR --as NAME --type TYPE --title TITLE: a new record.
 */
import { readFile } from 'node:fs/promises';
import { LifeboatError } from '../../../shared/errors.js';
import { kindOf, RECORD_KINDS, RECORD_TYPES } from '../../../shared/record-kinds.js';
import { createRecord } from '../../operations/records.js';
import { COMMON_OPTIONS, printJson, requireOption, requirePositional, withSession } from '../cli-context.js';
import { recordType } from '../option-values.js';
import { parseFields } from '../record-fields.js';
import { defineVerb } from '../verb.js';

const LINE = 'add DIR --as NAME --type TYPE --title TITLE [--file BODY.md] [--field KEY=VALUE]... [--json]';
const USAGE = `lifeboat ${LINE}`;

export const addVerb = defineVerb({
  name: 'add',
  group: 'vault',
  summary: 'add a record; prints its id',
  usage: [LINE],
  options: {
    ...COMMON_OPTIONS,
    type: { type: 'string', value: 'TYPE', help: `the record's type: one of ${RECORD_TYPES.join(', ')}` },
    title: { type: 'string', value: 'TITLE', help: "the record's title" },
    file: { type: 'string', value: 'BODY.md', help: 'the Markdown body of a runbook or procedure' },
    field: {
      type: 'string',
      value: 'KEY=VALUE',
      multiple: true,
      help: 'a field (repeat for more; a list field takes one item each time); times take minutes or 30m, 4h, 1h30m, 2d',
    },
  },
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    const type = recordType(values.type, USAGE);
    const title = requireOption(values.title, 'title', USAGE);
    const data = parseFields(values.field ?? []);
    if (values.file) {
      // The kind's Markdown field, as the registry declares it (a runbook's or a procedure's body today).
      const markdown = kindOf(RECORD_KINDS, type).fields.find((field) => field.markdown === true);
      if (!markdown) {
        const withBody = RECORD_TYPES.filter((t) => kindOf(RECORD_KINDS, t).fields.some((field) => field.markdown === true));
        throw new LifeboatError('CLI_USAGE', `--file sets the Markdown body of a ${withBody.join(' or ')}, not of a ${type}.`);
      }
      try {
        data[markdown.key] = await readFile(values.file, 'utf8');
      } catch {
        throw new LifeboatError('VAULT_BAD_INPUT', `Could not read ${values.file}.`);
      }
    }
    const summary = await withSession(ctx, dir, values, USAGE, (session) => createRecord(session, { type, title, data }));
    if (values.json) {
      printJson(ctx, summary);
    } else {
      ctx.io.out(`${summary.id}\n`);
    }
    return 0;
  },
});
