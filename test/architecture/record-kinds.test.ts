/**
 * Every vocabulary of record kinds is declared once, in shared/record-kinds.ts,
 * and read by each consumer: the engine's schemas, the search index (its SQL
 * view and searchableText), the command line's --field, catalog pages, and the
 * renderer's editor, record view and filter chips.
 *
 * Each consumer is handed the registry plus a kind that exists nowhere else
 * ("widget", with a field of every sort), and its output is compared with
 * what this file works out on its own from the field declarations. A
 * consumer that kept a list of its own would not know the widget and fail.
 * (renderer/src/record-kinds-render.test.ts does the same for the rendered
 * editor and view.)
 */
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { fieldParsing, parseFields } from '../../electron/cli/record-fields.js';
import { MARKDOWN_TYPES } from '../../electron/catalog/markdown-entry.js';
import { searchableText, searchPlan, sourceSelect, type IndexedText } from '../../electron/vault/records/search-index.js';
import { formFields } from '../../renderer/src/record-form.js';
import { kindChips, recordLayout, type RecordLayout } from '../../renderer/src/record-view.js';
import { catalogPageTypes, RECORD_KINDS, type FieldSpec, type KindRegistry, type KindSpec } from '../../shared/record-kinds.js';
import { recordSchema, RECORD_SCHEMAS, RECORD_TYPES } from '../../shared/records.js';

/** A kind only this test knows: one field of each sort, searched in each column. */
const WIDGET: KindSpec = {
  label: 'Widget',
  plural: 'Widgets',
  catalogPage: true,
  titleSearchedAs: 'people',
  fields: [
    { key: 'gizmoName', label: 'Gizmo name', kind: 'text', search: { column: 'service', position: 10 } },
    { key: 'gizmoNotes', label: 'Gizmo notes', kind: 'textarea', search: { column: 'body', position: 10 } },
    { key: 'gizmoCount', label: 'Gizmo count', kind: 'number' },
    { key: 'gizmoWait', label: 'Gizmo wait', kind: 'number', minutes: true },
    { key: 'gizmoParts', label: 'Gizmo parts', kind: 'list', search: { column: 'people', position: 10 } },
    { key: 'gizmoDay', label: 'Gizmo day', kind: 'date' },
    { key: 'gizmoMode', label: 'Gizmo mode', kind: 'select', options: ['on', 'off'] },
    { key: 'gizmoPin', label: 'Gizmo PIN', kind: 'sealed' },
    { key: 'gizmoFlag', label: 'Gizmo flag', kind: 'boolean' },
    { key: 'gizmoLock', label: 'Gizmo lock', kind: 'boolean', ownerOnly: true },
    { key: 'gizmoPage', label: 'Gizmo page', kind: 'textarea', markdown: true, search: { column: 'body', position: 11 } },
    { key: 'gizmoAside', label: 'Gizmo aside', kind: 'textarea', view: 'hidden' },
  ],
};
const WITH_WIDGET: KindRegistry = { ...RECORD_KINDS, widget: WIDGET };

const isSealed = (field: FieldSpec): boolean => field.kind === 'sealed' || field.kind === 'sealed-long';

/** Where this file expects the view to put a field, worked out from its declaration alone. */
function expectedPlace(field: FieldSpec): keyof Omit<RecordLayout, 'labels' | 'minutes'> {
  const view = field.view ?? (field.markdown ? 'markdown' : field.kind === 'list' ? 'list' : isSealed(field) ? 'sealed' : 'fact');
  const places = {
    fact: 'facts',
    sealed: 'facts',
    list: 'lists',
    'copy-list': 'lists',
    links: 'links',
    checklist: 'checklists',
    checks: 'checks',
    markdown: 'markdown',
    badge: 'badges',
    hidden: 'hidden',
  } as const;
  return places[view];
}

/** A value for the field with a word in it that can be found again. */
function sample(field: FieldSpec): { data: unknown; option: string; parsed: unknown; word: string } {
  const word = `w${field.key.toLowerCase()}`;
  switch (field.kind) {
    case 'list':
      return { data: [word], option: word, parsed: [word], word };
    case 'number':
      return field.minutes ? { data: 90, option: '1h30m', parsed: 90, word } : { data: 3, option: '3', parsed: 3, word };
    case 'boolean':
      return { data: true, option: 'true', parsed: true, word };
    case 'date':
      return { data: '2031-02-03', option: '2031-02-03', parsed: '2031-02-03', word };
    case 'select': {
      const option = field.options?.[0] ?? '';
      return { data: option, option, parsed: option, word };
    }
    default:
      return { data: word, option: word, parsed: word, word };
  }
}

const cases = Object.entries(WITH_WIDGET).flatMap(([type, kind]) => kind.fields.map((field) => ({ type, kind, field, name: `${type}.${field.key}` })));

