import { useEffect, useState } from 'react';
import { ROLES, type Role } from '../../../shared/record-kinds';
import { QUORUM_MEMBER } from '../stores/quorum-store';
import { useMembersStore } from '../stores/members-store';
import { useSessionStore } from '../stores/session-store';
import { BinderCard } from './BinderCard';
import { EmergencyKitCard } from './EmergencyKitCard';
import { ErrorBanner } from './ErrorBanner';
import { RecoverySharesCard } from './RecoverySharesCard';
import { ExpiryWarningSetting } from './ExpiryWarningSetting';

/** Owner's screen: members (removal rekeys), own passphrase, auto-lock, trusted publishers. */
export function MembersScreen() {
  const { members, publishers, notice, error, busy, load, add, remove, changePassphrase, setAutoLock, setReviewDays, setOnCallWarningDays, trust } =
    useMembersStore();
  const session = useSessionStore((s) => s.session);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('responder');
  const [newPass, setNewPass] = useState('');
  const [confirmRemove, setConfirmRemove] = useState<string | null>(null);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [minutes, setMinutes] = useState(String(session?.autoLockMinutes ?? 5));
  const [reviewDays, setReviewDaysText] = useState(String(session?.reviewDays ?? 180));
  const [onCallDays, setOnCallDaysText] = useState(String(session?.onCallWarningDays ?? 7));
  const [pubKey, setPubKey] = useState('');
  const [pubName, setPubName] = useState('');

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="members">
      {(notice ?? error) && (
        <div className="members-feedback">
          {notice && (
            <p className="banner banner-ok" role="status" data-testid="members-notice">
              {notice}
            </p>
          )}
          {error && <ErrorBanner error={error} />}
        </div>
      )}
      <section className="card" aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        <ul className="member-list" data-testid="member-list">
          {members.map((m) => (
            <li key={m.name}>
              <span className="result-title">{m.name}</span> <span className="muted">{m.role}</span>
              {m.name === QUORUM_MEMBER && (
                <div className="muted">The key slot the recovery shares open: not a person. Revoke or rotate it under Recovery shares.</div>
              )}
              {m.slotFormat === 1 && (
                <div className="muted" data-testid={`member-format-${m.name}`}>
                  Key slot in the previous format: it is pinned to this vault’s identity at{' '}
                  {m.name === QUORUM_MEMBER ? 'the next quorum unlock' : `${m.name}’s next unlock`}.
                </div>
              )}
              {m.name !== session?.member &&
                m.name !== QUORUM_MEMBER &&
                (confirmRemove === m.name ? (
                  <span className="confirm">
                    Removing {m.name} rekeys the vault: everyone else keeps access, {m.name}’s passphrase stops working.
                    <button
                      type="button"
                      className="danger"
                      onClick={() =>
                        void remove(m.name).then(() => {
                          setConfirmRemove(null);
                        })
                      }
                      disabled={busy}
                    >
                      Remove and rekey
                    </button>
                    <button
                      type="button"
                      onClick={() => {
                        setConfirmRemove(null);
                      }}
                    >
                      Cancel
                    </button>
                  </span>
                ) : (
                  <button
                    type="button"
                    onClick={() => {
                      setConfirmRemove(m.name);
                    }}
                  >
                    Remove…
                  </button>
                ))}
            </li>
          ))}
        </ul>
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            void add(name.trim(), role, newPass).then((ok) => {
              if (ok) {
                setName('');
                setNewPass('');
              }
            });
          }}
        >
          <label>
            Name
            <input
              value={name}
              onChange={(e) => {
                setName(e.target.value);
              }}
              required
            />
          </label>
          <label>
            Role
            <select
              value={role}
              onChange={(e) => {
                setRole(e.target.value as Role);
              }}
            >
              {ROLES.filter((r) => r !== 'owner').map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
              <option value="owner">owner</option>
            </select>
          </label>
          <label>
            Their passphrase (they type it)
            <input
              type="password"
              value={newPass}
              onChange={(e) => {
                setNewPass(e.target.value);
              }}
              required
              minLength={8}
              autoComplete="new-password"
            />
          </label>
          <button type="submit" disabled={busy}>
            Add member
          </button>
        </form>
      </section>
      <section className="card" aria-labelledby="settings-heading">
        <h2 id="settings-heading">Settings</h2>
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            void setAutoLock(Number(minutes));
          }}
        >
          <label>
            Lock after idle minutes (1–120)
            <input
              type="number"
              min={1}
              max={120}
              value={minutes}
              onChange={(e) => {
                setMinutes(e.target.value);
              }}
              required
            />
          </label>
          <button type="submit" disabled={busy}>
            Save
          </button>
        </form>
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            void setReviewDays(Number(reviewDays));
          }}
        >
          <label>
            Runbooks must be reviewed every (days)
            <input
              type="number"
              min={1}
              max={3650}
              value={reviewDays}
              onChange={(e) => {
                setReviewDaysText(e.target.value);
              }}
              required
            />
          </label>
          <button type="submit" disabled={busy}>
            Save interval
          </button>
        </form>
        <ExpiryWarningSetting busy={busy} />
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            void setOnCallWarningDays(Number(onCallDays));
          }}
        >
          <label>
            Warn before an on-call schedule export ends (days)
            <input
              type="number"
              min={0}
              max={365}
              value={onCallDays}
              onChange={(e) => {
                setOnCallDaysText(e.target.value);
              }}
              required
            />
          </label>
          <button type="submit" disabled={busy}>
            Save on-call warning
          </button>
        </form>
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            void changePassphrase(current, next).then((ok) => {
              if (ok) {
                setCurrent('');
                setNext('');
              }
            });
          }}
        >
          <label>
            Current passphrase
            <input
              type="password"
              value={current}
              onChange={(e) => {
                setCurrent(e.target.value);
              }}
              required
              autoComplete="current-password"
            />
          </label>
          <label>
            New passphrase
            <input
              type="password"
              value={next}
              onChange={(e) => {
                setNext(e.target.value);
              }}
              required
              minLength={8}
              autoComplete="new-password"
            />
          </label>
          <button type="submit" disabled={busy}>
            Change my passphrase
          </button>
        </form>
      </section>
      <section className="card" aria-labelledby="publishers-heading">
        <h2 id="publishers-heading">Trusted catalog publishers</h2>
        {publishers.length === 0 ? (
          <p className="muted">None yet. Add the public key your platform team publishes (check it out of band: it decides what runbooks you get).</p>
        ) : (
          <ul className="member-list" data-testid="publisher-list">
            {publishers.map((p) => (
              <li key={p.keyId}>
                <span className="result-title">{p.name}</span> <code className="muted">{p.keyId}</code>{' '}
                <span className="muted">
                  added {new Date(p.addedAt).toLocaleDateString()} by {p.addedBy}
                </span>
              </li>
            ))}
          </ul>
        )}
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            void trust(pubKey.trim(), pubName.trim()).then((ok) => {
              if (ok) {
                setPubKey('');
                setPubName('');
              }
            });
          }}
        >
          <label>
            Public key
            <input
              value={pubKey}
              onChange={(e) => {
                setPubKey(e.target.value);
              }}
              placeholder="lbpub1:…"
              required
              spellCheck={false}
            />
          </label>
          <label>
            Publisher name
            <input
              value={pubName}
              onChange={(e) => {
                setPubName(e.target.value);
              }}
              required
            />
          </label>
          <button type="submit" disabled={busy}>
            Trust
          </button>
        </form>
      </section>
      <RecoverySharesCard />
      <EmergencyKitCard />
      <BinderCard />
    </div>
  );
}
