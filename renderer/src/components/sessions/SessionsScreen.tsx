/**
 * Exercises & incidents (#6): the sessions of this vault, starting one,
 * running it, and the evidence report once it has ended. Which view shows is
 * decided by the open session: running (or ended, for a responder, who may
 * not produce reports) shows the checklist; ended shows the report.
 */
import { useEffect, useState } from 'react';
import { can } from '../../../../shared/permissions';
import type { SessionSummary } from '../../../../shared/recovery';
import { useSessionStore } from '../../stores/session-store';
import { useSessionsStore } from '../../stores/sessions-store';
import { ErrorBanner } from '../ErrorBanner';
import { dateTime, formatMinutes, KindBadge, SessionClock } from './SessionClock';
import { SessionReport } from './SessionReport';
import { SessionRun } from './SessionRun';
import { SessionStart } from './SessionStart';
import './sessions.css';

export function SessionsScreen({ onOpenRecord }: { onOpenRecord: (id: string) => void }) {
  const role = useSessionStore((s) => s.session?.role);
  const { list, listLoaded, openId, current, report, error, load, open } = useSessionsStore();
  const canLead = role !== undefined && can(role, 'sessions.lead');
  const canWork = role !== undefined && can(role, 'sessions.work');

  useEffect(() => {
    void load();
    // Back from a runbook: show the open session as the engine has it now.
    const { openId: id } = useSessionsStore.getState();
    if (id !== null) {
      void open(id, canLead);
    }
  }, [load, open, canLead]);

  let body;
  if (openId === null) {
    body = <SessionList list={list} loaded={listLoaded} canLead={canLead} />;
  } else if (current === null) {
    body = <p className="muted">Opening the session…</p>;
  } else if (current.status === 'ended' && canLead) {
    body = report ? <SessionReport report={report} /> : <p className="muted">Building the evidence report…</p>;
  } else {
    body = <SessionRun session={current} canLead={canLead} canWork={canWork} onOpenRecord={onOpenRecord} />;
  }

  return (
    <div className="sessions">
      {error && <ErrorBanner error={error} />}
      {body}
    </div>
  );
}

function SessionList({ list, loaded, canLead }: { list: SessionSummary[]; loaded: boolean; canLead: boolean }) {
  const [starting, setStarting] = useState(false);
  const active = list.filter((s) => s.status === 'active');
  const ended = list.filter((s) => s.status === 'ended');
  return (
    <>
      <section className="card ses-list" aria-labelledby="ses-list-title">
        <div className="card-title">
          <h2 id="ses-list-title">Exercises &amp; incidents</h2>
          {canLead && !starting && list.length > 0 && (
            <button
              type="button"
              className="primary"
              onClick={() => {
                setStarting(true);
              }}
            >
              Start an exercise or incident…
            </button>
          )}
        </div>
        {starting && (
          <SessionStart
            onCancel={() => {
              setStarting(false);
            }}
          />
        )}
        {loaded && list.length === 0 && !starting && (
          <EmptyState
            canLead={canLead}
            onStart={() => {
              setStarting(true);
            }}
          />
        )}
        {active.length > 0 && (
          <>
            <h3 className="ses-list-heading">Running now</h3>
            <ul className="ses-active-list" data-testid="active-sessions">
              {active.map((s) => (
                <ActiveRow key={s.id} summary={s} canLead={canLead} />
              ))}
            </ul>
          </>
        )}
        {ended.length > 0 && (
          <>
            <h3 className="ses-list-heading">Ended</h3>
            <EndedTable sessions={ended} canLead={canLead} />
          </>
        )}
      </section>
    </>
  );
}

function EmptyState({ canLead, onStart }: { canLead: boolean; onStart: () => void }) {
  return (
    <div className="ses-empty" data-testid="sessions-empty">
      <div className="ses-empty-text">
        <h3>No exercise has been run in this vault yet</h3>
        <p className="ses-empty-lead">
          <strong>“All backups are green” is not a recovery status.</strong> A service is recovered when people can use it again, and the only way to know how
          long that takes is to try.
        </p>
        <ol>
          <li>Pick the services you pretend are down. Lifeboat adds what they depend on and orders everything into waves.</li>
          <li>Work through their runbooks: tick each step, and pass or fail each validation check.</li>
          <li>Each service is timed from the start until all its checks pass, and compared with its RTO.</li>
          <li>End the session for an evidence report: what was slow, what failed, what was missing, and which secrets were revealed and must be rotated.</li>
        </ol>
      </div>
      <div className="ses-empty-action">
        {canLead ? (
          <>
            <button type="button" className="primary" onClick={onStart}>
              Start an exercise or incident…
            </button>
            <p className="muted">In a real incident, start a session too: it keeps the timeline and the evidence for the review.</p>
          </>
        ) : (
          <p className="muted">An owner or a commander starts sessions; you can then tick steps and checks and add notes.</p>
        )}
      </div>
    </div>
  );
}

function ActiveRow({ summary, canLead }: { summary: SessionSummary; canLead: boolean }) {
  const open = useSessionsStore((s) => s.open);
  const incident = summary.kind === 'incident';
  return (
    <li className={`ses-active ${incident ? 'ses-active-incident' : ''}`}>
      <KindBadge kind={summary.kind} />
      <div className="ses-active-main">
        <button type="button" className="ses-open" onClick={() => void open(summary.id, canLead)}>
          {summary.scenario}
        </button>
        <span className="muted">started {dateTime(summary.startedAt)}</span>
      </div>
      <span className="ses-stat">
        <span className="muted">Running</span>
        <SessionClock startedAt={summary.startedAt} />
      </span>
      <span className="ses-stat">
        <span className="muted">Useful again</span>
        <strong>
          {summary.useful} of {summary.services}
        </strong>
      </span>
    </li>
  );
}

function EndedTable({ sessions, canLead }: { sessions: SessionSummary[]; canLead: boolean }) {
  const open = useSessionsStore((s) => s.open);
  return (
    <table className="ses-table" data-testid="ended-sessions">
      <thead>
        <tr>
          <th>Kind</th>
          <th>Scenario</th>
          <th>Started</th>
          <th>Lasted</th>
          <th>Useful again</th>
          <th>
            <span className="visually-hidden">Open</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {sessions.map((s) => (
          <tr key={s.id} className={s.kind === 'incident' ? 'ses-row-incident' : undefined}>
            <td>
              <KindBadge kind={s.kind} />
            </td>
            <th scope="row">{s.scenario}</th>
            <td>{dateTime(s.startedAt)}</td>
            <td>{s.endedAt === undefined ? '—' : formatMinutes((Date.parse(s.endedAt) - Date.parse(s.startedAt)) / 60_000)}</td>
            <td className={s.useful < s.services ? 'ses-text-bad' : undefined}>
              {s.useful} of {s.services}
            </td>
            <td>
              <button type="button" aria-label={`${canLead ? 'Evidence report' : 'Open'}: ${s.scenario}`} onClick={() => void open(s.id, canLead)}>
                {canLead ? 'Evidence report' : 'Open'}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
