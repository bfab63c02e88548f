/**
 * The printed binder as one standalone HTML page (issue #21; docs/recovery.md,
 * "The printed binder"): a cover (vault, fingerprint, who printed it, when,
 * what is inside), a table of contents, the recovery plan's waves, the call
 * sheet, then one block per record. Each record is one <table> whose <tfoot>
 * holds its id, revision and content hash: Chromium repeats a table's footer
 * on every page the table spans, so each printed page of a record says which
 * record and which revision it is. Runbooks are rendered by the record view's
 * own Markdown renderer (shared/markdown-html.ts). Sealed values are never
 * here unless the operation unsealed them for an owner's named inclusion.
 * Every value is escaped: titles and fields are whatever people typed.
 */
import qrcode from 'qrcode-generator';
import { formatMinutes } from '../../shared/durations.js';
import { markdownHtml } from '../../shared/markdown-html.js';
import type { RecordImage, RecordLink } from '../../shared/markdown-links.js';
import { kindOf, RECORD_KINDS, viewOf, type RecordType } from '../../shared/record-kinds.js';
import type { RecoveryPlan } from '../../shared/recovery.js';
import { escapeHtml, printablePage } from '../printing/printable-page.js';

export interface BinderEntry {
  id: string;
  type: RecordType;
  title: string;
  revision: number;
  updatedAt: string;
  updatedBy: string;
  hash: string;
  payload: string;
  /** The record's fields as the record view gets them: sealed values masked. */
  data: Record<string, unknown>;
  sealedFields: string[];
  links: RecordLink[];
  images: RecordImage[];
  /** A procedure's secrets: each title with where else to find it (never a value). */
  secrets: { id: string | null; title: string; keyLocation: string | null }[];
  /** A sealed field's key location, for a secret printed without its values. */
  keyLocation: string | null;
  /** Values unsealed for an owner's named inclusion (logged before they were read). */
  revealed: { field: string; value: string }[];
}

export interface Binder {
  vault: { id: string; name: string; fingerprint: string };
  printedAt: string;
  printedBy: string;
  /** How the records were chosen, in words ("services orders-api and what they need"). */
  chosenBy: string;
  entries: BinderEntry[];
  plan: RecoveryPlan | null;
  included: { id: string; title: string; reason: string; second: string } | null;
}

const SECTIONS: readonly { type: RecordType; title: string }[] = [
  { type: 'service', title: 'Services' },
  { type: 'runbook', title: 'Runbooks' },
  { type: 'procedure', title: 'Break-glass procedures' },
  { type: 'key-location', title: 'Key locations' },
  { type: 'secret', title: 'Secrets included by an owner' },
];

const CSS = `
.frame.page-end { break-after: page; }
.cover h1 { font-size: 22pt; margin-top: 30mm; }
.fp { font-family: "DejaVu Sans Mono", monospace; font-size: 11pt; border: 1.5px solid #111; padding: 5pt 7pt; display: inline-block; }
.toc td.n { width: 8mm; color: #555; }
.toc td.id { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; }
.frame { width: 100%; border-collapse: collapse; margin: 0 0 10pt; }
.frame > tbody > tr > td, .frame > tfoot > tr > td { border: none; padding: 0; }
.frame > tfoot > tr > td { font-size: 7.5pt; color: #333; border-top: 1px solid #999; padding-top: 2pt; font-family: "DejaVu Sans Mono", monospace; }
.record { break-before: page; }
.head { display: grid; grid-template-columns: 1fr 32mm; gap: 8pt; align-items: start; }
.qr svg { width: 30mm; height: 30mm; }
.qr .code { font-family: "DejaVu Sans Mono", monospace; font-size: 5.5pt; word-break: break-all; color: #444; }
.kind { color: #555; font-size: 8.5pt; text-transform: uppercase; letter-spacing: 0.5pt; }
.sealed { border: 1px dashed #555; padding: 1pt 4pt; }
.revealed { font-family: "DejaVu Sans Mono", monospace; border: 1.5px solid #a00; padding: 1pt 4pt; white-space: pre-wrap; }
.warn { border: 1.5px solid #a00; color: #a00; padding: 4pt 6pt; font-weight: bold; }
.md pre { white-space: pre-wrap; background: #f3f3f3; padding: 4pt; font-size: 8.5pt; }
.md img { max-width: 100%; }
.md .md-href { color: #555; font-size: 8pt; }
ol.steps li::marker { font-weight: bold; }
.box { display: inline-block; width: 8pt; height: 8pt; border: 1px solid #111; margin-right: 4pt; }
.calls td.qr svg { width: 18mm; height: 18mm; }
.calls td.who { width: 45mm; }
.calls td.qr { width: 19mm; }
.calls td.id { width: 30mm; }
.calls td.id { font-family: "DejaVu Sans Mono", monospace; font-size: 7pt; }
`;

