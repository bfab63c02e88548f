/**
 * The printed binder through the real window (issue #21): an owner chooses
 * one service, sees the contents preview (its dependencies and their waves
 * included), saves the PDF, then pastes a page's code and is told it is
 * current. Screenshots at both sizes, light and dark; axe finds nothing serious.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecord } from '../../electron/vault/records/vault-records.js';
import { createVault } from '../../electron/vault/vault-open.js';
import { screenshotsAtBothSizes, seriousA11yViolations, startApp, type TestApp, unlockInWindow } from './harness.js';

const PASS = 'owner passphrase for the binder';
const PASSWORD = 'Binder-Secret-Never-Printed-42';
let app: TestApp;
let work: string;
let dir: string;
let vaultId: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lifeboat-binder-e2e-'));
  dir = join(work, 'ops.lifeboat');
  const session = await createVault(dir, { owner: 'alice', passphrase: PASS, insecureFastKdf: true, name: 'Ops' });
  vaultId = session.vaultId;
  const add = (type: Parameters<typeof createRecord>[1]['type'], title: string, data: Record<string, unknown>) => createRecord(session, { type, title, data });
  await add('service', 'Orders DB', { tier: 0, rtoMinutes: 60 });
  await add('service', 'Orders API', { tier: 1, rtoMinutes: 90, dependsOn: ['Orders DB'] });
  await add('service', 'Billing', { tier: 2 });
  await add('runbook', 'Restore the orders database', { service: 'Orders DB', estimatedMinutes: 45, body: '## Restore\n\n1. Stop writes\n2. Restore' });
  await add('runbook', 'Redeploy the orders API', { service: 'Orders API', estimatedMinutes: 20, body: 'Redeploy the last good image.' });
  await add('runbook', 'Billing retry queue', { service: 'Billing', body: 'Drain the queue.' });
  await add('contact', 'Dana On-call', { role: 'DBA', phones: ['+44 20 7946 0001'], escalationOrder: 1 });
  await add('secret', 'Postgres superuser', { username: 'postgres', password: PASSWORD });
  await session.lock();
  app = await startApp();
  await app.page.setViewportSize({ width: 1280, height: 820 });
  await unlockInWindow(app, dir, 'alice', PASS);
});

afterAll(async () => {
  await app.close();
});

describe('the printed binder in the window', () => {
  it('previews a binder of one service with what it needs, then saves the PDF', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Members & settings' }).click();
    const card = page.getByTestId('binder-card');
    await card.getByTestId('binder-service').selectOption({ label: 'Orders API' });
    await card.getByRole('button', { name: 'Preview binder' }).click();
    const preview = card.getByTestId('binder-preview');
    await expect.poll(() => preview.textContent(), { timeout: 15_000 }).toContain('Restore the orders database');
    const text = (await preview.textContent()) ?? '';
    expect(text).toContain('the service Orders API and what it needs');
    expect(text).toContain('Wave 1: Orders DB');
    expect(text).toContain('Wave 2: Orders API');
    expect(text).not.toContain('Billing retry queue');
    expect(text).not.toContain('Postgres superuser');
    await screenshotsAtBothSizes(app, 'binder-preview', preview);

    const out = join(work, 'orders-binder.pdf');
    await preview.getByLabel('Save the binder as (PDF)').fill(out);
    await preview.getByRole('button', { name: 'Save PDF…' }).click();
    await expect.poll(() => preview.getByTestId('binder-written').textContent(), { timeout: 60_000 }).toContain(out);
    expect(existsSync(out)).toBe(true);
    const printed = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' });
    expect(printed).toContain('Redeploy the orders API');
    expect(printed).not.toContain(PASSWORD);
  }, 120_000);

  it('says a pasted page code is current, and names an unknown one', async () => {
    const { page } = app;
    const card = page.getByTestId('binder-card');
    const row = card.locator('.binder-contents tr', { hasText: 'Redeploy the orders API' });
    const footer = ((await row.locator('.binder-id').textContent()) ?? '').trim();
    const [, id, revision, hash] = /^(\S+) · revision (\d+) · hash ([0-9a-f]{16})$/u.exec(footer) ?? [];
    await card.getByTestId('binder-code').fill(`lifeboat-binder:1:${vaultId}:${id ?? ''}:${revision ?? ''}:${hash ?? ''}`);
    await card.getByRole('button', { name: 'Check page' }).click();
    const check = card.getByTestId('binder-check');
    await expect.poll(() => check.textContent(), { timeout: 10_000 }).toContain('Current: “Redeploy the orders API” is still at revision 1');
    await screenshotsAtBothSizes(app, 'binder-check', check);
    expect(await seriousA11yViolations(app)).toEqual([]);

    await card.getByTestId('binder-code').fill(`lifeboat-binder:1:${'0'.repeat(32)}:${id ?? ''}:1:${hash ?? ''}`);
    await card.getByRole('button', { name: 'Check page' }).click();
    await expect.poll(() => check.textContent(), { timeout: 10_000 }).toContain('printed from another vault');
  }, 60_000);
});
