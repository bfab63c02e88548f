/**
 * Images of a catalog's pages (issue 17; docs/catalog-format.md, "Images").
 *
 * A page shows an image with Markdown's `![alt](path)`. The images a page
 * names that are files of the catalog are carried with it: packed into the
 * signed catalog (so their bytes are covered by the manifest's hashes),
 * stored encrypted in the vault with the catalog's records, and shown in the
 * window from memory. Everything else about an image is a warning, never a
 * refusal: a page with a missing picture is still the runbook someone needs.
 *
 * Rules, in order, for each file of an image type (IMAGE_TYPES):
 * - no page names it: skipped ("an image no page shows"), not packed;
 * - over IMAGE_LIMITS.fileBytes: a warning with its size, left out;
 * - its bytes are not the type its extension says (PNG, JPEG, GIF and WebP
 *   by their signatures; SVG: UTF-8 text with an `<svg` element): a warning,
 *   left out;
 * - the catalog's images add up to more than IMAGE_LIMITS.totalBytes: those
 *   past the limit (in path order) are left out, with a warning.
 * And for each image a page names: a path that is no file of the catalog is a
 * warning naming the page and line ("missing image"); a URL (`https:`) is
 * never fetched and never warned about (the window shows its alt text).
 *
 * SVG is only ever shown as an image (an `<img>` with a data: URL), where a
 * browser runs none of its scripts and loads nothing it references.
 */
import { createHash } from 'node:crypto';
import MarkdownIt, { type Token } from 'markdown-it';
import { bytesInWords } from '../../shared/byte-size.js';
import { withHugoRefsAsPaths } from '../../shared/markdown-links.js';
import type { CatalogSkip, CatalogWarning } from './catalog-fields.js';
import { catalogDestination } from './catalog-paths.js';
import { withCheapRepeats } from './markdown-text.js';

const MiB = 1024 * 1024;

export interface ImageLimits {
  /** Bytes of one image. */
  fileBytes: number;
  /** Bytes of all the images of one catalog. */
  totalBytes: number;
}

/**
 * A runbook's diagram or screenshot is tens to hundreds of KiB; 2 MiB leaves
 * room for a large screenshot while keeping a record's open (which carries
 * its images) and the vault's snapshot, which every save rewrites, small.
 */
export const IMAGE_LIMITS: Readonly<ImageLimits> = Object.freeze({ fileBytes: 2 * MiB, totalBytes: 32 * MiB });

export type ImageMime = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'image/svg+xml';

const IMAGE_TYPES: ReadonlyMap<string, { mime: ImageMime; name: string }> = new Map([
  ['.png', { mime: 'image/png', name: 'PNG' }],
  ['.jpg', { mime: 'image/jpeg', name: 'JPEG' }],
  ['.jpeg', { mime: 'image/jpeg', name: 'JPEG' }],
  ['.gif', { mime: 'image/gif', name: 'GIF' }],
  ['.webp', { mime: 'image/webp', name: 'WebP' }],
  ['.svg', { mime: 'image/svg+xml', name: 'SVG' }],
]);

export const IMAGE_EXTENSIONS: readonly string[] = [...IMAGE_TYPES.keys()];

function typeOf(path: string): { mime: ImageMime; name: string } | undefined {
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') + 1 ? IMAGE_TYPES.get(path.slice(dot).toLowerCase()) : undefined;
}

/** Whether a path names an image file (by its extension). */
export function isImagePath(path: string): boolean {
  return typeOf(path) !== undefined;
}

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0): boolean => prefix.every((b, i) => bytes[at + i] === b);
const ascii = (text: string): number[] => Array.from({ length: text.length }, (_, i) => text.charCodeAt(i));

/** Whether the bytes are an image of this type (its signature; for SVG, UTF-8 text holding an <svg> element). */
function looksLike(mime: ImageMime, bytes: Uint8Array): boolean {
  switch (mime) {
    case 'image/png':
      return startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) && bytes.length > 8;
    case 'image/jpeg':
      return startsWith(bytes, [0xff, 0xd8, 0xff]);
    case 'image/gif':
      return startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'));
    case 'image/webp':
      return startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8);
    case 'image/svg+xml': {
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        return false;
      }
      return /<svg[\s>]/iu.test(text);
    }
  }
}

/** An image carried by a catalog. */
export interface CatalogImage {
  path: string;
  mime: ImageMime;
  bytes: Uint8Array;
  /** SHA-256 of the bytes, lower-case hex: how a sync tells a changed image from an unchanged one. */
  sha256: string;
}

/** One `![alt](src)` of a page, with the file line it is on. */
export interface ImageReference {
  src: string;
  line: number;
}

