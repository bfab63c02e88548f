import type { LifeboatErrorShape } from '../../../shared/errors';
import { hintFor, type HintContext } from '../error-hints';

/** A typed error as a sentence, the next step (in `context`'s words), and (for input files) every problem found. */
export function ErrorBanner({ error, context = 'vault' }: { error: LifeboatErrorShape; context?: HintContext }) {
  const hint = hintFor(error.code, context);
  return (
    <div className="banner banner-error" role="alert" data-testid="error-banner">
      <div>
        <strong>{error.message}</strong>
        {hint && (
          <p className="hint" data-testid="error-hint">
            {hint}
          </p>
        )}
        {error.problems && error.problems.length > 0 && (
          <ul className="problems" data-testid="problems">
            {error.problems.slice(0, 50).map((p, i) => (
              <li key={i}>
                <code>
                  {p.file}
                  {p.line ? `:${p.line}` : ''}
                </code>
                {p.field && <> ({p.field})</>}: {p.message}
              </li>
            ))}
            {error.problems.length > 50 && <li>… and {error.problems.length - 50} more</li>}
          </ul>
        )}
      </div>
      <code className="error-code">{error.code}</code>
    </div>
  );
}
