// A DAG's tasks and dependency edges, laid out left to right by dagre (loaded on first use,
// so the DAG list never downloads it), each task coloured by its state in one run.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { stateLabel } from '../format.js';

const NODE_HEIGHT = 34;
const CHAR_WIDTH = 7.4;  // monospace 12px; enough to size a box around its id

let dagrePromise = null;
function loadDagre() {
  dagrePromise ??= import('@dagrejs/dagre');
  return dagrePromise;
}

function layoutGraph(dagre, tasks) {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 46, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(tasks.map((t) => t.task_id));
  for (const t of tasks) {
    g.setNode(t.task_id, { width: Math.max(70, t.task_id.length * CHAR_WIDTH + 36), height: NODE_HEIGHT });
  }
  for (const t of tasks) {
    for (const d of t.depends_on || []) if (ids.has(d)) g.setEdge(d, t.task_id);
  }
  dagre.layout(g);
  const nodes = g.nodes().map((id) => ({ id, ...g.node(id) }));
  const edges = g.edges().map((e) => ({ from: e.v, to: e.w, points: g.edge(e).points }));
  const { width, height } = g.graph();
  return { nodes, edges, width, height };
}

function edgePath(points) {
  if (!points?.length) return '';
  const [first, ...rest] = points;
  if (rest.length === 1) return `M${first.x},${first.y} L${rest[0].x},${rest[0].y}`;
  // A smooth curve through dagre's points: quadratic segments between midpoints.
  let d = `M${first.x},${first.y}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const p = rest[i];
    const q = rest[i + 1];
    d += ` Q${p.x},${p.y} ${(p.x + q.x) / 2},${(p.y + q.y) / 2}`;
  }
  const last = rest[rest.length - 1];
  return `${d} L${last.x},${last.y}`;
}

/// `tasks`: [{task_id, depends_on}] in file order; `states`: task id -> state in the run
/// shown; `onSelect(task_id)` when a task is clicked.
export function DagGraph({ tasks, states, onSelect, selected, caption }) {
  const [dagre, setDagre] = useState(null);
  const [failed, setFailed] = useState(null);
  useEffect(() => {
    loadDagre().then(setDagre, setFailed);
  }, []);
  // Re-layout only when the shape changes, not when states do.
  const shape = tasks.map((t) => `${t.task_id}<${(t.depends_on || []).join(',')}`).join(';');
  const layout = useMemo(() => (dagre && tasks.length ? layoutGraph(dagre, tasks) : null), [dagre, shape]);

  if (failed) return <p class="load-error">Could not load the graph layout: {String(failed)}</p>;
  if (!tasks.length) return <p class="muted">No tasks.</p>;
  if (!layout) return <p class="muted">Laying out the graph…</p>;

  return (
    <figure class="graph" data-testid="dag-graph">
      <svg
        width={layout.width}
        height={layout.height}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        role="group"
        aria-label={caption || 'Task graph'}
      >
        <defs>
          <marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto">
            <path d="M0,0 L8,4 L0,8 z" class="arrowhead" />
          </marker>
        </defs>
        <g class="edges" aria-hidden="true">
          {layout.edges.map((e) => (
            <path key={`${e.from}->${e.to}`} d={edgePath(e.points)} class="edge" marker-end="url(#arrow)" />
          ))}
        </g>
        {layout.nodes.map((n) => {
          const state = states?.[n.id] || 'none';
          const label = `${n.id}: ${stateLabel(state)}`;
          const x = n.x - n.width / 2;
          const y = n.y - n.height / 2;
          return (
            <g
              key={n.id}
              class={`node st-${state}${selected === n.id ? ' selected' : ''}`}
              transform={`translate(${x},${y})`}
              role={onSelect ? 'button' : 'img'}
              tabindex={onSelect ? 0 : undefined}
              aria-label={label}
              data-testid={`graph-node-${n.id}`}
              data-state={state}
              onClick={onSelect ? () => onSelect(n.id) : undefined}
              onKeyDown={
                onSelect
                  ? (e) => {
                      if (e.key === 'Enter' || e.key === ' ') {
                        e.preventDefault();
                        onSelect(n.id);
                      }
                    }
                  : undefined
              }
            >
              <title>{label}</title>
              <rect width={n.width} height={n.height} rx="6" />
              <text x="12" y={n.height / 2 + 4}>
                {n.id}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
