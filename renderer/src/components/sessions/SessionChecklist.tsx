/**
 * The running checklist: one card per service, in wave order (a wave can start
 * once everything it depends on is useful again). Steps are checkboxes;
 * validation checks pass or fail, a failure with what it showed. A service is
 * "useful again" when all its checks have passed and what it needs from
 * outside its group is useful too (SessionWaiting names the wait), which is
 * what its RTO is measured against, not the moment a restore "completed". Services that
 * depend on each other (a recover-together group) are listed together, in
 * one frame, in their group's wave.
 */
import { useId, useRef, useState, type SyntheticEvent } from 'react';
import type { RecoverySession, SessionService } from '../../../../shared/recovery';
import { stepParts } from '../../../../shared/step-text';
import { useSessionsStore } from '../../stores/sessions-store';
import { StepCommands, StepText } from '../StepCommands';
import { formatMinutes, ServiceClock, sinceStart, timeOfDay } from './SessionClock';
import { SessionWaiting } from './SessionWaiting';

interface Props {
  session: RecoverySession;
  canWork: boolean;
  /** Owners and commanders: may count a waiting service useful (logged). */
  canLead: boolean;
  onOpenRecord: (id: string) => void;
}

export function SessionChecklist({ session, canWork, canLead, onOpenRecord }: Props) {
  const waves = [...new Set(session.services.map((s) => s.wave))].sort((a, b) => a - b);
  const editable = canWork && session.status === 'active';
  const canOverride = canLead && session.status === 'active';
  const card = (service: SessionService) => (
    <ServiceCard key={service.id} session={session} service={service} editable={editable} canOverride={canOverride} onOpenRecord={onOpenRecord} />
  );
  return (
    <div className="ses-waves" data-testid="checklist">
      {waves.map((wave) => {
        const inWave = session.services.filter((s) => s.wave === wave);
        const groups = (session.groups ?? []).filter((g) => g.wave === wave);
        return (
          <section key={wave} className="ses-wave" aria-label={`Wave ${wave + 1}`}>
            <h3 className="ses-wave-title">
              Wave {wave + 1}
              <span className="muted">{wave === 0 ? 'depends on nothing here: start now' : `starts when wave ${wave} is useful again`}</span>
            </h3>
            {groups.map((group) => {
              const members = inWave.filter((s) => s.group === group.index);
              const names = members.map((s) => s.title).join(', ');
              return (
                <div key={group.index} className="ses-group" role="group" aria-label={`Recover together: ${names}`} data-testid="checklist-group">
                  <p className="ses-group-title">
                    <strong>{members.length === 1 ? 'Depends on itself' : 'Recover together'}</strong>
                    <span className="muted">
                      {members.length === 1
                        ? ' · it cannot wait for its own recovery'
                        : ' · these depend on each other, so no order exists between them: bring them up side by side'}
                    </span>
                  </p>
                  <div className="ses-services">{members.map(card)}</div>
                </div>
              );
            })}
            <div className="ses-services">{inWave.filter((s) => s.group === undefined).map(card)}</div>
          </section>
        );
      })}
    </div>
  );
}

