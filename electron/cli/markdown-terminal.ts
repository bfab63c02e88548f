/**
 * A record's Markdown for a person at a terminal (issue 17, "`show` in a
 * terminal"): headings underlined, lists indented with their markers, code
 * blocks indented and kept as written, tables aligned, links followed by
 * where they lead (another record's title and id, else the path or URL as
 * text: nothing is fetched). markdown-it parses, with the window's settings.
 *
 * Terminal safety (shared/terminal-text.ts, issue 15 M6): every piece of
 * record text is escaped here, before styling is added, so the only escape
 * sequences in the result are the SGR colours written below, and only when
 * `colour` is on (a TTY without NO_COLOR; the verb decides). The verb checks
 * that before writing to the raw terminal (onlyOwnStyling).
 */
import MarkdownIt, { type Token } from 'markdown-it';
import { linkTable, withHugoRefsAsPaths, type RecordLink } from '../../shared/markdown-links.js';
import { escapeForTerminal } from '../../shared/terminal-text.js';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

export interface TerminalMarkdownOptions {
  colour: boolean;
  /** Wrap paragraphs at this many columns (code and tables are never wrapped). */
  width: number;
  links?: readonly RecordLink[] | undefined;
}

type Style = 'bold' | 'dim' | 'italic' | 'underline' | 'cyan' | 'yellow' | 'blue';
const SGR: Record<Style, string> = { bold: '1', dim: '2', italic: '3', underline: '4', cyan: '36', yellow: '33', blue: '34' };
const ESC = String.fromCharCode(0x1b);
/** What styling is allowed to look like: SGR with numbers only. */
const OWN_SEQUENCE = new RegExp(`${ESC}\\[[\\d;]*m`, 'gu');

/** The text without our styling: what the reader sees, for measuring. */
function visible(text: string): string {
  return text.replace(OWN_SEQUENCE, '');
}

/** Columns a text takes (code points; wide CJK characters count as one, a known approximation). */
function widthOf(text: string): number {
  return Array.from(visible(text)).length;
}

/** True when the only escape sequences in `text` are our own SGR colours: safe for the raw terminal. */
export function onlyOwnStyling(text: string): boolean {
  return escapeForTerminal(visible(text)) === visible(text).replace(/\r\n/gu, '\n');
}

class Painter {
  constructor(readonly on: boolean) {}

  paint(text: string, ...styles: Style[]): string {
    if (!this.on || styles.length === 0 || text === '') {
      return text;
    }
    return `${ESC}[${styles.map((s) => SGR[s]).join(';')}m${text}${ESC}[0m`;
  }
}

