/**
 * The evidence report of an ended session, as the engine built it from the
 * session record and the audit log: timings against RTO, what was slow, what
 * failed, what was missing, what was noted, and which secrets were revealed
 * and still need rotating at their source.
 */
import type { ReactNode } from 'react';
import type { EvidenceReport } from '../../../../shared/recovery';
import { useSessionsStore } from '../../stores/sessions-store';
import { dateTime, formatMinutes, KindBadge, timeOfDay } from './SessionClock';
import { SessionExport } from './SessionExport';

const VERDICT = { met: 'met', missed: 'MISSED', 'not-measured': 'not measured' } as const;

export function SessionReport({ report }: { report: EvidenceReport }) {
  const close = useSessionsStore((s) => s.close);
  const s = report.session;
  const met = report.services.filter((x) => x.verdict === 'met').length;
  const outstanding = report.rotation.filter((r) => r.rotatedAt === undefined).length;
  return (
    <>
      <section className={`card ses-head ${s.kind === 'incident' ? 'ses-head-incident' : ''}`} aria-labelledby="ses-report-title" data-testid="report">
        <div className="ses-head-row">
          <button type="button" onClick={close}>
            ← All sessions
          </button>
          <KindBadge kind={s.kind} />
          <h2 id="ses-report-title" className="ses-scenario">
            <span className="muted ses-report-word">Evidence report</span> {s.scenario}
          </h2>
        </div>
        <dl className="ses-summary">
          <div>
            <dt>Started</dt>
            <dd>
              {dateTime(s.startedAt)}
              <span className="ses-summary-by">by {s.startedBy}</span>
            </dd>
          </div>
          <div>
            <dt>Ended</dt>
            <dd>
              {dateTime(s.endedAt)}
              <span className="ses-summary-by">by {s.endedBy}</span>
            </dd>
          </div>
          <div>
            <dt>Duration</dt>
            <dd>{formatMinutes(s.durationMinutes)}</dd>
          </div>
          <div>
            <dt>Useful within RTO</dt>
            <dd className={met < report.services.length ? 'ses-text-bad' : 'ses-text-ok'}>
              {met} of {report.services.length}
            </dd>
          </div>
          <div>
            <dt>Secrets to rotate</dt>
            <dd className={outstanding > 0 ? 'ses-text-bad' : 'ses-text-ok'}>{outstanding === 0 ? 'none outstanding' : `${outstanding} outstanding`}</dd>
          </div>
        </dl>
      </section>
      <div className="ses-report">
        <div className="ses-report-main">
          <Timings report={report} />
          <Reveals report={report} />
          <FailedChecks report={report} />
          <Delays report={report} />
          <RunbookTicks report={report} />
        </div>
        <div className="ses-report-side">
          <Rotation report={report} />
          <SessionExport sessionId={s.id} />
          <Journal report={report} />
          <Missing report={report} />
        </div>
      </div>
      <p className="muted ses-footer">
        Vault {report.vault.name} ({report.vault.id}), session {s.id}. Generated {dateTime(report.generatedAt)} by {report.generatedBy}.
      </p>
    </>
  );
}

