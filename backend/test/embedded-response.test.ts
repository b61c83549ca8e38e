/** DFF.RESP / RESP_FILE / REDIRECT set the HTTP answer of a sync API; the result cache is not used here. */
import { describe, expect, it } from 'vitest';
import { useTestStack } from '../src/testing/test-stack.js';

const CODE = `import os, tempfile

@DFF.API('Custom')
def custom():
    return DFF.RESP({'made': True}, status_code=201, headers={'X-Custom': 'yes'})

@DFF.API('Text')
def text():
    return DFF.RESP('<b>hi</b>', content_type='text/html')

@DFF.API('Go')
def go():
    return DFF.REDIRECT('https://example.invalid/next')

@DFF.API('File')
def file():
    path = os.path.join(tempfile.gettempdir(), 'func-resp-file.csv')
    with open(path, 'w') as f:
        f.write('a,b\\n1,2\\n')
    return DFF.RESP_FILE(path)

@DFF.API('Unicode download')
def cn_file():
    return DFF.RESP('x', download_file='报告.txt')

@DFF.API('Bad header value')
def bad_value():
    return DFF.RESP('x', headers={'X-A': '中'})

@DFF.API('Header injection')
def bad_newline():
    return DFF.RESP('x', headers={'X-A': 'a\\r\\nSet-Cookie: s=1'})

@DFF.API('Bad header name')
def bad_name():
    return DFF.RESP('x', headers={'X A(': '1'})

@DFF.API('Bad status')
def bad_status(code=999):
    return DFF.RESP('x', status_code=code)

@DFF.API('Bad content type')
def bad_type(kind='int'):
    return DFF.RESP('x', content_type={'int': 5, 'list': ['text/plain'], 'newline': 'text/plain\\r\\nX-Evil: 1'}[kind])

@DFF.API('Framing')
def framing():
    return DFF.RESP('x', headers={'Transfer-Encoding': 'chunked', 'Content-Length': '1000', 'X-Kept': 5})

@DFF.API('Unicode redirect')
def cn_go():
    return DFF.REDIRECT('/中文?q=a b\\r\\nX: y')

@DFF.API('Cacheable')
def cacheable(v='1'):
    return DFF.RESP({'v': v}, allow_304=True)

@DFF.API('Own ETag')
def own_etag():
    return DFF.RESP('v1 body', headers={'ETag': '"v1"'}, allow_304=True)

@DFF.API('Cacheable file')
def cacheable_file():
    path = os.path.join(tempfile.gettempdir(), 'func-resp-304.csv')
    with open(path, 'w') as f:
        f.write('a\\n1\\n')
    return DFF.RESP_FILE(path, allow_304=True)

@DFF.API('Request')
def request_info(**kwargs):
    return {'method': _DFF_HTTP_REQUEST['method'], 'origin': _DFF_ORIGIN, 'kwargs': kwargs}
`;

const t = useTestStack({ resp__fn: CODE });
const sync = async (func: string): Promise<string> => (await t.client.addSyncApi({ body: { data: { funcId: `resp__fn.${func}`, funcCallKwargsJSON: {} } } })).id;

