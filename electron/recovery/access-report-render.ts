/**
 * The access report as Markdown and as a printable HTML page (Chromium prints
 * it to PDF through the PdfPrinter port). Both walk the same section list, so
 * they cannot disagree; every value is escaped (titles, reasons and scenario
 * text are whatever people typed).
 */
import { ACCESS_SECTION_TITLES, CONTROL_DISCLAIMER, CONTROL_MAPPING, type AccessReport, type AccessSection } from '../../shared/access-report.js';
import { formatMinutes } from '../../shared/durations.js';
import { escapeHtml, printablePage } from '../printing/printable-page.js';
import { mdCell, time } from './report-render.js';

interface Section {
  key: AccessSection | 'summary' | 'controls';
  title: string;
  head: string[];
  rows: string[][];
  empty: string;
}

function periodText(report: AccessReport): string {
  const { from, to } = report.period;
  if (from === null && to === null) {
    return 'the whole log';
  }
  return `${from === null ? 'the start of the log' : time(from)} to ${to === null ? 'the end of the log' : time(to)}`;
}

function rotatedCell(r: AccessReport['rotation'][number]): string {
  if (r.rotatedAt === null) {
    return 'NOT ROTATED';
  }
  return `yes, ${time(r.rotatedAt)} by ${r.rotatedBy ?? ''} (${formatMinutes(r.minutesToRotate ?? 0)} after the last reveal)`;
}

function sessionOf(r: AccessReport['reveals'][number]): string {
  if (r.sessionKind === null) {
    return 'outside any session';
  }
  return r.sessionKind === 'incident' ? `incident ${r.sessionId ?? ''}` : `exercise ${r.sessionId ?? ''}`;
}

function sections(report: AccessReport): Section[] {
  const outstanding = report.rotation.filter((r) => r.rotatedAt === null).length;
  return [
    {
      key: 'summary',
      title: 'Summary',
      head: ['Item', 'Value'],
      rows: [
        ['Period', periodText(report)],
        ['Events in the period', String(report.period.events)],
        ['Unlocks', `${report.unlocks.length} (${report.unlocks.filter((u) => u.method === 'quorum').length} by recovery quorum)`],
        ['Secrets revealed or copied', String(report.reveals.length)],
        [
          'Emergency sessions',
          `${report.sessions.filter((s) => s.kind === 'incident').length} incidents, ${report.sessions.filter((s) => s.kind === 'exercise').length} exercises`,
        ],
        ['Revealed secrets not rotated', outstanding === 0 ? 'none' : String(outstanding)],
        ['Failed unlock attempts', String(report.failedUnlocks.reduce((n, f) => n + f.count, 0))],
      ],
      empty: '',
    },
    {
      key: 'unlocks',
      title: ACCESS_SECTION_TITLES.unlocks,
      head: ['#', 'Time', 'Member', 'Role', 'How', 'Reason'],
      rows: report.unlocks.map((u) => [
        String(u.seq),
        time(u.at),
        u.member,
        u.role,
        u.method === 'quorum' ? `recovery quorum: ${u.custodians.join(', ')}` : 'passphrase',
        u.reason,
      ]),
      empty: 'No unlock in this period.',
    },
    {
      key: 'failedUnlocks',
      title: ACCESS_SECTION_TITLES.failedUnlocks,
      head: ['#', 'Logged', 'Kind', 'Attempts', 'Last attempt', 'Member', 'Record'],
      rows: report.failedUnlocks.map((f) => [
        String(f.seq),
        time(f.at),
        f.kind === 'passphrase' ? 'wrong passphrase or unknown member' : 'second person refused',
        String(f.count),
        f.lastAttemptAt === null ? '' : time(f.lastAttemptAt),
        f.member,
        f.recordTitle,
      ]),
      empty: 'No failed attempt in this period.',
    },
    {
      key: 'reveals',
      title: ACCESS_SECTION_TITLES.reveals,
      head: ['#', 'Time', 'Who', 'Secret', 'Field', 'Action', 'Reason', 'Second person', 'During'],
      rows: report.reveals.map((r) => [String(r.seq), time(r.at), r.actor, r.recordTitle, r.field, r.action, r.reason, r.secondMember ?? '', sessionOf(r)]),
      empty: 'No secret was revealed or copied in this period.',
    },
    {
      key: 'approvals',
      title: ACCESS_SECTION_TITLES.approvals,
      head: ['#', 'Time', 'Member', 'Confirmed by', 'Action', 'Record'],
      rows: report.approvals.map((a) => [String(a.seq), time(a.at), a.actor, a.secondMember, a.type, a.recordTitle]),
      empty: 'No two-person approval in this period.',
    },
    {
      key: 'sessions',
      title: ACCESS_SECTION_TITLES.sessions,
      head: ['Kind', 'Scenario', 'Started', 'Ended', 'Lasted', 'Reveals'],
      rows: report.sessions.map((s) => [
        s.kind === 'incident' ? 'INCIDENT' : 'exercise',
        s.scenario,
        `${time(s.startedAt)} by ${s.startedBy}`,
        s.endedAt === null ? 'STILL RUNNING' : `${time(s.endedAt)} by ${s.endedBy ?? ''}`,
        s.durationMinutes === null ? '' : formatMinutes(s.durationMinutes),
        String(s.reveals),
      ]),
      empty: 'No exercise or incident in this period.',
    },
    {
      key: 'rotation',
      title: ACCESS_SECTION_TITLES.rotation,
      head: ['Secret', 'Fields', 'Revealed by', 'Last revealed', 'Rotated'],
      rows: report.rotation.map((r) => [r.recordTitle, r.fields.join(', '), r.revealedBy.join(', '), time(r.lastRevealedAt), rotatedCell(r)]),
      empty: 'Nothing was revealed, so nothing needs rotating.',
    },
    {
      key: 'changes',
      title: ACCESS_SECTION_TITLES.changes,
      head: ['#', 'Time', 'By', 'Change'],
      rows: report.changes.map((c) => [String(c.seq), time(c.at), `${c.actor} (${c.role})`, c.summary]),
      empty: 'No configuration change in this period.',
    },
    {
      key: 'integrity',
      title: ACCESS_SECTION_TITLES.integrity,
      head: ['Item', 'Value'],
      rows: [
        ['Records in the log', String(report.integrity.logRecords)],
        [
          'Log spans',
          report.integrity.firstAt === null ? 'empty' : `${time(report.integrity.firstAt)} to ${time(report.integrity.lastAt ?? report.integrity.firstAt)}`,
        ],
        ['Sequence numbers in this period', report.period.firstSeq === null ? 'none' : `${report.period.firstSeq} to ${report.period.lastSeq ?? ''}`],
        ['Check it', 'lifeboat audit verify --export REPORT.json (the signed JSON form of this report)'],
      ],
      empty: '',
    },
    {
      key: 'controls',
      title: 'Appendix: control mapping (guidance, not certification)',
      head: ['Section', 'May evidence', 'Why'],
      rows: CONTROL_MAPPING.map((m) => [ACCESS_SECTION_TITLES[m.section], m.controls.join('; '), m.note]),
      empty: '',
    },
  ];
}

