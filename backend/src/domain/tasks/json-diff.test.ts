import { describe, expect, it } from 'vitest';
import { jsonDiff } from './json-diff.js';
import { MASKED, recordedRequest } from './recorded-request.js';

describe('jsonDiff', () => {
  it('is empty for equal values', () => {
    expect(jsonDiff({ a: [1, { b: 'x' }], c: null }, { a: [1, { b: 'x' }], c: null })).toEqual([]);
  });
  it('names each changed, added and removed path', () => {
    expect(jsonDiff({ a: 1, gone: true, list: [1, 2, 3], 'odd key': 'x' }, { a: 2, list: [1, 5], new: { n: 1 }, 'odd key': 'y' })).toEqual([
      { path: '$.a', kind: 'changed', a: 1, b: 2 },
      { path: '$.gone', kind: 'removed', a: true },
      { path: '$.list[1]', kind: 'changed', a: 2, b: 5 },
      { path: '$.list[2]', kind: 'removed', a: 3 },
      { path: '$["odd key"]', kind: 'changed', a: 'x', b: 'y' },
      { path: '$.new', kind: 'added', b: { n: 1 } },
    ]);
  });
  it('compares different types as a change of the whole value', () => {
    expect(jsonDiff([1], { 0: 1 })).toEqual([{ path: '$', kind: 'changed', a: [1], b: { 0: 1 } }]);
    expect(jsonDiff(null, 3)).toEqual([{ path: '$', kind: 'changed', a: null, b: 3 }]);
  });
  it('stops at the limit', () => {
    const a = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    expect(jsonDiff(a, {}, 10)).toHaveLength(10);
  });
});

describe('recordedRequest', () => {
  it('masks credentials in headers, query, body and URL and keeps the rest', () => {
    const r = recordedRequest({
      method: 'POST',
      url: '/api/v1/sync/s1?token=abc&x=1&api_key=k',
      headers: { authorization: 'Basic eA==', cookie: 'a=b', 'x-api-key': 'k', 'content-type': 'application/json', 'x-trace': 't' },
      query: { token: 'abc', x: '1' },
      body: { password: 'p', name: 'n' },
    });
    expect(r).toEqual({
      method: 'POST',
      url: `/api/v1/sync/s1?token=${encodeURIComponent(MASKED)}&x=1&api_key=${encodeURIComponent(MASKED)}`,
      headers: { authorization: MASKED, cookie: MASKED, 'x-api-key': MASKED, 'content-type': 'application/json', 'x-trace': 't' },
      query: { token: MASKED, x: '1' },
      body: { password: MASKED, name: 'n' },
    });
    expect(recordedRequest(undefined)).toBeNull();
  });

  it("keeps DataFlux's request fields, originalUrl's credentials masked", () => {
    const r = recordedRequest({
      method: 'GET',
      url: '/api/v1/sync/s1',
      originalUrl: '/api/v1/sync/s1?token=abc&x=1',
      host: 'h:8088',
      hostname: 'h',
      protocol: 'http',
      ip: '127.0.0.1',
      ips: [],
      xhr: false,
      headers: {},
      query: { token: 'abc', x: '1' },
      body: null,
    });
    expect(r).toMatchObject({
      url: '/api/v1/sync/s1',
      originalUrl: `/api/v1/sync/s1?token=${encodeURIComponent(MASKED)}&x=1`,
      host: 'h:8088',
      hostname: 'h',
      protocol: 'http',
      ip: '127.0.0.1',
      ips: [],
      xhr: false,
    });
  });
});
