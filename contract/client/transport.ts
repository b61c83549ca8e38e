/**
 * The smallest surface of `fetch` and `EventSource` the client needs. The caller passes the real
 * ones in (the browser's, Node's, or an Electron bridge), so `contract/` stays free of DOM and
 * Node types.
 */
export interface FetchResponseLike {
  readonly status: number;
  text(): Promise<string>;
  /** The body as bytes: needed for a file answer (`download`), which text() would mangle. */
  arrayBuffer?(): Promise<ArrayBuffer>;
  /** Response headers (Content-Type, Content-Disposition of a file answer). */
  readonly headers?: { get(name: string): string | null };
}

export interface FetchInitLike {
  method: string;
  headers: Record<string, string>;
  /** JSON text, or a multipart/form-data body (an operation with files: `uploadResource`). */
  body?: string | Uint8Array;
  signal?: unknown;
}

export type FetchLike = (url: string, init: FetchInitLike) => Promise<FetchResponseLike>;

export interface MessageEventLike {
  readonly data: unknown;
}

export interface EventSourceLike {
  addEventListener(type: string, listener: (event: MessageEventLike) => void): void;
  close(): void;
}

export type EventSourceFactory = (url: string) => EventSourceLike;
