import { describe, expect, it } from 'vitest';
import { maskQuerySecrets, maskSecrets, maskUrlCredentials } from './redact.js';

describe('maskSecrets', () => {
  it('masks the password of a URL, alone or inside a message', () => {
    expect(maskUrlCredentials('mysql://root:s3cr3t@127.0.0.1:3306/func')).toBe('mysql://root:***@127.0.0.1:3306/func');
    expect(maskUrlCredentials('redis://:p%40ss@redis:6379/0')).toBe('redis://:***@redis:6379/0');
    expect(maskSecrets('cannot reach mysql://u:pw@h/db (ECONNREFUSED); retry redis://:x@r:6379')).toBe('cannot reach mysql://u:***@h/db (ECONNREFUSED); retry redis://:***@r:6379');
    expect(maskSecrets("uri: 'mysql://u:pw@h/db'")).toBe("uri: 'mysql://u:***@h/db'");
  });

  it('leaves URLs without a password as they are', () => {
    for (const url of ['mysql://root@127.0.0.1:3306/func', 'http://127.0.0.1:8088/api/v1', 'redis://127.0.0.1:6379/0', 'http://a.b/x?y=1&z=2']) {
      expect(maskSecrets(url)).toBe(url);
    }
  });

  it('masks credentials in the query, whatever the case', () => {
    expect(maskQuerySecrets('/api/v1/topology/events?xDFFAuthToken=abc.def')).toBe('/api/v1/topology/events?xDFFAuthToken=***');
    expect(maskQuerySecrets('GET /x?a=1&xdffauthtoken=abc&b=2')).toBe('GET /x?a=1&xdffauthtoken=***&b=2');
    expect(maskQuerySecrets('/e?xDffAkId=ak-1&xDffAkSign=0123abcd&xDffAkNonce=n')).toBe('/e?xDffAkId=ak-1&xDffAkSign=***&xDffAkNonce=n');
    expect(maskQuerySecrets('/e?xDFFAuthToken=&b=2')).toBe('/e?xDFFAuthToken=&b=2');
  });
});
