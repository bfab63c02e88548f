import { useEffect, useState } from 'react';
import { AUDIT_EVENT_LABELS } from '../../../shared/audit-events';
import { builtInViews, type AuditFilter, type SavedView } from '../../../shared/audit-filter';
import { useAuditViewStore } from '../stores/audit-view-store';
import './audit-filters.css';

const LABELS: Readonly<Record<string, string>> = AUDIT_EVENT_LABELS;

const DURING_LABELS = { '': 'Any time', incident: 'During incidents', exercise: 'During exercises', 'any-session': 'During any session' } as const;

function Picker({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: readonly [string, string][];
  onChange: (value: string) => void;
}) {
  return (
    <label>
      <span>{label}</span>
      {/* Named by the label alone: a wrapped select would add its shown option to its name. */}
      <select
        aria-label={label}
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
        }}
      >
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

/** What type the event picker shows: one type, any, or the several a view chose. */
function typeValue(filter: AuditFilter): string {
  const types = filter.types ?? [];
  return types.length === 0 ? '' : types.length === 1 ? (types[0] ?? '') : '*several';
}

/** The auditor's filters and saved views (issue #22); the timeline below shows what they match. */
export function AuditFilterBar({ vaultId }: { vaultId: string }) {
  const { filter, page, savedViews, viewName, setFilter, applyView, loadViews, saveView, deleteView } = useAuditViewStore();
  const [chosenView, setChosenView] = useState('');
  const [newName, setNewName] = useState('');
  const builtIns = builtInViews(new Date());
  const allViews: SavedView[] = [...builtIns, ...savedViews];

  useEffect(() => {
    loadViews(vaultId);
  }, [loadViews, vaultId]);

  const severalTypes = (filter.types ?? []).length > 1;
  const typeOptions: [string, string][] = [
    ['', 'Any event'],
    ...(severalTypes ? [['*several', `${String(filter.types?.length ?? 0)} kinds (from the view)`] as [string, string]] : []),
    ...(page?.types ?? []).map((t): [string, string] => [t, LABELS[t] ?? t]),
  ];
  const isUserView = savedViews.some((v) => v.name === chosenView);

  return (
    <section className="card audit-filters" aria-labelledby="filters-heading">
      <div className="card-title">
        <h2 id="filters-heading">Filters</h2>
        {viewName && (
          <span className="pill" data-testid="active-view">
            View: {viewName}
          </span>
        )}
      </div>
      <form
        className="audit-views"
        onSubmit={(event) => {
          event.preventDefault();
          const view = allViews.find((v) => v.name === chosenView);
          if (view) {
            void applyView(view);
          }
        }}
      >
        <label>
          <span>Saved view</span>
          <select
            value={chosenView}
            onChange={(e) => {
              setChosenView(e.target.value);
            }}
          >
            <option value="">Choose a view…</option>
            <optgroup label="Built in">
              {builtIns.map((v) => (
                <option key={v.name} value={v.name}>
                  {v.name}
                </option>
              ))}
            </optgroup>
            {savedViews.length > 0 && (
              <optgroup label="Saved on this laptop">
                {savedViews.map((v) => (
                  <option key={v.name} value={v.name}>
                    {v.name}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </label>
        <button type="submit" disabled={chosenView === ''}>
          Apply view
        </button>
        {isUserView && (
          <button
            type="button"
            onClick={() => {
              deleteView(vaultId, chosenView);
              setChosenView('');
            }}
          >
            Delete view
          </button>
        )}
      </form>
      <div className="audit-filter-grid">
        <label>
          <span>From</span>
          <input type="date" value={filter.from ?? ''} onChange={(e) => void setFilter({ from: e.target.value })} />
        </label>
        <label>
          <span>To (included)</span>
          <input type="date" value={filter.to ?? ''} onChange={(e) => void setFilter({ to: e.target.value })} />
        </label>
        <Picker
          label="Member"
          value={filter.member ?? ''}
          options={[['', 'Anyone'], ...(page?.members ?? []).map((m): [string, string] => [m, m])]}
          onChange={(member) => void setFilter({ member })}
        />
        <Picker
          label="Device"
          value={filter.device ?? ''}
          options={[['', 'Any device'], ...(page?.devices ?? []).map((d): [string, string] => [d, d])]}
          onChange={(device) => void setFilter({ device })}
        />
        <Picker
          label="Record"
          value={filter.record ?? ''}
          options={[['', 'Any record'], ...(page?.records ?? []).map((r): [string, string] => [r.id, r.title])]}
          onChange={(record) => void setFilter({ record })}
        />
        <Picker
          label="Event"
          value={typeValue(filter)}
          options={typeOptions}
          onChange={(type) => {
            if (type !== '*several') {
              void setFilter({ types: type === '' ? [] : [type] });
            }
          }}
        />
        <Picker
          label="When"
          value={filter.during ?? ''}
          options={Object.entries(DURING_LABELS)}
          onChange={(during) => void setFilter({ during: during === '' ? undefined : (during as AuditFilter['during']) })}
        />
        <label className="audit-filter-text">
          <span>Reason contains</span>
          <input
            type="search"
            value={filter.text ?? ''}
            placeholder="INC-42, restore…"
            onChange={(e) => {
              void setFilter({ text: e.target.value });
            }}
          />
        </label>
      </div>
      <form
        className="audit-views"
        onSubmit={(event) => {
          event.preventDefault();
          saveView(vaultId, newName);
          setNewName('');
        }}
      >
        <label>
          <span>Save these filters as</span>
          <input
            value={newName}
            placeholder="Reveals by contractors"
            onChange={(e) => {
              setNewName(e.target.value);
            }}
          />
        </label>
        <button type="submit" disabled={newName.trim() === ''}>
          Save view
        </button>
        <button type="button" onClick={() => void setFilter({ from: '', to: '', member: '', device: '', record: '', types: [], during: undefined, text: '' })}>
          Clear filters
        </button>
      </form>
    </section>
  );
}