/** A stored scalar as text; anything else (which the schemas do not allow here) as nothing. */
function textOf(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/** Times are the engine's, in UTC, and say so: a binder is read far from where it was printed. */
export function utc(iso: string): string {
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
}

export function qrSvg(payload: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(payload, 'Byte');
  qr.make();
  return qr.createSvgTag({ cellSize: 4, margin: 2, scalable: true });
}

/** The line every page of a record carries. */
export function footerLine(entry: Pick<BinderEntry, 'id' | 'revision' | 'hash'>): string {
  return `${entry.id} · revision ${entry.revision} · hash ${entry.hash}`;
}

function frame(body: string, footer: string, css = ''): string {
  return `<table class="frame${css}"><tfoot><tr><td>${escapeHtml(footer)}</td></tr></tfoot><tbody><tr><td>${body}</td></tr></tbody></table>`;
}

function list(items: unknown, ordered = false): string {
  const texts = Array.isArray(items) ? items.map(String) : [];
  const tag = ordered ? 'ol class="steps"' : 'ul';
  const box = ordered ? '<span class="box"></span>' : '';
  return texts.length === 0 ? '' : `<${tag}>${texts.map((t) => `<li>${box}${escapeHtml(t)}</li>`).join('')}</${ordered ? 'ol' : 'ul'}>`;
}

function sealedNote(keyLocation: string | null): string {
  return `<span class="sealed">sealed: open in Lifeboat${keyLocation ? ` or see key location “${escapeHtml(keyLocation)}”` : ''}</span>`;
}

function fieldsHtml(entry: BinderEntry): string {
  const out: string[] = [];
  const facts: string[] = [];
  for (const field of kindOf(RECORD_KINDS, entry.type).fields) {
    const value = entry.data[field.key];
    const view = viewOf(field);
    const revealed = entry.revealed.find((r) => r.field === field.key);
    if (revealed) {
      facts.push(`<tr><th>${escapeHtml(field.label)}</th><td><span class="revealed">${escapeHtml(revealed.value)}</span></td></tr>`);
    } else if (entry.sealedFields.includes(field.key)) {
      facts.push(`<tr><th>${escapeHtml(field.label)}</th><td>${sealedNote(entry.keyLocation)}</td></tr>`);
    } else if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0) || view === 'hidden' || view === 'badge') {
      continue;
    } else if (view === 'markdown') {
      out.push(`<div class="md">${markdownHtml(textOf(value), entry.links, entry.images, { print: true })}</div>`);
    } else if (view === 'checklist') {
      out.push(`<h3>${escapeHtml(field.label)}</h3>${list(value, true)}`);
    } else if (view === 'checks') {
      out.push(`<h3>${escapeHtml(field.label)}</h3>${list(value)}`);
    } else if (Array.isArray(value)) {
      facts.push(`<tr><th>${escapeHtml(field.label)}</th><td>${escapeHtml(value.map(String).join(' · '))}</td></tr>`);
    } else {
      const shown = field.minutes && typeof value === 'number' ? formatMinutes(value) : textOf(value);
      facts.push(`<tr><th>${escapeHtml(field.label)}</th><td>${escapeHtml(shown)}</td></tr>`);
    }
  }
  if (entry.secrets.length > 0) {
    out.push(`<h3>Secrets it needs</h3><ul>${entry.secrets.map((s) => `<li>${escapeHtml(s.title)} — ${sealedNote(s.keyLocation)}</li>`).join('')}</ul>`);
  }
  return `${facts.length > 0 ? `<table class="facts">${facts.join('')}</table>` : ''}${out.join('')}`;
}

