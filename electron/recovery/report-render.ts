/**
 * The evidence report as Markdown (for a ticket or a repository) and as a
 * standalone HTML page (printed to PDF by Chromium). Both are rendered from
 * the same EvidenceReport, so they cannot disagree. Every value is escaped:
 * scenario text, notes and record titles are whatever people typed.
 */
import { formatMinutes } from '../../shared/durations.js';
import type { EvidenceReport } from '../../shared/recovery.js';
import { escapeHtml, printablePage } from '../printing/printable-page.js';

const VERDICT = { met: 'met', missed: 'MISSED', 'not-measured': 'not measured' } as const;

/** Times are the engine's, in UTC, and say so: a report travels across time zones. */
export function time(iso: string): string {
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
}

interface Section {
  title: string;
  /** Column headings and rows, or a sentence when there is nothing to tabulate. */
  table?: { head: string[]; rows: string[][] };
  empty?: string;
}

/** Useful after: the time; or why not (waiting on a dependency, no checks); an override says so. */
function usefulCell(x: EvidenceReport['services'][number]): string {
  if (x.usefulMinutes !== null) {
    return x.override ? `${formatMinutes(x.usefulMinutes)} (override)` : formatMinutes(x.usefulMinutes);
  }
  if (x.checksTotal === 0) {
    return 'no checks';
  }
  return x.waitingOn && x.waitingOn.length > 0 ? `not useful: waiting on ${x.waitingOn.join(', ')}` : 'not useful';
}

/** The report as titled sections: both renderers walk the same list. */
function sections(report: EvidenceReport): Section[] {
  const s = report.session;
  const rows = <T>(items: T[], map: (item: T) => string[], empty: string): Pick<Section, 'table' | 'empty'> =>
    items.length === 0 ? { empty } : { table: { head: [], rows: items.map(map) } };
  const withHead = (head: string[], part: Pick<Section, 'table' | 'empty'>): Pick<Section, 'table' | 'empty'> =>
    part.table ? { table: { head, rows: part.table.rows } } : part;
  const outstanding = report.rotation.filter((r) => r.rotatedAt === undefined).length;
  return [
    {
      title: 'Summary',
      table: {
        head: ['', ''],
        rows: [
          ['Kind', s.kind === 'incident' ? 'Real incident' : 'Exercise'],
          ['Scenario', s.scenario],
          ['Started', `${time(s.startedAt)} by ${s.startedBy}`],
          ['Ended', `${time(s.endedAt)} by ${s.endedBy}`],
          ['Duration', formatMinutes(s.durationMinutes)],
          ['Services useful within RTO', `${report.services.filter((x) => x.verdict === 'met').length} of ${report.services.length}`],
          ['Secrets to rotate', outstanding === 0 ? 'none outstanding' : `${outstanding} outstanding`],
        ],
      },
    },
    {
      title: 'Time to useful service against RTO',
      ...withHead(
        ['Wave', 'Service', 'RTO', 'Estimate', 'Useful after', 'Verdict', 'Steps', 'Checks'],
        rows(
          report.services,
          (x) => [
            String(x.wave + 1),
            x.title,
            formatMinutes(x.rtoMinutes),
            formatMinutes(x.estimatedMinutes),
            usefulCell(x),
            VERDICT[x.verdict],
            `${x.stepsDone}/${x.stepsTotal}`,
            `${x.checksPassed}/${x.checksTotal}`,
          ],
          'No services.',
        ),
      ),
    },
    {
      title: 'Counted useful by the commander without waiting',
      ...withHead(
        ['Time', 'Service', 'Was waiting on', 'By', 'Reason'],
        rows(
          report.services.flatMap((x) => (x.override ? [{ title: x.title, ...x.override }] : [])),
          (o) => [time(o.at), o.title, o.waitingOn.join(', '), o.by, o.reason],
          'None: every service counted useful had what it needs back.',
        ),
      ),
    },
    {
      title: 'Steps that caused delay',
      ...withHead(
        ['Minutes', 'Service', 'Step', 'By'],
        rows(report.delays, (d) => [formatMinutes(d.minutes), d.serviceTitle, d.step, d.by], 'No step was ticked.'),
      ),
    },
    // Only when runbooks were ticked from their record view (issue 19): reports of other sessions are unchanged.
    ...(report.runbooks === undefined
      ? []
      : [
          {
            title: 'Runbooks ticked from their page',
            ...withHead(
              ['Runbook', 'Steps', 'Ticked'],
              rows(
                report.runbooks,
                (r) => [r.title, `${r.ticked.length}/${r.stepsTotal}`, r.ticked.map((t) => `${t.step}. ${t.text} (${time(t.at)} ${t.by})`).join('; ')],
                'None.',
              ),
            ),
          },
        ]),
    {
      title: 'Failed validation checks',
      ...withHead(
        ['Service', 'Check', 'Failures'],
        rows(
          report.services.flatMap((x) => x.failedChecks.map((c) => ({ service: x.title, ...c }))),
          (c) => [c.service, c.text, c.failures.map((f) => `${time(f.at)} ${f.by}: ${f.note}`).join('; ')],
          'No validation check failed.',
        ),
      ),
    },
    {
      title: 'Missing dependencies',
      ...withHead(
        ['Service', 'Depends on (not in the vault)'],
        rows(report.missing, (m) => [m.serviceTitle, m.ref], 'None: every dependency is a service in the vault.'),
      ),
    },
    {
      title: 'Blockers and notes',
      ...withHead(
        ['Time', 'Kind', 'By', 'Text'],
        rows(report.journal, (j) => [time(j.at), j.kind, j.by, j.text], 'Nothing was noted.'),
      ),
    },
    {
      title: 'Secrets revealed during the session',
      ...withHead(
        ['Time', 'Who', 'Secret', 'Field', 'Action', 'Reason'],
        rows(report.reveals, (r) => [time(r.at), r.actor, r.recordTitle, r.field, r.action, r.reason], 'No secret was revealed or copied.'),
      ),
    },
    {
      title: 'Rotation checklist',
      ...withHead(
        ['Secret', 'Fields', 'Revealed by', 'Rotated'],
        rows(
          report.rotation,
          (r) => [r.recordTitle, r.fields.join(', '), r.revealedBy.join(', '), r.rotatedAt ? `yes, ${time(r.rotatedAt)} by ${r.rotatedBy ?? ''}` : 'NOT YET'],
          'Nothing to rotate.',
        ),
      ),
    },
  ];
}

