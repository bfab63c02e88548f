/**
 * Control and bidirectional-formatting characters in stored text (issue 15,
 * M6; docs/security.md, "Stored text on a terminal and in the window"). A
 * reason holding `ESC [2K CR` can erase the audit line it is printed on and
 * write a fake one; a right-to-left override makes `exe.txt` read `txt.exe`.
 * New titles and reasons refuse them; what is already stored is escaped on
 * every line the command line prints, and overrides are removed before the
 * window shows text.
 */
import { LifeboatError } from './errors.js';

/** The bidi marks, embeddings, overrides and isolates, and the Unicode line and paragraph separators. */
function isBidiOrSeparator(code: number): boolean {
  return (
    code === 0x061c ||
    code === 0x200e ||
    code === 0x200f ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/** C0, DEL and C1 control characters. */
function isControl(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

/** Bidi embeddings, overrides and isolates: what can reorder text around it. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/gu;

function escaped(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Text made safe to write to a terminal: line breaks (LF, and CR LF as LF)
 * and tabs kept, every other control or bidi character written as `\xHH` or
 * `\uHHHH`, so it shows and does nothing.
 */
export function escapeForTerminal(text: string): string {
  let out = '';
  for (const char of text.replace(/\r\n/gu, '\n')) {
    const code = char.codePointAt(0) ?? 0;
    out += (isControl(code) && char !== '\n' && char !== '\t') || isBidiOrSeparator(code) ? escaped(char) : char;
  }
  return out;
}

/** The first control or bidi character of a one-line text, described (`U+202E`), or undefined. */
export function unsafeCharacterIn(text: string): string | undefined {
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (isControl(code) || isBidiOrSeparator(code)) {
      return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    }
  }
  return undefined;
}

/**
 * Refuses a new one-line text (a title, a reason) holding a control or bidi
 * character: VAULT_BAD_INPUT (exit 2) naming it, before anything is logged.
 */
export function requirePlainLine(text: string, what: string): void {
  const char = unsafeCharacterIn(text);
  if (char) {
    throw new LifeboatError('VAULT_BAD_INPUT', `${what} cannot hold control or bidirectional-formatting characters (found ${char}); type it as plain text.`);
  }
}

/** Text without bidi embeddings, overrides and isolates (the window shows stored text this way). */
export function withoutBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}
