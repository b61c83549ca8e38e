/** Adding an entity with an id that exists: 409 naming the entity as a user knows it (as a 404 does), not its table. */
import { describe, expect, it } from 'vitest';
import { useTestStack } from '../src/testing/test-stack.js';

const t = useTestStack();

describe('a duplicate id', () => {
  it('is answered 409 EClientDuplicated "Script set \\"dup\\" exists already", "Env variable …"', async () => {
    expect((await t.admin('POST', '/api/v1/script-sets/do/add', { data: { id: 'dup' } })).status).toBe(200);
    const again = await t.admin('POST', '/api/v1/script-sets/do/add', { data: { id: 'dup' } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ reason: 'EClientDuplicated', message: 'Script set "dup" exists already', detail: { field: 'id', id: 'dup' } });
    const env = { data: { id: 'dup_env', valueTEXT: '1', autoTypeCasting: 'string' } };
    expect((await t.admin('POST', '/api/v1/env-variables/do/add', env)).status).toBe(200);
    expect((await t.admin('POST', '/api/v1/env-variables/do/add', env)).body.message).toBe('Env variable "dup_env" exists already');
  });
});
