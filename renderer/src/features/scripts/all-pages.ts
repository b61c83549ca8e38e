/** Every row of a paged entity list: pages of `pageSize` fetched in turn until one comes back short. */
import { MAX_ENTITY_PAGE_SIZE, MAX_PAGE_NUMBER } from '@contract/operations/crud';

export async function allPages<T>(fetchPage: (paging: { pageSize: number; pageNumber: number }) => Promise<T[]>, pageSize = MAX_ENTITY_PAGE_SIZE): Promise<T[]> {
  const rows: T[] = [];
  for (let pageNumber = 1; pageNumber <= MAX_PAGE_NUMBER; pageNumber++) {
    const page = await fetchPage({ pageSize, pageNumber });
    rows.push(...page);
    if (page.length < pageSize) break;
  }
  return rows;
}
