import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';

describe('parseConfig', () => {
  it('has the documented defaults', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8088, topology: 'standalone', dbUrl: undefined, redisUrl: undefined, replyHost: '127.0.0.1' });
    expect(parseConfig({ FUNC_REPLY_HOST: 'off' }).replyHost).toBeUndefined();
    expect(parseConfig({ FUNC_REPLY_HOST: '::1' }).replyHost).toBe('::1');
    expect(c.home.endsWith('/data')).toBe(true);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('FUNC_METRICS_TOKEN: none by default, 16-256 printable characters; FUNC_OPENAPI_PUBLIC: false by default', () => {
    expect(parseConfig({})).toMatchObject({ metricsToken: undefined, openApiPublic: false });
    expect(parseConfig({ FUNC_METRICS_TOKEN: 'abcdefghijklmnop' }).metricsToken).toBe('abcdefghijklmnop');
    expect(() => parseConfig({ FUNC_METRICS_TOKEN: 'short' })).toThrow(/FUNC_METRICS_TOKEN must be 16-256 printable characters/);
    expect(() => parseConfig({ FUNC_METRICS_TOKEN: 'has a space in it here' })).toThrow(/FUNC_METRICS_TOKEN/);
    expect(parseConfig({ FUNC_OPENAPI_PUBLIC: 'true' }).openApiPublic).toBe(true);
    expect(parseConfig({ FUNC_OPENAPI_PUBLIC: '0' }).openApiPublic).toBe(false);
    expect(() => parseConfig({ FUNC_OPENAPI_PUBLIC: 'yes' })).toThrow(/FUNC_OPENAPI_PUBLIC/);
  });

  it('stops on a bad value, naming the variable', () => {
    expect(() => parseConfig({ FUNC_PORT: 'eighty' })).toThrow(/FUNC_PORT/);
    expect(() => parseConfig({ FUNC_DB_URL: 'postgres://x' })).toThrow(/FUNC_DB_URL/);
    expect(() => parseConfig({ FUNC_ADMIN_PASSWORD: 'short' })).toThrow(/FUNC_ADMIN_PASSWORD/);
    expect(() => parseConfig({ FUNC_CORS_ORIGINS: 'console.example.com' })).toThrow(/FUNC_CORS_ORIGINS/);
    expect(() => parseConfig({ FUNC_REPLY_HOST: 'tcp://10.0.0.5:9' })).toThrow(/FUNC_REPLY_HOST/);
    expect(() => parseConfig({ FUNC_REPLY_HOST: '0.0.0.0' })).toThrow(/FUNC_REPLY_HOST must be a loopback address/);
    expect(() => parseConfig({ FUNC_CORS_ORIGINS: 'https://a.example.com/path' })).toThrow(/FUNC_CORS_ORIGINS/);
  });

  it('reads FUNC_CORS_ORIGINS: empty by default, * or a comma list', () => {
    expect(parseConfig({}).corsOrigins).toEqual([]);
    expect(parseConfig({ FUNC_CORS_ORIGINS: '*' }).corsOrigins).toBe('*');
    expect(parseConfig({ FUNC_CORS_ORIGINS: 'https://A.example.com, http://127.0.0.1:5173' }).corsOrigins).toEqual(['https://a.example.com', 'http://127.0.0.1:5173']);
  });
});
