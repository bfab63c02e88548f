import { useEffect, useState } from 'react';
import type { Member } from '../../../shared/records';
import { invoke } from '../lifeboat-client';
import { QUORUM_MEMBER, type SecondPerson } from '../stores/quorum-store';
import { useSessionStore } from '../stores/session-store';

/**
 * The second member of a two-person reveal or guarded change, at the same laptop: who they
 * are, and their own passphrase (checked by the engine, never kept here).
 * Anyone who can reveal may confirm, except yourself, auditors and the
 * "recovery quorum" slot; if the member list is not readable, type the name.
 */
export function SecondPersonFields({
  value,
  onChange,
  purpose = 'reveal',
}: {
  value: SecondPerson;
  onChange: (next: SecondPerson) => void;
  /** A reveal, or a change the two-person rule guards (a covered secret, a two-person procedure). */
  purpose?: 'reveal' | 'change';
}) {
  const me = useSessionStore((s) => s.session?.member);
  const [members, setMembers] = useState<Member[] | null>(null);

  useEffect(() => {
    let live = true;
    void invoke('members:list', {}).then((result) => {
      if (live && result.ok) {
        setMembers(result.value);
      }
    });
    return () => {
      live = false;
    };
  }, []);

  const choices = (members ?? []).filter((m) => m.name !== me && m.name !== QUORUM_MEMBER && m.role !== 'auditor').map((m) => m.name);
  return (
    <div className="second-person" role="group" aria-label="Two-person confirmation" data-testid="second-person">
      <p>
        <span className="two-person-badge">Two-person rule</span> Another member confirms this {purpose} by typing their own passphrase here. Both names go into
        the audit log.
      </p>
      <label>
        Second member
        {choices.length > 0 ? (
          <select
            value={value.member}
            onChange={(e) => {
              onChange({ ...value, member: e.target.value });
            }}
            required
          >
            <option value="">(choose)</option>
            {choices.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        ) : (
          <input
            value={value.member}
            onChange={(e) => {
              onChange({ ...value, member: e.target.value });
            }}
            required
            autoComplete="off"
            spellCheck={false}
          />
        )}
      </label>
      <label>
        Their passphrase (they type it)
        <input
          type="password"
          value={value.passphrase}
          onChange={(e) => {
            onChange({ ...value, passphrase: e.target.value });
          }}
          required
          autoComplete="off"
        />
      </label>
    </div>
  );
}
