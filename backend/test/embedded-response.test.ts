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
  });
});
