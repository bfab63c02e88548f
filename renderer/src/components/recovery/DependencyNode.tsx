import type { KeyboardEvent } from 'react';
import { NODE_HEIGHT, NODE_WIDTH, type LaidNode } from './DependencyLayout';
import { severityClass, severityLabel } from './PlanFormat';

/** SVG has no text overflow: cut by an average glyph width and keep the whole title in the tooltip. */
function fit(text: string, pixels: number, glyph: number): string {
  const max = Math.floor(pixels / glyph);
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

function rtoText(minutes: number | null): string {
  if (minutes === null) {
    return 'no RTO';
  }
  return minutes < 120 || minutes % 60 !== 0 ? `RTO ${minutes} min` : `RTO ${minutes / 60} h`;
}

export interface NodeMarks {
  selected: boolean;
  dim: boolean;
  onPath: boolean;
  down: boolean;
  /** A member of a recover-together group (drawn inside its box). */
  inGroup: boolean;
}

/** One service as a focusable box: colour and first word give its worst readiness finding. */
export function DependencyNode({ node, marks, onSelect }: { node: LaidNode; marks: NodeMarks; onSelect: (id: string) => void }) {
  const service = node.service;
  if (!service) {
    return <MissingNode node={node} dim={marks.dim} />;
  }
  const tier = service.tier === null ? 'no tier' : `tier ${service.tier}`;
  // The box has room for a short word; the accessible name says it in full.
  const meta = `${service.worst === null ? 'OK' : severityLabel(service.worst)} · ${tier} · ${rtoText(service.rtoMinutes)}`;
  const states = [marks.down && 'marked down', marks.onPath && 'on the critical path', marks.inGroup && 'recovered together with its group'].filter(Boolean);
  const worst = service.worst === null ? 'no findings' : `worst finding ${severityLabel(service.worst)}`;
  // The name starts with the words on the box, so a voice command that reads them finds it (WCAG 2.5.3).
  const label = `${service.title} ${meta} (${worst})${states.length > 0 ? `, ${states.join(', ')}` : ''}`;
  const classes = [
    'dep-node',
    severityClass(service.worst),
    marks.selected && 'dep-selected',
    marks.dim && 'dep-dim',
    marks.onPath && 'dep-on-path',
    marks.down && 'dep-down',
    marks.inGroup && 'dep-in-group',
  ].filter(Boolean);
  const onKeyDown = (event: KeyboardEvent<SVGGElement>): void => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect(service.id);
    }
  };
  return (
    <g
      className={classes.join(' ')}
      transform={`translate(${node.x} ${node.y})`}
      role="button"
      tabIndex={0}
      aria-label={label}
      aria-pressed={marks.selected}
      data-testid="graph-node"
      data-key={node.key}
      data-title={service.title}
      onClick={() => {
        onSelect(service.id);
      }}
      onKeyDown={onKeyDown}
    >
      {/* No <title> tooltip: its text would count as the box's visible text, which the name must contain. */}
      <rect className="dep-halo" x={-5} y={-5} width={NODE_WIDTH + 10} height={NODE_HEIGHT + 10} rx={12} />
      <rect className="dep-box" width={NODE_WIDTH} height={NODE_HEIGHT} rx={8} />
      <rect className="dep-stripe" x={1} y={1} width={6} height={NODE_HEIGHT - 2} rx={3} />
      <text className="dep-title" x={16} y={23}>
        {fit(service.title, NODE_WIDTH - 26, 7.9)}{' '}
      </text>
      <text className="dep-meta" x={16} y={42}>
        {fit(meta, NODE_WIDTH - 24, 5.6)}
      </text>
      {marks.down && (
        <g className="dep-down-badge" transform={`translate(${NODE_WIDTH - 50} -9)`} aria-hidden="true">
          <rect width={44} height={18} rx={9} />
          <text x={22} y={13}>
            DOWN
          </text>
        </g>
      )}
    </g>
  );
}

/** A dependency named by a service but absent from the vault: dashed, with the reference as written. */
function MissingNode({ node, dim }: { node: LaidNode; dim: boolean }) {
  const ref = node.ref ?? '';
  return (
    <g
      className={`dep-node dep-missing${dim ? ' dep-dim' : ''}`}
      transform={`translate(${node.x} ${node.y})`}
      role="img"
      aria-label={`${ref}: not a service in this vault`}
      data-testid="graph-missing"
    >
      <title>{`${ref}: named as a dependency, but not a service in this vault`}</title>
      <rect className="dep-box" width={NODE_WIDTH} height={NODE_HEIGHT} rx={8} />
      <text className="dep-title" x={14} y={23}>
        {fit(ref, NODE_WIDTH - 24, 7.9)}
      </text>
      <text className="dep-meta" x={14} y={42}>
        not in this vault
      </text>
    </g>
  );
}
