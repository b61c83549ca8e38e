import { describe, expect, it } from 'vitest';
import { accessKeyStringToSign, md5Hex, pythonJsonDumps, pythonJsonDumpsOfText, signedBodyText, withoutSignatureParams } from './signing.js';

describe('pythonJsonDumps', () => {
  it('writes what json.dumps(sort_keys=True, ensure_ascii=False, separators=(",", ":")) writes', () => {
    // Expected strings as CPython 3.11 prints them for the same values.
    expect(pythonJsonDumps({ b: 1, a: [true, null, 'x'], c: { z: 1.5, y: 'é中' } })).toBe('{"a":[true,null,"x"],"b":1,"c":{"y":"é中","z":1.5}}');
    expect(pythonJsonDumps({ 'a"b': 'line\nnext\t' })).toBe('{"a\\"b":"line\\nnext\\t"}');
    expect(pythonJsonDumps({ B: 1, a: 2, _: 3 })).toBe('{"B":1,"_":3,"a":2}');
  });

  it('signs "{}" when there is no body', () => {
    expect(signedBodyText(undefined)).toBe('{}');
    expect(signedBodyText(null)).toBe('{}');
    expect(signedBodyText({ kwargs: {} })).toBe('{"kwargs":{}}');
  });
});

describe('md5Hex', () => {
  /** RFC 1321's test suite: input, digest. */
  const rfc1321Suite = [
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['a', '0cc175b9c0f1b6a831c399e269772661'],
    ['abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
    ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
    ['1234567890'.repeat(8), '57edf4a22be3c955ac49da2e2107b67a'],
  ];
  it.each(rfc1321Suite)('matches the RFC 1321 test suite: md5(%j) = %s', (input, digest) => {
    expect(md5Hex(input)).toBe(digest);
  });

  it('hashes the UTF-8 bytes, across block boundaries', () => {
    expect(md5Hex('{}')).toBe('99914b932bd37a50b983c5e7c90ae93b');
    expect(md5Hex('The quick brown fox jumps over the lazy dog')).toBe('9e107d9d372bb6826bd81d3542a419d6');
    // Values computed with Python: hashlib.md5(s.encode()).hexdigest()
    expect(md5Hex('é中😀')).toBe('2870e8cce7d73a43d7837bd61ad86beb');
    expect(md5Hex('x'.repeat(55))).toBe('04364420e25c512fd958a70738aa8f72');
  });
});

describe('the string to sign', () => {
  it('is METHOD&path&timestamp&nonce&md5(body)', () => {
    expect(accessKeyStringToSign({ method: 'post', path: '/api/v1/func/a__b.c?x=1', timestamp: '1700000000', nonce: 'n', bodyText: '{}' })).toBe(
      'POST&/api/v1/func/a__b.c?x=1&1700000000&n&99914b932bd37a50b983c5e7c90ae93b',
    );
  });

  it('drops the four query signature parameters and nothing else', () => {
    expect(withoutSignatureParams('/api/v1/events?xDffAkId=a&xDffAkTimestamp=1&xDffAkNonce=n&xDffAkSign=s')).toBe('/api/v1/events');
    expect(withoutSignatureParams('/api/v1/events?q=1&xDffAkId=a&xDffAkTimestamp=1&z=%26&xDffAkNonce=n&xDffAkSign=s')).toBe('/api/v1/events?q=1&z=%26');
    expect(withoutSignatureParams('/api/v1/events')).toBe('/api/v1/events');
  });
});

describe('pythonJsonDumpsOfText: the body as Python signs it, from the text sent', () => {
  it('keeps numbers as written, decodes strings, sorts keys and drops the spaces', () => {
    // Expected texts are what python3's json.dumps(json.loads(text), sort_keys=True, ensure_ascii=False, separators=(',', ':')) prints.
    expect(pythonJsonDumpsOfText('{"kwargs": {"x": 1.0, "a": [1e+20, -0.0, 12345678901234567890, "\\u00e9\\n\\"q\\\\"]}}')).toBe(
      '{"kwargs":{"a":[1e+20,-0.0,12345678901234567890,"é\\n\\"q\\\\"],"x":1.0}}',
    );
    expect(pythonJsonDumpsOfText(' {"b" : 1 , "a" : {"z" : null, "y" : true}} \n')).toBe('{"a":{"y":true,"z":null},"b":1}');
    expect(pythonJsonDumpsOfText('{"a": 1, "a": 2}')).toBe('{"a":2}');
    expect(pythonJsonDumpsOfText('[]')).toBe('[]');
    expect(pythonJsonDumpsOfText('{}')).toBe('{}');
  });

  it('is undefined for what is not one JSON value, or nests deeper than asked', () => {
    for (const text of ['', '[1,]', '{"a":1} x', '{"a":01}', '{a:1}', "{'a':1}", '{"a":NaN}', '"\t"', '[1', '{"a"}']) {
      expect(pythonJsonDumpsOfText(text), text).toBeUndefined();
    }
    expect(pythonJsonDumpsOfText('[[[1]]]', 3)).toBe('[[[1]]]');
    expect(pythonJsonDumpsOfText('[[[[1]]]]', 3)).toBeUndefined();
  });
});
