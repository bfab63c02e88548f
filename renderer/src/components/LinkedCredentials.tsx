import { useEffect, useState } from 'react';
import type { LifeboatErrorShape } from '../../../shared/errors';
import type { RecordView } from '../../../shared/records';
import { hintFor } from '../error-hints';
import { invoke } from '../lifeboat-client';
import { recordLayout } from '../record-view';
import { REVEAL_SECONDS } from '../stores/library-store';
import { DiscardConfirm, ReasonFields, useReasonForm } from './ReasonForm';
import './copy-and-credentials.css';

type Credential = NonNullable<RecordView['credentials']>[number];

const SECRET_LABELS = recordLayout('secret').labels;
const labelOf = (field: string): string => SECRET_LABELS[field] ?? field;

/**
 * A break-glass procedure's credentials, revealed right there (issue 19,
 * item 4): one reason for the whole credential, logged by main as one
 * event listing the fields before any value leaves it; the two-person rule
 * asks for the second member as it does for the secret itself. An entry
 * that names no secret says so instead of offering a reveal.
 */
export function LinkedCredentials({ procedureId, credentials }: { procedureId: string; credentials: readonly Credential[] }) {
  return (
    <section className="linked-credentials" aria-labelledby="credentials-heading" data-testid="linked-credentials">
      <h3 id="credentials-heading">Credentials this procedure needs</h3>
      {credentials.map((credential, i) =>
        credential.id === null ? (
          <div key={`missing-${i}`} className="credential credential-missing" data-testid="credential-missing">
            <strong>Linked credential not found</strong>
            <span className="muted">
              The procedure lists “{credential.entry}”, which names no secret in this vault (deleted, not made yet, or mistyped). An owner can fix the
              procedure’s list.
            </span>
          </div>
        ) : (
          <CredentialRow key={credential.id} procedureId={procedureId} credential={credential} id={credential.id} />
        ),
      )}
    </section>
  );
}

function CredentialRow({ procedureId, credential, id }: { procedureId: string; credential: Credential; id: string }) {
  const [problem, setProblem] = useState<LifeboatErrorShape | null>(null);
  // Esc inside the form: the confirmation first, then the form; the procedure stays open.
  const reasonForm = useReasonForm(credential.twoPerson, () => {
    setProblem(null);
  });
  const { asking, setAsking, reason, second, setSecond, confirmDiscard, ready, keepTyping, closeForm, onFormKey } = reasonForm;
  const [shown, setShown] = useState<{ fields: { field: string; value: string }[]; hideAt: number } | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!shown) {
      return;
    }
    const timer = window.setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= shown.hideAt) {
        setShown(null);
      }
    }, 250);
    return () => {
      window.clearInterval(timer);
    };
  }, [shown]);

  const submit = async (event: { preventDefault: () => void }): Promise<void> => {
    event.preventDefault();
    if (!ready || busy) {
      return;
    }
    setBusy(true);
    setProblem(null);
    const result = await invoke('secret:reveal-credential', {
      id,
      reason,
      procedureId,
      ...(credential.twoPerson ? { second: { member: second.member.trim(), passphrase: second.passphrase } } : {}),
    });
    setBusy(false);
    // The second member's passphrase is never kept, whatever happened.
    setSecond({ ...second, passphrase: '' });
    if (!result.ok) {
      setProblem(result.error);
      return;
    }
    setShown({ fields: result.value.fields, hideAt: Date.now() + REVEAL_SECONDS * 1000 });
    setNow(Date.now());
    closeForm();
  };

  return (
    <div className="credential sealed-field" data-testid={`credential-${id}`}>
      <span className="sealed-label">{credential.title}</span>
      <span className="muted">{credential.fields.map(labelOf).join(', ') || 'no sealed fields'}</span>
      {credential.twoPerson && (
        <span className="two-person-badge" title="A second member must confirm every reveal with their own passphrase">
          Two-person rule
        </span>
      )}
      {!asking && !shown && credential.fields.length > 0 && (
        <button
          type="button"
          onClick={() => {
            setAsking(true);
          }}
        >
          Reveal credential…
        </button>
      )}
      {shown && (
        <div className="credential-values" data-testid="credential-values">
          <dl>
            {shown.fields.map(({ field, value }) => (
              <div key={field}>
                <dt>{labelOf(field)}</dt>
                <dd>
                  <code className="sealed-value" data-testid={`credential-value-${field}`}>
                    {value}
                  </code>
                </dd>
              </div>
            ))}
          </dl>
          <span className="muted">hides in {Math.min(REVEAL_SECONDS, Math.max(0, Math.ceil((shown.hideAt - now) / 1000)))} s</span>
          <button
            type="button"
            onClick={() => {
              setShown(null);
            }}
          >
            Hide
          </button>
        </div>
      )}
      {asking && (
        <form className="reveal-form" onSubmit={(event) => void submit(event)} onKeyDown={onFormKey}>
          <ReasonFields
            form={reasonForm}
            question={`Why do you need ${credential.title}? One reason for ${credential.fields.map(labelOf).join(', ')} (recorded in the audit log before anything is shown)`}
            placeholder="INC-1234: break-glass login"
            twoPerson={credential.twoPerson}
          />
          <button type="submit" className="primary" disabled={!ready || busy}>
            Log and reveal for {REVEAL_SECONDS} s
          </button>
          <button type="button" onClick={closeForm}>
            Cancel
          </button>
          {confirmDiscard && <DiscardConfirm onKeep={keepTyping} onDiscard={closeForm} />}
          {problem && (
            <p className="field-error" role="alert" data-testid="reveal-error">
              {problem.message} {hintFor(problem.code)}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
