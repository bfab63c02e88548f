/**
 * Option values turned into the engine's terms, with the usage error that
 * names the option when they do not fit: a record type, a list of services.
 */
import { LifeboatError } from '../../shared/errors.js';
import { RECORD_TYPES, type RecordType } from '../../shared/records.js';
import { requireOption } from './cli-context.js';

/** --type TYPE, required: one of the record types. */
export function recordType(value: string | undefined, usage: string): RecordType {
  const type = requireOption(value, 'type', usage);
  if (!(RECORD_TYPES as readonly string[]).includes(type)) {
    throw new LifeboatError('CLI_USAGE', `--type ${type}: use one of ${RECORD_TYPES.join(', ')}.`);
  }
  return type as RecordType;
}

/** `--services a,b --services c` → ['a', 'b', 'c']. */
export function serviceList(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((value) => value.split(','))
    .map((name) => name.trim())
    .filter((name) => name !== '');
}
