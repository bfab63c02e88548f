/**
 * lifeboat history DIR --as NAME ID: every revision of a record.
 */
import { recordHistory } from '../../operations/records.js';
import { COMMON_OPTIONS, printJson, requirePositional, withSession } from '../cli-context.js';
import { defineVerb } from '../verb.js';

const LINE = 'history DIR --as NAME ID [--json]';
const USAGE = `lifeboat ${LINE}`;

export const historyVerb = defineVerb({
  name: 'history',
  group: 'vault',
  summary: "a record's revisions: who changed which fields, and when",
  usage: [{ line: LINE, note: 'every revision: who, when, which fields' }],
  options: COMMON_OPTIONS,
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    const id = requirePositional(positionals, 1, 'the record id', USAGE);
    const revisions = await withSession(ctx, dir, values, USAGE, (session) => Promise.resolve(recordHistory(session, id)));
    if (values.json) {
      printJson(ctx, revisions);
    } else {
      ctx.io.out(
        revisions.map((r) => `rev ${r.revision}  ${r.at}  ${r.by}  ${r.action}${r.changed.length > 0 ? `: ${r.changed.join(', ')}` : ''}`).join('\n') + '\n',
      );
    }
    return 0;
  },
});
