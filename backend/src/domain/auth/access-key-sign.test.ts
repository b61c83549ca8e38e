import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { accessKeyStringToSign, md5Hex, signedBodyText } from '../../../../contract/signing.js';
import { accessKeySign, bodyMd5 } from './access-key-sign.js';

describe('access-key signature', () => {
  it('md5 of a missing body is the md5 of "{}"', () => {
    expect(bodyMd5(undefined)).toBe(createHash('md5').update('{}').digest('hex'));
  });

  it('signs METHOD&path&timestamp&nonce&md5 with HMAC-SHA1', () => {
    const s = accessKeySign('secret', { method: 'post', path: '/api/v1/func/a__b.c?x=1', timestamp: '1700000000', nonce: 'n', body: { kwargs: {} } });
    expect(s).toMatch(/^[0-9a-f]{40}$/);
    expect(accessKeySign('secret', { method: 'POST', path: '/api/v1/func/a__b.c?x=1', timestamp: '1700000000', nonce: 'n', body: { kwargs: {} } })).toBe(s);
    expect(accessKeySign('secret', { method: 'POST', path: '/api/v1/func/a__b.c?x=2', timestamp: '1700000000', nonce: 'n', body: { kwargs: {} } })).not.toBe(s);
  });

  it("the contract's string to sign (pure-TS md5) gives the server's signature", () => {
    const cases = [
      { method: 'GET', path: '/api/v1/scripts/do/list?scriptSetId=demo', timestamp: '1700000000', nonce: 'abc', body: undefined },
      { method: 'POST', path: '/api/v1/func/a__b.c', timestamp: '1700000001', nonce: 'n2', body: { kwargs: { 名: 'ü', n: [1, 2.5, null] }, options: {} } },
      { method: 'POST', path: '/api/v1/scripts/x__y/do/modify', timestamp: '1700000002', nonce: 'n3', body: { data: { codeDraft: 'x = "é"\n'.repeat(50) } } },
    ];
    for (const c of cases) {
      const bodyText = signedBodyText(c.body);
      expect(md5Hex(bodyText)).toBe(bodyMd5(c.body));
      const text = accessKeyStringToSign({ method: c.method, path: c.path, timestamp: c.timestamp, nonce: c.nonce, bodyText });
      expect(createHmac('sha1', 'k3y').update(text, 'utf8').digest('hex')).toBe(accessKeySign('k3y', c));
    }
  });
});
