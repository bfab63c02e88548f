/**
 * Recovery readiness (#6) through the real window: the dependency graph of
 * the demo vault, "what is down?" and its plan, the readiness dashboard, a
 * dependency cycle, and a vault large enough that the graph must stay
 * readable. The demo vault's numbers: identity 40 min (RTO 30), public-dns
 * 20 min, orders-db 45 min after identity (85 > RTO 60, and it names a
 * "storage" service the vault lacks), orders-api 30 min after orders-db.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../electron/ipc/handlers.js';
import { VaultService } from '../../electron/operations/vault-service.js';
import { endSession, listSessions } from '../../electron/recovery/recovery-sessions.js';
import { createRecord, deleteRecord, editRecord, listRecords } from '../../electron/vault/records/vault-records.js';
import { tempVaultDir } from '../support/test-vault.js';
import { startApp, type TestApp, screenshotsAtBothSizes } from './harness.js';

let app: TestApp;
let vault: VaultService;

beforeAll(async () => {
  vault = new VaultService(globalThis, join(tempVaultDir(), '..', 'demo', 'demo.lifeboat'));
  app = await startApp({ handlers: createHandlers({ facts: { host: 'browser', version: '0.0.0-test', packaged: false, platform: 'linux' }, vault }) });
  await app.page.getByRole('button', { name: 'Open the demo vault' }).click();
  await app.page.getByTestId('demo-banner').waitFor();
});

afterAll(async () => {
  await app.close();
});

async function openTab(name: 'Library' | 'Recovery plan' | 'Readiness'): Promise<void> {
  await app.page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true }).click();
}

/** Leaves the tab and comes back, so the screen asks the engine again after a change made behind its back. */
async function reopenTab(name: 'Recovery plan' | 'Readiness'): Promise<void> {
  await openTab('Library');
  await openTab(name);
}

const node = (title: string) => app.page.locator(`[data-testid="graph-node"][data-title="${title}"]`);

function serviceId(title: string): string {
  const found = listRecords(vault.current(), 'service').find((r) => r.title === title);
  if (!found) {
    throw new Error(`no service ${title}`);
  }
  return found.id;
}

async function centreY(title: string): Promise<number> {
  const box = await node(title).boundingBox();
  if (!box) {
    throw new Error(`${title} is not drawn`);
  }
  return box.y + box.height / 2;
}

