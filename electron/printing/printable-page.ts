/**
 * The frame shared by every printed page (evidence reports, recovery sheets,
 * the emergency kit): a standalone HTML document with no script and no
 * remote resource, so it prints the same offline in any Chromium.
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const BASE_CSS = `
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 9.5pt; color: #111; }
h1 { font-size: 16pt; margin: 0 0 4pt; }
h2 { font-size: 11.5pt; margin: 14pt 0 4pt; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 2pt 4pt; border-bottom: 1px solid #ddd; }
th { background: #eee; }
footer { margin-top: 14pt; font-size: 8pt; color: #444; }
`;

/** A complete page: `css` is added to the base style, `body` is trusted HTML built with escapeHtml. */
export function printablePage(title: string, body: string, css = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title><style>${BASE_CSS}${css}</style></head>
<body>
${body}
</body></html>
`;
}
