/**
 * lifeboat add | list | show | reveal
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { LifeboatError } from '../../../shared/errors.js';
import type { RecordView } from '../../../shared/records.js';
import { createRecord, listRecords, openRecord, recordHistory, revealField } from '../../vault/vault-records.js';
import { COMMON_OPTIONS, printJson, requireOption, requirePositional, withSession, type CliContext } from '../cli-context.js';
import { recordType } from '../option-values.js';
import { parseFields } from '../record-fields.js';
import { revealWithSecond } from './quorum-commands.js';

const ADD_USAGE = 'lifeboat add DIR --as NAME --type TYPE --title TITLE [--file BODY.md] [--field KEY=VALUE]... [--json]';

export async function addCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...COMMON_OPTIONS, type: { type: 'string' }, title: { type: 'string' }, file: { type: 'string' }, field: { type: 'string', multiple: true } },
    allowPositionals: true,
  });
  const dir = requirePositional(positionals, 0, 'the vault folder', ADD_USAGE);
  const type = recordType(values.type, ADD_USAGE);
  const title = requireOption(values.title, 'title', ADD_USAGE);
  const data = parseFields(values.field ?? []);
  if (values.file) {
    if (type !== 'runbook' && type !== 'procedure') {
      throw new LifeboatError('CLI_USAGE', `--file sets the Markdown body of a runbook or procedure, not of a ${type}.`);
    }
    try {
      data['body'] = await readFile(values.file, 'utf8');
    } catch {
      throw new LifeboatError('VAULT_BAD_INPUT', `Could not read ${values.file}.`);
    }
  }
  const summary = await withSession(ctx, dir, values, ADD_USAGE, (session) => createRecord(session, { type, title, data }));
  if (values.json) {
    printJson(ctx, summary);
  } else {
    ctx.io.out(`${summary.id}\n`);
  }
  return 0;
}

const LIST_USAGE = 'lifeboat list DIR --as NAME [--type TYPE] [--json]';

export async function listCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { ...COMMON_OPTIONS, type: { type: 'string' } }, allowPositionals: true });
  const dir = requirePositional(positionals, 0, 'the vault folder', LIST_USAGE);
  const type = values.type === undefined ? undefined : recordType(values.type, LIST_USAGE);
  const records = await withSession(ctx, dir, values, LIST_USAGE, (session) => Promise.resolve(listRecords(session, type)));
  if (values.json) {
    printJson(ctx, records);
  } else if (records.length === 0) {
    ctx.io.out(type ? `No ${type} records yet.\n` : 'The vault has no records yet. Add one with `lifeboat add`.\n');
  } else {
    ctx.io.out(records.map((r) => `${r.id}\t${r.type}\t${r.title}`).join('\n') + '\n');
  }
  return 0;
}

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

const SHOW_USAGE = 'lifeboat show DIR --as NAME ID [--json]';

export async function showCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: COMMON_OPTIONS, allowPositionals: true });
  const dir = requirePositional(positionals, 0, 'the vault folder', SHOW_USAGE);
  const id = requirePositional(positionals, 1, 'the record id', SHOW_USAGE);
  const record = await withSession(ctx, dir, values, SHOW_USAGE, (session) => openRecord(session, id));
  if (values.json) {
    printJson(ctx, record);
  } else {
    ctx.io.out(formatRecord(record));
  }
  return 0;
}

const REVEAL_USAGE = 'lifeboat reveal DIR --as NAME ID FIELD --reason TEXT [--second MEMBER [--second-passphrase-file F]]';

export async function revealCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...COMMON_OPTIONS, reason: { type: 'string' }, second: { type: 'string' }, 'second-passphrase-file': { type: 'string' } },
    allowPositionals: true,
  });
  const dir = requirePositional(positionals, 0, 'the vault folder', REVEAL_USAGE);
  const id = requirePositional(positionals, 1, 'the record id', REVEAL_USAGE);
  const field = requirePositional(positionals, 2, 'the field to reveal', REVEAL_USAGE);
  const reason = requireOption(values.reason, 'reason', REVEAL_USAGE);
  // A two-person secret: the second member confirms with their own passphrase, asked after the first's.
  const second = values.second === undefined && values['second-passphrase-file'] === undefined ? undefined : requireOption(values.second, 'second', REVEAL_USAGE);
  const value = await withSession(ctx, dir, values, REVEAL_USAGE, (session) =>
    second === undefined
      ? revealField(session, id, field, reason)
      : revealWithSecond(ctx, session, { id, field, reason, second, passphraseFile: values['second-passphrase-file'] }),
  );
  if (values.json) {
    printJson(ctx, { id, field, value });
  } else {
    ctx.io.out(`${value}\n`);
  }
  return 0;
}

const HISTORY_USAGE = 'lifeboat history DIR --as NAME ID [--json]';

export async function historyCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: COMMON_OPTIONS, allowPositionals: true });
  const dir = requirePositional(positionals, 0, 'the vault folder', HISTORY_USAGE);
  const id = requirePositional(positionals, 1, 'the record id', HISTORY_USAGE);
  const revisions = await withSession(ctx, dir, values, HISTORY_USAGE, (session) => Promise.resolve(recordHistory(session, id)));
  if (values.json) {
    printJson(ctx, revisions);
  } else {
    ctx.io.out(
      revisions.map((r) => `rev ${r.revision}  ${r.at}  ${r.by}  ${r.action}${r.changed.length > 0 ? `: ${r.changed.join(', ')}` : ''}`).join('\n') + '\n',
    );
  }
  return 0;
}
