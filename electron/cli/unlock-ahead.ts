/**
 * `lifeboat VERB DIR … --as NAME …` with LIFEBOAT_PASSPHRASE set: the
 * member's Argon2id starts before the verb's modules load, and they load
 * while it runs (issue #20; operations/unlock-ahead.ts). Only for the verbs
 * the table marks (verbs.ts `unlocksAhead`), whose usage starts `VERB DIR
 * --as NAME` (verbs.test.ts checks). The arguments are read without the
 * verb's option table, which has not loaded yet: a guess that is wrong (DIR
 * given after the options, a passphrase from a file or a prompt) starts
 * nothing or a derivation the unlock does not take; never a different unlock.
 */
import { unlockAhead } from '../operations/unlock-ahead.js';

/** The value of --as (`--as NAME` or `--as=NAME`) before any `--`. */
function asMember(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      return undefined;
    }
    if (arg === '--as') {
      return args[i + 1];
    }
    if (arg.startsWith('--as=')) {
      return arg.slice('--as='.length);
    }
  }
  return undefined;
}

/** The vault folder, member and passphrase the unlock will use, as far as the raw arguments say; null when they do not. */
export function unlockGuess(args: readonly string[], env: NodeJS.ProcessEnv): { dir: string; member: string; passphrase: string } | null {
  const [dir] = args;
  const member = asMember(args);
  const passphrase = env['LIFEBOAT_PASSPHRASE'];
  if (dir === undefined || dir.startsWith('-') || !member || member.startsWith('-') || passphrase === undefined || passphrase === '') {
    return null;
  }
  return { dir, member, passphrase };
}

/** Starts the unlock's Argon2id now when the arguments say enough; returns at once. */
export function startUnlockAhead(args: readonly string[], env: NodeJS.ProcessEnv): void {
  const guess = unlockGuess(args, env);
  if (guess) {
    void unlockAhead(guess.dir, guess.member, guess.passphrase);
  }
}
