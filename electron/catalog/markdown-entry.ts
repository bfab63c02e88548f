/**
 * A Markdown page with (optional) YAML front matter → one catalog entry:
 * a runbook, procedure, contact or key-location note. Generic keys are read
 * at the top level, Lifeboat's own under `lifeboat:`; every other key is
 * kept in `meta` and never makes the page invalid. The mapping is
 * documented in catalog-content.ts.
 */
import { LineCounter, parseDocument, type Document } from 'yaml';
import { formatEscalationLevel, parseEscalationLevel } from '../../shared/escalation-levels.js';
import { catalogPageTypes, RECORD_KINDS, type CatalogPageType } from '../../shared/record-kinds.js';
import {
  describe,
  FileProblems,
  isPlainObject,
  isSealedFieldName,
  metaOf,
  readDate,
  readDuration,
  readInteger,
  readText,
  readTextList,
  reportYamlErrors,
  validateEntryData,
  yamlLine,
  type CatalogEntry,
  type CatalogWarning,
  type FieldReader,
  type FieldSource,
  type PlainObject,
} from './catalog-fields.js';
import { imageReferences, type ImageReference } from './catalog-images.js';
import { splitFrontMatter, stripNoise } from './markdown-text.js';
import { pageOutline } from './runbook-steps.js';

/** The kinds a page may be (record-kinds.ts: catalogPage); what each reads is in bodyFields below. */
export const MARKDOWN_TYPES = catalogPageTypes(RECORD_KINDS) as readonly CatalogPageType[];
type MarkdownType = CatalogPageType;

/** Lifeboat keys each type reads from `lifeboat:`; any other key there is kept in meta.lifeboat. */
const LIFEBOAT_KEYS: Record<MarkdownType, readonly string[]> = {
  runbook: ['type', 'service', 'estimated_minutes', 'validation', 'steps'],
  procedure: ['type', 'secrets', 'steps'],
  contact: ['type', 'role', 'phones', 'channels', 'emails', 'escalation'],
  escalation: ['type', 'levels', 'services'],
  'key-location': ['type', 'what', 'where', 'who_can_reach', 'how_to_retrieve', 'last_verified'],
};

class FrontMatterReader implements FieldReader {
  readonly sources = new Map<string, FieldSource>();

  constructor(
    private readonly doc: Document | undefined,
    private readonly lines: LineCounter,
    private readonly firstLine: number,
    private readonly problems: FileProblems,
  ) {}

  name(path: readonly string[]): string {
    return path.join('.');
  }

  line(path: readonly string[]): number {
    return this.doc ? yamlLine(this.doc, this.lines, path, this.firstLine - 1) : 1;
  }

  problem(path: readonly string[], message: string): void {
    this.problems.add(message, this.line(path), this.name(path));
  }

  from(dataField: string, path: readonly string[]): void {
    this.sources.set(dataField, { field: this.name(path), line: this.line(path) });
  }
}

/** The file's name without folders and without `.md`, `.markdown` or GOV.UK's `.html.md`. */
export function fileStem(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return base.replace(/\.(?:md|markdown)$/i, '').replace(/\.html?$/i, '') || base;
}

/**
 * An alert runbook is named after its alert: one CamelCase word of at least
 * two parts, which may open with an acronym or a lower-case prefix
 * (`KubePodCrashLooping`, `KubeAPIDown`, `CPUThrottlingHigh`,
 * `etcdMembersDown`); no spaces, dashes, underscores or dots, at least 6
 * letters. A one-word name (`Watchdog`, `Overview`) is not taken for an alert.
 */
export function isAlertName(stem: string): boolean {
  return /^(?:[A-Z]+[a-z0-9]+|[a-z][a-z0-9]*)(?:[A-Z][A-Za-z0-9]*)+$/.test(stem) && /[A-Z][a-z]/.test(stem) && stem.length >= 6;
}

