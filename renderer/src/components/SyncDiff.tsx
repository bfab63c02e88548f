/**
 * What a sync changes, word by word, and how far it has got (issue 19).
 * Segments arrive typed from main (shared/vault-contract.ts FieldDiffSchema)
 * and are shown as text: removed struck through, added underlined, long
 * unchanged stretches folded to their ends so the change stays in view.
 */
import type { ProgressEvent } from '../../../shared/progress';
import type { FieldDiffView } from '../../../shared/vault-contract';
import './sync.css';

/** Unchanged text longer than this shows only its first and last CONTEXT characters. */
const FOLD_OVER = 240;
const CONTEXT = 90;

function Same({ text }: { text: string }) {
  if (text.length <= FOLD_OVER) {
    return <span>{text}</span>;
  }
  return (
    <span>
      {text.slice(0, CONTEXT)}
      <span className="word-diff-gap" title={`${text.length - 2 * CONTEXT} unchanged characters`}>
        {' … '}
      </span>
      {text.slice(-CONTEXT)}
    </span>
  );
}

export function WordDiff({ fields, testId = 'word-diff' }: { fields: readonly FieldDiffView[]; testId?: string }) {
  if (fields.length === 0) {
    return null;
  }
  return (
    <div className="word-diff" data-testid={testId}>
      {fields.map((f) => (
        <div key={f.field} className="word-diff-field">
          <p className="word-diff-label">
            {f.label}
            {f.partial ? ' (partly shown: too long to compare in full)' : ''}
          </p>
          <p className="word-diff-text" tabIndex={0} aria-label={`${f.label}: what changes`}>
            {f.segments.map((s, i) =>
              s.op === 'same' ? (
                <Same key={i} text={s.text} />
              ) : s.op === 'removed' ? (
                <del key={i} aria-label={`removed: ${s.text}`}>
                  {s.text}
                </del>
              ) : (
                <ins key={i} aria-label={`added: ${s.text}`}>
                  {s.text}
                </ins>
              ),
            )}
          </p>
        </div>
      ))}
    </div>
  );
}

/** The bar for the phase under way and the phases already done, each with its counts from main. */
export function SyncProgress({ progress, steps, busy }: { progress: ProgressEvent | null; steps: readonly string[]; busy: boolean }) {
  if (steps.length === 0 && !(busy && progress)) {
    return null;
  }
  return (
    <div className="sync-progress" data-testid="sync-progress" aria-live="polite">
      {busy && progress && (
        <label>
          <span>{progress.label}</span>
          <progress max={progress.total ?? 1} value={progress.total ? progress.done : undefined} />
        </label>
      )}
      {steps.length > 0 && (
        <ol className="sync-steps" data-testid="sync-steps">
          {steps.map((step, i) => (
            <li key={i}>{step}</li>
          ))}
        </ol>
      )}
    </div>
  );
}
