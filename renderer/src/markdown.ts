/**
 * Runbook Markdown → safe HTML for the record view. Catalog pages are real
 * pages written elsewhere: they link to consoles and embed remote images.
 * Lifeboat must show them without loading or opening anything, so:
 * - raw HTML in the Markdown is not rendered (markdown-it html: false);
 * - images become a visible placeholder with their alt text (never an <img>);
 * - links become inert text that shows where they point (no <a>, nothing to click);
 * - the result is sanitised again by DOMPurify with a small allow-list.
 * The CSP (no remote origins, no inline script) is the last wall behind these.
 */
import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

md.renderer.rules['image'] = (tokens, index) => {
  const token = tokens[index];
  const alt = token ? md.utils.escapeHtml(token.content || 'image') : 'image';
  return `<span class="md-image" title="Images are not loaded">[image: ${alt}]</span>`;
};
md.renderer.rules['link_open'] = (tokens, index) => {
  const href = tokens[index]?.attrGet('href') ?? '';
  return `<span class="md-link" title="${md.utils.escapeHtml(href)}">`;
};
md.renderer.rules['link_close'] = (tokens, index) => {
  // Find the matching open token to show the target after the text.
  let depth = 0;
  for (let i = index; i >= 0; i -= 1) {
    const token = tokens[i];
    if (token?.type === 'link_close') {
      depth += 1;
    } else if (token?.type === 'link_open') {
      depth -= 1;
      if (depth === 0) {
        const href = token.attrGet('href') ?? '';
        const shown = href.startsWith('#') || href === '' ? '' : ` <span class="md-href">(${md.utils.escapeHtml(href)})</span>`;
        return `</span>${shown}`;
      }
    }
  }
  return '</span>';
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
];

export function renderMarkdown(source: string): string {
  return DOMPurify.sanitize(md.render(source), {
    ALLOWED_TAGS,
    ALLOWED_ATTR: ['class', 'title', 'start'],
    ALLOW_DATA_ATTR: false,
  });
}
