/**
 * Whether the topology graph fits its pane at a readable zoom. The answer uses xyflow's own fit
 * (`getViewportForBounds`, the computation `fitView` makes) with the same padding, so the "drag to
 * see more" hint shows exactly when the fit would go below the readable zoom: xyflow takes
 * `padding` off the pane once (zoom = pane / (1 + padding) / graph, to the pixel), not on each side.
 */
import { getViewportForBounds, type Rect } from '@xyflow/react';

export interface FitOptions {
  padding: number;
  minZoom: number;
}

/** The zoom `fitView` would choose for `bounds` in a `width` × `height` pane, before the least zoom is applied. */
export function fitZoom(bounds: Rect, width: number, height: number, padding: number): number {
  return getViewportForBounds(bounds, width, height, 0, Number.POSITIVE_INFINITY, padding).zoom;
}

/** Whether the fit would have to go below `minZoom` (the graph is then shown at that zoom and dragged). */
export function graphOverflows(bounds: Rect, width: number, height: number, fit: FitOptions): boolean {
  return fitZoom(bounds, width, height, fit.padding) < fit.minZoom;
}

/**
 * Whether every node has been measured. Not `useNodesInitialized`: it reads the nodes we pass, and
 * ours (controlled, no `onNodesChange`) never get their measured size back; xyflow keeps it on its
 * own copies (the store's `nodeLookup`), which this is given.
 */
export function allMeasured(nodes: Iterable<{ measured?: { width?: number; height?: number } }>): boolean {
  let any = false;
  for (const n of nodes) {
    if (n.measured?.width === undefined || n.measured.height === undefined) return false;
    any = true;
  }
  return any;
}
