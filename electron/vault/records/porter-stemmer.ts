/**
 * The Porter stemming algorithm (M.F. Porter, "An algorithm for suffix
 * stripping", 1980; https://tartarus.org/martin/PorterStemmer/), as SQLite's
 * own `porter` tokenizer applies it: "restarting", "restarts" and "restarted"
 * all become "restart". Written out here because sql.js's FTS4 cannot combine
 * its porter tokenizer with unicode61's case and accent folding, and the
 * search index needs both (search-text.ts). Input: a lower-case word.
 */
const VOWELS = /[aeiou]/;

function isConsonant(word: string, i: number): boolean {
  const c = word[i];
  if (c === undefined || VOWELS.test(c)) {
    return false;
  }
  return c !== 'y' || i === 0 || !isConsonant(word, i - 1);
}

/** m: the number of vowel-consonant sequences in the stem. */
function measure(stem: string): number {
  let m = 0;
  let i = 0;
  while (i < stem.length && isConsonant(stem, i)) {
    i += 1;
  }
  while (i < stem.length) {
    while (i < stem.length && !isConsonant(stem, i)) {
      i += 1;
    }
    if (i >= stem.length) {
      break;
    }
    m += 1;
    while (i < stem.length && isConsonant(stem, i)) {
      i += 1;
    }
  }
  return m;
}

function hasVowel(stem: string): boolean {
  for (let i = 0; i < stem.length; i += 1) {
    if (!isConsonant(stem, i)) {
      return true;
    }
  }
  return false;
}

function endsDoubleConsonant(word: string): boolean {
  const n = word.length;
  return n >= 2 && word[n - 1] === word[n - 2] && isConsonant(word, n - 1);
}

/** Consonant-vowel-consonant, the last not w, x or y (hop, not hoop). */
function endsCvc(word: string): boolean {
  const n = word.length;
  return n >= 3 && isConsonant(word, n - 3) && !isConsonant(word, n - 2) && isConsonant(word, n - 1) && !['w', 'x', 'y'].includes(word[n - 1] ?? '');
}

/** Replaces the first suffix of `rules` the word ends with, when its stem's measure passes. */
function replaceSuffix(word: string, rules: readonly (readonly [string, string])[], minMeasure: number): string {
  for (const [suffix, replacement] of rules) {
    if (word.endsWith(suffix)) {
      const stem = word.slice(0, -suffix.length);
      return measure(stem) > minMeasure ? stem + replacement : word;
    }
  }
  return word;
}

function step1ab(word: string): string {
  let w = word;
  if (w.endsWith('sses') || w.endsWith('ies')) {
    w = w.slice(0, -2);
  } else if (w.endsWith('s') && !w.endsWith('ss')) {
    w = w.slice(0, -1);
  }
  if (w.endsWith('eed')) {
    return measure(w.slice(0, -3)) > 0 ? w.slice(0, -1) : w;
  }
  for (const suffix of ['ed', 'ing']) {
    if (w.endsWith(suffix) && hasVowel(w.slice(0, -suffix.length))) {
      w = w.slice(0, -suffix.length);
      if (w.endsWith('at') || w.endsWith('bl') || w.endsWith('iz')) {
        return `${w}e`;
      }
      if (endsDoubleConsonant(w) && !['l', 's', 'z'].includes(w.at(-1) ?? '')) {
        return w.slice(0, -1);
      }
      return measure(w) === 1 && endsCvc(w) ? `${w}e` : w;
    }
  }
  return w;
}

const STEP2: readonly (readonly [string, string])[] = [
  ['ational', 'ate'],
  ['tional', 'tion'],
  ['enci', 'ence'],
  ['anci', 'ance'],
  ['izer', 'ize'],
  ['bli', 'ble'],
  ['alli', 'al'],
  ['entli', 'ent'],
  ['eli', 'e'],
  ['ousli', 'ous'],
  ['ization', 'ize'],
  ['ation', 'ate'],
  ['ator', 'ate'],
  ['alism', 'al'],
  ['iveness', 'ive'],
  ['fulness', 'ful'],
  ['ousness', 'ous'],
  ['aliti', 'al'],
  ['iviti', 'ive'],
  ['biliti', 'ble'],
  ['logi', 'log'],
];
const STEP3: readonly (readonly [string, string])[] = [
  ['icate', 'ic'],
  ['ative', ''],
  ['alize', 'al'],
  ['iciti', 'ic'],
  ['ical', 'ic'],
  ['ful', ''],
  ['ness', ''],
];
const STEP4 = ['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ion', 'ou', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize'];

/** The longest matching suffix of a list decides (Porter's rule), not the first listed. */
function longestFirst<T extends string | readonly [string, string]>(list: readonly T[]): T[] {
  const key = (item: T): string => (typeof item === 'string' ? item : item[0]);
  return [...list].sort((a, b) => key(b).length - key(a).length);
}
const STEP2_SORTED = longestFirst(STEP2);
const STEP3_SORTED = longestFirst(STEP3);
const STEP4_SORTED = longestFirst(STEP4);

function step4(word: string): string {
  for (const suffix of STEP4_SORTED) {
    if (word.endsWith(suffix)) {
      const stem = word.slice(0, -suffix.length);
      if (suffix === 'ion' && !(stem.endsWith('s') || stem.endsWith('t'))) {
        return word;
      }
      return measure(stem) > 1 ? stem : word;
    }
  }
  return word;
}

function step5(word: string): string {
  let w = word;
  if (w.endsWith('e')) {
    const stem = w.slice(0, -1);
    const m = measure(stem);
    if (m > 1 || (m === 1 && !endsCvc(stem))) {
      w = stem;
    }
  }
  if (w.endsWith('ll') && measure(w) > 1) {
    w = w.slice(0, -1);
  }
  return w;
}

export function porterStem(word: string): string {
  // Short words, and words with anything but a–z (numbers, other scripts), are kept whole.
  if (word.length <= 2 || !/^[a-z]+$/.test(word)) {
    return word;
  }
  let w = step1ab(word);
  if (w.endsWith('y') && hasVowel(w.slice(0, -1))) {
    w = `${w.slice(0, -1)}i`;
  }
  w = replaceSuffix(w, STEP2_SORTED, 0);
  w = replaceSuffix(w, STEP3_SORTED, 0);
  return step5(step4(w));
}
