/**
 * Slow and failed requests (DataFlux Func's "abnormal requests"), kept by the server that
 * answered them, newest first: one bounded list per type. `reqCost1000`/`reqCost5000`: took at
 * least 1 s / 5 s; `statusCode4xx`/`statusCode5xx`: answered with that status class.
 */
export const ABNORMAL_REQUEST_TYPES = ['reqCost1000', 'reqCost5000', 'statusCode4xx', 'statusCode5xx'] as const;
export type AbnormalRequestType = (typeof ABNORMAL_REQUEST_TYPES)[number];

/** Per type and server. */
export const ABNORMAL_REQUEST_LIMIT = 1000;

export interface AbnormalRequest {
  traceId: string;
  reqMethod: string;
  /** The URL asked for, credentials in the query masked. */
  reqURL: string;
  reqRoute: string;
  reqTime: string;
  reqCost: number;
  respTime: string;
  respStatusCode: number;
  /** The error reason when there was one. */
  respReason: string | null;
  userId: string | null;
}

export class AbnormalRequests {
  private readonly lists = new Map<AbnormalRequestType, AbnormalRequest[]>(ABNORMAL_REQUEST_TYPES.map((t) => [t, []]));

  constructor(private readonly limit = ABNORMAL_REQUEST_LIMIT) {}

  static typesOf(reqCost: number, status: number): AbnormalRequestType[] {
    const types: AbnormalRequestType[] = [];
    if (reqCost >= 1000) types.push('reqCost1000');
    if (reqCost >= 5000) types.push('reqCost5000');
    if (status >= 400 && status < 500) types.push('statusCode4xx');
    if (status >= 500) types.push('statusCode5xx');
    return types;
  }

  add(request: AbnormalRequest): void {
    for (const type of AbnormalRequests.typesOf(request.reqCost, request.respStatusCode)) {
      const list = this.lists.get(type)!;
      list.unshift(request);
      if (list.length > this.limit) list.length = this.limit;
    }
  }

  /** Newest first. */
  list(type: AbnormalRequestType, offset: number, limit: number): { items: AbnormalRequest[]; total: number } {
    const list = this.lists.get(type)!;
    return { items: list.slice(offset, offset + limit), total: list.length };
  }
}