// The renderer's reading (renderer/src/markdown.ts): what is found here is what the window shows.
const md = withCheapRepeats(new MarkdownIt({ html: false, linkify: false, typographer: false }));
// The same parser's block pass alone: only the blocks that can hold an image (`![` in their text) are
// inline-parsed, each as markdown-it's own inline rule would (same parser, same env, same children).
const blockPass = withCheapRepeats(new MarkdownIt({ html: false, linkify: false, typographer: false }));
blockPass.core.ruler.disable(['inline', 'text_join']);

function collect(tokens: readonly Token[], line: number, content: string, into: ImageReference[]): void {
  for (const token of tokens) {
    if (token.type === 'image') {
      const src = token.attrGet('src') ?? '';
      // The line of the paragraph, moved down by the line breaks before the destination's first appearance.
      const at = content.indexOf(`](${src}`);
      const before = at > 0 ? content.slice(0, at) : '';
      into.push({ src, line: line + (before.match(/\n/gu)?.length ?? 0) });
    }
    if (token.children) {
      collect(token.children, line, content, into);
    }
  }
}

/**
 * The images a Markdown body shows, in order; `firstLine` is the file line of
 * the body's first line. Pages without `![` are not parsed at all (a sync
 * reads thousands).
 */
export function imageReferences(body: string, firstLine = 1): ImageReference[] {
  if (!body.includes('![')) {
    return [];
  }
  const found: ImageReference[] = [];
  const env = {};
  for (const token of blockPass.parse(withHugoRefsAsPaths(body), env)) {
    if (token.type === 'inline' && token.children && token.content.includes('![')) {
      md.inline.parse(token.content, md, env, token.children);
      collect(token.children, firstLine + (token.map?.[0] ?? 0), token.content, found);
    }
  }
  return found;
}

/** The file of `files` an image destination names from the page `fromFile`, or why none. */
export function resolveImage(
  src: string,
  fromFile: string | undefined,
  has: (path: string) => boolean,
): { kind: 'file'; path: string } | { kind: 'missing'; path: string } | { kind: 'external' } {
  const destination = catalogDestination(src, fromFile);
  if (destination.kind === 'external') {
    return { kind: 'external' };
  }
  if (destination.kind === 'anchor') {
    return { kind: 'missing', path: src };
  }
  const path = destination.candidates.find(has);
  return path === undefined ? { kind: 'missing', path: destination.shown } : { kind: 'file', path };
}

export interface CatalogImages {
  images: CatalogImage[];
  skipped: CatalogSkip[];
  warnings: CatalogWarning[];
}

/**
 * The images a catalog carries: `pages` are the pages read (file and the
 * images each shows), `files` every file read, `oversized` image files a
 * folder read left unread because of their size.
 */
export function catalogImages(
  pages: readonly { file: string; references: readonly ImageReference[] }[],
  files: ReadonlyMap<string, Uint8Array>,
  oversized: readonly { path: string; size: number }[] = [],
  limits: ImageLimits = IMAGE_LIMITS,
): CatalogImages {
  const imagePaths = new Set([...files.keys()].filter(isImagePath));
  const tooLarge = new Map(oversized.map((o) => [o.path, o.size]));
  const exists = (path: string): boolean => imagePaths.has(path) || tooLarge.has(path);
  const warnings: CatalogWarning[] = [];
  const shown = new Set<string>();
  for (const page of pages) {
    for (const ref of page.references) {
      const resolved = resolveImage(ref.src, page.file, exists);
      if (resolved.kind === 'file') {
        shown.add(resolved.path);
      } else if (resolved.kind === 'missing') {
        warnings.push({
          file: page.file,
          line: ref.line,
          message: `${page.file} line ${ref.line} shows the image ${resolved.path}, which is not in the catalog: the page is kept without it.`,
        });
      }
    }
  }
  const images: CatalogImage[] = [];
  const skipped: CatalogSkip[] = [];
  let total = 0;
  for (const path of [...imagePaths, ...tooLarge.keys()].sort()) {
    const type = typeOf(path);
    const bytes = files.get(path);
    if (!shown.has(path) || !type) {
      skipped.push({ file: path, reason: 'an image no page shows (not carried)' });
      continue;
    }
    const size = bytes?.length ?? tooLarge.get(path) ?? 0;
    if (bytes === undefined || size > limits.fileBytes) {
      warnings.push({ file: path, message: `${path} is ${bytesInWords(size)}, over the ${bytesInWords(limits.fileBytes)} limit for an image: left out.` });
      continue;
    }
    if (!looksLike(type.mime, bytes)) {
      warnings.push({ file: path, message: `${path} is not ${type.name === 'SVG' ? 'an' : 'a'} ${type.name} image, as its name says: left out.` });
      continue;
    }
    if (total + size > limits.totalBytes) {
      warnings.push({
        file: path,
        message: `${path} would bring the catalog's images over ${bytesInWords(limits.totalBytes)}, the limit for one catalog: left out.`,
      });
      continue;
    }
    total += size;
    images.push({ path, mime: type.mime, bytes, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  return { images, skipped, warnings };
}
