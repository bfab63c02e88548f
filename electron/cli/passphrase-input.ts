/**
 * Where the CLI gets passphrases: LIFEBOAT_PASSPHRASE, else --passphrase-file,
 * else a prompt on a terminal that does not echo; a new one from
 * LIFEBOAT_NEW_PASSPHRASE or asked twice; the second person's of a two-person
 * reveal from its own variable, file or prompt. Never from a plain option:
 * command lines end up in shell history and `ps`.
 */
import { prepareUnlock, prewarmKdf } from '../operations/vault-access.js';
import { readFile } from 'node:fs/promises';
import { LifeboatError } from '../../shared/errors.js';
import type { PromptIo } from './terminal-prompt.js';

export type { PromptIo };

function stripNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

export async function passphraseFrom(env: NodeJS.ProcessEnv, file: string | undefined, prompt: PromptIo, who: string): Promise<string> {
  // Argon2id's worker loads libsodium while the passphrase is read.
  prewarmKdf();
  const fromEnv = env['LIFEBOAT_PASSPHRASE'];
  if (fromEnv !== undefined && fromEnv !== '') {
    return fromEnv;
  }
  if (file) {
    try {
      return stripNewline(await readFile(file, 'utf8'));
    } catch {
      throw new LifeboatError('CLI_USAGE', `Could not read the passphrase file ${file}.`);
    }
  }
  if (!prompt.isTty) {
    throw new LifeboatError('CLI_USAGE', 'No passphrase: set LIFEBOAT_PASSPHRASE, pass --passphrase-file, or run in a terminal.');
  }
  // Only a person typing leaves time to warm the engine up (warm-up.ts); a
  // passphrase from the environment or a file goes straight to Argon2id.
  prepareUnlock();
  return prompt.readHidden(`Passphrase for ${who}: `);
}

/** A new passphrase (new member, passwd): LIFEBOAT_NEW_PASSPHRASE, else asked twice on a terminal. */
export async function newPassphraseFrom(env: NodeJS.ProcessEnv, prompt: PromptIo, who: string): Promise<string> {
  const fromEnv = env['LIFEBOAT_NEW_PASSPHRASE'];
  if (fromEnv !== undefined && fromEnv !== '') {
    return fromEnv;
  }
  if (!prompt.isTty) {
    throw new LifeboatError(
      'CLI_USAGE',
      `No passphrase for ${who}: set LIFEBOAT_NEW_PASSPHRASE (or LIFEBOAT_PASSPHRASE when creating a vault), or run in a terminal.`,
    );
  }
  const first = await prompt.readHidden(`New passphrase for ${who}: `);
  const second = await prompt.readHidden('Repeat it: ');
  if (first !== second) {
    throw new LifeboatError('VAULT_BAD_INPUT', 'The two passphrases differ; nothing was changed.');
  }
  return first;
}

/**
 * The second person's passphrase for a two-person reveal: LIFEBOAT_SECOND_PASSPHRASE,
 * else --second-passphrase-file, else a no-echo prompt on a terminal. Never the
 * first person's LIFEBOAT_PASSPHRASE: two people means two secrets.
 */
export async function secondPassphraseFrom(env: NodeJS.ProcessEnv, file: string | undefined, prompt: PromptIo, member: string): Promise<string> {
  const fromEnv = env['LIFEBOAT_SECOND_PASSPHRASE'];
  if (fromEnv !== undefined && fromEnv !== '') {
    return fromEnv;
  }
  if (file !== undefined) {
    try {
      return stripNewline(await readFile(file, 'utf8'));
    } catch {
      throw new LifeboatError('CLI_USAGE', `Could not read the second passphrase file ${file}.`);
    }
  }
  if (!prompt.isTty) {
    throw new LifeboatError(
      'CLI_USAGE',
      `No passphrase for ${member}, the second person: set LIFEBOAT_SECOND_PASSPHRASE, pass --second-passphrase-file, or run in a terminal.`,
    );
  }
  return prompt.readHidden(`Passphrase for ${member} (second person, confirming the reveal): `);
}
