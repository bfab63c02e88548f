/**
 * Recovery shares through the real window (issue #7): an owner creates a
 * 2-of-3 set onto sheets; custodians, with no member's passphrase, type
 * their shares one at a time (a mistyped group is marked as it is typed),
 * give a reason and open the vault as "recovery quorum"; the owner is shown
 * that opening at their next unlock. A drill opens nothing; a rotated sheet
 * is refused by name. The two-person rule asks a second member at the same
 * laptop; the emergency kit carries the fingerprint the window shows.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARE_ALPHABET } from '../../shared/share-groups.js';
import { addMember } from '../../electron/vault/vault-members.js';
import { createRecord } from '../../electron/vault/records/vault-records.js';
import { startApp, type TestApp, unlockInWindow } from './harness.js';

const PASS = 'owner passphrase for quorum';
const BOB_PASS = 'bob confirms reveals';
const REASON = 'INC-7: SSO down, no owner reachable';
let app: TestApp;
let work: string;
let dir: string;
/** The shares as printed on the first set's sheets, by custodian. */
let shares: Record<string, string>;

/** Every share sheet's text file in `folder`, keyed by custodian, the share as printed (20 groups). */
function readSheets(folder: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.txt'))) {
    const text = readFileSync(join(folder, file), 'utf8');
    const custodian = /^Custodian:\s+(.+)$/m.exec(text)?.[1]?.trim() ?? '';
    const share = /^(?:[0-9A-Z]{5} ){19}[0-9A-Z]{5}$/m.exec(text)?.[0] ?? '';
    found[custodian] = share;
  }
  return found;
}

/** The share with one character of one group (1-based) changed: what a tired custodian types. */
function withTypo(share: string, group: number): string {
  const groups = share.split(' ');
  const original = groups[group - 1] ?? '';
  const first = original[0] ?? '0';
  const other = SHARE_ALPHABET[(SHARE_ALPHABET.indexOf(first) + 1) % SHARE_ALPHABET.length] ?? '0';
  groups[group - 1] = other + original.slice(1);
  return groups.join(' ');
}

async function unlockAsOwner(): Promise<void> {
  const { page } = app;
  await page.getByRole('tab', { name: 'Unlock a vault' }).click();
  await unlockInWindow(app, dir, 'alice', PASS);
}

async function lock(): Promise<void> {
  await app.page.keyboard.press('Control+l');
  await app.page.getByRole('tab', { name: 'Unlock with recovery shares' }).waitFor();
}

async function openQuorumTab(): Promise<void> {
  const { page } = app;
  await page.getByRole('tab', { name: 'Unlock with recovery shares' }).click();
  await page.getByTestId('quorum-unlock').getByLabel('Vault folder').fill(dir);
}

/** Pastes a whole share into the first box (it spreads over all 20), then checks it. */
async function enterShare(share: string): Promise<void> {
  const { page } = app;
  await page.getByLabel('Group 1', { exact: true }).fill(share);
  await page.getByRole('button', { name: 'Check share' }).click();
}

beforeAll(async () => {
  // New vaults in this process use the cheapest KDF: the test creates one through the window.
  process.env['LIFEBOAT_INSECURE_FAST_KDF'] = '1';
  work = mkdtempSync(join(tmpdir(), 'lifeboat-quorum-'));
  dir = join(work, 'ops.lifeboat');
  app = await startApp();
  await app.page.setViewportSize({ width: 1280, height: 820 });
  const { page } = app;
  await page.getByRole('tab', { name: 'Create a vault' }).click();
  await page.getByLabel('Vault folder').fill(dir);
  await page.getByLabel('Your name (you become the owner)').fill('alice');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
  await page.getByLabel('Repeat the passphrase').fill(PASS);
  await page.getByRole('button', { name: 'Create vault' }).click();
  await page.getByTestId('session-bar').waitFor();
});

afterAll(async () => {
  await app.close();
});

