/**
 * The session's journal: notes, blockers and what unblocked them, each
 * stamped by the engine with its time and author. It becomes the "blockers
 * and notes" part of the evidence report.
 */
import { useId, useState, type SyntheticEvent } from 'react';
import { JOURNAL_KINDS, type JournalKind } from '../../../../shared/recovery-kinds';
import type { RecoverySession } from '../../../../shared/recovery';
import { useSessionsStore } from '../../stores/sessions-store';
import { sinceStart, timeOfDay } from './SessionClock';

const KIND_LABEL: Record<JournalKind, string> = { note: 'Note', blocker: 'Blocker', unblocked: 'Unblocked' };

export function SessionJournal({ session, canWork }: { session: RecoverySession; canWork: boolean }) {
  const journal = useSessionsStore((s) => s.journal);
  const [kind, setKind] = useState<JournalKind>('note');
  const [about, setAbout] = useState('');
  const [text, setText] = useState('');
  const [tried, setTried] = useState(false);
  const ids = useId();
  const titles = new Map(session.services.map((s) => [s.id, s.title]));
  const editable = canWork && session.status === 'active';
  const empty = text.trim() === '';

  const submit = (event: SyntheticEvent): void => {
    event.preventDefault();
    setTried(true);
    if (empty) {
      return;
    }
    void journal(kind, text.trim(), about === '' ? undefined : about).then((ok) => {
      if (ok) {
        setText('');
        setTried(false);
      }
    });
  };

  return (
    <aside className="card ses-journal" aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`}>Journal</h3>
      {editable && (
        <form className="ses-journal-form" onSubmit={submit} noValidate>
          <fieldset className="ses-segmented">
            <legend className="visually-hidden">Entry kind</legend>
            {JOURNAL_KINDS.map((k) => (
              <label key={k} className={`ses-seg ses-seg-${k} ${kind === k ? 'ses-seg-on' : ''}`}>
                <input
                  type="radio"
                  name={`${ids}-kind`}
                  value={k}
                  checked={kind === k}
                  onChange={() => {
                    setKind(k);
                  }}
                />
                {KIND_LABEL[k]}
              </label>
            ))}
          </fieldset>
          <label>
            About
            <select
              value={about}
              onChange={(e) => {
                setAbout(e.target.value);
              }}
            >
              <option value="">the whole session</option>
              {session.services.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title}
                </option>
              ))}
            </select>
          </label>
          <label>
            {kind === 'blocker' ? 'What is blocking' : kind === 'unblocked' ? 'What unblocked it' : 'Note'}
            <textarea
              rows={2}
              value={text}
              maxLength={2000}
              onChange={(e) => {
                setText(e.target.value);
              }}
              onKeyDown={(e) => {
                // Ctrl+Enter adds the entry without leaving the keyboard.
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                  submit(e);
                }
              }}
              aria-invalid={tried && empty}
              placeholder={kind === 'blocker' ? 'e.g. backup bucket credentials expired' : undefined}
            />
          </label>
          {tried && empty && <p className="field-error">Write the {kind === 'blocker' ? 'blocker' : 'entry'} first.</p>}
          <button type="submit" className={kind === 'blocker' ? 'danger' : undefined}>
            Add {KIND_LABEL[kind].toLowerCase()} <kbd>Ctrl ↵</kbd>
          </button>
        </form>
      )}
      {session.journal.length === 0 ? (
        <p className="muted">Nothing noted yet. Blockers and decisions written here go into the evidence report.</p>
      ) : (
        <ol className="ses-journal-list" data-testid="journal" reversed>
          {[...session.journal].reverse().map((entry, i) => (
            <li key={`${entry.at}-${i}`} className={`ses-entry ses-entry-${entry.kind}`}>
              <div className="ses-entry-meta">
                <span className={`ses-entry-kind ses-entry-kind-${entry.kind}`}>{KIND_LABEL[entry.kind]}</span>
                <time dateTime={entry.at}>{timeOfDay(entry.at)}</time>
                <span className="muted">{sinceStart(session.startedAt, entry.at)}</span>
                <strong>{entry.by}</strong>
                {entry.serviceId !== undefined && <span className="muted">on {titles.get(entry.serviceId) ?? entry.serviceId}</span>}
              </div>
              <p className="ses-entry-text">{entry.text}</p>
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}
