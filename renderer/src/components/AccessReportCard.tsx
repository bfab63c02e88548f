import { useState } from 'react';
import { ACCESS_SECTION_TITLES, CONTROL_DISCLAIMER, type AccessReport, type AccessReportFormat } from '../../../shared/access-report';
import { suggestedFileName, withFormatExtension } from '../../../shared/save-names';
import { useChoosesWithDialog } from '../destination';
import { useAuditViewStore } from '../stores/audit-view-store';
import { ErrorBanner } from './ErrorBanner';

const FORMATS: readonly { format: AccessReportFormat; label: string; placeholder: string }[] = [
  { format: 'pdf', label: 'PDF', placeholder: `/media/usb/${suggestedFileName('access-report', 'pdf')}` },
  { format: 'markdown', label: 'Markdown', placeholder: `/media/usb/${suggestedFileName('access-report', 'markdown')}` },
  { format: 'json', label: 'JSON (signed)', placeholder: `/media/usb/${suggestedFileName('access-report', 'json')}` },
];

function when(iso: string): string {
  return new Date(iso).toLocaleString();
}

function count(n: number, noun: string): string {
  return `${String(n)} ${noun}${n === 1 ? '' : 's'}`;
}

function periodText(report: AccessReport): string {
  const { from, to } = report.period;
  if (from === null && to === null) {
    return 'the whole log';
  }
  return `${from === null ? 'the start' : when(from)} to ${to === null ? 'now' : when(to)}`;
}

function Preview({ report }: { report: AccessReport }) {
  const outstanding = report.rotation.filter((r) => r.rotatedAt === null);
  return (
    <div className="access-preview" data-testid="access-preview" tabIndex={0} aria-label="Report preview">
      <p>
        Period: <strong>{periodText(report)}</strong> · {report.period.events} events
      </p>
      <ul className="access-summary">
        <li>
          {count(report.unlocks.length, 'unlock')} ({report.unlocks.filter((u) => u.method === 'quorum').length} by recovery quorum)
        </li>
        <li>{count(report.reveals.length, 'secret')} revealed or copied</li>
        <li>
          {count(report.sessions.filter((s) => s.kind === 'incident').length, 'incident')},{' '}
          {count(report.sessions.filter((s) => s.kind === 'exercise').length, 'exercise')}
        </li>
        <li className={outstanding.length > 0 ? 'bad' : undefined}>
          {outstanding.length === 0 ? 'Every revealed secret was rotated' : `${count(outstanding.length, 'revealed secret')} not rotated`}
        </li>
        <li>
          {count(
            report.failedUnlocks.reduce((n, f) => n + f.count, 0),
            'failed attempt',
          )}
        </li>
        <li>{count(report.changes.length, 'configuration change')}</li>
      </ul>
      <h3>{ACCESS_SECTION_TITLES.reveals}</h3>
      {report.reveals.length === 0 ? (
        <p className="muted">No secret was revealed or copied in this period.</p>
      ) : (
        <ol className="access-reveals">
          {report.reveals.map((r) => (
            <li key={r.seq}>
              <time dateTime={r.at}>{when(r.at)}</time>
              <span>
                <strong>{r.actor}</strong>
                {r.secondMember && <> with {r.secondMember}</>} {r.action} “{r.recordTitle}”{r.reason && <span className="reason"> — why: {r.reason}</span>}
                <span className="muted"> · {r.sessionKind === null ? 'outside any session' : `during an ${r.sessionKind}`}</span>
              </span>
            </li>
          ))}
        </ol>
      )}
      <p className="muted">
        The saved report adds unlocks, failed attempts, approvals, sessions, rotation, configuration changes and a control mapping. {CONTROL_DISCLAIMER}
      </p>
    </div>
  );
}

/** The emergency-access report for the filter's period: a preview, then "Save as PDF / Markdown / JSON". */
export function AccessReportCard() {
  const { report, reportBusy, savedTo, error, filter, previewReport, saveReport } = useAuditViewStore();
  const withDialog = useChoosesWithDialog();
  const [format, setFormat] = useState<AccessReportFormat>('pdf');
  const [path, setPath] = useState('');
  const chosen = FORMATS.find((f) => f.format === format) ?? FORMATS[0];
  const period = filter.from || filter.to ? `${filter.from ?? 'the start'} to ${filter.to ?? 'now'}` : 'the whole log';

  return (
    <section className="card" aria-labelledby="access-heading">
      <div className="card-title">
        <h2 id="access-heading">Emergency-access report</h2>
      </div>
      <p className="muted">
        Who got in and how, every reveal with its reason, exercises and incidents, rotation afterwards, and changes to who may get in: for {period} (set the
        period in the filters). It never contains a secret value.
      </p>
      <div className="card-actions">
        <button type="button" onClick={() => void previewReport()} disabled={reportBusy}>
          Preview report
        </button>
      </div>
      {report && <Preview report={report} />}
      <form
        className="inline-form access-report-form"
        onSubmit={(event) => {
          event.preventDefault();
          void saveReport(format, path.trim());
        }}
      >
        <label>
          <span>Report format</span>
          <select
            value={format}
            onChange={(e) => {
              const next = e.target.value as AccessReportFormat;
              setFormat(next);
              // A typed name follows the format: "access.pdf" becomes "access.md" for Markdown.
              setPath((typed) => withFormatExtension(typed, next));
            }}
          >
            {FORMATS.map((f) => (
              <option key={f.format} value={f.format}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        {!withDialog && (
          <label>
            <span>Save to file</span>
            <input
              value={path}
              onChange={(e) => {
                setPath(e.target.value);
              }}
              placeholder={chosen?.placeholder}
              required
              spellCheck={false}
            />
          </label>
        )}
        <button type="submit" disabled={reportBusy}>
          Save as {chosen?.label.replace(' (signed)', '')}
          {withDialog ? '…' : ''}
        </button>
      </form>
      {savedTo && (
        <p className="muted" data-testid="access-saved">
          Saved to {savedTo}.
          {format === 'json' && (
            <>
              {' '}
              Anyone can check it without a key: <code>lifeboat audit verify --export {savedTo}</code>
            </>
          )}
        </p>
      )}
      {error && <ErrorBanner error={error} />}
    </section>
  );
}
