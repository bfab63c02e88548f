import type { SyncReportView } from '../../../shared/vault-contract';
import { useSyncStore } from '../stores/sync-store';
import { BrowseButton } from './BrowseButton';
import { ErrorBanner } from './ErrorBanner';
import { AdoptionNotice, ArchiveWarning, CatalogIdQuestion, IdProvenance } from './SyncGuards';

type Change = SyncReportView['diff']['added'][number];

function Group({ title, changes, testId }: { title: string; changes: Change[]; testId: string }) {
  if (changes.length === 0) {
    return null;
  }
  return (
    <details open={changes.length <= 12} data-testid={testId}>
      <summary>
        {title} ({changes.length})
      </summary>
      <ul className="diff-list">
        {changes.map((c) => (
          <li key={c.key}>
            <span className={`type-tag type-${c.type}`}>{c.type}</span> {c.title} <span className="muted">{c.file}</span>
            {c.fields.length > 0 && title !== 'Added' && <span className="muted"> — {c.fields.join(', ')}</span>}
          </li>
        ))}
      </ul>
    </details>
  );
}

type Report = SyncReportView;

/** Files left out (not catalog entities) and what the publisher should fix: shown, never blocking. */
function SkippedAndWarnings({ report }: { report: Report }) {
  return (
    <>
      {report.warnings.length > 0 && (
        <details open={report.warnings.length <= 12} data-testid="sync-warnings">
          <summary>Warnings for the publisher ({report.warnings.length})</summary>
          <ul className="diff-list sync-notes">
            {report.warnings.map((w, i) => (
              <li key={i}>{w.message}</li>
            ))}
          </ul>
        </details>
      )}
      {report.skipped.length > 0 && (
        <details open={report.skipped.length <= 12} data-testid="sync-skipped">
          <summary>Skipped, not catalog entities ({report.skipped.length})</summary>
          <ul className="diff-list sync-notes">
            {report.skipped.map((s, i) => (
              <li key={i}>
                {s.file}
                {s.line ? `:${s.line}` : ''} <span className="muted">— {s.reason}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}

/** Pick a signed catalog (or an owner's folder), see publisher and diff, settle conflicts and guards, apply with progress. */
export function SyncScreen() {
  const { path, preview, result, takeCatalog, confirmArchive, progress, busy, error, setPath, check, toggleConflict, apply } = useSyncStore();
  const report = result ?? preview;
  const unconfirmed = Boolean(report?.archive.needsConfirmation) && !confirmArchive;
  return (
    <section className="card sync" aria-labelledby="sync-heading">
      <h2 id="sync-heading">Sync a catalog</h2>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          void check();
        }}
      >
        <label>
          Catalog file (.lbcat), or a folder (owners: synced unsigned)
          <input
            value={path}
            onChange={(e) => {
              setPath(e.target.value);
            }}
            placeholder="/media/usb/ops-catalog-v12.lbcat"
            required
            spellCheck={false}
          />
        </label>
        <BrowseButton purpose="catalog" onPick={setPath} />
        <button type="submit" disabled={busy}>
          Check
        </button>
      </form>
      <CatalogIdQuestion />
      {error && <ErrorBanner error={error} context="catalog" />}
      {report && (
        <div className="sync-report" data-testid="sync-report">
          <p>
            <strong>{report.catalogId}</strong> version {report.catalogVersion} from <strong>{report.publisher}</strong>{' '}
            <span className={report.signature === 'verified' ? 'pill pill-ok' : 'pill pill-bad'}>
              {report.signature === 'verified' ? 'signature verified' : 'unsigned'}
            </span>
            {report.previousVersion !== null && <span className="muted"> — this vault has version {report.previousVersion}</span>}
            <IdProvenance report={report} />
          </p>
          <p data-testid="sync-counts">
            {result ? 'Applied: ' : 'Would apply: '}
            {report.diff.added.length} added, {report.diff.changed.length} changed, {report.diff.removed.length} archived, {report.diff.conflicts.length}{' '}
            conflicts, {report.diff.unchanged} unchanged
            {report.adoption?.adopted ? `, ${String(report.adoption.entries.length)} adopted` : ''}.
          </p>
          <ArchiveWarning report={report} applied={Boolean(result)} />
          <AdoptionNotice report={report} applied={Boolean(result)} />
          <Group title="Added" changes={report.diff.added} testId="diff-added" />
          <Group title="Changed" changes={report.diff.changed} testId="diff-changed" />
          <Group title="Removed (will be archived, not deleted)" changes={report.diff.removed} testId="diff-removed" />
          <SkippedAndWarnings report={report} />
          {report.diff.conflicts.length > 0 && (
            <fieldset className="conflicts" disabled={Boolean(result)}>
              <legend>Conflicts: edited here since the last sync, and changed in the catalog</legend>
              {report.diff.conflicts.map((c) => (
                <label key={c.key}>
                  <input
                    type="checkbox"
                    checked={takeCatalog.has(c.key)}
                    onChange={() => {
                      toggleConflict(c.key);
                    }}
                  />{' '}
                  take the catalog’s version of “{c.title}”<span className="muted"> ({c.fields.join(', ')}; unticked keeps the local edit)</span>
                </label>
              ))}
            </fieldset>
          )}
          {!result && (
            <div className="card-actions">
              <button type="button" className="primary" onClick={() => void apply()} disabled={busy || unconfirmed}>
                Apply this sync
              </button>
              {busy && progress && (
                <span className="progress" data-testid="sync-progress">
                  <progress max={progress.total ?? 1} value={progress.total ? progress.done : 0} /> {progress.label}
                </span>
              )}
            </div>
          )}
          {result && (
            <p className="banner banner-ok" data-testid="sync-done">
              Synced. Every change is a revision in its record’s history; the sync is in the audit log.
            </p>
          )}
        </div>
      )}
    </section>
  );
}
