/**
 * A runbook's steps, read from its page once, at import (issue 19): the
 * window's checklist, a session's checklist and `lifeboat show` all show
 * the steps stored on the record. The rule, in the order it is tried
 * (docs/catalog-format.md, "Steps"):
 *
 * 1. front matter `lifeboat.steps` (read in markdown-entry.ts), as written;
 * 2. numbered headings: the longest run of at least two of the page's own
 *    headings of one level numbered 0 or 1, 2, 3… in order (`## 1. Stop
 *    writes`, `### 2) …`, `#### Step 3: …`); a step is the heading's text
 *    without its number, then every code block of its section (up to the
 *    next heading of the same or a higher level). A list inside a numbered
 *    section is that step's detail, never the page's steps;
 * 3. else the page's first top-level ordered list (not inside a bullet or
 *    block quote): a step is its item's opening paragraph, then its code.
 *
 * Step text keeps inline code as Markdown code spans and link targets in
 * brackets after their text; code blocks follow on lines of their own,
 * fenced (shared/step-text.ts reads a step back into text and code).
 */
import type { Token } from 'markdown-it';
import { blocks, inlineText, md, topHeadings, type Blocks, type InlinePiece } from './markdown-text.js';

export type StepSource = 'headings' | 'list' | 'none';

export interface PageSteps {
  source: StepSource;
  steps: string[];
  /** Each step's line in the body (1-based): its heading or list item. */
  lines: number[];
}

export const MAX_STEPS = 200;

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

function isCode(token: Token | undefined): token is Token {
  return token?.type === 'fence' || token?.type === 'code_block';
}

/**
 * Inline tokens to text keeping where links go: `[text](target)` becomes
 * "text (target)" unless the target is the text itself or an anchor on the
 * same page, so a step that says "see the dashboard" still says which.
 * Code spans stay code spans.
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
  return inlineText(out, true);
}

/** The text of the block opened at `tokens[open]` (a heading or paragraph), with link targets and code spans. */
function stepText({ tokens, env }: Blocks, open: number): string {
  const content = tokens[open + 1]?.content ?? '';
  return inlineTextWithTargets(md.parseInline(content, env)[0]?.children ?? []);
}

function lineOf(token: Token | undefined): number {
  return (token?.map?.[0] ?? 0) + 1;
}

/**
 * The items of the first top-level ordered list (`1.` or `1)`, not inside a
 * bullet or block quote). A step is its item's opening paragraph as text,
 * then every code block of the item, fenced on lines of their own (a step
 * "start it:" keeps its command). Nested lists' text is left out. Items
 * with neither text nor code are left out.
 */
function orderedListSteps(parsed: Blocks, max: number): PageSteps {
  const { tokens } = parsed;
  const start = tokens.findIndex((token) => token.type === 'ordered_list_open' && token.level === 0);
  const steps: string[] = [];
  const lines: number[] = [];
  let current: { parts: string[]; line: number } | undefined;
  const flush = (): void => {
    const step = (current?.parts ?? []).filter((part) => part !== '').join('\n');
    if (current && step !== '' && steps.length < max) {
      steps.push(step);
      lines.push(current.line);
    }
    current = undefined;
  };
  for (let i = start + 1; start !== -1 && i < tokens.length && steps.length < max; i++) {
    const token = tokens[i];
    if (token?.type === 'ordered_list_close' && token.level === 0) {
      break;
    }
    // An item's own blocks sit one level below it; its first block follows it directly.
    if (token?.type === 'list_item_open' && token.level === 1) {
      flush();
      current = { parts: [tokens[i + 1]?.type === 'paragraph_open' ? stepText(parsed, i + 1) : ''], line: lineOf(token) };
    } else if (current && isCode(token)) {
      current.parts.push(fencedCode(token));
    }
  }
  flush();
  return { source: steps.length > 0 ? 'list' : 'none', steps, lines };
}

/** `1. Text`, `1) Text`, `1: Text`, `Step 1: Text`, `Step 1 - Text`, `Step 1`: the number and the text after it. */
const NUMBERED = /^(?:step\s+(\d{1,3})\s*(?:[.):]|\s[-–—])?|(\d{1,3})\s*[.):])(?:\s+(\S.*))?$/i;

interface NumberedHeading {
  /** Index of its heading_open token. */
  at: number;
  rank: number;
  number: number;
  text: string;
}

