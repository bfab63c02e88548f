/**
 * lifeboat reveal DIR --as NAME ID FIELD --reason TEXT [--second MEMBER]:
 * one sealed field, logged before it prints; a two-person secret with the
 * second member's confirmation.
 */
import { revealField } from '../../operations/records.js';
import { COMMON_OPTIONS, printJson, requireOption, requirePositional, withSession } from '../cli-context.js';
import { secondPassphraseFrom } from '../passphrase-input.js';
import { defineVerb } from '../verb.js';

const USAGE = 'lifeboat reveal DIR --as NAME ID FIELD --reason TEXT [--second MEMBER [--second-passphrase-file F]]';

export const revealVerb = defineVerb({
  name: 'reveal',
  group: 'vault',
  summary: 'print one sealed field of a record, with a reason, logged first',
  usage: [
    {
      line: 'reveal DIR --as NAME ID FIELD --reason TEXT [--second MEMBER]',
      note: [
        'logged as "secret revealed" before it prints; a two-person secret',
        "needs --second, with that member's passphrase from",
        'LIFEBOAT_SECOND_PASSPHRASE, --second-passphrase-file F, or a prompt',
      ],
    },
  ],
  options: {
    ...COMMON_OPTIONS,
    reason: { type: 'string', value: 'TEXT', help: 'why: written to the audit log before the value is printed' },
    second: { type: 'string', value: 'MEMBER', help: 'the second member, confirming a two-person secret' },
    'second-passphrase-file': {
      type: 'string',
      value: 'F',
      help: "read the second member's passphrase from F (else LIFEBOAT_SECOND_PASSPHRASE, else a prompt)",
    },
  },
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    const id = requirePositional(positionals, 1, 'the record id', USAGE);
    const field = requirePositional(positionals, 2, 'the field to reveal', USAGE);
    const reason = requireOption(values.reason, 'reason', USAGE);
    // A two-person secret: the second member confirms with their own passphrase, asked after the first's.
    const second = values.second === undefined && values['second-passphrase-file'] === undefined ? undefined : requireOption(values.second, 'second', USAGE);
    // The second passphrase is asked for after the first member's (and only then): two people, two secrets.
    const value = await withSession(ctx, dir, values, USAGE, async (session) =>
      second === undefined
        ? revealField(session, id, field, reason)
        : revealField(session, id, field, reason, {
            member: second,
            passphrase: await secondPassphraseFrom(ctx.env, values['second-passphrase-file'], ctx.prompt, second),
          }),
    );
    if (values.json) {
      printJson(ctx, { id, field, value });
    } else {
      ctx.io.out(`${value}\n`);
    }
    return 0;
  },
});
