import { describe, expect, it } from 'vitest';
import { FILTER_KEYS, filtersFrom, pageFrom, pageSummary, toQuery, type TaskFilters } from './filters';

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

describe('paging', () => {
  it('reads the page from the URL and asks the server for it (the newest 100 were all one could see)', () => {
    expect(pageFrom(new URLSearchParams(''))).toBe(1);
    expect(pageFrom(new URLSearchParams('page=3'))).toBe(3);
    expect(pageFrom(new URLSearchParams('page=x'))).toBe(1);
    expect(pageFrom(new URLSearchParams('page=0'))).toBe(1);
    expect(toQuery(none, 1)).toEqual({ pageSize: 100 });
    expect(toQuery({ ...none, status: 'failure' }, 3)).toEqual({ status: 'failure', pageSize: 100, pageNumber: 3 });
  });

  it('says which rows are shown and that more follow when the page came back full', () => {
    expect(pageSummary(1, 100)).toEqual({ text: 'Tasks 1–100, more on the next pages', hasNext: true });
    expect(pageSummary(12, 100)).toEqual({ text: 'Tasks 1,101–1,200, more on the next pages', hasNext: true });
    expect(pageSummary(2, 37)).toEqual({ text: 'Tasks 101–137', hasNext: false });
    expect(pageSummary(1, 0)).toEqual({ text: 'No tasks', hasNext: false });
    expect(pageSummary(4, 0)).toEqual({ text: 'No tasks on page 4', hasNext: false });
  });
});
