/**
 * Backstage entity YAML (one file, any number of documents) → catalog
 * entries. Component, Resource and System become services; Group and User
 * become contacts; other kinds (API, Domain, Location, Template…) are
 * skipped without a problem. The mapping is documented in catalog-content.ts.
 */
import { isScalar, LineCounter, parseAllDocuments, type Document, type Node as YamlNode } from 'yaml';
import { RECOVERY_METHODS, type RecordType } from '../../shared/records.js';
import {
  describe,
  FileProblems,
  isPlainObject,
  isSealedFieldName,
  metaOf,
  readDuration,
  readText,
  readTextList,
  reportYamlErrors,
  validateEntryData,
  yamlLine,
  type CatalogEntry,
  type CatalogSkip,
  type FieldReader,
  type FieldSource,
  type PlainObject,
} from './catalog-fields.js';

/** Backstage kinds Lifeboat imports, by lower-cased kind. */
const KINDS: Record<string, { kind: string; type: RecordType }> = {
  component: { kind: 'Component', type: 'service' },
  resource: { kind: 'Resource', type: 'service' },
  system: { kind: 'System', type: 'service' },
  group: { kind: 'Group', type: 'contact' },
  user: { kind: 'User', type: 'contact' },
};

const API_VERSIONS = new Set(['backstage.io/v1alpha1', 'backstage.io/v1beta1']);
const BACKSTAGE_API = 'backstage.io/';
export const ANNOTATION_PREFIX = 'lifeboat.dev/';

/** `2`, `"2"`, `tier-2`, `tier2`, `Tier 2` → 2 (0–4). */
export function parseTier(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 0 && value <= 4 ? value : undefined;
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  const match = /^(?:tier[-_ ]?)?([0-4])$/i.exec(value.trim());
  return match ? Number(match[1]) : undefined;
}

class EntityReader implements FieldReader {
  readonly sources = new Map<string, FieldSource>();

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly problems: FileProblems,
  ) {}

  name(path: readonly string[]): string {
    return path.join('.');
  }

  line(path: readonly string[]): number {
    return yamlLine(this.doc, this.lines, path);
  }

  problem(path: readonly string[], message: string): void {
    this.problems.add(message, this.line(path), this.name(path));
  }

  /** Records that data field `dataField` came from `path` (for schema failures). */
  from(dataField: string, path: readonly string[]): void {
    this.sources.set(dataField, { field: this.name(path), line: this.line(path) });
  }
}

function mapping(reader: EntityReader, path: readonly string[], value: unknown): PlainObject {
  if (value === undefined || value === null) {
    return {};
  }
  if (!isPlainObject(value)) {
    reader.problem(path, `${reader.name(path)} must be a mapping, not ${describe(value)}.`);
    return {};
  }
  return value;
}

interface EntityParts {
  kind: string;
  name: string;
  namespace: string | undefined;
  metadata: PlainObject;
  annotations: PlainObject;
  spec: PlainObject;
}

const RECOVERY_ANNOTATIONS = ['tier', 'rto', 'rpo', 'recovery-method', 'starts-without', 'group-time'].map((name) => `${ANNOTATION_PREFIX}${name}`);

/** `component:api`, `Component:default/API` → `component:default/api`; a bare name stays a name. */
function normalRef(ref: string): { full: string | null; name: string } {
  const clean = ref.trim().toLowerCase();
  const match = /^([a-z][a-z0-9-]*):(?:([^/]+)\/)?(.+)$/.exec(clean);
  return match ? { full: `${match[1] ?? ''}:${match[2] ?? 'default'}/${match[3] ?? ''}`, name: match[3] ?? '' } : { full: null, name: clean };
}

/** Whether two refs name the same entity (a bare name matches any kind's entity of that name). */
function sameRef(a: string, b: string): boolean {
  const x = normalRef(a);
  const y = normalRef(b);
  return x.full !== null && y.full !== null ? x.full === y.full : x.name === y.name;
}

