/**
 * Runbook Markdown → safe HTML for the record view. Catalog pages are real
 * pages written elsewhere: they link to consoles and embed remote images.
 * Lifeboat must show them without loading or opening anything, so:
 * - raw HTML in the Markdown is not rendered (markdown-it html: false);
 * - an image the record's catalog carries (resolved in main when the record
 *   was opened: electron/operations/record-images.ts) is shown from memory, a
 *   data: URL of its bytes with its alt text (an SVG this way runs no script
 *   and loads nothing); any other image (a URL, a missing file) becomes a
 *   visible placeholder with its alt text and where it points, never fetched;
 * - a link to another record of the same catalog (resolved in main when the
 *   record was opened: electron/operations/record-links.ts) becomes a button
 *   carrying that record's id, which RecordPanel opens like any other record;
 * - every other link becomes inert text that shows where it points (no <a>,
 *   nothing to click, nothing fetched);
 * - the result is sanitised again by DOMPurify with a small allow-list.
 * The CSP (no remote origins, no inline script) is the last wall behind these.
 */
import DOMPurify from 'dompurify';
import MarkdownIt, { type Token } from 'markdown-it';
import { bytesInWords } from '../../shared/byte-size';
import { imageTable, linkTable, withHugoRefsAsPaths, type RecordImage, type RecordLink } from '../../shared/markdown-links';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

/** The only image types shown; anything else stays a placeholder. */
const SHOWN_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml']);

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
/** What the renderer is handed besides the source: where each link leads, which images the vault holds. */
interface RenderEnv {
  links: Map<string, RecordLink>;
  images: Map<string, RecordImage>;
}

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

/** The copy button every code block gets (RecordPanel copies its block's text through main): the one <button> and <div> the body holds besides record links. */
export const CODE_COPY_BUTTON = '<button type="button" class="md-copy" title="Copy this code">copy</button>';
const defaultFence = md.renderer.rules['fence'];
const defaultCodeBlock = md.renderer.rules['code_block'];
md.renderer.rules['fence'] = (tokens, index, options, env, self) =>
  `<div class="md-code">${CODE_COPY_BUTTON}${defaultFence ? defaultFence(tokens, index, options, env, self) : ''}</div>`;
md.renderer.rules['code_block'] = (tokens, index, options, env, self) =>
  `<div class="md-code">${CODE_COPY_BUTTON}${defaultCodeBlock ? defaultCodeBlock(tokens, index, options, env, self) : ''}</div>`;

md.renderer.rules['link_open'] = (tokens, index, _options, env: RenderEnv) => {
  const { href, link } = linkOf(tokens[index], env);
  if (link?.kind === 'record') {
    const where = `Open “${link.title}” (${link.file}${link.anchor ? `#${link.anchor}` : ''})`;
    const anchor = link.anchor ? ` data-anchor="${md.utils.escapeHtml(link.anchor)}"` : '';
    return `<button type="button" class="md-record-link" data-record-id="${md.utils.escapeHtml(link.id)}"${anchor} title="${md.utils.escapeHtml(where)}">`;
  }
  return `<span class="md-link" title="${md.utils.escapeHtml(href)}">`;
};
md.renderer.rules['link_close'] = (tokens, index, _options, env: RenderEnv) => {
  const { href, link } = linkOf(openerOf(tokens, index), env);
  if (link?.kind === 'record') {
    return '</button>';
  }
  // A path or URL is shown, never followed: outside the catalog, or outside the vault.
  const shown = link?.kind === 'outside' ? link.path : href.startsWith('#') || href === '' || link?.kind === 'anchor' ? '' : href;
  return shown === '' ? '</span>' : `</span> <span class="md-href">(${md.utils.escapeHtml(shown)})</span>`;
};

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
  'button',
  'img',
  'div',
];

/** How a code block opens once rendered: see renderMarkdown. */
export const CODE_BLOCK_OPEN = '<pre tabindex="0" role="group" aria-label="Code block">';

/**
 * `links`: the record's resolved links (RecordView.links), so links to other
 * records open them; `images`: its resolved images (RecordView.images).
 */
export function renderMarkdown(source: string, links?: readonly RecordLink[], images?: readonly RecordImage[]): string {
  const env: RenderEnv = { links: linkTable(links), images: imageTable(images) };
  const safe = DOMPurify.sanitize(md.render(withHugoRefsAsPaths(source), env), {
    ALLOWED_TAGS,
    ALLOWED_ATTR: ['class', 'title', 'start', 'type', 'data-record-id', 'data-anchor', 'src', 'alt'],
    ALLOW_DATA_ATTR: false,
  });
  // A code block scrolls sideways when its lines are long: a tab stop with a name, so the keyboard
  // can scroll it too (WCAG 2.1.1; issue 19). Added after sanitising, to the sanitiser's own <pre>
  // elements only (a "<pre>" in the text is escaped by then), and the allow-list stays as it was.
  return safe.replaceAll('<pre>', CODE_BLOCK_OPEN);
}

/** A heading's anchor as static-site generators write it (GitHub, Middleman, Hugo): "Contact Senior Tech" → "contact-senior-tech". */
export function headingSlug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s+/gu, '-');
}
