/**
 * lifeboat show DIR --as NAME ID: one record, sealed fields masked.
 */
import type { RecordView } from '../../../shared/records.js';
import { openRecord } from '../../operations/records.js';
import { COMMON_OPTIONS, printJson, requirePositional, withSession } from '../cli-context.js';
import { defineVerb } from '../verb.js';

const LINE = 'show DIR --as NAME ID [--json]';
const USAGE = `lifeboat ${LINE}`;

function formatValue(value: unknown): string {
  if (Array.isArray(value)) {
    return value.map((item, i) => `\n    ${i + 1}. ${String(item)}`).join('');
  }
  if (typeof value === 'string' && value.includes('\n')) {
    return `\n${value.replace(/^/gm, '    ')}`;
  }
  return String(value);
}

/** Where a synced record came from (issue 16: two runbooks with one title are told apart by it), or null. */
export function recordSource(record: RecordView): { catalogId: string; path: string; version: number; signed: boolean; archived: boolean } | null {
  const ref = record.data['catalogRef'];
  if (ref === null || typeof ref !== 'object') {
    return null;
  }
  const r = ref as Record<string, unknown>;
  return {
    catalogId: typeof r['catalogId'] === 'string' ? r['catalogId'] : '',
    path: typeof r['file'] === 'string' ? r['file'] : '',
    version: Number(r['catalogVersion'] ?? 0),
    signed: r['unsigned'] !== true,
    archived: record.data['archived'] === true,
  };
}

function formatRecord(record: RecordView): string {
  const lines = [`${record.title}  (${record.type}, ${record.id}, revision ${record.revision}, updated ${record.updatedAt} by ${record.updatedBy})`];
  const source = recordSource(record);
  if (source) {
    lines.push(
      `  source: ${source.catalogId} v${source.version}, ${source.path}, ${source.signed ? 'signed' : 'unsigned'}${source.archived ? ', archived (no longer in its catalog)' : ''}`,
    );
  }
  for (const [field, value] of Object.entries(record.data)) {
    if (field === 'catalogRef' || (source && field === 'archived')) {
      continue;
    }
    lines.push(`  ${field}: ${formatValue(value)}`);
  }
  if (record.sealedFields.length > 0) {
    lines.push(`  (sealed: ${record.sealedFields.join(', ')} — use \`lifeboat reveal\` with a reason)`);
  }
  return `${lines.join('\n')}\n`;
}

export const showVerb = defineVerb({
  name: 'show',
  group: 'vault',
  summary: 'print one record, its sealed fields masked (reveal prints those)',
  usage: [{ line: LINE, note: 'logged as "record opened" before it prints' }],
  options: COMMON_OPTIONS,
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    const id = requirePositional(positionals, 1, 'the record id', USAGE);
    const record = await withSession(ctx, dir, values, USAGE, (session) => openRecord(session, id));
    if (values.json) {
      printJson(ctx, { ...record, source: recordSource(record) });
    } else {
      ctx.io.out(formatRecord(record));
    }
    return 0;
  },
});
