import { useEffect, useState } from 'react';
import { AUDIT_EVENT_LABELS } from '../../../shared/audit-events';
import { AUDIT_EXPORT_FORMAT_NAMES, AUDIT_EXPORT_FORMATS, type AuditExportFormat } from '../../../shared/audit-export-formats';
import { AUDIT_PAGE_SIZE } from '../../../shared/audit-filter';
import { suggestedFileName, withFormatExtension } from '../../../shared/save-names';
import { useChoosesWithDialog } from '../destination';
import { useAuditStore } from '../stores/audit-store';
import { useAuditViewStore } from '../stores/audit-view-store';
import { useSessionStore } from '../stores/session-store';
import { AccessReportCard } from './AccessReportCard';
import { AuditFilterBar } from './AuditFilterBar';
import { ErrorBanner } from './ErrorBanner';

const LABELS: Readonly<Record<string, string>> = AUDIT_EVENT_LABELS;

/** Who opened what, when and why: the filtered timeline, a verification badge, export, the access report. */
export function AuditScreen() {
  const { checks, verifiedRecords, exportedTo, exportedFormat, error, busy, verify, exportTo } = useAuditStore();
  const [format, setFormat] = useState<AuditExportFormat>('lifeboat');
  const { page, loading, query, setFilter } = useAuditViewStore();
  const vaultId = useSessionStore((s) => s.session?.vaultId ?? '');
  const [path, setPath] = useState('');
  const withDialog = useChoosesWithDialog();

  useEffect(() => {
    // Filtering runs in main: the window asks for one page of what matches (shared/audit-filter.ts).
    void query();
  }, [query]);

  const shown = page?.entries ?? [];

  return (
    <div className="audit">
      <div className="audit-column">
        <section className="card" aria-labelledby="verify-heading">
          <div className="card-title">
            <h2 id="verify-heading">Integrity</h2>
            {checks && (
              <span className="pill pill-ok" data-testid="verified-badge">
                Verified: {verifiedRecords} records
              </span>
            )}
          </div>
          {checks ? (
            <ul className="check-list" data-testid="verify-checks">
              {checks.map((check) => (
                <li key={check}>✓ {check}</li>
              ))}
            </ul>
          ) : (
            <p className="muted">Checks the hash chain, every signature, times, and the head sealed in the vault.</p>
          )}
          <div className="card-actions">
            <button type="button" onClick={() => void verify()} disabled={busy}>
              Verify the log
            </button>
            <form
              className="inline-form"
              onSubmit={(event) => {
                event.preventDefault();
                void exportTo(path.trim(), format);
              }}
            >
              <label className="export-format">
                <span>Export format</span>
                <select
                  value={format}
                  onChange={(e) => {
                    const next = e.target.value as AuditExportFormat;
                    setFormat(next);
                    // A typed name follows the format: "audit.json" becomes "audit.cef" for CEF.
                    setPath((typed) => withFormatExtension(typed, next));
                  }}
                >
                  {AUDIT_EXPORT_FORMAT_NAMES.map((name) => (
                    <option key={name} value={name}>
                      {AUDIT_EXPORT_FORMATS[name].label}
                    </option>
                  ))}
                </select>
              </label>
              {/* The desktop shell asks where with main's save dialog: no path field to fill. */}
              {!withDialog && (
                <label>
                  <span className="visually-hidden">Export to file</span>
                  <input
                    value={path}
                    onChange={(e) => {
                      setPath(e.target.value);
                    }}
                    placeholder={`/media/usb/${suggestedFileName('audit-export', format)}`}
                    required
                    spellCheck={false}
                  />
                </label>
              )}
              <button type="submit" disabled={busy}>
                {withDialog ? 'Export for governance…' : 'Export for governance'}
              </button>
            </form>
          </div>
          {exportedTo &&
            (exportedFormat === 'lifeboat' ? (
              <p className="muted" data-testid="exported">
                Exported to {exportedTo}. Anyone can check it without a key: <code>lifeboat audit verify --export {exportedTo}</code>
              </p>
            ) : (
              <p className="muted" data-testid="exported">
                Exported a {exportedFormat.toUpperCase()} copy for your SIEM to {exportedTo}. The signed export stays the evidence: match this copy to one with{' '}
                <code>lifeboat audit verify --export SIGNED.json --siem {exportedTo}</code>
              </p>
            ))}
          {error && <ErrorBanner error={error} />}
        </section>
        <AccessReportCard />
      </div>
      <div className="audit-column">
        <AuditFilterBar vaultId={vaultId} />
        <section className="card" aria-labelledby="timeline-heading">
          <div className="card-title">
            <h2 id="timeline-heading">Timeline</h2>
            {page && (
              <span className="muted" data-testid="timeline-count" aria-live="polite">
                {page.total === page.logSize ? `${String(page.logSize)} events` : `${String(page.total)} of ${String(page.logSize)} events match`}
              </span>
            )}
          </div>
          {page && page.total === 0 && (
            <p className="muted" data-testid="timeline-empty">
              No event matches these filters.{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => void setFilter({ from: '', to: '', member: '', device: '', record: '', types: [], during: undefined, text: '' })}
              >
                Clear filters
              </button>
            </p>
          )}
          {/* It scrolls on its own: a tab stop, so the keyboard can scroll it too (WCAG 2.1.1). */}
          <ol className="timeline" data-testid="timeline" tabIndex={0} aria-labelledby="timeline-heading">
            {shown.map((entry) => (
              <li key={entry.seq} className={entry.event.type === 'secret.revealed' ? 'timeline-reveal' : undefined}>
                <time dateTime={entry.time}>{new Date(entry.time).toLocaleString()}</time>
                <span>
                  <strong>{entry.event.actor}</strong> <span className="muted">({entry.event.role})</span> {LABELS[entry.event.type] ?? entry.event.type}
                  {entry.event.recordTitle && <> “{entry.event.recordTitle}”</>}
                  {entry.event.field && <> — {entry.event.field}</>}
                  {entry.event.reason && <span className="reason"> — why: {entry.event.reason}</span>}
                  {entry.event.details && (
                    <span className="muted details">
                      {' '}
                      {Object.entries(entry.event.details)
                        .map(([key, value]) => `${key} ${String(value)}`)
                        .join(' · ')}
                    </span>
                  )}
                </span>
              </li>
            ))}
          </ol>
          {page && shown.length < page.total && (
            <button type="button" onClick={() => void query(true)} disabled={loading}>
              Show {String(Math.min(AUDIT_PAGE_SIZE, page.total - shown.length))} more (of {String(page.total - shown.length)})
            </button>
          )}
        </section>
      </div>
    </div>
  );
}