const INDEX_PAGE = /^(?:readme|index|_index)$/i;

/**
 * A title from the file's path: an alert's name as it is (`KubePodCrashLooping`);
 * `restore-from-backup` → "Restore from backup" (dashes and underscores become
 * spaces, the first letter a capital, the rest as written); a README or
 * index page is named after its folder (`gitaly/README.md` → "Gitaly").
 */
export function titleFromFileName(file: string): string {
  const stem = fileStem(file);
  const folders = file.split('/').slice(0, -1);
  const name = INDEX_PAGE.test(stem) && folders.length > 0 ? (folders.at(-1) ?? stem) : stem;
  if (isAlertName(name)) {
    return name;
  }
  const words = name.replace(/[-_\s]+/g, ' ').trim();
  return words === '' ? name : words.charAt(0).toUpperCase() + words.slice(1);
}

function bodyFields(type: MarkdownType, reader: FrontMatterReader, lifeboat: PlainObject, body: string, pageSteps: string[]): PlainObject {
  const at = (key: string): readonly string[] => ['lifeboat', key];
  const read = <T>(field: string, key: string, fn: (r: FieldReader, p: readonly string[], v: unknown) => T): T => {
    reader.from(field, at(key));
    return fn(reader, at(key), lifeboat[key]);
  };
  // Steps written in the front matter win over the page's (runbook-steps.ts, docs/catalog-format.md "Steps").
  const stepsOf = (): string[] => (lifeboat['steps'] === undefined || lifeboat['steps'] === null ? pageSteps : (read('steps', 'steps', readTextList) ?? []));
  switch (type) {
    case 'runbook':
      return {
        service: read('service', 'service', readText),
        body,
        steps: stepsOf(),
        validation: read('validation', 'validation', readTextList),
        estimatedMinutes: read('estimatedMinutes', 'estimated_minutes', readDuration),
      };
    case 'procedure':
      return { body, steps: stepsOf(), secrets: read('secrets', 'secrets', readTextList) };
    case 'contact': {
      const notes = body.trim();
      return {
        role: read('role', 'role', readText),
        phones: read('phones', 'phones', readTextList),
        channels: read('channels', 'channels', readTextList),
        emails: emptyAsAbsent(read('emails', 'emails', readTextList)),
        escalationOrder: read('escalationOrder', 'escalation', (r, p, v) => readInteger(r, p, v, 1, 1_000_000)),
        notes: notes === '' ? undefined : notes,
      };
    }
    case 'escalation': {
      const notes = body.trim();
      return {
        levels: read('levels', 'levels', readEscalationLevels),
        services: read('services', 'services', readTextList),
        notes: notes === '' ? undefined : notes,
      };
    }
    case 'key-location': {
      const notes = body.trim();
      const howToRetrieve = read('howToRetrieve', 'how_to_retrieve', readText);
      return {
        what: read('what', 'what', readText),
        where: read('where', 'where', readText),
        whoCanReach: read('whoCanReach', 'who_can_reach', readTextList),
        howToRetrieve: howToRetrieve ?? (notes === '' ? undefined : notes),
        lastVerified: read('lastVerified', 'last_verified', readDate),
      };
    }
  }
}

function emptyAsAbsent(list: string[] | undefined): string[] | undefined {
  return list === undefined || list.length === 0 ? undefined : list;
}

/**
 * `lifeboat.levels` of an escalation page: each item a line as
 * shared/escalation-levels.ts reads it (`schedule Payments primary, escalate
 * after 30m`) or a mapping `{schedule: NAME}` / `{person: NAME}` with an
 * optional `escalate_after: 30m`; stored as lines. At least one level.
 */
