import type { RecoverGroup, ServiceGraph } from '../../../../shared/recovery';
import { cyclesText } from './DependencyGroup';
import type { GraphGroup } from './DependencyWaves';
import { minutesText, plural } from './PlanFormat';
import { PlanNameList, PlanServiceName } from './PlanNameList';

interface Props {
  group: GraphGroup;
  graph: ServiceGraph;
  /** The same group in the current plan, if the plan covers it: its times. */
  planned: RecoverGroup | undefined;
  onOpenRecord: (id: string) => void;
  onPick: (id: string) => void;
  onClose: () => void;
}

function Cycle({ ids, titles, onPick }: { ids: readonly string[]; titles: ReadonlyMap<string, string>; onPick: (id: string) => void }) {
  return (
    <>
      {ids.map((id, i) => (
        <span key={`${id}-${String(i)}`}>
          {i > 0 && <span className="plan-arrow-cycle"> → </span>}
          {i === ids.length - 1 ? (
            <span className="muted">{titles.get(id) ?? id}</span>
          ) : (
            <PlanServiceName id={id} title={titles.get(id) ?? id} onPick={onPick} />
          )}
        </span>
      ))}
    </>
  );
}

/**
 * A recover-together group chosen in the graph: who is in it, every cycle
 * that closes it (the first 20, then a count), and the fewest "depends on"
 * entries whose removal (or marking soft) would give them an order.
 */
export function PlanGroupPanel({ group, graph, planned, onOpenRecord, onPick, onClose }: Props) {
  const titles = new Map(graph.nodes.map((n) => [n.id, n.title]));
  const members = group.services.map((id) => ({ id, title: titles.get(id) ?? id }));
  const alone = members.length === 1;
  const hidden = group.cycleCount - group.cycles.length;
  return (
    <section className="card plan-panel plan-group-panel" aria-labelledby="plan-group-title" data-testid="group-panel">
      <div className="plan-panel-head">
        <h2 id="plan-group-title">{alone ? `${members[0]?.title ?? ''} depends on itself` : 'Recover together'}</h2>
        <span className="pill plan-group-pill">Wave {group.wave + 1}</span>
        <button type="button" className="link-button plan-panel-close" onClick={onClose} aria-label="Close the group details" title="Close (Esc)">
          ×
        </button>
      </div>
      {alone ? (
        <p className="plan-group-why">A service cannot wait for its own recovery: the entry changes nothing in the plan, and is best removed.</p>
      ) : (
        <>
          <p className="plan-group-why">
            These {members.length} services depend on each other, so no restore order exists between them: bring them up side by side in wave {group.wave + 1},
            once what they need from outside is back.
          </p>
          <p className="plan-panel-deps" data-testid="group-members">
            <PlanNameList items={members} onPick={onPick} limit={12} />
          </p>
        </>
      )}
      {planned && (
        <dl className="facts plan-facts plan-group-facts">
          <div>
            <dt>Starts</dt>
            <dd>{minutesText(planned.startMinute)}</dd>
          </div>
          <div>
            <dt title="The slowest member, as all are recovered in parallel">Slowest</dt>
            <dd className={planned.estimatedMinutes === null ? 'paper-unknown' : undefined}>
              {planned.estimatedMinutes === null ? 'no estimate' : minutesText(planned.estimatedMinutes)}
            </dd>
          </div>
          <div>
            <dt title="Declared time to bring the group up together (lifeboat.dev/group-time)">Group time</dt>
            <dd>{minutesText(planned.groupMinutes)}</dd>
          </div>
          <div>
            <dt>Back after</dt>
            {/* Honest planning (#19): a lower bound is unknown, in grey, never a plain time. */}
            <dd className={planned.lowerBound ? 'paper-unknown' : undefined}>
              {planned.lowerBound ? `unknown (≥ ${minutesText(planned.finishMinute)})` : minutesText(planned.finishMinute)}
            </dd>
          </div>
        </dl>
      )}
      {!alone && (
        <>
          <h3>{cyclesText(group).replace(/^./, (c) => c.toUpperCase())}</h3>
          <ol className="plan-cycles" data-testid="group-cycles">
            {group.cycles.map((cycle) => (
              <li key={cycle.join('>')}>
                <Cycle ids={cycle} titles={titles} onPick={onPick} />
              </li>
            ))}
          </ol>
          {hidden > 0 && (
            <p className="muted">…and {group.cycleCountComplete ? hidden.toLocaleString('en-US') : `at least ${hidden.toLocaleString('en-US')}`} more.</p>
          )}
        </>
      )}
      <h3>
        {plural(group.suggestedBreaks.length, 'suggested break')}
        <span className="plan-group-exact"> · {group.suggestedBreaksExact ? 'the fewest possible' : 'few, not proven fewest (large group)'}</span>
      </h3>
      <ul className="plan-breaks" data-testid="group-breaks">
        {group.suggestedBreaks.map((edge) => (
          <li key={`${edge.from}>${edge.to}`}>
            <PlanServiceName id={edge.from} title={titles.get(edge.from) ?? edge.from} onPick={onPick} /> no longer depends on{' '}
            <strong>{titles.get(edge.to) ?? edge.to}</strong>{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => {
                onOpenRecord(edge.from);
              }}
            >
              Open {titles.get(edge.from) ?? edge.from}
            </button>
          </li>
        ))}
      </ul>
      <p className="muted">
        Drop that “depends on” entry, or, if the service can start without it, keep it and mark it soft in the catalog (<code>lifeboat.dev/starts-without</code>
        ): the plan then orders by the rest.
      </p>
    </section>
  );
}
