/**
 * lifeboat reveal DIR --as NAME ID FIELD --reason TEXT [--second MEMBER]:
 * one sealed field, logged before it prints; a two-person secret with the
 * second member's confirmation.
 */
import { LifeboatError } from '../../../shared/errors.js';
import { revealField } from '../../vault/vault-records.js';
import type { VaultSession } from '../../vault/vault-session.js';
import { COMMON_OPTIONS, printJson, requireOption, requirePositional, withSession, type CliContext } from '../cli-context.js';
import { secondPassphraseFrom } from '../passphrase-input.js';
import { defineVerb } from '../verb.js';

const USAGE = 'lifeboat reveal DIR --as NAME ID FIELD --reason TEXT [--second MEMBER [--second-passphrase-file F]]';

/**
 * `reveal --second MEMBER`: the reveal with the second person's confirmation.
 * The first member is already unlocked, so a wrong passphrase here is the
 * second person's: say so, or the first would think their own was refused.
 */
async function revealWithSecond(
  ctx: CliContext,
  session: VaultSession,
  input: { id: string; field: string; reason: string; second: string; passphraseFile: string | undefined },
): Promise<string> {
  const passphrase = await secondPassphraseFrom(ctx.env, input.passphraseFile, ctx.prompt, input.second);
  try {
    return await revealField(session, input.id, input.field, input.reason, { member: input.second, passphrase });
  } catch (error) {
    if (error instanceof LifeboatError && error.code === 'VAULT_AUTH_FAILED') {
      throw new LifeboatError('VAULT_AUTH_FAILED', `Wrong passphrase for ${input.second} (the second person), or no member of that name. Nothing was revealed.`);
    }
    throw error;
  }
}

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
    const value = await withSession(ctx, dir, values, USAGE, (session) =>
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
  },
});
