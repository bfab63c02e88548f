/**
 * Issue 21 through the real window in the browser host:
 * - after unlock (never before) the home screen says which break-glass
 *   credentials need attention in one line, which opens the list;
 * - a secret is added with a one-time-code seed pasted as an otpauth:// URI;
 *   "Show code…" asks for a reason, main logs "code generated" first, and
 *   the code shows with its countdown, the next code and the laptop's clock;
 * - a seed is read from a QR image chosen in the editor;
 * - "Mark rotated" clears the home screen's line.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from '../../electron/vault/audit/vault-audit.js';
import { createRecord } from '../../electron/operations/records.js';
import { createVault } from '../../electron/vault/vault-open.js';
import { qrPng } from '../support/qr-images.js';
import { screenshotsAtBothSizes, seriousA11yViolations, startApp, unlockInWindow, type TestApp } from './harness.js';

const PASS = 'correct horse battery staple';
const SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
let dir: string;
let app: TestApp;

beforeAll(async () => {
  dir = join(mkdtempSync(join(tmpdir(), 'lifeboat-otp-e2e-')), 'ops.lifeboat');
  const session = await createVault(dir, { owner: 'alice', passphrase: PASS, insecureFastKdf: true, name: 'Ops recovery' });
  const registrar = await createRecord(session, {
    type: 'secret',
    title: 'Registrar admin',
    data: { password: 'reg-pw', rotateEveryDays: 90, lastRotated: '2025-01-10' },
  });
  await createRecord(session, { type: 'procedure', title: 'Move DNS away', data: { secrets: [registrar.id], body: '1. Log in to the registrar.' } });
  await session.lock();
  app = await startApp();
}, 60_000);

afterAll(async () => {
  await app.close();
});

describe('one-time codes and rotation in the window', () => {
  it('says nothing before unlock, then shows the one-line summary that opens the list', async () => {
    const { page } = app;
    await page.getByLabel('Vault folder').waitFor();
    expect(await page.content()).not.toContain('overdue');
    await unlockInWindow(app, dir, 'alice', PASS);
    const line = page.getByTestId('secret-attention');
    await expect.poll(() => line.textContent(), { timeout: 10_000 }).toBe('1 break-glass credential overdue');
    await line.getByRole('button', { name: '1 break-glass credential overdue' }).click();
    await expect
      .poll(() => page.getByTestId('secret-attention-list').textContent())
      .toContain('The break-glass credential "Registrar admin" was last rotated 2025-01-10');
    await screenshotsAtBothSizes(app, 'home-secret-attention', line);
    expect(await seriousA11yViolations(app)).toEqual([]);
  }, 90_000);

  it('adds a secret from an otpauth:// URI and shows a code after a logged reason, with its countdown', async () => {
    const { page } = app;
    await page.getByRole('button', { name: '+ New record' }).click();
    await page.getByLabel('Type', { exact: true }).selectOption('secret');
    await page.getByLabel('Title', { exact: true }).fill('Entra break-glass admin');
    await page.getByLabel('One-time code (otpauth:// URI or Base32 secret)').fill(`otpauth://totp/Entra:bg-admin?secret=${SEED}&issuer=Entra&digits=8`);
    await page.getByLabel('Emergency account (disable after use)').check();
    await page.getByRole('button', { name: 'Create record' }).click();
    await expect.poll(() => page.locator('#record-title').textContent()).toBe('Entra break-glass admin');
    expect(await page.content()).not.toContain(SEED);

    const field = page.getByTestId('code-totp');
    await field.getByRole('button', { name: 'Show code…' }).click();
    await field.getByLabel(/Why do you need a code/).fill('INC-51: SSO is down');
    await screenshotsAtBothSizes(app, 'one-time-code-reason', field);
    await field.getByRole('button', { name: 'Log and show code' }).click();
    const code = field.getByTestId('otp-code');
    await expect.poll(() => code.textContent()).toMatch(/^\d{4} \d{4}$/);
    const countdown = field.getByTestId('otp-countdown');
    expect(await countdown.textContent()).toMatch(/^valid \d+ s more · next \d{4} \d{4}$/);
    const secondsOf = async (): Promise<number> => Number(/valid (\d+) s/.exec((await countdown.textContent()) ?? '')?.[1]);
    const first = await secondsOf();
    // It counts down in the window, without asking main again.
    await expect.poll(secondsOf, { timeout: 5_000 }).not.toBe(first);
    expect(await field.getByTestId('otp-clock').textContent()).toMatch(/^Laptop clock \(UTC\): \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(await field.getByTestId('clock-warning').count()).toBe(0);
    const events = auditEntries(app.vault.current()).filter((e) => e.event.type === 'code.generated');
    expect(events.at(-1)?.event).toMatchObject({ recordTitle: 'Entra break-glass admin', field: 'totp', reason: 'INC-51: SSO is down' });
    expect(await page.content()).not.toContain(SEED);
    await screenshotsAtBothSizes(app, 'one-time-code-shown', field);
    expect(await seriousA11yViolations(app)).toEqual([]);
  }, 90_000);

  it('reads a seed from a QR image chosen in the editor', async () => {
    const { page } = app;
    await page.getByRole('button', { name: '+ New record' }).click();
    await page.getByLabel('Type', { exact: true }).selectOption('secret');
    await page.getByLabel('Title', { exact: true }).fill('AWS root MFA');
    await page.getByTestId('qr-seed-file').setInputFiles({
      name: 'aws-mfa.png',
      mimeType: 'image/png',
      buffer: qrPng(`otpauth://totp/AWS:root?secret=${SEED}&issuer=AWS`),
    });
    await expect
      .poll(() => page.getByTestId('qr-seed-status').textContent())
      .toBe('Read a TOTP seed for AWS: root from aws-mfa.png. It is stored sealed when you save.');
    await screenshotsAtBothSizes(app, 'one-time-code-qr-read', page.getByTestId('qr-seed-status'));
    await page.getByRole('button', { name: 'Create record' }).click();
    await expect.poll(() => page.locator('#record-title').textContent()).toBe('AWS root MFA');
    expect(await page.getByTestId('code-totp').count()).toBe(1);
  }, 90_000);

  it('"Mark rotated" is logged and clears its part of the home screen’s line', async () => {
    const { page } = app;
    // Back to the home screen: Esc closes the record once focus is out of the form.
    await page.locator('#record-title').focus();
    await page.keyboard.press('Escape');
    await page.getByTestId('incident-home').waitFor();
    const line = page.getByTestId('secret-attention');
    // The emergency account whose code was shown now asks to be confirmed disabled, too.
    await expect.poll(() => line.textContent(), { timeout: 15_000 }).toBe('1 break-glass credential overdue, 1 secret used and not confirmed disabled');
    await line.getByRole('button', { name: /overdue/ }).click();
    await line.getByRole('listitem').filter({ hasText: 'Registrar admin' }).getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.locator('#record-title').textContent()).toBe('Registrar admin');
    await page.getByRole('button', { name: 'Mark rotated…' }).click();
    await page.getByLabel(/What was done/).fill('New password set at the registrar');
    await page.getByRole('button', { name: 'Log that it was changed at its source' }).click();
    await expect.poll(() => page.getByTestId('upkeep-done').textContent()).toContain('marked rotated');
    expect(auditEntries(app.vault.current()).some((e) => e.event.type === 'secret.rotated' && e.event.recordTitle === 'Registrar admin')).toBe(true);
    await page.locator('#record-title').focus();
    await page.keyboard.press('Escape');
    await page.getByTestId('incident-home').waitFor();
    await expect.poll(() => page.getByTestId('secret-attention').textContent(), { timeout: 15_000 }).toBe('1 secret used and not confirmed disabled');
  }, 90_000);
});
