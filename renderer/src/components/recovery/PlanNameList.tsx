import { useState } from 'react';

export type OnPick = (id: string) => void;

/** A service named in the plan: clicking it selects it in the graph. */
export function PlanServiceName({ id, title, onPick }: { id: string; title: string; onPick: OnPick }) {
  return (
    <button
      type="button"
      className="link-button plan-name"
      onClick={() => {
        onPick(id);
      }}
      title="Show in the graph"
    >
      {title}
    </button>
  );
}

/**
 * Names separated by commas. A long list (a wave of forty services) shows its
 * first few and a button for the rest, so the plan stays one screen tall.
 */
export function PlanNameList({ items, onPick, limit = 8 }: { items: readonly { id: string; title: string }[]; onPick: OnPick; limit?: number }) {
  const [all, setAll] = useState(false);
  const shown = all || items.length <= limit + 2 ? items : items.slice(0, limit);
  return (
    <>
      {shown.map((item, i) => (
        <span key={item.id}>
          {i > 0 && ', '}
          <PlanServiceName id={item.id} title={item.title} onPick={onPick} />
        </span>
      ))}
      {shown.length < items.length && (
        <>
          {' '}
          <button
            type="button"
            className="link-button plan-more"
            onClick={() => {
              setAll(true);
            }}
          >
            and {items.length - shown.length} more
          </button>
        </>
      )}
    </>
  );
}
