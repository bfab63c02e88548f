/**
 * A Markdown page with (optional) YAML front matter → one catalog entry:
 * a runbook, procedure, contact or key-location note. Generic keys are read
 * at the top level, Lifeboat's own under `lifeboat:`; every other key is
 * kept in `meta` and never makes the page invalid. The mapping is
 * documented in catalog-content.ts.
 */
import { LineCounter, parseDocument, type Document } from 'yaml';
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
  type FieldReader,
  type FieldSource,
  type PlainObject,
} from './catalog-fields.js';
import { firstHeading, firstOrderedListItems, splitFrontMatter } from './markdown-text.js';

/** The kinds a page may be (record-kinds.ts: catalogPage); what each reads is in bodyFields below. */
export const MARKDOWN_TYPES = catalogPageTypes(RECORD_KINDS) as readonly CatalogPageType[];
type MarkdownType = CatalogPageType;

/** Lifeboat keys each type reads from `lifeboat:`; any other key there is kept in meta.lifeboat. */
const LIFEBOAT_KEYS: Record<MarkdownType, readonly string[]> = {
  runbook: ['type', 'service', 'estimated_minutes', 'validation'],
  procedure: ['type', 'secrets'],
  contact: ['type', 'role', 'phones', 'channels', 'escalation'],
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
export function titleFromFileName(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return base.replace(/\.(?:md|markdown)$/i, '').replace(/\.html?$/i, '') || base;
}

function bodyFields(type: MarkdownType, reader: FrontMatterReader, lifeboat: PlainObject, body: string): PlainObject {
  const at = (key: string): readonly string[] => ['lifeboat', key];
  const read = <T>(field: string, key: string, fn: (r: FieldReader, p: readonly string[], v: unknown) => T): T => {
    reader.from(field, at(key));
    return fn(reader, at(key), lifeboat[key]);
  };
  switch (type) {
    case 'runbook':
      return {
        service: read('service', 'service', readText),
        body,
        steps: firstOrderedListItems(body),
        validation: read('validation', 'validation', readTextList),
        estimatedMinutes: read('estimatedMinutes', 'estimated_minutes', readDuration),
      };
    case 'procedure':
      return { body, steps: firstOrderedListItems(body), secrets: read('secrets', 'secrets', readTextList) };
    case 'contact': {
      const notes = body.trim();
      return {
        role: read('role', 'role', readText),
        phones: read('phones', 'phones', readTextList),
        channels: read('channels', 'channels', readTextList),
        escalationOrder: read('escalationOrder', 'escalation', (r, p, v) => readInteger(r, p, v, 1, 1_000_000)),
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

/** The entry of one Markdown file, or its problems. */
export function parseMarkdownFile(file: string, text: string): { entry: CatalogEntry | undefined; problems: FileProblems } {
  const problems = new FileProblems(file);
  const split = splitFrontMatter(text);
  if (split.unclosed) {
    problems.add('The front matter opened by --- on line 1 is never closed by a --- line.', 1);
    return { entry: undefined, problems };
  }
  const lines = new LineCounter();
  let doc: Document | undefined;
  let frontMatter: PlainObject = {};
  if (split.yaml !== undefined) {
    doc = parseDocument(split.yaml, { lineCounter: lines, prettyErrors: false });
    if (doc.errors.length > 0) {
      reportYamlErrors(doc.errors, lines, split.yamlFirstLine - 1, problems);
      return { entry: undefined, problems };
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      problems.add(`The front matter could not be read: ${error instanceof Error ? error.message : 'unknown error'}.`, split.yamlFirstLine);
      return { entry: undefined, problems };
    }
    if (value !== null && value !== undefined && !isPlainObject(value)) {
      problems.add(`The front matter must be a mapping of keys to values, not ${describe(value)}.`, split.yamlFirstLine);
      return { entry: undefined, problems };
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

  const title = readText(reader, ['title'], frontMatter['title']) ?? firstHeading(split.body) ?? titleFromFileName(file);
  reader.from('tags', ['tags']);
  const data: PlainObject = { tags: readTextList(reader, ['tags'], frontMatter['tags']), ...bodyFields(type, reader, lifeboat, split.body) };

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
    return { entry: undefined, problems };
  }
  const parsed = validateEntryData(type, data, reader.sources, 1, problems);
  return { entry: parsed ? { key: file, type, title, data: parsed, file, line: 1 } : undefined, problems };
}