function recordHtml(entry: BinderEntry): string {
  const kind = kindOf(RECORD_KINDS, entry.type).label;
  const warn = entry.revealed.length > 0 ? '<p class="warn">SECRET VALUES ON THIS PAGE. Keep it locked away; rotate them if it is lost.</p>' : '';
  const body = `<div class="head"><div>
<p class="kind">${escapeHtml(kind)}</p>
<h2 id="${escapeHtml(entry.id)}">${escapeHtml(entry.title)}</h2>
<p>Revision ${entry.revision}, changed ${escapeHtml(utc(entry.updatedAt))} by ${escapeHtml(entry.updatedBy)}.</p>
</div><div class="qr">${qrSvg(entry.payload)}<div class="code">${escapeHtml(entry.payload)}</div></div></div>
${warn}${fieldsHtml(entry)}`;
  return frame(body, footerLine(entry), ' record');
}

function coverHtml(binder: Binder): string {
  const counts = SECTIONS.map((s) => ({ ...s, n: binder.entries.filter((e) => e.type === s.type).length }))
    .concat([{ type: 'contact', title: 'Contacts (call sheet)', n: binder.entries.filter((e) => e.type === 'contact').length }])
    .filter((s) => s.n > 0)
    .map((s) => `<li>${escapeHtml(s.title)}: ${s.n}</li>`)
    .join('');
  const fp = binder.vault.fingerprint.split(' ');
  const included = binder.included
    ? `<p class="warn">This binder holds the values of “${escapeHtml(binder.included.title)}”, included by ${escapeHtml(binder.printedBy)} with ${escapeHtml(binder.included.second)} (“${escapeHtml(binder.included.reason)}”).</p>`
    : '<p>No secret value is printed here: sealed fields say where to find them instead.</p>';
  const body = `<div class="cover">
<h1>Lifeboat binder: ${escapeHtml(binder.vault.name)}</h1>
<p>Printed ${escapeHtml(utc(binder.printedAt))} by ${escapeHtml(binder.printedBy)}. Records chosen: ${escapeHtml(binder.chosenBy)}.</p>
<table><tr><td>Vault id</td><td>${escapeHtml(binder.vault.id)}</td></tr></table>
<p>Fingerprint (the app shows the same one in Members &amp; settings):</p>
<p class="fp">${escapeHtml(fp.slice(0, 8).join(' '))}<br>${escapeHtml(fp.slice(8).join(' '))}</p>
<h2>What is inside</h2><ul>${counts || '<li>No records.</li>'}</ul>
${included}
<p>Every page's footer names its record, revision and content hash; the QR code beside each record holds the same.
To learn whether a page is still current, scan it and paste the code in Lifeboat (Members &amp; settings → Printed binder → Check page), or run
<code>lifeboat binder verify DIR --as NAME --code '…'</code>.</p>
</div>`;
  return frame(body, `Lifeboat binder · vault ${binder.vault.id} · printed ${utc(binder.printedAt)}`, ' page-end');
}

