import { useEffect } from 'react';
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

  return (
    <section className="card" aria-labelledby="engine-heading">
      <div className="card-title">
        <h2 id="engine-heading">Engine self-test</h2>
        {status && !checking && (
          <span className={status.ready ? 'pill pill-ok' : 'pill pill-bad'} data-testid="engine-verdict">
            {status.ready ? 'Ready' : 'Not ready'}
          </span>
        )}
      </div>
      {checking && <ProgressLine progress={progress} />}
      {status && !status.ready && !checking && (
        <p className="banner banner-error" role="alert">
          Lifeboat cannot keep a vault safe on this machine until every check below passes. The failed check says what went wrong; <code>lifeboat status</code>{' '}
          prints the same report in a terminal.
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
  );
}
