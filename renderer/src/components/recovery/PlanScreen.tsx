import { useEffect, useState } from 'react';
import './recovery.css';
import type { ServiceGraph } from '../../../../shared/recovery';
import { useRecoveryStore } from '../../stores/recovery-store';
import { DependencyGraph } from './DependencyGraph';
import { ErrorBanner } from '../ErrorBanner';
import { PlanDownPicker } from './PlanDownPicker';
import { PlanNoServices } from './PlanNoServices';
import { PlanServicePanel } from './PlanServicePanel';
import { PlanSummary } from './PlanSummary';

function CycleBanner({ graph }: { graph: ServiceGraph }) {
  const titles = new Map(graph.nodes.map((n) => [n.id, n.title]));
  const names = (graph.cycle ?? []).map((id) => titles.get(id) ?? id);
  return (
    <div className="banner banner-error" role="alert" data-testid="cycle-banner">
      <div>
        <strong>Dependency cycle: {names.join(' → ')}.</strong>
        <p className="hint">
          These services depend on each other, so no recovery order can start among them (red in the graph). Open one of them and remove the “depends on” entry
          that closes the loop.
        </p>
      </div>
    </div>
  );
}

/** "Recovery plan": the dependency graph, what is down, and the plan for it. */
export function PlanScreen({ onOpenRecord }: { onOpenRecord: (id: string) => void }) {
  const { graph, graphError, down, plan, planError, refreshPlan, setDown } = useRecoveryStore();
  const [selected, setSelected] = useState<string | null>(null);

  useEffect(() => {
    void refreshPlan();
  }, [refreshPlan]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape' && !event.defaultPrevented) {
        setSelected(null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, []);

  if (graphError) {
    return <ErrorBanner error={graphError} />;
  }
  if (!graph) {
    return <p className="muted">Reading the services…</p>;
  }
  if (graph.nodes.length === 0) {
    return <PlanNoServices what="The recovery plan" />;
  }

  const titles = new Map(graph.nodes.map((n) => [n.id, n.title]));
  const scope = plan && plan.scope.length > 0 ? new Set(plan.waves.flatMap((w) => w.services.map((s) => s.id))) : null;
  const planned = new Map((plan?.waves ?? []).flatMap((w) => w.services).map((s) => [s.id, s]));
  const node = graph.nodes.find((n) => n.id === selected);
  const named = down.slice(0, 3).map((id) => titles.get(id) ?? id);
  const scopeLabel = down.length === 0 ? 'every service' : `${named.join(', ')}${down.length > 3 ? ` and ${down.length - 3} more` : ''} down`;
  const setDownIds = (ids: string[]): void => {
    void setDown(ids);
  };

  return (
    <div className="recovery plan-screen">
      {graph.cycle && <CycleBanner graph={graph} />}
      <PlanDownPicker services={graph.nodes} down={down} onChange={setDownIds} />
      <div className="plan-layout">
        <section className="card plan-graph-card" aria-labelledby="graph-title">
          <h2 id="graph-title">
            Dependencies <span className="muted">· recovery order from the top; arrows run from what is needed to what needs it</span>
          </h2>
          <DependencyGraph
            graph={graph}
            onSelect={setSelected}
            marks={{ selected, scope, path: plan?.criticalPath.services.map((s) => s.id) ?? [], down: new Set(down), cycle: graph.cycle }}
          />
        </section>
        <div className="plan-side">
          {node && (
            <PlanServicePanel
              node={node}
              graph={graph}
              planned={planned.get(node.id)}
              down={down.includes(node.id)}
              onOpenRecord={onOpenRecord}
              onToggleDown={() => {
                setDownIds(down.includes(node.id) ? down.filter((d) => d !== node.id) : [...down, node.id]);
              }}
              onPick={setSelected}
              onClose={() => {
                setSelected(null);
              }}
            />
          )}
          <PlanSummary plan={plan} error={planError} scopeLabel={scopeLabel} onPick={setSelected} />
        </div>
      </div>
    </div>
  );
}
