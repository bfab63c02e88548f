/**
 * lifeboat init | member add/remove/list | passwd
 */
import { parseArgs } from 'node:util';
import { LifeboatError } from '../../../shared/errors.js';
import { QUORUM_MEMBER } from '../../vault/vault-members.js';
import { ROLES, type Role } from '../../../shared/records.js';
import { insecureFastKdfRequested } from '../../vault/keys/kdf-params.js';
import { addMember, changePassphrase, removeMember } from '../../vault/vault-members.js';
import { createVault } from '../../vault/vault-open.js';
import { COMMON_OPTIONS, INSECURE_KDF_WARNING, printJson, requireOption, requirePositional, withSession, type CliContext } from '../cli-context.js';
import { newPassphraseFrom, passphraseFrom } from '../passphrase-input.js';

const INIT_USAGE = 'lifeboat init DIR --as NAME [--name VAULT_NAME]';

export async function initCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { ...COMMON_OPTIONS, name: { type: 'string' } }, allowPositionals: true });
  const dir = requirePositional(positionals, 0, 'the vault folder', INIT_USAGE);
  const owner = requireOption(values.as, 'as', INIT_USAGE);
  // A new vault takes the new-passphrase path first (asked twice on a terminal).
  const passphrase = ctx.env['LIFEBOAT_PASSPHRASE'] || values['passphrase-file']
    ? await passphraseFrom(ctx.env, values['passphrase-file'], ctx.prompt, owner)
    : await newPassphraseFrom(ctx.env, ctx.prompt, owner);
  const insecure = insecureFastKdfRequested(ctx.env);
  const session = await createVault(dir, { owner, passphrase, insecureFastKdf: insecure, ...(values.name ? { name: values.name } : {}) });
  const vaultId = session.vaultId;
  await session.lock();
  if (insecure) {
    ctx.io.err(INSECURE_KDF_WARNING);
  }
  if (values.json) {
    printJson(ctx, { vaultId, dir, owner });
  } else {
    ctx.io.out(`Created vault ${vaultId} at ${dir}; ${owner} is its owner.\n`);
  }
  return 0;
}

const MEMBER_USAGE = 'lifeboat member add|remove|list DIR --as OWNER [--name NAME] [--role commander|responder|auditor]';

function parseRole(value: string | undefined): Role {
  const role = requireOption(value, 'role', MEMBER_USAGE);
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new LifeboatError('CLI_USAGE', `--role ${role}: use one of ${ROLES.join(', ')}.`);
  }
  return role as Role;
}

export async function memberCommand(args: string[], ctx: CliContext): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: { ...COMMON_OPTIONS, name: { type: 'string' }, role: { type: 'string' } },
    allowPositionals: true,
  });
  const dir = requirePositional(positionals, 0, 'the vault folder', MEMBER_USAGE);
  switch (action) {
    case 'add': {
      const name = requireOption(values.name, 'name', MEMBER_USAGE);
      const role = parseRole(values.role);
      const passphrase = await newPassphraseFrom(ctx.env, ctx.prompt, name);
      await withSession(ctx, dir, values, MEMBER_USAGE, (session) => addMember(session, { name, role, passphrase }));
      ctx.io.out(values.json ? `${JSON.stringify({ added: name, role })}\n` : `Added ${name} as ${role}.\n`);
      return 0;
    }
    case 'remove': {
      const name = requireOption(values.name, 'name', MEMBER_USAGE);
      await withSession(ctx, dir, values, MEMBER_USAGE, (session) => removeMember(session, name));
      ctx.io.out(
        values.json
          ? `${JSON.stringify({ removed: name, rekeyed: true })}\n`
          : `Removed ${name}. The vault was rekeyed: their old passphrase and any copy of their key slot no longer open it.\n`,
      );
      return 0;
    }
    case 'list': {
      const members = await withSession(ctx, dir, values, MEMBER_USAGE, (session) => Promise.resolve(session.members()));
      if (values.json) {
        printJson(ctx, members);
      } else {
        // The quorum is a key slot, not a person: say so rather than pass it off as a member.
        ctx.io.out(members.map((m) => `${m.name}\t${m.role}${m.name === QUORUM_MEMBER ? '\t(key slot of the recovery shares, not a person)' : ''}`).join('\n') + '\n');
      }
      return 0;
    }
    default:
      throw new LifeboatError('CLI_USAGE', `Usage: ${MEMBER_USAGE}`);
  }
}

const PASSWD_USAGE = 'lifeboat passwd DIR --as NAME';

export async function passwdCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: COMMON_OPTIONS, allowPositionals: true });
  const dir = requirePositional(positionals, 0, 'the vault folder', PASSWD_USAGE);
  const member = requireOption(values.as, 'as', PASSWD_USAGE);
  const current = await passphraseFrom(ctx.env, values['passphrase-file'], ctx.prompt, member);
  const next = await newPassphraseFrom(ctx.env, ctx.prompt, member);
  await withSession(ctx, dir, values, PASSWD_USAGE, (session) => changePassphrase(session, current, next));
  ctx.io.out(values.json ? `${JSON.stringify({ changed: member })}\n` : `Passphrase changed for ${member}.\n`);
  return 0;
}
