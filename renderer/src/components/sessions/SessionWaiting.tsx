/**
 * What a service of a session waits on (issue #19, item 6): it is useful,
 * and meets its RTO, only when the services it needs from outside its
 * recover-together group are useful too. The engine decides
 * (electron/recovery/session-usefulness.ts); this shows the wait, named,
 * and lets a commander count it useful anyway, with a reason that goes into
 * the audit log and the evidence report.
 */
import { useId, useRef, useState, type SyntheticEvent } from 'react';
import type { RecoverySession, SessionService } from '../../../../shared/recovery';
import { useSessionsStore } from '../../stores/sessions-store';
import { timeOfDay } from './SessionClock';

function names(session: RecoverySession, ids: readonly string[]): string {
  return ids
    .map((id) => {
      const need = session.services.find((s) => s.id === id);
      return need ? `${need.title} (wave ${need.wave + 1})` : id;
    })
    .join(', ');
}

export function SessionWaiting({ session, service, canOverride }: { session: RecoverySession; service: SessionService; canOverride: boolean }) {
  const waiting = service.waitingOn ?? [];
  const override = service.override;
  if (override) {
    return (
      <p className="ses-waiting ses-overridden" data-testid="overridden">
        Counted useful without waiting on {names(session, override.waitingOn)} · {override.by} · <time dateTime={override.at}>{timeOfDay(override.at)}</time>: “
        {override.reason}”
      </p>
    );
  }
  if (waiting.length === 0 || service.usefulAt !== undefined) {
    return null;
  }
  const checksPass = service.checks.length > 0 && service.checks.every((c) => c.passedAt !== undefined);
  return (
    <div className="ses-waiting" data-testid="waiting" role="status">
      <p>
        <strong>Waiting on {names(session, waiting)}</strong>
        <span>
          {checksPass
            ? ': its own checks pass, but it is not useful, and its RTO not met, until that is back.'
            : ': not useful until that is back, whatever its own checks say.'}
        </span>
      </p>
      {canOverride && <OverrideForm service={service} />}
    </div>
  );
}

function OverrideForm({ service }: { service: SessionService }) {
  const override = useSessionsStore((s) => s.override);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const id = useId();
  const close = (): void => {
    setOpen(false);
    setTried(false);
    opener.current?.focus();
  };
  const submit = (event: SyntheticEvent): void => {
    event.preventDefault();
    setTried(true);
    if (reason.trim() === '') {
      return;
    }
    void override(service.id, reason.trim()).then((ok) => {
      if (ok) {
        setReason('');
        setOpen(false);
      }
    });
  };
  if (!open) {
    return (
      <button
        ref={opener}
        type="button"
        className="ses-override-open"
        onClick={() => {
          setOpen(true);
        }}
      >
        Count as useful anyway…
      </button>
    );
  }
  return (
    <form
      className="ses-override-form"
      onSubmit={submit}
      onKeyDown={(e) => {
        // Esc closes an empty form only; a typed reason stays until Cancel (issue 19: Esc never discards typing).
        if (e.key === 'Escape') {
          e.preventDefault();
          if (reason.trim() === '') {
            close();
          }
        }
      }}
    >
      <label>
        Why is {service.title} useful without them? (logged)
        <input
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
          }}
          autoFocus
          maxLength={2000}
          placeholder="e.g. reads orders from the replica in this scenario"
          aria-invalid={tried && reason.trim() === ''}
          aria-describedby={`${id}-error`}
        />
      </label>
      <button type="submit" className="primary">
        Count it useful
      </button>
      <button type="button" onClick={close}>
        Cancel
      </button>
      <p className="field-error" id={`${id}-error`} aria-live="polite">
        {tried && reason.trim() === '' ? 'Give a reason: the audit log and the evidence report keep it.' : ''}
      </p>
    </form>
  );
}
