/**
 * Where this laptop keeps what it remembers of the vaults it opened (the
 * local anchor, docs/vault-format.md "Local anchor"): outside every vault
 * folder, so someone who can write to a vault folder (a USB stick, a shared
 * laptop's folder) but not to this user's profile cannot touch it.
 *
 * The Electron shell passes its own folder (`app.getPath('userData')`); the
 * command line and the browser host take the default below.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * `LIFEBOAT_STATE_DIR` if set; else the platform's place for an
 * application's state: `$XDG_STATE_HOME/lifeboat` (only an absolute path
 * counts, as the XDG spec says), else `~/.local/state/lifeboat`; on macOS
 * `~/Library/Application Support/Lifeboat`, on Windows `%LOCALAPPDATA%\Lifeboat`
 * (local, not roaming: it is this laptop's memory).
 */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  const explicit = env['LIFEBOAT_STATE_DIR'];
  if (explicit !== undefined && explicit !== '') {
    return resolve(explicit);
  }
  if (platform === 'darwin') {
    return join(home, 'Library', 'Application Support', 'Lifeboat');
  }
  if (platform === 'win32') {
    const local = env['LOCALAPPDATA'];
    return join(local !== undefined && isAbsolute(local) ? local : join(home, 'AppData', 'Local'), 'Lifeboat');
  }
  const xdg = env['XDG_STATE_HOME'];
  return join(xdg !== undefined && isAbsolute(xdg) ? xdg : join(home, '.local', 'state'), 'lifeboat');
}
