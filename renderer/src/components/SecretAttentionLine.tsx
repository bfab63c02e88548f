import { useEffect, useState } from 'react';
import type { SecretAttentionView } from '../../../shared/secret-contract';
import { invoke } from '../lifeboat-client';
import { useLibraryStore } from '../stores/library-store';
import './one-time-code.css';

/**
 * The home screen's one line about secrets, right after unlock (issue 21):
 * "2 break-glass credentials overdue". It opens the list, each item opening
 * its secret (where "Mark rotated" and "Confirm disabled" are). Asked of main
 * once the vault is open, so nothing about the vault shows before unlock.
 * `revision`: refetched when the records change.
 */
export function SecretAttentionLine({ revision }: { revision: string }) {
  const [attention, setAttention] = useState<SecretAttentionView | null>(null);
  const [expanded, setExpanded] = useState(false);
  const open = useLibraryStore((s) => s.open);

  useEffect(() => {
    let alive = true;
    void invoke('secret:attention', {}).then((result) => {
      // An answer arriving after a lock or another vault is dropped with the component.
      if (alive && result.ok) {
        setAttention(result.value);
      }
    });
    return () => {
      alive = false;
    };
  }, [revision]);

  if (!attention?.summary) {
    return null;
  }
  return (
    <section className="secret-attention" aria-label="Secrets needing attention" data-testid="secret-attention">
      <button
        type="button"
        className="link-button"
        aria-expanded={expanded}
        onClick={() => {
          setExpanded(!expanded);
        }}
      >
        {attention.summary}
      </button>
      {expanded && (
        <ul data-testid="secret-attention-list">
          {attention.findings.map((finding, i) => (
            <li key={`${finding.rule}-${finding.recordId ?? i}`}>
              <span className={`severity severity-${finding.severity}`}>{finding.severity}</span>
              <span>{finding.message}</span>
              {finding.recordId && (
                <button type="button" onClick={() => void open(finding.recordId ?? '')}>
                  Open
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
