/**
 * A query, as typed, turned into what the index is asked and how its answers
 * are ranked (issue 16):
 * - every word is a group of terms: its own term and its synonyms
 *   (search-synonyms.ts); a compound name adds a group for the whole name,
 *   which is a bonus, not a requirement;
 * - stop words are never required (they still count, a little, in titles);
 * - the index is asked for any group (OR), and rows that match every group
 *   rank first, then the others by how much of the query they match;
 * - relevance is BM25F over FTS4's matchinfo: each column has a weight, long
 *   columns count less per hit (length normalisation), rare terms count more.
 */
import { rawTokens, stem, fold, STOP_WORDS, wholeTerm, type RawToken } from './search-text.js';
import { synonymsOf } from './search-synonyms.js';

export type GroupKind = 'word' | 'whole' | 'stop';

export interface QueryGroup {
  kind: GroupKind;
  /** Its own term, then the synonyms'. */
  terms: string[];
  /** The raw token of the query it comes from. */
  token: number;
  /** For a part of a compound: which part. */
  part?: number;
}

/** Words shorter than this match whole, or "a" would match half the vocabulary. */
export const PREFIX_MIN = 3;

/** At most this many groups reach the index (a pasted paragraph is not a query). */
const MAX_GROUPS = 16;

export function planQuery(query: string, tokens: readonly RawToken[] = rawTokens(query)): QueryGroup[] {
  const groups: QueryGroup[] = [];
  const seen = new Set<string>();
  const add = (group: QueryGroup): void => {
    const key = `${group.kind === 'whole' ? 'w' : ''}${group.terms[0] ?? ''}`;
    if (!seen.has(key) && groups.length < MAX_GROUPS) {
      seen.add(key);
      groups.push(group);
    }
  };
  tokens.forEach((token, t) => {
    if (token.parts.length > 1) {
      add({ kind: 'whole', terms: [wholeTerm(token.parts)], token: t });
    }
    token.parts.forEach((part, p) => {
      const folded = fold(part);
      const term = stem(folded);
      const stop = STOP_WORDS.has(folded);
      // A word being typed whose stem is shorter than a prefix may be ("tes" → "te") is searched as typed (tes*: test,
      // testing), and its stem as a whole word.
      const typed = !stop && term.length < PREFIX_MIN && folded.length >= PREFIX_MIN ? [folded, term] : [term];
      add({ kind: stop ? 'stop' : 'word', terms: [...typed, ...synonymsOf(term)], token: t, part: p });
    });
  });
  // A query of stop words alone ("IT", "who") is taken as it is.
  if (!groups.some((g) => g.kind === 'word')) {
    for (const group of groups) {
      group.kind = group.kind === 'stop' ? 'word' : group.kind;
    }
  }
  return groups;
}

export interface Phrase {
  group: number;
  term: string;
  /** 1 for the word typed, less for a synonym. */
  weight: number;
  /** Matches any term it begins (the word typed), or only itself (a synonym, a stop word, a short word). */
  prefix: boolean;
}

export const SYNONYM_WEIGHT = 0.7;

/**
 * A group's terms as phrases. Only the word typed (a group's first term)
 * matches as a prefix, so that results appear as you type; its synonyms are
 * whole words ("conf" for "config", not "conference"), which also keeps a
 * query from unioning every term that begins like a synonym.
 */
export function groupPhrases(group: QueryGroup, g: number): Phrase[] {
  return group.terms.map((term, i) => ({
    group: g,
    term,
    weight: i === 0 ? 1 : SYNONYM_WEIGHT,
    prefix: i === 0 && group.kind !== 'stop' && term.length >= PREFIX_MIN,
  }));
}

export function phrasesOf(groups: readonly QueryGroup[]): Phrase[] {
  return groups.flatMap((group, g) => groupPhrases(group, g));
}

/**
 * FTS4's MATCH for one phrase. The terms are letters and digits only, lower
 * case: no FTS syntax gets through.
 */
function phraseSyntax(phrase: Phrase): string {
  return phrase.prefix ? `${phrase.term}*` : phrase.term;
}

/** FTS4's MATCH for any of the phrases. */
export function matchExpression(phrases: readonly Phrase[]): string | null {
  return phrases.length === 0 ? null : phrases.map(phraseSyntax).join(' OR ');
}

/**
 * The query for records matching every required group, with its phrases in
 * the order FTS4 numbers them: "(a OR b) c" — each word's alternatives
 * bracketed, since with the enhanced query syntax sql.js is built with, OR
 * binds looser than AND. A compound's whole name rides along
 * as an alternative of its first part (a record holding the whole holds the
 * part), still scored as its own group. Stop words are left out. Null when
 * there is nothing to require.
 */
export function allWordsQuery(groups: readonly QueryGroup[]): { phrases: Phrase[]; match: string } | null {
  const phrases: Phrase[] = [];
  const clauses: string[] = [];
  const attached = new Set<number>();
  groups.forEach((group, g) => {
    if (group.kind !== 'word') {
      return;
    }
    const own = groupPhrases(group, g);
    const wholes = groups.flatMap((other, w) => (other.kind === 'whole' && other.token === group.token && !attached.has(w) ? groupPhrases(other, w) : []));
    wholes.forEach((phrase) => attached.add(phrase.group));
    const clause = [...own, ...wholes];
    phrases.push(...clause);
    // This build's FTS4 has the enhanced query syntax (SQLITE_ENABLE_FTS3_PARENTHESIS), where OR binds *looser* than
    // AND: "a OR b c" is a OR (b AND c). Each word's alternatives are bracketed.
    clauses.push(clause.length > 1 ? `(${clause.map(phraseSyntax).join(' OR ')})` : clause.map(phraseSyntax).join(''));
  });
  return clauses.length === 0 ? null : { phrases, match: clauses.join(' ') };
}

