/**
 * Just enough Markdown to find a page's front matter and its headings (its
 * steps are read in runbook-steps.ts). The block structure comes
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

/** Every parser's remembered links: a remembered link may be a slice of its page, which it keeps alive. */
const linkMemos: Map<string, string>[] = [];
const MAX_REMEMBERED_LINKS = 10_000;
const MAX_REMEMBERED_LINK = 2048;

/**
 * The same parser's output for less CPU on a sync of thousands of pages (issue 20):
 * markdown-it's first core rule rewrites every line ending even when the text has
 * no `\r` or NUL to change (so it is skipped then), and `normalizeLink` (percent-
 * encoding, punycode; a pure function of its argument) is remembered per link, as
 * catalog pages repeat their dashboards and reference definitions.
 */
export function withCheapRepeats(parser: MarkdownIt): MarkdownIt {
  // markdown-it's own rule (rules_core/normalize.mjs), run only when it changes something.
  parser.core.ruler.at('normalize', (state) => {
    if (state.src.includes('\r') || state.src.includes('\0')) {
      state.src = state.src.replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD');
    }
    return true;
  });
  const normalizeLink = parser.normalizeLink.bind(parser);
  const seen = new Map<string, string>();
  linkMemos.push(seen);
  parser.normalizeLink = (url) => {
    let normal = seen.get(url);
    if (normal === undefined) {
      normal = normalizeLink(url);
      if (url.length <= MAX_REMEMBERED_LINK) {
        if (seen.size >= MAX_REMEMBERED_LINKS) {
          seen.clear(); // bounded: a catalog of unique links costs what it did
        }
        seen.set(url, normal);
      }
    }
    return normal;
  };
  return parser;
}

/** How many links the parsers remember now (tests). */
export function rememberedLinks(): number {
  return linkMemos.reduce((sum, memo) => sum + memo.size, 0);
}

/** Forgets the links remembered while reading a catalog, so no page text outlives its reading. */
export function forgetRememberedLinks(): void {
  for (const memo of linkMemos) {
    memo.clear();
  }
}

// Strict CommonMark (no tables or strikethrough), and raw HTML stays text:
// catalog pages come from elsewhere, so nothing in them is ever interpreted.
export const md = withCheapRepeats(new MarkdownIt('commonmark', { html: false }));
// Autolinks keep their text as written (markdown-it would percent-decode it for display).
md.normalizeLinkText = (url) => url;

// The same parser without its inline pass: a catalog sync reads thousands of
// pages but only a heading and a list of each, so only those are inline-parsed.
const blockParser = withCheapRepeats(new MarkdownIt('commonmark', { html: false }));
blockParser.core.ruler.disable(['inline', 'text_join']);

/** Inline HTML tags that are markup, not text (`<environment>` placeholders are kept). */
const INLINE_TAGS = 'a|abbr|b|br|cite|code|del|details|div|em|i|img|ins|kbd|mark|p|q|s|small|span|strong|sub|summary|sup|u';
const TAG = new RegExp(`</?(?:${INLINE_TAGS})(?:\\s[^<>]*)?/?>`, 'gi');

/** What inlineText reads of a token: a plain object with these is one too (a link's target added as text). */
export type InlinePiece = Pick<Token, 'type' | 'content' | 'children'>;

/** Images stand for their alt text, which is itself inline Markdown. */
function flattenImages(tokens: readonly InlinePiece[]): readonly InlinePiece[] {
  if (!tokens.some((token) => token.type === 'image')) {
    return tokens; // most text has none: no copy
  }
  return tokens.flatMap((token) => (token.type === 'image' ? flattenImages(token.children ?? []) : [token]));
}

/** Prose without inline tags; a tag needs a `<`, so prose without one is not searched. */
function withoutTags(prose: string): string {
  return prose.includes('<') ? prose.replace(TAG, '') : prose;
}

/** Code as a Markdown code span: fenced by a run of backticks longer than any inside it (shared/step-text.ts reads it back). */
export function codeSpan(code: string): string {
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = code.startsWith('`') || code.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${code}${pad}${fence}`;
}

/**
 * Inline tokens reduced to their text: markup (emphasis, link brackets) is
 * dropped and common inline HTML tags are removed from the prose. Tags are
 * matched on runs of prose joined across emphasis and line breaks, as a tag
 * may span them; code spans are kept apart so a tag written in code stays.
 * With `keepCode`, a code span stays a code span (`` `kubectl get pods` ``): a step's command is shown as code.
 */
export function inlineText(tokens: readonly InlinePiece[], keepCode = false): string {
  let out = '';
  let prose = '';
  for (const token of flattenImages(tokens)) {
    if (token.type === 'text') {
      prose += token.content;
    } else if (token.type === 'softbreak' || token.type === 'hardbreak') {
      prose += ' ';
    } else if (token.type === 'code_inline') {
      out += withoutTags(prose) + (keepCode ? codeSpan(token.content) : token.content);
      prose = '';
    }
  }
  out += withoutTags(prose);
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

export interface Blocks {
  tokens: Token[];
  /** What the block pass found for the inline one: the link reference definitions. */
  env: object;
}

export function blocks(body: string): Blocks {
  const env = {};
  return { tokens: blockParser.parse(body, env), env };
}

/** The text of the block opened at `tokens[open]` (a heading or paragraph): its inline token comes next. */
export function textAfter({ tokens, env }: Blocks, open: number): string {
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
export function topHeadings(parsed: Blocks): { text: string; line: number }[] {
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
