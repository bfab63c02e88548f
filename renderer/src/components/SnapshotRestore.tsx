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

export function SnapshotRestore({ dir, member, passphrase, onRestored }: { dir: string; member: string; passphrase: string; onRestored: () => void }) {
  const [generations, setGenerations] = useState<Generation[] | null>(null);
  const [chosen, setChosen] = useState<number | null>(null);
  const [sure, setSure] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<LifeboatErrorShape | null>(null);
  const [restored, setRestored] = useState<number | null>(null);

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
          {generations.map((g) => (
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
