import type { LifeboatErrorShape } from '../../../../shared/errors';
import type { PlanService, RecoverGroup, RecoveryPlan } from '../../../../shared/recovery';
import { ErrorBanner } from '../ErrorBanner';
import { PaperVerdicts } from './PaperVerdicts';
import { minutesText } from './PlanFormat';
import { PlanNameList, PlanServiceName, type OnPick } from './PlanNameList';

/** The total on paper: minutes when every service has an estimate; else the engine's honest words, grey (plan-verdicts.ts). */
function Headline({ plan }: { plan: RecoveryPlan }) {
  const path = plan.criticalPath.services;
  const { total } = plan.paper;
  return (
    <div className="plan-headline" data-testid="critical-path">
      <div className="plan-total">
        <span className={`plan-total-value plan-total-${total.state}`} data-testid="plan-total" data-state={total.state}>
          {total.state === 'known' ? minutesText(total.minutes) : total.text}
        </span>
        <span className="muted">on paper with unlimited hands</span>
      </div>
      {path.length > 0 && total.state !== 'unknown' && (
        <p className="plan-path">
          <span className="muted">Critical path: </span>
          {path.map((s, i) => {
            const group = s.group === null ? undefined : plan.groups[s.group];
            return (
              <span key={s.id}>
                {i > 0 && <span className="plan-arrow"> → </span>}
                <span className="plan-step">
                  {group && <span className="plan-together-tag">together: </span>}
                  <strong>{group ? group.services.map((m) => m.title).join(', ') : s.title}</strong>
                  <span className="muted">
                    {' '}
                    {s.estimatedMinutes === null ? '(no estimate)' : `${s.estimatedMinutes} min`}
                    {group && group.groupMinutes > 0 ? ` + ${group.groupMinutes} min group time` : ''}
                  </span>
                </span>
              </span>
            );
          })}
        </p>
      )}
    </div>
  );
}

