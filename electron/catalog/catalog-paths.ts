/**
 * Which file of a catalog a link or image destination in one of its pages
 * names (docs/catalog-format.md, "Links between runbooks" and "Images"): the
 * one reading of a destination, for links (resolved when a record is opened,
 * electron/operations/record-links.ts) and images (resolved when a catalog is
 * packed or synced, catalog-images.ts, and again when a record is opened).
 *
 * - `#anchor` or empty: the same page;
 * - a scheme (`https:`, `mailto:`, `data:`) or `//host`: outside the catalog,
 *   never fetched;
 * - a relative path: from the page's folder; a path climbing above the
 *   catalog's root is outside;
 * - a site-absolute path (`/manual/x.html`): the published form, whose root is
 *   rarely the catalog's, so its tails are tried, longest first.
 * `?query` and `#anchor` are cut off and `%`-escapes decoded first.
 */
import { posix } from 'node:path';

/** A URL scheme (`https:`, `mailto:`) or a protocol-relative `//host`: not a file of the catalog. */
const EXTERNAL = /^(?:[a-z][a-z\d+.-]*:|\/\/)/iu;

function decoded(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

export type CatalogDestination =
  | { kind: 'anchor' }
  | { kind: 'external' }
  /** `candidates`: catalog paths the destination may name, in the order to try; `shown`: the path to show when none is found. */
  | { kind: 'path'; candidates: string[]; shown: string; anchor?: string };

/** How a destination written in the page `fromFile` reads (no page: every path is outside, with no candidates). */
export function catalogDestination(href: string, fromFile: string | undefined): CatalogDestination {
  if (href === '' || href.startsWith('#')) {
    return { kind: 'anchor' };
  }
  if (EXTERNAL.test(href)) {
    return { kind: 'external' };
  }
  const hash = href.indexOf('#');
  const anchor = hash >= 0 ? decoded(href.slice(hash + 1)) : undefined;
  const path = decoded(href.slice(0, hash >= 0 ? hash : undefined).replace(/\?.*$/su, ''));
  const withAnchor = anchor ? { anchor } : {};
  if (fromFile === undefined) {
    return { kind: 'path', candidates: [], shown: path, ...withAnchor };
  }
  if (path.startsWith('/')) {
    const segments = path.split('/').filter((s) => s !== '');
    const candidates = segments.length === 0 ? [''] : segments.map((_, i) => segments.slice(i).join('/'));
    return { kind: 'path', candidates, shown: path, ...withAnchor };
  }
  const joined = posix.normalize(posix.join(posix.dirname(fromFile), path));
  if (joined === '..' || joined.startsWith('../')) {
    return { kind: 'path', candidates: [], shown: path, ...withAnchor };
  }
  return { kind: 'path', candidates: [joined === '.' ? '' : joined], shown: joined, ...withAnchor };
}
