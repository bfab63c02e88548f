/**
 * A hit's snippet: the words around the query's matches in the section of
 * the record's text that matches most of the query, and the path of headings
 * it sits under ("Diagnosis › Check replication lag"). Matched words are
 * between \u0002 and \u0003. Computed from the record's text, never stored.
 */
import { termsOfWord, writtenWords } from './search-text.js';

const WINDOW = 24;
const BEFORE = 6;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;
/** A Markdown link or image, inline or by reference: a snippet shows its text, not its syntax and target. */
const MARKDOWN_LINK = /!?\[([^\]\n]*)\](?:\([^)\n]*\)|\[[^\]\n]*\])/g;
/** A written word inside a chunk of text between spaces (search-text.ts, writtenWords). */
const WRITTEN = /[\p{L}\p{N}]+(?:[._\-'’][\p{L}\p{N}]+)*/gu;

export interface Snippet {
  text: string;
  heading: string;
}

interface Section {
  heading: string[];
  lines: string[];
}

function sectionsOf(body: string): Section[] {
  const sections: Section[] = [{ heading: [], lines: [] }];
  const path: { level: number; text: string }[] = [];
  let fenced = false;
  for (const line of body.split('\n')) {
    if (FENCE.test(line)) {
      fenced = !fenced;
    }
    const match = fenced || !line.includes('#') ? null : HEADING.exec(line);
    if (match?.[1] && match[2]) {
      const level = match[1].length;
      while ((path.at(-1)?.level ?? 0) >= level) {
        path.pop();
      }
      path.push({ level, text: match[2] });
      sections.push({ heading: path.map((h) => h.text), lines: [] });
    } else {
      sections.at(-1)?.lines.push(line);
    }
  }
  return sections;
}

/** A term a word may match: as its beginning (the word being typed) or whole (search-query.ts, groupPhrases). */
export interface MatchTerm {
  term: string;
  prefix: boolean;
}

/**
 * Which of a query's groups (each a list of terms, any of which counts) a
 * written word matches, as a bit mask: the same rule as the index's. One per
 * search: the same words recur across its hits.
 */
export class WordMatcher {
  private readonly masks = new Map<string, number>();

  /** Groups a word can be matched against (the first 31: a mask's bits). */
  readonly size: number;

  constructor(private readonly groups: readonly (readonly MatchTerm[])[]) {
    this.size = Math.min(groups.length, 31);
  }

  mask(word: string): number {
    let mask = this.masks.get(word);
    if (mask === undefined) {
      mask = 0;
      for (const token of writtenWords(word)) {
        for (const term of termsOfWord(token)) {
          this.groups.forEach((terms, g) => {
            if (g < 31 && terms.some((t) => (t.prefix ? term.startsWith(t.term) : term === t.term))) {
              mask = (mask ?? 0) | (1 << g);
            }
          });
        }
      }
      this.masks.set(word, mask);
    }
    return mask;
  }
}

function bits(mask: number): number {
  let n = 0;
  for (let m = mask; m !== 0; m &= m - 1) {
    n += 1;
  }
  return n;
}

/**
 * The best section's snippet (the most of the query's groups, the first of
 * equals); the body's beginning when no section matches; '' for an empty body.
 */
export function snippetOf(body: string, matcher: WordMatcher): Snippet {
  if (body.trim() === '') {
    return { text: '', heading: '' };
  }
  let best: { section: Section; words: string[]; count: number } | undefined;
  let fallback: string[] | undefined;
  for (const section of sectionsOf(body)) {
    const words = section.lines
      .join(' ')
      .replace(MARKDOWN_LINK, '$1')
      .replace(/[`*_>|]+/g, ' ')
      .split(/\s+/)
      .filter((w) => w !== '');
    if (words.length === 0) {
      continue;
    }
    fallback ??= words;
    let mask = 0;
    for (const word of [...(section.heading.at(-1)?.split(/\s+/) ?? []), ...words]) {
      mask |= matcher.mask(word);
    }
    const count = bits(mask);
    if (count > 0 && (!best || count > best.count)) {
      best = { section, words, count };
      if (count === matcher.size) {
        break; // No later section can do better than every group; the first of equals wins.
      }
    }
  }
  const words = best?.words ?? fallback ?? [];
  const first = words.findIndex((w) => matcher.mask(w) !== 0);
  const start = Math.max(0, first - BEFORE);
  // Only the word is marked, not the punctuation around it ("[elasticsearch," → "[\u0002elasticsearch\u0003,").
  const mark = (chunk: string): string => chunk.replace(WRITTEN, (word) => (matcher.mask(word) !== 0 ? `\u0002${word}\u0003` : word));
  const shown = words.slice(start, start + WINDOW).map((w) => (matcher.mask(w) !== 0 ? mark(w) : w));
  const text = `${start > 0 ? '…' : ''}${shown.join(' ')}${start + WINDOW < words.length ? '…' : ''}`;
  return { text, heading: best ? best.section.heading.join(' › ') : '' };
}
