/**
 * A catalog's content files → normalized vault records, with every problem
 * reported at once (file, line, field), never stopping at the first.
 *
 * Three outcomes (docs/catalog-format.md): entries; problems, which refuse
 * the whole catalog (a sync applies nothing, `catalog pack` writes nothing:
 * both call this one function); and, never refusing, `skipped` files that are
 * not catalog content (each with why) and `warnings` for the publisher.
 *
 * Files (paths with forward slashes, processed in sorted order):
 * - `*.yaml`, `*.yml`: Backstage entity YAML (entity-yaml.ts), any number of documents;
 * - `*.md`, `*.markdown`: Markdown with optional YAML front matter (markdown-entry.ts);
 * - `*.ics`: an on-call schedule (schedule-calendar.ts), `*.pagerduty.json`: a
 *   PagerDuty export (pagerduty-export.ts): docs/catalog-format.md "On-call";
 * - images (`*.png`, `*.jpg`, `*.svg`…): carried when a runbook or procedure
 *   page shows them, within the limits (catalog-images.ts), else skipped or
 *   warned about;
 * - anything else is skipped ("not a catalog entity"), and so are the
 *   `otherFiles` a folder read did not read; any path with a hidden folder
 *   or file (`.github/…`) is ignored without being listed.
 * Bytes must be UTF-8 (a BOM is dropped); anything else is a problem.
 *
 * An entry is produced only for a document or page without problems, and its
 * `data` is the output of RECORD_SCHEMAS[type] (defaults filled, text trimmed).
 * A title with control or bidirectional-formatting characters is a problem.
 * Warnings across entries: a generic title (GENERIC_TITLES), and one title
 * given to several entries of a type (one warning naming every file).
 *
 * Backstage entities (`apiVersion: backstage.io/v1alpha1`, v1beta1 also accepted):
 * - kinds Component, Resource, System → service; Group, User → contact; any
 *   other kind (API, Domain, Location, Template…) is skipped, not a problem;
 * - a document is an entity only if it is a mapping whose apiVersion is
 *   `backstage.io/…`; any other document (not a mapping, no apiVersion, a
 *   Kubernetes `apps/v1`, GitLab's service-catalog.yml) is skipped, listed
 *   with its line and why; an entity of another kind (API, Domain…) is skipped too;
 * - an entity with no kind, no metadata.name, or another backstage.io version
 *   for a kind we import is a problem; YAML syntax errors are problems with
 *   their line (the other documents still count) when the file names a
 *   backstage.io apiVersion, and skip the whole file otherwise (a Helm template);
 * - key: `${kind}:${metadata.namespace ?? 'default'}/${metadata.name}`, lower-cased;
 *   a key seen twice is a problem naming both places; the first one is kept;
 * - service: title = metadata.title ?? metadata.name; owner = spec.owner and
 *   dependsOn = spec.dependsOn, both kept exactly as written (`group:team-a`,
 *   `resource:artists-db`; refs are not expanded to a namespace);
 *   description = metadata.description; tags = metadata.tags;
 *   annotations `lifeboat.dev/rto` and `lifeboat.dev/rpo` → rtoMinutes/rpoMinutes from
 *   `30m`, `4h`, `1h30m`, `2d`, `1d 2h`, or whole minutes (`90`);
 *   `lifeboat.dev/tier` → tier 0–4, written `2`, `"2"`, `tier-2`, `tier2` or `Tier 2`;
 *   `lifeboat.dev/recovery-method` → one of RECOVERY_METHODS (case-insensitive);
 *   `lifeboat.dev/starts-without` → startsWithout, refs separated by commas,
 *   each one of spec.dependsOn (a soft dependency, docs/recovery.md);
 *   `lifeboat.dev/group-time` → groupMinutes, a duration as for rto;
 *   a value outside these is a problem naming `metadata.annotations.lifeboat.dev/rto` etc.;
 * - contact (Group/User): title = spec.profile.displayName ?? metadata.title ?? name;
 *   role = the kind ("Group"/"User"); channels = [`email:${spec.profile.email}`] or [];
 *   phones = []; notes = metadata.description; tags = metadata.tags;
 * - meta keeps the rest, JSON-safe: `kind`, `namespace` (if given), the other
 *   metadata keys (links, labels…), `annotations` (all but the six recovery
 *   annotations above), and `spec` (all but the keys used: type, lifecycle,
 *   system, providesApis… stay there);
 * - a `lifeboat.dev/<sealed field>` annotation (password, totp-seed…) is a problem.
 *
 * Markdown pages:
 * - front matter starts at byte 0 with a `---` line and ends at the next
 *   `---` line; unclosed front matter, broken YAML (with its line in the file)
 *   or front matter that is not a mapping is a problem;
 * - body = the Markdown after the front matter without generated noise
 *   (HTML comments, `[[_TOC_]]`-style marker lines; code left as is: markdown-text.ts stripNoise);
 * - key = the file path; title = front matter `title` ?? the page's level-1
 *   heading (several: the first, with a warning) ?? the file name humanised
 *   (markdown-entry.ts titleFromFileName) — never a lower-level heading;
 * - a runbook or procedure page with a blank body, no `title` and no
 *   `lifeboat:` keys is empty: skipped, with a warning;
 * - a runbook named like an alert (`KubePodCrashLooping.md`, isAlertName) keeps
 *   the file name as `alert` (searchable);
 * - type = `lifeboat.type` (runbook, procedure, contact, key-location; default runbook);
 *   `secret`, any other value, or a sealed field name under `lifeboat:` is a problem;
 * - top level: `title`, `tags` (a list, or one text); `last_reviewed` or
 *   `last_reviewed_on` (YYYY-MM-DD, a time part is dropped, a Date is converted)
 *   → lastReviewed for runbooks; `owner`, `review_in` and everything else
 *   (GOV.UK's owner_slack, section, type…) go to meta as they are (dates as ISO text);
 * - runbook: steps = lifeboat.steps, else the page's numbered headings, else its first
 *   top-level ordered list (runbook-steps.ts; docs/catalog-format.md "Steps"; at most 200);
 *   service = lifeboat.service; validation = lifeboat.validation;
 *   estimatedMinutes = lifeboat.estimated_minutes (minutes or a duration);
 * - procedure: body, steps as for a runbook, secrets = lifeboat.secrets (names, not values);
 * - contact: role, phones, channels from lifeboat.*; escalationOrder = lifeboat.escalation
 *   (a whole number ≥ 1); notes = the body (if not blank);
 * - key-location: what, where, whoCanReach (who_can_reach), lastVerified (last_verified),
 *   howToRetrieve = lifeboat.how_to_retrieve ?? the body (if not blank);
 * - keys under `lifeboat:` that the type does not use stay in meta.lifeboat;
 * - a wrong type names the source field (`lifeboat.estimated_minutes`, `tags`…) and its line.
 */
