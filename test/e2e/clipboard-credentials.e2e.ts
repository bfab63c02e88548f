/**
 * Issue 19, items 3 and 4, through the real window in the browser host:
 * - a copy goes to the system clipboard through the desktop's clipboard tool
 *   (here a fake xclip on PATH that keeps what it reads on stdin), with
 *   "Copied — clears in 30 s" counting down, and is cleared after 30 s;
 * - with no tool on PATH the window says so before anything is logged, and
 *   nothing is;
 * - a break-glass procedure reveals its linked credential (username and
 *   password) for one reason, logged as one event; a dangling link says so.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from '../../electron/vault/audit/vault-audit.js';
import { createRecord } from '../../electron/vault/records/vault-records.js';
import { createVault } from '../../electron/vault/vault-open.js';
import { addMember } from '../../electron/vault/vault-members.js';
import { toolClipboard } from '../../electron/browser-host/clipboard-tool.js';
import { emptyPathDir, fakeClipboardTool } from '../support/fake-clipboard-tool.js';
import { screenshotsAtBothSizes, startApp, type TestApp } from './harness.js';

const PASS = 'correct horse battery staple';
const BOB_PASS = 'bob confirms break glass';
const PHONE = '+44 20 7946 0199';
let dir: string;
let secretId: string;
let rootId: string;

beforeAll(async () => {
  dir = join(mkdtempSync(join(tmpdir(), 'lifeboat-clip-e2e-')), 'ops.lifeboat');
  const session = await createVault(dir, { owner: 'alice', passphrase: PASS, insecureFastKdf: true, name: 'Ops recovery' });
  secretId = (
    await createRecord(session, { type: 'secret', title: 'Registrar account', data: { username: 'dns-admin@example.org', password: 'clip-e2e-pw-7' } })
  ).id;
  await createRecord(session, { type: 'contact', title: 'DNS on call', data: { role: 'DNS engineer', phones: [PHONE] } });
  await createRecord(session, {
    type: 'procedure',
    title: 'Move DNS to the standby registrar',
    data: {
      body: '## Break glass\n\n1. Log in to the registrar with the credential below.\n2. Point the NS records at the standby provider.\n',
      secrets: [secretId, 'Old registrar token'],
    },
  });
  // A two-person procedure: its credential needs bob too, from the procedure as anywhere else.
  await addMember(session, { name: 'bob', role: 'commander', passphrase: BOB_PASS });
  rootId = (await createRecord(session, { type: 'secret', title: 'Cloud root account', data: { username: 'root', password: 'root-e2e-pw-3' } })).id;
  await createRecord(session, { type: 'procedure', title: 'Break glass into the cloud root account', data: { secrets: [rootId], twoPerson: true } });
  await session.lock();
}, 60_000);

async function unlock(app: TestApp): Promise<void> {
  const { page } = app;
  await page.getByLabel('Vault folder').fill(dir);
  await page.getByLabel('Member', { exact: true }).fill('alice');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  // The machine is shared and loaded: a third Chromium's first unlock can take a while.
  await page.getByTestId('session-bar').waitFor({ timeout: 50_000 });
}

async function openRecord(app: TestApp, query: string, title: string): Promise<void> {
  const { page } = app;
  await page.getByTestId('search').fill(query);
  await page.getByTestId('results').locator('.result-title', { hasText: title }).click();
  await expect.poll(() => page.locator('#record-title').textContent()).toBe(title);
}

/** The open vault's audit events of one type, read in main. */
function events(app: TestApp, type: string) {
  return auditEntries(app.vault.current()).filter((entry) => entry.event.type === type);
}

