/**
 * Runbook Markdown → safe HTML for the record view: shared/markdown-html.ts
 * renders it (the printed binder uses the same rendering), and this file
 * sanitises it once more. Catalog pages are real
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
import type { RecordImage, RecordLink } from '../../shared/markdown-links';
import { markdownHtml } from '../../shared/markdown-html';

export { CODE_COPY_BUTTON } from '../../shared/markdown-html';

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
  const safe = DOMPurify.sanitize(markdownHtml(source, links, images), {
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