describe('recovery plan', () => {
  it('draws every service coloured by its worst finding, in recovery order from the top, with the missing dependency dashed', async () => {
    const { page } = app;
    await openTab('Recovery plan');
    await expect.poll(() => page.getByTestId('graph-node').count()).toBe(4);
    for (const title of ['identity', 'public-dns', 'orders-db']) {
      expect(await node(title).getAttribute('class')).toContain('sev-high');
    }
    expect(await node('orders-api').getAttribute('class')).toContain('sev-medium');
    // The class really paints: a medium box is outlined in another colour than a high one.
    const stroke = (title: string) =>
      node(title)
        .locator('.dep-box')
        .evaluate((el) => getComputedStyle(el).stroke);
    expect(await stroke('orders-api')).not.toBe(await stroke('identity'));
    expect(await stroke('identity')).toBe(await stroke('orders-db'));
    // Colour is never alone: the accessible name says the severity in words.
    expect(await node('orders-api').getAttribute('aria-label')).toContain('Medium');
    const missing = page.getByTestId('graph-missing');
    expect(await missing.count()).toBe(1);
    expect(await missing.getAttribute('aria-label')).toContain('storage');
    // identity (wave 1) above orders-db (wave 2) above orders-api (wave 3); public-dns level with identity.
    expect(await centreY('identity')).toBeLessThan(await centreY('orders-db'));
    expect(await centreY('orders-db')).toBeLessThan(await centreY('orders-api'));
    expect(await centreY('public-dns')).toBe(await centreY('identity'));
    expect(await page.getByTestId('graph-band').allTextContents()).toEqual(['Not in vault', 'Wave 1', 'Wave 2', 'Wave 3']);
    expect(await page.getByTestId('graph-edge').count()).toBe(5);
    await app.screenshot('plan-graph');
  });

  it('selects a service from the keyboard, and opens its runbook in the library', async () => {
    const { page } = app;
    await node('orders-api').focus();
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('service-panel');
    await panel.waitFor();
    expect(await panel.locator('h2').textContent()).toBe('orders-api');
    const facts = await panel.locator('dl').textContent();
    expect(facts).toContain('Tier1');
    expect(facts).toContain('RTO120 min');
    expect(facts).toContain('Findings1');
    expect(await node('orders-api').getAttribute('aria-pressed')).toBe('true');
    await app.screenshot('plan-selected');
    await panel.getByRole('button', { name: 'Open runbook' }).click();
    await expect.poll(() => page.locator('#record-title').textContent()).toBe('Redeploy the orders API from the last signed release');
  });

  it('opens the service record itself from the panel (by mouse)', async () => {
    const { page } = app;
    await openTab('Recovery plan');
    await node('orders-db').click();
    await page.getByTestId('service-panel').getByRole('button', { name: 'Open service' }).click();
    await expect.poll(() => page.locator('#record-title').textContent()).toBe('orders-db');
  });

  it('plans for "orders-api is down": three waves, the critical path, both RTO breaches and the missing dependency', async () => {
    const { page } = app;
    await openTab('Recovery plan');
    await page.getByTestId('down-input').fill('orders-a');
    expect(await page.getByTestId('down-options').getByRole('option').allTextContents()).toEqual(['orders-api']);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('plan-summary').locator('h2').textContent()).toContain('orders-api down');
    const waves = page.getByTestId('plan-waves').locator('li');
    await expect.poll(() => waves.allTextContents()).toEqual(['Wave 1: identity, public-dns (in parallel)', 'Wave 2: orders-db', 'Wave 3: orders-api']);
    expect(await page.getByTestId('plan-total').textContent()).toBe('115 min (1 h 55 min)');
    expect(await page.getByTestId('critical-path').textContent()).toContain('on paper with unlimited hands');
    expect(await page.getByTestId('critical-path').locator('strong').allTextContents()).toEqual(['identity', 'orders-db', 'orders-api']);
    expect(await page.getByTestId('plan-breaches').locator('li').allTextContents()).toEqual([
      'orders-db back after 85 min, RTO 60 min (25 min late)',
      'identity back after 40 min, RTO 30 min (10 min late)',
    ]);
    expect(await page.getByTestId('plan-missing').textContent()).toBe('storage, needed by orders-db');
    // The graph: the chosen service is marked down, the path is drawn, and nothing here is out of scope.
    expect(await node('orders-api').getAttribute('class')).toContain('dep-down');
    for (const title of ['identity', 'orders-db', 'orders-api']) {
      expect(await node(title).getAttribute('class')).toContain('dep-on-path');
    }
    expect(await node('public-dns').getAttribute('class')).not.toContain('dep-on-path');
    expect(await page.locator('.dep-edge-path').count()).toBe(2);
    await page.getByTestId('down-input').blur();
    await app.screenshot('plan-down');
    await page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot('plan-down-dark');
    await page.emulateMedia({ colorScheme: null });
  });

  it('narrows the plan to what a down service needs, dimming the rest of the graph', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'orders-api is down: remove' }).click();
    await page.getByTestId('down-input').fill('orders-db');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('plan-waves').locator('li').allTextContents()).toEqual(['Wave 1: identity', 'Wave 2: orders-db']);
    expect(await page.getByTestId('plan-total').textContent()).toBe('85 min');
    expect(await node('public-dns').getAttribute('class')).toContain('dep-dim');
    expect(await node('orders-api').getAttribute('class')).toContain('dep-dim');
    expect(await node('identity').getAttribute('class')).not.toContain('dep-dim');
    // Clearing the choice plans every service again.
    await page.getByTestId('down-picker').getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => page.getByTestId('plan-waves').locator('li').count()).toBe(3);
    expect(await page.getByTestId('down-hint').textContent()).toContain('covers all 4 services');
  });

  it('forgets what was chosen as down when the vault locks', async () => {
    const { page } = app;
    await page.getByTestId('down-input').fill('identity');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('down-hint').textContent()).toContain('Planning for 1 service');
    await page.keyboard.press('Control+l');
    await page.getByRole('button', { name: 'Open the demo vault' }).click();
    await page.getByTestId('demo-banner').waitFor();
    await openTab('Recovery plan');
    await expect.poll(() => page.getByTestId('plan-waves').locator('li').count()).toBe(3);
    expect(await page.getByTestId('down-hint').textContent()).toContain('Nothing chosen');
    expect(await page.locator('.chip-down').count()).toBe(0);
  });
});

