import { bytesInWords } from '../../../shared/byte-size';
import type { SyncReportView } from '../../../shared/vault-contract';
import { useSyncStore } from '../stores/sync-store';
import { BrowseButton } from './BrowseButton';
import { ErrorBanner } from './ErrorBanner';
import { SyncProgress, WordDiff } from './SyncDiff';
import { SyncFixes, SyncFixNotes } from './SyncFixes';
import { AdoptionNotice, ArchiveWarning, CatalogIdQuestion, IdProvenance } from './SyncGuards';

type Change = SyncReportView['diff']['added'][number];

/** The check's word diff for a change: sent with it, or kept from the check once applied. */
function useContent(change: Change) {
  const reviewed = useSyncStore((s) => s.reviewed);
  return change.content ?? (Object.hasOwn(reviewed, change.key) ? reviewed[change.key] : undefined) ?? [];
}

function ChangeItem({ change, showFields }: { change: Change; showFields: boolean }) {
  const content = useContent(change);
  return (
    <li>
      <span className={`type-tag type-${change.type}`}>{change.type}</span> {change.title} <span className="muted">{change.file}</span>
      {showFields && change.fields.length > 0 && <span className="muted"> — {change.fields.join(', ')}</span>}
      {showFields && <WordDiff fields={content} />}
    </li>
  );
}

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
          <ChangeItem key={c.key} change={c} showFields={title !== 'Added'} />
        ))}
      </ul>
    </details>
  );
}

function ConflictChoice({ change, taken, onToggle }: { change: Change; taken: boolean; onToggle: () => void }) {
  const content = useContent(change);
  return (
    <div className="conflict">
      <label>
        <input type="checkbox" checked={taken} onChange={onToggle} /> take the catalog’s version of “{change.title}”
        <span className="muted">
          {' '}
          ({change.fields.join(', ')}; unticked keeps the local edit, and this conflict is not asked again until the catalog changes it)
        </span>
      </label>
      <WordDiff fields={content} testId="conflict-diff" />
    </div>
  );
}

/** "this vault has version 1" before; after applying, the version it has now (issue 19). */
function VersionNote({ report, applied }: { report: Report; applied: boolean }) {
  if (applied && report.signature === 'verified') {
    return (
      <span className="muted" data-testid="sync-version">
        {' '}
        — this vault now has version {report.catalogVersion}
        {report.previousVersion !== null ? ` (was ${report.previousVersion})` : ''}
      </span>
    );
  }
  return report.previousVersion !== null ? (
    <span className="muted" data-testid="sync-version">
      {' '}
      — this vault has version {report.previousVersion}
    </span>
  ) : null;
}

type Report = SyncReportView;

/** The runbooks' images the catalog carries (stored encrypted with its records), when it carries or had any. */
function ImageCounts({ report }: { report: Report }) {
  const { images } = report;
  const carried = images.added.length + images.changed.length + images.unchanged;
  if (carried === 0 && images.removed.length === 0) {
    return null;
  }
  return (
    <p className="muted" data-testid="sync-images">
      Images: {carried} carried ({bytesInWords(images.bytes)}) — {images.added.length} new, {images.changed.length} changed, {images.removed.length} removed.
    </p>
  );
}

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
  const { path, preview, result, takeCatalog, confirmArchive, progress, steps, busy, error, setPath, check, toggleConflict, apply } = useSyncStore();
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
      <SyncFixes />
      {!report && <SyncProgress progress={progress} steps={steps} busy={busy} />}
      {report && (
        <div className="sync-report" data-testid="sync-report">
          <p>
            <strong>{report.catalogId}</strong> version {report.catalogVersion} from <strong>{report.publisher}</strong>{' '}
            <span className={report.signature === 'verified' ? 'pill pill-ok' : 'pill pill-bad'}>
              {report.signature === 'verified' ? 'signature verified' : 'unsigned'}
            </span>
            <VersionNote report={report} applied={Boolean(result)} />
            <IdProvenance report={report} />
          </p>
          <SyncFixNotes />
          <p data-testid="sync-counts">
            {result ? 'Applied: ' : 'Would apply: '}
            {report.diff.added.length} added, {report.diff.changed.length} changed, {report.diff.removed.length} archived, {report.diff.conflicts.length}{' '}
            conflicts, {report.diff.unchanged} unchanged
            {report.adoption?.adopted ? `, ${String(report.adoption.entries.length)} adopted` : ''}
            {report.diff.keptLocal > 0 ? ` (of which ${String(report.diff.keptLocal)} kept local earlier: the catalog has not changed them since)` : ''}.
          </p>
          <ImageCounts report={report} />
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
                <ConflictChoice
                  key={c.key}
                  change={c}
                  taken={takeCatalog.has(c.key)}
                  onToggle={() => {
                    toggleConflict(c.key);
                  }}
                />
              ))}
            </fieldset>
          )}
          {!result && (
            <div className="card-actions">
              <button type="button" className="primary" onClick={() => void apply()} disabled={busy || unconfirmed}>
                Apply this sync
              </button>
            </div>
          )}
          <SyncProgress progress={progress} steps={steps} busy={busy} />
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
