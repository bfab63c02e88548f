import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import type { GraphNode } from './DependencyWaves';
import { plural } from './PlanFormat';

/**
 * "What is down?": a filterable multi-select (a combobox with a listbox that
 * stays open while ticking), with the chosen services as removable chips.
 * Keyboard: type to filter, ↑/↓ to move, Enter to tick, Backspace on an
 * empty box removes the last chip, Esc closes the list.
 */
export function PlanDownPicker({ services, down, onChange }: { services: readonly GraphNode[]; down: readonly string[]; onChange: (ids: string[]) => void }) {
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const id = useId();
  const listId = `${id}-list`;
  const titles = new Map(services.map((s) => [s.id, s.title]));
  const needle = query.trim().toLowerCase();
  const options = services.filter((s) => s.title.toLowerCase().includes(needle)).sort((a, b) => a.title.localeCompare(b.title));
  const current = Math.min(active, Math.max(0, options.length - 1));
  const optionId = (index: number): string => `${id}-opt-${index}`;

  const activeId = open ? optionId(current) : null;
  useEffect(() => {
    if (activeId !== null) {
      document.getElementById(activeId)?.scrollIntoView({ block: 'nearest' });
    }
  }, [activeId]);

  const toggle = (serviceId: string): void => {
    onChange(down.includes(serviceId) ? down.filter((d) => d !== serviceId) : [...down, serviceId]);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
      setActive(open ? Math.min(options.length - 1, Math.max(0, current + (event.key === 'ArrowDown' ? 1 : -1))) : current);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const option = options[current];
      if (open && option) {
        toggle(option.id);
        setQuery('');
      } else {
        setOpen(true);
      }
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      setOpen(false);
    } else if (event.key === 'Backspace' && query === '' && down.length > 0) {
      onChange(down.slice(0, -1));
    }
  };

  return (
    <section className="card plan-picker" aria-labelledby={`${id}-label`} data-testid="down-picker">
      <label className="plan-picker-label" id={`${id}-label`} htmlFor={`${id}-input`}>
        What is down?
      </label>
      <div className="plan-picker-box">
        {down.map((serviceId) => (
          <button
            key={serviceId}
            type="button"
            className="chip chip-down"
            onClick={() => {
              toggle(serviceId);
            }}
            aria-label={`${titles.get(serviceId) ?? serviceId} is down: remove`}
          >
            {titles.get(serviceId) ?? serviceId} <span aria-hidden="true">×</span>
          </button>
        ))}
        <div className="plan-picker-input">
          <input
            id={`${id}-input`}
            type="text"
            role="combobox"
            aria-expanded={open}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={open && options.length > 0 ? optionId(current) : undefined}
            value={query}
            placeholder={down.length === 0 ? 'Type a service that is down…' : 'Add another…'}
            autoComplete="off"
            spellCheck={false}
            data-testid="down-input"
            onChange={(event) => {
              setQuery(event.target.value);
              setActive(0);
              setOpen(true);
            }}
            onFocus={() => {
              setOpen(true);
            }}
            onBlur={() => {
              setOpen(false);
            }}
            onKeyDown={onKeyDown}
          />
          {open && (
            <ul className="plan-picker-list" id={listId} role="listbox" aria-multiselectable="true" aria-label="Services" data-testid="down-options">
              {options.length === 0 && <li className="muted plan-picker-none">No service matches “{query}”.</li>}
              {options.map((service, index) => {
                const chosen = down.includes(service.id);
                return (
                  <li
                    key={service.id}
                    id={optionId(index)}
                    role="option"
                    aria-selected={chosen}
                    className={`plan-picker-option${index === current ? ' plan-picker-active' : ''}`}
                    // Keep focus in the box, so the list stays open while ticking several.
                    onMouseDown={(event) => {
                      event.preventDefault();
                    }}
                    onClick={() => {
                      toggle(service.id);
                      setActive(index);
                    }}
                  >
                    <span className={chosen ? 'tick tick-on' : 'tick'} aria-hidden="true">
                      {chosen ? '✓' : ''}
                    </span>
                    {service.title}
                  </li>
                );
              })}
            </ul>
          )}
        </div>
        {down.length > 0 && (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              onChange([]);
            }}
          >
            Clear
          </button>
        )}
      </div>
      <p className="muted plan-picker-hint" data-testid="down-hint">
        {down.length === 0
          ? `Nothing chosen: the plan below covers all ${plural(services.length, 'service')}.`
          : `Planning for ${plural(down.length, 'service')} and everything they need.`}
      </p>
    </section>
  );
}
