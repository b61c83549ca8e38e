/**
 * A script or script set id there is no row for answers the same 404 on get, modify and delete as
 * every entity does: EClientNotFound naming the field and carrying the id (`detail: { field, id }`).
 */
import { describe, expect, it } from 'vitest';
import { useTestStack } from '../src/testing/test-stack.js';

const t = useTestStack();

describe('a missing script or script set', () => {
  for (const [segment, label] of [
    ['scripts', 'Script'],
    ['script-sets', 'Script set'],
  ] as const) {
    it(`${segment}: get, modify and delete answer 404 with detail.id`, async () => {
      const id = segment === 'scripts' ? 'nf__missing' : 'nf_missing';
      for (const [method, url, body] of [
        ['GET', `/api/v1/${segment}/${id}/do/get`, undefined],
        ['POST', `/api/v1/${segment}/${id}/do/modify`, { data: { title: 'x' } }],
        ['POST', `/api/v1/${segment}/${id}/do/delete`, undefined],
        ['GET', `/api/v1/${segment}/${id}/do/delete`, undefined],
      ] as const) {
        const r = await t.admin(method, url, body);
        expect(r.status, `${method} ${url}: ${r.text}`).toBe(404);
        expect(r.body, `${method} ${url}`).toMatchObject({ reason: 'EClientNotFound', message: `No such ${label}: ${id}`, detail: { field: 'id', id } });
      }
    });
  }
});
