/**
 * The auditor's window through the real UI (issue #22): an auditor filters
 * the timeline by member, reason words and event, applies a built-in view
 * ("Reveals in incidents this quarter"), saves the current filters as a view
 * of their own, previews the emergency-access report and saves it; the
 * screen at both sizes, light and dark.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyExportedFile } from '../../electron/operations/audit.js';
import { endSession, startSession } from '../../electron/recovery/recovery-sessions.js';
import { createRecord, revealField } from '../../electron/vault/records/vault-records.js';
import { addMember } from '../../electron/vault/vault-members.js';
import { PASSPHRASES, newVault } from '../support/test-vault.js';
import { screenshotsAtBothSizes, seriousA11yViolations, startApp, unlockInWindow, type TestApp } from './harness.js';

const SECRET = 'E2E-SECRET-VALUE-NEVER-SHOWN';
let app: TestApp;
let dir = '';

beforeAll(async () => {
  const made = await newVault();
  dir = made.dir;
  const alice = made.session;
  await addMember(alice, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
  await addMember(alice, { name: 'carol', role: 'auditor', passphrase: PASSPHRASES['carol'] ?? '' });
  await createRecord(alice, { type: 'service', title: 'Orders', data: { tier: 0, rtoMinutes: 30 } });
  const orders = (await createRecord(alice, { type: 'secret', title: 'Orders DB superuser', data: { password: SECRET } })).id;
  const wiki = (await createRecord(alice, { type: 'secret', title: 'Wiki token', data: { password: 'wiki-value' } })).id;
  await revealField(alice, wiki, 'password', 'monthly key check');
  const incident = await startSession(alice, { kind: 'incident', scenario: 'Orders DB down', services: ['Orders'] });
  await revealField(alice, orders, 'password', 'INC-42 restore the orders DB');
  await endSession(alice, incident.id);
  await alice.lock();
  app = await startApp();
  await unlockInWindow(app, dir, 'carol', PASSPHRASES['carol'] ?? '');
  await app.page.getByRole('button', { name: 'Audit', exact: true }).click();
  await app.page.getByTestId('timeline-count').waitFor();
});

afterAll(async () => {
  await app.close();
});

const timelineText = (): Promise<string | null> => app.page.getByTestId('timeline').textContent();

describe("the auditor's window", () => {
  it('filters by member, reason words and event type; no match says so and offers to clear', async () => {
    const { page } = app;
    await page.getByLabel('Reason contains').fill('inc-42');
    await expect.poll(() => page.getByTestId('timeline-count').textContent()).toMatch(/^1 of \d+ events match$/);
    expect(await timelineText()).toContain('INC-42 restore the orders DB');
    expect(await timelineText()).not.toContain('monthly key check');
    await page.getByLabel('Member', { exact: true }).selectOption('alice');
    await expect.poll(() => page.getByTestId('timeline-count').textContent()).toMatch(/^1 of /);
    await page.getByLabel('Reason contains').fill('inc-42 payroll');
    await page.getByTestId('timeline-empty').waitFor();
    await page.getByTestId('timeline-empty').getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => page.getByTestId('timeline-count').textContent()).toMatch(/^\d+ events$/);
    await page.getByLabel('Event', { exact: true }).selectOption('secret.revealed');
    await expect.poll(() => page.getByTestId('timeline-count').textContent()).toMatch(/^2 of /);
  });

  it('applies a built-in view, and saves the current filters as a view of its own', async () => {
    const { page } = app;
    await page.getByLabel('Saved view').selectOption('Reveals in incidents this quarter');
    await page.getByRole('button', { name: 'Apply view' }).click();
    await expect.poll(() => page.getByTestId('timeline-count').textContent()).toMatch(/^1 of /);
    expect(await timelineText()).toContain('INC-42 restore the orders DB');
    expect(await page.getByTestId('active-view').textContent()).toContain('Reveals in incidents this quarter');
    await page.getByLabel('Save these filters as').fill('Incident reveals');
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await page.getByLabel('Saved view').selectOption('Incident reveals');
    await page.getByRole('button', { name: 'Apply view' }).click();
    await expect.poll(() => page.getByTestId('timeline-count').textContent()).toMatch(/^1 of /);
  });

  it('previews the access report and saves it as Markdown, PDF and verifiable JSON, never with a secret value', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await page.getByRole('button', { name: 'Preview report' }).click();
    const preview = page.getByTestId('access-preview');
    await preview.waitFor();
    const text = (await preview.textContent()) ?? '';
    expect(text).toContain('INC-42 restore the orders DB');
    expect(text).toContain('monthly key check');
    expect(text).toContain('2 revealed secrets not rotated');
    expect(text).not.toContain(SECRET);
    const md = join(dir, '..', 'access.md');
    await page.getByLabel('Report format').selectOption('markdown');
    await page.getByLabel('Save to file').fill(md);
    await page.getByRole('button', { name: 'Save as Markdown' }).click();
    await expect.poll(() => page.getByTestId('access-saved').textContent()).toContain(md);
    const saved = readFileSync(md, 'utf8');
    expect(saved).toContain('INC-42 restore the orders DB');
    expect(saved).not.toContain(SECRET);
    const pdf = join(dir, '..', 'access.pdf');
    await page.getByLabel('Report format').selectOption('pdf');
    // The typed name follows the format chosen (.md → .pdf), as the desktop dialog's suggestion does.
    expect(await page.getByLabel('Save to file').inputValue()).toBe(pdf);
    expect(await page.getByLabel('Save to file').getAttribute('placeholder')).toBe('/media/usb/lifeboat-access-report.pdf');
    await page.getByLabel('Save to file').fill(pdf);
    await page.getByRole('button', { name: 'Save as PDF' }).click();
    await expect.poll(() => page.getByTestId('access-saved').textContent(), { timeout: 30_000 }).toContain(pdf);
    expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const json = join(dir, '..', 'access.json');
    await page.getByLabel('Report format').selectOption('json');
    expect(await page.getByLabel('Save to file').inputValue()).toBe(json);
    await page.getByLabel('Save to file').fill(json);
    await page.getByRole('button', { name: 'Save as JSON' }).click();
    await expect.poll(() => page.getByTestId('access-saved').textContent()).toContain('lifeboat audit verify --export');
    await expect(verifyExportedFile(json)).resolves.toMatchObject({ kind: 'access-report', reveals: 2 });
    expect(await seriousA11yViolations(app)).toEqual([]);
    expect(app.consoleErrors).toEqual([]);
    await screenshotsAtBothSizes(app, 'auditor-window');
  });
});
