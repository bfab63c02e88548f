import { useEffect, useRef, useState } from 'react';
import { useChoosesWithDialog } from '../destination';
import { invoke } from '../lifeboat-client';
import { hintFor } from '../error-hints';
import { lockSentence } from '../lock-reason';
import { onChipKeys, tabStop } from '../roving-focus';
import { BrowseButton } from './BrowseButton';
import { QuorumUnlock } from './QuorumUnlock';
import { SnapshotRestore } from './SnapshotRestore';
import { LAST_VAULT_KEY, recentVaults, useSessionStore } from '../stores/session-store';

type Mode = 'unlock' | 'create' | 'quorum';

/** Unlock an existing vault, or create a new one: the first thing a commander sees. */
export function VaultGate() {
  const { busy, error, unlock, create, demo, clearError, lastLock } = useSessionStore();
  const [mode, setMode] = useState<Mode>('unlock');
  const [dir, setDir] = useState(() => localStorage.getItem(LAST_VAULT_KEY) ?? '');
  const [member, setMember] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [vaultName, setVaultName] = useState('');
  const [recent, setRecent] = useState(recentVaults);
  const passphraseBox = useRef<HTMLInputElement>(null);
  const touched = useRef(false);

  // The last folder and member opened on this laptop (main keeps them for both hosts): with both
  // filled in, the passphrase is all there is to type.
  useEffect(() => {
    let live = true;
    void invoke('app:remembered', {}).then((result) => {
      if (!live || !result.ok || touched.current) {
        return;
      }
      const { dir: lastDir, member: lastMember, recent: folders } = result.value;
      if (folders.length > 0) {
        setRecent(folders);
      }
      if (lastDir !== null && lastMember !== null) {
        setDir(lastDir);
        setMember(lastMember);
        passphraseBox.current?.focus();
      }
    });
    return () => {
      live = false;
    };
  }, []);
  // The desktop shell asks for a new vault's folder with main's own dialog, when it is created.
  const folderByDialog = useChoosesWithDialog() && mode === 'create';
  // The preview belongs to one folder: a stale one is simply not shown.
  const [fetched, setFetched] = useState<{ dir: string; name: string; members: string[] } | null>(null);
  const preview = mode === 'unlock' && fetched?.dir === dir.trim() ? fetched : null;

  // Offer the vault's members (names are in its plaintext header) once the folder is known.
  useEffect(() => {
    const folder = dir.trim();
    if (mode !== 'unlock' || folder === '') {
      return;
    }
    let live = true;
    const timer = window.setTimeout(() => {
      void invoke('vault:members-preview', { dir: folder }).then((result) => {
        if (live && result.ok) {
          setFetched({ dir: folder, ...result.value });
        }
      });
    }, 250);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [dir, mode]);
  const mismatch = mode === 'create' && confirm !== '' && confirm !== passphrase;

  const submit = (event: { preventDefault: () => void }): void => {
    event.preventDefault();
    if (mismatch) {
      return;
    }
    const action = mode === 'unlock' ? unlock(dir.trim(), member.trim(), passphrase) : create(dir.trim(), member.trim(), passphrase, vaultName);
    void action.then((ok) => {
      if (ok) {
        setPassphrase('');
        setConfirm('');
      }
    });
  };

  const switchMode = (next: Mode): void => {
    setMode(next);
    clearError();
  };

  return (
    <section className={mode === 'quorum' ? 'card gate gate-quorum' : 'card gate'} aria-labelledby="gate-heading">
      <div className="tabs" role="tablist" aria-label="Vault">
        <button
          type="button"
          role="tab"
          aria-selected={mode === 'unlock'}
          className={mode === 'unlock' ? 'tab tab-active' : 'tab'}
          onClick={() => {
            switchMode('unlock');
          }}
        >
          Unlock a vault
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={mode === 'create'}
          className={mode === 'create' ? 'tab tab-active' : 'tab'}
          onClick={() => {
            switchMode('create');
          }}
        >
          Create a vault
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={mode === 'quorum'}
          className={mode === 'quorum' ? 'tab tab-active' : 'tab'}
          onClick={() => {
            switchMode('quorum');
          }}
        >
          Unlock with recovery shares
        </button>
      </div>
      {lastLock && mode === 'unlock' && (
        <p className="banner lock-reason" role="status" data-testid="lock-reason">
          <strong>{lockSentence(lastLock)}</strong>
          <span className="muted">
            {' '}
            at {new Date(lastLock.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}. Unlock as the same member to carry on where you were.
          </span>
        </p>
      )}
      <h2 id="gate-heading" className="visually-hidden">
        {mode === 'unlock' ? 'Unlock a vault' : mode === 'create' ? 'Create a vault' : 'Unlock with recovery shares'}
      </h2>
      {/* Custodians open the vault without any member's passphrase (issue #7). */}
      {mode === 'quorum' && <QuorumUnlock initialDir={dir.trim()} />}
      {mode !== 'quorum' && (
        <form onSubmit={submit} className="form" aria-busy={busy}>
          {folderByDialog ? (
            <p className="hint">You choose the vault’s folder when you create it (a new folder is best).</p>
          ) : (
            <div className="path-row">
              <label>
                Vault folder
                <input
                  value={dir}
                  onChange={(e) => {
                    touched.current = true;
                    setDir(e.target.value);
                  }}
                  placeholder="/media/usb/ops.lifeboat"
                  required
                  autoFocus={dir === ''}
                  spellCheck={false}
                />
              </label>
              <BrowseButton purpose="open-vault" onPick={setDir} />
            </div>
          )}
          {mode === 'unlock' && recent.length > 0 && (
            <div className="chips" role="group" aria-label="Recent vaults" data-testid="recent-vaults" onKeyDown={onChipKeys}>
              {recent.map((path, i) => (
                <button
                  key={path}
                  type="button"
                  tabIndex={tabStop(recent.indexOf(dir))(i)}
                  className={path === dir ? 'chip chip-on' : 'chip'}
                  onClick={() => {
                    setDir(path);
                  }}
                  title={path}
                >
                  {path.split('/').filter(Boolean).at(-1) ?? path}
                </button>
              ))}
            </div>
          )}
          {mode === 'create' && (
            <label>
              Vault name
              <input
                value={vaultName}
                onChange={(e) => {
                  setVaultName(e.target.value);
                }}
                placeholder={folderName(dir) ?? 'the folder’s name'}
                maxLength={120}
                spellCheck={false}
                aria-describedby="vault-name-hint"
              />
              <span id="vault-name-hint" className="muted">
                Shown on the unlock screen and at the top of the window. Left blank, the vault takes its folder’s name.
              </span>
            </label>
          )}
          <label>
            {mode === 'unlock' ? 'Member' : 'Your name (you become the owner)'}
            <input
              value={member}
              onChange={(e) => {
                touched.current = true;
                setMember(e.target.value);
              }}
              required
              autoFocus={dir !== ''}
              autoComplete="username"
              spellCheck={false}
              list="member-options"
            />
          </label>
          {preview && (
            <>
              <datalist id="member-options">
                {preview.members.map((name) => (
                  <option key={name} value={name} />
                ))}
              </datalist>
              {/* One tab stop: arrow keys move among the members (roving-focus.ts). */}
              <div className="chips" role="group" aria-label="Members of this vault" data-testid="member-choices" onKeyDown={onChipKeys}>
                <span className="muted">{preview.name}:</span>
                {preview.members.map((name, i) => (
                  <button
                    key={name}
                    type="button"
                    tabIndex={tabStop(preview.members.indexOf(member))(i)}
                    aria-pressed={name === member}
                    className={name === member ? 'chip chip-on' : 'chip'}
                    onClick={() => {
                      setMember(name);
                    }}
                  >
                    {name}
                  </button>
                ))}
              </div>
            </>
          )}
          <label>
            Passphrase
            <input
              ref={passphraseBox}
              type="password"
              value={passphrase}
              onChange={(e) => {
                setPassphrase(e.target.value);
              }}
              required
              autoComplete={mode === 'unlock' ? 'current-password' : 'new-password'}
            />
          </label>
          {mode === 'create' && (
            <>
              <PassphraseStrength passphrase={passphrase} />
              <label>
                Repeat the passphrase
                <input
                  type="password"
                  value={confirm}
                  onChange={(e) => {
                    setConfirm(e.target.value);
                  }}
                  required
                  aria-invalid={mismatch}
                  autoComplete="new-password"
                />
              </label>
              {mismatch && (
                <p className="field-error" role="alert">
                  The two passphrases differ.
                </p>
              )}
            </>
          )}
          {error && (
            <div className="banner banner-error" role="alert" data-testid="gate-error">
              <div>
                <strong>{error.message}</strong>
                {hintFor(error.code) && <p className="hint">{hintFor(error.code)}</p>}
              </div>
              <code className="error-code">{error.code}</code>
            </div>
          )}
          {error?.code === 'VAULT_TAMPERED' && mode === 'unlock' && (
            <SnapshotRestore
              dir={dir.trim()}
              member={member.trim()}
              passphrase={passphrase}
              onRestored={() => {
                setPassphrase('');
              }}
            />
          )}
          <div className="form-actions">
            <button type="submit" className="primary" disabled={busy || mismatch}>
              {busy ? (mode === 'unlock' ? 'Unlocking…' : 'Creating…') : mode === 'unlock' ? 'Unlock' : folderByDialog ? 'Create vault…' : 'Create vault'}
            </button>
            {busy && <span className="muted">Deriving the key takes a few seconds on purpose.</span>}
          </div>
        </form>
      )}
      {mode !== 'quorum' && (
        <div className="demo-offer">
          <p className="muted">
            New here? Open a demo vault with sample runbooks, contacts and a break-glass procedure. Its passphrase is “demo demo demo”: never put real secrets
            in it.
          </p>
          <button type="button" onClick={() => void demo()} disabled={busy}>
            Open the demo vault
          </button>
        </div>
      )}
    </section>
  );
}

/** What main will name a vault made in `dir` when no name is typed (electron/vault/vault-name.ts), for the placeholder. */
function folderName(dir: string): string | undefined {
  const last = dir.trim().split(/[\\/]/).filter(Boolean).at(-1);
  const name = last?.replace(/\.lifeboat$/i, '').trim();
  return name ? name : undefined;
}

/** A rough, honest strength signal: length and variety, no network lookups. */
function PassphraseStrength({ passphrase }: { passphrase: string }) {
  const words = passphrase.trim().split(/\s+/).filter(Boolean).length;
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9\s]/].filter((re) => re.test(passphrase)).length;
  const score = passphrase.length < 8 ? 0 : passphrase.length >= 20 || words >= 4 ? 3 : passphrase.length >= 14 || classes >= 3 ? 2 : 1;
  const labels = ['Too short (at least 8 characters)', 'Weak: add words', 'Fair', 'Strong'];
  return (
    <div className="strength" data-testid="strength">
      <meter min={0} max={3} value={score} aria-label="Passphrase strength" />
      <span>{labels[score]}</span>
    </div>
  );
}
