import type { PaperSummary } from '../../../../shared/recovery';

/**
 * The engine's verdict lines on paper (plan-verdicts.ts), shown as they are:
 * bad news red, the all-clear green, and what nobody can know grey with a
 * "?" marker, never green (issue #19, item 6). Used by the plan and the
 * readiness screens so both say the same thing.
 */
export function PaperVerdicts({ paper, skipBad = false }: { paper: PaperSummary; skipBad?: boolean }) {
  const lines = paper.lines.filter((line) => !(skipBad && line.tone === 'bad'));
  if (lines.length === 0) {
    return null;
  }
  return (
    <ul className="paper-verdicts" data-testid="paper-verdicts">
      {lines.map((line) => (
        <li key={line.text} className={`paper-${line.tone}`} data-tone={line.tone}>
          <span className="paper-mark" aria-hidden="true">
            {line.tone === 'ok' ? '✓' : line.tone === 'bad' ? '!' : '?'}
          </span>
          {line.tone === 'unknown' && <span className="visually-hidden">Unknown: </span>}
          {line.text}
        </li>
      ))}
    </ul>
  );
}
