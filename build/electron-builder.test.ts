/**
 * The packaging config cannot be exercised here (electron-builder downloads
 * Electron), so these tests pin the security-relevant settings it must keep.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface BuilderConfig {
  asar: boolean;
  files: string[];
  electronFuses: Record<string, boolean>;
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[]; hardenedRuntime: boolean };
}

const config = JSON.parse(readFileSync('build/electron-builder.json', 'utf8')) as BuilderConfig;

describe('electron-builder config', () => {
  it('flips every fuse the security checklist asks for', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs the app into an ASAR (required by the integrity and load-from-ASAR fuses)', () => {
    expect(config.asar).toBe(true);
  });

  it('ships the built app but not source maps', () => {
    expect(config.files).toContain('dist/**/*');
    expect(config.files).toContain('!dist/**/*.map');
  });

  it('targets Linux AppImage and deb, Windows NSIS and macOS dmg', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.win.target).toContain('nsis');
    expect(config.mac.target).toContain('dmg');
    expect(config.mac.hardenedRuntime).toBe(true);
  });

  it('points at a main entry that the build produces', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/node/electron/app/main.js');
  });
});