/**
 * `lifeboat.dev/starts-without`: refs of dependencies the service can start
 * without. Annotation values are strings in Backstage, so a list is written
 * comma-separated (`component:frontend, resource:cache`); a YAML list is
 * accepted too. Each must be one of spec.dependsOn: an annotation cannot add
 * a dependency, only say that one is soft.
 */
function softDependencies(reader: EntityReader, value: unknown, dependsOn: readonly string[] | undefined): string[] | undefined {
  const path = ['metadata', 'annotations', `${ANNOTATION_PREFIX}starts-without`];
  const items = readTextList(reader, path, value)?.flatMap((item) =>
    item
      .split(',')
      .map((ref) => ref.trim())
      .filter(Boolean),
  );
  for (const ref of items ?? []) {
    if (!(dependsOn ?? []).some((dep) => sameRef(dep, ref))) {
      reader.problem(path, `${reader.name(path)} lists ${ref}, which is not in spec.dependsOn: a service can only start without something it depends on.`);
    }
  }
  reader.from('startsWithout', path);
  return items === undefined || items.length === 0 ? undefined : items;
}

/** Reads `lifeboat.dev/*` recovery annotations of a service; the others stay for meta. */
function serviceData(reader: EntityReader, parts: EntityParts): PlainObject {
  const { metadata, annotations, spec } = parts;
  const annotation = (name: string): readonly string[] => ['metadata', 'annotations', `${ANNOTATION_PREFIX}${name}`];
  const data: PlainObject = {};

  const tierPath = annotation('tier');
  const tierValue = annotations[`${ANNOTATION_PREFIX}tier`];
  if (tierValue !== undefined && tierValue !== null) {
    data['tier'] = parseTier(tierValue);
    if (data['tier'] === undefined) {
      reader.problem(tierPath, `${reader.name(tierPath)} must be a tier from 0 to 4 (2 or tier-2), not ${describe(tierValue)}.`);
    }
  }
  reader.from('tier', tierPath);
  for (const [field, name] of [
    ['rtoMinutes', 'rto'],
    ['rpoMinutes', 'rpo'],
  ] as const) {
    const path = annotation(name);
    data[field] = readDuration(reader, path, annotations[`${ANNOTATION_PREFIX}${name}`]);
    reader.from(field, path);
  }
  const methodPath = annotation('recovery-method');
  const method = readText(reader, methodPath, annotations[`${ANNOTATION_PREFIX}recovery-method`]);
  if (method !== undefined) {
    const normalized = method.toLowerCase();
    if ((RECOVERY_METHODS as readonly string[]).includes(normalized)) {
      data['recoveryMethod'] = normalized;
    } else {
      reader.problem(methodPath, `${reader.name(methodPath)} must be one of ${RECOVERY_METHODS.join(', ')}, not ${describe(method)}.`);
    }
  }
  reader.from('recoveryMethod', methodPath);

  data['owner'] = readText(reader, ['spec', 'owner'], spec['owner']);
  reader.from('owner', ['spec', 'owner']);
  const dependsOn = readTextList(reader, ['spec', 'dependsOn'], spec['dependsOn']);
  data['dependsOn'] = dependsOn;
  reader.from('dependsOn', ['spec', 'dependsOn']);
  data['startsWithout'] = softDependencies(reader, annotations[`${ANNOTATION_PREFIX}starts-without`], dependsOn);
  const groupTime = annotation('group-time');
  data['groupMinutes'] = readDuration(reader, groupTime, annotations[`${ANNOTATION_PREFIX}group-time`]);
  reader.from('groupMinutes', groupTime);
  data['description'] = readText(reader, ['metadata', 'description'], metadata['description']);
  reader.from('description', ['metadata', 'description']);
  return data;
}

