/**
 * Finds the Electron binary without triggering a download. The electron npm
 * package downloads its binary lazily when required; offline (and in CI with
 * ELECTRON_SKIP_BINARY_DOWNLOAD=1) that fails, so we read its path.txt
 * ourselves and check the file is there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(packageDir, 'path.txt');
  const relativeBinary = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  const candidate = override ? join(override, relativeBinary || 'electron') : relativeBinary ? join(packageDir, 'dist', relativeBinary) : null;
  return candidate !== null && existsSync(candidate) ? candidate : null;
}
