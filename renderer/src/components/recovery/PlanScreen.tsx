import { useEffect, useState } from 'react';
import './recovery.css';
import type { ServiceGraph } from '../../../../shared/recovery';
import { useRecoveryStore } from '../../stores/recovery-store';
import { DependencyGraph } from './DependencyGraph';
import { ErrorBanner } from '../ErrorBanner';
import { groupKey } from './DependencyWaves';
import { PlanDownPicker } from './PlanDownPicker';
import { plural } from './PlanFormat';
import { PlanGroupPanel } from './PlanGroupPanel';
import { PlanNoServices } from './PlanNoServices';
import { PlanServicePanel } from './PlanServicePanel';
import { PlanSummary } from './PlanSummary';

function GroupsBanner({ graph, onPick }: { graph: ServiceGraph; onPick: (key: string) => void }) {
  const titles = new Map(graph.nodes.map((n) => [n.id, n.title]));
  const loops = graph.groups.filter((g) => g.services.length > 1);
  const selfish = graph.groups.filter((g) => g.services.length === 1);
  const inLoops = loops.reduce((n, g) => n + g.services.length, 0);
  return (
    <div className="banner banner-warn plan-groups-banner" role="status" data-testid="groups-banner">
      <div>
        {loops.length > 0 && (
          <strong>
            {inLoops} services depend on each other in {plural(loops.length, 'dependency cycle')}: each group is recovered together, in one wave.
          </strong>
        )}
        {selfish.length > 0 && (
          <strong>
            {' '}
            {plural(selfish.length, 'service depends', 'services depend')} on {selfish.length === 1 ? 'itself' : 'themselves'}.
          </strong>
        )}
        <p className="hint">
          No restore order exists inside a group.{' '}
          {graph.groups.slice(0, 4).map((g, i) => (
            <span key={g.index}>
              {i > 0 && ' · '}
              <button
                type="button"
                className="link-button plan-name"
                onClick={() => {
                  onPick(groupKey(g.index));
                }}
              >
                {g.services
                  .slice(0, 3)
                  .map((id) => titles.get(id) ?? id)
                  .join(', ')}
                {g.services.length > 3 ? ` +${String(g.services.length - 3)}` : ''}
              </button>
            </span>
          ))}
          {graph.groups.length > 4 ? ` and ${String(graph.groups.length - 4)} more` : ''}: select one for its cycles and the dependencies whose removal, or
          marking soft, would order it.
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
  const group = graph.groups.find((g) => groupKey(g.index) === selected);
  const plannedGroup = group && plan?.groups.find((g) => g.services[0]?.id === group.services[0]);
  const named = down.slice(0, 3).map((id) => titles.get(id) ?? id);
  const scopeLabel = down.length === 0 ? 'every service' : `${named.join(', ')}${down.length > 3 ? ` and ${down.length - 3} more` : ''} down`;
  const setDownIds = (ids: string[]): void => {
    void setDown(ids);
  };

  return (
    <div className="recovery plan-screen">
      {graph.groups.length > 0 && <GroupsBanner graph={graph} onPick={setSelected} />}
      <PlanDownPicker services={graph.nodes} down={down} onChange={setDownIds} />
      <div className="plan-layout">
        <section className="card plan-graph-card" aria-labelledby="graph-title">
          <h2 id="graph-title">
            Dependencies <span className="muted">· recovery order from the top; arrows run from what is needed to what needs it</span>
          </h2>
          <DependencyGraph
            graph={graph}
            onSelect={setSelected}
            marks={{ selected, scope, path: plan?.criticalPath.services.map((s) => s.id) ?? [], down: new Set(down) }}
          />
        </section>
        <div className="plan-side">
          {group && (
            <PlanGroupPanel
              group={group}
              graph={graph}
              planned={plannedGroup}
              onOpenRecord={onOpenRecord}
              onPick={setSelected}
              onClose={() => {
                setSelected(null);
              }}
            />
          )}
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
