/**
 * Users added at the same moment with one username: the check before the insert passes for all of
 * them (hashing the password comes between), the unique index keeps one; the others are told the
 * username is taken (409 naming the field), not an internal error.
 */
import { describe, expect, it } from 'vitest';
import { useTestStack } from '../src/testing/test-stack.js';

const t = useTestStack();

describe('adding users concurrently', () => {
  it('one username added five times at once: one 200, the others 409 EClientDuplicated on username', async () => {
    const add = () => t.admin('POST', '/api/v1/users/do/add', { data: { username: 'racer', name: 'Racer', password: 'pass12345', roles: ['user'] } });
    const answers = await Promise.all([add(), add(), add(), add(), add()]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409]);
    for (const a of answers.filter((x) => x.status === 409)) {
      expect(a.body).toMatchObject({ reason: 'EClientDuplicated', message: 'username racer is taken', detail: { field: 'username' } });
    }
    const listed = await t.admin('GET', '/api/v1/users/do/list?username=racer');
    expect((listed.body.data as unknown[]).length).toBe(1);
  });
});
