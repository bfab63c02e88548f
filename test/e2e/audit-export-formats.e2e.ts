/**
 * The audit screen's export in the formats governance's SIEM reads (#22):
 * the member picks CEF with the keyboard, exports, and the file written is
 * a CEF copy whose every line matches the signed export of the same vault.
 * Screenshots of the picker at both sizes, light and dark.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAuditAs, verifySiemFile } from '../../electron/operations/audit-formats.js';
import { createRecord, revealField } from '../../electron/vault/records/vault-records.js';
import { createVault, openVault } from '../../electron/vault/vault-open.js';
import { screenshotsAtBothSizes, seriousA11yViolations, startApp, unlockInWindow, type TestApp } from './harness.js';

const PASS = 'correct horse battery staple';
let app: TestApp;
let dir: string;
let work: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lifeboat-siem-ui-'));
  dir = join(work, 'ops.lifeboat');
  const session = await createVault(dir, { owner: 'alice', passphrase: PASS, insecureFastKdf: true, name: 'ops-laptop-a' });
  const secret = await createRecord(session, { type: 'secret', title: 'Payments DB root', data: { password: 'siem-e2e' } });
  await revealField(session, secret.id, 'password', 'INC-204 | failover = primary lost');
  await session.lock();
  app = await startApp();
});

afterAll(async () => {
  await app.close();
});

describe('audit export formats in the window', () => {
  it('offers every format, exports CEF, and the copy matches the signed export line by line', async () => {
    const { page } = app;
    await unlockInWindow(app, dir, 'alice', PASS);
    await page.getByRole('button', { name: 'Audit', exact: true }).click();
    await page.getByTestId('timeline').waitFor();
    const picker = page.getByLabel('Export format');
    expect(await picker.locator('option').allTextContents()).toEqual([
      'Lifeboat signed export (evidence of record)',
      'JSON Lines (Splunk, Elastic, any SIEM)',
      'OCSF 1.1.0 (Security Lake, Sentinel)',
      'CEF (ArcSight, older SIEMs)',
    ]);
    // The suggested name follows the format (the desktop shell's dialog takes the same names: shared/save-names.ts).
    const field = page.getByLabel('Export to file');
    expect(await field.getAttribute('placeholder')).toBe('/media/usb/lifeboat-audit-export.json');
    await field.fill(join(work, 'audit.json'));
    await picker.selectOption('ocsf');
    expect(await field.inputValue()).toBe(join(work, 'audit.ocsf.jsonl'));
    expect(await field.getAttribute('placeholder')).toBe('/media/usb/lifeboat-audit-export.ocsf.jsonl');
    await picker.selectOption('jsonl');
    expect(await field.inputValue()).toBe(join(work, 'audit.jsonl'));
    await picker.focus();
    await picker.selectOption('cef');
    expect(await field.inputValue()).toBe(join(work, 'audit.cef'));
    const path = page.getByPlaceholder('/media/usb/lifeboat-audit-export.cef');
    await path.waitFor();
    const out = join(work, 'audit.cef');
    await path.fill(out);
    await screenshotsAtBothSizes(app, 'audit-export-format', picker);
    await page.getByRole('button', { name: 'Export for governance' }).click();
    const exported = page.getByTestId('exported');
    await exported.waitFor();
    expect(await exported.textContent()).toContain('Exported a CEF copy for your SIEM');
    expect(await exported.textContent()).toContain(`--siem ${out}`);
    await screenshotsAtBothSizes(app, 'audit-exported-cef', exported);
    expect(await seriousA11yViolations(app)).toEqual([]);

    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines.some((l) => l.includes('reason=INC-204 | failover \\= primary lost'))).toBe(true);
    await page.getByRole('button', { name: /^Lock/ }).first().click();
    await page.getByLabel('Vault folder').waitFor();
    const owner = await openVault(dir, { member: 'alice', passphrase: PASS });
    const signed = join(work, 'signed.json');
    await exportAuditAs(owner, signed, 'lifeboat');
    await owner.lock();
    const report = await verifySiemFile(signed, out);
    expect(report).toMatchObject({ format: 'cef', matched: lines.length, notCovered: 0 });
  });

  it('a CEF file with a .json name is refused, naming the extensions, and nothing is written', async () => {
    const { page } = app;
    await unlockInWindow(app, dir, 'alice', PASS);
    await page.getByRole('button', { name: 'Audit', exact: true }).click();
    await page.getByLabel('Export format').selectOption('cef');
    await page.getByPlaceholder('/media/usb/lifeboat-audit-export.cef').fill(join(work, 'wrong.json'));
    await page.getByRole('button', { name: 'Export for governance' }).click();
    const banner = page.getByTestId('error-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/must end in \.cef or \.log or \.txt/);
  });
});
