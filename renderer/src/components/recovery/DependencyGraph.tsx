import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ServiceGraph } from '../../../../shared/recovery';
import { boxesPerRow, layoutGraph, orderGraph, type GraphLayout, type LaidEdge, type Point } from './DependencyLayout';
import { DependencyGroupBox } from './DependencyGroup';
import { DependencyLegend } from './DependencyLegend';
import { DependencyNode } from './DependencyNode';
import { GROUP_COLUMNS, groupKey } from './DependencyWaves';

export interface GraphMarks {
  /** A service id, or a recover-together group's key (`group:0`). */
  selected: string | null;
  /** Services the plan covers; null when it covers every service (nothing is dimmed). */
  scope: ReadonlySet<string> | null;
  /** The plan's critical path, dependency first (a group's step is its slowest member). */
  path: readonly string[];
  down: ReadonlySet<string>;
}

/**
 * A smooth line through dagre's bend points; drawn directly, an S-curve down
 * (or up, inside a group) to another row, or an arc under the row when both
 * ends share it.
 */
function pathOf(points: readonly Point[], direct: boolean): string {
  const [first, ...rest] = points;
  const end = rest[rest.length - 1];
  if (!first || !end) {
    return '';
  }
  if (direct) {
    const rise = end.y - first.y;
    if (Math.abs(rise) > 1) {
      const bend = Math.sign(rise) * Math.min(48, Math.abs(rise) / 2);
      return `M${first.x},${first.y} C${first.x},${first.y + bend} ${end.x},${end.y - bend} ${end.x},${end.y}`;
    }
    // Longer arcs dip deeper, so arcs between neighbours stay inside wider ones.
    const bend = 24 + Math.abs(end.x - first.x) * 0.06;
    return `M${first.x},${first.y} C${first.x},${first.y + bend} ${end.x},${end.y + bend} ${end.x},${end.y}`;
  }
  let d = `M${first.x},${first.y}`;
  rest.forEach((point, i) => {
    const next = rest[i + 1];
    d += next ? ` Q${point.x},${point.y} ${(point.x + next.x) / 2},${(point.y + next.y) / 2}` : ` L${point.x},${point.y}`;
  });
  return d;
}

/**
 * Edge keys (dependency>dependent) along the critical path. A step that is a
 * group's slowest member stands for the whole group: the path enters and
 * leaves it by whichever members the dependencies join.
 */
function pathKeys(graph: ServiceGraph, path: readonly string[]): Set<string> {
  const step = new Map<string, number>();
  path.forEach((id, i) => {
    const group = graph.nodes.find((n) => n.id === id)?.group ?? null;
    for (const member of group === null ? [id] : (graph.groups[group]?.services ?? [id])) {
      step.set(member, i);
    }
  });
  return new Set(graph.edges.filter((e) => !e.soft && (step.get(e.from) ?? -2) === (step.get(e.to) ?? -9) + 1).map((e) => `${e.to}>${e.from}`));
}

function edgeClass(edge: LaidEdge, marks: GraphMarks, onPath: Set<string>, breaks: Set<string>): string {
  const classes = ['dep-edge'];
  if (edge.missing) {
    classes.push('dep-edge-missing');
  }
  if (edge.soft) {
    classes.push('dep-edge-soft');
  }
  if (breaks.has(edge.key)) {
    classes.push('dep-edge-break');
  }
  if (onPath.has(edge.key)) {
    classes.push('dep-edge-path');
  } else if (marks.selected !== null && (edge.dependency === marks.selected || edge.dependent === marks.selected)) {
    classes.push('dep-edge-selected');
  } else if (edge.inGroup && !edge.soft) {
    classes.push('dep-edge-cycle');
  } else if (marks.scope && !marks.scope.has(edge.dependent)) {
    classes.push('dep-dim');
  }
  return classes.join(' ');
}

const HIGHLIGHTS = ['path', 'selected', 'cycle'] as const;

function arrowFor(className: string): string {
  return HIGHLIGHTS.find((kind) => className.includes(`dep-edge-${kind}`)) ?? 'plain';
}

/**
 * The vault's services as boxes in recovery order (wave 1 at the top), in a
 * panel that scrolls; "Fit to width" shrinks a graph wider than the panel.
 */