function ServiceCard({
  session,
  service,
  editable,
  canOverride,
  onOpenRecord,
}: {
  session: RecoverySession;
  service: SessionService;
  editable: boolean;
  canOverride: boolean;
  onOpenRecord: (id: string) => void;
}) {
  const id = useId();
  const done = service.steps.filter((s) => s.at !== undefined).length;
  const passed = service.checks.filter((c) => c.passedAt !== undefined).length;
  const useful = service.usefulMinutes !== undefined;
  return (
    <article
      className={`ses-service ${useful ? 'ses-service-useful' : ''}`}
      aria-labelledby={`${id}-title`}
      data-testid="session-service"
      data-title={service.title}
    >
      <header className="ses-service-head">
        <h4 id={`${id}-title`}>{service.title}</h4>
        <ServiceClock startedAt={session.startedAt} endedAt={session.endedAt} rtoMinutes={service.rtoMinutes} usefulMinutes={service.usefulMinutes} />
      </header>
      <dl className="ses-facts">
        <div>
          <dt>RTO</dt>
          <dd>{service.rtoMinutes === null ? 'none set' : formatMinutes(service.rtoMinutes)}</dd>
        </div>
        <div>
          <dt>Estimate</dt>
          <dd>{formatMinutes(service.estimatedMinutes)}</dd>
        </div>
        <div>
          <dt>Progress</dt>
          <dd>
            steps {done}/{service.steps.length} · checks {passed}/{service.checks.length}
          </dd>
        </div>
      </dl>
      {service.runbooks.length === 0 ? (
        <p className="ses-gap">No runbook for this service: recover it from what people know, and write one afterwards.</p>
      ) : (
        <p className="ses-runbooks">
          <span className="muted">Runbook{service.runbooks.length > 1 ? 's' : ''}:</span>
          {service.runbooks.map((r) => (
            <button
              key={r.id}
              type="button"
              className="link-button"
              onClick={() => {
                onOpenRecord(r.id);
              }}
            >
              {r.title}
            </button>
          ))}
        </p>
      )}
      {useful && <UsefulLine service={service} />}
      <SessionWaiting session={session} service={service} canOverride={canOverride} />
      <Steps session={session} service={service} editable={editable} />
      <Checks session={session} service={service} editable={editable} />
    </article>
  );
}

function UsefulLine({ service }: { service: SessionService }) {
  const minutes = service.usefulMinutes ?? 0;
  const rto = service.rtoMinutes;
  return (
    <p className={`ses-useful ${rto !== null && minutes > rto ? 'ses-useful-missed' : ''}`} data-testid="useful">
      <strong>Useful again after {formatMinutes(minutes)}</strong>
      {rto === null ? (
        <span className="ses-verdict ses-verdict-none">no RTO to compare</span>
      ) : minutes <= rto ? (
        <span className="ses-verdict ses-verdict-met">met RTO {formatMinutes(rto)}</span>
      ) : (
        <span className="ses-verdict ses-verdict-missed">MISSED RTO {formatMinutes(rto)}</span>
      )}
    </p>
  );
}

