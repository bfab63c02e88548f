/**
 * The printed binder (issue #21), end to end in-process: records chosen by
 * service, printed through Chromium, read back with pdftotext (titles, no
 * sealed value, every page's footer naming its record's current revision and
 * hash), the QR code decoded from the page image and verified, an edit making
 * the page "changed since", the readiness review flagging the binder, and an
 * owner's explicit inclusion of one secret (reason, second member, logged first).
 * One vault for the file; the CLI itself is run once (contract).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPdfPrinter } from '../../electron/chromium/chromium-pdf-printer.js';
import { previewBinder, printBinder, verifyBinderPage } from '../../electron/operations/binder.js';
import { readinessOf } from '../../electron/operations/recovery.js';
import { contentHash } from '../../electron/recovery/binder-content.js';
import { eventsForEvidence } from '../../electron/vault/audit/vault-audit.js';
import { createRecord, editRecord } from '../../electron/vault/records/vault-records.js';
import { addMember } from '../../electron/vault/vault-members.js';
import type { VaultSession } from '../../electron/vault/vault-session.js';
import { LifeboatError } from '../../shared/errors.js';
import { newVault, PASSPHRASES, refusal } from '../support/test-vault.js';

// jsqr is CommonJS with an ES default in its types: the function itself either way.
type Decode = typeof jsQRModule.default;
const jsQR: Decode = typeof jsQRModule === 'function' ? jsQRModule : jsQRModule.default;

const PASSWORD = 'Zebra-Quokka-7731!plant';
const printer = chromiumPdfPrinter(process.env);
let session: VaultSession;
let work: string;
const ids: Record<string, string> = {};

function pdfText(pdf: string, page?: number): string {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  return execFileSync('pdftotext', ['-layout', ...range, pdf, '-'], { encoding: 'utf8' });
}

function pageCount(pdf: string): number {
  return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1] ?? 0);
}

/** The QR codes' text on one page, decoded from its image as a phone would. */
function qrOnPage(pdf: string, page: number): string | null {
  const base = join(work, `page-${page}`);
  execFileSync('pdftoppm', ['-r', '150', '-png', '-f', String(page), '-l', String(page), pdf, base]);
  const file = readdirSync(work).find((f) => f.startsWith(`page-${page}-`) && f.endsWith('.png')) ?? '';
  const png = PNG.sync.read(readFileSync(join(work, file)));
  return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)?.data ?? null;
}

async function add(type: Parameters<typeof createRecord>[1]['type'], title: string, data: Record<string, unknown>): Promise<void> {
  ids[title] = (await createRecord(session, { type, title, data })).id;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lifeboat-binder-'));
  ({ session } = await newVault());
  await addMember(session, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
  await add('service', 'Orders DB', { tier: 0, rtoMinutes: 60 });
  await add('service', 'Orders API', { tier: 1, rtoMinutes: 90, dependsOn: ['Orders DB'] });
  await add('service', 'Billing', { tier: 2 });
  await add('runbook', 'Restore the orders database', {
    service: 'Orders DB',
    estimatedMinutes: 45,
    steps: ['Stop writes', 'Restore the last base backup'],
    body: '## Restore\n\n```sh\npg_restore -d orders latest.dump\n```\n\n<script>alert(1)</script> <img src=x onerror=alert(1)>\n\n![diagram](https://evil.example/track.png) [console](javascript:alert(1))\n',
  });
  // Long enough for three printed pages: each must carry its own footer.
  await add('runbook', 'Fail over the orders database', {
    service: 'Orders DB',
    body: Array.from({ length: 120 }, (_, i) => `Step note ${i + 1}: check the replica lag before promoting.`).join('\n\n'),
  });
  await add('runbook', 'Redeploy the orders API', { service: 'Orders API', estimatedMinutes: 20, body: 'Redeploy with the last good image.' });
  await add('runbook', 'Billing retry queue', { service: 'Billing', body: 'Drain the queue.' });
  await add('contact', 'Dana On-call', { role: 'DBA', phones: ['+44 20 7946 0001'], escalationOrder: 1 });
  await add('secret', 'Postgres superuser', { username: 'postgres', password: PASSWORD });
  await add('key-location', 'Safe in room 4', { what: 'Postgres superuser recovery envelope', where: 'Room 4 safe, shelf 2' });
  await add('procedure', 'Break glass: Orders DB', { steps: ['Fetch the envelope'], secrets: [ids['Postgres superuser'] ?? ''], tags: ['orders db'] });
}, 60_000);

