/** The React Flow graph: server and beat → queues → worker units, with queue drag and drop between units. */
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useState, type DragEvent, type ReactNode } from 'react';
import { Background, Controls, ReactFlow, ReactFlowProvider, useReactFlow, type Edge } from '@xyflow/react';
import { useTheme } from '../../app/theme';
import { GraphContext, QUEUE_MIME, readDragged, type DraggedQueue, type GraphActions } from './graph-context';
import { graphEdges, layoutNodes, type GraphNode } from './graph-layout';
import { structureKey, type GraphModel } from './graph-model';
import { NODE_TYPES } from './nodes';

export interface TopologyGraphProps {
  model: GraphModel;
  managed: boolean;
  busy: boolean;
  actions: Omit<GraphActions, 'setDragging'>;
}

/** Fits the view again when the structure changes (a unit added, a queue moved). */
function FitOnChange({ structure }: { structure: string }): null {
  const flow = useReactFlow();
  useEffect(() => {
    const t = setTimeout(() => void flow.fitView({ padding: 0.08, maxZoom: 1 }), 50);
    return () => clearTimeout(t);
  }, [flow, structure]);
  return null;
}

function Graph({ model, managed, busy, actions }: TopologyGraphProps): ReactNode {
  const [theme] = useTheme();
  const [dragging, setDragging] = useState<DraggedQueue | null>(null);
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
          fitViewOptions={{ padding: 0.08, maxZoom: 1 }}
          minZoom={0.3}
          maxZoom={1.5}
          proOptions={{ hideAttribution: false }}
        >
          <Background gap={20} size={1} />
          <Controls showInteractive={false} position="bottom-left" />
          <FitOnChange structure={structure} />
        </ReactFlow>
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
