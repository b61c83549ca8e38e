import { describe, expect, it } from 'vitest';
import { allPages } from './all-pages';

describe('allPages', () => {
  const rows = Array.from({ length: 7 }, (_, i) => i);
  const pages: { pageSize: number; pageNumber: number }[] = [];
  const fetchPage = (p: { pageSize: number; pageNumber: number }): Promise<number[]> => {
    pages.push(p);
    return Promise.resolve(rows.slice((p.pageNumber - 1) * p.pageSize, p.pageNumber * p.pageSize));
  };

  it('fetches pages until one comes back short, every row once', async () => {
    expect(await allPages(fetchPage, 3)).toEqual(rows);
    expect(pages.map((p) => p.pageNumber)).toEqual([1, 2, 3]);
    pages.length = 0;
    expect(await allPages(fetchPage, 7)).toEqual(rows);
    expect(pages.map((p) => p.pageNumber)).toEqual([1, 2]);
  });
});