describe('readiness dashboard', () => {
  it('lists services by risk with their findings, and filters by severity and text', async () => {
    const { page } = app;
    await openTab('Readiness');
    const items = page.getByTestId('readiness-service');
    await expect.poll(() => items.count()).toBe(4);
    expect(['identity', 'orders-db']).toContain(await items.first().getAttribute('data-title'));
    expect(await items.last().getAttribute('data-title')).toBe('orders-api');
    expect(await page.getByTestId('readiness-summary').textContent()).toMatch(/^\d+ high, \d+ medium across 4 services$/);
    expect(await items.first().getByTestId('worst').textContent()).toBe('High');
    expect(await items.first().textContent()).toContain('beyond its RTO');
    // The vault-wide finding comes first.
    expect(await page.getByTestId('readiness-vault').textContent()).toContain('never synced a catalog');
    await app.screenshot('readiness');
    await page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot('readiness-dark');
    await page.emulateMedia({ colorScheme: null });

    await page.getByRole('group', { name: 'Show findings of severity' }).getByRole('button', { name: /^High/ }).click();
    await expect.poll(() => items.count()).toBe(3);
    expect(await items.evaluateAll((els) => els.map((el) => el.getAttribute('data-title')))).not.toContain('orders-api');
    expect(new Set(await page.getByTestId('finding').evaluateAll((els) => els.map((el) => el.getAttribute('data-severity'))))).toEqual(new Set(['high']));
    expect(await page.getByTestId('readiness-vault').count()).toBe(0);

    await page.getByRole('group', { name: 'Show findings of severity' }).getByRole('button', { name: 'All' }).click();
    await page.getByTestId('readiness-filter').fill('dns');
    await expect.poll(() => items.count()).toBe(1);
    expect(await items.first().getAttribute('data-title')).toBe('public-dns');
    await app.screenshot('readiness-filtered');
  });

  it('reviews with another interval on demand, and goes back to the vault setting', async () => {
    const { page } = app;
    await page.getByTestId('readiness-filter').fill('');
    const stale = page.getByTestId('finding').filter({ hasText: 'was last reviewed' });
    await expect.poll(() => stale.first().textContent()).toContain('(limit 180)');
    expect(await page.getByTestId('stale-days').locator('option:checked').textContent()).toBe('180 days (vault setting)');
    await page.getByTestId('stale-days').selectOption('30');
    await expect.poll(() => stale.first().textContent()).toContain('(limit 30)');
    expect(new Set((await stale.allTextContents()).map((t) => /\(limit (\d+)\)/.exec(t)?.[1]))).toEqual(new Set(['30']));
    await page.getByTestId('stale-days').selectOption('180');
    await expect.poll(() => stale.first().textContent()).toContain('(limit 180)');
  });

  it('opens the record a finding is about, and the service from its title', async () => {
    const { page } = app;
    const dns = page.locator('[data-testid="readiness-service"][data-title="public-dns"]');
    await dns
      .getByTestId('finding')
      .filter({ hasText: 'has no review date' })
      .getByRole('button', { name: /^Open the record/ })
      .click();
    await expect.poll(() => page.locator('#record-title').textContent()).toBe('Fail over public DNS');
    await openTab('Readiness');
    await page.locator('[data-testid="readiness-service"][data-title="identity"]').getByRole('button', { name: 'identity', exact: true }).click();
    await expect.poll(() => page.locator('#record-title').textContent()).toBe('identity');
  });
});

