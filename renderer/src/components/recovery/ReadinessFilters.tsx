import type { Finding, ReadinessReview, ServiceReadiness } from '../../../../shared/recovery';
import { READINESS_RULES, SEVERITIES, type Severity } from '../../../../shared/recovery-kinds';
import { plural, SEVERITY_LABELS } from './PlanFormat';

export interface ReadinessFilter {
  severity: Severity | null;
  text: string;
}

/** The findings of a service that pass the filters, or null when the service should not be listed. */
export function passing(service: ServiceReadiness, filter: ReadinessFilter): Finding[] | null {
  const bySeverity = filter.severity ? service.findings.filter((f) => f.severity === filter.severity) : service.findings;
  if (filter.severity && bySeverity.length === 0) {
    return null;
  }
  const needle = filter.text.trim().toLowerCase();
  if (needle === '' || [service.title, service.owner ?? ''].some((s) => s.toLowerCase().includes(needle))) {
    return bySeverity;
  }
  const matching = findingsMatching(bySeverity, needle);
  return matching.length > 0 ? matching : null;
}

export function findingsMatching(findings: readonly Finding[], needle: string): Finding[] {
  return findings.filter((f) => f.message.toLowerCase().includes(needle) || READINESS_RULES[f.rule].toLowerCase().includes(needle));
}

export function severityCounts(review: ReadinessReview): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const finding of review.services.flatMap((s) => s.findings)) {
    counts[finding.severity] += 1;
  }
  return counts;
}

/** "3 critical, 5 high across 4 services": the zero counts left out. */
export function summaryLine(review: ReadinessReview): string {
  const counts = severityCounts(review);
  const parts = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  const services = plural(review.services.length, 'service');
  return parts.length === 0 ? `No findings across ${services}` : `${parts.join(', ')} across ${services}`;
}

const STALE_CHOICES = [30, 90, 180, 365, 730];

/** The intervals offered: the usual ones, the vault's own and the one in use. */
function staleChoices(vaultDays: number | null, inUse: number): number[] {
  return [...new Set([...STALE_CHOICES, ...(vaultDays === null ? [] : [vaultDays]), inUse])].sort((a, b) => a - b);
}

export function ReadinessFilters({
  review,
  filter,
  vaultDays,
  onFilter,
  onStaleDays,
}: {
  review: ReadinessReview;
  filter: ReadinessFilter;
  /** The vault's review interval (an owner's setting), if known. */
  vaultDays: number | null;
  onFilter: (filter: ReadinessFilter) => void;
  /** null: back to the vault's interval. */
  onStaleDays: (days: number | null) => void;
}) {
  const counts = severityCounts(review);
  return (
    <div className="readiness-filters">
      <div className="chips" role="group" aria-label="Show findings of severity">
        <button
          type="button"
          className={filter.severity === null ? 'chip chip-on' : 'chip'}
          aria-pressed={filter.severity === null}
          onClick={() => {
            onFilter({ ...filter, severity: null });
          }}
        >
          All
        </button>
        {SEVERITIES.map((severity) => (
          <button
            key={severity}
            type="button"
            className={`chip chip-sev sev-${severity}${filter.severity === severity ? ' chip-on' : ''}`}
            aria-pressed={filter.severity === severity}
            onClick={() => {
              onFilter({ ...filter, severity: filter.severity === severity ? null : severity });
            }}
          >
            <span className="swatch" aria-hidden="true" />
            {SEVERITY_LABELS[severity]} <span className="chip-count">{counts[severity]}</span>
          </button>
        ))}
      </div>
      <label className="readiness-text-filter">
        <span className="visually-hidden">Filter services and findings</span>
        <input
          type="search"
          value={filter.text}
          placeholder="Filter: service, owner or finding"
          onChange={(e) => {
            onFilter({ ...filter, text: e.target.value });
          }}
          data-testid="readiness-filter"
        />
      </label>
      <label className="readiness-stale">
        <span>Runbooks stale after</span>
        <select
          value={review.staleDays}
          onChange={(e) => {
            const days = Number(e.target.value);
            onStaleDays(days === vaultDays ? null : days);
          }}
          data-testid="stale-days"
        >
          {staleChoices(vaultDays, review.staleDays).map((days) => (
            <option key={days} value={days}>
              {days} days{days === vaultDays ? ' (vault setting)' : ''}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
