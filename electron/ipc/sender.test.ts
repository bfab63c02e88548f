/**
 * The sender check is the router's first line of defence: only the main frame
 * of our own page may call into main. These tests pin what counts as "our own
 * page" for both hosts, and the tricks that must not pass for it.
 */
import { describe, expect, it } from 'vitest';
import { BROWSER_HOST_BASE_URL, ELECTRON_APP_BASE_URL } from '../serving/app-assets.js';
import { isOwnPage, isTrustedSender } from './sender.js';

interface HostCase {
  name: string;
  base: string;
  /** A page of ours under that base. */
  page: string;
}

const hosts: HostCase[] = [
  { name: 'Electron shell (app://)', base: ELECTRON_APP_BASE_URL, page: 'app://lifeboat/index.html' },
  { name: 'browser host (https://lifeboat.invalid)', base: BROWSER_HOST_BASE_URL, page: 'https://lifeboat.invalid/index.html' },
];

describe.each(hosts)('isOwnPage for the $name', ({ base, page }) => {
  const origin = base.replace(/\/$/, '');

  it('accepts the base URL itself and any path, query or fragment under it', () => {
    expect(isOwnPage(base, base)).toBe(true);
    expect(isOwnPage(page, base)).toBe(true);
    expect(isOwnPage(`${origin}/assets/index-abc123.js`, base)).toBe(true);
    expect(isOwnPage(`${origin}/index.html?tab=contacts#row-3`, base)).toBe(true);
    expect(isOwnPage(origin, base)).toBe(true);
  });

  it('refuses the empty string and malformed URLs without throwing', () => {
    for (const url of ['', ' ', 'not a url', 'lifeboat', '/index.html', '//lifeboat/index.html', 'https://[::1', 'https://exa mple.com/']) {
      expect(isOwnPage(url, base), url).toBe(false);
    }
  });

  it('refuses everything when the base URL itself is malformed', () => {
    expect(isOwnPage(page, '')).toBe(false);
    expect(isOwnPage(page, 'not a url')).toBe(false);
  });

  it('refuses pages with userinfo, even when the host matches', () => {
    const [scheme, rest] = origin.split('://') as [string, string];
    for (const url of [`${scheme}://user@${rest}/`, `${scheme}://user:secret@${rest}/`, `${scheme}://:secret@${rest}/`]) {
      expect(isOwnPage(url, base), url).toBe(false);
    }
  });

  it('refuses schemes that can carry arbitrary content', () => {
    for (const url of [
      'about:blank',
      'about:srcdoc',
      'data:text/html,<script>alert(1)</script>',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'file:///',
      `blob:${origin}/2b8c9f1e-1111-4222-8333-944445555666`,
      'chrome://settings/',
      'devtools://devtools/bundled/inspector.html',
    ]) {
      expect(isOwnPage(url, base), url).toBe(false);
    }
  });

  it('refuses the same host on a non-default port', () => {
    const [scheme, rest] = origin.split('://') as [string, string];
    expect(isOwnPage(`${scheme}://${rest}:8443/index.html`, base)).toBe(false);
    expect(isOwnPage(`${scheme}://${rest}:1/index.html`, base)).toBe(false);
  });

  it('refuses a host that only ends with a dot (a different host name)', () => {
    const [scheme, rest] = origin.split('://') as [string, string];
    expect(isOwnPage(`${scheme}://${rest}./index.html`, base)).toBe(false);
  });
});

