/**
 * Running a session: what it is (a real incident is unmistakable), the live
 * clock, how many services are useful again, the checklist by wave, the
 * journal, and ending it (two explicit steps: ending freezes the evidence).
 */
import { useState } from 'react';
import type { RecoverySession } from '../../../../shared/recovery';
import { useSessionsStore } from '../../stores/sessions-store';
import { SessionChecklist } from './SessionChecklist';
import { dateTime, KindBadge, SessionClock } from './SessionClock';
import { SessionJournal } from './SessionJournal';

interface Props {
  session: RecoverySession;
  canLead: boolean;
  canWork: boolean;
  onOpenRecord: (id: string) => void;
}

export function SessionRun({ session, canLead, canWork, onOpenRecord }: Props) {
  const close = useSessionsStore((s) => s.close);
  const incident = session.kind === 'incident';
  const useful = session.services.filter((s) => s.usefulMinutes !== undefined).length;
  const active = session.status === 'active';
  return (
    <>
      <section className={`card ses-head ${incident ? 'ses-head-incident' : ''}`} aria-labelledby="ses-scenario" data-testid="session-head">
        {incident && (
          <p className="ses-incident-strip" role="note">
            REAL INCIDENT: this is not an exercise
          </p>
        )}
        <div className="ses-head-row">
          <button type="button" onClick={close}>
            ← All sessions
          </button>
          <KindBadge kind={session.kind} />
          <h2 id="ses-scenario" className="ses-scenario">
            {session.scenario}
          </h2>
          <div className="ses-head-stats">
            <span className="ses-stat">
              <span className="muted">{active ? 'Elapsed' : 'Lasted'}</span>
              <SessionClock startedAt={session.startedAt} endedAt={session.endedAt} />
            </span>
            <span className="ses-stat" data-testid="useful-count">
              <span className="muted">Useful again</span>
              <strong>
                {useful} of {session.services.length}
              </strong>
            </span>
          </div>
          {canLead && active && <EndSession session={session} useful={useful} />}
        </div>
        <p className="muted ses-head-meta">
          Started {dateTime(session.startedAt)} by {session.startedBy}
          {session.endedAt !== undefined && (
            <>
              {' '}
              · ended {dateTime(session.endedAt)} by {session.endedBy}
            </>
          )}{' '}
          · times are stamped by the vault, not typed
        </p>
        {!active && (
          <p className="banner banner-warn ses-frozen" role="status">
            This session has ended: its evidence is frozen.{canLead ? '' : ' The evidence report is for owners and commanders.'}
          </p>
        )}
      </section>
      {session.missing.length > 0 && (
        <div className="banner banner-warn ses-missing" role="status" data-testid="missing-deps">
          <div>
            <strong>Missing dependencies: not in this vault, so not in this checklist.</strong>
            <ul>
              {session.missing.map((m) => (
                <li key={`${m.serviceId}-${m.ref}`}>
                  {m.serviceTitle} depends on “{m.ref}”: recover it by other means, or the plan is incomplete.
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
      <div className="ses-run">
        <SessionChecklist session={session} canWork={canWork} canLead={canLead} onOpenRecord={onOpenRecord} />
        <SessionJournal session={session} canWork={canWork} />
      </div>
    </>
  );
}

function EndSession({ session, useful }: { session: RecoverySession; useful: number }) {
  const end = useSessionsStore((s) => s.end);
  const busy = useSessionsStore((s) => s.busy);
  const [confirming, setConfirming] = useState(false);
  // After "keep it running", the focus goes back to where the member started.
  const [kept, setKept] = useState(false);
  const waiting = session.services.length - useful;
  const missed = session.services.filter((s) => s.usefulMinutes === undefined && s.rtoMinutes !== null && s.checks.length > 0).length;
  if (!confirming) {
    return (
      <button
        type="button"
        className="danger ses-end"
        autoFocus={kept}
        onClick={() => {
          setConfirming(true);
        }}
      >
        End session…
      </button>
    );
  }
  return (
    <div className="ses-confirm" role="group" aria-label="Confirm ending the session" data-testid="end-confirm">
      <p>
        <strong>Ending freezes the evidence.</strong> Steps, checks and the journal can no longer change, and the clock stops.
        {waiting > 0
          ? ` ${waiting} of ${session.services.length} services are not useful yet${missed > 0 ? `; ${missed} will count as missing their RTO` : ''}.`
          : ' Every service is useful again.'}{' '}
        The evidence report follows.
      </p>
      <div className="form-actions">
        {/* Keeping it running is the safe default, so it takes the focus. */}
        <button
          type="button"
          autoFocus
          onClick={() => {
            setConfirming(false);
            setKept(true);
          }}
        >
          Keep it running
        </button>
        <button type="button" className="ses-danger-solid" disabled={busy} onClick={() => void end()}>
          End and freeze the evidence
        </button>
      </div>
    </div>
  );
}
