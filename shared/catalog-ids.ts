/**
 * Issue 17: which folder names are too generic to name a catalog. Syncing an
 * unsigned folder under its folder's name was the default, and every
 * repository has a `docs/`: a second repository's `docs/` would archive every
 * runbook of the first. A folder whose name is in this list needs an explicit
 * id (CLI `--id`; the window asks once and remembers it per folder).
 * docs/catalog-format.md, "Catalog ids", lists the same names.
 */
export const GENERIC_FOLDER_NAMES = [
  'alerts',
  'book',
  'catalog',
  'catalogs',
  'content',
  'contents',
  'doc',
  'docs',
  'documentation',
  'guide',
  'guides',
  'handbook',
  'manual',
  'manuals',
  'markdown',
  'notes',
  'pages',
  'playbook',
  'playbooks',
  'public',
  'runbook',
  'runbooks',
  'site',
  'source',
  'src',
  'wiki',
] as const;

const GENERIC = new Set<string>(GENERIC_FOLDER_NAMES);

/** True when a folder's name (any case, surrounding blanks ignored) is too generic to be a catalog's default id. */
export function isGenericFolderName(name: string): boolean {
  return GENERIC.has(name.trim().toLowerCase());
}

/** The share of a catalog's live records one sync may archive without an explicit confirmation (CLI --yes). */
export const ARCHIVE_CONFIRM_SHARE = 0.25;