function Breaches({ breaches, onPick }: { breaches: readonly PlanService[]; onPick: OnPick }) {
  if (breaches.length === 0) {
    return null;
  }
  return (
    <div className="plan-breaches" role="group" aria-labelledby="plan-breaches-title">
      <h3 id="plan-breaches-title">RTO not achievable on paper</h3>
      <ul data-testid="plan-breaches">
        {breaches.map((s) => (
          <li key={s.id}>
            <PlanServiceName id={s.id} title={s.title} onPick={onPick} /> back after {s.lowerBound ? 'at least ' : ''}
            {s.finishMinute} min, RTO {s.rtoMinutes ?? '?'} min
            <span className="muted"> ({s.finishMinute - (s.rtoMinutes ?? 0)} min late)</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A wave's services, a group's members together in one bracket. */
function WaveUnits({ plan, services, onPick }: { plan: RecoveryPlan; services: readonly PlanService[]; onPick: OnPick }) {
  const singles = services.filter((s) => s.group === null);
  const groups = [...new Set(services.map((s) => s.group).filter((g): g is number => g !== null))]
    .map((g) => plan.groups[g])
    .filter((g): g is RecoverGroup => g !== undefined);
  return (
    <>
      {groups.map((group, i) => (
        <span key={group.index} className="plan-together" data-testid="plan-together">
          {i > 0 && ' '}
          <span className="plan-together-tag">{group.services.length === 1 ? 'depends on itself: ' : 'together: '}</span>
          <PlanNameList items={group.services} onPick={onPick} />
        </span>
      ))}
      {groups.length > 0 && singles.length > 0 && <span className="muted"> · </span>}
      <PlanNameList items={singles} onPick={onPick} />
    </>
  );
}

function Waves({ plan, onPick }: { plan: RecoveryPlan; onPick: OnPick }) {
  return (
    <>
      <h3>Recovery order</h3>
      <ol className="plan-waves" data-testid="plan-waves">
        {plan.waves.map((wave) => (
          <li key={wave.index}>
            <span className="plan-wave-label">
              Wave {wave.index + 1}
              {wave.services.length > 10 ? ` (${wave.services.length} services)` : ''}:
            </span>{' '}
            <WaveUnits plan={plan} services={wave.services} onPick={onPick} />
            {wave.services.length > 1 && <span className="muted"> (in parallel)</span>}
          </li>
        ))}
      </ol>
    </>
  );
}

/** Each group once: its cycles and what would order it; the graph's group panel has the detail. */
function Groups({ plan, onPick }: { plan: RecoveryPlan; onPick: OnPick }) {
  if (plan.groups.length === 0) {
    return null;
  }
  return (
    <div className="plan-gap" data-testid="plan-groups">
      <h3>Recover together</h3>
      <p className="muted">They depend on each other in a cycle: no restore order exists between them, so they come back side by side.</p>
      <ul>
        {plan.groups.map((group) => (
          <li key={group.index}>
            <button
              type="button"
              className="link-button plan-name"
              onClick={() => {
                onPick(`group:${String(group.index)}`);
              }}
            >
              {group.services.map((s) => s.title).join(', ')}
            </button>
            <span className="muted">
              {' '}
              · wave {group.wave + 1} · {group.cycleCountComplete ? '' : 'at least '}
              {group.cycleCount} {group.cycleCount === 1 ? 'cycle' : 'cycles'} · break:{' '}
              {group.suggestedBreaks.map((b) => `${b.from.title} → ${b.to.title}`).join(', ')}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Gaps({ plan, onPick }: { plan: RecoveryPlan; onPick: OnPick }) {
  const all = plan.waves.flatMap((w) => w.services);
  const unknown = all.filter((s) => s.verdict === 'unknown');
  const noRto = all.filter((s) => s.verdict === 'no-rto');
  return (
    <>
      {plan.missing.length > 0 && (
        <div className="plan-gap">
          <h3>Not in this vault</h3>
          <p className="muted">Named as dependencies but not services here: find out who recovers them before you start.</p>
          <ul data-testid="plan-missing">
            {plan.missing.map((m) => (
              <li key={`${m.serviceId}-${m.ref}`}>
                <code>{m.ref}</code>, needed by <PlanServiceName id={m.serviceId} title={m.serviceTitle} onPick={onPick} />
              </li>
            ))}
          </ul>
        </div>
      )}
      {unknown.length > 0 && (
        <div className="plan-gap plan-gap-unknown" data-testid="plan-rto-unknown">
          <h3>RTO unknown on paper</h3>
          <p className="muted">They have an RTO, but an estimate is missing on the way: nobody can say whether it is met.</p>
          <p className="plan-unestimated">
            <PlanNameList items={unknown} onPick={onPick} limit={12} />
          </p>
        </div>
      )}
      {noRto.length > 0 && (
        <div className="plan-gap plan-gap-unknown" data-testid="plan-no-rto">
          <h3>No RTO set</h3>
          <p className="muted">Nobody has said how long they may be down, so no time can be checked against them.</p>
          <p className="plan-unestimated">
            <PlanNameList items={noRto} onPick={onPick} limit={12} />
          </p>
        </div>
      )}
      {plan.unestimated.length > 0 && (
        <div className="plan-gap plan-gap-unknown">
          <h3>No estimate</h3>
          <p className="muted">No runbook gives a time: unknown. The plan counts them as 0 min, so every time after them is only a lower bound (“at least”).</p>
          <p className="plan-unestimated" data-testid="plan-unestimated">
            <PlanNameList items={plan.unestimated} onPick={onPick} limit={12} />
          </p>
        </div>
      )}
    </>
  );
}

/** The answer to "what is down?": how long, in what order, and what cannot be met. */
export function PlanSummary({
  plan,
  error,
  scopeLabel,
  onPick,
}: {
  plan: RecoveryPlan | null;
  error: LifeboatErrorShape | null;
  scopeLabel: string;
  onPick: OnPick;
}) {
  return (
    <section className="card plan-summary" aria-labelledby="plan-title" data-testid="plan-summary">
      <h2 id="plan-title">
        Plan <span className="muted">· {scopeLabel}</span>
      </h2>
      {error && <ErrorBanner error={error} />}
      {!error && !plan && <p className="muted">Working out the plan…</p>}
      {!error && plan && (
        <>
          <Headline plan={plan} />
          <Breaches breaches={plan.breaches} onPick={onPick} />
          <PaperVerdicts paper={plan.paper} skipBad />
          <Waves plan={plan} onPick={onPick} />
          <Groups plan={plan} onPick={onPick} />
          <Gaps plan={plan} onPick={onPick} />
        </>
      )}
    </section>
  );
}
