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

function formatRecord(record: RecordView): string {
  const lines = [`${record.title}  (${record.type}, ${record.id}, revision ${record.revision}, updated ${record.updatedAt} by ${record.updatedBy})`];
  for (const [field, value] of Object.entries(record.data)) {
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
      printJson(ctx, record);
    } else {
      ctx.io.out(formatRecord(record));
    }
    return 0;
  },
});
