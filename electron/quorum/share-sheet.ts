/**
 * One printed recovery sheet per custodian (issue #7): who holds it, which
 * vault and set it opens, the share as 20 numbered groups (each with its
 * own check character, so a typo is caught in its group), a QR code of the
 * same text, and plain instructions. Written as a PDF (Chromium's
 * print-to-PDF) and as a text file, both readable by their custodian only
 * (0600). The share exists nowhere else: the vault keeps only a check value.
 */
import { join } from 'node:path';
import qrcode from 'qrcode-generator';
import { LifeboatError } from '../../shared/errors.js';
import { writeFileAtomic } from '../vault/storage/atomic-file.js';
import type { CustodianShare, ShareSet } from './quorum-shares.js';
import type { VaultSession } from '../vault/vault-session.js';
import { escapeHtml, printablePage } from '../printing/printable-page.js';
import type { PdfPrinter } from '../printing/pdf-printer.js';

export interface WrittenSheet {
  custodian: string;
  index: number;
  pdf: string;
  text: string;
}

function slug(name: string): string {
  const cleaned = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
  return cleaned === '' ? 'custodian' : cleaned.slice(0, 40);
}

/** Named by set too, so writing a new set next to an old one never overwrites the sheets that still work. */
export function sheetFileBase(set: Pick<ShareSet, 'setId'>, share: CustodianShare): string {
  return `lifeboat-share-${set.setId.slice(0, 8)}-${String(share.index).padStart(2, '0')}-${slug(share.custodian)}`;
}

function instructions(set: ShareSet): string[] {
  return [
    'Keep this sheet sealed and offline. Never photograph it, and never type it anywhere but Lifeboat.',
    `To open the vault when no owner can: ${set.threshold} custodians meet at the recovery laptop, open Lifeboat, choose “Unlock with recovery shares”, pick the vault folder and type their shares one at a time. A mistyped group is marked as soon as it is typed; the groups are numbered as on this sheet.`,
    'A recovery-quorum unlock needs a reason, names every custodian in the audit log, and is shown to the owners and auditors afterwards.',
    'To prove your sheets work without opening anything, enter them the same way and choose “Practise (drill)” instead of unlocking: it is logged as a drill.',
    'When the owners rotate the shares, this sheet stops working: destroy it.',
  ];
}

export function recoverySheetText(set: ShareSet, share: CustodianShare): string {
  const groups = share.text.split(' ');
  const rows = [0, 5, 10, 15].map((start) =>
    groups
      .slice(start, start + 5)
      .map((group, i) => `${String(start + i + 1).padStart(2, ' ')} ${group}`)
      .join('   '),
  );
  return [
    'LIFEBOAT RECOVERY SHEET',
    '',
    `Vault:      ${set.vaultName} (${set.vaultId})`,
    `Set:        ${set.setId}, created ${set.createdAt}`,
    `Custodian:  ${share.custodian}`,
    `Share:      ${share.index} of ${set.shares.length}; any ${set.threshold} of them open the vault`,
    '',
    ...rows,
    '',
    share.text,
    '',
    ...instructions(set).map((line, i) => `${i + 1}. ${line}`),
    '',
  ].join('\n');
}

const SHEET_CSS = `
.who { font-size: 13pt; margin: 6pt 0 2pt; }
.meta td:first-child { width: 32mm; color: #444; }
.share { display: grid; grid-template-columns: repeat(5, 1fr); gap: 4pt 6pt; margin: 10pt 0; }
.group { border: 1.2px solid #111; border-radius: 3pt; padding: 4pt 0 3pt; text-align: center; }
.group .n { display: block; font-size: 7pt; color: #555; }
.group .g { font-family: "DejaVu Sans Mono", monospace; font-size: 15pt; }
.below { display: grid; grid-template-columns: 52mm 1fr; gap: 10pt; align-items: start; }
.qr svg { width: 50mm; height: 50mm; }
.raw { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; word-break: break-all; color: #333; }
ol li { margin-bottom: 4pt; }
.warn { border: 1.5px solid #a00; color: #a00; padding: 4pt 6pt; font-weight: bold; margin-top: 8pt; }
`;

export function recoverySheetHtml(set: ShareSet, share: CustodianShare): string {
  const qr = qrcode(0, 'M');
  qr.addData(share.text, 'Alphanumeric');
  qr.make();
  const groups = share.text
    .split(' ')
    .map((group, i) => `<div class="group"><span class="n">${i + 1}</span><span class="g">${escapeHtml(group)}</span></div>`)
    .join('');
  const body = `
<h1>Lifeboat recovery sheet</h1>
<p class="who">Custodian: <strong>${escapeHtml(share.custodian)}</strong> — share ${share.index} of ${set.shares.length}; any ${set.threshold} open the vault</p>
<table class="meta">
<tr><td>Vault</td><td>${escapeHtml(set.vaultName)}</td></tr>
<tr><td>Vault id</td><td>${escapeHtml(set.vaultId)}</td></tr>
<tr><td>Set</td><td>${escapeHtml(set.setId)}, created ${escapeHtml(set.createdAt)}</td></tr>
</table>
<div class="share" data-share="${escapeHtml(share.text)}">${groups}</div>
<div class="below">
<div class="qr">${qr.createSvgTag({ cellSize: 4, margin: 0, scalable: true })}</div>
<div>
<h2>What to do with it</h2>
<ol>${instructions(set)
    .map((line) => `<li>${escapeHtml(line)}</li>`)
    .join('')}</ol>
<p class="raw">${escapeHtml(share.text)}</p>
</div>
</div>
<p class="warn">SECRET. Anyone holding ${set.threshold} of these sheets can open the vault.</p>
`;
  return printablePage(`Lifeboat recovery sheet: ${share.custodian}`, body, SHEET_CSS);
}

/**
 * Writes every custodian's sheet (PDF and text) into `outDir`, after
 * logging that it did so. Without a printer nothing is written: a share
 * set must not exist half on paper.
 */
export async function writeRecoverySheets(session: VaultSession, set: ShareSet, outDir: string, printer: PdfPrinter | undefined): Promise<WrittenSheet[]> {
  if (!printer) {
    throw new LifeboatError('ENGINE_UNAVAILABLE', 'Recovery sheets are printed to PDF, which needs Chromium here. Nothing was written.');
  }
  // One page at a time: each print starts a Chromium, and a set may have many custodians.
  const pages: { share: CustodianShare; pdf: Uint8Array }[] = [];
  for (const share of set.shares) {
    pages.push({ share, pdf: await printer(recoverySheetHtml(set, share)) });
  }
  await session.log({ type: 'recovery.sheets-written', details: { setId: set.setId, to: outDir, sheets: set.shares.length } });
  const written: WrittenSheet[] = [];
  for (const { share, pdf } of pages) {
    const base = join(outDir, sheetFileBase(set, share));
    await writeFileAtomic(`${base}.pdf`, pdf);
    await writeFileAtomic(`${base}.txt`, recoverySheetText(set, share));
    written.push({ custodian: share.custodian, index: share.index, pdf: `${base}.pdf`, text: `${base}.txt` });
  }
  return written;
}
