/**
 * The evidence report as Markdown and as standalone HTML (issue #6). Scenario
 * text, notes and record titles are whatever people typed, often in a hurry
 * and mid-incident: neither rendering may let them break a table, inject
 * markup or script, or make the printed page reach the network.
 *
 * The Markdown is checked both as text and as CommonMark rendered by
 * markdown-it with raw HTML allowed (the most permissive place it may be
 * pasted: a ticket or a repository's README).
 */
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { EvidenceReportSchema, type EvidenceReport } from '../../shared/recovery.js';
import { reportHtml, reportMarkdown } from './report-render.js';

const SECTIONS = [
  'Summary',
  'Time to useful service against RTO',
  'Counted useful by the commander without waiting',
  'Steps that caused delay',
  'Failed validation checks',
  'Missing dependencies',
  'Blockers and notes',
  'Secrets revealed during the session',
  'Rotation checklist',
];

/** Every character that can end a cell, start markup or smuggle HTML, and line breaks of both kinds. */
const HOSTILE =
  'Evil <script>alert(1)</script> | pipe *bold* `tick` _under_ [link](x) # hash \\| slash-pipe <img src=x onerror=alert(2)>\nline two\r\nline three';

function report(text = (plain: string) => plain): EvidenceReport {
  const at = (minutes: number): string => new Date(Date.parse('2026-03-02T09:00:00.000Z') + minutes * 60_000).toISOString();
  return EvidenceReportSchema.parse({
    vault: { id: 'v-1234', name: text('Ops vault') },
    session: {
      id: 'ses-abc',
      kind: 'incident',
      scenario: text('Postgres primary lost'),
      startedAt: at(0),
      startedBy: 'alice',
      endedAt: at(95),
      endedBy: 'alice',
      durationMinutes: 95,
    },
    services: [
      {
        id: 'svc-1',
        title: text('Identity'),
        wave: 0,
        rtoMinutes: 30,
        estimatedMinutes: 20,
        usefulMinutes: 28,
        verdict: 'met',
        stepsDone: 2,
        stepsTotal: 2,
        checksPassed: 1,
        checksTotal: 1,
        failedChecks: [],
        override: { at: at(28), by: 'alice', reason: text('Runs from the cache in this scenario'), waitingOn: ['Directory'] },
      },
      {
        id: 'svc-2',
        title: 'Postgres',
        wave: 1,
        rtoMinutes: 60,
        estimatedMinutes: 40,
        usefulMinutes: 70,
        verdict: 'missed',
        stepsDone: 1,
        stepsTotal: 2,
        checksPassed: 2,
        checksTotal: 2,
        failedChecks: [{ text: text('Orders page loads'), failures: [{ at: at(30), by: 'bob', note: text('HTTP 500 on orders') }] }],
      },
      {
        id: 'svc-3',
        title: 'Wiki',
        wave: 0,
        rtoMinutes: null,
        estimatedMinutes: null,
        usefulMinutes: null,
        verdict: 'not-measured',
        stepsDone: 0,
        stepsTotal: 1,
        checksPassed: 0,
        checksTotal: 1,
        failedChecks: [],
        waitingOn: ['Postgres'],
      },
    ],
    delays: [
      { serviceId: 'svc-2', serviceTitle: 'Postgres', step: text('Restore base backup'), minutes: 50, by: 'bob' },
      { serviceId: 'svc-1', serviceTitle: text('Identity'), step: 'Fail over the IdP', minutes: 5, by: 'alice' },
    ],
    missing: [{ serviceId: 'svc-2', serviceTitle: 'Postgres', ref: text('Fraud scoring') }],
    journal: [
      { at: at(45), by: 'bob', kind: 'blocker', serviceId: 'svc-2', text: text('Backup bucket needs the cloud root') },
      { at: at(80), by: 'alice', kind: 'note', text: 'Pipeline down' },
    ],
    reveals: [
      { at: at(40), actor: 'alice', action: 'revealed', recordId: 'sec-1', recordTitle: text('Root DB'), field: 'password', reason: text('INC-42 restore') },
      { at: at(55), actor: 'bob', action: 'copied', recordId: 'sec-1', recordTitle: text('Root DB'), field: 'username', reason: 'connect' },
    ],
    rotation: [{ recordId: 'sec-1', recordTitle: text('Root DB'), fields: ['password', 'username'], lastRevealedAt: at(55), revealedBy: ['alice', 'bob'] }],
    generatedAt: at(120),
    generatedBy: 'alice',
  });
}