function readEscalationLevels(reader: FieldReader, path: readonly string[], value: unknown): string[] | undefined {
  const items: unknown[] = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const lines: string[] = [];
  for (const item of items) {
    let line: string | undefined;
    if (typeof item === 'string') {
      line = item;
    } else if (isPlainObject(item)) {
      const kind = item['schedule'] !== undefined ? 'schedule' : item['person'] !== undefined ? 'person' : undefined;
      const name = kind === undefined ? undefined : item[kind];
      const raw = item['escalate_after'];
      const after = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : raw === undefined || raw === null ? undefined : describe(raw);
      if (kind !== undefined && (typeof name === 'string' || typeof name === 'number')) {
        line = `${kind} ${String(name).trim()}${after === undefined ? '' : `, escalate after ${after}`}`;
      }
    }
    const level =
      line === undefined ? { error: `each level is a line or a mapping with schedule: or person:, not ${describe(item)}.` } : parseEscalationLevel(line);
    if ('error' in level) {
      reader.problem(path, `${reader.name(path)}: ${level.error}`);
      return undefined;
    }
    lines.push(formatEscalationLevel(level));
  }
  if (lines.length === 0) {
    reader.problem(path, `An escalation policy needs ${reader.name(path)}: at least one level (schedule NAME or person NAME).`);
    return undefined;
  }
  return lines;
}

export interface MarkdownFileResult {
  entry: CatalogEntry | undefined;
  problems: FileProblems;
  warnings: CatalogWarning[];
  /** Why the page is left out without a problem ('empty'), if it is. */
  skipped?: string;
  /** The images the page shows (`![alt](src)`), with their file lines: catalog-images.ts carries those in the catalog. */
  images: ImageReference[];
}

/** Kinds whose whole substance is the page's body: with none, the page is empty. */
const BODY_KINDS: readonly MarkdownType[] = ['runbook', 'procedure'];

/** The file line of the body's first line (the front matter and its `---` lines come before it). */
function bodyFirstLine(text: string, body: string): number {
  let line = 1;
  for (let i = 0; i < text.length - body.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
    }
  }
  return line;
}

