/**
 * lifeboat show DIR --as NAME ID: one record, sealed fields masked; its
 * Markdown rendered for a person (electron/cli/markdown-terminal.ts), its
 * links followed to the records they name, where it came from said in full.
 */
import { kindOf, RECORD_KINDS } from '../../../shared/record-kinds.js';
import type { RecordView } from '../../../shared/records.js';
import { stepParts } from '../../../shared/step-text.js';
import { escapeForTerminal } from '../../../shared/terminal-text.js';
import { openRecord, recordSource, type RecordSource } from '../../operations/records.js';
import { COMMON_OPTIONS, printJson, requirePositional, wantsColour, withSession, type CliContext } from '../cli-context.js';
import { markdownForTerminal, onlyOwnStyling } from '../markdown-terminal.js';
import { defineVerb } from '../verb.js';

const LINE = 'show DIR --as NAME ID [--json]';
const USAGE = `lifeboat ${LINE}`;

/** Paragraphs wrap at the terminal's width, within reason; a pipe gets 80 columns. */
const MAX_WIDTH = 100;

/** A list item; a catalog step's commands (shared/step-text.ts) indented under its text, without their fences. */
function formatItem(item: unknown): string {
  const parts = typeof item === 'string' ? stepParts(item) : undefined;
  if (!parts || parts.code.length === 0) {
    return formatValue(item);
  }
  const code = parts.code.map((block) => block.code.replace(/^/gm, '         ')).join('\n\n');
  return `${parts.text}\n${code}`;
}

function formatValue(value: unknown): string {
  if (Array.isArray(value)) {
    return value.map((item, i) => `\n    ${i + 1}. ${formatItem(item)}`).join('');
  }
  if (typeof value === 'string') {
    return value.includes('\n') ? `\n${value.replace(/^/gm, '    ')}` : value;
  }
  if (value !== null && typeof value === 'object') {
    // Front matter kept in `meta`, or any other structured field: one "key: value" line each, never [object Object].
    return Object.entries(value)
      .map(([key, item]) => `\n    ${key}: ${typeof item === 'string' ? item : JSON.stringify(item)}`)
      .join('');
  }
  return String(value);
}

function sourceLine(source: RecordSource): string {
  const trust = source.signed ? `signed${source.publisher ? ` by "${source.publisher}"` : ''}` : 'unsigned';
  return `  source: catalog ${source.catalogId} version ${source.version}, ${source.path}, ${trust}${source.archived ? ', archived (no longer in its catalog)' : ''}`;
}

function formatRecord(record: RecordView, source: RecordSource | null, markdown: { colour: boolean; width: number }): string {
  const facts = [`${record.title}  (${record.type}, ${record.id}, revision ${record.revision}, updated ${record.updatedAt} by ${record.updatedBy})`];
  if (source) {
    facts.push(sourceLine(source));
  }
  const bodies = new Set(
    kindOf(RECORD_KINDS, record.type)
      .fields.filter((f) => f.markdown)
      .map((f) => f.key),
  );
  for (const [field, value] of Object.entries(record.data)) {
    if (field === 'catalogRef' || bodies.has(field) || (source && field === 'archived') || (Array.isArray(value) && value.length === 0)) {
      continue;
    }
    const shown = formatValue(value);
    facts.push(`  ${field}:${shown.startsWith('\n') ? '' : ' '}${shown}`);
  }
  if (record.sealedFields.length > 0) {
    facts.push(`  (sealed: ${record.sealedFields.join(', ')} — use \`lifeboat reveal\` with a reason)`);
  }
  // Stored text, escaped here too: the coloured output goes to the raw terminal (print).
  const lines = facts.map(escapeForTerminal);
  for (const field of bodies) {
    const body = record.data[field];
    if (typeof body === 'string' && body.trim() !== '') {
      lines.push('', markdownForTerminal(body, { ...markdown, links: record.links, images: record.images }).trimEnd());
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Coloured text goes to the raw terminal (the escaping one would print the
 * colours as \x1b): only once it is proven to hold no escape but our own.
 */
function print(ctx: CliContext, text: string, colour: boolean): void {
  if (colour && onlyOwnStyling(text)) {
    ctx.terminal.out(text);
  } else {
    ctx.io.out(text);
  }
}

export const showVerb = defineVerb({
  name: 'show',
  group: 'vault',
  summary: 'print one record, its sealed fields masked (reveal prints those), its Markdown rendered and its links followed',
  usage: [{ line: LINE, note: 'logged as "record opened" before it prints; colour on a terminal unless NO_COLOR is set' }],
  options: COMMON_OPTIONS,
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    const id = requirePositional(positionals, 1, 'the record id', USAGE);
    const { record, source } = await withSession(ctx, dir, values, USAGE, async (session) => {
      const opened = await openRecord(session, id);
      return { record: opened, source: recordSource(session, opened) };
    });
    if (values.json) {
      // Images are described, not dumped: their bytes are for the window.
      const images = (record.images ?? []).map((image) =>
        image.kind === 'image' ? { src: image.src, kind: image.kind, path: image.path, mime: image.mime, size: image.size } : image,
      );
      printJson(ctx, { ...record, links: record.links ?? [], images, source });
    } else {
      const colour = wantsColour(ctx);
      print(ctx, formatRecord(record, source, { colour, width: Math.min(MAX_WIDTH, ctx.stdout.columns ?? 80) }), colour);
    }
    return 0;
  },
});
