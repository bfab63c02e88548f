/**
 * A runbook's steps as a checklist (issue 19, item 2). The steps are the ones
 * stored on the record (electron/catalog/runbook-steps.ts picks them at
 * import). Ticks belong to the running exercise or incident, saved by main
 * (electron/recovery/runbook-ticks.ts), so closing the record or locking
 * keeps them; with none running, the list says ticks are not kept and offers
 * to start one, never losing them silently.
 */
import { useEffect, useState } from 'react';
import type { LifeboatErrorShape } from '../../../shared/errors';
import { can } from '../../../shared/permissions';
import type { RunbookTicks } from '../../../shared/recovery';
import { stepParts } from '../../../shared/step-text';
import { invoke } from '../lifeboat-client';
import { useAppStore } from '../stores/app-store';
import { useSessionStore } from '../stores/session-store';
import { ErrorBanner } from './ErrorBanner';
import { StepCommands, StepText } from './StepCommands';
import './steps.css';

type Tick = RunbookTicks['steps'][number];

interface Props {
  recordId: string;
  /** The field's key and label (`steps`, "Steps"). */
  field: string;
  label: string;
  steps: readonly string[];
}

function tickTime(at: string): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function StepsChecklist({ recordId, field, label, steps }: Props) {
  const role = useSessionStore((s) => s.session?.role);
  const setView = useAppStore((s) => s.setView);
  // What main holds for this record; until it answers, nothing is shown as ticked.
  const [held, setHeld] = useState<RunbookTicks | null>(null);
  // Ticks with no session running: on screen only, and the list says so.
  const [local, setLocal] = useState<ReadonlySet<number>>(new Set());
  const [error, setError] = useState<LifeboatErrorShape | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    void invoke('sessions:runbook-ticks', { recordId }).then((result) => {
      if (current) {
        setHeld(result.ok ? result.value : null);
        setError(result.ok ? null : result.error);
      }
    });
    return () => {
      current = false;
    };
  }, [recordId]);

  const running = held?.session ?? null;
  const tickOf = (i: number): Tick => held?.steps[i] ?? null;
  const isDone = (i: number): boolean => (running ? tickOf(i) !== null : local.has(i));
  const doneCount = steps.filter((_, i) => isDone(i)).length;

  const toggle = async (i: number): Promise<void> => {
    if (!running) {
      const next = new Set(local);
      if (next.has(i)) {
        next.delete(i);
      } else {
        next.add(i);
      }
      setLocal(next);
      return;
    }
    // One change at a time: main reads the session, logs, then saves it.
    setBusy(true);
    const result = await invoke('sessions:tick-runbook', { id: running.id, recordId, index: i, done: tickOf(i) === null });
    setBusy(false);
    if (result.ok) {
      setHeld(result.value);
      setError(null);
    } else {
      setError(result.error);
    }
  };

  const canLead = role !== undefined && can(role, 'sessions.lead');
  return (
    <section aria-labelledby={`${field}-heading`} className="steps-checklist">
      <h3 id={`${field}-heading`}>
        {label}{' '}
        <span className="muted">
          ({doneCount}/{steps.length} done)
        </span>
      </h3>
      {/* Holds the line's place until main answers, so the record does not jump under the reader (or a restored scroll). */}
      {held === null && !error && <p className="steps-kept">Looking for a running exercise or incident…</p>}
      {held && running && (
        <p className="steps-kept" data-testid="steps-kept">
          Ticks are kept in the {running.kind} “{running.scenario}”.
        </p>
      )}
      {held && !running && (
        <p className="steps-not-kept" data-testid="steps-not-kept">
          No exercise or incident is running: ticks here are not kept.{' '}
          {canLead ? (
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setView('sessions');
              }}
            >
              Start one to keep them
            </button>
          ) : (
            'Ask an owner or commander to start one to keep them.'
          )}
        </p>
      )}
      {error && <ErrorBanner error={error} />}
      <ol className="checklist">
        {steps.map((step, i) => {
          // A catalog step carries its code (shared/step-text.ts): inline code as code, blocks as commands to copy.
          const parts = stepParts(step);
          const tick = running ? tickOf(i) : null;
          return (
            <li key={i}>
              <label>
                <input
                  type="checkbox"
                  checked={isDone(i)}
                  disabled={busy || held === null}
                  onChange={() => {
                    void toggle(i);
                  }}
                />
                <span>{parts.text ? <StepText text={parts.text} /> : `Step ${i + 1}`}</span>
                {tick && (
                  <span className="muted step-by">
                    {tick.by}, {tickTime(tick.at)}
                  </span>
                )}
              </label>
              <StepCommands code={parts.code} step={i + 1} />
            </li>
          );
        })}
      </ol>
    </section>
  );
}
