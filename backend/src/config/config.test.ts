import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';

describe('parseConfig', () => {
  it('has the documented defaults', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8088, topology: 'standalone', dbUrl: undefined, redisUrl: undefined });
    expect(c.home.endsWith('/data')).toBe(true);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('stops on a bad value, naming the variable', () => {
    expect(() => parseConfig({ FUNC_PORT: 'eighty' })).toThrow(/FUNC_PORT/);
    expect(() => parseConfig({ FUNC_DB_URL: 'postgres://x' })).toThrow(/FUNC_DB_URL/);
    expect(() => parseConfig({ FUNC_ADMIN_PASSWORD: 'short' })).toThrow(/FUNC_ADMIN_PASSWORD/);
  });
});
