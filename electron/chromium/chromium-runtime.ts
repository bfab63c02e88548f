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

/** Environment variables that carry a passphrase (the CLI reads them once; docs/security.md). */
export function isSecretVariable(name: string): boolean {
  return /^LIFEBOAT_.*PASSPHRASE$/.test(name);
}

/**
 * The environment a Chromium child gets: ours, less every variable that
 * carries a passphrase, so no renderer or GPU process (nor a crash dump of
 * one) holds it.
 */
export function childEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !isSecretVariable(name)) {
      clean[name] = value;
    }
  }
  return clean;
}
