/**
 * How the record view lays out a kind's fields, read from the record kinds
 * (shared/record-kinds.ts): which are labelled facts, which lists, which the
 * step checklist, which Markdown. No React here, so tests can walk every kind.
 */
import { kindOf, RECORD_KINDS, viewOf, type KindRegistry } from '../../shared/record-kinds.js';

export interface Labelled {
  key: string;
  label: string;
}

export interface RecordLayout {
  /** Every field's label, by key (sealed fields' too). */
  labels: Record<string, string>;
  /** Fields shown as "label: value" facts (a sealed field only when its value is not sealed). */
  facts: Set<string>;
  /** Facts that are minutes, shown as durations. */
  minutes: Set<string>;
  /** Lists shown as "label: a · b", or with a copy button per item. */
  lists: (Labelled & { copy: boolean })[];
  /** Lists of services, each a link to its record. */
  links: Labelled[];
  /** Lists ticked off item by item. */
  checklists: Labelled[];
  /** Lists under a heading of their own. */
  checks: Labelled[];
  /** Fields rendered as Markdown. */
  markdown: string[];
  /** Flags shown beside the title. */
  badges: string[];
  /** Fields the view leaves to the editor. */
  hidden: string[];
}

export function recordLayout(type: string, kinds: KindRegistry = RECORD_KINDS): RecordLayout {
  const layout: RecordLayout = {
    labels: {},
    facts: new Set(),
    minutes: new Set(),
    lists: [],
    links: [],
    checklists: [],
    checks: [],
    markdown: [],
    badges: [],
    hidden: [],
  };
  for (const field of kindOf(kinds, type).fields) {
    const labelled = { key: field.key, label: field.label };
    layout.labels[field.key] = field.label;
    if (field.minutes) {
      layout.minutes.add(field.key);
    }
    const view = viewOf(field);
    switch (view) {
      case 'fact':
      case 'sealed':
        layout.facts.add(field.key);
        break;
      case 'list':
      case 'copy-list':
        layout.lists.push({ ...labelled, copy: view === 'copy-list' });
        break;
      case 'links':
        layout.links.push(labelled);
        break;
      case 'checklist':
        layout.checklists.push(labelled);
        break;
      case 'checks':
        layout.checks.push(labelled);
        break;
      case 'markdown':
        layout.markdown.push(field.key);
        break;
      case 'badge':
        layout.badges.push(field.key);
        break;
      case 'hidden':
        layout.hidden.push(field.key);
        break;
    }
  }
  return layout;
}

/** The library's filter chips: each kind by its plural. */
export function kindChips(kinds: KindRegistry = RECORD_KINDS): Labelled[] {
  return Object.entries(kinds).map(([key, kind]) => ({ key, label: kind.plural }));
}
