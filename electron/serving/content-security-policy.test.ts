/**
 * The Content-Security-Policy is the page's last line of defence if a bug ever
 * lets content in: no remote code, no inline script, no eval, no network. It is
 * stated twice (HTTP header and <meta> in index.html); these tests pin its
 * directives and catch any drift between the two copies.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, securityHeaders } from './content-security-policy.js';

type Directives = Map<string, string[]>;

/** Parses a policy the way browsers do: `;`-separated, first occurrence of a name wins. */
function parsePolicy(policy: string): { directives: Directives; duplicates: string[] } {
  const directives: Directives = new Map();
  const duplicates: string[] = [];
  for (const part of policy.split(';')) {
    const tokens = part
      .trim()
      .split(/\s+/)
      .filter((token) => token !== '');
    const [name, ...sources] = tokens;
    if (name === undefined) {
      continue;
    }
    const key = name.toLowerCase();
    if (directives.has(key)) {
      duplicates.push(key);
      continue;
    }
    directives.set(key, sources);
  }
  return { directives, duplicates };
}

function sourcesOf(directives: Directives, name: string): string[] {
  const sources = directives.get(name);
  expect(sources, `directive ${name} is present`).toBeDefined();
  return sources ?? [];
}

/** The CSP of the <meta http-equiv> tag(s) in an HTML document. */
function metaPolicies(html: string): string[] {
  const policies: string[] = [];
  for (const tag of html.match(/<meta\b[^>]*>/gi) ?? []) {
    const httpEquiv = /\bhttp-equiv\s*=\s*["']([^"']*)["']/i.exec(tag)?.[1];
    if (httpEquiv?.toLowerCase() !== 'content-security-policy') {
      continue;
    }
    const content = /\bcontent\s*=\s*"([^"]*)"/i.exec(tag)?.[1] ?? /\bcontent\s*=\s*'([^']*)'/i.exec(tag)?.[1];
    expect(content, 'the CSP meta tag has a content attribute').toBeDefined();
    policies.push(content ?? '');
  }
  return policies;
}

const { directives, duplicates } = parsePolicy(CONTENT_SECURITY_POLICY);

describe('CONTENT_SECURITY_POLICY', () => {
  it('states each directive once (browsers ignore a repeated one)', () => {
    expect(duplicates).toEqual([]);
  });

  it("defaults every fetch to 'none'", () => {
    expect(sourcesOf(directives, 'default-src')).toEqual(["'none'"]);
  });

  it("runs only the app's own script files: script-src is exactly 'self'", () => {
    const script = sourcesOf(directives, 'script-src');
    expect(script).toEqual(["'self'"]);
    for (const forbidden of [
      "'unsafe-inline'",
      "'unsafe-eval'",
      "'wasm-unsafe-eval'",
      "'unsafe-hashes'",
      "'strict-dynamic'",
      'http:',
      'https:',
      'data:',
      'blob:',
      '*',
    ]) {
      expect(script).not.toContain(forbidden);
    }
  });

  it('leaves no way around script-src through a more specific script directive', () => {
    for (const name of ['script-src-elem', 'script-src-attr', 'worker-src']) {
      const sources = directives.get(name);
      if (sources !== undefined) {
        expect(
          sources.every((source) => source === "'self'" || source === "'none'"),
          name,
        ).toBe(true);
      }
    }
  });

  it("allows no network at all from the page: connect-src 'none'", () => {
    expect(sourcesOf(directives, 'connect-src')).toEqual(["'none'"]);
  });

  it('cannot be framed, embed plugins, or rebase its URLs', () => {
    expect(sourcesOf(directives, 'frame-ancestors')).toEqual(["'none'"]);
    expect(sourcesOf(directives, 'object-src')).toEqual(["'none'"]);
    expect(sourcesOf(directives, 'base-uri')).toEqual(["'none'"]);
  });

  it('submits no forms anywhere', () => {
    expect(sourcesOf(directives, 'form-action')).toEqual(["'none'"]);
  });

  it("does not open frames: frame-src and child-src are not loosened beyond default-src 'none'", () => {
    for (const name of ['frame-src', 'child-src']) {
      const sources = directives.get(name);
      if (sources !== undefined) {
        expect(sources, name).toEqual(["'none'"]);
      }
    }
  });

  it('names no remote scheme or host in any directive', () => {
    for (const [name, sources] of directives) {
      for (const source of sources) {
        // Allowed: the two keywords, and data: (for inlined images only, checked below).
        expect(["'self'", "'none'", 'data:'], `${name} ${source}`).toContain(source);
        expect(source, `${name} ${source}`).not.toMatch(/^(https?|wss?|ftp|file|blob|filesystem):|\*|\/\/|\./i);
      }
    }
  });

  it('allows data: URLs only for images', () => {
    const withData = [...directives].filter(([, sources]) => sources.includes('data:')).map(([name]) => name);
    expect(withData).toEqual(['img-src']);
  });

  it('uses only directive names browsers know (a typo would silently drop a restriction)', () => {
    const known = new Set([
      'default-src',
      'script-src',
      'script-src-elem',
      'script-src-attr',
      'style-src',
      'style-src-elem',
      'style-src-attr',
      'img-src',
      'font-src',
      'connect-src',
      'media-src',
      'object-src',
      'frame-src',
      'child-src',
      'worker-src',
      'manifest-src',
      'base-uri',
      'form-action',
      'frame-ancestors',
      'upgrade-insecure-requests',
      'require-trusted-types-for',
      'trusted-types',
      'sandbox',
    ]);
    for (const name of directives.keys()) {
      expect(known.has(name), name).toBe(true);
    }
  });
});

