/**
 * Markdown text helpers on the CommonMark cases a line-by-line reading gets
 * wrong: code fences opened on a list marker's line, indented code that looks
 * like a fence, lazy lines, nested lists, escapes and entities. Each expected
 * value is what a CommonMark parser makes of the page. The helpers' everyday
 * behaviour on real runbooks is in catalog-content.test.ts.
 */
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { firstHeading, plainText, withCheapRepeats } from './markdown-text.js';
import { firstOrderedListItems } from './runbook-steps.js';

describe('firstHeading', () => {
  it('skips a code fence opened on a list marker line, with the # comments in it', () => {
    const body = ['- ```sh', '  # stop the service first', '  systemctl stop app', '  ```', '', '# Restore the database', ''].join('\n');
    expect(firstHeading(body)).toBe('Restore the database');
  });

  it('takes only headings of the page itself, not one inside a list item or block quote', () => {
    expect(firstHeading('1. Stop the app\n   ## Why\n\n# Restore\n')).toBe('Restore');
    expect(firstHeading('> # Quoted\n\nRestore\n=======\n')).toBe('Restore');
    expect(firstHeading('- Item\n\n  Inside\n  ---\n')).toBeUndefined();
  });

  it('reads setext headings over several lines, but a lazy block quote line cannot be underlined', () => {
    expect(firstHeading('Restore the\n*whole* database\n-------\n')).toBe('Restore the whole database');
    expect(firstHeading('> Keep the old\ndata\n===\n\nRestore\n=======\n')).toBe('Restore');
  });

  it('passes over headings with no text', () => {
    expect(firstHeading('#\n\n## ![](logo.png)\n\n## Real\n')).toBe('Real');
  });
});

describe('firstOrderedListItems', () => {
  it('keeps an item that opens with a code fence on its marker line as a step of code only', () => {
    const body = ['1. ```sh', '   systemctl stop app', '   ```', '2. Start the app', '3. Check it', ''].join('\n');
    expect(firstOrderedListItems(body)).toEqual(['```sh\nsystemctl stop app\n```', 'Start the app', 'Check it']);
  });

  it('takes an indented code block holding ``` for code, not for a fence that never closes', () => {
    const body = ['Example:', '', '    ```', '    1. not a step', '', '1. Step one', '2. Step two', ''].join('\n');
    expect(firstOrderedListItems(body)).toEqual(['Step one', 'Step two']);
  });

  it('skips a list nested in a bullet even when the bullet holds a fence', () => {
    const body = ['* ~~~', '  1. in code', '  ~~~', '2. Restore', '3. Check', ''].join('\n');
    expect(firstOrderedListItems(body)).toEqual(['Restore', 'Check']);
  });

  it('keeps a nested "2." as text of its step: a nested list must start at 1 to interrupt a paragraph', () => {
    expect(firstOrderedListItems('1. Run the job\n   2. is not a list here\n2. Check\n')).toEqual(['Run the job 2. is not a list here', 'Check']);
    expect(firstOrderedListItems('1. Run the job\n   1. nested\n2. Check\n')).toEqual(['Run the job', 'Check']);
  });

  it('resolves link references defined anywhere on the page (the target kept after the text), and keeps undefined ones as written', () => {
    const body = '1. See [the docs]\n2. Download app-[version].zip\n\n[the docs]: https://example.org/docs\n';
    expect(firstOrderedListItems(body)).toEqual(['See the docs (https://example.org/docs)', 'Download app-[version].zip']);
    expect(firstOrderedListItems('1. <https://example.org> and [here](#anchor)\n2. ```\n   a ``` b\n   ```\n')).toEqual([
      'https://example.org and here',
      '```\na ``` b\n```',
    ]);
  });
});

describe('plainText', () => {
  it('resolves escapes and entities to the characters they stand for', () => {
    expect(plainText('Call f(\\*args\\*) with \\_x\\_')).toBe('Call f(*args*) with _x_');
    expect(plainText('&lt;none&gt; &amp; more &#42;')).toBe('<none> & more *');
  });

  it('drops emphasis by CommonMark delimiter rules', () => {
    expect(plainText('*a** and **b** and snake_case_name')).toBe('a* and b and snake_case_name');
  });

  it('gives autolinks their text as written, e-mail ones too', () => {
    expect(plainText('<https://example.org/a%20b> or <ops@example.org>')).toBe('https://example.org/a%20b or ops@example.org');
  });

  it('removes an inline tag even when emphasis splits it, but not a tag written in code', () => {
    expect(plainText('<span title="*x*">kept</span> and `<b>`')).toBe('kept and <b>');
  });

  it('reads a backslash before a line break as a break, and a final one as itself', () => {
    expect(plainText('Line one\\\nline two')).toBe('Line one line two');
    expect(plainText('C:\\\n')).toBe('C:\\');
  });
});

describe('withCheapRepeats', () => {
  // Pages written on Windows (CRLF, lone CR), a NUL, and links repeated across pages: percent-encoding, an IDN host, a bad scheme.
  const pages = [
    '# Restore\r\n\r\n1. Stop [writes][db]\r\n2. Open [the dashboard](https://grafana.exämple.com/d/a b)\r\n\r\n[db]: https://wiki/db%zz "DB"\r\n',
    '# Old Mac\rpage\r\r1. Step\u0000 one\r2. Two\r',
    '[db]: https://wiki/db%zz\n[x]: javascript:alert(1)\n\n1. See [db] and [x] and ![map](https://grafana.exämple.com/d/a b)\n',
  ];
  for (const [name, options] of [
    ['commonmark', { html: false }],
    ['default', { html: false, linkify: false, typographer: false }],
  ] as const) {
    it(`gives the tokens a plain markdown-it (${name}) gives, page after page`, () => {
      const plain = new MarkdownIt(name, options);
      const cheap = withCheapRepeats(new MarkdownIt(name, options));
      for (const page of [...pages, ...pages]) {
        expect(cheap.parse(page, {})).toEqual(plain.parse(page, {}));
      }
    });
  }

  it('reads the steps and heading of a CRLF page as those of an LF one', () => {
    const lf = '# Restore\n\n1. Stop writes\n2. Restore\n';
    expect(firstHeading(lf.replace(/\n/g, '\r\n'))).toBe('Restore');
    expect(firstOrderedListItems(lf.replace(/\n/g, '\r\n'))).toEqual(firstOrderedListItems(lf));
    expect(firstOrderedListItems(lf)).toEqual(['Stop writes', 'Restore']);
  });
});
