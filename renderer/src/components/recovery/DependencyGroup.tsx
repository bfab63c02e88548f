import type { KeyboardEvent } from 'react';
import type { ServiceGraph } from '../../../../shared/recovery';
import type { LaidGroup } from './DependencyLayout';
import { groupKey } from './DependencyWaves';
import { plural } from './PlanFormat';

export interface GroupMarks {
  selected: boolean;
  dim: boolean;
  onPath: boolean;
}

/** "3 cycles", "at least 1,000 cycles", or for a group of one, what it is. */
export function cyclesText(group: ServiceGraph['groups'][number]): string {
  if (group.services.length === 1) {
    return 'depends on itself';
  }
  return `${group.cycleCountComplete ? '' : 'at least '}${plural(group.cycleCount, 'cycle').replace(/^\d+/, group.cycleCount.toLocaleString('en-US'))}`;
}

/**
 * A recover-together group as one box behind its members (drawn after it, on
 * top): services that depend on each other, brought up together in one wave.
 * The box itself is a button: it opens the group's cycles and suggested breaks.
 */
export function DependencyGroupBox({
  box,
  graph,
  marks,
  onSelect,
}: {
  box: LaidGroup;
  graph: ServiceGraph;
  marks: GroupMarks;
  onSelect: (key: string) => void;
}) {
  const group = graph.groups[box.index];
  if (!group) {
    return null;
  }
  const titles = new Map(graph.nodes.map((n) => [n.id, n.title]));
  const names = group.services.map((id) => titles.get(id) ?? id);
  const heading = group.services.length === 1 ? `${names[0] ?? ''} depends on itself` : `Recover together · ${cyclesText(group)}`;
  const label =
    group.services.length === 1
      ? `${names[0] ?? ''} depends on itself: select for details`
      : `Recover together: ${names.join(', ')} depend on each other (${cyclesText(group)}); select for the cycles and the dependencies to break`;
  const classes = ['dep-group', marks.selected && 'dep-group-selected', marks.dim && 'dep-dim', marks.onPath && 'dep-group-on-path'].filter(Boolean);
  const select = (): void => {
    onSelect(groupKey(box.index));
  };
  const onKeyDown = (event: KeyboardEvent<SVGGElement>): void => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      select();
    }
  };
  return (
    <g
      className={classes.join(' ')}
      transform={`translate(${box.x} ${box.y})`}
      role="button"
      tabIndex={0}
      aria-label={label}
      aria-pressed={marks.selected}
      data-testid="graph-group"
      data-key={box.key}
      data-group={box.index}
      onClick={select}
      onKeyDown={onKeyDown}
    >
      <title>{label}</title>
      <rect className="dep-group-box" width={box.width} height={box.height} rx={12} />
      <text className="dep-group-title" x={12} y={18}>
        {heading}
      </text>
    </g>
  );
}