function tocHtml(binder: Binder): string {
  let n = 0;
  const rows = (types: readonly RecordType[]): string =>
    binder.entries
      .filter((e) => types.includes(e.type) && e.type !== 'contact')
      .map(
        (e) =>
          `<tr><td class="n">${(n += 1)}</td><td>${escapeHtml(e.title)}</td><td>${escapeHtml(kindOf(RECORD_KINDS, e.type).label)}</td><td class="id">${escapeHtml(footerLine(e))}</td></tr>`,
      )
      .join('');
  const extra = [binder.plan ? '<li>Recovery plan: waves</li>' : '', binder.entries.some((e) => e.type === 'contact') ? '<li>Call sheet</li>' : ''].join('');
  const body = `<div class="toc"><h1>Contents</h1><ul>${extra}</ul>
<table><tr><th></th><th>Title</th><th>Kind</th><th>Record · revision · hash</th></tr>${SECTIONS.map((s) => rows([s.type])).join('')}</table></div>`;
  return frame(body, `Lifeboat binder · vault ${binder.vault.id} · contents`, ' page-end');
}

function planHtml(plan: RecoveryPlan, vaultId: string): string {
  const waves = plan.waves
    .map(
      (wave) =>
        `<h3>Wave ${wave.index + 1}</h3><table><tr><th>Service</th><th>Estimate</th><th>Back after</th><th>RTO</th></tr>${wave.services
          .map(
            (s) =>
              `<tr><td>${escapeHtml(s.title)}</td><td>${s.estimatedMinutes === null ? 'unknown' : formatMinutes(s.estimatedMinutes)}</td><td>${s.lowerBound ? 'at least ' : ''}${formatMinutes(s.finishMinute)}</td><td>${s.rtoMinutes === null ? 'none' : formatMinutes(s.rtoMinutes)}${s.breach ? ' (MISSED on paper)' : ''}</td></tr>`,
          )
          .join('')}</table>`,
    )
    .join('');
  const body = `<h1>Recovery plan</h1><p>Services in one wave can be recovered in parallel; each wave needs the ones before it.</p>${waves || '<p>No service in this binder.</p>'}`;
  return frame(body, `Lifeboat binder · vault ${vaultId} · recovery plan`, ' record');
}

function callSheetHtml(contacts: readonly BinderEntry[], vaultId: string): string {
  const sorted = [...contacts].sort(
    (a, b) => (Number(a.data['escalationOrder'] ?? 1e9) || 1e9) - (Number(b.data['escalationOrder'] ?? 1e9) || 1e9) || a.title.localeCompare(b.title),
  );
  const strings = (value: unknown): string => (Array.isArray(value) ? value.map(String).join(' · ') : '');
  const rows = sorted
    .map(
      (c) =>
        `<tr><td>${escapeHtml(textOf(c.data['escalationOrder']))}</td><td class="who"><strong>${escapeHtml(c.title)}</strong><br>${escapeHtml(textOf(c.data['role']))}</td><td>${escapeHtml(strings(c.data['phones']))}</td><td>${escapeHtml(strings(c.data['channels']))}</td><td class="qr">${qrSvg(c.payload)}</td><td class="id">${escapeHtml(c.id)}<br>revision ${c.revision}<br>hash ${escapeHtml(c.hash)}</td></tr>`,
    )
    .join('');
  const body = `<h1>Call sheet</h1><table class="calls"><tr><th>#</th><th>Who</th><th>Phones</th><th>Out-of-band</th><th>Code</th><th>Record</th></tr>${rows}</table>`;
  return frame(body, `Lifeboat binder · vault ${vaultId} · call sheet (each row names its record, revision and hash)`, ' record');
}

export function binderHtml(binder: Binder): string {
  const contacts = binder.entries.filter((e) => e.type === 'contact');
  const parts = [
    coverHtml(binder),
    tocHtml(binder),
    binder.plan ? planHtml(binder.plan, binder.vault.id) : '',
    contacts.length > 0 ? callSheetHtml(contacts, binder.vault.id) : '',
    ...SECTIONS.flatMap((s) => binder.entries.filter((e) => e.type === s.type).map(recordHtml)),
  ];
  return printablePage(`Lifeboat binder: ${binder.vault.name}`, parts.join('\n'), CSS);
}
