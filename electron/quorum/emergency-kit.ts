/**
 * The emergency kit (issue #7): one printed page for the laptop's sleeve.
 * It says which vault this is (id and a fingerprint of its identity, to
 * notice a swapped vault), how to start the app offline, who can open it
 * (members and roles, custodians and threshold), who to call first, and how
 * fresh the runbooks are. It holds no secret.
 *
 * The fingerprint is the engine's (vault/keys/vault-fingerprint.ts), so the
 * app shows the same one in Members & settings and `lifeboat kit
 * --fingerprint` prints it.
 */
import { LifeboatError } from '../../shared/errors.js';
import { lastSync } from '../catalog/catalog-trust.js';
import { writeFileAtomic } from '../vault/storage/atomic-file.js';
import { QUORUM_MEMBER } from '../vault/vault-members.js';
import { callList } from '../vault/records/vault-records.js';
import type { VaultSession } from '../vault/vault-session.js';
import { escapeHtml, printablePage } from '../printing/printable-page.js';
import type { PdfPrinter } from '../printing/pdf-printer.js';

export interface KitData {
  vaultName: string;
  vaultId: string;
  fingerprint: string;
  folder: string;
  generatedAt: string;
  generatedBy: string;
  members: { name: string; role: string }[];
  recovery: { setId: string; threshold: number; custodians: string[]; createdAt: string } | null;
  firstContact: { name: string; role: string; phones: string[]; channels: string[] } | null;
  lastCatalog: { catalogId: string; version: number; at: string } | null;
  /** Each epoch's audit key; in format 2 each is signed by the identity the fingerprint names. */
  auditKeys: { epoch: number; publicKey: string }[];
}

export async function kitData(session: VaultSession): Promise<KitData> {
  session.require('records.read');
  const { header, dir } = session;
  const first = (await callList(session))[0];
  const sync = lastSync(session);
  return {
    vaultName: header.name,
    vaultId: header.vaultId,
    fingerprint: session.fingerprint,
    folder: dir,
    generatedAt: new Date().toISOString(),
    generatedBy: session.member.name,
    members: header.slots.filter((s) => s.member !== QUORUM_MEMBER).map((s) => ({ name: s.member, role: s.role })),
    recovery: header.recovery
      ? {
          setId: header.recovery.setId,
          threshold: header.recovery.threshold,
          custodians: header.recovery.custodians.map((c) => c.name),
          createdAt: header.recovery.createdAt,
        }
      : null,
    firstContact: first ? { name: first.name, role: first.role, phones: first.phones, channels: first.channels } : null,
    lastCatalog: sync ? { catalogId: sync.catalogId, version: sync.version, at: sync.at } : null,
    auditKeys: header.auditPublicKeys.map(({ epoch, publicKey }) => ({ epoch, publicKey })),
  };
}

const KIT_CSS = `
.fp { font-family: "DejaVu Sans Mono", monospace; font-size: 12pt; letter-spacing: 1pt; border: 1.5px solid #111; padding: 6pt 8pt; display: inline-block; }
.mono { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt; word-break: break-all; }
ol li { margin-bottom: 3pt; }
.call { font-size: 12pt; }
`;

function row(label: string, value: string): string {
  return `<tr><td>${escapeHtml(label)}</td><td>${escapeHtml(value)}</td></tr>`;
}

