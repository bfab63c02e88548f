import { useEffect, useRef, useState } from 'react';
import { can } from '../../../shared/permissions';
import type { RecordType } from '../../../shared/record-kinds';
import { kindChips } from '../record-view';
import { scrollRecordFor } from '../record-keys';
import { useLibraryStore, type SearchHit } from '../stores/library-store';
import { useSessionStore } from '../stores/session-store';
import { ErrorBanner } from './ErrorBanner';
import { IncidentHome } from './IncidentHome';
import { RecordEditor } from './RecordEditor';
import { RecordPanel } from './RecordPanel';
import { Snippet } from './Snippet';

/** The filter chips: each kind by its plural (shared/record-kinds.ts). */
const CHIPS = kindChips() as { key: RecordType; label: string }[];

type ListItem = Pick<SearchHit, 'id' | 'type' | 'title' | 'snippet' | 'heading' | 'archived' | 'source'>;

/** Where a hit came from: two runbooks with one title are told apart by their catalog and file. */
function Provenance({ item }: { item: ListItem }) {
  if (!item.source && !item.archived) {
    return null;
  }
  const { source } = item;
  return (
    <span className="result-source" data-testid="result-source">
      {source && (
        <>
          {source.catalogId} v{source.version} · {source.path}
          {source.signed ? ' · signed' : ' · unsigned'}
        </>
      )}
      {item.archived && <span className="result-archived">{source ? ' · ' : ''}archived</span>}
    </span>
  );
}

/** The unlocked vault: search on the left (Ctrl+K), the open record on the right. */
export function Workspace() {
  const { records, query, hits, corrected, typeFilter, selected, error, load, search, openTopHit, searchAsTyped, setTypeFilter, open, close } =
    useLibraryStore();
  const session = useSessionStore((s) => s.session);
  const searchBox = useRef<HTMLInputElement>(null);
  // null: reading; 'new': creating; otherwise editing the open record.
  const [editing, setEditing] = useState<'new' | 'open' | null>(null);
  const canWrite = session ? can(session.role, 'records.write') : false;

  useEffect(() => {
    void load();
  }, [load, session?.vaultId]);

  // Keyboard first: after an unlock the commander types the search straight away.
  useEffect(() => {
    searchBox.current?.focus();
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        searchBox.current?.focus();
        searchBox.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, []);

  const items: ListItem[] = hits ?? records.map((r) => ({ id: r.id, type: r.type, title: r.title, snippet: '', heading: '', archived: false, source: null }));
  const list = useRef<HTMLUListElement>(null);

  /** Arrow keys move between results (from the search box too); Enter opens one. */
  const moveFocus = (event: { key: string; preventDefault: () => void; target: EventTarget }): void => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') {
      return;
    }
    const buttons = [...(list.current?.querySelectorAll<HTMLButtonElement>('button.result') ?? [])];
    if (buttons.length === 0) {
      return;
    }
    event.preventDefault();
    const at = buttons.indexOf(event.target as HTMLButtonElement);
    const next =
      at === -1 ? (event.key === 'ArrowDown' ? 0 : buttons.length - 1) : Math.min(buttons.length - 1, Math.max(0, at + (event.key === 'ArrowDown' ? 1 : -1)));
    if (at === 0 && event.key === 'ArrowUp') {
      searchBox.current?.focus();
      return;
    }
    buttons[next]?.focus();
  };

  return (
    <div className="workspace">
      <aside className="card library" aria-label="Records">
        <div className="search-row">
          <label className="search">
            <span className="visually-hidden">Search the vault</span>
            <input
              ref={searchBox}
              type="search"
              value={query}
              placeholder="Search (Ctrl K)"
              aria-keyshortcuts="Control+K"
              onChange={(e) => void search(e.target.value)}
              onKeyDown={(event) => {
                // Enter settles the search (main logs it once; results while typing are not) and opens the top hit.
                if (event.key === 'Enter') {
                  void openTopHit();
                }
                // Esc closes the open record, the innermost thing, and keeps the query (issue 19).
                if (event.key === 'Escape' && selected) {
                  event.preventDefault();
                  close();
                }
                // PageUp/PageDown read the open record; Home/End stay the text box's own.
                if (event.key === 'PageUp' || event.key === 'PageDown') {
                  scrollRecordFor(event);
                }
                moveFocus(event);
              }}
              data-testid="search"
              spellCheck={false}
            />
          </label>
          {canWrite && (
            <button
              type="button"
              className="new-record"
              onClick={() => {
                setEditing('new');
              }}
            >
              + New record
            </button>
          )}
        </div>
        <div className="chips" role="group" aria-label="Filter by type">
          <button type="button" className={typeFilter === null ? 'chip chip-on' : 'chip'} onClick={() => void setTypeFilter(null)}>
            All
          </button>
          {CHIPS.map(({ key: type, label }) => (
            <button key={type} type="button" className={typeFilter === type ? 'chip chip-on' : 'chip'} onClick={() => void setTypeFilter(type)}>
              {label}
            </button>
          ))}
        </div>
        {error && <ErrorBanner error={error} />}
        {hits !== null && corrected !== null && (
          <p className="corrected" data-testid="corrected" role="status">
            Showing results for <strong>{corrected}</strong>.{' '}
            <button type="button" className="link-button" onClick={() => void searchAsTyped()} data-testid="search-as-typed">
              Search for “{query}” instead
            </button>
          </p>
        )}
        {items.length === 0 ? (
          <p className="empty muted" data-testid="empty-list">
            {query ? `Nothing matches “${query}”.` : 'This vault has no records yet. Sync a catalog, or add one with + New record.'}
          </p>
        ) : (
          <ul
            className="results"
            data-testid="results"
            ref={list}
            onKeyDown={(event) => {
              // PageUp/PageDown/Home/End read the open record, not the results list (issue 19).
              scrollRecordFor(event);
              moveFocus(event);
            }}
          >
            {items.map((item) => (
              <li key={item.id}>
                <button type="button" className={selected?.id === item.id ? 'result result-on' : 'result'} onClick={() => void open(item.id)}>
                  <span className={`type-tag type-${item.type}`}>{item.type}</span>
                  <span className="result-title">{item.title}</span>
                  <Provenance item={item} />
                  {item.heading && <span className="result-heading">{item.heading}</span>}
                  {item.snippet && <Snippet text={item.snippet} />}
                </button>
              </li>
            ))}
          </ul>
        )}
      </aside>
      {editing ? (
        <RecordEditor
          key={editing === 'new' ? 'new' : selected?.id}
          record={editing === 'open' ? selected : null}
          onDone={() => {
            setEditing(null);
          }}
        />
      ) : selected === null ? (
        <IncidentHome records={records} />
      ) : (
        <RecordPanel
          onEdit={
            canWrite
              ? () => {
                  setEditing('open');
                }
              : undefined
          }
        />
      )}
    </div>
  );
}
