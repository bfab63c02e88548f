/**
 * lifeboat member add | remove | list
 */
import { LifeboatError } from '../../../shared/errors.js';
import { ROLES, type Role } from '../../../shared/records.js';
import { addMember, QUORUM_MEMBER, removeMember } from '../../operations/vault-access.js';
import { COMMON_OPTIONS, printJson, requireOption, requirePositional, withSession } from '../cli-context.js';
import { newPassphraseFrom } from '../passphrase-input.js';
import { defineCommand, defineVerb, parseCommandArgs, type OptionTable } from '../verb.js';

const USAGE = 'lifeboat member add|remove|list DIR --as OWNER [--name NAME] [--role commander|responder|auditor]';

/** One table for the three sub-verbs. */
const OPTIONS = {
  ...COMMON_OPTIONS,
  name: { type: 'string', value: 'NAME', help: 'the member to add or remove' },
  role: { type: 'string', value: 'ROLE', help: `the new member's role: one of ${ROLES.join(', ')}` },
} as const satisfies OptionTable;

function parseRole(value: string | undefined): Role {
  const role = requireOption(value, 'role', USAGE);
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new LifeboatError('CLI_USAGE', `--role ${role}: use one of ${ROLES.join(', ')}.`);
  }
  return role as Role;
}

const memberAdd = defineCommand({
  usage: ['member add DIR --as OWNER --name NAME --role commander|responder|auditor'],
  options: OPTIONS,
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    const name = requireOption(values.name, 'name', USAGE);
    const role = parseRole(values.role);
    const passphrase = await newPassphraseFrom(ctx.env, ctx.prompt, name);
    await withSession(ctx, dir, values, USAGE, (session) => addMember(session, { name, role, passphrase }));
    ctx.io.out(values.json ? `${JSON.stringify({ added: name, role })}\n` : `Added ${name} as ${role}.\n`);
    return 0;
  },
});

const memberRemove = defineCommand({
  usage: [{ line: 'member remove DIR --as OWNER --name NAME', note: '(rekeys the vault)' }],
  options: OPTIONS,
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    const name = requireOption(values.name, 'name', USAGE);
    await withSession(ctx, dir, values, USAGE, (session) => removeMember(session, name));
    ctx.io.out(
      values.json
        ? `${JSON.stringify({ removed: name, rekeyed: true })}\n`
        : `Removed ${name}. The vault was rekeyed: their old passphrase and any copy of their key slot no longer open it.\n`,
    );
    return 0;
  },
});

const memberList = defineCommand({
  usage: ['member list DIR --as NAME [--json]'],
  options: OPTIONS,
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    const members = await withSession(ctx, dir, values, USAGE, (session) => Promise.resolve(session.members()));
    if (values.json) {
      printJson(ctx, members);
    } else {
      // The quorum is a key slot, not a person: say so rather than pass it off as a member.
      ctx.io.out(
        members
          .map(
            (m) =>
              `${m.name}\t${m.role}${m.name === QUORUM_MEMBER ? '\t(key slot of the recovery shares, not a person)' : ''}${m.slotFormat === 1 ? '\t(key slot in the previous format: upgraded at their next unlock)' : ''}`,
          )
          .join('\n') + '\n',
      );
    }
    return 0;
  },
});

export const memberVerb = defineVerb({
  name: 'member',
  group: 'vault',
  summary: "add, remove or list the vault's members (adding and removing: owners only)",
  subcommands: { add: memberAdd, remove: memberRemove, list: memberList },
  unknownSubcommand(_given, rest) {
    // As each sub-verb would: its options checked, then the folder, then which verb.
    const { positionals } = parseCommandArgs({ options: OPTIONS }, rest);
    requirePositional(positionals, 0, 'the vault folder', USAGE);
    throw new LifeboatError('CLI_USAGE', `Usage: ${USAGE}`);
  },
});
