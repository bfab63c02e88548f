/**
 * resolveAppAsset decides which file of the built renderer a request may read.
 * It is the only thing standing between a URL and the disk, so these tests pin
 * that it never resolves outside the root, whatever the encoding tricks.
 */
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BROWSER_HOST_BASE_URL, ELECTRON_APP_BASE_URL, resolveAppAsset, type AppAsset } from './app-assets.js';

const root = join(tmpdir(), 'lifeboat-renderer-under-test');

function expectInsideRoot(asset: AppAsset | null): asserts asset is AppAsset {
  expect(asset).not.toBeNull();
  if (asset === null) {
    return;
  }
  const fromRoot = relative(root, asset.filePath);
  expect(fromRoot).not.toBe('');
  expect(isAbsolute(fromRoot)).toBe(false);
  expect(fromRoot.split(sep)).not.toContain('..');
  expect(asset.filePath.startsWith(root + sep)).toBe(true);
}

const hosts = [
  { name: 'Electron shell', base: ELECTRON_APP_BASE_URL },
  { name: 'browser host', base: BROWSER_HOST_BASE_URL },
];

describe.each(hosts)('resolveAppAsset ($name, $base)', ({ base }) => {
  const origin = base.replace(/\/$/, '');
  const resolve = (path: string): AppAsset | null => resolveAppAsset(`${origin}${path}`, base, root);

  describe('what it serves', () => {
    it('serves index.html for the root URL, as HTML', () => {
      const asset = resolve('/');
      expectInsideRoot(asset);
      expect(asset).toEqual({ filePath: join(root, 'index.html'), contentType: 'text/html; charset=utf-8' });
    });

    it('serves a nested asset from the matching path under the root', () => {
      const asset = resolve('/assets/index-3f9a1c.js');
      expectInsideRoot(asset);
      expect(asset.filePath).toBe(join(root, 'assets', 'index-3f9a1c.js'));
    });

    it.each([
      ['/index.html', 'text/html; charset=utf-8'],
      ['/assets/app.js', 'text/javascript; charset=utf-8'],
      ['/assets/app.css', 'text/css; charset=utf-8'],
      ['/manifest.json', 'application/json'],
      ['/icons/logo.svg', 'image/svg+xml'],
      ['/icons/logo.png', 'image/png'],
      ['/favicon.ico', 'image/x-icon'],
      ['/fonts/inter.woff2', 'font/woff2'],
    ])('gives %s the content type %s', (path, contentType) => {
      const asset = resolve(path);
      expectInsideRoot(asset);
      expect(asset.contentType).toBe(contentType);
    });

    it('matches extensions case-insensitively (the type, not the path, is normalised)', () => {
      const asset = resolve('/assets/APP.JS');
      expectInsideRoot(asset);
      expect(asset.contentType).toBe('text/javascript; charset=utf-8');
      expect(asset.filePath).toBe(join(root, 'assets', 'APP.JS'));
    });

    it('ignores the query string and the fragment', () => {
      const asset = resolve('/index.html?next=../../etc/passwd#/../../secret');
      expectInsideRoot(asset);
      expect(asset.filePath).toBe(join(root, 'index.html'));
      expect(resolve('/?x=1')?.filePath).toBe(join(root, 'index.html'));
      expect(resolve('/#top')?.filePath).toBe(join(root, 'index.html'));
    });

    it('decodes ordinary percent-encoding in file names', () => {
      const asset = resolve('/assets/my%20file.css');
      expectInsideRoot(asset);
      expect(asset.filePath).toBe(join(root, 'assets', 'my file.css'));
    });

    it('collapses repeated leading slashes instead of treating the path as absolute', () => {
      const asset = resolve('//etc/passwd.html');
      expectInsideRoot(asset);
      expect(asset.filePath).toBe(join(root, 'etc', 'passwd.html'));
    });
  });

  describe('what it refuses: unknown file types', () => {
    it.each(['/tool.exe', '/LICENSE', '/assets/', '/vault.db', '/index.html.bak', '/script.mjs', '/page.htm', '/.env', '/assets/app.js.map'])(
      'refuses %s (no known content type)',
      (path) => {
        expect(resolve(path)).toBeNull();
      },
    );

    it('takes the extension from the file name, not from a dotted directory', () => {
      expect(resolve('/assets.html/payload')).toBeNull();
      expect(resolve('/v1.2/readme')).toBeNull();
    });
  });

  describe('what it refuses: other origins', () => {
    it('refuses a URL of another host', () => {
      expect(resolveAppAsset('https://evil.example/index.html', base, root)).toBeNull();
      expect(resolveAppAsset('app://evil/index.html', base, root)).toBeNull();
      expect(resolveAppAsset(`${origin}.evil.example/index.html`, base, root)).toBeNull();
    });

    it('refuses our host on another port', () => {
      expect(resolve(':8443/index.html')).toBeNull();
    });

    it('refuses URLs of other schemes', () => {
      for (const url of ['file:///index.html', 'data:text/html,<h1>hi</h1>', 'about:blank', 'javascript:alert(1)', 'blob:app://lifeboat/abc']) {
        expect(resolveAppAsset(url, base, root), url).toBeNull();
      }
    });

    it('refuses malformed URLs and a malformed base without throwing', () => {
      expect(resolveAppAsset('', base, root)).toBeNull();
      expect(resolveAppAsset('not a url', base, root)).toBeNull();
      expect(resolveAppAsset('/index.html', base, root)).toBeNull();
      expect(resolveAppAsset(`${origin}/index.html`, 'not a url', root)).toBeNull();
    });
  });

  describe('path traversal', () => {
    it('keeps /../secret.html inside the root (the URL parser drops the ..)', () => {
      const asset = resolve('/../secret.html');
      expectInsideRoot(asset);
      expect(asset.filePath).toBe(join(root, 'secret.html'));
    });

    it('keeps /../../../../etc/passwd.html inside the root', () => {
      const asset = resolve('/../../../../etc/passwd.html');
      expectInsideRoot(asset);
      expect(asset.filePath).toBe(join(root, 'etc', 'passwd.html'));
    });

    it.each(['/%2e%2e/secret.html', '/%2E%2E/secret.html', '/.%2e/secret.html', '/%2e./secret.html'])(
      'treats the encoded dot segment %s as .. of the URL, so it stays inside the root',
      (path) => {
        const asset = resolve(path);
        expectInsideRoot(asset);
        expect(asset.filePath).toBe(join(root, 'secret.html'));
      },
    );

    it('keeps /assets/%2e%2e/%2e%2e/x.html inside the root', () => {
      const asset = resolve('/assets/%2e%2e/%2e%2e/x.html');
      expectInsideRoot(asset);
      expect(asset.filePath).toBe(join(root, 'x.html'));
    });

    it.each([
      '/..%2fsecret.html',
      '/..%2Fsecret.html',
      '/%2e%2e%2fsecret.html',
      '/%2e%2e%2F%2e%2e%2Fsecret.html',
      '/assets%2F..%2F..%2Fsecret.html',
      '/assets/..%2F..%2Fsecret.html',
      '/assets/..%2F..%2F..%2F..%2Fetc%2Fpasswd.html',
    ])('refuses %s, whose encoded slashes would climb out of the root once decoded', (path) => {
      expect(resolve(path)).toBeNull();
    });

    it('allows an encoded-slash .. that stays within the root (it resolves inside, not out)', () => {
      const asset = resolve('/assets/..%2Fsecret.html');
      expectInsideRoot(asset);
      expect(asset.filePath).toBe(join(root, 'secret.html'));
    });

    it.each(['/assets%5C..%5C..%5Csecret.html', '/..%5Csecret.html', '/%5C%5Cserver%5Cshare%5Cx.html', '/a%5cb.html'])(
      'refuses %s (an encoded backslash, a path separator on Windows)',
      (path) => {
        expect(resolve(path)).toBeNull();
      },
    );

    it.each(['/index.html%00.png', '/x%00.html', '/%00', '/assets/%00/index.html', '/secret.html%00/x.png'])('refuses %s (an encoded NUL byte)', (path) => {
      expect(resolve(path)).toBeNull();
    });

    it.each(['/%E0%A4%A', '/%', '/%zz.html', '/index%2.html', '/%C0%AE%C0%AE/secret.html', '/%FF.html'])(
      'refuses %s (malformed percent-encoding) without throwing',
      (path) => {
        expect(() => resolve(path)).not.toThrow();
        expect(resolve(path)).toBeNull();
      },
    );
  });

  it('never resolves outside the root, whatever the request', () => {
    const attempts = [
      '/',
      '/..',
      '/../..',
      '/./index.html',
      '/assets/../index.html',
      '/assets/./../../x.js',
      '/%2e%2e/%2e%2e/x.js',
      '/..%2f..%2fx.js',
      '/assets/..%2fx.js',
      '/assets/sub/..%2f..%2fx.js',
      '/assets/sub/..%2f..%2f..%2fx.js',
      '/....//....//x.js',
      '/..../x.js',
      '/..html',
      '/...css',
      '/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fx.css',
      '/%2f%2fetc%2fpasswd.html',
      '/%2fetc%2fpasswd.html',
    ];
    for (const path of attempts) {
      const asset = resolve(path);
      if (asset !== null) {
        const fromRoot = relative(root, asset.filePath);
        expect(fromRoot.split(sep), path).not.toContain('..');
        expect(isAbsolute(fromRoot), path).toBe(false);
        expect(asset.filePath.startsWith(root + sep), path).toBe(true);
      }
    }
  });
});

