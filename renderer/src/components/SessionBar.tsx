import { useEffect, useState } from 'react';
import { useLastActivity } from '../activity';
import { invoke } from '../lifeboat-client';
import { QUORUM_MEMBER } from '../stores/quorum-store';
import { useSessionStore } from '../stores/session-store';
import './quorum.css';

function formatLeft(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Who is in, the idle countdown, and the lock button (Ctrl+L). */
export function SessionBar() {
  const { session, lock } = useSessionStore();
  const lastActivity = useLastActivity();
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const timer = window.setInterval(() => {
      setNow(Date.now());
    }, 1000);
    return () => {
      window.clearInterval(timer);
    };
  }, []);

  // The session store takes everything off the screen at once, noting where the member was.
  const doLock = (): void => {
    void lock();
  };

  const total = session ? session.autoLockMinutes * 60_000 : 0;
  // `now` ticks once a second and may trail the last activity: never show more than the full time.
  const left = Math.min(total, total - (now - lastActivity));
  // Main owns the idle lock: at zero the window asks it (a status is not activity), once a second
  // until main has locked; the answer takes the vault off the screen (lifeboat-client onVaultLocked),
  // and the lock screen gives main's reason.
  useEffect(() => {
    if (session && left <= 0) {
      void invoke('vault:status', {});
    }
  }, [session, left]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'l') {
        event.preventDefault();
        void lock();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [lock]);

  if (!session) {
    return null;
  }
  // Opened with recovery shares: nobody's own identity, so it must be unmistakable.
  const quorum = session.member === QUORUM_MEMBER;
  return (
    <div className={quorum ? 'session-bar session-bar-quorum' : 'session-bar'} data-testid="session-bar">
      <span className="session-vault" title={session.dir}>
        {session.vaultName}
      </span>
      {quorum && (
        <span className="quorum-badge" data-testid="quorum-badge" title="Opened with recovery shares, not a member’s passphrase">
          QUORUM
        </span>
      )}
      <span className={quorum ? 'session-who-quorum' : 'muted'}>
        {session.member} · {session.role}
      </span>
      <span className={left < 60_000 ? 'countdown countdown-soon' : 'countdown'} title="Locks itself when idle" data-testid="countdown">
        locks in {formatLeft(left)}
      </span>
      <button type="button" onClick={doLock}>
        Lock <kbd>Ctrl L</kbd>
      </button>
    </div>
  );
}
