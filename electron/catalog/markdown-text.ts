/**
 * Just enough Markdown to find a page's front matter, its first heading and
 * the items of its first top-level ordered list. The block structure comes
 * from markdown-it's CommonMark token stream, so a `1.` or `#` inside code
 * never counts. Only tokens are read: no HTML is produced or interpreted.
 */
import MarkdownIt, { type Token } from 'markdown-it';

export interface FrontMatterSplit {
  /** The YAML between the `---` lines; undefined if the file has no front matter. */
  yaml: string | undefined;
  /** File line of the first YAML line (2 when there is front matter). */
  yamlFirstLine: number;
  /** Everything after the closing `---` line, as is. */
  body: string;
  /** True if the file opens a front matter block that never closes. */
  unclosed: boolean;
}

const OPEN = /^---[ \t]*\r?\n/;
const CLOSE = /^---[ \t]*\r?$/;

/** Front matter must start at byte 0 with a `---` line and end with a `---` line. */
export function splitFrontMatter(text: string): FrontMatterSplit {
  const open = OPEN.exec(text);
  if (!open) {
    return { yaml: undefined, yamlFirstLine: 1, body: text, unclosed: false };
  }
  const start = open[0].length;
  let lineStart = start;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const end = newline === -1 ? text.length : newline;
    if (CLOSE.test(text.slice(lineStart, end))) {
      const yaml = text.slice(start, lineStart);
      return { yaml, yamlFirstLine: 2, body: newline === -1 ? '' : text.slice(newline + 1), unclosed: false };
    }
    if (newline === -1) {
      break;
    }
    lineStart = newline + 1;
  }
  return { yaml: undefined, yamlFirstLine: 1, body: text, unclosed: true };
}

// Strict CommonMark (no tables or strikethrough), and raw HTML stays text:
// catalog pages come from elsewhere, so nothing in them is ever interpreted.
const md = new MarkdownIt('commonmark', { html: false });
// Autolinks keep their text as written (markdown-it would percent-decode it for display).
md.normalizeLinkText = (url) => url;

// The same parser without its inline pass: a catalog sync reads thousands of
// pages but only a heading and a list of each, so only those are inline-parsed.
const blockParser = new MarkdownIt('commonmark', { html: false });
blockParser.core.ruler.disable(['inline', 'text_join']);

/** Inline HTML tags that are markup, not text (`<environment>` placeholders are kept). */
const INLINE_TAGS = 'a|abbr|b|br|cite|code|del|details|div|em|i|img|ins|kbd|mark|p|q|s|small|span|strong|sub|summary|sup|u';
const TAG = new RegExp(`</?(?:${INLINE_TAGS})(?:\\s[^<>]*)?/?>`, 'gi');

/** Images stand for their alt text, which is itself inline Markdown. */
function flattenImages(tokens: readonly Token[]): Token[] {
  return tokens.flatMap((token) => (token.type === 'image' ? flattenImages(token.children ?? []) : [token]));
}

/**
 * Inline tokens reduced to their text: markup (emphasis, link brackets) is
 * dropped and common inline HTML tags are removed from the prose. Tags are
 * matched on runs of prose joined across emphasis and line breaks, as a tag
 * may span them; code spans are kept apart so a tag written in code stays.
 */
function inlineText(tokens: readonly Token[]): string {
  let out = '';
  let prose = '';
  for (const token of flattenImages(tokens)) {
    if (token.type === 'text') {
      prose += token.content;
    } else if (token.type === 'softbreak' || token.type === 'hardbreak') {
      prose += ' ';
    } else if (token.type === 'code_inline') {
      out += prose.replace(TAG, '') + token.content;
      prose = '';
    }
  }
  out += prose.replace(TAG, '');
  return out.replace(/\s+/g, ' ').trim();
}

/**
 * Markdown inline syntax reduced to its text: links and images to their
 * text, code spans to their content, emphasis marks and inline HTML tags
 * removed, escapes and entities resolved, whitespace collapsed.
 */
export function plainText(markdown: string): string {
  // Trimmed as a paragraph's text is: a backslash at the very end stays a backslash, not a line break.
  return inlineText(md.parseInline(markdown.trim(), {})[0]?.children ?? []);
}

interface Blocks {
  tokens: Token[];
  /** What the block pass found for the inline one: the link reference definitions. */
  env: object;
}

function blocks(body: string): Blocks {
  const env = {};
  return { tokens: blockParser.parse(body, env), env };
}

/** The text of the block opened at `tokens[open]` (a heading or paragraph): its inline token comes next. */
function textAfter({ tokens, env }: Blocks, open: number): string {
  const content = tokens[open + 1]?.content ?? '';
  return inlineText(md.parseInline(content, env)[0]?.children ?? []);
}

/**
 * The text of the page's first heading (ATX `# …` or setext underlined) that
 * has any; undefined if none. Only headings of the page itself count, not
 * those inside a list item or block quote, which do not title the page.
 */
export function firstHeading(body: string): string | undefined {
  const parsed = blocks(body);
  const { tokens } = parsed;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token?.type === 'heading_open' && token.level === 0) {
      const text = textAfter(parsed, i);
      if (text !== '') {
        return text;
      }
    }
  }
  return undefined;
}

/**
 * The items of the first top-level ordered list (`1.` or `1)`, not inside a
 * bullet or block quote): each item's text is its first block when that is
 * a paragraph, so nested lists and code never add to it. At most `max`
 * items; items with no text are left out.
 */
export function firstOrderedListItems(body: string, max = 200): string[] {
  const parsed = blocks(body);
  const { tokens } = parsed;
  const start = tokens.findIndex((token) => token.type === 'ordered_list_open' && token.level === 0);
  const items: string[] = [];
  for (let i = start + 1; start !== -1 && i < tokens.length && items.length < max; i++) {
    const token = tokens[i];
    if (token?.type === 'ordered_list_close' && token.level === 0) {
      break;
    }
    // An item's own blocks sit one level below it; its first block follows it directly.
    if (token?.type === 'list_item_open' && token.level === 1 && tokens[i + 1]?.type === 'paragraph_open') {
      const text = textAfter(parsed, i + 1);
      if (text !== '') {
        items.push(text);
      }
    }
  }
  return items;
}
