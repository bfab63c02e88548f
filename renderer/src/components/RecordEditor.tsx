import { useRef, useState } from 'react';
import type { LifeboatErrorShape } from '../../../shared/errors';
import { RECORD_TYPES, type RecordType } from '../../../shared/record-kinds';
import type { RecordView } from '../../../shared/records';
import { hintFor } from '../error-hints';
import { QrSeedInput } from './QrSeedInput';
import { invoke } from '../lifeboat-client';
import { formFields, initialValues, toData, type FormField, type Values } from '../record-form';
import { useLibraryStore } from '../stores/library-store';
import type { SecondPerson } from '../stores/quorum-store';
import { SecondPersonFields } from './SecondPersonFields';
import { useSessionStore } from '../stores/session-store';
import './quorum.css';

function fieldErrors(error: LifeboatErrorShape | null): Map<string, string> {
  const map = new Map<string, string>();
  for (const problem of error?.problems ?? []) {
    if (problem.field) {
      map.set(problem.field.split('.')[0] ?? problem.field, problem.message);
    }
  }
  return map;
}

function Field({
  spec,
  value,
  error,
  onChange,
  sealedStored,
}: {
  spec: FormField;
  value: string;
  error?: string;
  onChange: (v: string) => void;
  sealedStored: boolean;
}) {
  const id = `field-${spec.key}`;
  const hint = spec.hint && <p className="muted">{spec.hint}</p>;
  if (spec.kind === 'boolean') {
    return (
      <div className="form-field">
        <label className="editor-check">
          <input
            type="checkbox"
            checked={value === 'true'}
            onChange={(e) => {
              onChange(e.target.checked ? 'true' : '');
            }}
          />
          {spec.label}
        </label>
        {hint}
      </div>
    );
  }
  const common = { id, value, 'aria-invalid': error !== undefined, 'aria-describedby': error ? `${id}-error` : undefined };
  let input;
  if (spec.kind === 'textarea' || spec.kind === 'list' || spec.kind === 'sealed-long') {
    input = (
      <textarea
        {...common}
        rows={spec.markdown ? 10 : 3}
        onChange={(e) => {
          onChange(e.target.value);
        }}
        spellCheck={spec.kind === 'textarea'}
      />
    );
  } else if (spec.kind === 'select') {
    input = (
      <select
        {...common}
        onChange={(e) => {
          onChange(e.target.value);
        }}
      >
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
    input = (
      <input
        {...common}
        type={type}
        onChange={(e) => {
          onChange(e.target.value);
        }}
        autoComplete="off"
      />
    );
  }
  return (
    <div className="form-field">
      <label htmlFor={id}>
        {spec.label}
        {sealedStored && <span className="muted"> (sealed and stored: leave blank to keep)</span>}
      </label>
      {input}
      {spec.oneTimeCode && <QrSeedInput fieldId={id} onSeed={onChange} />}
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
      {hint}
    </div>
  );
}

/** Create or edit a record; validation comes from the engine and lands at the field. */
export function RecordEditor({ record, onDone }: { record: RecordView | null; onDone: () => void }) {
  // Only owners decide who must confirm a reveal (the two-person rule): others are not offered the box, and leave the flag as it is.
  const owner = useSessionStore((s) => s.session?.role === 'owner');
  const [type, setType] = useState<RecordType>(record?.type ?? 'runbook');
  const [title, setTitle] = useState(record?.title ?? '');
  const fields = formFields(type, { owner });
  const [values, setValues] = useState<Values>(() => initialValues(fields, record));
  const [error, setError] = useState<LifeboatErrorShape | null>(null);
  const [busy, setBusy] = useState(false);
  // Asked for once the engine says the change needs a second member (a covered secret, a two-person procedure).
  const [second, setSecond] = useState<SecondPerson | null>(null);
  const { load, open } = useLibraryStore();
  const errors = fieldErrors(error);
  // Esc closes an untouched editor; with changes it asks first (issue 19: Esc never discards typing).
  const [pristine] = useState(() => JSON.stringify([title, values]));
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const keepEditing = (): void => {
    setConfirmDiscard(false);
    form.current?.querySelector<HTMLElement>('input, textarea, select')?.focus();
  };
  const onEscape = (event: { key: string; preventDefault: () => void; defaultPrevented: boolean }): void => {
    if (event.key !== 'Escape' || event.defaultPrevented) {
      return;
    }
    event.preventDefault();
    if (confirmDiscard) {
      keepEditing();
    } else if (JSON.stringify([title, values]) !== pristine) {
      setConfirmDiscard(true);
    } else {
      onDone();
    }
  };

  const save = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    const data = toData(fields, values, record !== null);
    const confirming = second && second.member !== '' && second.passphrase !== '' ? { second } : {};
    const result = record
      ? await invoke('records:edit', { id: record.id, title, set: data, ...confirming })
      : await invoke('records:create', { type, title, data });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      if (result.error.code === 'TWO_PERSON_REQUIRED' && record) {
        setSecond(second ?? { member: '', passphrase: '' });
      }
      return;
    }
    await load();
    await open(result.value.id);
    onDone();
  };

  return (
    <form
      ref={form}
      className="card record-editor"
      aria-labelledby="editor-heading"
      onKeyDown={onEscape}
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
              setValues(initialValues(formFields(next, { owner }), null));
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
        <input
          id="field-title"
          value={title}
          onChange={(e) => {
            setTitle(e.target.value);
          }}
          required
          maxLength={200}
          aria-invalid={errors.has('title')}
        />
      </div>
      {fields.map((spec) => (
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
      {second && <SecondPersonFields value={second} onChange={setSecond} purpose="change" />}
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
      {confirmDiscard && (
        <div className="discard-confirm" role="alertdialog" aria-label="Discard your changes?" data-testid="discard-confirm">
          <span>Discard your changes to this record?</span>
          <button type="button" autoFocus onClick={keepEditing}>
            Keep editing
          </button>
          <button type="button" onClick={onDone}>
            Discard
          </button>
        </div>
      )}
    </form>
  );
}