describe('recovery shares and the emergency kit (owner)', () => {
  it('explains shares when there are none, then writes a 2-of-3 set onto sheets', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Members & settings' }).click();
    const card = page.getByTestId('recovery-shares');
    await expect.poll(() => card.getByTestId('shares-empty').textContent()).toContain('owners unreachable, single sign-on down');
    for (const [i, name] of ['Ana', 'Bea', 'Cy'].entries()) {
      await card.getByLabel(`Custodian ${i + 1}`, { exact: true }).fill(name);
    }
    // A majority by default: 2 of 3.
    expect(await card.getByLabel('Custodians needed to open the vault').inputValue()).toBe('2');
    // The removable media's folder, as the owner picked it.
    const sheets = join(work, 'sheets-1');
    mkdirSync(sheets);
    await card.getByLabel(/Write the sheets to/).fill(sheets);
    await card.getByRole('button', { name: 'Create shares and write sheets' }).click();
    await expect.poll(() => card.getByTestId('sheets-written').textContent(), { timeout: 30_000 }).toContain('any 2 of 3 open the vault');
    expect(await card.getByTestId('shares-status').textContent()).toContain('any 2 of 3 custodians');
    expect(await card.getByTestId('shares-status').textContent()).toContain('1. Ana · 2. Bea · 3. Cy');
    // Only file names came back; the sheets are on disk, a PDF and a text file per custodian.
    expect(readdirSync(sheets).filter((f) => f.endsWith('.pdf'))).toHaveLength(3);
    shares = readSheets(sheets);
    expect(Object.keys(shares).sort()).toEqual(['Ana', 'Bea', 'Cy']);
    expect(await page.content()).not.toContain(shares['Ana']?.slice(0, 23));
    // The quorum is a key slot, listed with the members.
    await expect.poll(() => page.getByTestId('member-list').textContent()).toContain('recovery quorum');
    // A set exists now: rotating it is a deliberate step, not the form left filled in.
    expect(await card.getByTestId('rotate-warning').count()).toBe(0);
    expect(await card.getByRole('button', { name: 'Rotate shares…' }).isVisible()).toBe(true);
  });

  it('exports the emergency kit, which carries the fingerprint shown in the window', async () => {
    const { page } = app;
    const kitCard = page.getByTestId('emergency-kit');
    const fingerprint = (await kitCard.getByTestId('vault-fingerprint').textContent())?.trim() ?? '';
    expect(fingerprint).toMatch(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
    const path = join(work, 'emergency-kit.pdf');
    await kitCard.getByLabel('Save the kit as (PDF)').fill(path);
    await kitCard.getByRole('button', { name: 'Export emergency kit (PDF)' }).click();
    await expect.poll(() => kitCard.getByTestId('kit-written').textContent(), { timeout: 30_000 }).toContain(path);
    expect(existsSync(path)).toBe(true);
    const text = execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' });
    // pdftotext may break the line anywhere: compare the digits.
    expect(text.replace(/\s+/g, '')).toContain(fingerprint.replace(/\s+/g, ''));
    expect(text).toContain('Ana, Bea, Cy');
    await page.getByTestId('recovery-shares').scrollIntoViewIfNeeded();
    await app.screenshot('recovery-shares-card');
  });
});