function Part({ title, testId, children, className = '' }: { title: string; testId: string; children: ReactNode; className?: string }) {
  return (
    <section className={`card ses-part ${className}`} aria-label={title} data-testid={testId}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

function Timings({ report }: { report: EvidenceReport }) {
  return (
    <Part title="Time to useful service against RTO" testId="report-timings">
      <table className="ses-table ses-timings">
        <thead>
          <tr>
            <th>Wave</th>
            <th>Service</th>
            <th>RTO</th>
            <th>Estimate</th>
            <th>Useful after</th>
            <th>Verdict</th>
            <th>Steps</th>
            <th>Checks</th>
          </tr>
        </thead>
        <tbody>
          {report.services.map((x) => (
            <tr key={x.id}>
              <td>{x.wave + 1}</td>
              <th scope="row">{x.title}</th>
              <td>{formatMinutes(x.rtoMinutes)}</td>
              <td>{formatMinutes(x.estimatedMinutes)}</td>
              <td className={x.usefulMinutes === null ? 'ses-text-bad' : undefined}>
                {x.usefulMinutes === null ? 'not useful' : formatMinutes(x.usefulMinutes)}
                {x.usefulMinutes === null && x.waitingOn && x.waitingOn.length > 0 && <span className="ses-why"> · waiting on {x.waitingOn.join(', ')}</span>}
                {x.override && <span className="ses-why"> · counted useful by {x.override.by} without waiting</span>}
              </td>
              <td>
                <span className={`ses-verdict ses-verdict-${x.verdict}`}>{VERDICT[x.verdict]}</span>
                {x.verdict === 'not-measured' && <span className="ses-why"> {x.checksTotal === 0 ? 'no validation checks' : 'no RTO'}</span>}
              </td>
              <td className="ses-num">
                {x.stepsDone}/{x.stepsTotal}
              </td>
              <td className="ses-num">
                {x.checksPassed}/{x.checksTotal}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Part>
  );
}

function Rotation({ report }: { report: EvidenceReport }) {
  const { rotated, busy } = useSessionsStore();
  const outstanding = report.rotation.some((r) => r.rotatedAt === undefined);
  return (
    <Part title="Rotation checklist" testId="report-rotation" className={outstanding ? 'ses-part-alert' : ''}>
      {report.rotation.length === 0 ? (
        <p className="muted">No secret was revealed or copied during the session: nothing to rotate.</p>
      ) : (
        <>
          <p className="muted">
            Every secret revealed during the session is exposed until it is changed at its source. Mark one rotated only once it has been; that is logged.
          </p>
          <ul className="ses-rotation">
            {report.rotation.map((r) => (
              <li key={r.recordId} className={r.rotatedAt === undefined ? 'ses-rot-open' : 'ses-rot-done'}>
                <div>
                  <strong>{r.recordTitle}</strong> <span className="muted">({r.fields.join(', ')})</span>
                  <div className="ses-by">
                    revealed by {r.revealedBy.join(', ')}, last at {timeOfDay(r.lastRevealedAt)}
                  </div>
                </div>
                {r.rotatedAt === undefined ? (
                  <div className="ses-rot-actions">
                    <span className="ses-verdict ses-verdict-missed">NOT YET ROTATED</span>
                    <button type="button" disabled={busy} onClick={() => void rotated(r.recordId)}>
                      Mark rotated
                    </button>
                  </div>
                ) : (
                  <span className="ses-verdict ses-verdict-met">
                    Rotated {dateTime(r.rotatedAt)} by {r.rotatedBy}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </Part>
  );
}

function Reveals({ report }: { report: EvidenceReport }) {
  return (
    <Part title="Secrets revealed during the session" testId="report-reveals">
      {report.reveals.length === 0 ? (
        <p className="muted">No secret was revealed or copied.</p>
      ) : (
        <table className="ses-table">
          <thead>
            <tr>
              <th>Time</th>
              <th>Who</th>
              <th>Secret</th>
              <th>Field</th>
              <th>Action</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {report.reveals.map((r, i) => (
              <tr key={`${r.at}-${i}`}>
                <td className="ses-num">{timeOfDay(r.at)}</td>
                <td>{r.actor}</td>
                <th scope="row">{r.recordTitle}</th>
                <td>{r.field}</td>
                <td>{r.action}</td>
                <td className="ses-reason">{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Part>
  );
}

function FailedChecks({ report }: { report: EvidenceReport }) {
  const failed = report.services.flatMap((x) => x.failedChecks.map((c) => ({ service: x.title, ...c })));
  return (
    <Part title="Failed validation checks" testId="report-failed">
      {failed.length === 0 ? (
        <p className="muted">No validation check failed.</p>
      ) : (
        <ul className="ses-failed">
          {failed.map((c, i) => (
            <li key={i}>
              <strong>{c.service}</strong>: {c.text}
              <ul>
                {c.failures.map((f, j) => (
                  <li key={j}>
                    <span className="ses-num">{timeOfDay(f.at)}</span> {f.by}: “{f.note}”
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </Part>
  );
}

function Delays({ report }: { report: EvidenceReport }) {
  return (
    <Part title="Steps that caused delay" testId="report-delays">
      {report.delays.length === 0 ? (
        <p className="muted">No step was ticked.</p>
      ) : (
        <>
          <p className="muted">Slowest first: minutes since the previous tick on the same service (or since the start).</p>
          <table className="ses-table">
            <thead>
              <tr>
                <th>Took</th>
                <th>Service</th>
                <th>Step</th>
                <th>By</th>
              </tr>
            </thead>
            <tbody>
              {report.delays.map((d, i) => (
                <tr key={i}>
                  <td className="ses-num">{formatMinutes(d.minutes)}</td>
                  <td>{d.serviceTitle}</td>
                  <td>{d.step}</td>
                  <td>{d.by}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Part>
  );
}

/** Runbooks ticked from their page during the session (issue 19): shown only when there are any. */
function RunbookTicks({ report }: { report: EvidenceReport }) {
  if (!report.runbooks) {
    return null;
  }
  return (
    <Part title="Runbooks ticked from their page" testId="report-runbooks">
      <table className="ses-table">
        <thead>
          <tr>
            <th>Runbook</th>
            <th>Steps</th>
            <th>Ticked</th>
          </tr>
        </thead>
        <tbody>
          {report.runbooks.map((r) => (
            <tr key={r.id}>
              <td>{r.title}</td>
              <td className="ses-num">
                {r.ticked.length}/{r.stepsTotal}
              </td>
              <td>
                {r.ticked.map((t) => (
                  <div key={t.step}>
                    {t.step}. {t.text}{' '}
                    <span className="muted">
                      ({dateTime(t.at)}, {t.by})
                    </span>
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Part>
  );
}

function Journal({ report }: { report: EvidenceReport }) {
  const titles = new Map(report.services.map((x) => [x.id, x.title]));
  return (
    <Part title="Blockers and notes" testId="report-journal">
      {report.journal.length === 0 ? (
        <p className="muted">Nothing was noted.</p>
      ) : (
        <ol className="ses-journal-list">
          {report.journal.map((j, i) => (
            <li key={i} className={`ses-entry ses-entry-${j.kind}`}>
              <div className="ses-entry-meta">
                <span className={`ses-entry-kind ses-entry-kind-${j.kind}`}>{j.kind}</span>
                <time dateTime={j.at}>{timeOfDay(j.at)}</time>
                <strong>{j.by}</strong>
                {j.serviceId !== undefined && <span className="muted">on {titles.get(j.serviceId) ?? j.serviceId}</span>}
              </div>
              <p className="ses-entry-text">{j.text}</p>
            </li>
          ))}
        </ol>
      )}
    </Part>
  );
}

function Missing({ report }: { report: EvidenceReport }) {
  return (
    <Part title="Missing dependencies" testId="report-missing">
      {report.missing.length === 0 ? (
        <p className="muted">None: every dependency is a service in the vault.</p>
      ) : (
        <ul className="ses-plain">
          {report.missing.map((m) => (
            <li key={`${m.serviceId}-${m.ref}`}>
              {m.serviceTitle} depends on “{m.ref}”, which is not in the vault.
            </li>
          ))}
        </ul>
      )}
    </Part>
  );
}