/** Group/User → contact: role is the kind; email becomes the channel `email:<addr>`. */
function contactData(reader: EntityReader, parts: EntityParts, profile: PlainObject): PlainObject {
  const email = readText(reader, ['spec', 'profile', 'email'], profile['email']);
  reader.from('channels', ['spec', 'profile', 'email']);
  reader.from('emails', ['spec', 'profile', 'email']);
  const notes = readText(reader, ['metadata', 'description'], parts.metadata['description']);
  reader.from('notes', ['metadata', 'description']);
  // emails: how an on-call schedule's person finds this contact (on-call-lookup); the channel stays for people.
  return { role: parts.kind, phones: [], channels: email === undefined ? [] : [`email:${email}`], emails: email === undefined ? undefined : [email], notes };
}

/**
 * Whether a document is a Backstage entity, or why not: only a mapping whose
 * apiVersion is `backstage.io/…` is one (then a missing kind or name is a
 * problem); a Kubernetes manifest, a Helm values file, GitLab's
 * service-catalog.yml are not.
 */
export function foreignDocumentReason(value: unknown): string | undefined {
  if (!isPlainObject(value)) {
    return `not a Backstage entity (the document is ${describe(value)}, not a mapping with apiVersion and kind)`;
  }
  const apiVersion = value['apiVersion'];
  if (apiVersion === undefined || apiVersion === null) {
    return 'not a Backstage entity (no apiVersion)';
  }
  if (typeof apiVersion !== 'string' || !apiVersion.trim().startsWith(BACKSTAGE_API)) {
    return `not a Backstage entity (apiVersion ${describe(apiVersion)} is not ${BACKSTAGE_API}…)`;
  }
  return undefined;
}

/** A YAML file that fails to parse is a broken entity only if it says it is one. */
const LOOKS_LIKE_ENTITY = /^[ \t]*["']?apiVersion["']?[ \t]*:[ \t]*["']?backstage\.io\//m;