describe('copying through the system clipboard tool', () => {
  let app: TestApp;
  const tool = fakeClipboardTool('xclip');

  beforeAll(async () => {
    // The clipboard is found as the host finds it (toolClipboard), on a PATH holding only the fake
    // tool's folder, as it would find xclip in /usr/bin. Chromium keeps the real PATH: Debian's
    // /usr/bin/chromium is a shell script, and starting it with a bare PATH was a CI flake.
    app = await startApp({ clipboard: toolClipboard({ ...process.env, PATH: tool.dir }) });
    await unlock(app);
  });

  afterAll(async () => {
    await app.close();
  });

  it('copies a phone number to the system clipboard with "Copied — clears in 30 s", counting down, and clears it after 30 s', async () => {
    const { page } = app;
    await openRecord(app, 'DNS on call', 'DNS on call');
    await page.getByRole('button', { name: `Copy ${PHONE}` }).click();
    const notice = page.getByTestId('copied-notice');
    await expect.poll(() => notice.textContent()).toMatch(/^Copied — clears in (30|29) s$/);
    expect(tool.content()).toBe(PHONE);
    // Given on stdin, never in the tool's arguments (which any user can read in /proc).
    expect(tool.calls().join('\n')).not.toContain(PHONE);
    await screenshotsAtBothSizes(app, 'copy-phone-feedback', notice);
    await expect.poll(() => notice.textContent(), { timeout: 10_000 }).toMatch(/^Copied — clears in 2[0-7] s$/);
    await expect.poll(() => tool.content(), { timeout: 40_000, interval: 1000 }).toBe('');
    await expect.poll(() => notice.count()).toBe(0);
  }, 90_000);

  it('copies a sealed field after a logged reason, with the same feedback', async () => {
    const { page } = app;
    await openRecord(app, 'Registrar account', 'Registrar account');
    const password = page.getByTestId('sealed-password');
    await password.getByRole('button', { name: 'Reveal or copy…' }).click();
    await password.getByLabel(/Why do you need it/).fill('INC-31 registrar login');
    await password.getByRole('button', { name: 'Log and copy' }).click();
    await expect.poll(() => password.getByTestId('copied-notice').textContent()).toMatch(/^Copied — clears in (30|29) s$/);
    expect(tool.content()).toBe('clip-e2e-pw-7');
    expect(await page.content()).not.toContain('clip-e2e-pw-7');
    expect(events(app, 'secret.copied').at(-1)?.event).toMatchObject({ recordId: secretId, field: 'password', reason: 'INC-31 registrar login' });
  });
});

describe('a laptop with no clipboard tool', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp({ clipboard: toolClipboard({ ...process.env, PATH: emptyPathDir() }) });
    await unlock(app);
  });

  afterAll(async () => {
    await app.close();
  });

  it('says so where the copy button is, before anything is logged, and logs nothing', async () => {
    const { page } = app;
    const before = auditEntries(app.vault.current()).length;
    await openRecord(app, 'Registrar account', 'Registrar account');
    const password = page.getByTestId('sealed-password');
    await password.getByRole('button', { name: 'Reveal or copy…' }).click();
    await password.getByLabel(/Why do you need it/).fill('INC-32 registrar login');
    await expect.poll(() => password.getByTestId('no-clipboard').textContent()).toBe('No system clipboard on this laptop — select and copy by hand.');
    expect(await password.getByRole('button', { name: 'Log and copy' }).isDisabled()).toBe(true);
    await screenshotsAtBothSizes(app, 'copy-no-clipboard', password);
    await password.getByRole('button', { name: 'Cancel' }).click();

    await openRecord(app, 'DNS on call', 'DNS on call');
    await page.getByRole('button', { name: `Copy ${PHONE}` }).click();
    await expect.poll(() => page.getByTestId('copied-notice').textContent()).toBe('No system clipboard on this laptop — select and copy by hand.');
    // Opening the two records is logged; no copy is.
    expect(
      auditEntries(app.vault.current())
        .slice(before)
        .map((entry) => entry.event.type),
    ).not.toContain('secret.copied');
  });

  it('refuses a copy sent to main anyway, before the engine logs it', async () => {
    const copies = events(app, 'secret.copied').length;
    const result = await app.page.evaluate(
      (id) => window.lifeboat?.invoke('secret:copy', { id, field: 'password', reason: 'INC-33 bypass the window' }),
      secretId,
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'CLIPBOARD_UNAVAILABLE' } });
    expect(events(app, 'secret.copied')).toHaveLength(copies);
  });
});