const hostile = (): EvidenceReport => report((plain) => `${plain} ${HOSTILE}`);

/** Positions of `char` not escaped by a backslash (an even run of backslashes before it escapes nothing). */
function unescapedCount(line: string, char: string): number {
  let count = 0;
  for (let i = 0; i < line.length; i += 1) {
    if (line[i] !== char) {
      continue;
    }
    let slashes = 0;
    for (let j = i - 1; j >= 0 && line[j] === '\\'; j -= 1) {
      slashes += 1;
    }
    if (slashes % 2 === 0) {
      count += 1;
    }
  }
  return count;
}

/** CommonMark line endings: LF, CRLF, or a CR on its own. */
const lines = (text: string): string[] => text.split(/\r\n|\r|\n/);

/** Groups of consecutive lines that start with a pipe: the Markdown tables. */
function tables(markdown: string): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  for (const line of lines(markdown)) {
    if (line.startsWith('|')) {
      current.push(line);
    } else if (current.length > 0) {
      out.push(current);
      current = [];
    }
  }
  return current.length > 0 ? [...out, current] : out;
}

/** The table rows markdown-it renders, each as its cells' text. */
function renderedTables(markdown: string): string[][][] {
  const html = new MarkdownIt({ html: true }).render(markdown);
  return [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((table) =>
    [...(table[1] ?? '').matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
      [...(row[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => cell[1] ?? ''),
    ),
  );
}

describe('Markdown', () => {
  it('has every section, and the rows of each table', () => {
    const markdown = reportMarkdown(report());
    const headings = lines(markdown)
      .filter((line) => line.startsWith('## '))
      .map((line) => line.slice(3));
    expect(headings).toEqual(SECTIONS);
    expect(lines(markdown)[0]).toBe('# Evidence report: Postgres primary lost');

    const rendered = renderedTables(markdown);
    // Every section has something to tabulate in this report.
    expect(rendered).toHaveLength(SECTIONS.length);
    const [summary, services, overrides, delays, failed, missing, journal, reveals, rotation] = rendered;
    expect(summary).toContainEqual(['Scenario', 'Postgres primary lost']);
    expect(summary).toContainEqual(['Services useful within RTO', '1 of 3']);
    expect(summary).toContainEqual(['Secrets to rotate', '1 outstanding']);
    expect(services?.slice(1)).toEqual([
      ['1', 'Identity', '30 min', '20 min', '28 min (override)', 'met', '2/2', '1/1'],
      ['2', 'Postgres', '1 h', '40 min', '1 h 10 min', 'MISSED', '1/2', '2/2'],
      ['1', 'Wiki', '—', '—', 'not useful: waiting on Postgres', 'not measured', '0/1', '0/1'],
    ]);
    // An override is evidence: when, for what, who and why.
    expect(overrides?.slice(1)).toEqual([['2026-03-02 09:28:00 UTC', 'Identity', 'Directory', 'alice', 'Runs from the cache in this scenario']]);
    expect(delays?.slice(1).map((row) => row.slice(1, 3))).toEqual([
      ['Postgres', 'Restore base backup'],
      ['Identity', 'Fail over the IdP'],
    ]);
    expect(failed?.slice(1)).toEqual([['Postgres', 'Orders page loads', '2026-03-02 09:30:00 UTC bob: HTTP 500 on orders']]);
    expect(missing?.slice(1)).toEqual([['Postgres', 'Fraud scoring']]);
    expect(journal?.slice(1).map((row) => row.slice(1))).toEqual([
      ['blocker', 'bob', 'Backup bucket needs the cloud root'],
      ['note', 'alice', 'Pipeline down'],
    ]);
    expect(reveals?.slice(1).map((row) => row.slice(1))).toEqual([
      ['alice', 'Root DB', 'password', 'revealed', 'INC-42 restore'],
      ['bob', 'Root DB', 'username', 'copied', 'connect'],
    ]);
    expect(rotation?.slice(1)).toEqual([['Root DB', 'password, username', 'alice, bob', 'NOT YET']]);
    expect(markdown).toContain('ses-abc');
  });

  it('says so in a sentence, not an empty table, when a section has nothing', () => {
    const empty = { ...report(), delays: [], missing: [], journal: [], reveals: [], rotation: [] };
    empty.services = empty.services.map(({ override: _override, ...s }) => ({ ...s, failedChecks: [] }));
    const markdown = reportMarkdown(empty);
    // Only the summary and the services are tables now.
    expect(renderedTables(markdown)).toHaveLength(2);
    expect(lines(markdown).filter((line) => line.startsWith('## '))).toHaveLength(SECTIONS.length);
  });

  it('escapes typed text so it cannot break a table or inject markup', () => {
    const markdown = reportMarkdown(hostile());
    const found = tables(markdown);
    expect(found).toHaveLength(SECTIONS.length);
    for (const table of found) {
      const columns = unescapedCount(table[0] ?? '', '|');
      for (const row of table) {
        expect({ row, pipes: unescapedCount(row, '|') }).toEqual({ row, pipes: columns });
        for (const char of ['<', '>', '*', '`', '_', '[', ']']) {
          expect({ row, char, unescaped: unescapedCount(row, char) }).toEqual({ row, char, unescaped: 0 });
        }
      }
    }
    // Newlines became spaces: no line of the file starts inside a typed value.
    expect(lines(markdown).filter((line) => line.startsWith('line '))).toEqual([]);
    expect(lines(markdown)[0]).toMatch(/^# Evidence report: Postgres primary lost Evil /);

    // Rendered, the tables keep their shape and the text comes back literally, script and all.
    const html = new MarkdownIt({ html: true }).render(markdown);
    expect(html).not.toMatch(/<script|<img|<a |<strong>|<code>/i);
    // The one emphasis is the template's own footer line.
    expect(html.match(/<em>/g)).toHaveLength(1);
    for (const table of renderedTables(markdown)) {
      expect(new Set(table.map((row) => row.length)).size).toBe(1);
    }
    expect(html).toContain('Evil &lt;script&gt;alert(1)&lt;/script&gt; | pipe *bold* `tick` _under_ [link](x) # hash \\| slash-pipe');
  });

  // CommonMark treats a lone "\r" as a line ending too: a scenario, note or
  // title holding one (pasted from an old Mac or a terminal) once ended the
  // table row mid-cell.
  it('keeps a table intact when typed text holds a lone carriage return', () => {
    const markdown = reportMarkdown(report((plain) => `${plain}\rinjected | row`));
    for (const table of tables(markdown)) {
      const columns = unescapedCount(table[0] ?? '', '|');
      for (const row of table) {
        expect({ row, pipes: unescapedCount(row, '|') }).toEqual({ row, pipes: columns });
      }
    }
    for (const table of renderedTables(markdown)) {
      expect(new Set(table.map((row) => row.length)).size).toBe(1);
    }
  });
});

describe('HTML for the PDF', () => {
  const ALLOWED_TAGS = new Set([
    '!doctype',
    'html',
    'head',
    'meta',
    'title',
    'style',
    'body',
    'h1',
    'h2',
    'p',
    'span',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'footer',
  ]);
  const ALLOWED_ATTRIBUTES = new Set(['lang', 'charset', 'http-equiv', 'content', 'class']);

  it('is one standalone page that fetches nothing and runs nothing', () => {
    const html = reportHtml(hostile());
    expect(html).not.toMatch(/<script/i);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none';[^"]*">/);
    // No URL of any kind: the PDF is printed offline and must not reach out when opened.
    expect(html).not.toMatch(/https?:|url\(|@import/i);
    // Every tag is one the template writes, with only the template's attributes: typed text adds none.
    for (const match of html.matchAll(/<\/?([!a-zA-Z][\w-]*)([^>]*)>/g)) {
      const tag = (match[1] ?? '').toLowerCase();
      expect({ tag, allowed: ALLOWED_TAGS.has(tag) }).toEqual({ tag, allowed: true });
      for (const attribute of (match[2] ?? '').matchAll(/([a-zA-Z-]+)=/g)) {
        expect({ tag, attribute: attribute[1], allowed: ALLOWED_ATTRIBUTES.has(attribute[1] ?? '') }).toEqual({ tag, attribute: attribute[1], allowed: true });
      }
    }
    // The typed text is kept, escaped, not dropped.
    expect(html).toContain('Evil &lt;script&gt;alert(1)&lt;/script&gt; | pipe *bold*');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
  });

  it('shows the same sections and verdicts as the Markdown', () => {
    const html = reportHtml(report());
    expect([...html.matchAll(/<h2>(.*?)<\/h2>/g)].map((m) => m[1])).toEqual(SECTIONS);
    expect(html).toContain('<td class="bad">MISSED</td>');
    expect(html).toContain('<td class="met">met</td>');
    expect(html).toContain('<td class="bad">NOT YET</td>');
    expect(html).toContain('REAL INCIDENT');
    expect(html).toContain('<title>Evidence report: Postgres primary lost</title>');
  });
});
