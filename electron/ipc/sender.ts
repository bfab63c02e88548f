/**
 * Who may call the router: only the main frame of our own page. Electron's
 * checklist asks IPC handlers to validate the sender; an iframe or a page
 * that was somehow navigated elsewhere must get nothing.
 */
export interface SenderInfo {
  /** URL of the frame that sent the request. */
  url: string;
  isMainFrame: boolean;
}

/**
 * Compares scheme and host rather than `URL.origin`: Node's URL parser
 * reports the origin of custom schemes such as `app://` as "null".
 */
export function isOwnPage(url: string, appBaseUrl: string): boolean {
  let parsed: URL;
  let base: URL;
  try {
    parsed = new URL(url);
    base = new URL(appBaseUrl);
  } catch {
    return false;
  }
  return parsed.protocol === base.protocol && parsed.host === base.host && parsed.username === '' && parsed.password === '' && parsed.host !== '';
}

export function isTrustedSender(sender: SenderInfo, appBaseUrl: string): boolean {
  return sender.isMainFrame && isOwnPage(sender.url, appBaseUrl);
}
