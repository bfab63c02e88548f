import { useEffect, useState } from 'react';
import type { LifeboatErrorShape } from '../../../shared/errors';
import { invoke } from '../lifeboat-client';

/**
 * The owner's setting for "expiring soon" (issue 21; docs/recovery.md,
 * "Secrets: expiry and rotation"): how many days before a secret's expiry
 * date the readiness review and the home screen start saying so.
 */
export function ExpiryWarningSetting({ busy }: { busy: boolean }) {
  const [days, setDays] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<LifeboatErrorShape | null>(null);

  useEffect(() => {
    let alive = true;
    void invoke('secret:attention', {}).then((result) => {
      if (alive && result.ok) {
        setDays(String(result.value.warningDays));
      }
    });
    return () => {
      alive = false;
    };
  }, []);

  const save = async (): Promise<void> => {
    setProblem(null);
    setNotice(null);
    const result = await invoke('settings:set-expiry-warning-days', { days: Number(days) });
    if (result.ok) {
      setNotice(
        result.value.days === 0 ? 'Secrets are flagged only once expired.' : `Secrets expiring within ${result.value.days} days now show as expiring soon.`,
      );
    } else {
      setProblem(result.error);
    }
  };

  return (
    <form
      className="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <label>
        Warn before a secret expires (days)
        <input
          type="number"
          min={0}
          max={3650}
          value={days}
          onChange={(e) => {
            setDays(e.target.value);
          }}
          required
        />
      </label>
      <button type="submit" disabled={busy || days === ''}>
        Save warning
      </button>
      {notice && (
        <p className="muted" role="status">
          {notice}
        </p>
      )}
      {problem && (
        <p className="field-error" role="alert">
          {problem.message}
        </p>
      )}
    </form>
  );
}
