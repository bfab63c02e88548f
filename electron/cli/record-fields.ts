/**
 * Turns `--field KEY=VALUE` options into a record's data, reading each key
 * as record-kinds.ts declares it: list fields accumulate repeated keys,
 * durations take whole minutes or 30m, 4h, 1h30m, 2d, 1 h 30 min
 * (shared/durations.ts), other numbers whole numbers, boolean fields true or
 * false, the rest text. Errors name the option.
 */
import { parseDuration } from '../../shared/durations.js';
import { LifeboatError } from '../../shared/errors.js';
import { RECORD_KINDS, type FieldSpec, type KindRegistry } from '../../shared/record-kinds.js';

/** How the command line reads a field's value. */
export type FieldParsing = 'list' | 'boolean' | 'minutes' | 'whole' | 'text';

function parsingOf(field: FieldSpec): FieldParsing {
  switch (field.kind) {
    case 'list':
      return 'list';
    case 'boolean':
      return 'boolean';
    case 'number':
      return field.minutes ? 'minutes' : 'whole';
    default:
      return 'text';
  }
}

/**
 * Every field key of every kind, with how its value is read. --field does not
 * know the record's kind, so a key must be read the same way in every kind
 * that has it; a registry where it is not is refused.
 */
export function fieldParsing(kinds: KindRegistry = RECORD_KINDS): Map<string, FieldParsing> {
  const parsing = new Map<string, FieldParsing>();
  for (const [type, kind] of Object.entries(kinds)) {
    for (const field of kind.fields) {
      const how = parsingOf(field);
      const before = parsing.get(field.key);
      if (before !== undefined && before !== how) {
        throw new Error(`--field ${field.key} would be read as ${before} and, for a ${type}, as ${how}.`);
      }
      parsing.set(field.key, how);
    }
  }
  return parsing;
}

const PARSING = fieldParsing();

export function parseFields(options: readonly string[], parsing: ReadonlyMap<string, FieldParsing> = PARSING): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const option of options) {
    const eq = option.indexOf('=');
    if (eq <= 0) {
      throw new LifeboatError('CLI_USAGE', `--field ${option}: expected KEY=VALUE.`);
    }
    const key = option.slice(0, eq).trim();
    const value = option.slice(eq + 1);
    const how = parsing.get(key) ?? 'text';
    if (how === 'list') {
      const list = (data[key] as string[] | undefined) ?? [];
      list.push(value);
      data[key] = list;
    } else if (how === 'boolean') {
      if (value !== 'true' && value !== 'false') {
        throw new LifeboatError('VAULT_BAD_INPUT', `--field ${key}=${value}: expected true or false.`);
      }
      data[key] = value === 'true';
    } else if (how === 'minutes' || how === 'whole') {
      const number = how === 'minutes' ? parseDuration(value) : /^\d+$/.test(value) ? Number(value) : undefined;
      if (number === undefined) {
        throw new LifeboatError(
          'VAULT_BAD_INPUT',
          `--field ${key}=${value}: expected a whole number${how === 'minutes' ? ' or a duration like 30m, 4h' : ''}.`,
        );
      }
      data[key] = number;
    } else {
      if (key in data) {
        throw new LifeboatError('CLI_USAGE', `--field ${key} is given twice.`);
      }
      data[key] = value;
    }
  }
  return data;
}
