/**
 * Styling for the terminal (issue 17): SGR colours and nothing else, only
 * when the verb allows colour; widths measured without them; words wrapped
 * and table columns aligned. Callers escape record text (shared/terminal-text.ts)
 * before it reaches here, so onlyOwnStyling can prove the result safe.
 */
import stringWidth from 'string-width';
import { escapeForTerminal } from '../../shared/terminal-text.js';

export type Style = 'bold' | 'dim' | 'italic' | 'underline' | 'cyan' | 'yellow' | 'blue';
const SGR: Record<Style, string> = { bold: '1', dim: '2', italic: '3', underline: '4', cyan: '36', yellow: '33', blue: '34' };
const ESC = String.fromCharCode(0x1b);
/** What styling is allowed to look like: SGR with numbers only. */
const OWN_SEQUENCE = new RegExp(`${ESC}\\[[\\d;]*m`, 'gu');

/** The text without our styling: what the reader sees, for measuring. */
function visible(text: string): string {
  return text.replace(OWN_SEQUENCE, '');
}

/**
 * Columns a text takes on a terminal: East Asian wide characters (CJK) and
 * emoji take two, combining marks none (string-width, Unicode's East Asian
 * Width and emoji data), so a table of Chinese or Japanese runbook titles
 * stays aligned.
 */
export function widthOf(text: string): number {
  return stringWidth(visible(text));
}

/** True when the only escape sequences in `text` are our own SGR colours: safe for the raw terminal. */
export function onlyOwnStyling(text: string): boolean {
  return escapeForTerminal(visible(text)) === visible(text).replace(/\r\n/gu, '\n');
}

export class Painter {
  constructor(readonly on: boolean) {}

  paint(text: string, ...styles: Style[]): string {
    if (!this.on || styles.length === 0 || text === '') {
      return text;
    }
    return `${ESC}[${styles.map((s) => SGR[s]).join(';')}m${text}${ESC}[0m`;
  }
}

/** Words wrapped at `width`, each line after the first starting with `indent`. */
export function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  for (const paragraphLine of text.split('\n')) {
    let line = '';
    for (const word of paragraphLine.split(' ')) {
      if (line !== '' && widthOf(line) + 1 + widthOf(word) > width) {
        lines.push(line);
        line = word;
      } else {
        line = line === '' ? word : `${line} ${word}`;
      }
    }
    lines.push(line);
  }
  return lines.join(`\n${indent}`);
}

export interface Cell {
  text: string;
  align: 'left' | 'right' | 'center';
}

function alignCell(cell: Cell, width: number): string {
  const room = width - widthOf(cell.text);
  if (cell.align === 'right') {
    return ' '.repeat(room) + cell.text;
  }
  if (cell.align === 'center') {
    const left = Math.floor(room / 2);
    return ' '.repeat(left) + cell.text + ' '.repeat(room - left);
  }
  return cell.text + ' '.repeat(room);
}

/** A table's rows, every column as wide as its widest cell, a rule under the header. */
export function table(rows: Cell[][], headerRows: number, indent: string, paint: Painter): string[] {
  const columns = Math.max(0, ...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(1, ...rows.map((r) => widthOf(r[c]?.text ?? ''))));
  const lines = rows.map((row) => {
    const cells = widths.map((w, c) => alignCell(row[c] ?? { text: '', align: 'left' }, w));
    return `${indent}${cells.join(' │ ')}`.trimEnd();
  });
  if (headerRows > 0) {
    lines.splice(headerRows, 0, indent + paint.paint(widths.map((w) => '─'.repeat(w)).join('─┼─'), 'dim'));
  }
  return lines;
}