export function kitHtml(kit: KitData): string {
  const recovery = kit.recovery
    ? `<p>Any <strong>${kit.recovery.threshold}</strong> of these ${kit.recovery.custodians.length} custodians can open the vault with their recovery sheets (set ${escapeHtml(kit.recovery.setId)}, created ${escapeHtml(kit.recovery.createdAt.slice(0, 10))}):</p>
<p><strong>${kit.recovery.custodians.map(escapeHtml).join(', ')}</strong></p>`
    : '<p><strong>No recovery shares.</strong> If no member can unlock, the vault cannot be opened. An owner can create shares in Members &amp; settings.</p>';
  const contact = kit.firstContact
    ? `<p class="call"><strong>${escapeHtml(kit.firstContact.name)}</strong>${kit.firstContact.role ? ` (${escapeHtml(kit.firstContact.role)})` : ''}: ${escapeHtml(
        [...kit.firstContact.phones, ...kit.firstContact.channels].join(' · ') || 'no phone or channel recorded',
      )}</p>`
    : '<p>No contact has an escalation order yet.</p>';
  const body = `
<h1>Lifeboat emergency kit: ${escapeHtml(kit.vaultName)}</h1>
<p>Keep this page with the recovery laptop. It holds no secret.</p>
<h2>Is this the right vault?</h2>
<table>${row('Vault id', kit.vaultId)}${row('Folder', kit.folder)}</table>
<p>Fingerprint (Lifeboat shows the same one in Members &amp; settings, and <code>lifeboat kit --fingerprint</code> prints it):</p>
<p class="fp">${escapeHtml(kit.fingerprint.split(' ').slice(0, 8).join(' '))}<br>${escapeHtml(kit.fingerprint.split(' ').slice(8).join(' '))}</p>
<h2>Start it offline</h2>
<ol>
<li>Keep the laptop off every network. Lifeboat needs none and makes no network request.</li>
<li>Start Lifeboat from the applications menu (or run <code>npm start</code> in its folder).</li>
<li>Choose <em>Unlock a vault</em>, the folder above, your name and your passphrase.</li>
<li>If no member can unlock: <em>Unlock with recovery shares</em>, with the custodians below.</li>
</ol>
<h2>Call first</h2>
${contact}
<h2>Who can open it</h2>
<table><tr><th>Member</th><th>Role</th></tr>${kit.members.map((m) => `<tr><td>${escapeHtml(m.name)}</td><td>${escapeHtml(m.role)}</td></tr>`).join('')}</table>
${recovery}
<h2>How fresh are the runbooks?</h2>
<p>${kit.lastCatalog ? `Last catalog sync: ${escapeHtml(kit.lastCatalog.catalogId)} version ${kit.lastCatalog.version}, ${escapeHtml(kit.lastCatalog.at.slice(0, 10))}.` : 'No catalog has been synced: the runbooks are maintained by hand.'}</p>
<h2>Checking evidence, and a rollback</h2>
<p>An audit export or evidence report is this vault's only if it verifies against the fingerprint above:
<code>lifeboat audit verify --export FILE --fingerprint "${escapeHtml(kit.fingerprint)}"</code>.</p>
<p><strong>Keep a checkpoint off this laptop</strong> after every exercise (<code>lifeboat audit checkpoint ${escapeHtml(kit.folder)} --as NAME</code>,
saved to paper or another machine). Nothing inside the folder can prove it was not rolled back as a whole;
<code>lifeboat audit verify … --since CHECKPOINT</code> can.</p>
<table>${kit.auditKeys.map((k) => `<tr><td>audit key, epoch ${k.epoch}</td><td class="mono">${escapeHtml(k.publicKey)}</td></tr>`).join('')}</table>
<footer>Printed ${escapeHtml(kit.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))} by ${escapeHtml(kit.generatedBy)}.</footer>
`;
  return printablePage(`Lifeboat emergency kit: ${kit.vaultName}`, body, KIT_CSS);
}

/** Prints the kit to `path` (logged first). */
export async function exportKit(session: VaultSession, path: string, printer: PdfPrinter | undefined): Promise<{ path: string; bytes: number }> {
  if (!printer) {
    throw new LifeboatError('ENGINE_UNAVAILABLE', 'The emergency kit is printed to PDF, which needs Chromium here.');
  }
  const pdf = await printer(kitHtml(await kitData(session)));
  await session.log({ type: 'kit.exported', details: { to: path } });
  await writeFileAtomic(path, pdf);
  return { path, bytes: pdf.length };
}
