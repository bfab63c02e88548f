import { useEffect, useState } from 'react';
import './recovery.css';
import type { Finding } from '../../../../shared/recovery';
import { useRecoveryStore } from '../../stores/recovery-store';
import { useSessionStore } from '../../stores/session-store';
import { ErrorBanner } from '../ErrorBanner';
import { PaperVerdicts } from './PaperVerdicts';
import { PlanNoServices } from './PlanNoServices';
import { findingsMatching, passing, ReadinessFilters, summaryLine, type ReadinessFilter } from './ReadinessFilters';
import { ReadinessFindings } from './ReadinessFindings';
import { ReadinessServiceItem } from './ReadinessServiceItem';

function VaultFindings({ findings, onOpenRecord }: { findings: readonly Finding[]; onOpenRecord: (id: string) => void }) {
  return (
    <section className="card readiness-vault" aria-labelledby="readiness-vault-title" data-testid="readiness-vault">
      <h2 id="readiness-vault-title">Whole vault</h2>
      <ReadinessFindings findings={findings} onOpenRecord={onOpenRecord} />
    </section>
  );
}

/** "Readiness": every service by risk, with what would slow or stop its recovery. */
export function ReadinessScreen({ onOpenRecord }: { onOpenRecord: (id: string) => void }) {
  const { readiness, readinessError, loadReadiness } = useRecoveryStore();
  const vaultDays = useSessionStore((s) => s.session?.reviewDays ?? null);
  const [filter, setFilter] = useState<ReadinessFilter>({ severity: null, text: '' });

  useEffect(() => {
    void loadReadiness();
  }, [loadReadiness]);

  if (readinessError && !readiness) {
    return <ErrorBanner error={readinessError} />;
  }
  if (!readiness) {
    return <p className="muted">Reviewing the vault…</p>;
  }

  if (readiness.services.length === 0) {
    return (
      <div className="recovery readiness-screen">
        <PlanNoServices what="The readiness review" />
        {readiness.vault.length > 0 && <VaultFindings findings={readiness.vault} onOpenRecord={onOpenRecord} />}
      </div>
    );
  }

  const needle = filter.text.trim().toLowerCase();
  const vault = readiness.vault.filter((f) => filter.severity === null || f.severity === filter.severity);
  const vaultShown = needle === '' ? vault : findingsMatching(vault, needle);
  const services = readiness.services.flatMap((service) => {
    const shown = passing(service, filter);
    return shown ? [{ service, shown }] : [];
  });

  return (
    <div className="recovery readiness-screen">
      {readinessError && <ErrorBanner error={readinessError} />}
      <section className="card readiness-top" aria-labelledby="readiness-title">
        <div className="readiness-summary">
          <h2 id="readiness-title">Readiness</h2>
          <p className="readiness-line" data-testid="readiness-summary">
            {summaryLine(readiness)}
          </p>
          <span className="muted">reviewed {new Date(readiness.generatedAt).toLocaleString()}</span>
        </div>
        <div className="readiness-paper" data-testid="readiness-paper">
          <span className="muted">On paper, every service:</span>
          <PaperVerdicts paper={readiness.paper} />
          <span className={readiness.paper.total.state === 'known' ? 'muted' : 'paper-unknown'}>time for everything: {readiness.paper.total.text}</span>
        </div>
        <ReadinessFilters review={readiness} filter={filter} vaultDays={vaultDays} onFilter={setFilter} onStaleDays={(days) => void loadReadiness(days)} />
      </section>
      {vaultShown.length > 0 && <VaultFindings findings={vaultShown} onOpenRecord={onOpenRecord} />}
      <section aria-label="Services by risk, highest first">
        {services.length === 0 ? (
          <p className="card muted" data-testid="readiness-none">
            No service matches these filters.
          </p>
        ) : (
          <ol className="readiness-list" data-testid="readiness-list">
            {services.map(({ service, shown }) => (
              <ReadinessServiceItem key={service.id} service={service} shown={shown} onOpenRecord={onOpenRecord} />
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
