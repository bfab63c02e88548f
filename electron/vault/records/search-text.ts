/**
 * How text becomes search terms, the same at index and at query time
 * (docs/vault-format.md, "Search index"; issue 16):
 * - words are folded (lower case, accents off: Café = cafe) and stemmed
 *   (Porter: restarting = restarts = restart);
 * - British -ise/-isation spellings are written -ize (synchronising =
 *   synchronizing), a rule, not a table entry, because it is regular;
 * - a compound name is kept whole *and* split into its parts: CamelCase and
 *   acronyms (KubePodCrashLooping → kubepodcrashlooping kube pod crash looping;
 *   HTTPProxyTLSError → http proxy tls error), snake_case, kebab-case and
 *   dotted names (node_exporter, status.example.com);
 * - stop words ("the", "on", "not") are left out everywhere but titles.
 *
 * sql.js's FTS4 has no custom tokenizers, so the index is fed this function's
 * output (a space-separated list of terms) through a SQL function, and
 * unicode61 only splits it at the spaces.
 */
// The Porter algorithm (M.F. Porter, 1980), as SQLite's own `porter` tokenizer applies it; sql.js's FTS4 cannot
// combine that tokenizer with unicode61's folding, so the index is fed stems made here.
import { stemmer } from 'stemmer';

