/**
 * The second member of a two-person reveal (`reveal`, `code`): the same two
 * options on each verb, the name checked before the vault is opened, and the
 * passphrase asked only after the first member's (two people, two secrets).
 */
import type { SecondPerson } from '../operations/records.js';
import { requireOption, type CliContext } from './cli-context.js';
import { secondPassphraseFrom } from './passphrase-input.js';

export const SECOND_PERSON_OPTIONS = {
  second: { type: 'string', value: 'MEMBER', help: 'the second member, confirming a two-person secret' },
  'second-passphrase-file': {
    type: 'string',
    value: 'F',
    help: "read the second member's passphrase from F (else LIFEBOAT_SECOND_PASSPHRASE, else a prompt)",
  },
} as const;

interface SecondPersonValues {
  second?: string | undefined;
  'second-passphrase-file'?: string | undefined;
}

/** The second member's name, or undefined when neither option is given (a passphrase file needs --second). */
export function secondMemberName(values: SecondPersonValues, usage: string): string | undefined {
  return values.second === undefined && values['second-passphrase-file'] === undefined ? undefined : requireOption(values.second, 'second', usage);
}

/** Call inside the session, after the first member's unlock: their passphrase is asked for then, and only then. */
export async function secondPersonFor(ctx: CliContext, values: SecondPersonValues, name: string | undefined): Promise<SecondPerson | undefined> {
  return name === undefined ? undefined : { member: name, passphrase: await secondPassphraseFrom(ctx.env, values['second-passphrase-file'], ctx.prompt, name) };
}
