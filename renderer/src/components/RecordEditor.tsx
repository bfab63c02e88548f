import { useState } from 'react';
import type { LifeboatErrorShape } from '../../../shared/errors';
import { RECORD_FIELDS, RECORD_TYPES, type FieldSpec, type RecordType } from '../../../shared/record-kinds';
import type { RecordView } from '../../../shared/records';
import { hintFor } from '../error-hints';
import { invoke } from '../lifeboat-client';
import { useLibraryStore } from '../stores/library-store';
import { useSessionStore } from '../stores/session-store';
import './quorum.css';

type Values = Record<string, string>;

/** Records an owner may put under the two-person rule (a procedure extends it to the secrets it lists). */
const TWO_PERSON_TYPES: readonly RecordType[] = ['secret', 'procedure'];

function initialValues(type: RecordType, record: RecordView | null): Values {
  const values: Values = {};
  for (const field of RECORD_FIELDS[type]) {
    const value = record?.data[field.key];
    if (field.kind === 'sealed' || field.kind === 'sealed-long') {
      values[field.key] = '';
    } else if (Array.isArray(value)) {
      values[field.key] = value.map(String).join('\n');
    } else {
      values[field.key] = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
    }
  }
  return values;
}

/** Form text → record data: lists split by line, numbers parsed, blanks left out (or removed on edit). */
function toData(type: RecordType, values: Values, editing: boolean): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const field of RECORD_FIELDS[type]) {
    const raw = values[field.key] ?? '';
    const sealed = field.kind === 'sealed' || field.kind === 'sealed-long';
    if (raw.trim() === '') {
      // A blank sealed field keeps its value; a blank plain field is cleared on edit.
      if (editing && !sealed) {
        data[field.key] = field.kind === 'list' ? [] : null;
      }
      continue;
    }
    if (field.kind === 'list') {
      data[field.key] = raw.split('\n').map((line) => line.trim()).filter(Boolean);
    } else if (field.kind === 'number') {
      data[field.key] = Number(raw);
    } else {
      data[field.key] = raw;
    }
  }
  return data;
}

function fieldErrors(error: LifeboatErrorShape | null): Map<string, string> {
  const map = new Map<string, string>();
  for (const problem of error?.problems ?? []) {
    if (problem.field) {
      map.set(problem.field.split('.')[0] ?? problem.field, problem.message);
    }
  }
  return map;
}

function Field({ spec, value, error, onChange, sealedStored }: { spec: FieldSpec; value: string; error?: string; onChange: (v: string) => void; sealedStored: boolean }) {
  const id = `field-${spec.key}`;
  const common = { id, value, 'aria-invalid': error !== undefined, 'aria-describedby': error ? `${id}-error` : undefined };
  let input;
  if (spec.kind === 'textarea' || spec.kind === 'list' || spec.kind === 'sealed-long') {
    input = <textarea {...common} rows={spec.key === 'body' ? 10 : 3} onChange={(e) => { onChange(e.target.value); }} spellCheck={spec.kind === 'textarea'} />;
  } else if (spec.kind === 'select') {
    input = (
      <select {...common} onChange={(e) => { onChange(e.target.value); }}>
        <option value="">(not decided)</option>
        {spec.options?.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  } else {
    const type = spec.kind === 'number' ? 'number' : spec.kind === 'date' ? 'date' : spec.kind === 'sealed' ? 'password' : 'text';
    input = <input {...common} type={type} onChange={(e) => { onChange(e.target.value); }} autoComplete="off" />;
  }
  return (
    <div className="form-field">
      <label htmlFor={id}>
        {spec.label}
        {sealedStored && <span className="muted"> (sealed and stored: leave blank to keep)</span>}
      </label>
      {input}
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** Create or edit a record; validation comes from the engine and lands at the field. */
export function RecordEditor({ record, onDone }: { record: RecordView | null; onDone: () => void }) {
  const [type, setType] = useState<RecordType>(record?.type ?? 'runbook');
  const [title, setTitle] = useState(record?.title ?? '');
  const [values, setValues] = useState<Values>(() => initialValues(record?.type ?? 'runbook', record));
  const [error, setError] = useState<LifeboatErrorShape | null>(null);
  const [busy, setBusy] = useState(false);
  const { load, open } = useLibraryStore();
  const touch = useSessionStore((s) => s.touch);
  const isOwner = useSessionStore((s) => s.session?.role === 'owner');
  const [twoPerson, setTwoPerson] = useState(record?.data['twoPerson'] === true);
  // Only owners decide who must confirm a reveal: others leave the flag as it is.
  const offerTwoPerson = isOwner && TWO_PERSON_TYPES.includes(type);
  const errors = fieldErrors(error);

  const save = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    const data = toData(type, values, record !== null);
    if (offerTwoPerson && (twoPerson || record)) {
      // null removes the flag (the engine treats an absent and a cleared field alike).
      data['twoPerson'] = twoPerson ? true : null;
    }
    const result = record
      ? await invoke('records:edit', { id: record.id, title, set: data })
      : await invoke('records:create', { type, title, data });
    touch();
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    await load();
    await open(result.value.id);
    onDone();
  };

  return (
    <form
      className="card record-editor"
      aria-labelledby="editor-heading"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <h2 id="editor-heading">{record ? `Edit “${record.title}”` : 'New record'}</h2>
      {!record && (
        <div className="form-field">
          <label htmlFor="field-type">Type</label>
          <select
            id="field-type"
            value={type}
            onChange={(e) => {
              const next = e.target.value as RecordType;
              setType(next);
              setValues(initialValues(next, null));
            }}
          >
            {RECORD_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="form-field">
        <label htmlFor="field-title">Title</label>
        <input id="field-title" value={title} onChange={(e) => { setTitle(e.target.value); }} required maxLength={200} aria-invalid={errors.has('title')} />
      </div>
      {RECORD_FIELDS[type].map((spec) => (
        <Field
          key={spec.key}
          spec={spec}
          value={values[spec.key] ?? ''}
          error={errors.get(spec.key)}
          sealedStored={record?.sealedFields.includes(spec.key) ?? false}
          onChange={(v) => {
            setValues({ ...values, [spec.key]: v });
          }}
        />
      ))}
      {offerTwoPerson && (
        <div className="form-field">
          <label className="editor-check">
            <input type="checkbox" checked={twoPerson} onChange={(e) => { setTwoPerson(e.target.checked); }} />
            Two-person rule (a second member must confirm every reveal)
          </label>
          {type === 'procedure' && <p className="muted">Applies to every secret this procedure lists.</p>}
        </div>
      )}
      {error && errors.size === 0 && (
        <p className="field-error" role="alert">
          {error.message} {hintFor(error.code)}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {record ? 'Save changes' : 'Create record'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <span className="muted">Every save is a revision, and is logged.</span>
      </div>
    </form>
  );
}
