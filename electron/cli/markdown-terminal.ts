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
import { imageTable, linkTable, withHugoRefsAsPaths, type RecordImage, type RecordLink } from '../../shared/markdown-links.js';
import { escapeForTerminal } from '../../shared/terminal-text.js';
import { bytesInWords } from '../../shared/byte-size.js';
import { Painter, table, widthOf, wrap, type Cell, type Style } from './terminal-style.js';

export { onlyOwnStyling } from './terminal-style.js';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

export interface TerminalMarkdownOptions {
  colour: boolean;
  /** Wrap paragraphs at this many columns (code and tables are never wrapped). */
  width: number;
  links?: readonly RecordLink[] | undefined;
  images?: readonly RecordImage[] | undefined;
}

/** What the record's opening resolved: where links lead, which images the vault holds. */
interface Resolved {
  links: Map<string, RecordLink>;
  images: Map<string, RecordImage>;
}

/** An image in a terminal: its alt text, then what it is (a terminal shows no picture). */
function imageText(alt: string, image: RecordImage | undefined, src: string): string {
  const what = escapeForTerminal(alt || 'image');
  switch (image?.kind) {
    case 'image':
      return `[image: ${what} — ${escapeForTerminal(image.path)}, ${escapeForTerminal(
        image.mime
          .replace(/^image\//u, '')
          .replace('+xml', '')
          .toUpperCase(),
      )} ${bytesInWords(image.size)}]`;
    case 'missing':
      return `[image: ${what} — not in the vault: ${escapeForTerminal(image.path)}]`;
    default:
      return src === '' ? `[image: ${what}]` : `[image: ${what} (${escapeForTerminal(src)})]`;
  }
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

function inline(tokens: readonly Token[], { links, images }: Resolved, paint: Painter): string {
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
      case 'image': {
        const src = token.attrGet('src') ?? '';
        emit(imageText(token.content, images.get(src), src));
        break;
      }
      default:
        emit(escapeForTerminal(token.content));
    }
  }
  return out + linkText;
}

function alignOf(token: Token): Cell['align'] {
  const style = token.attrGet('style') ?? '';
  return style.includes('right') ? 'right' : style.includes('center') ? 'center' : 'left';
}

/** One page being laid out: the lines so far, and the list and quote nesting as indentation. */
class TerminalPage {
  readonly lines: string[] = [];
  private readonly lists: { ordered: boolean; next: number }[] = [];
  /** The indentation each open list item added (its marker's width). */
  private readonly items: number[] = [];
  private indent = '';
  private quote = '';
  /** A list item's marker, written before its first block. */
  private marker = '';
  private rows: Cell[][] = [];
  private headerRows = 0;
  private inHead = false;

  constructor(
    private readonly paint: Painter,
    private readonly resolved: Resolved,
    private readonly width: number,
  ) {}

  private prefix(): string {
    return this.quote + this.indent;
  }

  /** A block's text, its first line under a pending list marker. */
  private block(text: string): void {
    const first = this.marker === '' ? this.prefix() : this.prefix().slice(0, -this.marker.length) + this.marker;
    this.marker = '';
    this.lines.push(first + text);
  }

  /** A blank line before a top-level block (inside a quote, the quote's bar). */
  private gap(): void {
    if (this.lists.length === 0 && this.lines.length > 0) {
      this.lines.push(this.quote.trimEnd());
    }
  }

  private inline(token: Token | undefined): string {
    return inline(token?.children ?? [], this.resolved, this.paint);
  }

  heading(open: Token, content: Token | undefined): void {
    const level = Number(open.tag.slice(1));
    const text = this.inline(content);
    this.gap();
    this.block(this.paint.paint(text, 'bold', ...(level <= 2 ? (['cyan'] as Style[]) : [])));
    if (level <= 2) {
      this.lines.push(this.prefix() + this.paint.paint((level === 1 ? '═' : '─').repeat(Math.min(widthOf(text), this.width)), 'cyan'));
    }
  }

  paragraph(open: Token, content: Token | undefined): void {
    if (!open.hidden) {
      this.gap();
    }
    this.block(wrap(this.inline(content), Math.max(20, this.width - widthOf(this.prefix())), this.prefix()));
  }