describe('renderer/index.html <meta> CSP', () => {
  const html = readFileSync(join(process.cwd(), 'renderer', 'index.html'), 'utf8');
  const policies = metaPolicies(html);

  it('has exactly one Content-Security-Policy meta tag', () => {
    expect(policies).toHaveLength(1);
  });

  it('places the CSP meta tag before any script or stylesheet, so it applies to them', () => {
    const metaAt = html.search(/<meta\b[^>]*http-equiv\s*=\s*["']content-security-policy["']/i);
    const firstResource = html.search(/<(script|link)\b/i);
    expect(metaAt).toBeGreaterThanOrEqual(0);
    expect(firstResource).toBeGreaterThan(metaAt);
  });

  it('matches CONTENT_SECURITY_POLICY directive for directive, except frame-ancestors (ignored in <meta>)', () => {
    const meta = parsePolicy(policies[0] ?? '');
    expect(meta.duplicates).toEqual([]);
    const expected = new Map(directives);
    expected.delete('frame-ancestors');
    // Compare as sorted entries so the failure message shows the drifted directive.
    const entries = (map: Directives): [string, string[]][] => [...map].sort(([a], [b]) => a.localeCompare(b));
    expect(entries(meta.directives)).toEqual(entries(expected));
  });

  it('does not carry frame-ancestors (browsers ignore it in <meta>; the header enforces it)', () => {
    expect(parsePolicy(policies[0] ?? '').directives.has('frame-ancestors')).toBe(false);
  });

  it('contains no inline script the CSP would have to allow', () => {
    for (const tag of html.match(/<script\b[^>]*>[\s\S]*?<\/script>/gi) ?? []) {
      expect(tag, tag).toMatch(/\bsrc\s*=/i);
      expect(
        tag
          .replace(/^<script\b[^>]*>/i, '')
          .replace(/<\/script>$/i, '')
          .trim(),
      ).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  });
});

describe('securityHeaders()', () => {
  const headers = securityHeaders();

  it('sends the CSP as a header, identical to CONTENT_SECURITY_POLICY', () => {
    expect(headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('forbids MIME sniffing, so a file is only ever run as its declared type', () => {
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
  });

  it('sends no referrer', () => {
    expect(headers['Referrer-Policy']).toBe('no-referrer');
  });

  it('isolates the browsing context from any opener', () => {
    expect(headers['Cross-Origin-Opener-Policy']).toBe('same-origin');
    expect(headers['Cross-Origin-Resource-Policy']).toBe('same-origin');
  });

  it('disables powerful features through Permissions-Policy', () => {
    const policy = headers['Permissions-Policy'] ?? '';
    for (const feature of ['camera', 'microphone', 'geolocation', 'usb', 'serial', 'hid']) {
      expect(policy, feature).toContain(`${feature}=()`);
    }
  });

  it('does not set Content-Type itself (each host adds the asset type after spreading these)', () => {
    expect(Object.keys(headers).map((name) => name.toLowerCase())).not.toContain('content-type');
  });

  it('returns a fresh object each call, so one response cannot alter the next', () => {
    const first = securityHeaders();
    first['Content-Security-Policy'] = '*';
    delete first['X-Content-Type-Options'];
    const second = securityHeaders();
    expect(second['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(second['X-Content-Type-Options']).toBe('nosniff');
  });
});
