import { SEVERITIES } from '../../../../shared/recovery-kinds';
import { SEVERITY_LABELS } from './PlanFormat';

/** What the colours and lines of the graph mean; severities in the dashboard's words. */
export function DependencyLegend({ groups, soft }: { groups: boolean; soft: boolean }) {
  return (
    <ul className="dep-legend" aria-label="Legend" data-testid="graph-legend">
      {SEVERITIES.map((severity) => (
        <li key={severity}>
          <span className={`swatch sev-${severity}`} aria-hidden="true" />
          {SEVERITY_LABELS[severity]}
        </li>
      ))}
      <li>
        <span className="swatch sev-ok" aria-hidden="true" />
        No findings (OK)
      </li>
      <li>
        <span className="swatch swatch-missing" aria-hidden="true" />
        Not in vault
      </li>
      <li>
        <span className="swatch-line swatch-path" aria-hidden="true" />
        Critical path
      </li>
      {groups && (
        <li>
          <span className="swatch swatch-group" aria-hidden="true" />
          Recover together (a dependency cycle)
        </li>
      )}
      {groups && (
        <li>
          <span className="swatch-line swatch-break" aria-hidden="true" />
          Suggested break
        </li>
      )}
      {soft && (
        <li>
          <span className="swatch-line swatch-soft" aria-hidden="true" />
          Can start without (soft)
        </li>
      )}
    </ul>
  );
}
