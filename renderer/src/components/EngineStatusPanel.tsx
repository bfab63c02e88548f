import { useEffect, useState } from 'react';
import type { EngineStatus } from '../../../shared/contract';
import type { ProgressEvent } from '../../../shared/progress';

interface Props {
  status: EngineStatus | null;
  checking: boolean;
  progress: ProgressEvent | null;
  onRecheck: () => void;
}

function ProgressLine({ progress }: { progress: ProgressEvent | null }) {
  const total = progress?.total ?? 0;
  const done = progress?.done ?? 0;
  return (
    <div className="progress" data-testid="self-test-progress">
      <progress max={total || 1} value={done} aria-label="Self-test progress" />
      <span>{progress ? `${progress.label} (${done}/${total})` : 'Starting…'}</span>
    </div>
  );
}

export function EngineStatusPanel({ status, checking, progress, onRecheck }: Props) {
  // Keyboard-first: "R" re-runs the checks when focus is not in a text field.
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const target = event.target as HTMLElement | null;
      const typing = target?.tagName === 'INPUT' || target?.tagName === 'TEXTAREA';
      if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey && event.key.toLowerCase() === 'r') {
        onRecheck();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [onRecheck]);

  // Folded into a badge: a failure opens it by itself, since nothing else matters until it is fixed.
  const [expanded, setExpanded] = useState(false);
  const failed = status !== null && !status.ready && !checking;
  const verdict = checking || !status ? 'checking…' : null;

  return (
    <details
      className="engine-status"
      open={expanded || failed}
      onToggle={(event) => {
        setExpanded(event.currentTarget.open);
      }}
      data-testid="engine-status"
    >
      <summary className={failed ? 'badge engine-badge engine-badge-bad' : 'badge engine-badge'} data-testid="engine-badge">
        <span className={failed ? 'engine-dot engine-dot-bad' : status?.ready ? 'engine-dot engine-dot-ok' : 'engine-dot'} aria-hidden="true" />
        Self-test:{' '}
        {verdict ?? (
          <span data-testid="engine-verdict" className={status?.ready ? 'engine-verdict-ok' : 'engine-verdict-bad'}>
            {status?.ready ? 'Ready' : 'Not ready'}
          </span>
        )}
      </summary>
      <section className="card engine-panel" aria-labelledby="engine-heading">
        <h2 id="engine-heading">Engine self-test</h2>
        <p className="muted">Before a vault opens, Lifeboat checks that this machine can derive keys, encrypt, sign and search on its own.</p>
        {checking && <ProgressLine progress={progress} />}
        {failed && (
          <p className="banner banner-error" role="alert">
            Lifeboat cannot keep a vault safe on this machine until every check below passes. The failed check says what went wrong;{' '}
            <code>lifeboat status</code> prints the same report in a terminal.
          </p>
        )}
        {status && (
          <ul className="checks" aria-label="Engine checks">
            {status.components.map((component) => (
              <li key={component.id} className={component.ok ? 'check check-ok' : 'check check-bad'} data-testid={`check-${component.id}`}>
                <span className="check-icon" aria-hidden="true">
                  {component.ok ? '✓' : '✗'}
                </span>
                <div>
                  <div className="check-label">
                    {component.label}
                    <span className="visually-hidden">{component.ok ? ': passed' : ': failed'}</span>
                  </div>
                  <div className="check-detail">{component.detail}</div>
                </div>
              </li>
            ))}
          </ul>
        )}
        <div className="card-actions">
          {status && <span className="muted">Checked {new Date(status.checkedAt).toLocaleTimeString()}</span>}
          <button type="button" onClick={onRecheck} disabled={checking}>
            Run checks again <kbd>R</kbd>
          </button>
        </div>
      </section>
    </details>
  );
}
