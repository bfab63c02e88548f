/**
 * lifeboat search DIR --as NAME QUERY: full-text search, best matches first.
 */
import { LifeboatError } from '../../../shared/errors.js';
import { RECORD_TYPES, type RecordType } from '../../../shared/records.js';
import { settleSearch } from '../../operations/records.js';
import { COMMON_OPTIONS, printJson, requirePositional, withSession } from '../cli-context.js';
import { defineVerb } from '../verb.js';

const LINE = 'search DIR --as NAME QUERY [--type TYPE] [--service S] [--tag T] [--json]';
const USAGE = `lifeboat ${LINE}`;

/** The index marks matches with STX/ETX; in a terminal they become [brackets]. */
function bracketed(snippet: string): string {
  return snippet.split('\u0002').join('[').split('\u0003').join(']');
}

export const searchVerb = defineVerb({
  name: 'search',
  group: 'vault',
  summary: 'full-text search of the records (each word as a prefix), best first; matches in [brackets]',
  usage: [LINE],
  options: {
    ...COMMON_OPTIONS,
    type: { type: 'string', value: 'TYPE', help: `only records of this type: one of ${RECORD_TYPES.join(', ')}` },
    service: { type: 'string', value: 'S', help: 'only records of this service' },
    tag: { type: 'string', value: 'T', help: 'only records with this tag' },
  },
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    const query = positionals.slice(1).join(' ');
    if (query.trim() === '') {
      throw new LifeboatError('CLI_USAGE', `Missing the search words. Usage: ${USAGE}`);
    }
    if (values.type !== undefined && !(RECORD_TYPES as readonly string[]).includes(values.type)) {
      throw new LifeboatError('CLI_USAGE', `--type ${values.type}: use one of ${RECORD_TYPES.join(', ')}.`);
    }
    // One search per invocation is the query settled on: logged once, with the records whose text it prints.
    const hits = await withSession(ctx, dir, values, USAGE, (session) =>
      settleSearch(session, query, {
        ...(values.type ? { type: values.type as RecordType } : {}),
        ...(values.service ? { service: values.service } : {}),
        ...(values.tag ? { tag: values.tag } : {}),
      }),
    );
    if (values.json) {
      printJson(
        ctx,
        hits.map((h) => ({ ...h, snippet: bracketed(h.snippet) })),
      );
    } else if (hits.length === 0) {
      ctx.io.out(`Nothing matches "${query}".\n`);
    } else {
      ctx.io.out(
        hits.map((h) => `${h.id}\t${h.type}\t${h.title}${h.snippet === '' ? '' : `\n    ${bracketed(h.snippet).replace(/\s+/g, ' ')}`}`).join('\n') + '\n',
      );
    }
    return 0;
  },
});
