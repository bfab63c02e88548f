import { noticeKey, QUORUM_MEMBER, useQuorumStore } from '../stores/quorum-store';
import { useSessionStore } from '../stores/session-store';
import './quorum.css';

function when(at: string): string {
  return new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * The top of the workspace after a recovery-quorum unlock. For owners and
 * auditors: every quorum opening since they last looked, until dismissed, so
 * one can never pass unnoticed. For the quorum's own session: who opened it
 * and that everything done now is logged as "recovery quorum".
 */
export function QuorumNotice() {
  const session = useSessionStore((s) => s.session);
  const { opening, dismissed, dismiss } = useQuorumStore();
  if (!session) {
    return null;
  }
  if (session.member === QUORUM_MEMBER) {
    return (
      <div className="quorum-notice quorum-notice-self" role="status" data-testid="quorum-self">
        <span className="quorum-badge">QUORUM</span>
        <p>
          Opened with recovery shares{opening ? ` by ${opening.custodians.join(', ')}` : ''}
          {opening?.reason ? ` — reason: ${opening.reason}` : ''}. Everything done now is logged as “{QUORUM_MEMBER}”, and the owners are shown this opening at
          their next unlock. Lock the vault as soon as the work is done.
        </p>
      </div>
    );
  }
  const key = noticeKey(session);
  if (session.quorumUnlocks.length === 0 || dismissed === key) {
    return null;
  }
  return (
    <div className="quorum-notice" role="alert" data-testid="quorum-banner">
      <div className="quorum-notice-body">
        <h2>
          <span className="quorum-badge">QUORUM</span> The vault was opened with recovery shares since you last unlocked it
        </h2>
        <ul>
          {session.quorumUnlocks.map((u) => (
            <li key={u.at}>
              The vault was opened by {QUORUM_MEMBER} ({u.custodians}) on <time dateTime={u.at}>{when(u.at)}</time> — reason: <strong>{u.reason}</strong>
            </li>
          ))}
        </ul>
        <p className="muted">
          The Audit view shows what was done in that session.{' '}
          {session.role === 'owner'
            ? 'If you did not expect it, rotate the recovery shares in Members & settings.'
            : 'If you did not expect it, tell an owner: they can rotate the recovery shares.'}
        </p>
      </div>
      <button
        type="button"
        onClick={() => {
          dismiss(key);
        }}
      >
        Dismiss
      </button>
    </div>
  );
}