describe('a break-glass procedure’s credential', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp();
    await unlock(app);
  });

  afterAll(async () => {
    await app.close();
  });

  it('shows the linked secret by title, and a dangling link as not found', async () => {
    const { page } = app;
    await openRecord(app, 'standby registrar', 'Move DNS to the standby registrar');
    const credentials = page.getByTestId('linked-credentials');
    await expect.poll(() => page.getByTestId(`credential-${secretId}`).textContent()).toContain('Registrar account');
    expect(await page.getByTestId(`credential-${secretId}`).textContent()).toContain('Username, Password');
    expect(await page.getByTestId('credential-missing').textContent()).toContain('Linked credential not found');
    expect(await page.getByTestId('credential-missing').textContent()).toContain('Old registrar token');
    await screenshotsAtBothSizes(app, 'procedure-credentials', credentials);
  });

  it('reveals username and password for one reason, logged first as one event listing both', async () => {
    const { page } = app;
    const before = events(app, 'secret.revealed').length;
    const row = page.getByTestId(`credential-${secretId}`);
    await row.getByRole('button', { name: 'Reveal credential…' }).click();
    await row.getByLabel(/Why do you need Registrar account/).fill('INC-34 move DNS');
    await screenshotsAtBothSizes(app, 'procedure-credential-reason', row);
    await row.getByRole('button', { name: /Log and reveal/ }).click();
    await expect.poll(() => row.getByTestId('credential-value-username').textContent()).toBe('dns-admin@example.org');
    expect(await row.getByTestId('credential-value-password').textContent()).toBe('clip-e2e-pw-7');
    const revealed = events(app, 'secret.revealed');
    expect(revealed).toHaveLength(before + 1);
    expect(revealed.at(-1)?.event).toMatchObject({
      recordId: secretId,
      field: 'username, password',
      reason: 'INC-34 move DNS',
      details: { fields: 'username,password', credential: true },
    });
    await screenshotsAtBothSizes(app, 'procedure-credential-revealed', row);
    await row.getByRole('button', { name: 'Hide' }).click();
    expect(await page.content()).not.toContain('clip-e2e-pw-7');
    expect(app.consoleErrors).toEqual([]);
  });

  it('keeps the two-person rule: the second member confirms the one reveal, named in its one event', async () => {
    const { page } = app;
    await openRecord(app, 'cloud root', 'Break glass into the cloud root account');
    const row = page.getByTestId(`credential-${rootId}`);
    expect(await row.textContent()).toContain('Two-person rule');
    await row.getByRole('button', { name: 'Reveal credential…' }).click();
    await row.getByLabel(/Why do you need Cloud root account/).fill('INC-35 root login');
    expect(await row.getByRole('button', { name: /Log and reveal/ }).isDisabled()).toBe(true);
    const second = row.getByTestId('second-person');
    await expect.poll(() => second.getByLabel('Second member').locator('option').allTextContents()).toEqual(['(choose)', 'bob']);
    await second.getByLabel('Second member').selectOption('bob');
    await second.getByLabel('Their passphrase (they type it)').fill(BOB_PASS);
    await screenshotsAtBothSizes(app, 'procedure-credential-two-person', row);
    await row.getByRole('button', { name: /Log and reveal/ }).click();
    await expect.poll(() => row.getByTestId('credential-value-password').textContent()).toBe('root-e2e-pw-3');
    expect(events(app, 'secret.revealed').at(-1)?.event).toMatchObject({
      recordId: rootId,
      field: 'username, password',
      details: { fields: 'username,password', credential: true, twoPerson: true, secondMember: 'bob' },
    });
  });
});