describe('isOwnPage against the browser host base (https://lifeboat.invalid/)', () => {
  const base = BROWSER_HOST_BASE_URL;

  it('refuses the same host over another scheme', () => {
    // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- test data: plain http must be refused
    expect(isOwnPage('http://lifeboat.invalid/', base)).toBe(false);
    expect(isOwnPage('wss://lifeboat.invalid/', base)).toBe(false);
    expect(isOwnPage('app://lifeboat.invalid/', base)).toBe(false);
  });

  it('refuses userinfo tricks that put our host name before the @', () => {
    expect(isOwnPage('https://lifeboat.invalid@evil.example/', base)).toBe(false);
    expect(isOwnPage('https://lifeboat.invalid:443@evil.example/', base)).toBe(false);
  });

  it('refuses our URL smuggled into the query or fragment of another host', () => {
    expect(isOwnPage('https://evil.example/?https://lifeboat.invalid/', base)).toBe(false);
    expect(isOwnPage('https://evil.example/#https://lifeboat.invalid/', base)).toBe(false);
    expect(isOwnPage('https://evil.example/https://lifeboat.invalid/', base)).toBe(false);
  });

  it('refuses lookalike hosts', () => {
    for (const url of [
      'https://lifeboat.invalid.evil.example/',
      'https://evil-lifeboat.invalid/',
      'https://sub.lifeboat.invalid/',
      'https://lifeboat.invalid-evil.example/',
      'https://lifeboat.valid/',
      'https://lifeboat/',
    ]) {
      expect(isOwnPage(url, base), url).toBe(false);
    }
  });

  it('accepts the spellings the URL parser canonicalises to our host (default port, case)', () => {
    // These are the same origin as ours, so accepting them is correct.
    expect(isOwnPage('https://lifeboat.invalid:443/index.html', base)).toBe(true);
    expect(isOwnPage('HTTPS://LIFEBOAT.INVALID/index.html', base)).toBe(true);
  });
});

describe('isOwnPage against the Electron base (app://lifeboat/)', () => {
  const base = ELECTRON_APP_BASE_URL;

  it('refuses the same host name over another scheme', () => {
    expect(isOwnPage('https://lifeboat/', base)).toBe(false);
    // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- test data: plain http must be refused
    expect(isOwnPage('http://lifeboat/', base)).toBe(false);
    expect(isOwnPage('file://lifeboat/index.html', base)).toBe(false);
    expect(isOwnPage('apps://lifeboat/', base)).toBe(false);
  });

  it('refuses other hosts under the app scheme', () => {
    for (const url of ['app://evil/', 'app://lifeboat.evil.example/', 'app://lifeboatx/', 'app://lifeboat@evil/', 'app://evil/?app://lifeboat/']) {
      expect(isOwnPage(url, base), url).toBe(false);
    }
  });

  it('refuses app: URLs that have no host at all', () => {
    for (const url of ['app:lifeboat/index.html', 'app:/lifeboat/index.html', 'app:///index.html']) {
      expect(isOwnPage(url, base), url).toBe(false);
    }
  });

  it('does not confuse the two hosts: a browser-host page is not an Electron page and vice versa', () => {
    expect(isOwnPage('https://lifeboat.invalid/index.html', ELECTRON_APP_BASE_URL)).toBe(false);
    expect(isOwnPage('app://lifeboat/index.html', BROWSER_HOST_BASE_URL)).toBe(false);
  });
});

describe('isOwnPage with a base that has no host', () => {
  it('refuses even an identical host-less URL (an empty host is never "ours")', () => {
    expect(isOwnPage('file:///index.html', 'file:///')).toBe(false);
    expect(isOwnPage('app:///index.html', 'app:///')).toBe(false);
  });
});

describe.each(hosts)('isTrustedSender for the $name', ({ base, page }) => {
  it('trusts the main frame of our own page', () => {
    expect(isTrustedSender({ url: page, isMainFrame: true }, base)).toBe(true);
  });

  it('refuses a subframe even when it shows our own page', () => {
    expect(isTrustedSender({ url: page, isMainFrame: false }, base)).toBe(false);
  });

  it('refuses a main frame that was navigated somewhere else', () => {
    expect(isTrustedSender({ url: 'https://evil.example/', isMainFrame: true }, base)).toBe(false);
    expect(isTrustedSender({ url: 'about:blank', isMainFrame: true }, base)).toBe(false);
    expect(isTrustedSender({ url: 'data:text/html,hi', isMainFrame: true }, base)).toBe(false);
  });

  it('refuses a sender whose frame URL is unknown (empty string)', () => {
    expect(isTrustedSender({ url: '', isMainFrame: true }, base)).toBe(false);
    expect(isTrustedSender({ url: '', isMainFrame: false }, base)).toBe(false);
  });

  it('refuses a foreign subframe', () => {
    expect(isTrustedSender({ url: 'https://evil.example/', isMainFrame: false }, base)).toBe(false);
  });
});
