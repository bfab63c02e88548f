/**
 * Honest planning (issue #19, item 6) through the real window. The issue's
 * screens: a plan whose services have no RTOs and no estimates said "at
 * least 0 min" and, in green, "Every RTO in this plan is achievable on
 * paper"; an exercise let a wave-3 service "meet its RTO" while its wave 1-2
 * dependencies were not back. Here the same plan says unknown, in grey, and
 * the session shows the service waiting on what it needs, by name, until the
 * commander counts it useful with a reason (logged).
 *
 * On a demo vault of its own, with four services added that have no RTO and
 * no runbook (so no estimate): billing-ledger ← billing-api ← billing-web,
 * and invoice-mailer ← billing-ledger.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../electron/ipc/handlers.js';
import { VaultService } from '../../electron/operations/vault-service.js';
import { auditEntries } from '../../electron/vault/audit/vault-audit.js';
import { createRecord } from '../../electron/vault/records/vault-records.js';
import { tempVaultDir } from '../support/test-vault.js';
import { screenshotsAtBothSizes, startApp, type TestApp } from './harness.js';

let app: TestApp;
let vault: VaultService;

beforeAll(async () => {
  vault = new VaultService(globalThis, join(tempVaultDir(), '..', 'demo', 'demo.lifeboat'));
  app = await startApp({ handlers: createHandlers({ facts: { host: 'browser', version: '0.0.0-test', packaged: false, platform: 'linux' }, vault }) });
  await app.page.getByRole('button', { name: 'Open the demo vault' }).click();
  await app.page.getByTestId('demo-banner').waitFor();
  const session = vault.current();
  for (const [title, dependsOn] of [
    ['billing-ledger', []],
    ['billing-api', ['billing-ledger']],
    ['billing-web', ['billing-api']],
    ['invoice-mailer', ['billing-ledger']],
  ] as const) {
    await createRecord(session, { type: 'service', title, data: { tier: 2, dependsOn: [...dependsOn] } });
  }
});

afterAll(async () => {
  await app.close();
});

async function openTab(name: 'Recovery plan' | 'Readiness' | 'Exercises & incidents'): Promise<void> {
  await app.page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true }).click();
}

/** The text colour an element is painted in. */
const colourOf = (selector: string): Promise<string> =>
  app.page
    .locator(selector)
    .first()
    .evaluate((el) => getComputedStyle(el).color);

describe('a plan with no RTOs and no estimates', () => {
  it('says unknown, in grey, never "at least 0 min" or a green all-clear', async () => {
    const { page } = app;
    await openTab('Recovery plan');
    for (const down of ['billing-web', 'invoice-mailer']) {
      await page.getByTestId('down-input').fill(down);
      await expect.poll(() => page.getByTestId('down-options').getByRole('option').allTextContents()).toEqual([down]);
      await page.keyboard.press('Enter');
    }
    // Close the picker's list so it covers nothing.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('down-options').count()).toBe(0);
    const summary = page.getByTestId('plan-summary');
    await expect.poll(() => summary.getByTestId('plan-waves').textContent()).toContain('billing-web');

    const total = summary.getByTestId('plan-total');
    await expect.poll(() => total.textContent()).toBe('unknown: no runbook in this plan gives a time estimate');
    expect(await total.getAttribute('data-state')).toBe('unknown');
    const verdicts = summary.getByTestId('paper-verdicts').getByRole('listitem');
    expect(await verdicts.allTextContents()).toEqual(['?Unknown: no RTO set — 4 services', '?Unknown: no estimate — 4 services']);
    expect(await verdicts.evaluateAll((items) => items.map((li) => li.getAttribute('data-tone')))).toEqual(['unknown', 'unknown']);
    const text = (await summary.textContent()) ?? '';
    expect(text).not.toMatch(/at least 0 min|achievable on paper/);

    // Grey means the muted text colour, not the green of an all-clear.
    const muted = await colourOf('.plan-summary h2 .muted');
    expect(await colourOf('[data-testid="plan-total"]')).toBe(muted);
    expect(await colourOf('.paper-verdicts li')).toBe(muted);
    expect(await summary.getByTestId('plan-no-rto').textContent()).toContain('billing-api');
    await screenshotsAtBothSizes(app, 'plan-unknown', summary);

    // The graph's panel says the same for one service.
    await page.locator('[data-testid="graph-node"][data-title="billing-api"]').click();
    const panel = page.getByTestId('service-panel');
    await panel.waitFor();
    expect(await panel.locator('dl').textContent()).toContain('RTOnone set');
    expect(await panel.getByTestId('panel-finish').textContent()).toBe('unknown (≥ 0 min)');
    expect(await panel.textContent()).toContain('No RTO set: nobody has said how long it may be down');
    await page.keyboard.press('Escape');
  });

  it('readiness says the same in grey, next to the findings', async () => {
    const { page } = app;
    await openTab('Readiness');
    const paper = page.getByTestId('readiness-paper');
    await paper.waitFor();
    const lines = await paper.getByRole('listitem').evaluateAll((items) => items.map((li) => [li.getAttribute('data-tone'), li.textContent]));
    // The four billing services have neither; the demo's four are all estimated and have RTOs.
    expect(lines).toContainEqual(['unknown', '?Unknown: no RTO set — 4 services']);
    expect(lines).toContainEqual(['unknown', '?Unknown: no estimate — 4 services']);
    // The demo's public-dns and orders-api are met on paper and say so; no all-clear while four services are unknown.
    expect(lines).toContainEqual(['ok', '✓2 RTOs are achievable on paper']);
    expect(lines.map(([, text]) => text).join(' ')).not.toContain('Every RTO');
    expect(await paper.textContent()).toContain('time for everything: at least');
    await screenshotsAtBothSizes(app, 'readiness-paper', paper);
  });
});

