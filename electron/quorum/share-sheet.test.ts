/**
 * Recovery sheets and the emergency kit as printed pages: the share is on the
 * sheet exactly, in numbered groups and as a QR code; typed names cannot
 * inject markup; nothing is written without a printer; the kit identifies
 * the vault by a fingerprint that survives rekeys.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PASSPHRASES, newVault } from '../../test/support/test-vault.js';
import { loadSodium } from '../vault/keys/crypto-runtime.js';
import { createRecoveryShares } from './quorum-shares.js';
import { auditEntries } from '../vault/audit/vault-audit.js';
import { addMember, removeMember } from '../vault/vault-members.js';
import { createRecord } from '../vault/records/vault-records.js';
import { vaultFingerprint } from '../vault/keys/vault-fingerprint.js';
import { exportKit, kitData, kitHtml } from './emergency-kit.js';
import { recoverySheetHtml, recoverySheetText, sheetFileBase, writeRecoverySheets } from './share-sheet.js';

const stubPrinter = (html: string): Promise<Uint8Array> => Promise.resolve(new TextEncoder().encode(html));

describe('recovery sheets', () => {
  it('carry the share exactly, group by group, with a QR code and no way to inject markup', async () => {
    const { session } = await newVault();
    const set = await createRecoveryShares(session, { threshold: 2, custodians: ['<script>alert(1)</script>', 'Bea'] });
    const share = set.shares[0];
    if (!share) {
      throw new Error('no share');
    }
    const html = recoverySheetHtml(set, share);
    const groups = share.text.split(' ');
    expect(groups).toHaveLength(20);
    // The groups appear in order, each in its own numbered box.
    let from = 0;
    groups.forEach((group, i) => {
      const at = html.indexOf(`<span class="n">${i + 1}</span><span class="g">${group}</span>`, from);
      expect(at, `group ${i + 1}`).toBeGreaterThan(from);
      from = at;
    });
    expect(html).toContain('<svg');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain("default-src 'none'");
    const text = recoverySheetText(set, share);
    expect(text).toContain(share.text);
    expect(text).toContain('Share:      1 of 2; any 2 of them open the vault');
    expect(sheetFileBase(set, share)).toBe(`lifeboat-share-${set.setId.slice(0, 8)}-01-script-alert-1-script`);
    await session.lock();
  });

  it('writes nothing without a printer, and 0600 files with one', async () => {
    const { session } = await newVault();
    const out = mkdtempSync(join(tmpdir(), 'lb-sheets-'));
    await expect(
      createRecoveryShares(session, { threshold: 2, custodians: ['Ana', 'Bea'] }, (set) => writeRecoverySheets(session, set, out, undefined)),
    ).rejects.toMatchObject({ code: 'ENGINE_UNAVAILABLE' });
    expect(session.internals().header.recovery).toBeUndefined();
    let written: Awaited<ReturnType<typeof writeRecoverySheets>> = [];
    const set = await createRecoveryShares(session, { threshold: 2, custodians: ['Ana', 'Bea'] }, async (s) => {
      written = await writeRecoverySheets(session, s, out, stubPrinter);
    });
    expect(written.map((w) => w.custodian)).toEqual(['Ana', 'Bea']);
    for (const [i, sheet] of written.entries()) {
      expect(statSync(sheet.pdf).mode & 0o777).toBe(0o600);
      expect(readFileSync(sheet.text, 'utf8')).toContain(set.shares[i]?.text);
    }
    expect(auditEntries(session).map((e) => e.event.type)).toEqual(expect.arrayContaining(['recovery.shares-created', 'recovery.sheets-written']));
    await session.lock();
  });
});

describe('the emergency kit', () => {
  it('names the vault, who can open it, who to call first, and the custodians', async () => {
    const { session } = await newVault();
    await addMember(session, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
    await createRecord(session, {
      type: 'contact',
      title: 'Duty <b>IC</b>',
      data: { role: 'incident commander', phones: ['+44 20 7946 0101'], escalationOrder: 1 },
    });
    await createRecoveryShares(session, { threshold: 2, custodians: ['Ana', 'Bea', 'Cy'] });
    const kit = await kitData(session);
    expect(kit.members).toEqual([
      { name: 'alice', role: 'owner' },
      { name: 'bob', role: 'commander' },
    ]);
    expect(kit.recovery).toMatchObject({ threshold: 2, custodians: ['Ana', 'Bea', 'Cy'] });
    expect(kit.firstContact).toMatchObject({ name: 'Duty <b>IC</b>', phones: ['+44 20 7946 0101'] });
    const html = kitHtml(kit);
    // Printed in two rows of eight groups, easier to compare by eye.
    const groups = kit.fingerprint.split(' ');
    expect(html).toContain(`${groups.slice(0, 8).join(' ')}<br>${groups.slice(8).join(' ')}`);
    expect(html).toContain('Duty &lt;b&gt;IC&lt;/b&gt;');
    expect(html).toContain('Any <strong>2</strong> of these 3 custodians');
    expect(html).not.toContain('recovery quorum</td>');
    // How to check evidence against this very fingerprint, and to keep a checkpoint where a rollback cannot reach it.
    expect(html).toContain(`--fingerprint "${kit.fingerprint}"`);
    expect(html).toContain('Keep a checkpoint off this laptop');
    await session.lock();
  });

  it('keeps the same fingerprint across a rekey, and differs between vaults', async () => {
    const sodium = await loadSodium();
    const { session } = await newVault();
    await addMember(session, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
    const before = vaultFingerprint(sodium, session.header);
    await removeMember(session, 'bob');
    expect(session.header.keyEpoch).toBe(2);
    expect(vaultFingerprint(sodium, session.header)).toBe(before);
    expect(before).toMatch(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
    const other = await newVault();
    expect(vaultFingerprint(sodium, other.session.header)).not.toBe(before);
    await other.session.lock();
    await session.lock();
  });

  it('is printed only with a printer, and its export is logged', async () => {
    const { session } = await newVault();
    const path = join(mkdtempSync(join(tmpdir(), 'lb-kit-')), 'kit.pdf');
    await expect(exportKit(session, path, undefined)).rejects.toMatchObject({ code: 'ENGINE_UNAVAILABLE' });
    expect(await exportKit(session, path, stubPrinter)).toMatchObject({ path });
    expect(readFileSync(path, 'utf8')).toContain('Lifeboat emergency kit');
    expect(auditEntries(session).at(-1)?.event).toMatchObject({ type: 'kit.exported', details: { to: path } });
    await session.lock();
  });
});
