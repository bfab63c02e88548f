/**
 * Where the links of a record's Markdown lead (issue 17, "Links";
 * docs/catalog-format.md, "Links between runbooks"): the one rule the window
 * and `lifeboat show` both use. Resolved when the record is opened, from the
 * record's own `catalogRef.file` and the paths of the other live records of
 * the same catalog id, so a vault synced before this rule needs no re-sync.
 *
 * A link that names a file of the catalog becomes that record. Real
 * repositories write that name three ways, each handled here:
 * - relative paths (`../ssl/ssl_cert.md`, `secrets-manager.html`), from the
 *   linking file's folder;
 * - site-absolute paths in their published form (GOV.UK's
 *   `/manual/query-cdn-logs.html#anchor` for `manual/query-cdn-logs.html.md`),
 *   matched against the catalog from its longest tail, since the catalog's
 *   root is rarely the site's;
 * - Hugo's `{{< ref "./Other.md" >}}` (prometheus-operator), read as the path
 *   it names (shared/markdown-links.ts).
 * Anything else with a path stays text showing that path; nothing is fetched.
 */
import MarkdownIt, { type Token } from 'markdown-it';
import { catalogDestination } from '../catalog/catalog-paths.js';
import { withHugoRefsAsPaths, type RecordLink } from '../../shared/markdown-links.js';
import { kindOf, RECORD_KINDS } from '../../shared/record-kinds.js';
import type { RecordView } from '../../shared/records.js';
import type { VaultSession } from '../vault/vault-session.js';

/** The renderer's settings (renderer/src/markdown.ts), so both read the same destinations. */
const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

/** A record of the catalog a link may lead to. */
export interface LinkTarget {
  id: string;
  title: string;
  file: string;
}

/**
 * The files a path may have been published from: itself, with a Markdown
 * extension (`x.html` → `x.html.md`, GOV.UK's Middleman; `x.html` → `x.md`;
 * `x` → `x.md`), or a folder's index page.
 */
function sourceNames(path: string): string[] {
  const bare = path.replace(/\/+$/u, '');
  const names = bare === '' ? [] : [bare, `${bare}.md`, `${bare}.markdown`];
  if (/\.html?$/iu.test(bare)) {
    names.push(`${bare.replace(/\.html?$/iu, '')}.md`);
  }
  const folder = bare === '' ? '' : `${bare}/`;
  names.push(`${folder}index.md`, `${folder}_index.md`, `${folder}README.md`);
  return names;
}

function firstKnown(path: string, files: ReadonlyMap<string, LinkTarget>): LinkTarget | undefined {
  for (const name of sourceNames(path)) {
    const target = files.get(name);
    if (target) {
      return target;
    }
  }
  return undefined;
}

/** One destination, resolved against the catalog the linking file belongs to (none: every path is outside). */
export function resolveLink(href: string, fromFile: string | undefined, files: ReadonlyMap<string, LinkTarget>): RecordLink {
  const destination = catalogDestination(href, fromFile);
  if (destination.kind !== 'path') {
    return { href, kind: destination.kind };
  }
  let found: LinkTarget | undefined;
  for (const candidate of destination.candidates) {
    found ??= firstKnown(candidate, files);
  }
  if (!found) {
    return { href, kind: 'outside', path: destination.shown };
  }
  return { href, kind: 'record', id: found.id, title: found.title, file: found.file, ...(destination.anchor ? { anchor: destination.anchor } : {}) };
}

function collectHrefs(tokens: readonly Token[], into: Set<string>): void {
  for (const token of tokens) {
    if (token.type === 'link_open') {
      into.add(token.attrGet('href') ?? '');
    }
    if (token.children) {
      collectHrefs(token.children, into);
    }
  }
}

/** Every link destination of a Markdown text, as markdown-it reads it (so the renderers find them). */
export function linkDestinations(markdown: string): string[] {
  const hrefs = new Set<string>();
  collectHrefs(md.parse(withHugoRefsAsPaths(markdown), {}), hrefs);
  return [...hrefs];
}

/** The record's Markdown fields (a runbook's or procedure's body), as record-kinds.ts declares them. */
export function markdownOf(record: RecordView): string[] {
  return kindOf(RECORD_KINDS, record.type)
    .fields.filter((field) => field.markdown)
    .map((field) => record.data[field.key])
    .filter((value): value is string => typeof value === 'string');
}

/** The catalog id and file a synced record came from; undefined for a record made in the vault. */
export function catalogRefOf(record: RecordView): { catalogId: string; file: string } | undefined {
  const ref = record.data['catalogRef'];
  if (ref === null || typeof ref !== 'object') {
    return undefined;
  }
  const { catalogId, file } = ref as Record<string, unknown>;
  return typeof catalogId === 'string' && typeof file === 'string' ? { catalogId, file } : undefined;
}

/** Where each link of an opened record leads. Reads paths only; logs nothing (opening a target is its own open). */
export function recordLinks(session: VaultSession, record: RecordView): RecordLink[] {
  const hrefs = new Set(markdownOf(record).flatMap(linkDestinations));
  if (hrefs.size === 0) {
    return [];
  }
  const ref = catalogRefOf(record);
  const files = new Map<string, LinkTarget>();
  if (ref) {
    for (const target of session.store().catalogFiles(ref.catalogId)) {
      files.set(target.file, target);
    }
  }
  return [...hrefs].map((href) => resolveLink(href, ref?.file, files));
}
