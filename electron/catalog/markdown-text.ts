/**
 * Just enough Markdown (CommonMark block structure, approximately) to find a
 * page's front matter, its first heading and the items of its first
 * top-level ordered list. Code fences are skipped, so a `1.` or `#` inside
 * code never counts. No HTML is produced or interpreted here.
 */

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

/** Leading tabs expanded to 4-column stops, so indentation can be measured in spaces. */
function expandTabs(line: string): string {
  const match = /^[ \t]+/.exec(line);
  if (!match?.[0].includes('\t')) {
    return line;
  }
  let width = 0;
  for (const ch of match[0]) {
    width = ch === '\t' ? width + 4 - (width % 4) : width + 1;
  }
  return ' '.repeat(width) + line.slice(match[0].length);
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

interface Fence {
  char: string;
  length: number;
}

function fenceOpening(line: string): Fence | undefined {
  const match = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
  const marker = match?.[1];
  if (marker === undefined || (marker.startsWith('`') && (match?.[2] ?? '').includes('`'))) {
    return undefined;
  }
  return { char: marker.charAt(0), length: marker.length };
}

function closesFence(line: string, fence: Fence): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  const marker = match?.[1];
  return marker !== undefined && marker.startsWith(fence.char) && marker.length >= fence.length;
}

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const BULLET = /^( {0,3})([-*+])( {1,4}|$)/;
const ORDERED = /^( {0,3})(\d{1,9})([.)])(?:( +)(.*))?$/;

/** A line that starts a block of its own (so it cannot continue a paragraph). */
function startsBlock(line: string): boolean {
  return (
    ATX.test(line) ||
    THEMATIC_BREAK.test(line) ||
    fenceOpening(line) !== undefined ||
    /^ {0,3}>/.test(line) ||
    BULLET.test(line) ||
    /^ {0,3}\d{1,9}[.)]( |$)/.test(line) ||
    /^ {0,3}<(?:[A-Za-z/]|!--)/.test(line)
  );
}

/**
 * Markdown inline syntax reduced to its text: links and images to their
 * text, code spans to their content, emphasis marks and inline HTML tags
 * removed, backslash escapes resolved, whitespace collapsed.
 */
