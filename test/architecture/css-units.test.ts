/**
 * Type follows the reader's own font size (issue 19, item 8; WCAG 1.4.4): no
 * stylesheet of the window sets a font size in px, which would ignore it.
 * Sizes are in rem, relative to the root, which is a share of the browser's
 * default (docs/window.md, "Layout").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function stylesheets(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? stylesheets(join(dir, entry.name)) : entry.name.endsWith('.css') ? [join(dir, entry.name)] : [],
  );
}

/** Every `font-size` or `font` declaration whose size is in px, as "file:line: text". */
export function pxFontSizes(css: string, file: string): string[] {
  return css
    .split('\n')
    .map((line, i) => ({ line, at: i + 1 }))
    .filter(({ line }) => /^\s*font(-size)?\s*:[^;]*\d(\.\d+)?px/.test(line))
    .map(({ line, at }) => `${file}:${String(at)}: ${line.trim()}`);
}

describe('font sizes', () => {
  it('finds a px font size where there is one (the check can fail)', () => {
    expect(pxFontSizes('.a {\n  font-size: 13px;\n}\n.b { font: 600 12px/1.4 sans-serif; }', 'x.css')).toEqual(['x.css:2: font-size: 13px;']);
    expect(pxFontSizes('.b {\n  font: 600 12px/1.4 sans-serif;\n}', 'x.css')).toHaveLength(1);
    expect(pxFontSizes('.a {\n  font-size: 0.8667rem;\n  padding: 4px;\n}', 'x.css')).toEqual([]);
  });

  it('no stylesheet of the window sets a font size in px', () => {
    const files = stylesheets('renderer/src');
    expect(files.length).toBeGreaterThan(3);
    expect(files.flatMap((file) => pxFontSizes(readFileSync(file, 'utf8'), file))).toEqual([]);
  });

  it('the root size is a share of the browser default, not a fixed number', () => {
    const root = /:root\s*\{[^}]*\}/.exec(readFileSync('renderer/src/styles.css', 'utf8'))?.[0] ?? '';
    expect(root).toMatch(/font-size:\s*\d+(\.\d+)?%/);
  });
});
