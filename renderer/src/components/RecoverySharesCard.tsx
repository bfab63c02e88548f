import { useEffect, useState } from 'react';
import type { RecoverySetView } from '../../../shared/quorum-contract';
import { useChoosesWithDialog } from '../destination';
import { QUORUM_MEMBER, useQuorumStore, type QuorumState } from '../stores/quorum-store';
import { useSessionStore } from '../stores/session-store';
import { ErrorBanner } from './ErrorBanner';
import './quorum.css';

/** Any majority: fewer custodians can never open it alone, and a minority can be unreachable. */
function majority(count: number): number {
  return Math.floor(count / 2) + 1;
}

/** The last part of a path, on any platform (sheets are listed by name under their folder). */
function splitPath(path: string): { folder: string; name: string } {
  const at = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return { folder: path.slice(0, at), name: path.slice(at + 1) };
}

/**
 * Owner's card: the vault's recovery shares (M of N custodians can open it
 * without any member's passphrase), creating or rotating them onto printed
 * sheets, and revoking them. Shares never come back over IPC: the sheets are
 * written by main, and only their file names are listed here.
 */
export function RecoverySharesCard() {
  const { status, written, notice, error, busy, loadStatus, revoke, reset } = useQuorumStore();
  const isQuorum = useSessionStore((s) => s.session?.member === QUORUM_MEMBER);
  const [rotating, setRotating] = useState(false);

  // What was written in an earlier visit (or another vault's session) is not shown again.
  useEffect(() => {
    reset();
    void loadStatus();
  }, [reset, loadStatus]);

  return (
    <section className="card quorum-card quorum-card-shares" aria-labelledby="shares-heading" data-testid="recovery-shares">
      <h2 id="shares-heading">Recovery shares</h2>
      <div className="quorum-columns">
        <div className="quorum-card">
          {status === undefined ? <p className="muted">Reading…</p> : status === null ? <NoShares /> : <SetFacts status={status} />}
          {notice && (
            <p className="banner banner-ok" role="status" data-testid="shares-notice">
              {notice}
            </p>
          )}
          {status && !rotating && (
            <>
              <button
                type="button"
                className="add-row"
                onClick={() => {
                  setRotating(true);
                }}
              >
                Rotate shares…
              </button>
              {isQuorum ? (
                <p className="muted">The recovery quorum cannot revoke its own shares; an owner can, with their passphrase.</p>
              ) : (
                <RevokeShares setId={status.setId} busy={busy} onRevoke={revoke} />
              )}
            </>
          )}
        </div>
        <div className="quorum-card">
          {status !== undefined && (status === null || rotating) && (
            <ShareSetForm
              current={status}
              onDone={() => {
                setRotating(false);
              }}
            />
          )}
          {error && <ErrorBanner error={error} />}
          {written && <WrittenSheets written={written} />}
        </div>
      </div>
    </section>
  );
}

function NoShares() {
  return (
    <p data-testid="shares-empty">
      No recovery shares. If no owner can unlock (owners unreachable, single sign-on down, a passphrase forgotten), nobody can open this vault. With shares, any
      M of N custodians you name can open it together, each typing the share printed on their sheet; no single sheet opens anything.
    </p>
  );
}

function SetFacts({ status }: { status: RecoverySetView }) {
  return (
    <dl className="quorum-facts" data-testid="shares-status">
      <dt>Opens with</dt>
      <dd>
        <strong>
          any {status.threshold} of {status.custodians.length} custodians
        </strong>
      </dd>
      <dt>Custodians</dt>
      <dd>{status.custodians.map((c) => `${c.index}. ${c.name}`).join(' · ')}</dd>
      <dt>Set</dt>
      <dd>
        <code data-testid="set-id">{status.setId}</code>
      </dd>
      <dt>Created</dt>
      <dd>
        {new Date(status.createdAt).toLocaleString()} by {status.createdBy}
      </dd>
    </dl>
  );
}