describe('function-controlled responses', () => {
  it('DFF.RESP sets status, headers and content type', async () => {
    const r = await t.api('GET', `/api/v1/sync/${await sync('custom')}`);
    expect(r.status).toBe(201);
    expect(r.headers['x-custom']).toBe('yes');
    expect(JSON.parse(r.text)).toEqual({ made: true });
    const h = await t.api('GET', `/api/v1/sync/${await sync('text')}`);
    expect(h.headers['content-type']).toMatch(/text\/html/);
    expect(h.text).toBe('<b>hi</b>');
  });

  it('DFF.REDIRECT answers 302 with Location', async () => {
    const r = await t.api('GET', `/api/v1/sync/${await sync('go')}`);
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe('https://example.invalid/next');
  });

  it('DFF.RESP_FILE sends the file as a download', async () => {
    const r = await t.api('GET', `/api/v1/sync/${await sync('file')}`);
    expect(r.status).toBe(200);
    expect(r.text).toBe('a,b\n1,2\n');
    expect(String(r.headers['content-disposition'])).toMatch(/attachment; filename="func-resp-file.csv"/);
  });

  it('a non-ASCII download name goes out in its RFC 5987 form beside an ASCII one', async () => {
    const r = await t.api('GET', `/api/v1/sync/${await sync('cn_file')}`);
    expect(r.status, r.text).toBe(200);
    expect(String(r.headers['content-disposition'])).toBe(`attachment; filename="__.txt"; filename*=UTF-8''${encodeURIComponent('报告.txt')}`);
    expect(r.text).toBe('x');
  });

  it('a header or status that HTTP cannot carry is an error of the function (599 naming it), never a 500 or a hang', async () => {
    for (const [func, problem] of [
      ['bad_value', /header X-A/],
      ['bad_newline', /header X-A/],
      ['bad_name', /header name "X A\(" is not an HTTP token/],
    ] as const) {
      const r = await t.api('GET', `/api/v1/sync/${await sync(func)}`);
      expect(r.status, r.text).toBe(599);
      expect(r.body.reason).toBe('EFuncResultParsingFailed');
      expect(r.body.message).toMatch(problem);
      expect(r.headers['set-cookie']).toBeUndefined();
    }
    const api = await sync('bad_status');
    const digits = await t.api('POST', `/api/v1/sync/${api}`, { kwargs: { code: '201' } });
    expect(digits.status, digits.text).toBe(201);
    for (const code of ['999', '100', '101', '"abc"', '""', '"2010"']) {
      const r = await t.api('POST', `/api/v1/sync/${api}`, { kwargs: { code: JSON.parse(code) as unknown } });
      expect(r.status, `${code}: ${r.text}`).toBe(599);
      expect(r.body.message).toMatch(/status_code/);
    }
    // content_type must be text a Content-Type header can carry (a number was a 500 from Fastify).
    const typed = await sync('bad_type');
    for (const kind of ['int', 'list', 'newline']) {
      const r = await t.api('POST', `/api/v1/sync/${typed}`, { kwargs: { kind } });
      expect(r.status, `${kind}: ${r.text}`).toBe(599);
      expect(r.body.reason).toBe('EFuncResultParsingFailed');
      expect(r.body.message).toMatch(/content_type/);
      expect(r.headers['x-evil']).toBeUndefined();
    }
  });

  it('framing headers belong to the server: the Transfer-Encoding and Content-Length a function sets are dropped', async () => {
    const r = await t.api('GET', `/api/v1/sync/${await sync('framing')}`);
    expect(r.status, r.text).toBe(200);
    expect(r.text).toBe('x');
    expect(r.headers['transfer-encoding']).toBeUndefined();
    expect(r.headers['content-length']).toBe('1');
    expect(r.headers['x-kept']).toBe('5');
  });

  it('a redirect URL beyond plain ASCII is percent-encoded (no header injection)', async () => {
    const r = await t.api('GET', `/api/v1/sync/${await sync('cn_go')}`);
    expect(r.status, r.text).toBe(302);
    expect(r.headers.location).toBe(`/${encodeURIComponent('中文')}?q=a%20b%0D%0AX:%20y`);
    expect(r.headers.x).toBeUndefined();
  });

  it('allow_304: a weak ETag of the body, 304 without it to a GET whose If-None-Match names it', async () => {
    const api = await sync('cacheable');
    const first = await t.api('GET', `/api/v1/sync/${api}/simplified?v=1`);
    expect(first.status, first.text).toBe(200);
    expect(JSON.parse(first.text)).toEqual({ v: '1' });
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]+"$/);
    const again = await t.api('GET', `/api/v1/sync/${api}/simplified?v=1`, undefined, { 'if-none-match': etag });
    expect(again.status, again.text).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.etag).toBe(etag);
    // Listed among others, or without its W/ (compared weakly): still the one held.
    expect((await t.api('GET', `/api/v1/sync/${api}/simplified?v=1`, undefined, { 'if-none-match': `"x", ${etag.slice(2)}` })).status).toBe(304);
    // Another body, another tag; a POST, or a caller asking no-cache, gets the body.
    const other = await t.api('GET', `/api/v1/sync/${api}/simplified?v=2`, undefined, { 'if-none-match': etag });
    expect(other.status).toBe(200);
    expect(other.headers.etag).not.toBe(etag);
    expect((await t.api('POST', `/api/v1/sync/${api}/simplified`, { v: '1' }, { 'if-none-match': etag })).status).toBe(200);
    expect((await t.api('GET', `/api/v1/sync/${api}/simplified?v=1`, undefined, { 'if-none-match': etag, 'cache-control': 'no-cache' })).status).toBe(200);
    // An ETag the function sets itself is the one compared.
    const own = await sync('own_etag');
    expect((await t.api('GET', `/api/v1/sync/${own}`)).headers.etag).toBe('"v1"');
    expect((await t.api('GET', `/api/v1/sync/${own}`, undefined, { 'if-none-match': 'W/"v1"' })).status).toBe(304);
    // RESP_FILE too.
    const file = await sync('cacheable_file');
    const f = await t.api('GET', `/api/v1/sync/${file}`);
    expect(f.text).toBe('a\n1\n');
    expect((await t.api('GET', `/api/v1/sync/${file}`, undefined, { 'if-none-match': String(f.headers.etag) })).status).toBe(304);
  });

  it('without allow_304 an answer has no ETag and is never 304', async () => {
    const api = await sync('custom');
    const r = await t.api('GET', `/api/v1/sync/${api}`, undefined, { 'if-none-match': '*' });
    expect(r.status, r.text).toBe(201);
    expect(r.headers.etag).toBeUndefined();
  });

  it('the function sees the HTTP request and its origin', async () => {
    const r = await t.api('POST', `/api/v1/sync/${await sync('request_info')}/simplified`, { x: 1 });
    expect(JSON.parse(r.text)).toEqual({ method: 'POST', origin: 'syncAPI', kwargs: { x: 1 } });
  });
});

describe('result cache', () => {
  it('answers a repeated call of a cache_result function from the cache, per kwargs', async () => {
    await t.publish('resp__cached', `import random\n\n@DFF.API('Rand', cache_result=60)\ndef rand(x=0):\n    return random.random()\n`);
    const call = (x: number): Promise<{ status: number; body: { data?: unknown }; headers: Record<string, unknown> }> =>
      t.admin('POST', '/api/v1/func/resp__cached.rand', { kwargs: { x } });
    const first = await call(1);
    const second = await call(1);
    const other = await call(2);
    expect(first.headers['x-dff-cache']).toBeUndefined();
    expect(second.headers['x-dff-cache']).toBe('Cached');
    expect(second.body.data).toEqual(first.body.data);
    expect(other.body.data).not.toEqual(first.body.data);
    // A publish starts the cache anew (DataFlux Func's key holds the script's code MD5 and version).
    await t.publish('resp__cached', `@DFF.API('Rand', cache_result=60)\ndef rand(x=0):\n    return 'republished'\n`);
    const after = await call(1);
    expect(after.headers['x-dff-cache']).toBeUndefined();
    expect(after.body.data).toEqual({ result: 'republished' });
  });
});
