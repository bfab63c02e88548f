/**
 * The typed form of a recovery share, without the crypto: 20 groups of 4
 * Crockford base32 characters, each followed by a Luhn mod 32 check
 * character over the group's number and its characters. Shared so the
 * unlock screen can mark a mistyped group as it is typed; the engine
 * (electron/quorum/share-codec.ts) does the full check.
 */
export const SHARE_GROUPS = 20;
export const GROUP_DATA = 4;
export const GROUP_LENGTH = GROUP_DATA + 1;
export const SHARE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Anything outside the alphabet (by code point, so an emoji is one character). */
const OUTSIDE = /[^0-9A-HJKMNP-TV-Z]/u;

function codePoint(char: string): number {
  return SHARE_ALPHABET.indexOf(char);
}

/** Luhn mod N (N = 32) over the code points of `chars`: the check character. */
function luhnCheck(chars: string): string {
  let factor = 2;
  let sum = 0;
  for (let i = chars.length - 1; i >= 0; i -= 1) {
    let addend = factor * codePoint(chars[i] as string);
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / 32) + (addend % 32);
    sum += addend;
  }
  return SHARE_ALPHABET[(32 - (sum % 32)) % 32] as string;
}

/** The group's number folded in, so a group typed in another group's boxes fails. */
export function groupCheckChar(group: number, data: string): string {
  return luhnCheck((SHARE_ALPHABET[group % 32] as string) + data);
}

/** Upper case, no spaces or dashes, Crockford's look-alikes mapped (O → 0, I and L → 1). */
export function normalizeShareText(text: string): string {
  return text
    .toUpperCase()
    .replace(/[\s-]+/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

/** The first character that can never be in a share, if any. */
export function foreignShareChar(normalized: string): string | undefined {
  return OUTSIDE.exec(normalized)?.[0];
}

/** True when one typed group (1-based number) is complete and its check character matches. */
export function groupChecks(group: number, typed: string): boolean {
  const chars = normalizeShareText(typed);
  if (chars.length !== GROUP_LENGTH || OUTSIDE.test(chars)) {
    return false;
  }
  return groupCheckChar(group, chars.slice(0, GROUP_DATA)) === chars[GROUP_DATA];
}
