import type { Finding, ServiceReadiness } from '../../../../shared/recovery';
import { severityClass, severityLabel } from './PlanFormat';
import { ReadinessFindings } from './ReadinessFindings';

function minutes(value: number | null, none: string): string {
  return value === null ? none : `${value} min`;
}

/** One service on the dashboard: who owns it, how fast it must be back, and what stands in the way. */
export function ReadinessServiceItem({
  service,
  shown,
  onOpenRecord,
}: {
  service: ServiceReadiness;
  /** The findings the filters let through. */
  shown: readonly Finding[];
  onOpenRecord: (id: string) => void;
}) {
  const hidden = service.findings.length - shown.length;
  const slow = service.measuredMinutes !== null && service.rtoMinutes !== null && service.measuredMinutes > service.rtoMinutes;
  return (
    <li className={`readiness-item ${severityClass(service.worst)}`} data-testid="readiness-service" data-title={service.title}>
      <div className="readiness-about">
        <div className="readiness-head">
          <span className={`pill sev-pill ${severityClass(service.worst)}`} data-testid="worst">
            {severityLabel(service.worst)}
          </span>
          <button
            type="button"
            className="readiness-title"
            onClick={() => {
              onOpenRecord(service.id);
            }}
            title="Open the service record"
          >
            {service.title}
          </button>
        </div>
        <dl className="readiness-facts">
          <div>
            <dt>Risk</dt>
            <dd title="Severity points × tier weight">{service.score}</dd>
          </div>
          <div>
            <dt>Tier</dt>
            <dd>{service.tier ?? '—'}</dd>
          </div>
          <div>
            <dt>RTO</dt>
            <dd>{minutes(service.rtoMinutes, 'none')}</dd>
          </div>
          <div>
            <dt>Measured</dt>
            <dd className={slow ? 'readiness-slow' : undefined}>{minutes(service.measuredMinutes, 'never')}</dd>
          </div>
          <div className="readiness-owner">
            <dt>Owner</dt>
            <dd>{service.owner ?? 'nobody'}</dd>
          </div>
        </dl>
      </div>
      <div className="readiness-body">
        {service.findings.length === 0 ? (
          <p className="readiness-clear">No findings: ready as far as the vault can tell.</p>
        ) : (
          <ReadinessFindings findings={shown} onOpenRecord={onOpenRecord} />
        )}
        {hidden > 0 && <p className="muted readiness-hidden">{hidden} more hidden by the filters.</p>}
      </div>
    </li>
  );
}
