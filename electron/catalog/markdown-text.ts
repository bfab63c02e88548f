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

/** What inlineText reads of a token: a plain object with these is one too (a link's target added as text). */
type InlinePiece = Pick<Token, 'type' | 'content' | 'children'>;

/** Images stand for their alt text, which is itself inline Markdown. */
function flattenImages(tokens: readonly InlinePiece[]): InlinePiece[] {
  return tokens.flatMap((token) => (token.type === 'image' ? flattenImages(token.children ?? []) : [token]));
}

/**
 * Inline tokens reduced to their text: markup (emphasis, link brackets) is
 * dropped and common inline HTML tags are removed from the prose. Tags are
 * matched on runs of prose joined across emphasis and line breaks, as a tag
 * may span them; code spans are kept apart so a tag written in code stays.
 */
function inlineText(tokens: readonly InlinePiece[]): string {
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

/** The page's own level-1 headings (`# …` or `===` underlined) that have text, in order, with their line in `body`. */
function topHeadings(parsed: Blocks): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  parsed.tokens.forEach((token, i) => {
    if (token.type === 'heading_open' && token.level === 0 && token.tag === 'h1') {
      const text = textAfter(parsed, i);
      if (text !== '') {
        out.push({ text, line: (token.map?.[0] ?? 0) + 1 });
      }
    }
  });
  return out;
}

