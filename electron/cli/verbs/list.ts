/**
 * lifeboat list DIR --as NAME [--type TYPE]: the records, one a line.
 */
import { RECORD_TYPES } from '../../../shared/records.js';
import { listRecords } from '../../operations/records.js';
import { COMMON_OPTIONS, printJson, requirePositional, withSession } from '../cli-context.js';
import { recordType } from '../option-values.js';
import { defineVerb } from '../verb.js';

const LINE = 'list DIR --as NAME [--type TYPE] [--json]';
const USAGE = `lifeboat ${LINE}`;

export const listVerb = defineVerb({
  name: 'list',
  group: 'vault',
  summary: 'list the records: id, type and title (opening none of them)',
  usage: [LINE],
  options: {
    ...COMMON_OPTIONS,
    type: { type: 'string', value: 'TYPE', help: `only records of this type: one of ${RECORD_TYPES.join(', ')}` },
  },
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    const type = values.type === undefined ? undefined : recordType(values.type, USAGE);
    const records = await withSession(ctx, dir, values, USAGE, (session) => Promise.resolve(listRecords(session, type)));
    if (values.json) {
      printJson(ctx, records);
    } else if (records.length === 0) {
      ctx.io.out(type ? `No ${type} records yet.\n` : 'The vault has no records yet. Add one with `lifeboat add`.\n');
    } else {
      ctx.io.out(records.map((r) => `${r.id}\t${r.type}\t${r.title}`).join('\n') + '\n');
    }
    return 0;
  },
});
