/**
 * Where the package's own files are at run time. Compiled code lives in
 * dist/node/electron/, sources in electron/ (tests), and a packaged app in
 * app.asar/dist/node/electron/: in every case the package root is the first
 * folder above with Lifeboat's package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

interface PackageJson {
  name?: string;
  version?: string;
}

function readPackageJson(dir: string): PackageJson | undefined {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) {
    return undefined;
  }
  return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
}

let cachedRoot: string | undefined;

export function packageRoot(): string {
  if (cachedRoot !== undefined) {
    return cachedRoot;
  }
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    if (readPackageJson(dir)?.name === 'lifeboat') {
      cachedRoot = dir;
      return dir;
    }
    if (dirname(dir) === dir) {
      throw new Error(`Lifeboat's package.json was not found above ${import.meta.dirname}`);
    }
  }
}

export function appVersion(): string {
  return readPackageJson(packageRoot())?.version ?? '0.0.0';
}

/** The built renderer (index.html and assets), served to both hosts. */
export function rendererDir(): string {
  return join(packageRoot(), 'dist', 'renderer');
}

/** The bundled preload script (one file: sandboxed preloads cannot require ours). */
export function preloadPath(): string {
  return join(packageRoot(), 'dist', 'preload', 'preload.cjs');
}
