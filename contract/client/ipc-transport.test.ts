import { describe, expect, it, vi } from 'vitest';
import { operations } from '../index.js';
import { ApiError } from '../errors.js';
import { createIpcClient } from './ipc-transport.js';

describe('IPC transport', () => {
  it('implements every operation, handing id and input to the invoker', async () => {
    const invoke = vi.fn(() => Promise.resolve({ ok: true, data: [{ id: 's' }] }));
    const api = createIpcClient(invoke);
    for (const id of Object.keys(operations)) expect(typeof (api as unknown as Record<string, unknown>)[id]).toBe('function');
    await expect(api.listScripts({ query: { scriptSetId: 'demo' } })).resolves.toEqual([{ id: 's' }]);
    await api.ping({});
    expect(invoke).toHaveBeenNthCalledWith(1, 'listScripts', { query: { scriptSetId: 'demo' } });
    expect(invoke).toHaveBeenNthCalledWith(2, 'ping', {});
  });

  it('rebuilds ApiError from the error envelope; a malformed answer is ESys', async () => {
    const api = createIpcClient(() => Promise.resolve({ ok: false, error: { code: 'EClientNotFound', message: 'no script x', detail: { id: 'x' } } }));
    const err: unknown = await api.getScript({ params: { id: 'x' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'EClientNotFound', status: 404, message: 'no script x', detail: { id: 'x' } });
    const odd = createIpcClient(() => Promise.resolve({ ok: false, error: { code: 'ENotACode', message: 'm', detail: null } }));
    await expect(odd.ping({})).rejects.toMatchObject({ code: 'ESys', detail: {} });
    await expect(createIpcClient(() => Promise.resolve('pong')).ping({})).rejects.toMatchObject({ code: 'ESys' });
  });

  it('reports the event stream down so callers poll', async () => {
    const onError = vi.fn();
    createIpcClient(() => Promise.resolve({ ok: true, data: null })).subscribeTopology(() => undefined, onError);
    await Promise.resolve();
    await Promise.resolve();
    expect(onError).toHaveBeenCalledTimes(1);
  });
});
