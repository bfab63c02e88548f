/**
 * Passphrases given in the environment (LIFEBOAT_PASSPHRASE and friends) are
 * read once, at start: the CLI keeps its own copy and deletes them from
 * process.env, so nothing it starts later (Chromium for a PDF) or any code
 * reading process.env sees them.
 */
import { isSecretVariable } from '../chromium/chromium-runtime.js';

/** A copy of `env` for the CLI to read from; the secret variables are deleted from `env` itself. */
export function takeSecretEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const name of Object.keys(env)) {
    if (isSecretVariable(name)) {
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- removing exactly the variables that hold passphrases
      delete env[name];
    }
  }
  return copy;
}
