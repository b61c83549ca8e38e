import { describe, expect, it, vi } from 'vitest';
import { operations } from '../../contract/index.js';
import { ApiError } from '../../contract/errors.js';
import { DESKTOP_CHANNELS, OP_CHANNEL } from '../common/channels.js';
import { buildDesktopSurface, buildOperationBridge, buildOperationEnvelopes } from './bridge.js';

describe('preload bridge', () => {
  it('has one function per operation id (except the event stream), each invoking func:op with its id', async () => {
    const invoke = vi.fn(() => Promise.resolve({ ok: true, data: 'pong' }));
    const api = buildOperationBridge(invoke) as unknown as Record<string, (i?: unknown) => Promise<unknown>>;
    expect(Object.keys(api).sort()).toEqual(
      Object.keys(operations)
        .filter((id) => id !== 'events')
        .sort(),
    );
    await expect(api.ping!()).resolves.toBe('pong');
    expect(invoke).toHaveBeenCalledWith(OP_CHANNEL, 'ping', {});
  });

  it('turns an error envelope back into ApiError', async () => {
    const api = buildOperationBridge(() => Promise.resolve({ ok: false, error: { code: 'EUserAuth', message: 'Sign in', detail: {} } }));
    const err: unknown = await api.profile({}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'EUserAuth', status: 401 });
  });

  it('the desktop surface calls its channels', async () => {
    const invoke = vi.fn(() => Promise.resolve({ ok: true, data: null }));
    const d = buildDesktopSurface(invoke);
    await d.activateProfile('prod');
    await d.saveFile('a.json', '{}');
    expect(invoke).toHaveBeenCalledWith(DESKTOP_CHANNELS.activateProfile, { id: 'prod' });
    expect(invoke).toHaveBeenCalledWith(DESKTOP_CHANNELS.saveFile, { defaultName: 'a.json', content: '{}' });
  });

  it('ops answer the envelope and pass the profile id (never anything else) to func:op', async () => {
    const invoke = vi.fn(() => Promise.resolve({ ok: false, error: { code: 'EUserAuth', message: 'Sign in', detail: {} } }));
    const ops = buildOperationEnvelopes(invoke);
    expect(Object.keys(ops).sort()).toEqual(
      Object.keys(operations)
        .filter((id) => id !== 'events')
        .sort(),
    );
    await expect(ops.profile!({}, 'prod')).resolves.toEqual({ ok: false, error: { code: 'EUserAuth', message: 'Sign in', detail: {} } });
    await ops.ping!();
    await ops.ping!({}, { secret: 'x' } as unknown as string);
    expect(invoke).toHaveBeenNthCalledWith(1, OP_CHANNEL, 'profile', {}, 'prod');
    expect(invoke).toHaveBeenNthCalledWith(2, OP_CHANNEL, 'ping', {}, undefined);
    expect(invoke).toHaveBeenNthCalledWith(3, OP_CHANNEL, 'ping', {}, undefined);
  });
});
