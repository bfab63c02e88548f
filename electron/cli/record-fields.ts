/**
 * Turns `--field KEY=VALUE` options into a record's data: list fields
 * accumulate repeated keys, number fields take integers or durations
 * (30m, 4h, 1h30m, 2d, 1 h 30 min → minutes; shared/durations.ts), boolean fields take true or false.
 * Errors name the option.
 */
import { parseDuration } from '../../shared/durations.js';
import { LifeboatError } from '../../shared/errors.js';
import { BOOLEAN_FIELDS, LIST_FIELDS, NUMBER_FIELDS } from '../../shared/records.js';

export function parseFields(options: readonly string[]): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const option of options) {
    const eq = option.indexOf('=');
    if (eq <= 0) {
      throw new LifeboatError('CLI_USAGE', `--field ${option}: expected KEY=VALUE.`);
    }
    const key = option.slice(0, eq).trim();
    const value = option.slice(eq + 1);
    if (LIST_FIELDS.has(key)) {
      const list = (data[key] as string[] | undefined) ?? [];
      list.push(value);
      data[key] = list;
    } else if (BOOLEAN_FIELDS.has(key)) {
      if (value !== 'true' && value !== 'false') {
        throw new LifeboatError('VAULT_BAD_INPUT', `--field ${key}=${value}: expected true or false.`);
      }
      data[key] = value === 'true';
    } else if (NUMBER_FIELDS.has(key)) {
      const minutes = key === 'tier' || key === 'escalationOrder' ? (/^\d+$/.test(value) ? Number(value) : null) : (parseDuration(value) ?? null);
      if (minutes === null) {
        throw new LifeboatError('VAULT_BAD_INPUT', `--field ${key}=${value}: expected a whole number${key.endsWith('Minutes') ? ' or a duration like 30m, 4h' : ''}.`);
      }
      data[key] = minutes;
    } else {
      if (key in data) {
        throw new LifeboatError('CLI_USAGE', `--field ${key} is given twice.`);
      }
      data[key] = value;
    }
  }
  return data;
}