/** Custodians (rows), threshold (2..N, a majority unless chosen) and the sheets' folder. */
function ShareSetForm({ current, onDone }: { current: RecoverySetView | null; onDone: () => void }) {
  const { busy, createShares } = useQuorumStore();
  // Rotation usually goes to the same people: start from the current custodians.
  const [names, setNames] = useState<string[]>(() => (current ? current.custodians.map((c) => c.name) : ['', '', '']));
  const [chosen, setChosen] = useState<number | null>(null);
  const [outDir, setOutDir] = useState('');
  const withDialog = useChoosesWithDialog();
  const count = names.length;
  const threshold = chosen !== null && chosen >= 2 && chosen <= count ? chosen : majority(count);

  const submit = (event: { preventDefault: () => void }): void => {
    event.preventDefault();
    void createShares(
      threshold,
      names.map((n) => n.trim()),
      outDir.trim(),
    ).then((ok) => {
      if (ok) {
        onDone();
      }
    });
  };

  return (
    <form className="quorum-form" onSubmit={submit} aria-busy={busy}>
      <h3>{current ? 'Rotate: new sheets for the custodians' : 'Create shares'}</h3>
      <ol className="custodian-rows" aria-label="Custodians">
        {names.map((name, i) => (
          <li key={i}>
            <span className="muted">{i + 1}.</span>
            <input
              value={name}
              onChange={(e) => {
                setNames(names.map((n, j) => (j === i ? e.target.value : n)));
              }}
              aria-label={`Custodian ${i + 1}`}
              placeholder="Name, as printed on their sheet"
              required
              maxLength={120}
            />
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setNames(names.filter((_, j) => j !== i));
              }}
              disabled={count <= 2}
              aria-label={`Remove custodian ${i + 1}`}
            >
              remove
            </button>
          </li>
        ))}
      </ol>
      <button
        type="button"
        className="add-row"
        onClick={() => {
          setNames([...names, '']);
        }}
      >
        + Add custodian
      </button>
      <label>
        Custodians needed to open the vault
        <select
          value={threshold}
          onChange={(e) => {
            setChosen(Number(e.target.value));
          }}
        >
          {Array.from({ length: Math.max(0, count - 1) }, (_, i) => i + 2).map((n) => (
            <option key={n} value={n}>
              {n} of {count}
              {n === majority(count) ? ' (majority)' : ''}
            </option>
          ))}
        </select>
      </label>
      {/* The desktop shell asks for the folder with main's own dialog when the sheets are written. */}
      {withDialog ? (
        <p className="hint">You choose the folder for the sheets (on removable media) when you write them.</p>
      ) : (
        <div className="path-row">
          <label>
            Write the sheets to (a folder on removable media)
            <input
              value={outDir}
              onChange={(e) => {
                setOutDir(e.target.value);
              }}
              placeholder="/media/usb/recovery-sheets"
              required
              spellCheck={false}
            />
          </label>
        </div>
      )}
      {current && (
        <p className="quorum-warn" data-testid="rotate-warning">
          Rotating makes every sheet of set {current.setId} useless at once: hand out the new sheets, then destroy the old ones.
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Writing sheets…' : current ? 'Rotate shares and write new sheets' : 'Create shares and write sheets'}
        </button>
        {current && (
          <button type="button" onClick={onDone} disabled={busy}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

function WrittenSheets({ written }: { written: NonNullable<QuorumState['written']> }) {
  const folder = splitPath(written.files[0]?.pdf ?? '').folder;
  return (
    <div className="banner banner-ok" role="status" data-testid="sheets-written">
      <div>
        <strong>
          Sheets of set {written.set.setId} written: any {written.set.threshold} of {written.set.custodians.length} open the vault.
        </strong>
        <p className="hint">
          In <code>{folder}</code>:
        </p>
        <ul className="quorum-files">
          {written.files.map((f) => (
            <li key={f.index}>
              {f.index}. {f.custodian}: <code>{splitPath(f.pdf).name}</code> and <code>{splitPath(f.text).name}</code>
            </li>
          ))}
        </ul>
        <p className="hint">Print each sheet for its custodian only, then delete these files: each one is a secret.</p>
      </div>
    </div>
  );
}

/** Revoking rekeys the vault and cannot be undone: it asks inline first, and cancelling changes nothing. */
function RevokeShares({ setId, busy, onRevoke }: { setId: string; busy: boolean; onRevoke: () => Promise<boolean> }) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button
        type="button"
        className="danger add-row"
        onClick={() => {
          setConfirming(true);
        }}
      >
        Revoke shares…
      </button>
    );
  }
  return (
    <div className="confirm" data-testid="revoke-confirm">
      <span>Revoking removes the quorum key slot and rekeys the vault: no sheet of set {setId} opens it again, and there are no new ones.</span>
      <button
        type="button"
        className="danger"
        disabled={busy}
        onClick={() =>
          void onRevoke().then(() => {
            setConfirming(false);
          })
        }
      >
        Revoke and rekey
      </button>
      <button
        type="button"
        onClick={() => {
          setConfirming(false);
        }}
      >
        Keep the shares
      </button>
    </div>
  );
}