export function DependencyGraph({ graph, marks, onSelect }: { graph: ServiceGraph; marks: GraphMarks; onSelect: (id: string) => void }) {
  const viewport = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [fit, setFit] = useState(true);
  const uid = useId().replace(/:/g, '');

  useEffect(() => {
    const element = viewport.current;
    if (!element) {
      return;
    }
    const observer = new ResizeObserver(() => {
      setWidth(element.clientWidth);
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
    };
  }, []);

  // A service picked from the plan may be far down a large graph: bring it into view.
  useEffect(() => {
    if (marks.selected !== null) {
      viewport.current?.querySelector(`[data-key="${CSS.escape(marks.selected)}"]`)?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    }
  }, [marks.selected]);

  const room = Math.max(0, width - 2);
  const perRow = boxesPerRow(room || 900);
  // dagre runs once per graph (and group-box width); resizing the panel only re-packs the rows.
  const columns = Math.min(GROUP_COLUMNS, perRow);
  const ordered = useMemo(() => orderGraph(graph, columns), [graph, columns]);
  const layout: GraphLayout = useMemo(() => layoutGraph(ordered, perRow), [ordered, perRow]);
  const scale = fit && room > 0 ? Math.min(1, room / layout.width) : 1;
  // The bands span the whole panel, with the graph centred in them.
  const canvas = Math.max(layout.width, room / scale);
  const dx = (canvas - layout.width) / 2;
  const onPath = useMemo(() => pathKeys(graph, marks.path), [graph, marks.path]);
  const breaks = useMemo(() => new Set(graph.groups.flatMap((g) => g.suggestedBreaks.map((b) => `${b.to}>${b.from}`))), [graph]);
  const pathIds = useMemo(() => new Set(marks.path), [marks.path]);
  const soft = graph.edges.some((e) => e.soft);

  const edges = layout.edges.map((edge) => ({ edge, className: edgeClass(edge, marks, onPath, breaks) }));
  // Highlighted lines last, so nothing is drawn over them.
  edges.sort((a, b) => Number(arrowFor(a.className) !== 'plain') - Number(arrowFor(b.className) !== 'plain'));
  const missingInScope = (key: string): boolean => !marks.scope || layout.edges.some((e) => e.dependency === key && marks.scope?.has(e.dependent) === true);

  return (
    <div className="dep-graph">
      <div className="dep-toolbar">
        <DependencyLegend groups={graph.groups.length > 0} soft={soft} />
        {layout.width > room && room > 0 && (
          <button
            type="button"
            className={fit ? 'chip chip-on' : 'chip'}
            aria-pressed={fit}
            onClick={() => {
              setFit(!fit);
            }}
            title="The graph is wider than this panel: shrink it to fit, or show it at full size and scroll"
            data-testid="fit-toggle"
          >
            Fit to width{fit ? ` (${Math.round(scale * 100)} %)` : ''}
          </button>
        )}
      </div>
      <div className="dep-viewport" ref={viewport} data-testid="graph-viewport">
        {width > 0 && (
          <svg
            className={layout.dense ? 'dep-svg dep-dense' : 'dep-svg'}
            width={Math.floor(canvas * scale)}
            height={Math.ceil(layout.height * scale)}
            viewBox={`0 0 ${canvas} ${layout.height}`}
            role="group"
            aria-label={`Dependency graph of ${graph.nodes.length} services, recovery order from top to bottom`}
            data-testid="graph"
          >
            <defs>
              {['plain', ...HIGHLIGHTS].map((kind) => (
                <marker
                  key={kind}
                  id={`${uid}-${kind}`}
                  viewBox="0 0 10 10"
                  refX={9}
                  refY={5}
                  markerWidth={10}
                  markerHeight={10}
                  markerUnits="userSpaceOnUse"
                  orient="auto-start-reverse"
                >
                  <path className={`dep-arrow dep-arrow-${kind}`} d="M0,0 L10,5 L0,10 z" />
                </marker>
              ))}
            </defs>
            {layout.bands.map((band, i) => (
              <g key={band.label} className={i % 2 === 0 ? 'dep-band' : 'dep-band dep-band-alt'} data-testid="graph-band">
                <rect x={0} y={band.top} width={canvas} height={band.height} rx={6} />
                <text x={10} y={band.top + Math.min(band.height / 2, 30) + 4}>
                  {band.label}
                </text>
              </g>
            ))}
            <g transform={`translate(${dx} 0)`}>
              {layout.groups.map((box) => (
                <DependencyGroupBox
                  key={box.key}
                  box={box}
                  graph={graph}
                  onSelect={onSelect}
                  marks={{
                    selected: marks.selected === groupKey(box.index),
                    dim: marks.scope !== null && !(graph.groups[box.index]?.services ?? []).some((id) => marks.scope?.has(id)),
                    onPath: (graph.groups[box.index]?.services ?? []).some((id) => pathIds.has(id)),
                  }}
                />
              ))}
              {edges.map(({ edge, className }) => (
                <path
                  key={edge.key}
                  className={className}
                  d={pathOf(edge.points, edge.direct)}
                  markerEnd={`url(#${uid}-${arrowFor(className)})`}
                  data-testid="graph-edge"
                />
              ))}
              {layout.nodes.map((node) => (
                <DependencyNode
                  key={node.key}
                  node={node}
                  onSelect={onSelect}
                  marks={{
                    selected: marks.selected === node.key,
                    dim: node.service ? marks.scope !== null && !marks.scope.has(node.key) : !missingInScope(node.key),
                    onPath: pathIds.has(node.key),
                    down: marks.down.has(node.key),
                    inGroup: node.service?.group !== null && node.service?.group !== undefined,
                  }}
                />
              ))}
            </g>
          </svg>
        )}
      </div>
      <p className="muted dep-hint">Select a service (click, or Tab then Enter) for its details and runbook; Esc closes them.</p>
    </div>
  );
}
