/**
 * lifeboat reveal DIR --as NAME ID FIELD --reason TEXT [--second MEMBER]:
 * one sealed field, logged before it prints; a two-person secret with the
 * second member's confirmation. With --all instead of FIELD: every sealed
 * field of the credential for the one reason, in one audit event listing
 * the fields (issue 19, item 4).
 */
import { LifeboatError } from '../../../shared/errors.js';
import { revealCredential, revealField } from '../../operations/records.js';
import { COMMON_OPTIONS, printJson, requireOption, requirePositional, withSession } from '../cli-context.js';
import { secondMemberName, secondPersonFor, SECOND_PERSON_OPTIONS } from '../second-person.js';
import { defineVerb } from '../verb.js';

const USAGE = 'lifeboat reveal DIR --as NAME ID (FIELD | --all) --reason TEXT [--from PROCEDURE] [--second MEMBER [--second-passphrase-file F]]';

export const revealVerb = defineVerb({
  name: 'reveal',
  group: 'vault',
  summary: 'print one sealed field of a record, or all of them (--all), with a reason, logged first',
  usage: [
    {
      line: 'reveal DIR --as NAME ID FIELD --reason TEXT [--second MEMBER]',
      note: [
        'logged as "secret revealed" before it prints; a two-person secret',
        "needs --second, with that member's passphrase from",
        'LIFEBOAT_SECOND_PASSPHRASE, --second-passphrase-file F, or a prompt',
      ],
    },
    {
      line: 'reveal DIR --as NAME ID --all --reason TEXT [--from PROCEDURE]',
      note: [
        'every sealed field of the credential (username, password…), one per',
        'line as "field: value", logged first as one event listing the fields;',
        '--from names the break-glass procedure that lists it (logged too)',
      ],
    },
  ],
  options: {
    ...COMMON_OPTIONS,
    reason: { type: 'string', value: 'TEXT', help: 'why: written to the audit log before the value is printed' },
    all: { type: 'boolean', help: 'every sealed field of the credential, for one reason and one audit event' },
    from: { type: 'string', value: 'PROCEDURE', help: 'with --all: the break-glass procedure (record id) the credential is revealed from' },
    ...SECOND_PERSON_OPTIONS,
  },
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    const id = requirePositional(positionals, 1, 'the record id', USAGE);
    const all = values.all;
    if (all && positionals[2] !== undefined) {
      throw new LifeboatError('CLI_USAGE', `Give a FIELD or --all, not both.\nUsage: ${USAGE}`);
    }
    if (!all && values.from !== undefined) {
      throw new LifeboatError('CLI_USAGE', `--from goes with --all (a procedure's whole credential).\nUsage: ${USAGE}`);
    }
    const field = all ? '' : requirePositional(positionals, 2, 'the field to reveal (or --all)', USAGE);
    const reason = requireOption(values.reason, 'reason', USAGE);
    // A two-person secret: the second member confirms with their own passphrase, asked after the first's.
    const secondName = secondMemberName(values, USAGE);
    const opened = await withSession(ctx, dir, values, USAGE, async (session) => {
      // The second passphrase is asked for after the first member's (and only then): two people, two secrets.
      const second = await secondPersonFor(ctx, values, secondName);
      if (all) {
        return revealCredential(session, id, reason, { ...(second ? { second } : {}), ...(values.from === undefined ? {} : { procedureId: values.from }) });
      }
      return [{ field, value: await revealField(session, id, field, reason, second) }];
    });
    if (values.json) {
      printJson(ctx, all ? { id, fields: Object.fromEntries(opened.map((f) => [f.field, f.value])) } : { id, field, value: opened[0]?.value ?? '' });
    } else if (all) {
      ctx.io.out(opened.map((f) => `${f.field}: ${f.value}\n`).join(''));
    } else {
      ctx.io.out(`${opened[0]?.value ?? ''}\n`);
    }
    return 0;
  },
});