function heading(report: EvidenceReport): string {
  return `Evidence report: ${report.session.scenario}`;
}

function footer(report: EvidenceReport): string {
  return `Vault ${report.vault.name} (${report.vault.id}), session ${report.session.id}. Generated ${time(report.generatedAt)} by ${report.generatedBy}.`;
}

export function mdCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/([*_`[\]<>#])/g, '\\$1');
}

export function reportMarkdown(report: EvidenceReport): string {
  const out = [`# ${mdCell(heading(report))}`, ''];
  for (const section of sections(report)) {
    out.push(`## ${section.title}`, '');
    if (section.table) {
      const head = section.table.head.every((h) => h === '') ? ['Item', 'Value'] : section.table.head;
      out.push(`| ${head.map(mdCell).join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`);
      out.push(...section.table.rows.map((row) => `| ${row.map(mdCell).join(' | ')} |`));
    } else {
      out.push(section.empty ?? '');
    }
    out.push('');
  }
  out.push(`_${mdCell(footer(report))}_`, '');
  return out.join('\n');
}

/** What the report adds to the printed page's base style. */
const REPORT_CSS = `
td:first-child { white-space: nowrap; }
.missed, .bad { color: #a00; font-weight: bold; }
.met { color: #060; }
.empty { color: #555; font-style: italic; }
.kind { display: inline-block; padding: 1pt 6pt; border: 1px solid #111; border-radius: 3pt; font-size: 8.5pt; }
`;

function cellClass(text: string): string {
  return text === 'MISSED' || text === 'NOT YET' || text.startsWith('not useful') ? ' class="bad"' : text === 'met' ? ' class="met"' : '';
}

/** A standalone page: no scripts, no external resources (the PDF is printed offline). */
export function reportHtml(report: EvidenceReport): string {
  const body: string[] = [
    `<h1>${escapeHtml(heading(report))}</h1>`,
    `<p><span class="kind">${report.session.kind === 'incident' ? 'REAL INCIDENT' : 'EXERCISE'}</span> ${escapeHtml(report.vault.name)}</p>`,
  ];
  for (const section of sections(report)) {
    body.push(`<h2>${escapeHtml(section.title)}</h2>`);
    if (section.table) {
      const head = section.table.head.every((h) => h === '')
        ? ''
        : `<thead><tr>${section.table.head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
      const rows = section.table.rows.map((row) => `<tr>${row.map((cell) => `<td${cellClass(cell)}>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
      body.push(`<table>${head}<tbody>${rows}</tbody></table>`);
    } else {
      body.push(`<p class="empty">${escapeHtml(section.empty ?? '')}</p>`);
    }
  }
  body.push(`<footer>${escapeHtml(footer(report))}</footer>`);
  return printablePage(heading(report), body.join('\n'), REPORT_CSS);
}
