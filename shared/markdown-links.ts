/**
 * Links inside a record's Markdown, as both hosts show them (issue 17,
 * "Links"; docs/catalog-format.md, "Links between runbooks"). The engine's
 * application layer resolves each link once (electron/operations/record-links.ts)
 * and hands the answer with the opened record; the window and `lifeboat show`
 * only look the link up here. Zod-free so the renderer can use it.
 */

/** How one link of a record's body was resolved. `href` is the destination as markdown-it reads it. */
export type RecordLink =
  /** Another record of the same catalog: opened in the app (an open like any other, logged). */
  | { href: string; kind: 'record'; id: string; title: string; file: string; anchor?: string | undefined }
  /** A file path that names no record of the catalog: shown as text with the path, never fetched. */
  | { href: string; kind: 'outside'; path: string }
  /** A URL with a scheme (https:, mailto:…): shown as text, never opened (offline; the CSP blocks it anyway). */
  | { href: string; kind: 'external' }
  /** A heading of the same page. */
  | { href: string; kind: 'anchor' };

/**
 * Hugo's `{{< ref "./Other.md" >}}` and `relref` shortcodes in a link
 * destination (prometheus-operator's runbooks link this way). markdown-it
 * cannot read a destination with spaces, so the shortcode is replaced by the
 * path it names before parsing; the path resolves like any relative link.
 */
const HUGO_REF = /\]\(\s*\{\{[<%]\s*(?:rel)?ref\s+"([^"\n]*)"\s*[>%]\}\}\s*\)/gu;

export function withHugoRefsAsPaths(source: string): string {
  return source.replace(HUGO_REF, (_, path: string) => `](<${path.replace(/[<>]/gu, '')}>)`);
}

/** The links of a record by destination, for renderers looking up what markdown-it hands them. */
export function linkTable(links: readonly RecordLink[] | undefined): Map<string, RecordLink> {
  return new Map((links ?? []).map((link) => [link.href, link]));
}

/**
 * How one image of a record's body was resolved when the record was opened
 * (electron/operations/record-images.ts; docs/catalog-format.md, "Images").
 * `src` is the destination as markdown-it reads it.
 */
export type RecordImage =
  /** An image the record's catalog carries: its bytes, base64, shown from memory (a data: URL), never written anywhere. */
  | { src: string; kind: 'image'; path: string; mime: string; size: number; base64: string }
  /** A path that names no image the vault holds for the catalog: its alt text is shown, with the path. */
  | { src: string; kind: 'missing'; path: string }
  /** A URL (`https:`…): never fetched; its alt text is shown. */
  | { src: string; kind: 'external' };

/** The images of a record by destination, for renderers looking up what markdown-it hands them. */
export function imageTable(images: readonly RecordImage[] | undefined): Map<string, RecordImage> {
  return new Map((images ?? []).map((image) => [image.src, image]));
}