function inside(
  inner: { x: number; y: number; width: number; height: number } | null,
  outer: { x: number; y: number; width: number; height: number } | null,
): boolean {
  return (
    inner !== null &&
    outer !== null &&
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}

describe('a dependency cycle', () => {
  // identity now needs orders-api, which needs identity (and orders-db, which needs identity): one group, two cycles.
  beforeAll(async () => {
    await editRecord(vault.current(), serviceId('identity'), { set: { dependsOn: ['orders-api'] } });
  });
  afterAll(async () => {
    await editRecord(vault.current(), serviceId('identity'), { set: { dependsOn: [], startsWithout: null } });
  });

  it('draws the three as one "recover together" box in one wave, names the cycle and its break, and still plans', async () => {
    const { page } = app;
    await reopenTab('Recovery plan');
    const banner = page.getByTestId('groups-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('3 services depend on each other in 1 dependency cycle: each group is recovered together, in one wave.');
    const box = page.getByTestId('graph-group');
    expect(await box.count()).toBe(1);
    expect(await box.getAttribute('aria-label')).toContain('Recover together: identity, orders-api, orders-db depend on each other (2 cycles)');
    for (const title of ['identity', 'orders-api', 'orders-db']) {
      expect(inside(await node(title).boundingBox(), await box.boundingBox()), title).toBe(true);
      expect(await node(title).getAttribute('class')).toContain('dep-in-group');
    }
    expect(inside(await node('public-dns').boundingBox(), await box.boundingBox())).toBe(false);
    // public-dns, which orders-api needs from outside the loop, comes first; the group after it.
    expect(await page.getByTestId('graph-band').allTextContents()).toEqual(['Not in vault', 'Wave 1', 'Wave 2']);
    expect(await centreY('public-dns')).toBeLessThan(await centreY('identity'));
    expect(await page.locator('.dep-edge-break').count()).toBe(1);
    expect(await page.locator('.dep-edge-cycle, .dep-edge-path').count()).toBeGreaterThanOrEqual(3);
    // The plan comes out: no error, the group in its wave, the cycle and its break listed.
    await expect
      .poll(() => page.getByTestId('plan-waves').locator('li').allTextContents())
      .toEqual(['Wave 1: public-dns', 'Wave 2: together: identity, orders-api, orders-db (in parallel)']);
    expect(await page.getByTestId('plan-summary').getByTestId('error-banner').count()).toBe(0);
    expect(await page.getByTestId('plan-groups').textContent()).toContain('identity, orders-api, orders-db · wave 2 · 2 cycles · break: identity → orders-api');

    await box.click({ position: { x: 20, y: 8 } });
    const panel = page.getByTestId('group-panel');
    await panel.waitFor();
    expect(await panel.getByTestId('group-cycles').locator('li').allTextContents()).toEqual([
      'identity → orders-api → identity',
      'identity → orders-api → orders-db → identity',
    ]);
    expect(await panel.getByTestId('group-breaks').locator('li').allTextContents()).toEqual(['identity no longer depends on orders-api Open identity']);
    expect(await panel.textContent()).toContain('the fewest possible');
    expect(await box.getAttribute('aria-pressed')).toBe('true');
    await screenshotsAtBothSizes(app, 'plan-group', box);
    await page.keyboard.press('Escape');
  });

  it('gives every member a readiness finding that names the others, with no vault-wide alarm', async () => {
    const { page } = app;
    await openTab('Readiness');
    await page.getByTestId('readiness-filter').fill('dependency cycle');
    const items = page.getByTestId('readiness-service');
    await expect.poll(() => items.count()).toBe(3);
    const finding = (title: string) =>
      page.locator(`[data-testid="readiness-service"][data-title="${title}"]`).getByTestId('finding').filter({ hasText: 'dependency cycle' });
    expect(await finding('identity').textContent()).toContain(
      'identity is in a dependency cycle with orders-api, orders-db: recovered together, no restore order exists between them',
    );
    expect(await finding('orders-db').textContent()).toContain('with identity, orders-api');
    // The suggested break is identity's own entry: its finding says which one.
    expect(await finding('identity').textContent()).toContain('to order them, drop or mark soft its dependency on orders-api');
    expect(await finding('orders-api').textContent()).not.toContain('drop or mark soft');
    expect(await finding('identity').getAttribute('data-severity')).toBe('high');
    await screenshotsAtBothSizes(app, 'readiness-cycle');
    await page.getByTestId('readiness-filter').fill('');
    expect(await page.getByTestId('readiness-vault').textContent()).not.toContain('cycle');
  });

  it('lists the group’s members together in an exercise’s checklist, in the group’s wave', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Exercises & incidents' }).click();
    await page.getByRole('button', { name: 'Start an exercise or incident…' }).click();
    await page.getByLabel('Scenario').fill('Orders loop drill');
    await page.getByLabel('Filter services').fill('orders-api');
    await page.getByRole('checkbox', { name: 'orders-api' }).check();
    await page.getByRole('button', { name: 'Start the exercise' }).click();
    const checklist = page.getByTestId('checklist');
    await checklist.waitFor();
    const group = checklist.getByTestId('checklist-group');
    expect(await group.count()).toBe(1);
    expect(await group.getAttribute('aria-label')).toBe('Recover together: identity, orders-api, orders-db');
    expect((await group.locator('h4').allTextContents()).sort()).toEqual(['identity', 'orders-api', 'orders-db']);
    expect(await group.evaluate((el) => el.closest('section')?.getAttribute('aria-label'))).toBe('Wave 2');
    await app.screenshot('exercise-group');
    const id = listSessions(vault.current()).find((s) => s.scenario === 'Orders loop drill')?.id ?? '';
    await endSession(vault.current(), id);
  });

  it('the suggested break marked soft opens the loop: drawn dotted, not ordered by', async () => {
    const { page } = app;
    await editRecord(vault.current(), serviceId('identity'), { set: { startsWithout: ['orders-api'] } });
    await reopenTab('Recovery plan');
    await expect.poll(() => page.getByTestId('graph-node').count()).toBe(4);
    await expect.poll(() => page.getByTestId('graph-group').count()).toBe(0);
    expect(await page.locator('.dep-edge-soft').count()).toBe(1);
    expect(await page.getByTestId('groups-banner').count()).toBe(0);
    // identity can start without orders-api: the demo's order is back.
    await expect.poll(() => page.getByTestId('plan-waves').locator('li').count()).toBe(3);
    expect(await centreY('identity')).toBeLessThan(await centreY('orders-db'));
    expect(await centreY('orders-db')).toBeLessThan(await centreY('orders-api'));
    await node('identity').click();
    expect(await page.getByTestId('service-panel').textContent()).toContain('Can start without: orders-api');
    await app.screenshot('plan-soft');
    await page.keyboard.press('Escape');
  });
});

describe('a large vault', () => {
  it('keeps 80 services readable: waves wrap at full size in a panel that scrolls down; a window too narrow offers fit-to-width', async () => {
    const { page } = app;
    const session = vault.current();
    const created: string[] = [];
    // Four layers of platform → data → backend → edge services, each depending on two of the layer below.
    const layers = ['platform', 'data', 'backend', 'edge'];
    const name = (layer: number, i: number): string => `${layers[layer] ?? ''}-${String(i % 20).padStart(2, '0')}`;
    for (let i = 0; i < 80; i += 1) {
      const layer = Math.floor(i / 20);
      const below = layer === 0 ? [] : [name(layer - 1, i * 7), name(layer - 1, i * 3 + 1)];
      const summary = await createRecord(session, {
        type: 'service',
        title: name(layer, i),
        data: { tier: layer % 3, owner: 'team-scale', rtoMinutes: 60 + layer * 30, dependsOn: [...new Set(below)] },
      });
      created.push(summary.id);
    }
    try {
      await reopenTab('Recovery plan');
      await expect.poll(() => page.getByTestId('graph-node').count()).toBe(84);
      await app.screenshot('plan-graph-80');
      const viewport = page.getByTestId('graph-viewport');
      const scrolling = () => viewport.evaluate((el) => ({ across: el.scrollWidth > el.clientWidth, down: el.scrollHeight > el.clientHeight }));
      // Waves wrap into rows that fit the panel: it scrolls down, never sideways, and nothing is shrunk.
      expect(await scrolling()).toEqual({ across: false, down: true });
      expect(await page.getByTestId('fit-toggle').count()).toBe(0);
      expect(await page.getByTestId('graph-band').allTextContents()).toEqual(['Not in vault', 'Wave 1', 'Wave 2', 'Wave 3', 'Wave 4']);
      // Keyboard focus brings a box at the bottom into view.
      await node('edge-19').focus();
      expect(await viewport.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);

      // A window narrower than two boxes side by side: shrunk to fit by default, full size (scrolling sideways) on demand.
      await page.setViewportSize({ width: 520, height: 820 });
      const toggle = page.getByTestId('fit-toggle');
      await expect.poll(() => toggle.textContent()).toMatch(/^Fit to width \(\d+ %\)$/);
      expect(await scrolling()).toMatchObject({ across: false });
      const fitted = Number(await page.getByTestId('graph').getAttribute('width'));
      await toggle.click();
      expect(await toggle.getAttribute('aria-pressed')).toBe('false');
      expect(Number(await page.getByTestId('graph').getAttribute('width'))).toBeGreaterThan(fitted);
      expect(await scrolling()).toMatchObject({ across: true });
      await app.screenshot('plan-graph-80-narrow');
    } finally {
      await page.setViewportSize({ width: 1280, height: 820 });
      for (const id of created) {
        await deleteRecord(session, id);
      }
    }
  });

  it('shows what a service record is when the vault has none', async () => {
    const { page } = app;
    const session = vault.current();
    const services = listRecords(session, 'service');
    for (const s of services) {
      await deleteRecord(session, s.id);
    }
    await reopenTab('Recovery plan');
    await page.getByTestId('recovery-empty').waitFor();
    expect(await page.getByTestId('recovery-empty').textContent()).toContain('New record → Service');
    expect(await page.getByTestId('graph').count()).toBe(0);
    await app.screenshot('plan-empty');
    await openTab('Readiness');
    await page.getByTestId('recovery-empty').waitFor();
    expect(await page.getByTestId('readiness-service').count()).toBe(0);
    expect(app.consoleErrors).toEqual([]);
  });
});