describe('every field of every kind (and the widget) reaches every consumer', () => {
  it('walks Lifeboat’s kinds and the widget', () => {
    expect(RECORD_TYPES).toEqual(Object.keys(RECORD_KINDS));
    expect(cases.filter((c) => c.type === 'widget')).toHaveLength(WIDGET.fields.length);
    expect(cases.length).toBeGreaterThan(40);
  });

  it.each(Object.keys(WITH_WIDGET))('editor: a %s has its fields, in order, owner-only ones for owners alone', (type) => {
    const fields = WITH_WIDGET[type]?.fields ?? [];
    expect(formFields(type, { owner: true }, WITH_WIDGET).map((f) => f.key)).toEqual(fields.map((f) => f.key));
    expect(formFields(type, { owner: false }, WITH_WIDGET).map((f) => f.key)).toEqual(fields.filter((f) => f.ownerOnly !== true).map((f) => f.key));
    for (const [i, f] of formFields(type, { owner: true }, WITH_WIDGET).entries()) {
      const field = fields[i];
      expect(f.kind).toBe(field?.kind);
      expect(f.label.startsWith(field?.formLabel ?? field?.label ?? '?'), f.label).toBe(true);
    }
  });

  it.each(cases)('view: $name is laid out once, under its label', ({ type, field }) => {
    const layout = recordLayout(type, WITH_WIDGET);
    expect(layout.labels[field.key]).toBe(field.label);
    const places = (['facts', 'lists', 'links', 'checklists', 'checks', 'markdown', 'badges', 'hidden'] as const).filter((place) => {
      const bucket = layout[place];
      return bucket instanceof Set ? bucket.has(field.key) : bucket.some((entry) => (typeof entry === 'string' ? entry : entry.key) === field.key);
    });
    expect(places).toEqual([expectedPlace(field)]);
    expect(layout.minutes.has(field.key)).toBe(field.minutes === true);
  });

  it('view: the filter chips name every kind by its plural', () => {
    expect(kindChips(WITH_WIDGET)).toEqual(Object.entries(WITH_WIDGET).map(([key, kind]) => ({ key, label: kind.plural })));
  });

  it.each(cases)('command line: --field for $name is read as its kind says', ({ field }) => {
    const { option, parsed } = sample(field);
    expect(parseFields([`${field.key}=${option}`], fieldParsing(WITH_WIDGET))).toEqual({ [field.key]: parsed });
  });

  it('command line: a key read two ways in two kinds is refused, not guessed', () => {
    const clash: KindRegistry = { ...WITH_WIDGET, other: { label: 'Other', plural: 'Others', fields: [{ key: 'gizmoCount', label: 'Count', kind: 'list' }] } };
    expect(() => fieldParsing(clash)).toThrow(/gizmoCount/);
  });

  it('catalog: a page may be each kind that says so', () => {
    const pageKinds = Object.entries(WITH_WIDGET).filter(([, kind]) => kind.catalogPage === true);
    expect([...MARKDOWN_TYPES].sort()).toEqual(
      pageKinds
        .filter(([type]) => type !== 'widget')
        .map(([type]) => type)
        .sort(),
    );
    expect(catalogPageTypes(WITH_WIDGET).sort()).toEqual(pageKinds.map(([type]) => type).sort());
  });

  it.each(Object.entries(WITH_WIDGET).map(([type, kind]) => ({ type, kind })))('schema: a $type accepts a value in each of its fields', ({ type, kind }) => {
    const schema = type === 'widget' ? recordSchema(kind) : RECORD_SCHEMAS[type as keyof typeof RECORD_SCHEMAS];
    expect(Object.keys(schema.shape).sort()).toEqual(['archived', 'catalogRef', 'meta', 'tags', ...kind.fields.map((f) => f.key)].sort());
    const data = Object.fromEntries(kind.fields.map((f) => [f.key, sample(f).data]));
    expect(schema.parse(data)).toEqual(data);
    expect(() => schema.parse({ ...data, notAField: 'x' })).toThrow();
  });
});

describe('search: each searchable field is indexed in its column, in SQL and in searchableText()', () => {
  const plan = searchPlan(WITH_WIDGET);

  async function indexed(type: string, title: string, data: Record<string, unknown>): Promise<IndexedText> {
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    try {
      db.create_function('lifeboat_body', (body: unknown) => body);
      db.run('CREATE TABLE records (id TEXT, type TEXT, title TEXT, data TEXT, body BLOB, deleted INTEGER)');
      db.run('INSERT INTO records VALUES (?, ?, ?, ?, NULL, 0)', ['r1', type, title, JSON.stringify(data)]);
      const [result] = db.exec(sourceSelect(plan));
      const row = Object.fromEntries((result?.columns ?? []).map((column, i) => [column, String(result?.values[0]?.[i] ?? '')]));
      return { title: row['title'] ?? '', service: row['service'] ?? '', body: row['body'] ?? '', people: row['people'] ?? '', tags: row['tags'] ?? '' };
    } finally {
      db.close();
    }
  }

  it.each(Object.entries(WITH_WIDGET).map(([type, kind]) => ({ type, kind })))('$type', async ({ type, kind }) => {
    const texts = kind.fields.filter((f) => f.kind === 'text' || f.kind === 'textarea' || f.kind === 'list');
    const data = Object.fromEntries(texts.map((f) => [f.key, sample(f).data]));
    const title = 'ttitle';
    const js = searchableText(type, title, data, plan);
    expect(await indexed(type, title, data)).toEqual(js);
    for (const field of texts) {
      const { word } = sample(field);
      const columns = (Object.entries(js) as [string, string][]).filter(([, text]) => text.split(/\s+/).includes(word)).map(([column]) => column);
      expect(columns, `${type}.${field.key}`).toEqual(field.search ? [field.search.column] : []);
    }
    expect(js.title).toBe(title);
    if (kind.titleSearchedAs) {
      expect(js[kind.titleSearchedAs].startsWith(title), `${type}'s title leads ${kind.titleSearchedAs}`).toBe(true);
    }
  });

  it('refuses a key searched in two places', () => {
    const clash: KindRegistry = {
      ...WITH_WIDGET,
      other: { label: 'Other', plural: 'Others', fields: [{ key: 'gizmoName', label: 'Name', kind: 'text', search: { column: 'body', position: 10 } }] },
    };
    expect(() => searchPlan(clash)).toThrow(/gizmoName/);
  });
});