afterAll(async () => {
  await session.lock();
});

describe('a binder of one service and what it needs', () => {
  let pdf: string;

  beforeAll(async () => {
    pdf = join(work, 'orders.pdf');
    await printBinder(session, { services: ['Orders API'] }, pdf, printer);
  }, 60_000);

  it('holds the chosen records and nothing of the rest, and never a sealed value', () => {
    const text = pdfText(pdf);
    for (const title of [
      'Orders API',
      'Orders DB',
      'Restore the orders database',
      'Redeploy the orders API',
      'Dana On-call',
      'Safe in room 4',
      'Break glass: Orders DB',
      'Call sheet',
      'Contents',
      'Wave 1',
      'Wave 2',
    ]) {
      expect(text).toContain(title);
    }
    expect(text).not.toContain('Billing retry queue');
    expect(text).not.toContain(PASSWORD);
    expect(text.replace(/\s+/g, ' ')).toContain('Postgres superuser — sealed: open in Lifeboat or see key location “Safe in room 4”');
    expect(text).toContain('pg_restore -d orders latest.dump');
  });

  it('carries on every page a footer naming the record, its current revision and content hash', () => {
    const pages = pageCount(pdf);
    expect(pages).toBeGreaterThan(5);
    const store = session.store();
    let recordPages = 0;
    for (let page = 1; page <= pages; page += 1) {
      const text = pdfText(pdf, page);
      const footer = /([a-z]+-[0-9a-f]{10}) · revision (\d+) · hash ([0-9a-f]{16})\s*$/u.exec(text.trimEnd());
      if (footer === null) {
        expect(text, `page ${page}`).toMatch(/Lifeboat binder · vault [0-9a-f]{32}/);
        continue;
      }
      recordPages += 1;
      const record = store.get(footer[1] ?? '');
      expect(record, `page ${page}`).toBeDefined();
      expect(Number(footer[2])).toBe(record?.revision);
      expect(footer[3]).toBe(contentHash(session.vaultId, record as NonNullable<typeof record>));
    }
    expect(recordPages).toBeGreaterThanOrEqual(8);
    const longRunbook = [...Array(pages).keys()].filter((i) => pdfText(pdf, i + 1).includes(`${ids['Fail over the orders database'] ?? '?'} · revision 1`));
    expect(longRunbook.length).toBeGreaterThanOrEqual(3);
  });

  it('logs the print with every record before the file was written', () => {
    const printed = eventsForEvidence(session).filter((e) => e.event.type === 'binder.printed');
    expect(printed).toHaveLength(1);
    const listed = String(printed[0]?.event.details?.['records']);
    expect(listed).toContain(`${ids['Restore the orders database'] ?? ''}:1:`);
    expect(listed).not.toContain(ids['Billing retry queue'] ?? 'none');
    expect(listed).not.toContain(ids['Postgres superuser'] ?? 'none');
  });

  it('has a QR code that, decoded from the page image, verifies as current, then as changed since after an edit', async () => {
    const pages = pageCount(pdf);
    const runbookPage = [...Array(pages).keys()].map((i) => i + 1).find((p) => pdfText(pdf, p).includes('Redeploy with the last good image.')) ?? 0;
    const code = qrOnPage(pdf, runbookPage);
    expect(code).toMatch(new RegExp(`^lifeboat-binder:1:${session.vaultId}:${ids['Redeploy the orders API'] ?? ''}:1:[0-9a-f]{16}$`));
    expect((await verifyBinderPage(session, code ?? '')).status).toBe('current');

    await editRecord(session, ids['Redeploy the orders API'] ?? '', { set: { estimatedMinutes: 25, body: 'Redeploy with the image tagged stable.' } });
    const changed = await verifyBinderPage(session, code ?? '');
    expect(changed.status).toBe('changed');
    expect(changed.message).toContain('by alice');
    expect(changed.changes.map((c) => c.revision)).toEqual([2]);
    const verified = eventsForEvidence(session).filter((e) => e.event.type === 'binder.verified');
    expect(verified.map((e) => e.event.details?.['status'])).toEqual(['current', 'changed']);

    const review = readinessOf(session);
    expect(review.vault.map((f) => f.message)).toContainEqual(
      expect.stringMatching(/^The binder of \d{4}-\d\d-\d\d \(printed by alice\): 1 runbook changed since/),
    );
  }, 30_000);
});

