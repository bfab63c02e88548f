import { describe, expect, it } from 'vitest';
import { takeSecretEnvironment } from '../cli/secret-env.js';
import { childEnvironment, chromiumPath } from './chromium-runtime.js';

describe('what Chromium children inherit', () => {
  it('never a passphrase variable, and everything else as it was', () => {
    const env = {
      PATH: '/usr/bin',
      DISPLAY: ':0',
      LIFEBOAT_PASSPHRASE: 'alice correct horse',
      LIFEBOAT_NEW_PASSPHRASE: 'new one',
      LIFEBOAT_SECOND_PASSPHRASE: 'bob battery',
      LIFEBOAT_INSECURE_FAST_KDF: '1',
    };
    expect(childEnvironment(env)).toEqual({ PATH: '/usr/bin', DISPLAY: ':0', LIFEBOAT_INSECURE_FAST_KDF: '1' });
    expect(chromiumPath({ CHROME_PATH: '/opt/c' })).toBe('/opt/c');
  });

  it('the CLI takes passphrases out of the process environment and keeps its own copy', () => {
    const processEnv: NodeJS.ProcessEnv = { HOME: '/home/a', LIFEBOAT_PASSPHRASE: 'alice correct horse', LIFEBOAT_SECOND_PASSPHRASE: 'bob battery' };
    const kept = takeSecretEnvironment(processEnv);
    expect(processEnv).toEqual({ HOME: '/home/a' });
    expect(kept['LIFEBOAT_PASSPHRASE']).toBe('alice correct horse');
    expect(kept['LIFEBOAT_SECOND_PASSPHRASE']).toBe('bob battery');
  });
});
