import type { Finding } from '../../../../shared/recovery';
import { READINESS_RULES } from '../../../../shared/recovery-kinds';
import { severityClass, severityLabel } from './PlanFormat';

/** Findings as sentences, most severe first, each with its severity in words and colour. */
export function ReadinessFindings({ findings, onOpenRecord }: { findings: readonly Finding[]; onOpenRecord: (id: string) => void }) {
  return (
    <ul className="readiness-findings">
      {findings.map((finding, i) => (
        <li
          key={`${finding.rule}-${i}`}
          className={`readiness-finding ${severityClass(finding.severity)}`}
          data-testid="finding"
          data-severity={finding.severity}
        >
          <span className="sev-tag">{severityLabel(finding.severity)}</span>
          <span className="readiness-message" title={READINESS_RULES[finding.rule]}>
            {finding.message}
          </span>
          {finding.recordId !== undefined && (
            <button
              type="button"
              className="link-button"
              onClick={() => {
                onOpenRecord(finding.recordId ?? '');
              }}
              aria-label={`Open the record: ${finding.message}`}
            >
              Open
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