describe('checking a page', () => {
  it('says unknown for another vault, no such record, or a hash that does not match', async () => {
    const other = await verifyBinderPage(session, `lifeboat-binder:1:${'0'.repeat(32)}:rb-0123456789:1:0123456789abcdef`);
    expect(other.status).toBe('unknown');
    expect(other.message).toContain('another vault');
    const missing = await verifyBinderPage(session, `lifeboat-binder:1:${session.vaultId}:rb-0123456789:1:0123456789abcdef`);
    expect(missing.message).toContain('no record rb-0123456789');
    const forged = await verifyBinderPage(session, `lifeboat-binder:1:${session.vaultId}:${ids['Orders DB'] ?? ''}:1:0123456789abcdef`);
    expect(forged.status).toBe('unknown');
    expect(forged.message).toContain('does not match revision 1');
  });

  it('says changed since, with who and when, for a record deleted after printing', async () => {
    const { deleteRecord } = await import('../../electron/vault/records/vault-records.js');
    const record = session.store().get(ids['Dana On-call'] ?? '');
    const code = `lifeboat-binder:1:${session.vaultId}:${record?.id ?? ''}:1:${contentHash(session.vaultId, record as NonNullable<typeof record>)}`;
    await deleteRecord(session, record?.id ?? '');
    // Typed from paper: the printed line wraps, and white space is ignored.
    const check = await verifyBinderPage(session, `${code.slice(0, 30)}\n ${code.slice(30)}`);
    expect(check.status).toBe('changed');
    expect(check.message).toMatch(/^Changed since: “Dana On-call” was deleted \d{4}-\d\d-\d\d \d\d:\d\d UTC by alice \(printed at revision 1\)/u);
    expect(check.changes.map((c) => c.action)).toEqual(['deleted']);
  });

  it('refuses a malformed code, naming the part', async () => {
    const error = await refusal(verifyBinderPage(session, `lifeboat-binder:1:${session.vaultId}:rb-x:one:0123456789abcdef`));
    expect(error.code).toBe('VAULT_BAD_INPUT');
    expect(error.message).toContain('revision');
  });
});

describe('what the binder shows of a runbook', () => {
  it('renders Markdown as the record view does, inert: no script, no handler, nothing remote', async () => {
    const { html } = await previewBinder(session, { search: 'orders database' });
    expect(html).toContain('<h2>Restore</h2>');
    // Typed HTML stays text (escaped); no element gets a handler, a remote source or a link.
    expect(html).not.toMatch(/<script|<[^>]+\son\w+=|\ssrc="(?!data:)|<a\s|href=/u);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('[image: diagram]');
  });
});

describe("an owner's explicit inclusion of a secret", () => {
  it('needs an owner, a reason and a second member, and logs the reveal before the print', async () => {
    const out = join(work, 'with-secret.pdf');
    const refused = await refusal(
      printBinder(session, { services: ['Orders DB'] }, out, printer, {
        ids: [ids['Postgres superuser'] ?? ''],
        reason: 'safe copy',
        second: { member: 'bob', passphrase: 'wrong passphrase' },
      }),
    );
    expect(refused).toBeInstanceOf(LifeboatError);
    expect(existsSync(out)).toBe(false);

    await printBinder(session, { services: ['Orders DB'] }, out, printer, {
      ids: [ids['Postgres superuser'] ?? ''],
      reason: 'offsite safe copy',
      second: { member: 'bob', passphrase: PASSPHRASES['bob'] ?? '' },
    });
    expect(pdfText(out)).toContain(PASSWORD);
    const events = eventsForEvidence(session);
    const revealed = events.findLast((e) => e.event.type === 'secret.revealed');
    const printed = events.findLast((e) => e.event.type === 'binder.printed');
    expect(revealed?.event.details?.['secondMember']).toBe('bob');
    expect(revealed?.seq).toBeLessThan(printed?.seq ?? 0);
    expect(printed?.event.details?.['secrets']).toBe(ids['Postgres superuser']);
  }, 60_000);
});
