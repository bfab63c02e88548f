/**
 * Runbook Markdown → HTML, one rendering for the record view
 * (renderer/src/markdown.ts, which sanitises the result again with DOMPurify)
 * and the printed binder (electron/recovery/binder-html.ts, printed by a
 * Chromium with JavaScript off and a CSP of `default-src 'none'; img-src
 * data:`). Safe by construction, for pages written elsewhere that link to
 * consoles and embed remote images:
 * - raw HTML in the Markdown is not rendered (markdown-it html: false);
 * - an image the record's catalog carries (resolved in main when the record
 *   was opened: electron/operations/record-images.ts) is shown from memory, a
 *   data: URL of its bytes with its alt text, only for the image types below
 *   and only when its base64 is well formed; any other image (a URL, a
 *   missing file) becomes a visible placeholder with its alt text and where
 *   it points, never fetched;
 * - a link to another record of the same catalog becomes, in the window, a
 *   button carrying that record's id (RecordPanel opens it); on paper, the
 *   linked text followed by "→ title";
 * - every other link becomes inert text that shows where it points (no <a>).
 */
import MarkdownIt, { type Token } from 'markdown-it';
import { bytesInWords } from './byte-size.js';
import { imageTable, linkTable, withHugoRefsAsPaths, type RecordImage, type RecordLink } from './markdown-links.js';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

/** The only image types shown; anything else stays a placeholder. */
const SHOWN_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml']);

/** The copy button every code block gets in the window (RecordPanel copies its block's text through main). */
export const CODE_COPY_BUTTON = '<button type="button" class="md-copy" title="Copy this code">copy</button>';

/** What the renderer is handed besides the source: where each link leads, which images the vault holds. */
interface RenderEnv {
  links: Map<string, RecordLink>;
  images: Map<string, RecordImage>;
  /** Paper: no buttons (no copy, links to records as text). */
  print: boolean;
}

md.renderer.rules['image'] = (tokens, index, _options, env: RenderEnv) => {
  const token = tokens[index];
  const altText = token?.content ?? '';
  const alt = md.utils.escapeHtml(altText || 'image');
  const src = token?.attrGet('src') ?? '';
  const image = env.images.get(src);
  if (image?.kind === 'image' && SHOWN_TYPES.has(image.mime) && /^[A-Za-z0-9+/]*={0,2}$/u.test(image.base64)) {
    const caption = md.utils.escapeHtml(`${altText || image.path} (${image.path}, ${bytesInWords(image.size)})`);
    return `<img class="md-img" src="data:${image.mime};base64,${image.base64}" alt="${md.utils.escapeHtml(altText)}" title="${caption}" />`;
  }
  const why = image?.kind === 'missing' ? `not in the vault: ${image.path}` : src === '' ? 'no image given' : `not loaded: ${src}`;
  return `<span class="md-image" title="${md.utils.escapeHtml(why)}">[image: ${alt}] <span class="md-href">(${md.utils.escapeHtml(why)})</span></span>`;
};

function linkOf(token: Token | undefined, env: RenderEnv): { href: string; link: RecordLink | undefined } {
  const href = token?.attrGet('href') ?? '';
  return { href, link: env.links.get(href) };
}

/** The link_open token a link_close closes (links do not nest, but their text may hold other tokens). */
function openerOf(tokens: Token[], index: number): Token | undefined {
  for (let i = index; i >= 0; i -= 1) {
    if (tokens[i]?.type === 'link_open') {
      return tokens[i];
    }
  }
  return undefined;
}

const defaultFence = md.renderer.rules['fence'];
const defaultCodeBlock = md.renderer.rules['code_block'];
md.renderer.rules['fence'] = (tokens, index, options, env: RenderEnv, self) =>
  `<div class="md-code">${env.print ? '' : CODE_COPY_BUTTON}${defaultFence ? defaultFence(tokens, index, options, env, self) : ''}</div>`;
md.renderer.rules['code_block'] = (tokens, index, options, env: RenderEnv, self) =>
  `<div class="md-code">${env.print ? '' : CODE_COPY_BUTTON}${defaultCodeBlock ? defaultCodeBlock(tokens, index, options, env, self) : ''}</div>`;

md.renderer.rules['link_open'] = (tokens, index, _options, env: RenderEnv) => {
  const { href, link } = linkOf(tokens[index], env);
  if (link?.kind === 'record' && !env.print) {
    const where = `Open “${link.title}” (${link.file}${link.anchor ? `#${link.anchor}` : ''})`;
    const anchor = link.anchor ? ` data-anchor="${md.utils.escapeHtml(link.anchor)}"` : '';
    return `<button type="button" class="md-record-link" data-record-id="${md.utils.escapeHtml(link.id)}"${anchor} title="${md.utils.escapeHtml(where)}">`;
  }
  return `<span class="md-link" title="${md.utils.escapeHtml(href)}">`;
};
md.renderer.rules['link_close'] = (tokens, index, _options, env: RenderEnv) => {
  const { href, link } = linkOf(openerOf(tokens, index), env);
  if (link?.kind === 'record') {
    return env.print ? `</span> <span class="md-href">(→ ${md.utils.escapeHtml(link.title)})</span>` : '</button>';
  }
  // A path or URL is shown, never followed: outside the catalog, or outside the vault.
  const shown = link?.kind === 'outside' ? link.path : href.startsWith('#') || href === '' || link?.kind === 'anchor' ? '' : href;
  return shown === '' ? '</span>' : `</span> <span class="md-href">(${md.utils.escapeHtml(shown)})</span>`;
};

/**
 * `links`: the record's resolved links (RecordView.links); `images`: its
 * resolved images (RecordView.images); `print`: for paper (no buttons).
 */
export function markdownHtml(source: string, links?: readonly RecordLink[], images?: readonly RecordImage[], options: { print?: boolean } = {}): string {
  const env: RenderEnv = { links: linkTable(links), images: imageTable(images), print: options.print === true };
  return md.render(withHugoRefsAsPaths(source), env);
}
