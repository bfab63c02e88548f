/**
 * Where Chromium is and how Lifeboat starts it, for both users of it: the
 * browser host (the app window without Electron) and the PDF printer (CLI and
 * browser host). Every flag keeps Chromium from reaching the network by
 * itself: Lifeboat makes no network call at run time.
 */

export const CHROMIUM_FLAGS = [
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--disable-default-apps',
  '--disable-extensions',
];

/** CHROME_PATH if set, else Debian's Chromium. */
export function chromiumPath(env: NodeJS.ProcessEnv): string {
  return env['CHROME_PATH'] ?? '/usr/bin/chromium';
}
