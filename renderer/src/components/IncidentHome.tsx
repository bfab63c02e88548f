import { useEffect } from 'react';
import type { RecordSummary } from '../../../shared/records';
import { useAppStore } from '../stores/app-store';
import { useRecoveryStore } from '../stores/recovery-store';
import { OnCallCard } from './OnCallCard';
import { useHomeStore } from '../stores/home-store';
import { useLibraryStore } from '../stores/library-store';
import { useSessionsStore } from '../stores/sessions-store';
import { SecretAttentionLine } from './SecretAttentionLine';

const STALE_DAYS = 30;

function age(iso: string): { text: string; days: number } {
  const ms = Date.now() - Date.parse(iso);
  const days = Math.floor(ms / 86_400_000);
  const hours = Math.floor(ms / 3_600_000);
  return { text: days >= 1 ? `${days} day${days === 1 ? '' : 's'} ago` : hours >= 1 ? `${hours} h ago` : 'just now', days };
}

/**
 * With no record open, the pane beside the results: sync status, running sessions, pinned
 * break-glass procedures, the call list and the records opened this session, side by side
 * as far as the width allows (docs/window.md, "Layout").
 */
export function IncidentHome({ records }: { records: RecordSummary[] }) {
  const { callList, catalog, running, incidentServices, load } = useHomeStore();
  // The services of the running incident, else those picked in the plan (issue 23).
  const planned = useRecoveryStore((s) => s.down);
  const onCallFor = incidentServices.length > 0 ? incidentServices : planned;
  const open = useLibraryStore((s) => s.open);
  const recent = useLibraryStore((s) => s.recent);
  const setView = useAppStore((s) => s.setView);
  const openSession = useSessionsStore((s) => s.open);
  const resume = (id: string): void => {
    setView('sessions');
    void openSession(id, false);
  };

  useEffect(() => {
    void load();
  }, [load]);

  const procedures = records.filter((r) => r.type === 'procedure');
  const last = catalog?.last ?? null;
  const lastAge = last ? age(last.at) : null;

  return (
    <section className="card incident-home" aria-label="Incident home" data-testid="incident-home">
      <p className={lastAge && lastAge.days > STALE_DAYS ? 'sync-line sync-stale' : 'sync-line'} data-testid="sync-line">
        {last && lastAge
          ? `Catalog ${last.catalogId} v${last.version} from ${last.publisher}, synced ${lastAge.text}${lastAge.days > STALE_DAYS ? ' — stale: sync a newer catalog' : ''}`
          : 'No catalog synced yet: runbooks here were added by hand.'}
      </p>
      <SecretAttentionLine revision={records.map((r) => `${r.id}@${r.revision}`).join(',')} />
      {onCallFor.length > 0 && (
        <OnCallCard serviceIds={onCallFor} heading={incidentServices.length > 0 ? 'On call now for this incident' : 'On call now for the planned services'} />
      )}
      {running.length > 0 && (
        <section aria-labelledby="running-heading" data-testid="running-sessions">
          <h3 id="running-heading">Running now</h3>
          <ul className="pinned">
            {running.map((r) => (
              <li key={r.id}>
                <button
                  type="button"
                  className="result"
                  onClick={() => {
                    resume(r.id);
                  }}
                >
                  <span className={r.kind === 'incident' ? 'type-tag running-incident' : 'type-tag running-exercise'}>
                    {r.kind === 'incident' ? 'INCIDENT' : 'exercise'}
                  </span>
                  <span className="result-title">{r.scenario}</span>
                  <span className="muted">
                    {' '}
                    · useful {r.useful} of {r.services}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {procedures.length > 0 && (
        <section aria-labelledby="pinned-heading">
          <h3 id="pinned-heading">Break-glass</h3>
          <ul className="pinned">
            {procedures.map((p) => (
              <li key={p.id}>
                <button type="button" className="result" onClick={() => void open(p.id)}>
                  <span className="type-tag type-procedure">break-glass</span>
                  <span className="result-title">{p.title}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {callList && callList.length > 0 && (
        <section aria-labelledby="calls-heading">
          <h3 id="calls-heading">Call list</h3>
          <ol className="call-list" data-testid="call-list">
            {callList.slice(0, 8).map((c) => (
              <li key={c.id}>
                <span className="result-title">{c.name}</span>
                {c.role && <span className="muted"> · {c.role}</span>}
                <div className="call-ways">
                  {c.phones.map((phone) => (
                    <code key={phone}>{phone}</code>
                  ))}
                  {c.channels.map((channel) => (
                    <span key={channel} className="muted">
                      {channel}
                    </span>
                  ))}
                </div>
              </li>
            ))}
          </ol>
        </section>
      )}
      {recent.length > 0 && (
        <section aria-labelledby="recent-heading" data-testid="recently-opened">
          <h3 id="recent-heading">Recently opened</h3>
          <ul className="pinned">
            {recent.map((r) => (
              <li key={r.id}>
                <button type="button" className="result" onClick={() => void open(r.id)}>
                  <span className={`type-tag type-${r.type}`}>{r.type}</span>
                  <span className="result-title">{r.title}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {procedures.length === 0 && running.length === 0 && recent.length === 0 && (!callList || callList.length === 0) && (
        <p className="muted">Press Ctrl K and type: results appear as you type. Pick one on the left to read it here.</p>
      )}
    </section>
  );
}
