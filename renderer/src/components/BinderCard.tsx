import { useEffect, useState } from 'react';
import { RECORD_KINDS, type RecordType } from '../../../shared/record-kinds';
import { useChoosesWithDialog } from '../destination';
import { useBinderStore, type BinderChoice } from '../stores/binder-store';
import { useLibraryStore } from '../stores/library-store';
import { ErrorBanner } from './ErrorBanner';
import './binder.css';

type Mode = 'service' | 'search' | 'all';

function kindLabel(type: string, n: number): string {
  const kind = (RECORD_KINDS as Record<string, { label: string; plural: string } | undefined>)[type as RecordType];
  return kind ? (n === 1 ? kind.label : kind.plural) : type;
}

/** The contents page, as the binder will print it: the preview before anything is written. */
function BinderPreview() {
  const { contents, written, busy, print, discardPreview } = useBinderStore();
  const [path, setPath] = useState('');
  const withDialog = useChoosesWithDialog();
  if (!contents) {
    return null;
  }
  const counts = Object.entries(contents.summary.byType).map(([type, n]) => `${n} ${kindLabel(type, n).toLowerCase()}`);
  return (
    <div className="binder-preview" data-testid="binder-preview" aria-label="Binder preview">
      <h3>Preview: {contents.summary.chosenBy}</h3>
      <p>
        {contents.summary.records} records ({counts.join(', ')}). Sealed values are not printed: each says “sealed: open in Lifeboat” or where its key location
        is.
      </p>
      {contents.waves.length > 0 && (
        <ol className="binder-waves" aria-label="Recovery waves">
          {contents.waves.map((wave, i) => (
            <li key={i}>
              Wave {i + 1}: {wave.join(', ')}
            </li>
          ))}
        </ol>
      )}
      <table className="binder-contents">
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Kind</th>
            <th scope="col">Footer on its pages</th>
          </tr>
        </thead>
        <tbody>
          {contents.entries.map((e) => (
            <tr key={e.id}>
              <td>{e.title}</td>
              <td>{kindLabel(e.type, 1)}</td>
              <td className="binder-id">
                {e.id} · revision {e.revision} · hash {e.hash}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="quorum-form"
        onSubmit={(event) => {
          event.preventDefault();
          void print(path.trim());
        }}
      >
        {!withDialog && (
          <label>
            Save the binder as (PDF)
            <input
              value={path}
              onChange={(e) => {
                setPath(e.target.value);
              }}
              placeholder="/media/usb/lifeboat-binder.pdf"
              required
              spellCheck={false}
            />
          </label>
        )}
        <div className="form-actions">
          <button type="submit" disabled={busy}>
            Save PDF…
          </button>
          <button type="button" className="secondary" onClick={discardPreview}>
            Discard preview
          </button>
        </div>
      </form>
      {written && (
        <p className="banner banner-ok" role="status" data-testid="binder-written">
          Binder written to {written.path} ({written.records} records, {Math.max(1, Math.round(written.bytes / 1024))} KB). Its printing is in the audit log;
          the readiness review says when its records change.
        </p>
      )}
    </div>
  );
}

/** Is a printed page still current? The text of its QR code, pasted or typed. */
function PageCheck() {
  const { check, checkError, verify } = useBinderStore();
  const [code, setCode] = useState('');
  const tone = check?.status === 'current' ? 'banner-ok' : check?.status === 'changed' ? 'banner-warn' : 'banner-error';
  return (
    <form
      className="quorum-form"
      onSubmit={(event) => {
        event.preventDefault();
        void verify(code);
      }}
    >
      <h3>Check a printed page</h3>
      <label>
        The page's code (scan its QR code, or type the line under it)
        <input
          value={code}
          onChange={(e) => {
            setCode(e.target.value);
          }}
          placeholder="lifeboat-binder:1:…"
          required
          spellCheck={false}
          data-testid="binder-code"
        />
      </label>
      <div className="form-actions">
        <button type="submit">Check page</button>
      </div>
      {checkError && <ErrorBanner error={checkError} />}
      {check && (
        <div className={`banner ${tone}`} role="status" data-testid="binder-check">
          <p>{check.message}</p>
          {check.changes.length > 0 && (
            <ul className="binder-changes">
              {check.changes.map((c) => (
                <li key={c.revision}>
                  Revision {c.revision}: {c.action} {c.at.replace('T', ' ').slice(0, 16)} UTC by {c.by}
                  {c.changed.length > 0 ? ` (${c.changed.join(', ')})` : ''}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}

/**
 * The printed binder (issue #21): a paper copy of chosen records for when
 * the recovery laptop itself fails. Choose, preview the contents, save the
 * PDF; later, check whether a printed page is still current.
 */
export function BinderCard() {
  const records = useLibraryStore((s) => s.records);
  const load = useLibraryStore((s) => s.load);
  const { busy, error, preview } = useBinderStore();
  const [mode, setMode] = useState<Mode>('service');
  const [service, setService] = useState('');
  const [query, setQuery] = useState('');
  const services = records.filter((r) => r.type === 'service').sort((a, b) => a.title.localeCompare(b.title));

  useEffect(() => {
    if (records.length === 0) {
      void load();
    }
  }, [records.length, load]);

  const choice = (): BinderChoice | null => {
    if (mode === 'all') {
      return { all: true };
    }
    if (mode === 'search') {
      return query.trim() === '' ? null : { search: query.trim() };
    }
    const picked = service || services[0]?.id || '';
    return picked === '' ? null : { services: [picked] };
  };

  return (
    <section className="card quorum-card binder-card" aria-labelledby="binder-heading" data-testid="binder-card">
      <h2 id="binder-heading">Printed binder</h2>
      <p className="muted">
        A paper copy for the day the laptop fails: cover, contents, recovery waves, call sheet, runbooks, break-glass procedures and key locations. Every page
        names its record, revision and content hash, and each record has a QR code to check it later. Secrets are never printed.
      </p>
      <form
        className="quorum-form"
        onSubmit={(event) => {
          event.preventDefault();
          const chosen = choice();
          if (chosen) {
            void preview(chosen);
          }
        }}
      >
        <fieldset className="binder-modes">
          <legend>Which records</legend>
          <label>
            <input
              type="radio"
              name="binder-mode"
              checked={mode === 'service'}
              onChange={() => {
                setMode('service');
              }}
            />{' '}
            A service and what it needs
          </label>
          <label>
            <input
              type="radio"
              name="binder-mode"
              checked={mode === 'search'}
              onChange={() => {
                setMode('search');
              }}
            />{' '}
            Records matching a search
          </label>
          <label>
            <input
              type="radio"
              name="binder-mode"
              checked={mode === 'all'}
              onChange={() => {
                setMode('all');
              }}
            />{' '}
            Everything but secrets
          </label>
        </fieldset>
        {mode === 'service' &&
          (services.length === 0 ? (
            <p className="muted">This vault has no service yet: add one, or choose a search.</p>
          ) : (
            <label>
              Service
              <select
                value={service || services[0]?.id}
                onChange={(e) => {
                  setService(e.target.value);
                }}
                data-testid="binder-service"
              >
                {services.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.title}
                  </option>
                ))}
              </select>
            </label>
          ))}
        {mode === 'search' && (
          <label>
            Search
            <input
              value={query}
              onChange={(e) => {
                setQuery(e.target.value);
              }}
              placeholder="restore database"
              spellCheck={false}
            />
          </label>
        )}
        <div className="form-actions">
          <button type="submit" disabled={busy || choice() === null}>
            Preview binder
          </button>
        </div>
      </form>
      {error && <ErrorBanner error={error} />}
      <BinderPreview />
      <PageCheck />
    </section>
  );
}
