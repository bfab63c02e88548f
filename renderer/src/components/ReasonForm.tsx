/**
 * The reason typed before a reveal (a sealed field's, a procedure's linked
 * credential's): its text, the second member for the two-person rule, and
 * Esc that never throws typed work away (issue 19, item 5). Esc inside the
 * form closes the confirmation first, then asks before discarding a typed
 * reason or second member, and closes an empty form at once; the record
 * around it stays open. One state machine for every reveal form.
 */
import { useRef, useState } from 'react';
import type { SecondPerson } from '../stores/quorum-store';
import { SecondPersonFields } from './SecondPersonFields';

const NO_SECOND: SecondPerson = { member: '', passphrase: '' };

/** `onClose`: what else the form's owner clears when the form closes (its error). */
export function useReasonForm(twoPerson: boolean, onClose: () => void) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [second, setSecond] = useState<SecondPerson>(NO_SECOND);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const reasonBox = useRef<HTMLInputElement>(null);
  const ready = reason.trim().length >= 3 && (!twoPerson || (second.member.trim() !== '' && second.passphrase !== ''));

  const keepTyping = (): void => {
    setConfirmDiscard(false);
    reasonBox.current?.focus();
  };
  const closeForm = (): void => {
    setAsking(false);
    setConfirmDiscard(false);
    setReason('');
    onClose();
    setSecond(NO_SECOND);
  };
  const onFormKey = (event: { key: string; preventDefault: () => void }): void => {
    if (event.key !== 'Escape') {
      return;
    }
    event.preventDefault();
    if (confirmDiscard) {
      keepTyping();
    } else if (reason.trim() !== '' || second.member.trim() !== '' || second.passphrase !== '') {
      setConfirmDiscard(true);
    } else {
      closeForm();
    }
  };
  return { asking, setAsking, reason, setReason, second, setSecond, confirmDiscard, reasonBox, ready, keepTyping, closeForm, onFormKey };
}

/** "Discard the reason you typed?", shown by Esc over a form with typed work. */
export function DiscardConfirm({ onKeep, onDiscard }: { onKeep: () => void; onDiscard: () => void }) {
  return (
    <div className="discard-confirm" role="alertdialog" aria-label="Discard the reason?" data-testid="discard-confirm">
      <span>Discard the reason you typed?</span>
      <button type="button" autoFocus onClick={onKeep}>
        Keep typing
      </button>
      <button type="button" onClick={onDiscard}>
        Discard
      </button>
    </div>
  );
}

/**
 * The reason box (what is asked, an example) and, under the two-person rule,
 * the second member's fields: the part every reveal form shares; the form
 * around it has its own buttons and errors.
 */
export function ReasonFields({
  form,
  question,
  placeholder,
  twoPerson,
}: {
  form: ReturnType<typeof useReasonForm>;
  question: string;
  placeholder: string;
  twoPerson: boolean;
}) {
  const { reason, setReason, reasonBox, second, setSecond } = form;
  return (
    <>
      <label>
        {question}
        <input
          ref={reasonBox}
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
          }}
          required
          minLength={3}
          autoFocus
          placeholder={placeholder}
        />
      </label>
      {twoPerson && <SecondPersonFields value={second} onChange={setSecond} />}
    </>
  );
}
