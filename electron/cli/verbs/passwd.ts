/**
 * lifeboat passwd DIR --as NAME: the acting member's new passphrase.
 */
import { changePassphrase } from '../../operations/vault-access.js';
import { COMMON_OPTIONS, requireOption, requirePositional, withSession } from '../cli-context.js';
import { newPassphraseFrom, passphraseFrom } from '../passphrase-input.js';
import { defineVerb } from '../verb.js';

const LINE = 'passwd DIR --as NAME';
const USAGE = `lifeboat ${LINE}`;

export const passwdVerb = defineVerb({
  name: 'passwd',
  group: 'vault',
  summary: "change the acting member's passphrase",
  usage: [{ line: LINE, note: 'new passphrase from LIFEBOAT_NEW_PASSPHRASE or a prompt' }],
  options: COMMON_OPTIONS,
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    const member = requireOption(values.as, 'as', USAGE);
    const current = await passphraseFrom(ctx.env, values['passphrase-file'], ctx.prompt, member);
    const next = await newPassphraseFrom(ctx.env, ctx.prompt, member);
    await withSession(ctx, dir, values, USAGE, (session) => changePassphrase(session, current, next));
    ctx.io.out(values.json ? `${JSON.stringify({ changed: member })}\n` : `Passphrase changed for ${member}.\n`);
    return 0;
  },
});