describe('a session: useful only when what it needs is back', () => {
  const article = (name: string) => app.page.getByRole('article', { name, exact: true });
  const pass = async (service: string, check: string): Promise<void> => {
    const item = article(service).getByRole('listitem').filter({ hasText: check });
    await item.getByRole('button', { name: 'Pass' }).click();
    await expect.poll(() => item.textContent()).toContain('Passed · demo');
  };

  it('shows a wave-3 service whose checks pass as waiting on its dependencies, named, not as meeting its RTO', async () => {
    const { page } = app;
    await openTab('Exercises & incidents');
    await page.getByRole('button', { name: 'Start an exercise or incident…' }).click();
    await page.getByLabel('Scenario').fill('orders-api down, honest timings');
    await page.getByLabel('Filter services').fill('orders-api');
    await page.getByRole('checkbox', { name: 'orders-api' }).check();
    await page.getByRole('button', { name: 'Start the exercise' }).click();
    await page.getByTestId('checklist').waitFor();

    await pass('orders-api', 'Health endpoint answers 200 from outside');
    await pass('orders-api', 'A test order placed through the public site appears in the database');
    const waiting = article('orders-api').getByTestId('waiting');
    await expect
      .poll(() => waiting.textContent())
      .toContain('Waiting on orders-db (wave 2), identity (wave 1), public-dns (wave 1): its own checks pass, but it is not useful, and its RTO not met');
    expect(await article('orders-api').getByTestId('useful').count()).toBe(0);
    expect(await page.getByTestId('useful-count').textContent()).toContain('0 of 4');

    // identity back: it drops off the list; the others are still named.
    await pass('identity', 'An engineer can log in with SSO and a hardware key');
    await expect.poll(() => waiting.textContent()).toContain('Waiting on orders-db (wave 2), public-dns (wave 1):');
    await screenshotsAtBothSizes(app, 'session-waiting', article('orders-api'));
  });

  it('the commander counts it useful anyway: a reason is required, Esc keeps it, and the override is logged', async () => {
    const { page } = app;
    const api = article('orders-api');
    await api.getByRole('button', { name: 'Count as useful anyway…' }).click();
    const reason = api.getByLabel(/Why is orders-api useful without them/);
    await api.getByRole('button', { name: 'Count it useful' }).click();
    expect(await api.textContent()).toContain('Give a reason: the audit log and the evidence report keep it.');
    await reason.fill('public-dns is served by the secondary provider, orders-db by its replica');
    await page.keyboard.press('Escape');
    expect(await reason.inputValue()).toBe('public-dns is served by the secondary provider, orders-db by its replica');
    await api.getByRole('button', { name: 'Count it useful' }).click();

    await expect.poll(() => api.getByTestId('useful').textContent()).toMatch(/Useful again after [\d.]+ min\s*met RTO 2 h/);
    expect(await api.getByTestId('overridden').textContent()).toMatch(
      /^Counted useful without waiting on orders-db \(wave 2\), public-dns \(wave 1\) · demo · \d\d:\d\d:\d\d: “public-dns is served by the secondary provider, orders-db by its replica”$/,
    );
    expect(await api.getByTestId('waiting').count()).toBe(0);
    const logged = auditEntries(vault.current()).filter((e) => e.event.type === 'session.override');
    expect(logged.map((e) => [e.event.recordTitle, e.event.reason, e.event.details?.['waitingOn']])).toEqual([
      ['orders-api', 'public-dns is served by the secondary provider, orders-db by its replica', 'orders-db, public-dns'],
    ]);
    await screenshotsAtBothSizes(app, 'session-overridden', api);
  });
});
