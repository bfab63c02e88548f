import { useRef, useState } from 'react';
import type { LifeboatErrorShape } from '../../../shared/errors';
import { GROUP_LENGTH } from '../../../shared/share-groups';
import { invoke } from '../lifeboat-client';
import { useQuorumStore } from '../stores/quorum-store';
import { BrowseButton } from './BrowseButton';
import { ErrorBanner } from './ErrorBanner';
import { EMPTY_GROUPS, ShareEntry } from './ShareEntry';
import './quorum.css';

interface Entered {
  text: string;
  index: number;
  custodian: string;
}

/**
 * Opening the vault when no owner can: custodians type their shares one at
 * a time, each checked against the vault as it is entered; then a reason,
 * and the vault opens as "recovery quorum". A drill proves the same shares
 * without opening anything. The shares are dropped from state after use.
 */
export function QuorumUnlock({ initialDir }: { initialDir: string }) {
  const unlock = useQuorumStore((s) => s.unlock);
  const [dir, setDir] = useState(initialDir);
  const [groups, setGroups] = useState<string[]>([...EMPTY_GROUPS]);
  const [entered, setEntered] = useState<Entered[]>([]);
  const [needed, setNeeded] = useState<{ threshold: number; custodians: number } | null>(null);
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const [error, setError] = useState<LifeboatErrorShape | null>(null);
  const [busy, setBusy] = useState<'check' | 'unlock' | 'practice' | null>(null);
  const [drill, setDrill] = useState<{ custodians: string[]; setId: string } | null>(null);
  const reasonBox = useRef<HTMLInputElement>(null);

  const folder = dir.trim();
  const complete = groups.every((g) => g.length === GROUP_LENGTH);
  const enough = needed !== null && entered.length >= needed.threshold;
  const shareNumber = entered.length + 1;

  /** Forget every share typed so far: after a drill or an unlock, or to start again. */
  const clearShares = (): void => {
    setGroups([...EMPTY_GROUPS]);
    setEntered([]);
    setNeeded(null);
  };

  const check = async (): Promise<void> => {
    setBusy('check');
    setError(null);
    setDrill(null);
    const text = groups.join(' ');
    const result = await invoke('shares:check', { dir: folder, share: text });
    setBusy(null);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    const { index, custodian, threshold, custodians } = result.value;
    const twin = entered.find((e) => e.index === index);
    if (twin) {
      setError({ code: 'SHARE_REJECTED', message: `This is ${twin.custodian}’s share again (custodian ${index}): the next custodian types their own sheet.` });
      return;
    }
    setEntered([...entered, { text, index, custodian }]);
    setNeeded({ threshold, custodians });
    setGroups([...EMPTY_GROUPS]);
  };

  const open = async (): Promise<void> => {
    if (reason.trim() === '') {
      setReasonMissing(true);
      reasonBox.current?.focus();
      return;
    }
    setBusy('unlock');
    setError(null);
    const result = await unlock(
      folder,
      entered.map((e) => e.text),
      reason,
      entered.map((e) => e.custodian),
    );
    setBusy(null);
    if (result.ok) {
      clearShares();
      setReason('');
    } else {
      setError(result.error);
    }
  };

  const practise = async (): Promise<void> => {
    setBusy('practice');
    setError(null);
    const result = await invoke('shares:practice', { dir: folder, shares: entered.map((e) => e.text) });
    setBusy(null);
    if (result.ok) {
      setDrill(result.value);
      clearShares();
    } else {
      setError(result.error);
    }
  };

  return (
    <div className="form quorum-unlock" data-testid="quorum-unlock">
      <p className="quorum-intro">
        For the day no owner can unlock (owners unreachable, single sign-on down): custodians open the vault together, each typing the share on their recovery
        sheet. The opening is logged with every custodian’s name and the reason, and shown to the owners.
      </p>
      <div className="path-row">
        <label>
          Vault folder
          <input
            value={dir}
            onChange={(e) => {
              setDir(e.target.value);
            }}
            placeholder="/media/usb/ops.lifeboat"
            required
            spellCheck={false}
            disabled={entered.length > 0}
            autoFocus={dir === ''}
          />
        </label>
        {entered.length === 0 && <BrowseButton purpose="open-vault" onPick={setDir} />}
      </div>
      {drill && (
        <div className="banner banner-ok quorum-drill" role="status" data-testid="quorum-drill">
          <div>
            <strong>Drill passed: the shares of {drill.custodians.join(', ')} open this vault.</strong>
            <p className="hint">Nothing was opened. The drill is in the audit log (set {drill.setId}). The shares typed were cleared.</p>
          </div>
        </div>
      )}
      {entered.length > 0 && (
        <ol className="quorum-entered" data-testid="quorum-entered" aria-label="Shares entered">
          {entered.map((e, i) => (
            <li key={e.index}>
              <span className="quorum-tick" aria-hidden="true">
                ✓
              </span>
              Share {i + 1} of {needed?.threshold ?? '?'}: <strong>{e.custodian}</strong>{' '}
              <span className="muted">
                (sheet {e.index} of {needed?.custodians ?? '?'})
              </span>
            </li>
          ))}
        </ol>
      )}
      {!enough && (
        <section className="quorum-share" aria-labelledby="share-heading">
          <h3 id="share-heading">
            {needed ? `Share ${shareNumber} of ${needed.threshold}: next custodian` : 'Share 1: first custodian'}
            <span className="muted"> — type the 20 groups as numbered on your sheet</span>
          </h3>
          <ShareEntry
            key={shareNumber}
            groups={groups}
            onChange={setGroups}
            disabled={busy !== null || folder === ''}
            label={`Share ${shareNumber}`}
            focusFirst={entered.length > 0}
          />
          <div className="form-actions">
            <button type="button" className="primary" disabled={!complete || busy !== null || folder === ''} onClick={() => void check()}>
              {busy === 'check' ? 'Checking…' : 'Check share'}
            </button>
            <button
              type="button"
              disabled={groups.every((g) => g === '')}
              onClick={() => {
                setGroups([...EMPTY_GROUPS]);
                setError(null);
              }}
            >
              Clear the boxes
            </button>
            {folder === '' && <span className="muted">Pick the vault folder first.</span>}
          </div>
        </section>
      )}
      {enough && (
        <section className="quorum-ready" aria-labelledby="ready-heading">
          <h3 id="ready-heading">
            {entered.length} of {needed.threshold} shares entered: the vault can be opened.
          </h3>
          <label>
            Why is the vault opened without an owner? (logged, and shown to the owners)
            <input
              ref={reasonBox}
              value={reason}
              onChange={(e) => {
                setReason(e.target.value);
                setReasonMissing(false);
              }}
              aria-required="true"
              aria-invalid={reasonMissing}
              aria-describedby={reasonMissing ? 'quorum-reason-error' : undefined}
              placeholder="INC-1234: SSO down, owners unreachable"
              maxLength={2000}
            />
          </label>
          {reasonMissing && (
            <p className="field-error" id="quorum-reason-error" role="alert">
              A quorum unlock needs a reason: the incident, and why no owner can unlock.
            </p>
          )}
          <div className="form-actions">
            <button type="button" className="primary" disabled={busy !== null} onClick={() => void open()}>
              {busy === 'unlock' ? 'Unlocking…' : 'Unlock with recovery shares'}
            </button>
            <button
              type="button"
              disabled={busy !== null}
              onClick={() => void practise()}
              title="Proves the shares open the vault, then closes it again; logged as a drill"
            >
              {busy === 'practice' ? 'Practising…' : 'Practise (drill)'}
            </button>
            <button
              type="button"
              disabled={busy !== null}
              onClick={() => {
                clearShares();
                setError(null);
              }}
            >
              Start over
            </button>
          </div>
          <p className="muted">A drill proves these sheets open the vault without opening it; it is logged as a drill.</p>
        </section>
      )}
      {error && (
        <div data-testid="quorum-error">
          <ErrorBanner error={error} />
        </div>
      )}
    </div>
  );
}