/** Words wrapped at `width`, each line after the first starting with `indent`. */
function wrap(text: string, width: number, indent: string): string {
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

/** Where a link leads, after its text. */
function linkSuffix(link: RecordLink | undefined, href: string, paint: Painter): string {
  switch (link?.kind) {
    case 'record':
      return paint.paint(` [→ ${escapeForTerminal(link.title)}${link.anchor ? ` #${escapeForTerminal(link.anchor)}` : ''}, ${link.id}]`, 'blue');
    case 'outside':
      return paint.paint(` (${escapeForTerminal(link.path)})`, 'dim');
    case 'anchor':
      return '';
    default:
      return href === '' || href.startsWith('#') ? '' : paint.paint(` (${escapeForTerminal(href)})`, 'dim');
  }
}

function inline(tokens: readonly Token[], links: Map<string, RecordLink>, paint: Painter): string {
  let out = '';
  const styles: Style[] = [];
  const hrefs: string[] = [];
  let linkText = '';
  const append = (styled: string): void => {
    if (hrefs.length > 0) {
      linkText += styled;
    } else {
      out += styled;
    }
  };
  const emit = (text: string): void => {
    append(paint.paint(text, ...styles));
  };
  for (const token of tokens) {
    switch (token.type) {
      case 'text':
        emit(escapeForTerminal(token.content));
        break;
      case 'code_inline': {
        const code = escapeForTerminal(token.content);
        append(paint.on ? paint.paint(code, 'yellow') : `\`${code}\``);
        break;
      }
      case 'softbreak':
        emit(' ');
        break;
      case 'hardbreak':
        emit('\n');
        break;
      case 'strong_open':
        styles.push('bold');
        break;
      case 'em_open':
        styles.push('italic');
        break;
      case 's_open':
        styles.push('dim');
        break;
      case 'strong_close':
      case 'em_close':
      case 's_close':
        styles.pop();
        break;
      case 'link_open':
        hrefs.push(token.attrGet('href') ?? '');
        styles.push('underline');
        break;
      case 'link_close': {
        styles.pop();
        const href = hrefs.pop() ?? '';
        const text = linkText;
        linkText = '';
        out += text + linkSuffix(links.get(href), href, paint);
        break;
      }
      case 'image':
        emit(`[image: ${escapeForTerminal(token.content || 'image')}]`);
        break;
      default:
        emit(escapeForTerminal(token.content));
    }
  }
  return out + linkText;
}

interface Cell {
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
function table(rows: Cell[][], headerRows: number, indent: string, paint: Painter): string[] {
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

function alignOf(token: Token): Cell['align'] {
  const style = token.attrGet('style') ?? '';
  return style.includes('right') ? 'right' : style.includes('center') ? 'center' : 'left';
}

/** Renders markdown-it's block tokens, keeping the list and quote nesting as indentation. */
export function markdownForTerminal(source: string, options: TerminalMarkdownOptions): string {
  const paint = new Painter(options.colour);
  const links = linkTable(options.links);
  const tokens = md.parse(withHugoRefsAsPaths(source), {});
  const out: string[] = [];
  const lists: { ordered: boolean; next: number }[] = [];
  let indent = '';
  let quote = '';
  let marker = '';
  let rows: Cell[][] = [];
  let headerRows = 0;
  let inHead = false;
  const prefix = (): string => quote + indent;
  const block = (text: string): void => {
    const first = marker === '' ? prefix() : prefix().slice(0, -marker.length) + marker;
    marker = '';
    out.push(first + text);
  };

  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i];
    if (!token) {
      continue;
    }
    switch (token.type) {
      case 'heading_open': {
        const level = Number(token.tag.slice(1));
        const text = inline(tokens[i + 1]?.children ?? [], links, paint);
        if (out.length > 0) {
          out.push('');
        }
        block(paint.paint(text, 'bold', ...(level <= 2 ? (['cyan'] as Style[]) : [])));
        if (level <= 2) {
          out.push(prefix() + paint.paint((level === 1 ? '═' : '─').repeat(Math.min(widthOf(text), options.width)), 'cyan'));
        }
        i += 2;
        break;
      }
      case 'paragraph_open': {
        const text = inline(tokens[i + 1]?.children ?? [], links, paint);
        if (!token.hidden && lists.length === 0 && out.length > 0) {
          out.push(quote.trimEnd());
        }
        block(wrap(text, Math.max(20, options.width - widthOf(prefix())), prefix()));
        i += 2;
        break;
      }
      case 'bullet_list_open':
      case 'ordered_list_open':
        if (lists.length === 0 && out.length > 0) {
          out.push(quote.trimEnd());
        }
        lists.push({ ordered: token.type === 'ordered_list_open', next: Number(token.attrGet('start') ?? 1) });
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        break;
      case 'list_item_open': {
        const list = lists[lists.length - 1];
        const mark = list?.ordered ? `${list.next++}. ` : '• ';
        marker = mark.padStart(Math.max(mark.length, 3));
        indent += ' '.repeat(marker.length);
        break;
      }
      case 'list_item_close':
        indent = indent.slice(0, -Math.max(3, marker.length || 3));
        marker = '';
        break;
      case 'blockquote_open':
        out.push('');
        quote += paint.paint('│ ', 'dim');
        break;
      case 'blockquote_close':
        quote = quote.slice(0, -paint.paint('│ ', 'dim').length);
        break;
      case 'fence':
      case 'code_block': {
        if (lists.length === 0) {
          out.push('');
        }
        const code = escapeForTerminal(token.content.replace(/\n$/u, ''))
          .split('\n')
          .map((line, n) => `${n === 0 && marker !== '' ? '' : prefix()}    ${paint.paint(line, 'yellow')}`.trimEnd());
        if (marker !== '') {
          block(code.join('\n'));
        } else {
          out.push(...code);
        }
        break;
      }
      case 'hr':
        out.push('', prefix() + paint.paint('─'.repeat(Math.min(40, options.width)), 'dim'));
        break;
      case 'table_open':
        rows = [];
        headerRows = 0;
        out.push('');
        break;
      case 'thead_open':
        inHead = true;
        break;
      case 'thead_close':
        inHead = false;
        break;
      case 'tr_open':
        rows.push([]);
        headerRows += inHead ? 1 : 0;
        break;
      case 'th_open':
      case 'td_open': {
        const text = inline(tokens[i + 1]?.children ?? [], links, paint);
        rows[rows.length - 1]?.push({ text: token.type === 'th_open' ? paint.paint(text, 'bold') : text, align: alignOf(token) });
        break;
      }
      case 'table_close':
        out.push(...table(rows, headerRows, prefix(), paint));
        break;
      default:
        break;
    }
  }
  return `${out.join('\n').replace(/^\n+/u, '')}\n`;
}
