import { describe, expect, it } from 'vitest';
import { FILTER_KEYS, filtersFrom, toQuery, type TaskFilters } from './filters';

const none: TaskFilters = { id: '', funcId: '', origin: '', status: '', since: '', until: '' };

describe('filtersFrom', () => {
  it('reads every filter from the URL, empty when absent', () => {
    const f = filtersFrom(new URLSearchParams('funcId=s__m.f&status=failure&since=2024-01-02T10:00&other=1'));
    expect(f).toEqual({ ...none, funcId: 's__m.f', status: 'failure', since: '2024-01-02T10:00' });
    expect(Object.keys(f).sort()).toEqual([...FILTER_KEYS].sort());
  });
});

describe('toQuery', () => {
  it('sends only the filters set, always a page size', () => {
    expect(toQuery(none)).toEqual({ pageSize: 100 });
    expect(toQuery({ ...none, id: 't1', origin: 'cronJob' })).toEqual({ id: 't1', origin: 'cronJob', pageSize: 100 });
  });

  it('turns picker text (local time) into epoch ms; since is the start of its minute', () => {
    const q = toQuery({ ...none, since: '2024-01-02T10:05' });
    expect(q.since).toBe(new Date(2024, 0, 2, 10, 5, 0, 0).getTime());
  });

  it('until includes the whole minute it names (a task at 10:05:30 is until 10:05)', () => {
    const q = toQuery({ ...none, until: '2024-01-02T10:05' });
    expect(q.until).toBe(new Date(2024, 0, 2, 10, 5, 59, 999).getTime());
    const withSeconds = toQuery({ ...none, until: '2024-01-02T10:05:30' });
    expect(withSeconds.until).toBe(new Date(2024, 0, 2, 10, 5, 30, 999).getTime());
  });

  it('drops a time that does not parse instead of sending NaN', () => {
    const q = toQuery({ ...none, since: 'yesterday', until: 'soon' });
    expect(q).toEqual({ pageSize: 100 });
  });
});
