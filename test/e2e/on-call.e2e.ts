/**
 * Who is on call, through the real window (issue 23): a vault that synced a
 * catalog with on-call schedules, escalation policies and a PagerDuty export
 * (test/fixtures/oncall/catalog), an incident running for Search; the
 * incident home says who is on call now with a phone number, the service
 * view too, and a service past its export says so and gives the escalation
 * contacts instead.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncCatalog } from '../../electron/catalog/catalog-sync.js';
import { startSession } from '../../electron/recovery/recovery-sessions.js';
import { auditEntries } from '../../electron/vault/audit/vault-audit.js';
import { PASSPHRASES, newVault, unlockAs } from '../support/test-vault.js';
import { screenshotsAtBothSizes, seriousA11yViolations, startApp, unlockInWindow, type TestApp } from './harness.js';

let app: TestApp;
let dir = '';

beforeAll(async () => {
  const created = await newVault();
  dir = created.dir;
  const { session } = created;
  await syncCatalog(session, { kind: 'unsigned', dir: join(process.cwd(), 'test/fixtures/oncall/catalog'), catalogId: 'oncall' });
  const search = session
    .store()
    .list('service')
    .find((s) => s.title === 'Search');
  await startSession(session, { kind: 'incident', scenario: 'Search returns 500s', services: [search?.id ?? ''] });
  await session.lock();
  app = await startApp();
  await unlockInWindow(app, dir, 'alice', PASSPHRASES['alice'] ?? '');
}, 120_000);

afterAll(async () => {
  await app.close();
});

// Platform NYC alternates Dana Reyes and Eli Novak every Monday with no end: one of them is on call whenever this runs.
const ON_CALL = /(Dana Reyes|Eli Novak)/;
const PHONE = /\+1 212 555 010[12]/;

/** Opens a service from the search results by its exact title (an escalation policy may rank above it). */
async function openService(title: string): Promise<void> {
  const { page } = app;
  await page.keyboard.press('Control+k');
  await page.getByTestId('search').fill(title.toLowerCase());
  await page
    .getByTestId('results')
    .locator('li')
    .filter({ has: page.locator('.result-title', { hasText: new RegExp(`^${title}$`) }) })
    .first()
    .locator('button')
    .first()
    .click();
  await expect.poll(() => page.locator('#record-title').textContent()).toBe(title);
}

describe('on call now', () => {
  it('the incident home shows who is on call for the incident service, with a phone, level 2, and the laptop clock in UTC', async () => {
    const { page } = app;
    const card = page.getByTestId('oncall');
    await card.waitFor();
    expect(await card.getByRole('heading', { level: 3 }).textContent()).toBe('On call now for this incident');
    const service = card.getByTestId('oncall-service');
    await expect.poll(() => service.textContent()).toContain('Search · Platform on call');
    const now = service.getByTestId('oncall-now').first();
    expect(await now.textContent()).toMatch(ON_CALL);
    expect(await now.locator('code').first().textContent()).toMatch(PHONE);
    expect(await now.textContent()).toMatch(/on call until \d{4}-\d{2}-\d{2} \d{2}:\d{2} E[SD]T/);
    expect(await service.textContent()).toMatch(/Level 2Duty managermatched by name\+44 20 7946 0000/);
    expect(await card.getByTestId('oncall-clock').textContent()).toMatch(/^Laptop clock \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    // The phone copies through main, from the keyboard too.
    await now.getByRole('button', { name: /^Copy \+1 212/ }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => now.textContent()).toMatch(/Copied/i);
    await screenshotsAtBothSizes(app, 'oncall-incident-home', card);
    expect(await seriousA11yViolations(app)).toEqual([]);
  });

  it('the service view shows its escalation path; a service with none says so and gives the escalation contacts', async () => {
    const { page } = app;
    await openService('Ledger');
    const card = page.getByTestId('record').getByTestId('oncall');
    await card.waitFor();
    await expect.poll(() => card.textContent()).toContain('Ledger · Ledger escalation');
    expect(await card.textContent()).toMatch(/Level 1 · escalates after 30 min/);
    await screenshotsAtBothSizes(app, 'oncall-service-view', card);

    await openService('Legacy batch');
    const none = page.getByTestId('record').getByTestId('oncall');
    await expect.poll(() => none.textContent()).toContain('Legacy batch has no escalation path in the vault; escalation contacts by hand.');
    expect(await none.textContent()).toMatch(/Escalation contacts, in order.*Duty manager.*\+44 20 7946 0000.*Priya Shah/);
    await screenshotsAtBothSizes(app, 'oncall-no-path', none);
    expect(app.consoleErrors).toEqual([]);
    expect(app.foreignRequests).toEqual([]);
  });

  it('every look-up was logged before it answered', async () => {
    await app.page.getByTestId('session-bar').getByRole('button', { name: /^Lock/ }).click();
    await app.page.getByLabel('Vault folder').waitFor();
    const alice = await unlockAs(dir, 'alice');
    try {
      const lookups = auditEntries(alice).filter((e) => e.event.type === 'oncall.opened');
      expect(lookups.length).toBeGreaterThanOrEqual(3);
      expect(lookups.map((e) => e.event.details?.['services'])).toEqual(expect.arrayContaining(['Search', 'Ledger', 'Legacy batch']) as unknown);
    } finally {
      await alice.lock();
    }
  });
});
