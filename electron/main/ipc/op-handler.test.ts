import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../contract/errors.js';
import { createOpHandler } from './op-handler.js';
import { toIpcResult } from './ipc-result.js';

function setup() {
  const client = {
    ping: vi.fn(() => Promise.resolve('pong')),
    signIn: vi.fn(() => Promise.resolve({ xAuthToken: 'tok', userId: 'u', username: 'admin' })),
    signOut: vi.fn(() => Promise.resolve(null)),
    getScript: vi.fn(() => Promise.resolve({ id: 's' })),
  };
  const session = { token: null as string | null };
  return { client, session, handle: createOpHandler(client, session) };
}

describe('func:op handler', () => {
  it('calls the operation with the validated input', async () => {
    const { client, handle } = setup();
    await expect(handle('ping', {})).resolves.toBe('pong');
    await expect(handle('ping', undefined)).resolves.toBe('pong');
    expect(client.ping).toHaveBeenCalledWith({});
  });

  it('refuses unknown operations, streams and prototype keys', async () => {
    const { handle } = setup();
    await expect(handle('dropTables', {})).rejects.toMatchObject({ code: 'EClientNotFound' });
    await expect(handle('events', {})).rejects.toMatchObject({ code: 'EClientNotFound' });
    await expect(handle('constructor', {})).rejects.toMatchObject({ code: 'EClientNotFound' });
    await expect(handle(42, {})).rejects.toBeInstanceOf(ApiError);
  });

  it('validates the input with the contract schemas, naming the field', async () => {
    const { client, handle } = setup();
    await expect(handle('signIn', { body: { signIn: { username: '', password: 'x' } } })).rejects.toMatchObject({
      code: 'EClientBadRequest',
      detail: { field: 'body.signIn.username' },
    });
    await expect(handle('ping', { headers: { x: 1 } })).rejects.toMatchObject({ code: 'EClientBadRequest' });
    await expect(handle('ping', 'text')).rejects.toMatchObject({ code: 'EClientBadRequest' });
    expect(client.signIn).not.toHaveBeenCalled();
  });

  it('keeps the sign-in token in the main process session', async () => {
    const { session, handle } = setup();
    await handle('signIn', { body: { signIn: { username: 'admin', password: 'pw' } } });
    expect(session.token).toBe('tok');
    await handle('signOut', {});
    expect(session.token).toBeNull();
  });

  it('errors cross IPC as an envelope with code and detail', async () => {
    const { handle } = setup();
    expect(await toIpcResult(() => handle('nope', {}))).toMatchObject({ ok: false, error: { code: 'EClientNotFound' } });
    expect(await toIpcResult(() => handle('ping', {}))).toEqual({ ok: true, data: 'pong' });
    expect(
      await toIpcResult(() => {
        throw new Error('boom');
      }),
    ).toEqual({ ok: false, error: { code: 'ESys', message: 'boom', detail: {} } });
  });
});