const CONNECTOR = /[._\-'’]+/u;
/** Boundaries inside a CamelCase name: fooBar, HTTPProxy (before the last capital of a run), fooBAR. */
const CAMEL_BOUNDARY = /(?<=\p{Ll})(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/u;

/** Never required in a query, not indexed outside titles. Short and English: words an operator types without meaning. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an and any are as at be been being but by can could did do does for from had has have he her his how i if in into is it its ' +
    'me my not of on or our she should so some than that the their them then there these they this those to was we were what when ' +
    'where which while who why will with would you your'
  ).split(' '),
);

/** Folds case and accents: what unicode61 did before the index got its own terms. */
export function fold(word: string): string {
  return word
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

const BRITISH_IZE = /^(\p{L}{3,})is(e|es|ed|ing|ation|ations|er|ers)$/u;
const LATIN_WORD = /^[a-z]+$/;
const stems = new Map<string, string>();

/** A folded word's term: -ise spelled -ize, then its Porter stem. Cached: a vault's vocabulary is small. */
export function stem(folded: string): string {
  let out = stems.get(folded);
  if (out === undefined) {
    // As SQLite's porter tokenizer does, a word with anything but a–z (k8s, s3, other scripts) is kept whole.
    out = LATIN_WORD.test(folded) ? stemmer(folded.replace(BRITISH_IZE, '$1iz$2')) : folded;
    if (stems.size > 200_000) {
      stems.clear();
    }
    stems.set(folded, out);
  }
  return out;
}

/** One word as written, with its parts when it is a compound name. */
export interface RawToken {
  text: string;
  /** The parts as written (one, itself, when it is not a compound). */
  parts: string[];
}

export function splitCompound(text: string): string[] {
  return text
    .split(CONNECTOR)
    .flatMap((piece) => piece.split(CAMEL_BOUNDARY))
    .filter((part) => part !== '');
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/** ASCII letters and digits, looked up rather than compared: the scan below runs over every character of a vault. */
const ASCII_WORD = new Uint8Array(128).map((_, code) => ((code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) ? 1 : 0));

function isWordChar(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  if (code < 128) {
    return ASCII_WORD[code] === 1;
  }
  // Surrogates: letters of the astral planes, taken as word characters.
  return (code >= 0xd800 && code <= 0xdfff) || WORD_CHAR.test(text[i] ?? '');
}

function isConnector(code: number): boolean {
  return code === 46 || code === 95 || code === 45 || code === 39 || code === 0x2019;
}

/** Where the written word that starts at `start` (a word character) ends. */
function wordEnd(text: string, start: number): number {
  const n = text.length;
  let i = start;
  for (;;) {
    while (i < n && isWordChar(text, i)) {
      i += 1;
    }
    if (i + 1 < n && isConnector(text.charCodeAt(i)) && isWordChar(text, i + 1)) {
      i += 1;
    } else {
      return i;
    }
  }
}

/**
 * The written words of a text (RAW_TOKEN), found by a scan rather than the
 * regular expression: a Unicode-class regex was most of the cost of indexing.
 */
export function writtenWords(text: string): string[] {
  // No NFKC pass over the whole text: fold() decomposes each word (NFKD) instead.
  const out: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (isWordChar(text, i)) {
      const end = wordEnd(text, i);
      out.push(text.slice(i, end));
      i = end;
    } else {
      i += 1;
    }
  }
  return out;
}

export function rawTokens(text: string): RawToken[] {
  return writtenWords(text).map((token) => ({ text: token, parts: splitCompound(token) }));
}

/** The term of a whole compound: its parts folded and run together, stemmed. */
export function wholeTerm(parts: readonly string[]): string {
  return stem(parts.map(fold).join(''));
}

/**
 * Forgets every word seen (the caches above and below hold words of the
 * vault's text): called when a vault's database is closed, at lock.
 */
export function forgetWords(): void {
  stems.clear();
  tokenCache.clear();
}

/** What one written word becomes: its whole term when it is a compound, and each part's term. */
export interface TokenTerms {
  whole: string | undefined;
  parts: readonly { term: string; stop: boolean }[];
  /** The index's text for the word: its whole term and every part's, space-separated. */
  all: string;
  /** The same without stop words ('' for a stop word). */
  content: string;
}

const tokenCache = new Map<string, TokenTerms>();

/**
 * A written word's terms. Cached by the word as written: folding, splitting
 * and stemming each occurrence again made indexing a large catalog three
 * times slower (bench/results/search.md).
 */
export function tokenTerms(token: string): TokenTerms {
  let out = tokenCache.get(token);
  if (out === undefined) {
    const split = splitCompound(token);
    const whole = split.length > 1 ? wholeTerm(split) : undefined;
    const parts = split.map((part) => {
      const folded = fold(part);
      return { term: stem(folded), stop: STOP_WORDS.has(folded) };
    });
    const lead = whole === undefined ? [] : [whole];
    out = {
      whole,
      parts,
      all: [...lead, ...parts.map((p) => p.term)].join(' '),
      content: [...lead, ...parts.filter((p) => !p.stop).map((p) => p.term)].join(' '),
    };
    if (tokenCache.size > 200_000) {
      tokenCache.clear();
    }
    tokenCache.set(token, out);
  }
  return out;
}

/** Every term a written word matches: its whole term and its parts' (stop words included). */
export function termsOfWord(token: string): string[] {
  const { whole, parts } = tokenTerms(token);
  return whole === undefined ? parts.map((p) => p.term) : [whole, ...parts.map((p) => p.term)];
}

/**
 * The index's text for one column: each word's term, each compound's whole
 * term then its parts' terms. Stop words are dropped unless `keepStopWords`
 * (titles: a title of stop words must still be found).
 */
export function indexTerms(text: string, keepStopWords = false): string {
  // Each word's text is cached whole (tokenTerms): indexing is mostly this loop, so it scans the text
  // itself and joins once, with no array of words and no string grown word by word (issue 20).
  const out: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (isWordChar(text, i)) {
      const end = wordEnd(text, i);
      const terms = tokenTerms(text.slice(i, end));
      const piece = keepStopWords ? terms.all : terms.content;
      if (piece !== '') {
        out.push(piece);
      }
      i = end;
    } else {
      i += 1;
    }
  }
  return out.join(' ');
}

/** The file name of a catalog entry without its extensions and folders, then its folders: what a path search matches. */
export function pathText(path: string): string {
  const segments = path.split('/').filter((s) => s !== '');
  const file = (segments.pop() ?? '').replace(/(\.(md|markdown|ya?ml|html?|txt))+$/i, '');
  return [file, ...segments.reverse()].join(' ');
}

/** Markdown headings of a body, in order ("## Diagnosis" → "Diagnosis"). */
export function headingsOf(body: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of body.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
    } else if (!fenced) {
      const match = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
      if (match?.[2]) {
        out.push(match[2]);
      }
    }
  }
  return out;
}
