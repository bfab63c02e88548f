/**
 * Maps a request for one of our own URLs to a file of the built renderer.
 * Both hosts serve the app this way (Electron through its app:// protocol,
 * the browser host through request interception), so neither opens a port.
 */
import { isAbsolute, join, relative, sep } from 'node:path';
import { isOwnPage } from '../ipc/sender.js';

export const ELECTRON_APP_BASE_URL = 'app://lifeboat/';
/** `.invalid` can never resolve (RFC 2606), so a missed interception cannot reach a network. */
export const BROWSER_HOST_BASE_URL = 'https://lifeboat.invalid/';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export interface AppAsset {
  filePath: string;
  contentType: string;
}

function extensionOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') ? path.slice(dot).toLowerCase() : '';
}

/**
 * Returns the file behind `requestUrl`, or null when the URL is not ours, is
 * not a known file type, or would leave `rootDir` (e.g. `/../`, `%2e%2e`).
 */
export function resolveAppAsset(requestUrl: string, appBaseUrl: string, rootDir: string): AppAsset | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (!isOwnPage(requestUrl, appBaseUrl)) {
    return null;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) {
    return null;
  }
  const relativePath = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const filePath = join(rootDir, relativePath);
  const fromRoot = relative(rootDir, filePath);
  if (fromRoot === '' || fromRoot.startsWith('..' + sep) || fromRoot === '..' || isAbsolute(fromRoot)) {
    return null;
  }
  const contentType = CONTENT_TYPES[extensionOf(relativePath)];
  if (contentType === undefined) {
    return null;
  }
  return { filePath, contentType };
}
