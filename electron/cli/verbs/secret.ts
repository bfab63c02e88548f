/**
 * lifeboat secret rotated | disabled DIR --as NAME ID [--note TEXT]: keeping
 * secrets current (issue 21; docs/recovery.md, "Secrets: expiry and
 * rotation"). Both are logged; "rotated" also sets lastRotated and ticks
 * any incident's rotation checklist.
 */
import { LifeboatError } from '../../../shared/errors.js';
import { confirmSecretDisabled, markSecretRotated } from '../../operations/secret-upkeep.js';
import { COMMON_OPTIONS, printJson, requirePositional, withSession } from '../cli-context.js';
import { defineCommand, defineVerb, parseCommandArgs, type OptionTable } from '../verb.js';

const LINES = {
  rotated: 'secret rotated DIR --as NAME ID [--note TEXT]',
  disabled: 'secret disabled DIR --as NAME ID [--note TEXT]',
};
const USAGE = `lifeboat ${LINES.rotated} | lifeboat ${LINES.disabled}`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  note: { type: 'string', value: 'TEXT', help: 'what was done, for the audit log ("new password set in the portal")' },
} as const satisfies OptionTable;

function command(which: 'rotated' | 'disabled') {
  return defineCommand({
    usage: [
      {
        line: LINES[which],
        note:
          which === 'rotated'
            ? ['owners and commanders: the secret was changed at its source; logged,', 'sets lastRotated, ticks incident rotation checklists']
            : ['owners and commanders: an emergency account used since was disabled', 'again; logged, clears the readiness finding'],
      },
    ],
    options: OPTIONS,
    async run(ctx, { values, positionals }) {
      const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
      const id = requirePositional(positionals, 1, 'the secret (record id)', USAGE);
      const options = values.note === undefined ? {} : { note: values.note };
      const done = await withSession(ctx, dir, values, USAGE, (session) =>
        which === 'rotated' ? markSecretRotated(session, id, options) : confirmSecretDisabled(session, id, options),
      );
      if (values.json) {
        printJson(ctx, done);
      } else {
        ctx.io.out(which === 'rotated' ? `"${done.title}" marked rotated (${done.at.slice(0, 10)}).\n` : `"${done.title}" confirmed disabled again.\n`);
      }
      return 0;
    },
  });
}

export const secretVerb = defineVerb({
  name: 'secret',
  group: 'vault',
  summary: 'mark a secret rotated, or an emergency account disabled again after use (both logged)',
  subcommands: { rotated: command('rotated'), disabled: command('disabled') },
  unknownSubcommand(_given, rest) {
    const { positionals } = parseCommandArgs({ options: OPTIONS }, rest);
    requirePositional(positionals, 0, 'the vault folder', USAGE);
    throw new LifeboatError('CLI_USAGE', `Usage: ${USAGE}`);
  },
});
