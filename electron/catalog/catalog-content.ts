/**
 * A catalog's content files → normalized vault records, with every problem
 * reported at once (file, line, field), never stopping at the first.
 *
 * Files (paths with forward slashes, processed in sorted order):
 * - `*.yaml`, `*.yml`: Backstage entity YAML (entity-yaml.ts), any number of documents;
 * - `*.md`, `*.markdown`: Markdown with optional YAML front matter (markdown-entry.ts);
 * - anything else, and any path with a hidden folder or file (`.github/…`), is ignored.
 * Bytes must be UTF-8 (a BOM is dropped); anything else is a problem.
 *
 * An entry is produced only for a document or page without problems, and its
 * `data` is the output of RECORD_SCHEMAS[type] (defaults filled, text trimmed).
 *
 * Backstage entities (`apiVersion: backstage.io/v1alpha1`, v1beta1 also accepted):
 * - kinds Component, Resource, System → service; Group, User → contact; any
 *   other kind (API, Domain, Location, Template…) is skipped, not a problem;
 * - a document that is not a mapping, has no kind, no metadata.name, or
 *   another apiVersion for a kind we import is a problem; YAML syntax errors
 *   are problems with their line (the other documents of the file still count);
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
 * - key = the file path; title = front matter `title` ?? the first heading ?? the
 *   file name (without `.md` / `.html.md`); body = the Markdown after the front matter, as is;
 * - type = `lifeboat.type` (runbook, procedure, contact, key-location; default runbook);
 *   `secret`, any other value, or a sealed field name under `lifeboat:` is a problem;
 * - top level: `title`, `tags` (a list, or one text); `last_reviewed` or
 *   `last_reviewed_on` (YYYY-MM-DD, a time part is dropped, a Date is converted)
 *   → lastReviewed for runbooks; `owner`, `review_in` and everything else
 *   (GOV.UK's owner_slack, section, type…) go to meta as they are (dates as ISO text);
 * - runbook: steps = the first top-level ordered list's items (each item's opening
 *   paragraph as plain text, nested lists and code left out, at most 200 items);
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
import { type CatalogEntry, type CatalogProblem } from './catalog-fields.js';
import { parseEntityYaml } from './entity-yaml.js';
import { parseMarkdownFile } from './markdown-entry.js';

export type { CatalogEntry, CatalogProblem } from './catalog-fields.js';

type FileKind = 'entity-yaml' | 'markdown';

/** How a content file is read, or undefined if it is not catalog content. */
export function catalogFileKind(path: string): FileKind | undefined {
  if (path.split('/').some((segment) => segment.startsWith('.') && segment !== '.' && segment !== '..')) {
    return undefined;
  }
  if (/\.ya?ml$/i.test(path)) {
    return 'entity-yaml';
  }
  if (/\.(?:md|markdown)$/i.test(path)) {
    return 'markdown';
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

export function parseCatalogContent(files: ReadonlyMap<string, Uint8Array>): { entries: CatalogEntry[]; problems: CatalogProblem[] } {
  const entries: CatalogEntry[] = [];
  const problems: CatalogProblem[] = [];
  const byKey = new Map<string, CatalogEntry>();

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
    byKey.set(entry.key, entry);
    entries.push(entry);
  };

  for (const path of [...files.keys()].sort()) {
    const kind = catalogFileKind(path);
    const bytes = files.get(path);
    if (kind === undefined || bytes === undefined) {
      continue;
    }
    const text = decodeUtf8(bytes);
    if (text === undefined) {
      problems.push({ file: path, message: 'The file is not UTF-8 text.' });
      continue;
    }
    if (kind === 'entity-yaml') {
      const result = parseEntityYaml(path, text);
      problems.push(...result.problems.list);
      result.entries.forEach(accept);
    } else {
      const result = parseMarkdownFile(path, text);
      problems.push(...result.problems.list);
      if (result.entry) {
        accept(result.entry);
      }
    }
  }
  // By file, then line (problems without a line first); stable otherwise.
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  return { entries, problems };
}
