import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ServiceGraph } from '../../../../shared/recovery';
import { boxesPerRow, layoutGraph, orderGraph, type GraphLayout, type LaidEdge, type Point } from './DependencyLayout';
import { DependencyLegend } from './DependencyLegend';
import { DependencyNode } from './DependencyNode';

export interface GraphMarks {
  selected: string | null;
  /** Services the plan covers; null when it covers every service (nothing is dimmed). */
  scope: ReadonlySet<string> | null;
  /** The plan's critical path, dependency first. */
  path: readonly string[];
  down: ReadonlySet<string>;
  cycle: readonly string[] | null;
}

/**
 * A smooth line through dagre's bend points; drawn directly, an S-curve down
 * to the next row, or an arc under the row when both ends share it (a cycle).
 */
function pathOf(points: readonly Point[], direct: boolean): string {
  const [first, ...rest] = points;
  const end = rest[rest.length - 1];
  if (!first || !end) {
    return '';
  }
  if (direct) {
    const down = end.y > first.y + 1;
    // Longer arcs dip deeper, so arcs between neighbours stay inside wider ones.
    const bend = down ? Math.min(48, (end.y - first.y) / 2) : 24 + Math.abs(end.x - first.x) * 0.06;
    return `M${first.x},${first.y} C${first.x},${first.y + bend} ${end.x},${end.y + (down ? -bend : bend)} ${end.x},${end.y}`;
  }
  let d = `M${first.x},${first.y}`;
  rest.forEach((point, i) => {
    const next = rest[i + 1];
    d += next ? ` Q${point.x},${point.y} ${(point.x + next.x) / 2},${(point.y + next.y) / 2}` : ` L${point.x},${point.y}`;
  });
  return d;
}

/** Edge keys (dependency>dependent) along a chain where each entry depends on the one before. */
function chainKeys(chain: readonly string[]): Set<string> {
  return new Set(chain.slice(1).map((id, i) => `${chain[i] ?? ''}>${id}`));
}

function edgeClass(edge: LaidEdge, marks: GraphMarks, onPath: Set<string>, inCycle: Set<string>): string {
  const classes = ['dep-edge'];
  if (edge.missing) {
    classes.push('dep-edge-missing');
  }
  if (onPath.has(edge.key)) {
    classes.push('dep-edge-path');
  } else if (marks.selected !== null && (edge.dependency === marks.selected || edge.dependent === marks.selected)) {
    classes.push('dep-edge-selected');
  } else if (inCycle.has(edge.key)) {
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
  // dagre runs once per graph; resizing the panel only re-packs the rows.
  const ordered = useMemo(() => orderGraph(graph), [graph]);
  const layout: GraphLayout = useMemo(() => layoutGraph(ordered, perRow), [ordered, perRow]);
  const scale = fit && room > 0 ? Math.min(1, room / layout.width) : 1;
  // The bands span the whole panel, with the graph centred in them.
  const canvas = Math.max(layout.width, room / scale);
  const dx = (canvas - layout.width) / 2;
  const onPath = useMemo(() => chainKeys(marks.path), [marks.path]);
  const inCycle = useMemo(() => chainKeys([...(marks.cycle ?? [])].reverse()), [marks.cycle]);
  const cycleIds = useMemo(() => new Set(marks.cycle ?? []), [marks.cycle]);
  const pathIds = useMemo(() => new Set(marks.path), [marks.path]);

  const edges = layout.edges.map((edge) => ({ edge, className: edgeClass(edge, marks, onPath, inCycle) }));
  // Highlighted lines last, so nothing is drawn over them.
  edges.sort((a, b) => Number(arrowFor(a.className) !== 'plain') - Number(arrowFor(b.className) !== 'plain'));
  const missingInScope = (key: string): boolean => !marks.scope || layout.edges.some((e) => e.dependency === key && marks.scope?.has(e.dependent) === true);

  return (
    <div className="dep-graph">
      <div className="dep-toolbar">
        <DependencyLegend />
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
                    inCycle: cycleIds.has(node.key),
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