describe('resolveAppAsset across hosts', () => {
  it('does not serve a browser-host URL on the Electron base, nor the reverse', () => {
    expect(resolveAppAsset('https://lifeboat.invalid/index.html', ELECTRON_APP_BASE_URL, root)).toBeNull();
    expect(resolveAppAsset('app://lifeboat/index.html', BROWSER_HOST_BASE_URL, root)).toBeNull();
  });

  it('refuses plain http for the browser host', () => {
    // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- test data: plain http must not be served
    expect(resolveAppAsset('http://lifeboat.invalid/index.html', BROWSER_HOST_BASE_URL, root)).toBeNull();
  });

  it('treats a literal backslash as the URL parser does: a slash for https, refused for app:', () => {
    const https = resolveAppAsset('https://lifeboat.invalid/assets\\app.js', BROWSER_HOST_BASE_URL, root);
    expectInsideRoot(https);
    expect(https.filePath).toBe(join(root, 'assets', 'app.js'));
    expect(resolveAppAsset('app://lifeboat/assets\\app.js', ELECTRON_APP_BASE_URL, root)).toBeNull();
    expect(resolveAppAsset('app://lifeboat/..\\..\\secret.html', ELECTRON_APP_BASE_URL, root)).toBeNull();
  });

  it('never serves the root directory itself for a bare ..', () => {
    // app://lifeboat/.. has an empty path (non-special URL): refused, not the directory.
    expect(resolveAppAsset('app://lifeboat/..', ELECTRON_APP_BASE_URL, root)).toBeNull();
    expect(resolveAppAsset('app://lifeboat/%2e%2e', ELECTRON_APP_BASE_URL, root)).toBeNull();
    // https://lifeboat.invalid/.. normalises to "/", which is index.html.
    expect(resolveAppAsset('https://lifeboat.invalid/..', BROWSER_HOST_BASE_URL, root)?.filePath).toBe(join(root, 'index.html'));
  });

  it('refuses URLs with credentials, as the IPC sender check does', () => {
    expect(resolveAppAsset('app://user:pw@lifeboat/index.html', ELECTRON_APP_BASE_URL, root)).toBeNull();
    expect(resolveAppAsset('https://user@lifeboat.invalid/index.html', BROWSER_HOST_BASE_URL, root)).toBeNull();
  });

  it('resolves under whichever root it is given', () => {
    const otherRoot = join(tmpdir(), 'another-root');
    expect(resolveAppAsset('app://lifeboat/index.html', ELECTRON_APP_BASE_URL, otherRoot)?.filePath).toBe(join(otherRoot, 'index.html'));
  });
});