/** The entry of one Markdown file, or its problems; its warnings either way. */
export function parseMarkdownFile(file: string, text: string): MarkdownFileResult {
  const problems = new FileProblems(file);
  const warnings: CatalogWarning[] = [];
  const split = splitFrontMatter(text);
  if (split.unclosed) {
    problems.add('The front matter opened by --- on line 1 is never closed by a --- line.', 1);
    return { entry: undefined, problems, warnings, images: [] };
  }
  const lines = new LineCounter();
  let doc: Document | undefined;
  let frontMatter: PlainObject = {};
  if (split.yaml !== undefined) {
    doc = parseDocument(split.yaml, { lineCounter: lines, prettyErrors: false });
    if (doc.errors.length > 0) {
      reportYamlErrors(doc.errors, lines, split.yamlFirstLine - 1, problems);
      return { entry: undefined, problems, warnings, images: [] };
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      problems.add(`The front matter could not be read: ${error instanceof Error ? error.message : 'unknown error'}.`, split.yamlFirstLine);
      return { entry: undefined, problems, warnings, images: [] };
    }
    if (value !== null && value !== undefined && !isPlainObject(value)) {
      problems.add(`The front matter must be a mapping of keys to values, not ${describe(value)}.`, split.yamlFirstLine);
      return { entry: undefined, problems, warnings, images: [] };
    }
    frontMatter = isPlainObject(value) ? value : {};
  }
  const reader = new FrontMatterReader(doc, lines, split.yamlFirstLine, problems);

  const rawLifeboat = frontMatter['lifeboat'];
  let lifeboat: PlainObject = {};
  if (isPlainObject(rawLifeboat)) {
    lifeboat = rawLifeboat;
  } else if (rawLifeboat !== undefined && rawLifeboat !== null) {
    reader.problem(['lifeboat'], `lifeboat must be a mapping of Lifeboat's keys (type, service…), not ${describe(rawLifeboat)}.`);
  }
  for (const key of Object.keys(lifeboat)) {
    if (isSealedFieldName(key)) {
      reader.problem(['lifeboat', key], `Catalogs carry no secrets: lifeboat.${key} cannot be set from a catalog. Add secrets to the vault itself.`);
    }
  }

  let type: MarkdownType = 'runbook';
  const rawType = lifeboat['type'];
  if (rawType !== undefined && rawType !== null) {
    const name = typeof rawType === 'string' ? rawType.trim().toLowerCase() : '';
    if (name === 'secret') {
      reader.problem(['lifeboat', 'type'], 'Catalogs carry no secrets: a lifeboat.type of secret is refused. Add secrets to the vault itself.');
    } else if ((MARKDOWN_TYPES as readonly string[]).includes(name)) {
      type = name as MarkdownType;
    } else {
      reader.problem(['lifeboat', 'type'], `lifeboat.type must be one of ${MARKDOWN_TYPES.join(', ')}, not ${describe(rawType)}.`);
    }
  }

  // Generated noise (HTML comments, [[_TOC_]] lines) is neither shown nor indexed; line numbers stay.
  const body = stripNoise(split.body);
  const outline = pageOutline(body);
  const frontTitle = readText(reader, ['title'], frontMatter['title']);
  const [h1, second] = outline.h1s;
  if (frontTitle === undefined && h1 && second) {
    const offset = bodyFirstLine(text, split.body) - 1;
    warnings.push({
      file,
      line: second.line + offset,
      message: `${file} has ${outline.h1s.length} level-1 headings (lines ${outline.h1s.map((h) => h.line + offset).join(', ')}): titled by the first, "${h1.text}". Give it a front matter title, or keep one # heading.`,
    });
  }
  const title = frontTitle ?? h1?.text ?? titleFromFileName(file);
  reader.from('tags', ['tags']);
  const data: PlainObject = { tags: readTextList(reader, ['tags'], frontMatter['tags']), ...bodyFields(type, reader, lifeboat, body, outline.steps.steps) };
  // An alert runbook keeps the alert it is named after, searchable even when its title says it in words.
  if (type === 'runbook' && isAlertName(fileStem(file))) {
    data['alert'] = fileStem(file);
  }

  const consumed = new Set(['title', 'tags', 'lifeboat']);
  if (type === 'runbook') {
    const key = frontMatter['last_reviewed'] !== undefined && frontMatter['last_reviewed'] !== null ? 'last_reviewed' : 'last_reviewed_on';
    reader.from('lastReviewed', [key]);
    data['lastReviewed'] = readDate(reader, [key], frontMatter[key]);
    consumed.add(key);
  }
  const otherLifeboat = Object.fromEntries(Object.entries(lifeboat).filter(([key]) => !LIFEBOAT_KEYS[type].includes(key) && !isSealedFieldName(key)));
  const rest = Object.fromEntries(Object.entries(frontMatter).filter(([key]) => !consumed.has(key)));
  // Meta keeps the front matter's own shape: a path in it is the path in the file.
  data['meta'] = metaOf(Object.keys(otherLifeboat).length > 0 ? { ...rest, lifeboat: otherLifeboat } : rest, reader, (path) => path);

  if (problems.list.length > 0) {
    return { entry: undefined, problems, warnings, images: [] };
  }
  // A page with nothing to read (no text, no title, nothing for Lifeboat) is left out, not made an empty runbook.
  if (body.trim() === '' && BODY_KINDS.includes(type) && frontTitle === undefined && frontMatter['lifeboat'] === undefined) {
    warnings.push({ file, message: `${file} is empty (no text, no title): skipped.` });
    return { entry: undefined, problems, warnings, skipped: 'an empty page', images: [] };
  }
  const parsed = validateEntryData(type, data, reader.sources, 1, problems);
  const images = parsed ? imageReferences(body, bodyFirstLine(text, split.body)) : [];
  return { entry: parsed ? { key: file, type, title, data: parsed, file, line: 1 } : undefined, problems, warnings, images };
}
