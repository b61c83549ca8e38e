/** The typed client of the contract: HTTP + SSE here; the Electron bridge implements the same FuncApi. */
export {
  createHttpClient,
  dispositionFilename,
  type DownloadedFile,
  type HttpClientOptions,
  type HttpFuncApi,
  type TaskLogHandlers,
  type TopologySubscription,
} from './http-client.js';
export type { FuncApi, CallInput, CallOutput, InputOf, OutputOf } from './types.js';
export type { FetchLike, FetchResponseLike, EventSourceLike, EventSourceFactory } from './transport.js';
export { buildUrl } from './build-url.js';
export { decodeResponse } from './decode-response.js';
export { signRequest, signatureHeaders, withSignatureQuery, type AccessKeyAuth, type Signature } from './access-key.js';
export { createIpcClient, unwrapEnvelope, type IpcEnvelope, type OpInvoker } from './ipc-transport.js';
