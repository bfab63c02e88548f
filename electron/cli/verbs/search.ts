/**
 * lifeboat search DIR --as NAME QUERY: full-text search, best matches first.
 * Words that match nothing are corrected against the vault's own words
 * ("Showing results for …"); --exact searches the query as typed. --json:
 * {"query", "corrected", "hits": [{id, type, title, score, snippet, heading,
 * source}]} (README, "The command line").
 */
import { LifeboatError } from '../../../shared/errors.js';
import { RECORD_TYPES, type RecordType } from '../../../shared/records.js';
import { settleSearch, type SearchHit } from '../../operations/record-search.js';
import { COMMON_OPTIONS, printJson, requirePositional, withSession } from '../cli-context.js';
import { defineVerb } from '../verb.js';

const LINE = 'search DIR --as NAME QUERY [--type TYPE] [--service S] [--tag T] [--exact] [--json]';
const USAGE = `lifeboat ${LINE}`;

/** The index marks matches with STX/ETX; in a terminal they become [brackets]. */
function bracketed(snippet: string): string {
  return snippet.split('\u0002').join('[').split('\u0003').join(']');
}

export const searchVerb = defineVerb({
  name: 'search',
  group: 'vault',
  summary: 'full-text search of the records, best first: all words, then any; typos corrected unless --exact; matches in [brackets]',
  usage: [LINE],
  options: {
    ...COMMON_OPTIONS,
    type: { type: 'string', value: 'TYPE', help: `only records of this type: one of ${RECORD_TYPES.join(', ')}` },
    service: { type: 'string', value: 'S', help: 'only records of this service' },
    tag: { type: 'string', value: 'T', help: 'only records with this tag' },
    exact: { type: 'boolean', help: 'search the words as typed: no correction of a word that matches nothing' },
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
    const result = await withSession(ctx, dir, values, USAGE, (session) =>
      settleSearch(session, query, {
        ...(values.type ? { type: values.type as RecordType } : {}),
        ...(values.service ? { service: values.service } : {}),
        ...(values.tag ? { tag: values.tag } : {}),
        ...(values.exact ? { exact: true } : {}),
      }),
    );
    const { hits, corrected } = result;
    if (values.json) {
      printJson(ctx, {
        query: result.query,
        corrected,
        hits: hits.map((h) => ({
          id: h.id,
          type: h.type,
          title: h.title,
          score: h.score,
          snippet: bracketed(h.snippet),
          heading: h.heading,
          archived: h.archived,
          source: h.source,
        })),
      });
      return 0;
    }
    if (corrected !== null) {
      ctx.io.out(`Showing results for "${corrected}" (search "${query}" as typed with --exact).\n`);
    }
    if (hits.length === 0) {
      ctx.io.out(`Nothing matches "${query}".\n`);
    } else {
      ctx.io.out(hits.map(hitLines).join('\n') + '\n');
    }
    return 0;
  },
});

/** A hit in the terminal: id, type, title; where it came from; the heading and snippet. */
function hitLines(h: SearchHit): string {
  const lines = [`${h.id}\t${h.type}\t${h.title}${h.archived ? ' (archived)' : ''}`];
  if (h.source) {
    lines.push(`    from ${h.source.catalogId} v${h.source.version}: ${h.source.path}${h.source.signed ? '' : ' (unsigned)'}`);
  }
  if (h.snippet !== '') {
    lines.push(`    ${h.heading === '' ? '' : `${h.heading}: `}${bracketed(h.snippet).replace(/\s+/g, ' ')}`);
  }
  return lines.join('\n');
}
