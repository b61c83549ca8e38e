/** The React Flow graph: server and beat → queues → worker units, with queue drag and drop between units. */
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useState, type DragEvent, type ReactNode } from 'react';
import { Background, Controls, ReactFlow, ReactFlowProvider, useReactFlow, useStore, type Edge } from '@xyflow/react';
import { useTheme } from '../../app/theme';
import { GraphContext, QUEUE_MIME, readDragged, type DraggedQueue, type GraphActions } from './graph-context';
import { graphEdges, layoutNodes, type GraphNode } from './graph-layout';
import { structureKey, type GraphModel } from './graph-model';
import { NODE_TYPES } from './nodes';
import { allMeasured, graphOverflows } from './graph-fit';

export interface TopologyGraphProps {
  model: GraphModel;
  managed: boolean;
  busy: boolean;
  actions: Omit<GraphActions, 'setDragging'>;
}

/**
 * The least zoom a fit may choose: node text stays 8 px and more (its smallest is 10 px). A graph
 * wider than that (a narrow window, many units) is shown from its top left corner at this zoom and
 * dragged to see the rest, rather than shrunk to unreadable text (0.45 at 760 px: 5 px text).
 */
export const MIN_READABLE_ZOOM = 0.8;
const FIT = { padding: 0.08, maxZoom: 1, minZoom: MIN_READABLE_ZOOM };
/** The margin kept at the top left when the graph does not fit, in screen pixels. */
const EDGE = 16;

/**
 * Fits the view again when the structure changes (a unit added, a queue moved), the pane's size does,
 * or the nodes are measured (before that their bounds are not their size; `allMeasured`); answers whether the graph
 * overflows it, by xyflow's fit with the same padding (`graph-fit.ts`).
 */
function FitOnChange({ structure, onOverflow }: { structure: string; onOverflow: (overflows: boolean) => void }): null {
  const flow = useReactFlow();
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const measured = useStore((s) => allMeasured(s.nodeLookup.values()));
  useEffect(() => {
    if (!measured) return;
    const t = setTimeout(() => {
      const bounds = flow.getNodesBounds(flow.getNodes());
      if (width <= 0 || height <= 0 || bounds.width <= 0) return;
      const fits = !graphOverflows(bounds, width, height, FIT);
      onOverflow(!fits);
      if (fits) void flow.fitView(FIT);
      else void flow.setViewport({ x: EDGE - bounds.x * MIN_READABLE_ZOOM, y: EDGE - bounds.y * MIN_READABLE_ZOOM, zoom: MIN_READABLE_ZOOM });
    }, 50);
    return () => clearTimeout(t);
  }, [flow, structure, width, height, measured, onOverflow]);
  return null;
}

function Graph({ model, managed, busy, actions }: TopologyGraphProps): ReactNode {
  const [theme] = useTheme();
  const [dragging, setDragging] = useState<DraggedQueue | null>(null);
  const [overflows, setOverflows] = useState(false);
  const structure = structureKey(model, managed);
  // Node positions follow the structure only; the numbers inside nodes come from the context.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const nodes = useMemo<GraphNode[]>(() => layoutNodes(model), [structure]);
  const edges = useMemo<Edge[]>(() => graphEdges(model), [model]);
  const context = useMemo(() => ({ model, managed, busy, dragging, actions: { ...actions, setDragging } }), [model, managed, busy, dragging, actions]);

  const onDragOver = (e: DragEvent): void => {
    if (!managed || !e.dataTransfer.types.includes(QUEUE_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
  };
  const onDrop = (e: DragEvent): void => {
    const d = readDragged(e.dataTransfer) ?? dragging;
    setDragging(null);
    if (!managed || !d) return;
    e.preventDefault();
    actions.moveQueue(d.queue, d.from);
  };

  return (
    <GraphContext value={context}>
      <div className="relative h-full w-full" onDragOver={onDragOver} onDrop={onDrop} data-testid="topology-graph" data-structure={structure}>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={NODE_TYPES}
          colorMode={theme}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          fitView
          fitViewOptions={FIT}
          minZoom={0.3}
          maxZoom={1.5}
          proOptions={{ hideAttribution: false }}
        >
          <Background gap={20} size={1} />
          <Controls showInteractive={false} position="bottom-left" fitViewOptions={FIT} />
          <FitOnChange structure={structure} onOverflow={setOverflows} />
        </ReactFlow>
        {overflows && !dragging ? (
          <p
            className="pointer-events-none absolute top-2 right-2 rounded bg-white/90 px-2 py-1 text-[11px] text-zinc-500 shadow-sm dark:bg-zinc-900/90"
            data-testid="topology-pan-hint"
          >
            Drag the graph to see the rest
          </p>
        ) : null}
        {dragging ? (
          <div className="pointer-events-none absolute inset-x-0 top-3 flex justify-center" data-testid="drag-hint">
            <p className="rounded-md bg-indigo-600 px-3 py-1.5 text-xs font-medium text-white shadow-lg">
              Drop #{dragging.queue} on another unit to move it there, or on empty space to give it a unit of its own
            </p>
          </div>
        ) : null}
      </div>
    </GraphContext>
  );
}

export function TopologyGraph(props: TopologyGraphProps): ReactNode {
  return (
    <ReactFlowProvider>
      <Graph {...props} />
    </ReactFlowProvider>
  );
}