/** Longest run of backticks at a line start in `code`, so the fence around it is longer. */
function fenceFor(code: string): string {
  const runs = code.match(/^ {0,3}`{3,}/gm) ?? [];
  const longest = runs.reduce((max, run) => Math.max(max, run.trim().length), 2);
  return '`'.repeat(longest + 1);
}

/** A code block as a step carries it: on its own lines after the step's text, fenced, with its language word. */
function fencedCode(token: Token): string {
  const code = token.content.replace(/\n+$/, '');
  const fence = fenceFor(code);
  const lang = /^[\w+#.-]{1,30}/.exec(token.info.trim())?.[0] ?? '';
  return `${fence}${lang}\n${code}\n${fence}`;
}

/**
 * Inline tokens to text keeping where links go: `[text](target)` becomes
 * "text (target)" unless the target is the text itself or an anchor on the
 * same page, so a step that says "see the dashboard" still says which.
 */
function inlineTextWithTargets(tokens: readonly Token[]): string {
  const out: InlinePiece[] = [];
  const open: { at: number; href: string }[] = [];
  for (const token of tokens) {
    out.push(token);
    if (token.type === 'link_open') {
      open.push({ at: out.length, href: token.attrGet('href') ?? '' });
    } else if (token.type === 'link_close') {
      const link = open.pop();
      const href = link?.href ?? '';
      const text = inlineText(out.slice(link?.at ?? out.length));
      if (href !== '' && !href.startsWith('#') && text !== href && `mailto:${text}` !== href) {
        out.push({ type: 'text', content: ` (${href})`, children: null });
      }
    }
  }
  return inlineText(out);
}

/** A step's opening paragraph as text with its link targets; reference links resolve through `env`. */
function stepText({ tokens, env }: Blocks, open: number): string {
  const content = tokens[open + 1]?.content ?? '';
  return inlineTextWithTargets(md.parseInline(content, env)[0]?.children ?? []);
}

/**
 * The items of the first top-level ordered list (`1.` or `1)`, not inside a
 * bullet or block quote). A step is its item's opening paragraph as text
 * (link targets kept in brackets after their text), then every code block
 * of the item, fenced as in Markdown on lines of their own (a step "start
 * it:" keeps its command). Nested lists' text is left out. At most `max`
 * items; items with neither text nor code are left out.
 */
function orderedListSteps(parsed: Blocks, max: number): string[] {
  const { tokens } = parsed;
  const start = tokens.findIndex((token) => token.type === 'ordered_list_open' && token.level === 0);
  const items: string[] = [];
  let current: string[] | undefined;
  const flush = (): void => {
    const step = (current ?? []).filter((part) => part !== '').join('\n');
    if (step !== '' && items.length < max) {
      items.push(step);
    }
    current = undefined;
  };
  for (let i = start + 1; start !== -1 && i < tokens.length && items.length < max; i++) {
    const token = tokens[i];
    if (token?.type === 'ordered_list_close' && token.level === 0) {
      break;
    }
    // An item's own blocks sit one level below it; its first block follows it directly.
    if (token?.type === 'list_item_open' && token.level === 1) {
      flush();
      current = [tokens[i + 1]?.type === 'paragraph_open' ? stepText(parsed, i + 1) : ''];
    } else if (current && (token?.type === 'fence' || token?.type === 'code_block')) {
      current.push(fencedCode(token));
    }
  }
  flush();
  return items.slice(0, max);
}

/**
 * The items of the first top-level ordered list, as steps (see
 * orderedListSteps): each item's opening paragraph as text, then its code.
 */
export function firstOrderedListItems(body: string, max = 200): string[] {
  return orderedListSteps(blocks(body), max);
}

/** What a catalog page's body gives its entry, from one parse of it. */
export interface PageOutline {
  /** The page's own level-1 headings with text, in order, with their line in the body. */
  h1s: { text: string; line: number }[];
  /** The steps of its first top-level ordered list (firstOrderedListItems). */
  steps: string[];
}

export function pageOutline(body: string, maxSteps = 200): PageOutline {
  const parsed = blocks(body);
  return { h1s: topHeadings(parsed), steps: orderedListSteps(parsed, maxSteps) };
}

/**
 * Generated markers that are not content: a line holding only a table-of-
 * contents marker (GitLab/Azure DevOps `[[_TOC_]]`, `[[_TOSP_]]`,
 * Python-Markdown `[TOC]`, `[[toc]]`, `${toc}`, Hugo `{{< toc >}}`, kramdown `{:toc}`).
 */
const TOC_LINE = /^[ \t]*(?:\[\[_(?:TOC|TOSP)_\]\]|\[TOC\]|\[\[toc\]\]|\$\{toc\}|\{\{<\s*toc\s*>\}\}|\{:toc\})[ \t]*$/gim;
/** An HTML comment as CommonMark reads one (`<!-- … -->`, over any number of lines). */
const HTML_COMMENT = /<!--[\s\S]*?-->/g;

/**
 * The body without generated noise: HTML comments (`<!-- MARKER -->`,
 * editor hints) and table-of-contents marker lines, which are never shown
 * or indexed. Code blocks (fenced or indented) are left exactly as written:
 * a comment in code is code. A comment that is never closed stays.
 */
export function stripNoise(body: string): string {
  if (!body.includes('<!--') && !/\[\[_|\[TOC\]|\[\[toc\]\]|\$\{toc\}|\{\{<\s*toc|\{:toc\}/i.test(body)) {
    return body; // the common case costs no parse
  }
  const lines = body.split('\n');
  const code = new Set<number>();
  for (const token of blockParser.parse(body, {})) {
    if ((token.type === 'fence' || token.type === 'code_block') && token.map) {
      for (let line = token.map[0]; line < token.map[1]; line++) {
        code.add(line);
      }
    }
  }
  // Runs of non-code lines are cleaned as one text (a comment may span lines); code runs stay as they are.
  const out: string[] = [];
  let run: string[] = [];
  const clean = (): void => {
    if (run.length > 0) {
      // A comment over several lines leaves its line breaks, so later lines keep their numbers.
      out.push(
        run
          .join('\n')
          .replace(HTML_COMMENT, (comment) => '\n'.repeat(comment.split('\n').length - 1))
          .replace(TOC_LINE, ''),
      );
      run = [];
    }
  };
  lines.forEach((line, i) => {
    if (code.has(i)) {
      clean();
      out.push(line);
    } else {
      run.push(line);
    }
  });
  clean();
  return out.join('\n');
}
