/**
 * The desktop shell's way of choosing where files go (issue 15), in the real
 * window: the handlers are the Electron shell's (host "electron", with file
 * dialogs), the native dialog is scripted. The window shows no path field for
 * a write; the member's click opens main's dialog, and only its choice is
 * written. A script in the page that sends a path itself is refused.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PickPurpose } from '../../shared/destinations.js';
import { createHandlers } from '../../electron/ipc/handlers.js';
import { VaultService } from '../../electron/operations/vault-service.js';
import { startApp, type TestApp } from './harness.js';

const PASS = 'owner passphrase for dialogs';
let app: TestApp;
let vault: VaultService;
let work: string;
/** What the scripted dialog answers next (null: the member cancels), and what it was opened for. */
const answers: (string | null)[] = [];
const asked: PickPurpose[] = [];

beforeAll(async () => {
  process.env['LIFEBOAT_INSECURE_FAST_KDF'] = '1';
  work = mkdtempSync(join(tmpdir(), 'lifeboat-dialogs-'));
  vault = new VaultService(globalThis, join(work, 'demo.lifeboat'));
  const printPdf = (html: string): Promise<Uint8Array> => Promise.resolve(new TextEncoder().encode(`%PDF-stub ${html.length}`));
  const pickPath = (purpose: PickPurpose): Promise<string | null> => {
    asked.push(purpose);
    return Promise.resolve(answers.shift() ?? null);
  };
  app = await startApp({
    handlers: createHandlers({ facts: { host: 'electron', version: '0.0.0-test', packaged: false, platform: 'linux' }, vault, pickPath, printPdf }),
  });
});

afterAll(async () => {
  await vault.lock();
  await app.close();
});

describe('where files go in the desktop shell', () => {
  it('creates a vault in the folder main’s dialog chose; the form has no folder field', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Create a vault' }).click();
    expect(await page.getByLabel('Vault folder').count()).toBe(0);
    await page.getByLabel('Your name (you become the owner)').fill('alice');
    await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await page.getByLabel('Repeat the passphrase').fill(PASS);
    const dir = join(work, 'ops.lifeboat');
    answers.push(dir);
    await page.getByRole('button', { name: 'Create vault…' }).click();
    await page.getByTestId('session-bar').waitFor();
    expect(asked).toEqual(['new-vault']);
    expect(existsSync(join(dir, 'header.json'))).toBe(true);
  });

  it('exports the audit log where the save dialog chose, and nothing when it is cancelled', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Audit', exact: true }).click();
    await page.getByTestId('timeline').waitFor();
    // The desktop shell asks where with its save dialog: no path field.
    expect(await page.getByLabel('Export to file').count()).toBe(0);
    answers.push(null);
    await page.getByRole('button', { name: 'Export for governance…' }).click();
    await expect.poll(() => asked.length).toBe(2);
    expect(await page.getByTestId('exported').count()).toBe(0);
    expect(await page.getByTestId('error-banner').count()).toBe(0);

    const out = join(work, 'audit-export.json');
    answers.push(out);
    await page.getByRole('button', { name: 'Export for governance…' }).click();
    await expect.poll(() => page.getByTestId('exported').textContent()).toContain(out);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ format: 'lifeboat-audit-export' });
    expect(asked).toEqual(['new-vault', 'export', 'export']);
    await app.screenshot('dialog-audit-exported');
  });

  it('exports the emergency kit where the save dialog chose', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Members & settings' }).click();
    const kitCard = page.getByTestId('emergency-kit');
    expect(await kitCard.getByLabel('Save the kit as (PDF)').count()).toBe(0);
    const path = join(work, 'kit.pdf');
    answers.push(path);
    await kitCard.getByRole('button', { name: 'Export emergency kit (PDF)…' }).click();
    await expect.poll(() => kitCard.getByTestId('kit-written').textContent(), { timeout: 30_000 }).toContain(path);
    expect(readFileSync(path, 'utf8')).toMatch(/^%PDF-stub/);
  });

  it('refuses a script in the page that names the file itself, and writes nothing', async () => {
    const home = join(work, 'home');
    mkdirSync(home);
    const bashrc = join(home, '.bashrc');
    writeFileSync(bashrc, 'export PATH=~/bin:$PATH\n');
    const codes = await app.page.evaluate(
      async (paths) => {
        const api = window.lifeboat;
        const results = [];
        for (const path of paths) {
          results.push(await api?.invoke('audit:export', { to: { path } }));
          results.push(await api?.invoke('kit:export', { to: { path } }));
        }
        return results.map((r) => (r && !r.ok ? r.error.code : 'written'));
      },
      [bashrc, '/home/user/.bashrc'],
    );
    expect(codes).toEqual(['DESTINATION_NOT_CHOSEN', 'DESTINATION_NOT_CHOSEN', 'DESTINATION_NOT_CHOSEN', 'DESTINATION_NOT_CHOSEN']);
    expect(readFileSync(bashrc, 'utf8')).toBe('export PATH=~/bin:$PATH\n');
  });
});
