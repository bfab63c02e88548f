/**
 * Fixes an owner can make from a sync's error, in the window (issue 19,
 * item 9), through the same operations the CLI calls: allow an older
 * catalog version (with a reason, logged with the sync), and trust the
 * publisher a catalog names (the key, obtained out of band, must be the one
 * the catalog names; its key id is shown once trusted). Other members see
 * the error's hint: ask an owner.
 */
import { useState } from 'react';
import type { LifeboatErrorShape } from '../../../shared/errors';
import { useSessionStore } from '../stores/session-store';
import { useSyncStore } from '../stores/sync-store';
import { ErrorBanner } from './ErrorBanner';

function AllowDowngrade() {
  const { busy, allowDowngrade } = useSyncStore();
  const [reason, setReason] = useState('');
  return (
    <form
      className="sync-fix"
      data-testid="sync-fix-downgrade"
      onSubmit={(event) => {
        event.preventDefault();
        void allowDowngrade(reason);
      }}
    >
      <strong>Allow this older version (owners)</strong>
      <p className="muted">
        For a deliberate rollback of the catalog, for example when the newer version was published by mistake. The reason is written to the audit log with the
        sync; nothing changes until you apply.
      </p>
      <label>
        Why this older version
        <textarea
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
          }}
          rows={2}
          maxLength={500}
          required
          placeholder="Version 3 shipped a broken failover runbook; the publisher asked us to go back to 2."
        />
      </label>
      <div>
        <button type="submit" disabled={busy || reason.trim() === ''}>
          Check with the older version allowed
        </button>
      </div>
    </form>
  );
}

function TrustPublisher() {
  const { busy, trustPublisher } = useSyncStore();
  const [publicKey, setPublicKey] = useState('');
  const [name, setName] = useState('');
  const [failure, setFailure] = useState<LifeboatErrorShape | null>(null);
  return (
    <form
      className="sync-fix"
      data-testid="sync-fix-trust"
      onSubmit={(event) => {
        event.preventDefault();
        void trustPublisher(publicKey, name).then(setFailure);
      }}
    >
      <strong>Trust this publisher (owners)</strong>
      <p className="muted">
        Paste the public key the publisher gave you through another channel (it starts with lbpub1:). It must be the key that signed this catalog, whose key id
        is in the sentence above; nothing is trusted otherwise. Trusting is logged.
      </p>
      <label>
        Publisher’s public key
        <input
          value={publicKey}
          onChange={(e) => {
            setPublicKey(e.target.value);
          }}
          required
          spellCheck={false}
          placeholder="lbpub1:…"
        />
      </label>
      <label>
        Publisher’s name
        <input
          value={name}
          onChange={(e) => {
            setName(e.target.value);
          }}
          required
          maxLength={120}
          placeholder="Platform team"
        />
      </label>
      {failure && <ErrorBanner error={failure} context="catalog" />}
      <div>
        <button type="submit" disabled={busy}>
          Trust this key and check again
        </button>
      </div>
    </form>
  );
}

/** The in-window fix for the sync's error, when there is one and the member may make it. */
export function SyncFixes() {
  const error = useSyncStore((s) => s.error);
  const role = useSessionStore((s) => s.session?.role);
  if (!error || role !== 'owner') {
    return null;
  }
  if (error.code === 'CATALOG_ROLLBACK') {
    return <AllowDowngrade />;
  }
  if (error.code === 'CATALOG_UNTRUSTED') {
    return <TrustPublisher />;
  }
  return null;
}

/** What the owner decided on this screen, said once the check passes. */
export function SyncFixNotes() {
  const { downgradeReason, trusted } = useSyncStore();
  return (
    <>
      {trusted && (
        <p className="muted" data-testid="sync-trusted">
          Trusted {trusted.name}, key id <code>{trusted.keyId}</code> (logged).
        </p>
      )}
      {downgradeReason && (
        <p className="banner banner-warn" data-testid="sync-downgrade-allowed">
          Older version allowed: “{downgradeReason}”. The reason is logged with the sync.
        </p>
      )}
    </>
  );
}
