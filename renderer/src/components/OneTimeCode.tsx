import { useEffect, useState } from 'react';
import type { LifeboatErrorShape } from '../../../shared/errors';
import { SEALED_MASK } from '../../../shared/record-kinds';
import type { GeneratedCodeView } from '../../../shared/secret-contract';
import { hintFor } from '../error-hints';
import { invoke } from '../lifeboat-client';
import { useClipboardStore } from '../stores/clipboard-store';
import { useQuorumStore } from '../stores/quorum-store';
import { CopyNotice } from './CopyNotice';
import { DiscardConfirm, ReasonFields, useReasonForm } from './ReasonForm';
import './one-time-code.css';

/** "123456" as "123 456", "12345678" as "1234 5678": read aloud and typed in halves. */
function grouped(code: string): string {
  const half = Math.ceil(code.length / 2);
  return `${code.slice(0, half)} ${code.slice(half)}`;
}

interface Shown {
  code: GeneratedCodeView;
  /** When the current code stops being valid, by this window's clock (TOTP). */
  endsAt: number | null;
}

/**
 * A one-time-code seed (issue 21; docs/security.md, "One-time codes"): the
 * seed stays in main. "Show code…" asks for the reason (and the second
 * member where the two-person rule applies); main logs "code generated" and
 * only then sends the code, the next one and the seconds left. The countdown
 * runs here; when it ends the next code is shown for one more period, then
 * a new code needs a new reason. The laptop's clock is shown in UTC with
 * main's warning when it looks wrong.
 */
export function OneTimeCode({ recordId, field, label, twoPersonMarked }: { recordId: string; field: string; label: string; twoPersonMarked: boolean }) {
  const { twoPersonIds, markTwoPerson } = useQuorumStore();
  const twoPerson = twoPersonMarked || twoPersonIds.includes(recordId);
  const [problem, setProblem] = useState<LifeboatErrorShape | null>(null);
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState<Shown | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const copyText = useClipboardStore((s) => s.copyText);
  const reasonForm = useReasonForm(twoPerson, () => {
    setProblem(null);
  });
  const { asking, setAsking, reason, second, setSecond, confirmDiscard, ready, keepTyping, closeForm, onFormKey } = reasonForm;

  const endsAt = shown?.endsAt ?? null;
  // The current code's period ended: the next one is current for one more period, then nothing is shown.
  const period = (shown?.code.period ?? 30) * 1000;
  useEffect(() => {
    if (endsAt === null) {
      return;
    }
    const timer = window.setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= endsAt + period) {
        setShown(null);
      }
    }, 250);
    return () => {
      window.clearInterval(timer);
    };
  }, [endsAt, period]);
  const onNext = endsAt !== null && now >= endsAt;

  const submit = async (event: { preventDefault: () => void }): Promise<void> => {
    event.preventDefault();
    if (reason.trim().length < 3 || busy || (twoPerson && !ready)) {
      return;
    }
    setBusy(true);
    setProblem(null);
    const result = await invoke('secret:code', {
      id: recordId,
      field,
      reason,
      ...(twoPerson ? { second: { member: second.member.trim(), passphrase: second.passphrase } } : {}),
    });
    setBusy(false);
    // The second member's passphrase is never kept, whatever happened.
    setSecond({ ...second, passphrase: '' });
    if (!result.ok) {
      if (result.error.code === 'TWO_PERSON_REQUIRED') {
        markTwoPerson(recordId);
      }
      setProblem(result.error);
      return;
    }
    const code = result.value;
    setNow(Date.now());
    setShown({ code, endsAt: code.secondsLeft === null ? null : Date.now() + code.secondsLeft * 1000 });
    closeForm();
  };

  const current = shown ? (onNext ? shown.code.next : shown.code.code) : '';
  const secondsLeft = endsAt !== null ? Math.max(0, Math.ceil(((onNext ? endsAt + period : endsAt) - now) / 1000)) : null;
  const copyKey = `${recordId}:${field}:code`;

  return (
    <div className="sealed-field one-time-code" data-testid={`code-${field}`}>
      <span className="sealed-label">{label}</span>
      {shown ? (
        <div className="code-shown" data-testid="code-shown">
          <code className="otp-code" aria-label={`One-time code ${current.split('').join(' ')}`} data-testid="otp-code">
            {grouped(current)}
          </code>
          {secondsLeft !== null ? (
            <span className="otp-countdown" data-testid="otp-countdown">
              <progress max={shown.code.period ?? 30} value={secondsLeft} aria-label="Seconds left" />
              valid {secondsLeft} s more{onNext ? '' : ` · next ${grouped(shown.code.next)}`}
            </span>
          ) : (
            <span className="muted" data-testid="otp-counter">
              HOTP counter {shown.code.counter}: this code is used up once typed; the next one will use {(shown.code.counter ?? 0) + 1}.
            </span>
          )}
          <button type="button" onClick={() => void copyText(copyKey, current)}>
            Copy code
          </button>
          <button
            type="button"
            onClick={() => {
              setShown(null);
            }}
          >
            Hide
          </button>
          <CopyNotice copyKey={copyKey} />
          <p className="otp-clock" data-testid="otp-clock">
            Laptop clock (UTC): <time dateTime={shown.code.clock.nowUtc}>{shown.code.clock.nowUtc}</time>
          </p>
          {shown.code.clock.warning && (
            <p className="field-error" role="alert" data-testid="clock-warning">
              {shown.code.clock.warning}
            </p>
          )}
        </div>
      ) : (
        <>
          <span className="sealed-mask" title="The seed stays sealed: only codes made from it are shown">
            {SEALED_MASK}
          </span>
          {!asking && (
            <button
              type="button"
              onClick={() => {
                setAsking(true);
              }}
            >
              Show code…
            </button>
          )}
        </>
      )}
      {asking && !shown && (
        <form className="reveal-form" onSubmit={(event) => void submit(event)} onKeyDown={onFormKey}>
          <ReasonFields
            form={reasonForm}
            question="Why do you need a code? (recorded in the audit log before the code is made)"
            placeholder="INC-1234: SSO is down, break-glass login"
            twoPerson={twoPerson}
          />
          <button type="submit" className="primary" disabled={reason.trim().length < 3 || busy || (twoPerson && !ready)}>
            Log and show code
          </button>
          <button type="button" onClick={closeForm}>
            Cancel
          </button>
          {confirmDiscard && <DiscardConfirm onKeep={keepTyping} onDiscard={closeForm} />}
          {problem && (
            <p className="field-error" role="alert" data-testid="code-error">
              {problem.message} {hintFor(problem.code)}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
