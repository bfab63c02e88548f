import { useState } from 'react';
import { useChoosesWithDialog } from '../destination';
import { useQuorumStore } from '../stores/quorum-store';
import { useSessionStore } from '../stores/session-store';
import { ErrorBanner } from './ErrorBanner';
import './quorum.css';

/**
 * The vault's fingerprint (to tell a genuine copy from a swapped one) and
 * the one-page emergency kit that goes in the recovery laptop's sleeve: how
 * to start offline, who can open the vault, whom to call. It holds no secret.
 */
export function EmergencyKitCard() {
  const session = useSessionStore((s) => s.session);
  const { kit, kitError, busy, exportKit } = useQuorumStore();
  const [path, setPath] = useState('');
  const withDialog = useChoosesWithDialog();
  if (!session) {
    return null;
  }
  return (
    <section className="card quorum-card" aria-labelledby="kit-heading" data-testid="emergency-kit">
      <h2 id="kit-heading">Emergency kit</h2>
      <div>
        <p className="muted">
          Vault fingerprint. The printed kit and <code>lifeboat kit --fingerprint</code> show the same one: a copy of the vault with another fingerprint is not
          this vault.
        </p>
        <p className="fingerprint" data-testid="vault-fingerprint" aria-label="Vault fingerprint">
          {session.fingerprint}
        </p>
        <p className="muted" data-testid="checkpoint-reminder">
          Keep a checkpoint off this laptop after every exercise (<code>lifeboat audit checkpoint</code>): nothing inside the vault folder can prove the whole
          folder was not rolled back to an older copy; <code>lifeboat audit verify --since</code> with that checkpoint can.
        </p>
      </div>
      <form
        className="quorum-form"
        onSubmit={(event) => {
          event.preventDefault();
          void exportKit(path.trim());
        }}
      >
        {/* The desktop shell asks where with main's save dialog: no path field to fill. */}
        {!withDialog && (
          <div className="path-row">
            <label>
              Save the kit as (PDF)
              <input
                value={path}
                onChange={(e) => {
                  setPath(e.target.value);
                }}
                placeholder="/media/usb/lifeboat-emergency-kit.pdf"
                required
                spellCheck={false}
              />
            </label>
          </div>
        )}
        <div className="form-actions">
          <button type="submit" disabled={busy}>
            {withDialog ? 'Export emergency kit (PDF)…' : 'Export emergency kit (PDF)'}
          </button>
        </div>
      </form>
      {kitError && <ErrorBanner error={kitError} />}
      {kit && (
        <p className="banner banner-ok" role="status" data-testid="kit-written">
          Kit written to {kit.path} ({Math.max(1, Math.round(kit.bytes / 1024))} KB). Print it and keep it with the recovery laptop.
        </p>
      )}
    </section>
  );
}
