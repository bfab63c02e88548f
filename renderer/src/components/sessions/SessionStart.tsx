/**
 * Starting a session: exercise or real incident, what happened (or what is
 * simulated), and which services are down. The engine adds what they depend
 * on and orders everything into waves.
 */
import { useEffect, useId, useState, type SyntheticEvent } from 'react';
import { SESSION_KINDS, type SessionKind } from '../../../../shared/recovery-kinds';
import { useSessionsStore } from '../../stores/sessions-store';

const KIND_TEXT: Record<SessionKind, { label: string; help: string }> = {
  exercise: { label: 'Exercise', help: 'A drill: measures how long recovery really takes against each RTO.' },
  incident: { label: 'Real incident', help: 'Services are down now. The record is the evidence for the post-incident review.' },
};

export function SessionStart({ onCancel }: { onCancel: () => void }) {
  const { services, busy, loadServices, start } = useSessionsStore();
  const [kind, setKind] = useState<SessionKind>('exercise');
  const [scenario, setScenario] = useState('');
  const [filter, setFilter] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [tried, setTried] = useState(false);
  const ids = useId();

  useEffect(() => {
    void loadServices();
  }, [loadServices]);

  const needle = filter.trim().toLowerCase();
  const shown = needle ? services.filter((s) => s.title.toLowerCase().includes(needle)) : services;
  const scenarioMissing = scenario.trim() === '';
  const noServices = chosen.length === 0;

  const toggle = (id: string, on: boolean): void => {
    setChosen((list) => (on ? [...list, id] : list.filter((x) => x !== id)));
  };

  const submit = (event: SyntheticEvent): void => {
    event.preventDefault();
    setTried(true);
    if (scenarioMissing || noServices) {
      return;
    }
    void start(kind, scenario.trim(), chosen);
  };

  const titleOf = (id: string): string => services.find((s) => s.id === id)?.title ?? id;

  return (
    <form className={`ses-start ${kind === 'incident' ? 'ses-start-incident' : ''}`} aria-labelledby={`${ids}-title`} onSubmit={submit} noValidate>
      <h3 id={`${ids}-title`}>Start a recovery session</h3>
      <fieldset className="ses-kinds">
        <legend>Kind</legend>
        {SESSION_KINDS.map((k) => (
          <label key={k} className={`ses-kind-choice ${kind === k ? 'ses-kind-choice-on' : ''} ses-kind-choice-${k}`}>
            <input
              type="radio"
              name={`${ids}-kind`}
              value={k}
              checked={kind === k}
              onChange={() => {
                setKind(k);
              }}
            />
            <span>
              <strong>{KIND_TEXT[k].label}</strong>
              <span className="muted">{KIND_TEXT[k].help}</span>
            </span>
          </label>
        ))}
      </fieldset>

      <div className="form-field">
        <label htmlFor={`${ids}-scenario`}>Scenario</label>
        <textarea
          id={`${ids}-scenario`}
          rows={2}
          value={scenario}
          onChange={(e) => {
            setScenario(e.target.value);
          }}
          placeholder={
            kind === 'incident'
              ? 'What is happening, e.g. "INC-412: primary region lost, orders down"'
              : 'What the exercise simulates, e.g. "orders-api down after a bad deploy"'
          }
          aria-invalid={tried && scenarioMissing}
          aria-describedby={tried && scenarioMissing ? `${ids}-scenario-error` : undefined}
          maxLength={2000}
          required
        />
        {tried && scenarioMissing && (
          <p className="field-error" id={`${ids}-scenario-error`}>
            Say what happened, or what the exercise simulates: the report is titled with it.
          </p>
        )}
      </div>

      <fieldset className="ses-pick" aria-describedby={`${ids}-pick-help`}>
        <legend>Services that are down</legend>
        <p className="muted" id={`${ids}-pick-help`}>
          Choose what is down; Lifeboat adds everything they depend on and orders them into waves.
        </p>
        <input
          type="search"
          value={filter}
          onChange={(e) => {
            setFilter(e.target.value);
          }}
          placeholder="Filter services"
          aria-label="Filter services"
        />
        <ul className="ses-pick-list" aria-label="Services">
          {shown.map((service) => (
            <li key={service.id}>
              <label>
                <input
                  type="checkbox"
                  checked={chosen.includes(service.id)}
                  onChange={(e) => {
                    toggle(service.id, e.target.checked);
                  }}
                />
                <span>{service.title}</span>
              </label>
            </li>
          ))}
          {shown.length === 0 && (
            <li className="muted">
              {services.length === 0 ? 'This vault has no services yet: sync a catalog or add service records first.' : `No service matches “${filter}”.`}
            </li>
          )}
        </ul>
        <p className="muted" aria-live="polite">
          {noServices ? 'None chosen yet.' : `Chosen: ${chosen.map(titleOf).join(', ')}`}
        </p>
        {tried && noServices && <p className="field-error">Choose at least one service that is down.</p>}
      </fieldset>

      <div className="form-actions">
        <button type="submit" className={kind === 'incident' ? 'ses-danger-solid' : 'primary'} disabled={busy}>
          {kind === 'incident' ? 'Start the incident' : 'Start the exercise'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