export interface ColumnWeights {
  /** Ranking weight of each index column, in table order. */
  weights: readonly number[];
  /** How much a column's length lowers its hits' worth (BM25's b), in table order. */
  lengthNorm: readonly number[];
}

const K1 = 1.6;
const WHOLE_BONUS = 1.5;
const STOP_WEIGHT = 0.2;

export interface RowScore {
  score: number;
  /** Bit g set when group g matched where the record's kind may match (groups past 31 are not tracked). */
  groupsMatched: number;
  /** Required groups matched (where the record's kind may match). */
  matched: number;
  /** Required groups in the query. */
  required: number;
}

/**
 * What every row of one query shares: each group's idf (from the index-wide
 * counts FTS4 gives with any row) and each column's average length. Worked
 * out once per query, so scoring a row only reads its hits and lengths.
 */
export class Scorer {
  /** Records holding any of each group's terms (the largest over columns: an estimate, exact for one column). */
  readonly docs: number[];
  private readonly idf: number[];
  private readonly averages: number[];
  private readonly columns: number;

  constructor(
    first: Uint32Array,
    private readonly phrases: readonly Phrase[],
    private readonly groups: readonly QueryGroup[],
    private readonly weights: ColumnWeights,
  ) {
    this.columns = first[1] ?? 0;
    const records = first[2] ?? 0;
    this.averages = Array.from({ length: this.columns }, (_, c) => Math.max(1, first[3 + c] ?? 1));
    this.docs = groups.map(() => 0);
    phrases.forEach((phrase, p) => {
      for (let c = 0; c < this.columns; c += 1) {
        const docs = first[3 + 2 * this.columns + 3 * (p * this.columns + c) + 2] ?? 0;
        this.docs[phrase.group] = Math.max(this.docs[phrase.group] ?? 0, docs);
      }
    });
    this.idf = this.docs.map((df) => Math.log(1 + (records - df + 0.5) / (df + 0.5)));
  }

  score(info: Uint32Array, allowed?: ReadonlySet<number>): RowScore {
    const columns = this.columns;
    // A group's worth is its best term's, not their sum: a synonym is another way to say the word, not a second match.
    const tf = new Float64Array(this.groups.length);
    const base = 3 + 2 * columns;
    for (let p = 0; p < this.phrases.length; p += 1) {
      const phrase = this.phrases[p] as Phrase;
      let own = 0;
      for (let c = 0; c < columns; c += 1) {
        const hits = info[base + 3 * (p * columns + c)] ?? 0;
        if (hits > 0 && (!allowed || allowed.has(c))) {
          const b = this.weights.lengthNorm[c] ?? 0.75;
          const length = info[3 + columns + c] ?? 0;
          own += ((this.weights.weights[c] ?? 1) * hits) / (1 - b + (b * length) / (this.averages[c] ?? 1));
        }
      }
      tf[phrase.group] = Math.max(tf[phrase.group] ?? 0, phrase.weight * own);
    }
    let score = 0;
    let matched = 0;
    let required = 0;
    let groupsMatched = 0;
    for (let g = 0; g < this.groups.length; g += 1) {
      const kind = (this.groups[g] as QueryGroup).kind;
      const f = tf[g] ?? 0;
      groupsMatched |= f > 0 && g < 31 ? 1 << g : 0;
      if (kind === 'word') {
        required += 1;
        matched += f > 0 ? 1 : 0;
      }
      if (f > 0) {
        const kindWeight = kind === 'whole' ? WHOLE_BONUS : kind === 'stop' ? STOP_WEIGHT : 1;
        score += (kindWeight * (this.idf[g] ?? 0) * f * (K1 + 1)) / (f + K1);
      }
    }
    return { score, groupsMatched, matched, required };
  }
}

/** Ordered best first: rows matching every required group, then by score weighted by how much of the query they match. */
/**
 * Added to the score of a record with every required word, so that ordering by score puts them first. A
 * record's BM25F score stays below it: at most 16 groups × 1.5 × idf (under 14.5 at a million records) × (k1 + 1).
 */
export const ALL_WORDS = 10_000;

export function rankValue(row: RowScore): number {
  if (row.required === 0 || row.matched === row.required) {
    return ALL_WORDS + row.score;
  }
  return (row.score * row.matched) / row.required;
}

/**
 * Optimal string alignment distance (Levenshtein with adjacent
 * transpositions: "promethues" is one step from "prometheus"), or
 * `limit + 1` as soon as it must exceed `limit`.
 */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) {
    return limit + 1;
  }
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      }
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > limit) {
      return limit + 1;
    }
    prev2 = prev;
    prev = row;
  }
  return prev[b.length] ?? limit + 1;
}

/** Edits a term of this length may be corrected by: none under 4 letters, 1 under 6, else 2. */
export function allowedEdits(term: string): number {
  return term.length < 4 ? 0 : term.length < 6 ? 1 : 2;
}

/**
 * The vault's own term closest to `term` within allowedEdits, the most
 * frequent of the closest; undefined when none is close enough.
 */
export function correctTerm(term: string, vocabulary: readonly { term: string; docs: number }[]): string | undefined {
  const limit = allowedEdits(term);
  if (limit === 0) {
    return undefined;
  }
  let best: { term: string; docs: number; distance: number } | undefined;
  for (const entry of vocabulary) {
    const distance = editDistance(term, entry.term, limit);
    if (distance <= limit && (!best || distance < best.distance || (distance === best.distance && entry.docs > best.docs))) {
      best = { ...entry, distance };
    }
  }
  return best?.term;
}

export { STOP_WORDS };