/** The page's own headings (not in a list or quote) as rank and, when numbered, number and text. */
function pageHeadings(parsed: Blocks): { at: number; rank: number; numbered: NumberedHeading | undefined }[] {
  const out: { at: number; rank: number; numbered: NumberedHeading | undefined }[] = [];
  parsed.tokens.forEach((token, at) => {
    if (token.type !== 'heading_open' || token.level !== 0) {
      return;
    }
    const rank = Number(token.tag.slice(1));
    // Only a heading that opens with a number or "Step" can be numbered: the others skip the inline parse (a sync reads thousands).
    if (!/^\s*(?:step\s|\d)/i.test(parsed.tokens[at + 1]?.content ?? '')) {
      out.push({ at, rank, numbered: undefined });
      return;
    }
    const text = stepText(parsed, at);
    const match = NUMBERED.exec(text);
    const digits = match?.[1] ?? match?.[2];
    const rest = match?.[3] ?? '';
    // "Step 3" alone is its own text; "3." alone is no step.
    const numbered =
      digits === undefined || (rest === '' && match?.[1] === undefined)
        ? undefined
        : { at, rank, number: Number(digits), text: rest === '' ? `Step ${digits}` : rest };
    out.push({ at, rank, numbered });
  });
  return out;
}

/**
 * Runs of numbered headings: same level, numbered 0 or 1 then each one more,
 * with only deeper headings between them. A heading of the same or a higher
 * level that does not continue the count ends a run; each run knows where its
 * last section ends (the token index of the heading that ended it).
 */
function headingRuns(parsed: Blocks): { steps: NumberedHeading[]; end: number }[] {
  const runs: { steps: NumberedHeading[]; end: number }[] = [];
  let run: NumberedHeading[] = [];
  const close = (end: number): void => {
    if (run.length >= 2) {
      runs.push({ steps: run, end });
    }
    run = [];
  };
  for (const heading of pageHeadings(parsed)) {
    const last = run.at(-1);
    if (last && heading.rank > last.rank) {
      continue; // a sub-heading of the current step
    }
    if (last && heading.rank === last.rank && heading.numbered?.number === last.number + 1) {
      run.push(heading.numbered);
      continue;
    }
    close(heading.at);
    if (heading.numbered && heading.numbered.number <= 1) {
      run = [heading.numbered];
    }
  }
  close(parsed.tokens.length);
  return runs;
}

/** Each numbered heading as a step: its text, then every code block of its section. */
function headingSteps(parsed: Blocks, run: { steps: NumberedHeading[]; end: number }, max: number): PageSteps {
  const chosen = run.steps.slice(0, max);
  const steps = chosen.map((heading, i) => {
    const end = run.steps[i + 1]?.at ?? run.end;
    const code = parsed.tokens.slice(heading.at, end).filter(isCode).map(fencedCode);
    return [heading.text, ...code].join('\n');
  });
  return { source: 'headings', steps, lines: chosen.map((heading) => lineOf(parsed.tokens[heading.at])) };
}

function stepsOf(parsed: Blocks, max: number): PageSteps {
  // The longest run is the main procedure (a page may also number a short clean-up); ties go to the first.
  const runs = headingRuns(parsed);
  const longest = runs.reduce<(typeof runs)[number] | undefined>((best, run) => (best && best.steps.length >= run.steps.length ? best : run), undefined);
  return longest ? headingSteps(parsed, longest, max) : orderedListSteps(parsed, max);
}

/** The steps of a page's body by the rule above (front matter steps are the caller's: markdown-entry.ts). */
export function pageSteps(body: string, max = MAX_STEPS): PageSteps {
  return stepsOf(blocks(body), max);
}

/** The items of the first top-level ordered list, as steps (orderedListSteps). */
export function firstOrderedListItems(body: string, max = MAX_STEPS): string[] {
  return orderedListSteps(blocks(body), max).steps;
}

/** What a catalog page's body gives its entry, from one parse of it. */
export interface PageOutline {
  /** The page's own level-1 headings with text, in order, with their line in the body. */
  h1s: { text: string; line: number }[];
  steps: PageSteps;
}

export function pageOutline(body: string, maxSteps = MAX_STEPS): PageOutline {
  const parsed = blocks(body);
  return { h1s: topHeadings(parsed), steps: stepsOf(parsed, maxSteps) };
}
