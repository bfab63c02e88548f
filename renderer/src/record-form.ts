/**
 * The record editor's fields, read from the record kinds (shared/record-kinds.ts):
 * which fields a kind has, in what order, labelled how, and how form text
 * becomes record data. No React here, so tests can walk every kind.
 */
import { formLabelOf, isSealedKind, kindOf, RECORD_KINDS, type FieldKind, type KindRegistry } from '../../shared/record-kinds.js';

export interface FormField {
  key: string;
  /** The whole label: "Steps (one per line)". */
  label: string;
  kind: FieldKind;
  options?: readonly string[] | undefined;
  hint?: string | undefined;
  markdown: boolean;
  /** A one-time-code seed: the editor also offers to read it from a QR image. */
  oneTimeCode: boolean;
}

/** Form text by field key: lists one item per line, a checked box 'true'. */
export type Values = Record<string, string>;

/** The fields of a kind the editor shows this member (owner-only ones to owners alone). */
export function formFields(type: string, { owner }: { owner: boolean }, kinds: KindRegistry = RECORD_KINDS): FormField[] {
  return kindOf(kinds, type)
    .fields.filter((field) => owner || field.ownerOnly !== true)
    .map((field) => ({
      key: field.key,
      label: formLabelOf(field),
      kind: field.kind,
      options: field.options,
      hint: field.hint,
      markdown: field.markdown === true,
      oneTimeCode: field.oneTimeCode === true,
    }));
}

export function isSealedField(field: FormField): boolean {
  return isSealedKind(field.kind);
}

/** The form's text for a record being edited, or blanks for a new one; sealed fields always start blank. */
export function initialValues(fields: readonly FormField[], record: { data: Record<string, unknown> } | null): Values {
  const values: Values = {};
  for (const field of fields) {
    const value = record?.data[field.key];
    if (isSealedField(field)) {
      values[field.key] = '';
    } else if (field.kind === 'boolean') {
      values[field.key] = value === true ? 'true' : '';
    } else if (Array.isArray(value)) {
      values[field.key] = value.map(String).join('\n');
    } else {
      values[field.key] = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
    }
  }
  return values;
}

/** Form text → record data: lists split by line, numbers parsed, blanks left out (or removed on edit). */
export function toData(fields: readonly FormField[], values: Values, editing: boolean): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const field of fields) {
    const raw = values[field.key] ?? '';
    const sealed = isSealedField(field);
    if (raw.trim() === '') {
      // A blank sealed field keeps its value; a blank plain field (an unticked box too) is cleared on edit.
      if (editing && !sealed) {
        data[field.key] = field.kind === 'list' ? [] : null;
      }
      continue;
    }
    if (field.kind === 'list') {
      data[field.key] = listItems(raw);
    } else if (field.kind === 'number') {
      data[field.key] = Number(raw);
    } else if (field.kind === 'boolean') {
      data[field.key] = raw === 'true';
    } else {
      data[field.key] = raw;
    }
  }
  return data;
}

/**
 * A list field's text → its items: one per line, except that a fenced code
 * block (```…``` or ~~~…~~~) belongs to the item above it, lines and all, as
 * a catalog step keeps its command (shared/step-text.ts). So editing a step
 * that carries code and saving it gives back the same step, not one step per
 * line of its code. Code lines keep their indentation; other lines are trimmed.
 */
export function listItems(raw: string): string[] {
  const items: string[] = [];
  let fence: string | null = null;
  const append = (line: string): void => {
    if (items.length === 0) {
      items.push(line);
    } else {
      items[items.length - 1] = `${items[items.length - 1] ?? ''}\n${line}`;
    }
  };
  for (const rawLine of raw.split('\n')) {
    const line = rawLine.replace(/\r$/u, '');
    const trimmed = line.trim();
    const marker = /^(`{3,}|~{3,})/u.exec(trimmed)?.[1];
    if (fence !== null) {
      const open: string = fence;
      const closes: boolean = marker !== undefined && marker[0] === open[0] && marker.length >= open.length && trimmed.slice(marker.length).trim() === '';
      append(closes ? trimmed : line.trimEnd());
      fence = closes ? null : fence;
    } else if (marker !== undefined) {
      fence = marker;
      append(trimmed);
    } else if (trimmed !== '') {
      items.push(trimmed);
    }
  }
  return items;
}