function entityEntry(file: string, doc: Document, lines: LineCounter, problems: FileProblems, skipped: CatalogSkip[]): CatalogEntry | undefined {
  const docLine = yamlLine(doc, lines, []);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    problems.add(`The document could not be read: ${error instanceof Error ? error.message : 'unknown error'}.`, docLine);
    return undefined;
  }
  const foreign = foreignDocumentReason(value);
  if (foreign !== undefined || !isPlainObject(value)) {
    skipped.push({ file, line: docLine, reason: foreign ?? 'not a Backstage entity' });
    return undefined;
  }
  const before = problems.list.length;
  const reader = new EntityReader(doc, lines, problems);

  const rawKind = value['kind'];
  if (typeof rawKind !== 'string' || rawKind.trim() === '') {
    reader.problem(['kind'], rawKind === undefined ? 'The entity has no kind.' : `kind must be text, not ${describe(rawKind)}.`);
    return undefined;
  }
  const known = KINDS[rawKind.trim().toLowerCase()];
  if (!known) {
    // API, Domain, Location, Template…: entities, but not Lifeboat's business.
    skipped.push({ file, line: docLine, reason: `a Backstage ${rawKind.trim()}, a kind Lifeboat does not import` });
    return undefined;
  }
  const apiVersion = value['apiVersion'];
  if (typeof apiVersion !== 'string' || !API_VERSIONS.has(apiVersion.trim())) {
    reader.problem(['apiVersion'], `apiVersion must be backstage.io/v1alpha1 for a ${known.kind}, not ${describe(apiVersion)}.`);
  }
  const metadata = mapping(reader, ['metadata'], value['metadata']);
  const rawName = metadata['name'];
  const name = readText(reader, ['metadata', 'name'], rawName); // reports a name of the wrong type
  if (name === undefined && (rawName === undefined || rawName === null || typeof rawName === 'string')) {
    reader.problem(['metadata', 'name'], `The ${known.kind} has no metadata.name.`);
  }
  const namespace = readText(reader, ['metadata', 'namespace'], metadata['namespace']);
  const annotations = mapping(reader, ['metadata', 'annotations'], metadata['annotations']);
  const spec = mapping(reader, ['spec'], value['spec']);
  const tags = readTextList(reader, ['metadata', 'tags'], metadata['tags']);
  reader.from('tags', ['metadata', 'tags']);
  const title = readText(reader, ['metadata', 'title'], metadata['title']);

  for (const key of Object.keys(annotations)) {
    if (key.startsWith(ANNOTATION_PREFIX) && isSealedFieldName(key.slice(ANNOTATION_PREFIX.length))) {
      reader.problem(['metadata', 'annotations', key], `Catalogs carry no secrets: ${key} cannot be set from a catalog. Add secrets to the vault itself.`);
    }
  }

  const parts: EntityParts = { kind: known.kind, name: name ?? '', namespace, metadata, annotations, spec };
  let data: PlainObject;
  let displayTitle = title ?? name ?? '';
  const { name: _n, title: _t, description: _d, tags: _g, namespace: _ns, annotations: _a, ...otherMetadata } = metadata;
  let restSpec: PlainObject;
  let restAnnotations: PlainObject = annotations;
  if (known.type === 'service') {
    data = serviceData(reader, parts);
    const { owner: _o, dependsOn: _dep, ...rest } = spec;
    restSpec = rest;
    restAnnotations = Object.fromEntries(Object.entries(annotations).filter(([key]) => !RECOVERY_ANNOTATIONS.includes(key)));
  } else {
    const profile = mapping(reader, ['spec', 'profile'], spec['profile']);
    data = contactData(reader, parts, profile);
    const displayName = readText(reader, ['spec', 'profile', 'displayName'], profile['displayName']);
    displayTitle = displayName ?? displayTitle;
    const { displayName: _dn, email: _e, ...restProfile } = profile;
    const { profile: _p, ...rest } = spec;
    restSpec = Object.keys(restProfile).length > 0 ? { ...rest, profile: restProfile } : rest;
  }
  data['tags'] = tags;
  const keepsAnnotations = Object.keys(restAnnotations).length > 0;
  const keepsSpec = Object.keys(restSpec).length > 0;
  // Where a meta path came from in the file (meta.spec is spec, the rest is metadata), so a problem names the field.
  const metaSource = (path: readonly string[]): readonly string[] => (path[0] === 'spec' && keepsSpec ? path : ['metadata', ...path]);
  data['meta'] = metaOf(
    {
      kind: known.kind,
      ...(namespace === undefined ? {} : { namespace }),
      ...otherMetadata,
      ...(keepsAnnotations ? { annotations: restAnnotations } : {}),
      ...(keepsSpec ? { spec: restSpec } : {}),
    },
    reader,
    metaSource,
  );

  if (problems.list.length > before) {
    return undefined;
  }
  const parsed = validateEntryData(known.type, data, reader.sources, docLine, problems);
  if (!parsed) {
    return undefined;
  }
  const key = `${known.kind}:${namespace ?? 'default'}/${parts.name}`.toLowerCase();
  return { key, type: known.type, title: displayTitle, data: parsed, file, line: docLine };
}

/**
 * All entries and problems of one entity YAML file, and the documents that
 * are not entities (skipped). A file with YAML syntax errors is a problem
 * when it names a backstage.io apiVersion, and skipped whole otherwise (a
 * Helm template is not YAML until rendered, and not Lifeboat's).
 */
export function parseEntityYaml(file: string, text: string): { entries: CatalogEntry[]; problems: FileProblems; skipped: CatalogSkip[] } {
  const problems = new FileProblems(file);
  const entries: CatalogEntry[] = [];
  const skipped: CatalogSkip[] = [];
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  if (docs.some((doc) => doc.errors.length > 0) && !LOOKS_LIKE_ENTITY.test(text)) {
    return { entries, problems, skipped: [{ file, reason: 'not a Backstage entity (YAML that does not parse, naming no backstage.io apiVersion)' }] };
  }
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      reportYamlErrors(doc.errors, lines, 0, problems);
      continue;
    }
    const contents = doc.contents as YamlNode | null;
    if (contents === null || (isScalar(contents) && contents.value === null)) {
      continue; // an empty document, e.g. after a trailing ---
    }
    const entry = entityEntry(file, doc, lines, problems, skipped);
    if (entry) {
      entries.push(entry);
    }
  }
  return { entries, problems, skipped };
}