function heading(report: AccessReport): string {
  return `Emergency-access report: ${report.vault.name}`;
}

function footer(report: AccessReport): string {
  return `Vault ${report.vault.name} (${report.vault.id}). Period: ${periodText(report)}. Generated ${time(report.generatedAt)} by ${report.generatedBy}. No secret value is ever part of this report.`;
}

export function accessReportMarkdown(report: AccessReport): string {
  const out = [`# ${mdCell(heading(report))}`, ''];
  for (const section of sections(report)) {
    out.push(`## ${section.title}`, '');
    if (section.rows.length === 0) {
      out.push(section.empty, '');
      continue;
    }
    out.push(`| ${section.head.map(mdCell).join(' | ')} |`, `|${section.head.map(() => ' --- ').join('|')}|`);
    out.push(...section.rows.map((row) => `| ${row.map(mdCell).join(' | ')} |`), '');
    if (section.key === 'controls') {
      out.push(`_${mdCell(CONTROL_DISCLAIMER)}_`, '');
    }
  }
  out.push(`_${mdCell(footer(report))}_`, '');
  return out.join('\n');
}

const CSS = `
td { vertical-align: top; }
.bad { color: #a00; font-weight: bold; }
.empty { color: #555; font-style: italic; }
.disclaimer { font-style: italic; }
`;

function cell(text: string): string {
  const bad = text === 'NOT ROTATED' || text === 'INCIDENT' || text === 'STILL RUNNING';
  return `<td${bad ? ' class="bad"' : ''}>${escapeHtml(text)}</td>`;
}

/** A standalone page: no scripts, no external resources (printed offline). */
export function accessReportHtml(report: AccessReport): string {
  const body = [`<h1>${escapeHtml(heading(report))}</h1>`, `<p>Period: ${escapeHtml(periodText(report))}</p>`];
  for (const section of sections(report)) {
    body.push(`<h2>${escapeHtml(section.title)}</h2>`);
    if (section.rows.length === 0) {
      body.push(`<p class="empty">${escapeHtml(section.empty)}</p>`);
      continue;
    }
    const head = `<thead><tr>${section.head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
    body.push(`<table>${head}<tbody>${section.rows.map((row) => `<tr>${row.map(cell).join('')}</tr>`).join('\n')}</tbody></table>`);
    if (section.key === 'controls') {
      body.push(`<p class="disclaimer">${escapeHtml(CONTROL_DISCLAIMER)}</p>`);
    }
  }
  body.push(`<footer>${escapeHtml(footer(report))}</footer>`);
  return printablePage(heading(report), body.join('\n'), CSS);
}
