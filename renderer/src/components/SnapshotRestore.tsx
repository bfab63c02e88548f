/**
 * The unlock screen's way out of a damaged newest snapshot (issue 19, item
 * 9): an owner checks every snapshot with their own passphrase and restores
 * a good one (main's `vault:doctor`, the engine call `lifeboat doctor`
 * makes; logged as doctor.restored). The vault stays locked: unlock after.
 */
import { useState } from 'react';
import type { LifeboatErrorShape } from '../../../shared/errors';
import { invoke } from '../lifeboat-client';
import { ErrorBanner } from './ErrorBanner';
import './snapshot-restore.css';

interface Generation {
  generation: number;
  status: 'unchecked' | 'ok' | 'damaged' | 'other-epoch' | 'refused';
  savedAt?: string | undefined;
  savedBy?: string | undefined;
  detail?: string | undefined;
}

const STATUS: Record<Generation['status'], string> = {
  ok: 'readable',
  damaged: 'damaged',
  'other-epoch': 'made with older keys',
  refused: 'not a snapshot',
  unchecked: 'not checked',
};

/** Readable generations listed before "Show all": the newest few are what a restore picks from. */
const READABLE_SHOWN = 5;

/**
 * Every generation that is not readable (what went wrong is the point), and
 * the newest READABLE_SHOWN readable ones; the rest on request. A vault that
 * saves deltas keeps the files its newest generations build on, so a dozen
 * or more can be on disk (docs/vault-format.md, "Snapshots").
 */
function shownGenerations(generations: readonly Generation[], all: boolean): Generation[] {
  const newestReadable = new Set(generations.filter((g) => g.status === 'ok').slice(0, READABLE_SHOWN));
  return generations.filter((g) => all || g.status !== 'ok' || newestReadable.has(g));
}

export function SnapshotRestore({ dir, member, passphrase, onRestored }: { dir: string; member: string; passphrase: string; onRestored: () => void }) {
  const [generations, setGenerations] = useState<Generation[] | null>(null);
  const [chosen, setChosen] = useState<number | null>(null);
  const [sure, setSure] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<LifeboatErrorShape | null>(null);
  const [restored, setRestored] = useState<number | null>(null);
  const [showAll, setShowAll] = useState(false);

  const run = async (restore?: number): Promise<void> => {
    setBusy(true);
    setFailure(null);
    const result = await invoke('vault:doctor', { dir, member, passphrase, ...(restore === undefined ? {} : { restore }) });
    setBusy(false);
    if (!result.ok) {
      setFailure(result.error);
      return;
    }
    setGenerations(result.value.generations);
    if (result.value.restored !== null) {
      setRestored(result.value.restored);
      onRestored();
    }
  };

  if (restored !== null) {
    return (
      <p className="banner banner-ok" role="status" data-testid="snapshot-restored">
        Generation {restored} is the newest snapshot again; the restore is in the audit log and the damaged files are in the vault’s quarantine folder. Unlock
        again to carry on.
      </p>
    );
  }
  return (
    <div className="snapshot-restore" data-testid="snapshot-restore">
      {generations === null ? (
        <button type="button" disabled={busy || passphrase === '' || member === ''} onClick={() => void run()}>
          Check the snapshots (owners, with the passphrase above)
        </button>
      ) : (
        <fieldset>
          <legend>Snapshots on disk, newest first</legend>
          {shownGenerations(generations, showAll).map((g) => (
            <label key={g.generation}>
              <input
                type="radio"
                name="restore-generation"
                disabled={g.status !== 'ok'}
                checked={chosen === g.generation}
                onChange={() => {
                  setChosen(g.generation);
                }}
              />{' '}
              Generation {g.generation}: {STATUS[g.status]}
              {g.savedAt ? (
                <span className="muted">
                  {' '}
                  — saved {new Date(g.savedAt).toLocaleString()} by {g.savedBy ?? '?'}
                </span>
              ) : null}
            </label>
          ))}
          {!showAll && shownGenerations(generations, false).length < generations.length ? (
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setShowAll(true);
              }}
            >
              Show all {generations.length} snapshots (older readable ones too)
            </button>
          ) : null}
          <label>
            <input
              type="checkbox"
              checked={sure}
              onChange={(e) => {
                setSure(e.target.checked);
              }}
            />{' '}
            Make it the newest: changes saved after it are lost (the damaged files are kept in quarantine)
          </label>
          <button type="button" className="primary" disabled={busy || chosen === null || !sure} onClick={() => void run(chosen ?? undefined)}>
            Restore generation {chosen ?? '…'}
          </button>
        </fieldset>
      )}
      {failure && <ErrorBanner error={failure} />}
    </div>
  );
}
