/**
 * lifeboat init DIR --as NAME: a new vault, NAME its owner.
 */
import { createVault, insecureFastKdfRequested } from '../../operations/vault-access.js';
import { COMMON_OPTIONS, INSECURE_KDF_WARNING, printJson, printSessionNotes, requireOption, requirePositional } from '../cli-context.js';
import { newPassphraseFrom, passphraseFrom } from '../passphrase-input.js';
import { defineVerb } from '../verb.js';

const USAGE = 'lifeboat init DIR --as NAME [--name VAULT_NAME]';

export const initVerb = defineVerb({
  name: 'init',
  group: 'vault',
  summary: 'create a vault in a new folder; the acting member becomes its owner',
  usage: [{ line: 'init DIR --as NAME [--name VAULT_NAME]', note: 'create a vault; NAME becomes its owner' }],
  options: {
    ...COMMON_OPTIONS,
    as: { type: 'string', value: 'NAME', help: 'the owner: the first member' },
    'passphrase-file': { type: 'string', value: 'F', help: "read the owner's passphrase from F (else LIFEBOAT_PASSPHRASE, else asked twice)" },
    name: { type: 'string', value: 'VAULT_NAME', help: "the vault's name, shown on the unlock screen (the folder's name without .lifeboat unless given)" },
  },
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    const owner = requireOption(values.as, 'as', USAGE);
    // A new vault takes the new-passphrase path first (asked twice on a terminal).
    const passphrase =
      ctx.env['LIFEBOAT_PASSPHRASE'] || values['passphrase-file']
        ? await passphraseFrom(ctx.env, values['passphrase-file'], ctx.prompt, owner)
        : await newPassphraseFrom(ctx.env, ctx.prompt, owner);
    const insecure = insecureFastKdfRequested(ctx.env);
    const session = await createVault(dir, {
      owner,
      passphrase,
      insecureFastKdf: insecure,
      breakLock: values['break-lock'],
      ...(values.name ? { name: values.name } : {}),
    });
    const vaultId = session.vaultId;
    const name = session.header.name;
    await session.lock();
    if (insecure) {
      ctx.io.err(INSECURE_KDF_WARNING);
    }
    printSessionNotes(ctx, session);
    if (values.json) {
      printJson(ctx, { vaultId, name, dir, owner });
    } else {
      ctx.io.out(`Created vault "${name}" (${vaultId}) at ${dir}; ${owner} is its owner.\n`);
    }
    return 0;
  },
});