function Steps({ session, service, editable }: { session: RecoverySession; service: SessionService; editable: boolean }) {
  const step = useSessionsStore((s) => s.step);
  // Shown at once while the engine records the tick; the engine's answer replaces it.
  const [pending, setPending] = useState<Record<number, boolean>>({});
  if (service.steps.length === 0) {
    return <p className="ses-gap">Its runbook lists no steps to tick.</p>;
  }
  const toggle = (index: number, done: boolean): void => {
    setPending((p) => ({ ...p, [index]: done }));
    void step(service.id, index, done).finally(() => {
      setPending(({ [index]: _settled, ...rest }) => rest);
    });
  };
  return (
    <>
      <h5 className="ses-sub">Steps</h5>
      <ol className="ses-steps">
        {service.steps.map((s, index) => {
          const checked = pending[index] ?? s.at !== undefined;
          return (
            <li key={index} className={s.at !== undefined ? 'ses-done' : undefined}>
              <label>
                <input
                  type="checkbox"
                  checked={checked}
                  disabled={!editable}
                  aria-busy={index in pending}
                  onChange={(e) => {
                    toggle(index, e.target.checked);
                  }}
                />
                <span className="ses-step-text">{stepParts(s.text).text ? <StepText text={stepParts(s.text).text} /> : `Step ${index + 1}`}</span>
              </label>
              <StepCommands code={stepParts(s.text).code} step={index + 1} />
              {s.at !== undefined && (
                <span className="ses-by">
                  ✓ {s.by} · <time dateTime={s.at}>{timeOfDay(s.at)}</time> · {sinceStart(session.startedAt, s.at)}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </>
  );
}

function Checks({ session, service, editable }: { session: RecoverySession; service: SessionService; editable: boolean }) {
  if (service.checks.length === 0) {
    return (
      <p className="ses-gap ses-gap-strong" role="note">
        No validation checks: time to useful service cannot be measured. Add application-level checks to its runbook (a readiness gap).
      </p>
    );
  }
  return (
    <>
      <h5 className="ses-sub">Validation checks</h5>
      <ul className="ses-checks">
        {service.checks.map((check, index) => (
          <CheckItem key={index} session={session} service={service} index={index} editable={editable} />
        ))}
      </ul>
    </>
  );
}

function CheckItem({ session, service, index, editable }: { session: RecoverySession; service: SessionService; index: number; editable: boolean }) {
  const record = useSessionsStore((s) => s.check);
  const [failing, setFailing] = useState(false);
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const failButton = useRef<HTMLButtonElement>(null);
  const id = useId();
  const check = service.checks[index];
  if (!check) {
    return null;
  }
  const last = check.failures.at(-1);
  const passed = check.passedAt !== undefined;
  const state = passed ? 'passed' : last ? 'failed' : 'open';

  // Keyboard users land back on the button they came from when the note form closes.
  const closeForm = (): void => {
    setFailing(false);
    setTried(false);
    failButton.current?.focus();
  };

  const fail = (event: SyntheticEvent): void => {
    event.preventDefault();
    setTried(true);
    if (note.trim() === '') {
      return;
    }
    void record(service.id, index, false, note.trim()).then((ok) => {
      if (ok) {
        setNote('');
        closeForm();
      }
    });
  };

  return (
    <li className={`ses-check ses-check-${state}`}>
      <div className="ses-check-main">
        <span className="ses-check-icon" aria-hidden="true">
          {passed ? '✓' : last ? '✗' : '○'}
        </span>
        <div>
          <div className="ses-check-text" id={`${id}-text`}>
            {check.text}
          </div>
          <div className="ses-by">
            {passed && check.passedAt !== undefined ? (
              <>
                Passed · {check.passedBy} · <time dateTime={check.passedAt}>{timeOfDay(check.passedAt)}</time> · {sinceStart(session.startedAt, check.passedAt)}
              </>
            ) : last ? (
              <>
                <span className="ses-failed-word">Failed</span> · {last.by} · <time dateTime={last.at}>{timeOfDay(last.at)}</time>: “{last.note}”
              </>
            ) : (
              'Not checked yet'
            )}
            {check.failures.length > (passed ? 0 : 1) && <span className="ses-failures-count"> · failed {check.failures.length}× in all</span>}
          </div>
        </div>
        {editable && (
          <div className="ses-check-actions">
            {/* aria-disabled, not disabled: a disabled button drops keyboard focus to the page. */}
            <button
              type="button"
              className="ses-pass"
              aria-describedby={`${id}-text`}
              aria-disabled={passed}
              onClick={() => {
                if (!passed) {
                  void record(service.id, index, true);
                }
              }}
            >
              Pass
            </button>
            <button
              ref={failButton}
              type="button"
              className="ses-fail"
              aria-describedby={`${id}-text`}
              aria-expanded={failing}
              onClick={() => {
                setFailing(!failing);
              }}
            >
              Fail…
            </button>
          </div>
        )}
      </div>
      {failing && (
        <form
          className="ses-fail-form"
          onSubmit={fail}
          onKeyDown={(e) => {
            // Esc closes an empty form; a typed note stays until Cancel says so (issue 19: Esc never discards typing).
            if (e.key === 'Escape') {
              e.preventDefault();
              if (note.trim() === '') {
                closeForm();
              }
            }
          }}
        >
          <label>
            What did the check show?
            <input
              value={note}
              onChange={(e) => {
                setNote(e.target.value);
              }}
              autoFocus
              maxLength={2000}
              placeholder="e.g. health endpoint answers 503 from outside"
              aria-invalid={tried && note.trim() === ''}
              aria-describedby={`${id}-note-error`}
            />
          </label>
          <button type="submit" className="danger">
            Record the failure
          </button>
          <button type="button" onClick={closeForm}>
            Cancel
          </button>
          <p className="field-error" id={`${id}-note-error`} aria-live="polite">
            {tried && note.trim() === '' ? 'Say what the check showed: the evidence report keeps it.' : ''}
          </p>
        </form>
      )}
    </li>
  );
}