import { LifeboatError } from '../../shared/errors.js';
import { kindOf, RECORD_KINDS } from '../../shared/record-kinds.js';
import { unsafeCharacterIn } from '../../shared/terminal-text.js';
import { type CatalogEntry, type CatalogProblem, type CatalogSkip, type CatalogWarning } from './catalog-fields.js';
import { catalogImages, isImagePath, type CatalogImage, type ImageReference } from './catalog-images.js';
import { parseEntityYaml } from './entity-yaml.js';
import { parseMarkdownFile } from './markdown-entry.js';
import { forgetRememberedLinks } from './markdown-text.js';
import { isPagerDutyExportPath, parsePagerDutyFile } from './pagerduty-export.js';
import { parseScheduleFile } from './schedule-calendar.js';

export type { CatalogEntry, CatalogProblem, CatalogSkip, CatalogWarning } from './catalog-fields.js';

type FileKind = 'entity-yaml' | 'markdown' | 'image' | 'calendar' | 'pagerduty';

/** Whether any folder or the file itself is hidden (`.github/…`, `.gitlab-ci.yml`): never content, never listed. */
export function isHiddenPath(path: string): boolean {
  return path.split('/').some((segment) => segment.startsWith('.') && segment !== '.' && segment !== '..');
}

/** How a content file is read, or undefined if it is not catalog content. */
export function catalogFileKind(path: string): FileKind | undefined {
  if (isHiddenPath(path)) {
    return undefined;
  }
  if (/\.ya?ml$/i.test(path)) {
    return 'entity-yaml';
  }
  if (/\.(?:md|markdown)$/i.test(path)) {
    return 'markdown';
  }
  if (isImagePath(path)) {
    return 'image';
  }
  if (/\.ics$/i.test(path)) {
    return 'calendar';
  }
  if (isPagerDutyExportPath(path)) {
    return 'pagerduty';
  }
  return undefined;
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Titles that say nothing about the page (compared lower-cased, without
 * trailing punctuation): a search hit or a checklist titled "Overview" could
 * be any page. docs/catalog-format.md lists them.
 */
export const GENERIC_TITLES: ReadonlySet<string> = new Set([
  'summary',
  'overview',
  'troubleshooting',
  'quick start',
  'quickstart',
  'getting started',
  'steps to check',
  'introduction',
  'intro',
  'readme',
  'index',
  'home',
  'notes',
  'todo',
  'untitled',
  'background',
  'details',
  'description',
  'general',
  'runbook',
  'runbooks',
  'documentation',
  'docs',
  'faq',
  'contents',
  'table of contents',
  'how to',
  'usage',
]);

function normalTitle(title: string): string {
  return title
    .toLowerCase()
    .replace(/[\s.:!?-]+$/u, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Warnings about titles across the catalog: generic ones, and one title given to several entries of a kind. */
function titleWarnings(entries: readonly CatalogEntry[]): CatalogWarning[] {
  const warnings: CatalogWarning[] = [];
  const byTitle = new Map<string, CatalogEntry[]>();
  for (const entry of entries) {
    const normal = normalTitle(entry.title);
    if (GENERIC_TITLES.has(normal)) {
      warnings.push({
        file: entry.file,
        line: entry.line,
        message: `${entry.file} is titled "${entry.title}", which says nothing about it: give it a front matter title or a # heading that names what it is for.`,
      });
    }
    const key = `${entry.type}\u0000${normal}`;
    byTitle.set(key, [...(byTitle.get(key) ?? []), entry]);
  }
  for (const same of byTitle.values()) {
    const [first] = same;
    if (first && same.length > 1) {
      const files = same.map((e) => e.file);
      warnings.push({
        file: first.file,
        files,
        message: `${same.length} ${first.type}s share the title "${first.title}": ${files.join(', ')}. Searches and checklists cannot tell them apart.`,
      });
    }
  }
  return warnings;
}

export interface CatalogContent {
  entries: CatalogEntry[];
  /** Anything that makes a vault refuse the whole catalog (a sync applies nothing, a pack writes nothing). */
  problems: CatalogProblem[];
  /** Files, or documents of a YAML file, that are not catalog content: left out, listed. */
  skipped: CatalogSkip[];
  /** What a publisher should fix but does not stop a sync. */
  warnings: CatalogWarning[];
  /** The images the pages show, within the limits (catalog-images.ts): packed, stored and shown with them. */
  images: CatalogImage[];
}

/**
 * The one reading of a catalog's files, for `catalog pack` (warns about
 * what a vault will skip, fails on what it will refuse) and every sync.
 * `otherFiles` are paths that were not read (a folder's files of other
 * types): listed as skipped.
 */
export function parseCatalogContent(
  files: ReadonlyMap<string, Uint8Array>,
  otherFiles: readonly string[] = [],
  oversizedImages: readonly { path: string; size: number }[] = [],
): CatalogContent {
  try {
    const outcomes = [...files.keys()].sort().map((path) => parseCatalogFile(path, files.get(path)));
    return mergeCatalogFiles(outcomes, files, otherFiles, oversizedImages);
  } finally {
    forgetRememberedLinks();
  }
}

/**
 * What one file of a catalog gives, on its own: the part of reading a
 * catalog that needs no other file, so that it can run on several threads
 * (catalog-parse-runner.ts) and give the same answer as on one.
 */
export interface CatalogFileOutcome {
  path: string;
  /** Not catalog content (a file of another type): listed as skipped when merged. */
  other?: true;
  problems: CatalogProblem[];
  skipped: CatalogSkip[];
  warnings: CatalogWarning[];
  /** In the file's order; whether each is accepted (first of its key) is decided when merged. */
  entries: CatalogEntry[];
  /** The images the file's page shows, when its kind shows Markdown. */
  references?: ImageReference[];
}

export function parseCatalogFile(path: string, bytes: Uint8Array | undefined): CatalogFileOutcome {
  const outcome: CatalogFileOutcome = { path, problems: [], skipped: [], warnings: [], entries: [] };
  const kind = catalogFileKind(path);
  if (kind === 'image') {
    return outcome; // catalogImages, when merged: carried if a page shows it
  }
  if (kind === undefined || bytes === undefined) {
    outcome.other = true;
    return outcome;
  }
  const text = decodeUtf8(bytes);
  if (text === undefined) {
    outcome.problems.push({ file: path, message: 'The file is not UTF-8 text.' });
    return outcome;
  }
  if (kind === 'calendar') {
    const result = parseScheduleFile(path, text);
    outcome.problems.push(...result.problems.list);
    if (result.entry) {
      outcome.entries.push(result.entry);
    }
  } else if (kind === 'pagerduty') {
    const result = parsePagerDutyFile(path, text);
    outcome.problems.push(...result.problems.list);
    outcome.entries.push(...result.entries);
  } else if (kind === 'entity-yaml') {
    const result = parseEntityYaml(path, text);
    outcome.problems.push(...result.problems.list);
    outcome.skipped.push(...result.skipped);
    outcome.entries.push(...result.entries);
  } else {
    const result = parseMarkdownFile(path, text);
    outcome.problems.push(...result.problems.list);
    outcome.warnings.push(...result.warnings);
    if (result.skipped !== undefined) {
      outcome.skipped.push({ file: path, reason: result.skipped });
    }
    if (result.entry) {
      outcome.entries.push(result.entry);
      // Only a kind whose body is shown as Markdown (a runbook's, a procedure's) shows images.
      if (kindOf(RECORD_KINDS, result.entry.type).fields.some((field) => field.markdown)) {
        outcome.references = result.images;
      }
    }
  }
  return outcome;
}

/**
 * The part of reading a catalog that looks across files: one entry per key
 * (the first, by path), titles compared, images resolved from the pages that
 * show them. `outcomes` must be in path order, one per file read.
 */
export function mergeCatalogFiles(
  outcomes: readonly CatalogFileOutcome[],
  files: ReadonlyMap<string, Uint8Array>,
  otherFiles: readonly string[] = [],
  oversizedImages: readonly { path: string; size: number }[] = [],
): CatalogContent {
  const entries: CatalogEntry[] = [];
  const problems: CatalogProblem[] = [];
  const skipped: CatalogSkip[] = [];
  const warnings: CatalogWarning[] = [];
  const byKey = new Map<string, CatalogEntry>();
  const pages: { file: string; references: ImageReference[] }[] = [];

  const accept = (entry: CatalogEntry): void => {
    const first = byKey.get(entry.key);
    if (first) {
      problems.push({
        file: entry.file,
        line: entry.line,
        message: `${entry.key} is defined twice: in ${first.file} line ${first.line} and in ${entry.file} line ${entry.line}; only the first is used.`,
      });
      return;
    }
    const char = unsafeCharacterIn(entry.title);
    if (char) {
      problems.push({ file: entry.file, field: 'title', message: `A title cannot hold control or bidirectional-formatting characters (found ${char}).` });
      return;
    }
    byKey.set(entry.key, entry);
    entries.push(entry);
  };

  const other = (path: string): void => {
    if (!isHiddenPath(path)) {
      skipped.push({ file: path, reason: 'not a catalog entity (only .md, .markdown, .yaml, .yml, .ics and .pagerduty.json files are read)' });
    }
  };
  for (const outcome of outcomes) {
    if (outcome.other) {
      other(outcome.path);
      continue;
    }
    problems.push(...outcome.problems);
    warnings.push(...outcome.warnings);
    skipped.push(...outcome.skipped);
    outcome.entries.forEach(accept);
    if (outcome.references) {
      pages.push({ file: outcome.path, references: outcome.references });
    }
  }
  [...otherFiles].sort().forEach(other);
  warnings.push(...titleWarnings(entries));
  const images = catalogImages(pages, files, oversizedImages);
  skipped.push(...images.skipped);
  warnings.push(...images.warnings);
  // By file, then line (problems without a line first); stable otherwise.
  const byPlace = (a: { file: string; line?: number }, b: { file: string; line?: number }): number =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0);
  problems.sort(byPlace);
  skipped.sort(byPlace);
  warnings.sort(byPlace);
  return { entries, problems, skipped, warnings, images: images.images };
}

/**
 * The refusal of a catalog with problems, the same for a sync and a pack:
 * how many, the first with its file, line and field; all of them in details.
 */
export function catalogProblemsError(problems: readonly CatalogProblem[], label?: string, outcome = 'nothing was changed'): LifeboatError {
  const first = problems[0];
  const where = `${first?.file ?? ''}${first?.line ? `:${first.line}` : ''}${first?.field ? ` (${first.field})` : ''}`;
  return new LifeboatError(
    'CATALOG_INVALID',
    `${label ? `${label}: ` : ''}The catalog has ${problems.length} problem${problems.length === 1 ? '' : 's'}; ${outcome}. First: ${where}: ${first?.message ?? ''}`,
    { problems: [...problems] },
  );
}
