import { describe, expect, it } from 'vitest';
import { escapeForTerminal, unsafeCharacterIn, withoutBidiControls } from './terminal-text.js';

describe('terminal text', () => {
  it('escapes every control and bidi character but tab and newline; CR LF becomes LF', () => {
    expect(escapeForTerminal('a\u001b[2K\rb\tc\r\nd\u202ee\u2066f\u0085g\u007f')).toBe('a\\x1b[2K\\x0db\tc\nd\\u202ee\\u2066f\\x85g\\x7f');
    expect(escapeForTerminal('Café – ok ✓ 日本')).toBe('Café – ok ✓ 日本');
  });

  it('names the first unsafe character of a one-line text, tab and newline included', () => {
    expect(unsafeCharacterIn('INC-1 db failover')).toBeUndefined();
    expect(unsafeCharacterIn('INC-1\nvault.locked')).toBe('U+000A');
    expect(unsafeCharacterIn('invoice\u202Etxt.exe')).toBe('U+202E');
    expect(unsafeCharacterIn('x\u200fy')).toBe('U+200F');
  });

  it('removes overrides, embeddings and isolates for the window', () => {
    expect(withoutBidiControls('invoice\u202Etxt.exe \u2067x\u2069')).toBe('invoicetxt.exe x');
  });
});
