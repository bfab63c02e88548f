import { useState } from 'react';
import { can } from '../../../shared/permissions';
import type { LifeboatErrorShape } from '../../../shared/errors';
import type { RecordView } from '../../../shared/records';
import { hintFor } from '../error-hints';
import { invoke } from '../lifeboat-client';
import { useLibraryStore } from '../stores/library-store';
import { useSessionStore } from '../stores/session-store';
import './one-time-code.css';

type Action = 'rotated' | 'disabled';

const ACTIONS: Record<Action, { button: string; confirm: string; done: (title: string) => string }> = {
  rotated: {
    button: 'Mark rotated…',
    confirm: 'Log that it was changed at its source',
    done: (title) => `“${title}” marked rotated: logged, and any incident’s rotation checklist is ticked.`,
  },
  disabled: {
    button: 'Confirm disabled…',
    confirm: 'Log that the account is disabled again',
    done: (title) => `“${title}” confirmed disabled again: logged.`,
  },
};

/**
 * A secret's upkeep (issue 21; docs/recovery.md, "Secrets: expiry and
 * rotation"): "Mark rotated" after changing it at its source, and, for an
 * emergency account, "Confirm disabled" after it was used. Both are logged
 * by main; owners and commanders only, as the engine checks.
 */
export function SecretUpkeep({ record }: { record: RecordView }) {
  const role = useSessionStore((s) => s.session?.role);
  const open = useLibraryStore((s) => s.open);
  const [asking, setAsking] = useState<Action | null>(null);
  const [note, setNote] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [problem, setProblem] = useState<LifeboatErrorShape | null>(null);
  if (record.type !== 'secret' || role === undefined || !can(role, 'sessions.lead')) {
    return null;
  }
  const actions: Action[] = record.data['disableAfterUse'] === true ? ['rotated', 'disabled'] : ['rotated'];

  const submit = async (action: Action): Promise<void> => {
    setProblem(null);
    const result = await invoke(action === 'rotated' ? 'secret:rotated' : 'secret:disabled', { id: record.id, ...(note.trim() ? { note: note.trim() } : {}) });
    if (!result.ok) {
      setProblem(result.error);
      return;
    }
    setAsking(null);
    setNote('');
    setDone(ACTIONS[action].done(result.value.title));
    await open(record.id);
  };

  return (
    <section className="secret-upkeep" aria-label="Rotation" data-testid="secret-upkeep">
      {asking === null &&
        actions.map((action) => (
          <button
            key={action}
            type="button"
            onClick={() => {
              setAsking(action);
              setDone(null);
            }}
          >
            {ACTIONS[action].button}
          </button>
        ))}
      {done && (
        <p className="muted" role="status" data-testid="upkeep-done">
          {done}
        </p>
      )}
      {asking && (
        <form
          className="reveal-form"
          onSubmit={(event) => {
            event.preventDefault();
            void submit(asking);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Escape' && note === '') {
              event.preventDefault();
              setAsking(null);
            }
          }}
        >
          <label>
            What was done? (optional, recorded in the audit log)
            <input
              value={note}
              autoFocus
              maxLength={500}
              onChange={(e) => {
                setNote(e.target.value);
              }}
              placeholder={asking === 'rotated' ? 'New password set in the admin portal' : 'Account disabled again in the IdP'}
            />
          </label>
          <button type="submit" className="primary">
            {ACTIONS[asking].confirm}
          </button>
          <button
            type="button"
            onClick={() => {
              setAsking(null);
            }}
          >
            Cancel
          </button>
          {problem && (
            <p className="field-error" role="alert">
              {problem.message} {hintFor(problem.code)}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