export function plainText(markdown: string): string {
  // Links first: their text may hold code spans (`[\`app\` docs](url)`).
  const linked = markdown
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/(^|[^\w\]])\[([^\]\s][^\]]*)\](?![([:])/g, '$1$2');
  const parts = linked.split(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/);
  let out = '';
  // split() with two groups yields: text, fence, code, text, fence, code, …, text.
  for (let i = 0; i < parts.length; i += 3) {
    out += inlineText(parts[i] ?? '');
    const code = parts[i + 2];
    if (code !== undefined) {
      out += code.trim();
    }
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** Inline HTML tags that are markup, not text (`<environment>` placeholders are kept). */
const INLINE_TAGS = 'a|abbr|b|br|cite|code|del|details|div|em|i|img|ins|kbd|mark|p|q|s|small|span|strong|sub|summary|sup|u';
const TAG = new RegExp(`</?(?:${INLINE_TAGS})(?:\\s[^<>]*)?/?>`, 'gi');

function inlineText(text: string): string {
  return text
    .replace(/<((?:https?|mailto):[^>\s]+)>/g, '$1')
    .replace(TAG, '')
    .replace(/(\*\*|__)(?=\S)([^*_]+?)(?<=\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])/g, '$1$2')
    .replace(/(^|[^\w_])_(?=\S)([^_]+?)(?<=\S)_(?![\w_])/g, '$1$2')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** The text of the first heading (ATX `# …` or setext underlined), outside code; undefined if none. */
export function firstHeading(body: string): string | undefined {
  const lines = body.split(/\r?\n/).map(expandTabs);
  let fence: Fence | undefined;
  let paragraph: string[] = [];
  let paragraphAfterListItem = false;
  let previous = '';
  for (const line of lines) {
    if (fence) {
      if (closesFence(line, fence)) {
        fence = undefined;
      }
      previous = '';
      continue;
    }
    fence = fenceOpening(line);
    if (fence) {
      paragraph = [];
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      const text = plainText(atx[2] ?? '');
      if (text !== '') {
        return text;
      }
    }
    if (paragraph.length > 0 && !paragraphAfterListItem && /^ {0,3}(?:=+|-+)[ \t]*$/.test(line)) {
      const text = plainText(paragraph.join(' '));
      if (text !== '') {
        return text;
      }
    }
    if (isBlank(line) || startsBlock(line) || (paragraph.length === 0 && indentOf(line) >= 4)) {
      paragraph = [];
    } else {
      if (paragraph.length === 0) {
        paragraphAfterListItem = !isBlank(previous) && (BULLET.test(previous) || ORDERED.test(previous));
      }
      paragraph.push(line.trim());
    }
    previous = line;
  }
  return undefined;
}

/**
 * The items of the first top-level ordered list (`1.` or `1)` at most three
 * spaces in): each item's first paragraph as plain text, without its nested
 * lists or code. At most `max` items; items with no text are left out.
 */
export function firstOrderedListItems(body: string, max = 200): string[] {
  const lines = body.split(/\r?\n/).map(expandTabs);
  let fence: Fence | undefined;
  let bulletOffset: number | undefined;
  let previousIsText = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (fence) {
      if (closesFence(line.trimStart(), fence)) {
        fence = undefined;
      }
      continue;
    }
    const opening = fenceOpening(line.trimStart());
    if (opening) {
      fence = opening;
      previousIsText = false;
      continue;
    }
    if (isBlank(line)) {
      previousIsText = false;
      continue;
    }
    if (bulletOffset !== undefined) {
      // Inside a top-level bullet item: indented lines and lazy continuation text belong to it.
      if (indentOf(line) >= bulletOffset || (previousIsText && !startsBlock(line))) {
        previousIsText = true;
        continue;
      }
      bulletOffset = undefined;
    }
    const bullet = THEMATIC_BREAK.test(line) ? null : BULLET.exec(line);
    if (bullet) {
      const spaces = bullet[3] ?? '';
      bulletOffset = (bullet[1] ?? '').length + 1 + Math.max(spaces.length, 1);
      previousIsText = true;
      continue;
    }
    const ordered = ORDERED.exec(line);
    // A list that interrupts a paragraph must start at 1 (CommonMark).
    if (ordered && (!previousIsText || ordered[2] === '1')) {
      return collectItems(lines, i, max);
    }
    previousIsText = !startsBlock(line) && !(indentOf(line) >= 4 && !previousIsText);
  }
  return [];
}

function collectItems(lines: readonly string[], start: number, max: number): string[] {
  const items: string[] = [];
  let current: { offset: number; paragraph: string[]; paragraphDone: boolean } | undefined;
  let delimiter = '';
  let sawBlank = false;
  let fence: Fence | undefined;

  const finish = (): void => {
    const text = current ? plainText(current.paragraph.join(' ')) : '';
    if (text !== '' && items.length < max) {
      items.push(text);
    }
  };
  const begin = (match: RegExpExecArray): void => {
    const indent = (match[1] ?? '').length;
    const width = (match[2] ?? '').length + 1;
    const spaces = (match[4] ?? '').length;
    const content = match[5] ?? '';
    const startsWithCode = spaces > 4 || content.trim() === '';
    current = { offset: indent + width + (startsWithCode ? 1 : spaces), paragraph: [], paragraphDone: false };
    if (content.trim() !== '' && spaces <= 4 && !startsBlock(content)) {
      current.paragraph.push(content.trim());
    } else if (content.trim() !== '') {
      current.paragraphDone = true;
    }
    delimiter = match[3] ?? '';
  };

  begin(ORDERED.exec(lines[start] ?? '') as RegExpExecArray);
  for (let i = start + 1; i < lines.length && current; i++) {
    const line = lines[i] ?? '';
    const indent = indentOf(line);
    if (fence) {
      if (isBlank(line) || indent >= current.offset) {
        if (closesFence(line.slice(current.offset), fence)) {
          fence = undefined;
        }
        continue;
      }
      break; // a fence cut short by a less indented line ends the list
    }
    if (isBlank(line)) {
      sawBlank = true;
      if (current.paragraph.length > 0) {
        current.paragraphDone = true;
      }
      continue;
    }
    if (indent >= current.offset) {
      const content = line.slice(current.offset);
      const afterBlank = sawBlank;
      sawBlank = false;
      fence = fenceOpening(content);
      // Indented code cannot interrupt a paragraph: deeper lines right after text continue it.
      const indentedCode = indentOf(content) >= 4 && (afterBlank || current.paragraph.length === 0);
      if (fence || startsBlock(content) || indentedCode) {
        current.paragraphDone = true;
      } else if (!current.paragraphDone) {
        current.paragraph.push(content.trim());
      }
      continue;
    }
    const next = ORDERED.exec(line);
    if (next && next[3] === delimiter) {
      finish();
      begin(next);
      sawBlank = false;
      continue;
    }
    if (!sawBlank && !current.paragraphDone && current.paragraph.length > 0 && !startsBlock(line)) {
      current.paragraph.push(line.trim()); // lazy continuation
      continue;
    }
    break;
  }
  finish();
  return items;
}
