/** What the graph's nodes read: the live model and the actions they offer (nodes only carry ids). */
import { createContext, useContext } from 'react';
import type { GraphModel } from './graph-model';

export const QUEUE_MIME = 'application/x-func-queue';

export interface DraggedQueue {
  queue: number;
  from: string;
}

export interface GraphActions {
  scale: (unit: string, replicas: number) => void;
  editLimits: (unit: string) => void;
  /** Move a queue onto another unit, or to a new unit of its own when `to` is undefined. */
  moveQueue: (queue: number, from: string, to?: string) => void;
  setDragging: (d: DraggedQueue | null) => void;
}

export interface GraphContextValue {
  model: GraphModel;
  /** The server can change the stack (Docker endpoint configured and the stack deployed). */
  managed: boolean;
  /** A change is being planned or applied: controls wait. */
  busy: boolean;
  dragging: DraggedQueue | null;
  actions: GraphActions;
}

export const GraphContext = createContext<GraphContextValue | null>(null);

export function useGraph(): GraphContextValue {
  const v = useContext(GraphContext);
  if (!v) throw new Error('graph nodes need a GraphContext');
  return v;
}

export function readDragged(data: DataTransfer): DraggedQueue | null {
  try {
    const v = JSON.parse(data.getData(QUEUE_MIME)) as Partial<DraggedQueue>;
    return typeof v.queue === 'number' && typeof v.from === 'string' ? { queue: v.queue, from: v.from } : null;
  } catch {
    return null;
  }
}
