/**
 * The editor and the record view, rendered for every field of every record
 * kind in shared/record-kinds.ts: each field the registry declares is in the
 * form and, unless the registry hides it, in the view, under its label.
 * The registry is given one more kind here, "widget", with a field of each
 * sort: a component that kept a list of its own would miss it and fail.
 * (Stores are stubbed: the server renderer reads a store's initial state
 * only. Markdown is passed through: DOMPurify needs a DOM.)
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { formLabelOf, kindOf, RECORD_KINDS, RECORD_TYPES, SEALED_MASK, viewOf, type FieldSpec, type KindSpec } from '../../shared/record-kinds';
import type { RecordView } from '../../shared/records';
import { RecordEditor } from './components/RecordEditor';
import { RecordPanel } from './components/RecordPanel';

const stub = vi.hoisted(() => ({ selected: null as RecordView | null, owner: true }));

vi.mock('../../shared/record-kinds', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../shared/record-kinds')>();
  const widget: KindSpec = {
    label: 'Widget',
    plural: 'Widgets',
    fields: [
      { key: 'gizmoName', label: 'Gizmo name', kind: 'text' },
      { key: 'gizmoNotes', label: 'Gizmo notes', kind: 'textarea' },
      { key: 'gizmoCount', label: 'Gizmo count', kind: 'number' },
      { key: 'gizmoWait', label: 'Gizmo wait', kind: 'number', minutes: true },
      { key: 'gizmoParts', label: 'Gizmo parts', kind: 'list' },
      { key: 'gizmoPhones', label: 'Gizmo phones', kind: 'list', view: 'copy-list' },
      { key: 'gizmoDay', label: 'Gizmo day', kind: 'date' },
      { key: 'gizmoMode', label: 'Gizmo mode', kind: 'select', options: ['on', 'off'] },
      { key: 'gizmoPin', label: 'Gizmo PIN', kind: 'sealed' },
      { key: 'gizmoCodes', label: 'Gizmo codes', kind: 'sealed-long' },
      { key: 'gizmoFlag', label: 'Gizmo flag', kind: 'boolean' },
      { key: 'gizmoLock', label: 'Gizmo lock', kind: 'boolean', ownerOnly: true, hint: 'Locks the gizmo.' },
      { key: 'gizmoSteps', label: 'Gizmo steps', kind: 'list', view: 'checklist' },
      { key: 'gizmoChecks', label: 'Gizmo checks', kind: 'list', view: 'checks' },
      { key: 'gizmoPage', label: 'Gizmo page', kind: 'textarea', markdown: true },
      { key: 'gizmoAside', label: 'Gizmo aside', kind: 'textarea', view: 'hidden' },
    ],
  };
  const kinds = { ...real.RECORD_KINDS, widget };
  return { ...real, RECORD_KINDS: kinds, RECORD_TYPES: Object.keys(kinds) };
});
vi.mock('./markdown', () => ({ renderMarkdown: (source: string) => source }));
vi.mock('./stores/library-store', () => {
  const state = () => ({
    selected: stub.selected,
    revealed: null,
    copied: null,
    error: null,
    close: () => undefined,
    hide: () => undefined,
    open: () => Promise.resolve(),
    search: () => Promise.resolve(),
    load: () => Promise.resolve(),
  });
  return { REVEAL_SECONDS: 30, useLibraryStore: Object.assign(state, { getState: state }) };
});
vi.mock('./stores/session-store', () => ({
  useSessionStore: <T>(select: (s: { session: { role: string; member: string } }) => T) =>
    select({ session: { role: stub.owner ? 'owner' : 'responder', member: 'alice' } }),
}));
vi.mock('./stores/quorum-store', () => {
  const state = { twoPersonIds: [], markTwoPerson: () => undefined, unsealWithSecond: () => Promise.resolve(null) };
  return { QUORUM_MEMBER: 'recovery quorum', useQuorumStore: <T>(select?: (s: typeof state) => T) => (select ? select(state) : state) };
});

/** A value for the field that can be found again in the page. */
function sample(field: FieldSpec): { value: unknown; shown: string } {
  const token = `v-${field.key}-x`;
  switch (field.kind) {
    case 'list':
      return { value: [token], shown: token };
    case 'number':
      return field.minutes ? { value: 95, shown: '1 h 35 min' } : { value: 7, shown: '7' };
    case 'date':
      return { value: '2031-02-03', shown: '2031-02-03' };
    case 'select':
      return { value: field.options?.[0], shown: field.options?.[0] ?? '' };
    case 'boolean':
      return { value: true, shown: field.label };
    case 'sealed':
    case 'sealed-long':
      return { value: SEALED_MASK, shown: SEALED_MASK };
    default:
      return { value: token, shown: token };
  }
}

function view(type: string, data: Record<string, unknown>, sealedFields: string[] = []): RecordView {
  const at = '2026-01-01T00:00:00Z';
  return {
    id: 'r1',
    type: type as RecordView['type'],
    title: 'Sample',
    revision: 1,
    createdAt: at,
    createdBy: 'alice',
    updatedAt: at,
    updatedBy: 'alice',
    data,
    sealedFields,
  };
}

const escaped = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');

it('knows the widget', () => {
  expect(RECORD_TYPES).toContain('widget');
});

describe.each(RECORD_TYPES.map((type) => [type]))('a %s', (type) => {
  const fields = kindOf(RECORD_KINDS, type).fields;

  it.each([true, false])('is edited field by field, in the registry order (owner: %s)', (owner) => {
    stub.owner = owner;
    const html = renderToStaticMarkup(createElement(RecordEditor, { record: view(type, {}), onDone: () => undefined }));
    const expected = fields.filter((f) => owner || f.ownerOnly !== true);
    // The inputs, in page order (checkboxes have no id; their label is checked below).
    const inputs = [...html.matchAll(/ id="field-([^"]+)"/g)].map((m) => m[1]).filter((key) => key !== 'title' && key !== 'type');
    expect(inputs).toEqual(expected.filter((f) => f.kind !== 'boolean').map((f) => f.key));
    for (const field of fields) {
      expect(html.includes(escaped(formLabelOf(field))), `${field.key}: ${formLabelOf(field)}`).toBe(expected.includes(field));
    }
  });

  it('is shown with every field the registry does not hide, under its label', () => {
    const data = Object.fromEntries(fields.map((f) => [f.key, sample(f).value]));
    const sealed = fields.filter((f) => f.kind === 'sealed' || f.kind === 'sealed-long').map((f) => f.key);
    stub.selected = view(type, data, sealed);
    const html = renderToStaticMarkup(createElement(RecordPanel, {}));
    stub.selected = null;
    for (const field of fields) {
      const { shown } = sample(field);
      const hidden = viewOf(field) === 'hidden';
      expect(html.includes(escaped(shown)), `${field.key} shown as ${shown}`).toBe(!hidden);
      if (!hidden && viewOf(field) !== 'markdown') {
        expect(html, `${field.key}'s label`).toContain(escaped(field.label));
      }
    }
  });
});