  listOpen(token: Token): void {
    this.gap();
    this.lists.push({ ordered: token.type === 'ordered_list_open', next: Number(token.attrGet('start') ?? 1) });
  }

  listClose(): void {
    this.lists.pop();
  }

  itemOpen(): void {
    const list = this.lists[this.lists.length - 1];
    const mark = list?.ordered ? `${list.next++}. ` : '• ';
    this.marker = mark.padStart(3);
    this.items.push(this.marker.length);
    this.indent += ' '.repeat(this.marker.length);
  }

  itemClose(): void {
    this.indent = this.indent.slice(0, -(this.items.pop() ?? 0) || undefined);
    this.marker = '';
  }

  quoteOpen(): void {
    this.gap();
    this.quote += this.paint.paint('│ ', 'dim');
  }

  quoteClose(): void {
    this.quote = this.quote.slice(0, -this.paint.paint('│ ', 'dim').length);
  }

  /** Code as written (never wrapped), four columns in, under its list item when it is the item's first block. */
  code(token: Token): void {
    this.gap();
    const underMarker = this.marker !== '';
    const code = escapeForTerminal(token.content.replace(/\n$/u, ''))
      .split('\n')
      .map((line, n) => `${n === 0 && underMarker ? '' : this.prefix()}    ${this.paint.paint(line, 'yellow')}`.trimEnd());
    if (underMarker) {
      this.block(code.join('\n'));
    } else {
      this.lines.push(...code);
    }
  }

  rule(): void {
    this.lines.push('', this.prefix() + this.paint.paint('─'.repeat(Math.min(40, this.width)), 'dim'));
  }

  tableOpen(): void {
    this.gap();
    this.rows = [];
    this.headerRows = 0;
  }

  tableHead(open: boolean): void {
    this.inHead = open;
  }

  row(): void {
    this.rows.push([]);
    this.headerRows += this.inHead ? 1 : 0;
  }

  cell(open: Token, content: Token | undefined): void {
    const text = this.inline(content);
    this.rows[this.rows.length - 1]?.push({ text: open.type === 'th_open' ? this.paint.paint(text, 'bold') : text, align: alignOf(open) });
  }

  tableClose(): void {
    this.lines.push(...table(this.rows, this.headerRows, this.prefix(), this.paint));
  }
}

/** What each block token does to the page; a token with inline content reads the next token. */
const BLOCKS: Record<string, (page: TerminalPage, token: Token, next: Token | undefined) => void> = {
  heading_open: (page, token, next) => {
    page.heading(token, next);
  },
  paragraph_open: (page, token, next) => {
    page.paragraph(token, next);
  },
  bullet_list_open: (page, token) => {
    page.listOpen(token);
  },
  ordered_list_open: (page, token) => {
    page.listOpen(token);
  },
  bullet_list_close: (page) => {
    page.listClose();
  },
  ordered_list_close: (page) => {
    page.listClose();
  },
  list_item_open: (page) => {
    page.itemOpen();
  },
  list_item_close: (page) => {
    page.itemClose();
  },
  blockquote_open: (page) => {
    page.quoteOpen();
  },
  blockquote_close: (page) => {
    page.quoteClose();
  },
  fence: (page, token) => {
    page.code(token);
  },
  code_block: (page, token) => {
    page.code(token);
  },
  hr: (page) => {
    page.rule();
  },
  table_open: (page) => {
    page.tableOpen();
  },
  thead_open: (page) => {
    page.tableHead(true);
  },
  thead_close: (page) => {
    page.tableHead(false);
  },
  tr_open: (page) => {
    page.row();
  },
  th_open: (page, token, next) => {
    page.cell(token, next);
  },
  td_open: (page, token, next) => {
    page.cell(token, next);
  },
  table_close: (page) => {
    page.tableClose();
  },
};

/** A record's Markdown laid out for the terminal (see the top of this file). */
export function markdownForTerminal(source: string, options: TerminalMarkdownOptions): string {
  const page = new TerminalPage(new Painter(options.colour), { links: linkTable(options.links), images: imageTable(options.images) }, options.width);
  const tokens = md.parse(withHugoRefsAsPaths(source), {});
  tokens.forEach((token, i) => {
    BLOCKS[token.type]?.(page, token, tokens[i + 1]);
  });
  return `${page.lines.join('\n').replace(/^\n+/u, '')}\n`;
}