describe('unlock with recovery shares (custodians)', () => {
  it('marks a mistyped group as it is typed, and checks each share as it is entered', async () => {
    const { page } = app;
    await lock();
    await openQuorumTab();
    await page.getByLabel('Group 1', { exact: true }).fill(withTypo(shares['Ana'] ?? '', 3));
    expect(await page.getByTestId('group-3').getAttribute('data-state')).toBe('wrong');
    expect(await page.getByLabel('Group 3', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('group-2').getAttribute('data-state')).toBe('ok');
    expect(await page.getByTestId('share-live').textContent()).toContain('Group 3 does not check');
    // The custodian corrects the group, character by character.
    const group3 = page.getByLabel('Group 3', { exact: true });
    await group3.fill('');
    await group3.pressSequentially(shares['Ana']?.split(' ')[2] ?? '');
    expect(await page.getByTestId('group-3').getAttribute('data-state')).toBe('ok');
    expect(await page.getByTestId('share-live').textContent()).toContain('20 of 20 groups');
    await page.getByRole('button', { name: 'Check share' }).click();
    await expect.poll(() => page.getByTestId('quorum-entered').textContent()).toContain('Share 1 of 2: Ana');
    // The boxes are empty again, and the next custodian types straight into group 1.
    expect(await page.getByLabel('Group 1', { exact: true }).inputValue()).toBe('');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Group 1');
    await page.getByLabel('Group 1', { exact: true }).fill(
      withTypo(shares['Bea'] ?? '', 11)
        .split(' ')
        .slice(0, 12)
        .join(' '),
    );
    await app.screenshot('quorum-unlock');
  });

  it('refuses to open without a reason, then opens as "recovery quorum"', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Clear the boxes' }).click();
    await enterShare(shares['Bea'] ?? '');
    await expect.poll(() => page.getByTestId('quorum-entered').textContent()).toContain('Share 2 of 2: Bea');
    await page.getByRole('button', { name: 'Unlock with recovery shares' }).click();
    await expect.poll(() => page.locator('#quorum-reason-error').textContent()).toContain('needs a reason');
    expect(await page.getByTestId('session-bar').count()).toBe(0);
    await app.screenshot('quorum-ready');
    await page.getByLabel(/Why is the vault opened without an owner/).fill(REASON);
    await page.getByRole('button', { name: 'Unlock with recovery shares' }).click();
    await page.getByTestId('session-bar').waitFor();
    expect(await page.getByTestId('quorum-badge').textContent()).toBe('QUORUM');
    expect(await page.getByTestId('session-bar').textContent()).toContain('recovery quorum · owner');
    expect(await page.getByTestId('quorum-self').textContent()).toContain('Ana, Bea');
    await app.screenshot('quorum-session');
  });

  it('shows the owner that opening at their next unlock, until dismissed', async () => {
    const { page } = app;
    await lock();
    await unlockAsOwner();
    const banner = page.getByTestId('quorum-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('The vault was opened by recovery quorum (Ana, Bea) on');
    expect(await banner.textContent()).toContain(`reason: ${REASON}`);
    expect(await page.getByTestId('quorum-badge').count()).toBe(0);
    await app.screenshot('quorum-banner');
    await banner.getByRole('button', { name: 'Dismiss' }).click();
    expect(await page.getByTestId('quorum-banner').count()).toBe(0);
  });

  it('refuses the same sheet twice, then runs a drill with two shares: custodians proven, nothing opened, shares cleared', async () => {
    const { page } = app;
    await lock();
    await openQuorumTab();
    await enterShare(shares['Cy'] ?? '');
    await expect.poll(() => page.getByTestId('quorum-entered').textContent()).toContain('Share 1 of 2: Cy');
    // The same sheet twice is one custodian, not two.
    await enterShare(shares['Cy'] ?? '');
    await expect.poll(() => page.getByTestId('quorum-error').textContent()).toContain('This is Cy’s share again');
    await page.getByRole('button', { name: 'Clear the boxes' }).click();
    await enterShare(shares['Ana'] ?? '');
    await expect.poll(() => page.getByTestId('quorum-entered').textContent()).toContain('Share 2 of 2: Ana');
    await page.getByRole('button', { name: 'Practise (drill)' }).click();
    await expect.poll(() => page.getByTestId('quorum-drill').textContent()).toContain('the shares of Cy, Ana open this vault');
    expect(await page.getByTestId('session-bar').count()).toBe(0);
    expect(await page.getByTestId('quorum-entered').count()).toBe(0);
    expect(await page.getByLabel('Group 1', { exact: true }).inputValue()).toBe('');
    await app.screenshot('quorum-drill');
  });

  it('refuses a sheet from a rotated set, saying so', async () => {
    const { page } = app;
    await unlockAsOwner();
    await page.getByRole('button', { name: 'Members & settings' }).click();
    const card = page.getByTestId('recovery-shares');
    await card.getByTestId('shares-status').waitFor();
    const oldSet = (await card.getByTestId('set-id').textContent()) ?? '';
    await card.getByRole('button', { name: 'Rotate shares…' }).click();
    expect(await card.getByTestId('rotate-warning').textContent()).toContain(`every sheet of set ${oldSet} useless`);
    // The form starts from the current custodians: rotation goes to the same people.
    expect(await card.getByLabel('Custodian 2', { exact: true }).inputValue()).toBe('Bea');
    mkdirSync(join(work, 'sheets-2'));
    await card.getByLabel(/Write the sheets to/).fill(join(work, 'sheets-2'));
    await card.getByRole('button', { name: 'Rotate shares and write new sheets' }).click();
    await expect.poll(() => card.getByTestId('sheets-written').textContent(), { timeout: 30_000 }).toContain('any 2 of 3');
    expect(await card.getByTestId('set-id').textContent()).not.toBe(oldSet);
    await lock();
    await openQuorumTab();
    await enterShare(shares['Ana'] ?? '');
    await expect.poll(() => page.getByTestId('quorum-error').textContent()).toContain(`from a set of shares that was rotated or revoked (set ${oldSet})`);
    expect(await page.getByTestId('quorum-entered').count()).toBe(0);
  });
});

describe('two-person rule', () => {
  it('asks a second member for a marked secret; a wrong passphrase is refused, the right one reveals', async () => {
    const { page } = app;
    await unlockAsOwner();
    // A commander who can confirm reveals (added by the engine: the members UI has its own test).
    await addMember(app.vault.current(), { name: 'bob', role: 'commander', passphrase: BOB_PASS });
    await page.getByRole('button', { name: 'Library' }).click();
    await page.getByRole('button', { name: '+ New record' }).click();
    await page.getByLabel('Type', { exact: true }).selectOption('secret');
    await page.getByLabel('Title', { exact: true }).fill('Registrar account');
    await page.getByLabel('Password', { exact: true }).fill('two-person-secret-7');
    await page.getByRole('button', { name: 'Create record' }).click();
    await page.getByTestId('sealed-password').waitFor();
    expect(await page.getByTestId('two-person-badge').count()).toBe(0);
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Two-person rule (a second member must confirm every reveal)').check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByTestId('two-person-badge').waitFor();

    const password = page.getByTestId('sealed-password');
    await password.getByRole('button', { name: 'Reveal or copy…' }).click();
    const second = password.getByTestId('second-person');
    // Neither yourself, nor an auditor, nor the quorum's key slot can confirm.
    await expect.poll(() => second.getByLabel('Second member').locator('option').allTextContents()).toEqual(['(choose)', 'bob']);
    await password.getByLabel(/Why do you need it/).fill('INC-8: transfer the domain back');
    await second.getByLabel('Second member').selectOption('bob');
    await second.getByLabel('Their passphrase (they type it)').fill('not bob at all');
    await password.getByRole('button', { name: /Log and reveal/ }).click();
    await expect.poll(() => password.getByTestId('reveal-error').textContent()).toContain('Wrong passphrase');
    expect(await page.content()).not.toContain('two-person-secret-7');
    // The passphrase is not kept after an attempt: bob types it again.
    expect(await second.getByLabel('Their passphrase (they type it)').inputValue()).toBe('');
    await second.getByLabel('Their passphrase (they type it)').fill(BOB_PASS);
    await app.screenshot('two-person-reveal');
    await password.getByRole('button', { name: /Log and reveal/ }).click();
    await expect.poll(() => page.getByTestId('revealed-value').textContent()).toBe('two-person-secret-7');
    await password.getByRole('button', { name: 'Hide' }).click();
  });

  it('asks for the second member when the engine says a two-person procedure covers the secret, and copies with them', async () => {
    const { page } = app;
    // The secret itself is not marked: the procedure that needs it is.
    const session = app.vault.current();
    await createRecord(session, { type: 'secret', title: 'DNS API token', data: { password: 'dns-token-9' } });
    await createRecord(session, {
      type: 'procedure',
      title: 'Move the domain',
      data: { steps: ['Unlock the registrar'], secrets: ['DNS API token'], twoPerson: true },
    });
    await page.getByTestId('search').fill('DNS API token');
    // The procedure lists the secret by name, so it matches too: open the secret by its exact title.
    await page
      .getByTestId('results')
      .locator('.result-title', { hasText: /^DNS API token$/ })
      .click();
    // The previous record stays on screen until this one arrives: wait for its title, not for any password field.
    await expect.poll(() => page.locator('#record-title').textContent()).toBe('DNS API token');
    const password = page.getByTestId('sealed-password');
    await password.waitFor();
    expect(await page.getByTestId('two-person-badge').count()).toBe(0);
    await password.getByRole('button', { name: 'Reveal or copy…' }).click();
    await password.getByLabel(/Why do you need it/).fill('INC-9: rotate the DNS token');
    await password.getByRole('button', { name: /Log and reveal/ }).click();
    await expect.poll(() => password.getByTestId('reveal-error').textContent()).toContain('two-person rule');
    expect(await page.getByTestId('two-person-badge').isVisible()).toBe(true);
    const second = password.getByTestId('second-person');
    await expect.poll(() => second.getByLabel('Second member').locator('option').allTextContents()).toEqual(['(choose)', 'bob']);
    await second.getByLabel('Second member').selectOption('bob');
    await second.getByLabel('Their passphrase (they type it)').fill(BOB_PASS);
    await password.getByRole('button', { name: 'Log and copy' }).click();
    await expect.poll(() => page.getByTestId('copied-notice').textContent()).toContain('clears in');
    expect(app.vault.clipboard.read()).toBe('dns-token-9');
    expect(await page.content()).not.toContain('dns-token-9');
  });

  it('shows the refused and the confirmed reveal in the audit log, with the second member', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Audit', exact: true }).click();
    const timeline = page.getByTestId('timeline');
    await expect.poll(() => timeline.textContent()).toContain('secondMember bob');
    const lines = timeline.locator('li', { hasText: 'secondMember bob' });
    const registrar = lines.filter({ hasText: 'Registrar account' });
    // The refused confirmation (wrong passphrase) is logged too, not only the reveal.
    expect(await registrar.count()).toBe(2);
    const reveal = registrar.filter({ hasText: 'revealed a secret' });
    expect(await reveal.textContent()).toContain('why: INC-8: transfer the domain back');
    expect(await lines.filter({ hasText: 'copied a secret “DNS API token”' }).count()).toBe(1);
    expect(app.consoleErrors).toEqual([]);
  });

  // Issue 15, M2: coverage is by record id, so renaming is guarded, not a way out.
  it('asks a commander renaming a covered secret for a second member, and saves with them', async () => {
    const { page } = app;
    await lock();
    await page.getByRole('tab', { name: 'Unlock a vault' }).click();
    await unlockInWindow(app, dir, 'bob', BOB_PASS);
    await page.getByRole('button', { name: 'Library' }).click();
    await page.getByTestId('search').fill('DNS API token');
    await page
      .getByTestId('results')
      .locator('.result-title', { hasText: /^DNS API token$/ })
      .click();
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Title', { exact: true }).fill('DNS token (old)');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const second = page.getByTestId('second-person');
    await second.waitFor();
    expect(await second.textContent()).toContain('confirms this change');
    expect(await page.getByRole('alert').first().textContent()).toContain('two-person rule');
    await expect.poll(() => second.getByLabel('Second member').locator('option').allTextContents()).toEqual(['(choose)', 'alice']);
    await second.getByLabel('Second member').selectOption('alice');
    await second.getByLabel('Their passphrase (they type it)').fill(PASS);
    await app.screenshot('two-person-edit');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await second.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByRole('heading', { level: 2 }).allTextContents()).toContain('DNS token (old)');
    expect(app.consoleErrors).toEqual([]);
    await lock();
    await unlockAsOwner();
  });
});

describe('revoking the shares (owner)', () => {
  it('asks inline first, keeps them on "Keep the shares", and retires the set on "Revoke and rekey"', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Members & settings' }).click();
    const card = page.getByTestId('recovery-shares');
    await card.getByTestId('shares-status').waitFor();
    await card.getByRole('button', { name: 'Revoke shares…' }).click();
    expect(await card.getByTestId('revoke-confirm').textContent()).toContain('rekeys the vault');
    await card.getByRole('button', { name: 'Keep the shares' }).click();
    expect(await card.getByTestId('shares-status').isVisible()).toBe(true);
    await card.getByRole('button', { name: 'Revoke shares…' }).click();
    await card.getByRole('button', { name: 'Revoke and rekey' }).click();
    await expect.poll(() => card.getByTestId('shares-notice').textContent()).toContain('no sheet of set');
    expect(await card.getByTestId('shares-empty').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('member-list').textContent()).not.toContain('recovery quorum');
  });
});
