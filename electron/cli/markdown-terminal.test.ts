/**
 * The terminal layout of Markdown, case by case (issue 17): what `show`
 * prints for the shapes runbooks use. The CLI-level proof is show.test.ts;
 * the attacks are in terminal-safety.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { markdownForTerminal, onlyOwnStyling } from './markdown-terminal.js';

const plain = (source: string): string => markdownForTerminal(source, { colour: false, width: 60 });

describe('Markdown on a terminal', () => {
  it('keeps a long numbered list aligned after item 10, and the text after it at the margin', () => {
    const list = Array.from({ length: 11 }, (_, i) => `${i + 1}. step ${i + 1}`).join('\n');
    const out = plain(`${list}\n\nAfter the list.\n`);
    expect(out).toContain('\n9. step 9\n10. step 10\n11. step 11\n');
    expect(out).toContain('\n\nAfter the list.\n');
  });

  it('puts a block quote behind a bar, and wraps a paragraph at the width, under its list marker', () => {
    expect(plain('> **Warning:** do not restart the primary.\n')).toBe('│ Warning: do not restart the primary.\n');
    const words = Array.from({ length: 20 }, () => 'word').join(' ');
    const out = plain(`- ${words}\n`);
    for (const line of out.trimEnd().split('\n').slice(1)) {
      expect(line.startsWith('   word')).toBe(true);
    }
    expect(Math.max(...out.split('\n').map((l) => l.length))).toBeLessThanOrEqual(60);
  });

  it('shows an image as its alt text and where it points, as text, never loaded', () => {
    expect(plain('![diagram of the failover](img/failover.png)\n')).toBe('[image: diagram of the failover (img/failover.png)]\n');
    const images = [
      { src: 'img/failover.png', kind: 'image' as const, path: 'docs/img/failover.png', mime: 'image/png', size: 34_000, base64: '' },
      { src: 'gone.png', kind: 'missing' as const, path: 'docs/gone.png' },
    ];
    const shown = markdownForTerminal('![diagram](img/failover.png) and ![old](gone.png)\n', { colour: false, width: 120, images });
    expect(shown).toBe('[image: diagram — docs/img/failover.png, PNG 33 KiB] and [image: old — not in the vault: docs/gone.png]\n');
  });

  it('aligns a table whose cells hold wide CJK characters and emoji by the columns they take on screen', () => {
    const out = plain('| 服务 | RTO |\n|---|---|\n| 数据库恢复 | 30m |\n| api 🚒 | 4h |\n');
    const rows = out.trimEnd().split('\n');
    // Every row's second column starts at the same screen column: wide characters count two.
    const screenColumn = (row: string, text: string): number => {
      const before = row.slice(0, row.indexOf(text));
      return Array.from(before).reduce((n, ch) => n + (/[\u3000-\u9fff\u{1F300}-\u{1FAFF}]/u.test(ch) ? 2 : 1), 0);
    };
    const starts = [screenColumn(rows[0] ?? '', 'RTO'), screenColumn(rows[2] ?? '', '30m'), screenColumn(rows[3] ?? '', '4h')];
    expect(new Set(starts).size).toBe(1);
  });

  it('colours with SGR only, and proves it: a foreign escape sequence fails the check', () => {
    const coloured = markdownForTerminal('# Title\n\nSome `code`.\n', { colour: true, width: 60 });
    expect(coloured).toContain('\u001b[33mcode\u001b[0m');
    expect(onlyOwnStyling(coloured)).toBe(true);
    expect(onlyOwnStyling(`${coloured}\u001b[2K`)).toBe(false);
    expect(onlyOwnStyling(`${coloured}\u001b]0;title\u0007`)).toBe(false);
  });
});
