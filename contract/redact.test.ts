import { describe, expect, it } from 'vitest';
import { MASK, maskQuerySecrets, maskSecrets, maskUrlCredentials, redactBody } from './redact.js';

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

  it.each([
    ['/api/v1/topology/events?xDFFAuthToken=abc.def', '/api/v1/topology/events?xDFFAuthToken=***'],
    ['GET /x?a=1&xdffauthtoken=abc&b=2', 'GET /x?a=1&xdffauthtoken=***&b=2'],
    ['/e?xDffAkId=ak-1&xDffAkSign=0123abcd&xDffAkNonce=n', '/e?xDffAkId=ak-1&xDffAkSign=***&xDffAkNonce=n'],
    ['/e?xDFFAuthToken=&b=2', '/e?xDFFAuthToken=&b=2'],
  ])('masks credentials in the query, whatever the case: %s', (raw, masked) => {
    expect(maskQuerySecrets(raw)).toBe(masked);
  });
});

describe('redactBody', () => {
  it('masks every secret field, however deep, and keeps the rest', () => {
    const body = {
      signIn: { username: 'admin', password: 'pw-1' },
      changePassword: { oldPassword: 'a', newPassword: 'b' },
      captcha: '1234',
      data: { valueTEXT: 'v', autoTypeCasting: 'password', configJSON: { users: [{ username: 'u', password: 'p' }], fields: [{ location: 'header', name: 'X-Key', value: 'k' }] } },
      list: [{ Secret: 's', note: 'n' }],
    };
    expect(redactBody(body)).toEqual({
      signIn: { username: 'admin', password: MASK },
      changePassword: { oldPassword: MASK, newPassword: MASK },
      captcha: MASK,
      data: {
        valueTEXT: MASK,
        autoTypeCasting: 'password',
        configJSON: { users: [{ username: 'u', password: MASK }], fields: [{ location: 'header', name: 'X-Key', value: MASK }] },
      },
      list: [{ Secret: MASK, note: 'n' }],
    });
    expect(JSON.stringify(redactBody(body))).not.toMatch(/pw-1|"1234"|"k"|"p"|"s"/);
  });

  it('shortens long strings to their length and leaves a value outside fields alone', () => {
    expect(redactBody({ data: { codeDraft: 'x'.repeat(5000), value: 3 } }, { maxString: 100 })).toEqual({ data: { codeDraft: '<5000 characters>', value: 3 } });
    expect(redactBody(null)).toBeNull();
    expect(redactBody({ password: '' })).toEqual({ password: '' });
  });

  it('puts the size of bytes (the files of a multipart body), not their bytes one by one', () => {
    const data = new Uint8Array(50 * 1024 * 1024);
    const t0 = performance.now();
    const out = redactBody({ files: [{ fieldName: 'files', filename: 'a.bin', contentType: 'application/octet-stream', data }], raw: data.buffer });
    expect(out).toEqual({
      files: [{ fieldName: 'files', filename: 'a.bin', contentType: 'application/octet-stream', data: `<${data.length} bytes>` }],
      raw: `<${data.length} bytes>`,
    });
    expect(performance.now() - t0).toBeLessThan(1000); // a walk over 50 M entries took tens of seconds
  });
});
