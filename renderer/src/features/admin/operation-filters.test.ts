import { describe, expect, it } from 'vitest';
import { localTimeMs, operationFiltersFrom, operationQuery, outcomeMatches } from './operation-filters';

describe('operation record filters', () => {
  it('read the URL, every key present', () => {
    const f = operationFiltersFrom(new URLSearchParams('username=alice&outcome=failed'));
    expect(f).toEqual({ username: 'alice', operationId: '', reqMethod: '', outcome: 'failed', since: '', until: '' });
  });

  it('build the list query: comma lists trimmed, methods upper-cased, times in ms, the page size', () => {
    const q = operationQuery({ username: ' alice , ,bob', operationId: 'addSyncApi', reqMethod: 'post', outcome: 'ok', since: '2024-05-01T10:00', until: '2024-05-01T10:05' });
    expect(q).toEqual({
      username: 'alice,bob',
      operationId: 'addSyncApi',
      reqMethod: 'POST',
      since: new Date(2024, 4, 1, 10, 0).getTime(),
      until: new Date(2024, 4, 1, 10, 5).getTime() + 59_999,
      pageSize: 100,
    });
    expect(operationQuery({ username: '', operationId: ' , ', reqMethod: '', outcome: '', since: 'nonsense', until: '' }, 20)).toEqual({ pageSize: 20 });
  });

  it('until takes in the whole second it names', () => {
    expect(localTimeMs('2024-05-01T10:05:07', true)).toBe(new Date(2024, 4, 1, 10, 5, 7).getTime() + 999);
    expect(localTimeMs('2024-05-01T10:05:07')).toBe(new Date(2024, 4, 1, 10, 5, 7).getTime());
    expect(localTimeMs('')).toBeUndefined();
  });

  it('outcome: any, ok or failed', () => {
    expect(outcomeMatches('', false)).toBe(true);
    expect(outcomeMatches('ok', true)).toBe(true);
    expect(outcomeMatches('ok', false)).toBe(false);
    expect(outcomeMatches('failed', false)).toBe(true);
    expect(outcomeMatches('failed', true)).toBe(false);
  });
});
