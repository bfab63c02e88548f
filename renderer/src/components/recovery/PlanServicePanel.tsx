import type { PlanService, ServiceGraph } from '../../../../shared/recovery';
import type { GraphNode } from './DependencyWaves';
import { plural, severityClass, severityLabel } from './PlanFormat';

interface Props {
  node: GraphNode;
  graph: ServiceGraph;
  /** The service in the current plan, if the plan covers it. */
  planned: PlanService | undefined;
  down: boolean;
  onOpenRecord: (id: string) => void;
  onToggleDown: () => void;
  onPick: (id: string) => void;
  onClose: () => void;
}

function Names({ ids, graph, onPick }: { ids: readonly string[]; graph: ServiceGraph; onPick: (id: string) => void }) {
  if (ids.length === 0) {
    return <span className="muted">none</span>;
  }
  const titles = new Map(graph.nodes.map((n) => [n.id, n.title]));
  return (
    <>
      {ids.map((id, i) => (
        <span key={id}>
          {i > 0 && ', '}
          <button
            type="button"
            className="link-button plan-name"
            onClick={() => {
              onPick(id);
            }}
          >
            {titles.get(id) ?? id}
          </button>
        </span>
      ))}
    </>
  );
}

/** The service chosen in the graph: its facts, where it sits in the plan, and the way to its runbook. */
export function PlanServicePanel({ node, graph, planned, down, onOpenRecord, onToggleDown, onPick, onClose }: Props) {
  const needs = graph.edges.filter((e) => e.from === node.id && !e.soft).map((e) => e.to);
  const startsWithout = graph.edges.filter((e) => e.from === node.id && e.soft).map((e) => e.to);
  const group = node.group === null ? undefined : graph.groups[node.group];
  const neededBy = graph.edges.filter((e) => e.to === node.id).map((e) => e.from);
  const missing = graph.missing.filter((m) => m.serviceId === node.id).map((m) => m.ref);
  return (
    <section className="card plan-panel" aria-labelledby="plan-panel-title" data-testid="service-panel">
      <div className="plan-panel-head">
        <h2 id="plan-panel-title">{node.title}</h2>
        <span className={`pill sev-pill ${severityClass(node.worst)}`}>{severityLabel(node.worst)}</span>
        <button type="button" className="link-button plan-panel-close" onClick={onClose} aria-label="Close the service details" title="Close (Esc)">
          ×
        </button>
      </div>
      <dl className="facts plan-facts">
        <div>
          <dt>Tier</dt>
          <dd>{node.tier ?? '—'}</dd>
        </div>
        <div>
          <dt>RTO</dt>
          <dd className={node.rtoMinutes === null ? 'paper-unknown' : undefined}>{node.rtoMinutes === null ? 'none set' : `${node.rtoMinutes} min`}</dd>
        </div>
        <div>
          <dt>Findings</dt>
          <dd>{node.findings}</dd>
        </div>
        <div>
          <dt title="When it is back on paper, in the current plan">Back after</dt>
          <dd className={planned?.lowerBound ? 'paper-unknown' : undefined} data-testid="panel-finish">
            {!planned ? 'not planned' : planned.lowerBound ? `unknown (≥ ${planned.finishMinute} min)` : `${planned.finishMinute} min`}
          </dd>
        </div>
      </dl>
      {planned?.breach && (
        <p className="plan-panel-breach">
          RTO not achievable on paper: back after {planned.lowerBound ? 'at least ' : ''}
          {planned.finishMinute} min, RTO {planned.rtoMinutes} min.
        </p>
      )}
      {planned?.verdict === 'unknown' && (
        <p className="paper-unknown plan-panel-unknown" data-testid="panel-unknown">
          RTO {planned.rtoMinutes} min: unknown on paper. An estimate is missing on the way, so nobody can say whether it is met.
        </p>
      )}
      {planned?.verdict === 'no-rto' && (
        <p className="paper-unknown plan-panel-unknown">No RTO set: nobody has said how long it may be down, so nothing can be checked.</p>
      )}
      <p className="plan-panel-deps">
        <span className="muted">Needs: </span>
        <Names ids={needs} graph={graph} onPick={onPick} />
        {missing.length > 0 && <span className="plan-panel-missing"> + not in vault: {missing.join(', ')}</span>}
      </p>
      {startsWithout.length > 0 && (
        <p className="plan-panel-deps">
          <span className="muted">Can start without: </span>
          <Names ids={startsWithout} graph={graph} onPick={onPick} />
        </p>
      )}
      <p className="plan-panel-deps">
        <span className="muted">Needed by: </span>
        <Names ids={neededBy} graph={graph} onPick={onPick} />
      </p>
      {group && (
        <p className="plan-panel-group" data-testid="service-group">
          {group.services.length === 1 ? (
            <>It depends on itself. </>
          ) : (
            <>
              In a dependency cycle with <Names ids={group.services.filter((id) => id !== node.id)} graph={graph} onPick={onPick} />: recovered together.{' '}
            </>
          )}
          <button
            type="button"
            className="link-button plan-name"
            onClick={() => {
              onPick(`group:${String(group.index)}`);
            }}
          >
            See the group
          </button>
        </p>
      )}
      <div className="plan-panel-actions">
        {node.runbookId !== null && (
          <button
            type="button"
            className="primary"
            onClick={() => {
              onOpenRecord(node.runbookId ?? '');
            }}
          >
            Open runbook
          </button>
        )}
        <button
          type="button"
          onClick={() => {
            onOpenRecord(node.id);
          }}
        >
          Open service
        </button>
        <button type="button" aria-pressed={down} onClick={onToggleDown}>
          {down ? 'Not down' : 'Mark as down'}
        </button>
      </div>
      {node.runbookId === null && <p className="muted">No runbook names this service yet.</p>}
      {node.findings > 0 && <p className="muted">{plural(node.findings, 'readiness finding')}: see the Readiness tab.</p>}
    </section>
  );
}
