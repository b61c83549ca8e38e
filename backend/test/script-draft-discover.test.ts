/** POST /api/v1/scripts/:id/do/discover: the functions of a saved draft, found by Python as publishing finds them, nothing stored. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../src/testing/test-stack.js';

const DRAFT = `import time

@DFF.API('Multi-line')
def f(
    a,
    b=2,
):
    return a + b

@DFF.API('Keyword only', category='math', tags=['x'])
def g(x, *args, c='see', d=None, **kw):
    '''Doc of g.'''
    return x

def helper(z):
    return z
`;

interface Discovery {
  id: string;
  codeDraftMD5: string;
  funcs: {
    name: string;
    title: string;
    description: string;
    category: string;
    tags: string[];
    definition: string;
    args: string[];
    kwargs: Record<string, { default?: unknown; hasDefault: boolean }>;
    varKwargs: boolean;
    isHidden: boolean;
    defOrder: number;
  }[];
  error: { exceptionType: string; message: string; line: number | null; traceback: string } | null;
}

let t: TestStack;
let savedMD5: string;

beforeAll(async () => {
  t = await startTestStack();
  await t.add('/api/v1/script-sets/do/add', { id: 'disc' });
  await t.add('/api/v1/scripts/do/add', { id: 'disc__main', codeDraft: 'x = 1\n' });
  const saved = await t.admin('POST', '/api/v1/scripts/disc__main/do/modify', { data: { codeDraft: DRAFT } });
  expect(saved.status, saved.text).toBe(200);
  savedMD5 = (saved.body.data as { codeDraftMD5: string }).codeDraftMD5;
}, 60_000);

afterAll(async () => {
  await t?.close();
});

async function discover(id: string): Promise<Discovery> {
  const r = await t.admin('POST', `/api/v1/scripts/${id}/do/discover`, {});
  expect(r.status, r.text).toBe(200);
  return r.body.data as Discovery;
}

describe('discover a draft', () => {
  it('lists a multi-line signature with both its arguments, and the default', async () => {
    const d = await discover('disc__main');
    expect(d.id).toBe('disc__main');
    expect(d.codeDraftMD5).toBe(savedMD5);
    expect(d.error).toBeNull();
    const f = d.funcs.find((x) => x.name === 'f')!;
    expect(f.args).toEqual(['a', 'b']);
    expect(f.kwargs).toEqual({ a: { hasDefault: false }, b: { default: 2, hasDefault: true } });
    expect(f.definition).toBe('def f(a, b=2)');
    expect(f).toMatchObject({ title: 'Multi-line', varKwargs: false, isHidden: false, defOrder: 0 });
  });

  it('lists keyword-only arguments and **kwargs as Python sees them; functions without @DFF.API are not listed', async () => {
    const d = await discover('disc__main');
    expect(d.funcs.map((x) => x.name)).toEqual(['f', 'g']);
    const g = d.funcs.find((x) => x.name === 'g')!;
    expect(g.args).toEqual(['x']);
    expect(g.kwargs).toEqual({ x: { hasDefault: false }, c: { default: 'see', hasDefault: true }, d: { default: null, hasDefault: true } });
    expect(g).toMatchObject({ varKwargs: true, category: 'math', tags: ['x'], description: 'Doc of g.', defOrder: 1 });
  });

  it('stores nothing: the script stays unpublished and has no functions', async () => {
    await discover('disc__main');
    const script = await t.admin('GET', '/api/v1/scripts/disc__main/do/get');
    expect((script.body.data as { publishVersion: number }).publishVersion).toBe(0);
    const funcs = await t.admin('GET', '/api/v1/funcs/do/list?scriptId=disc__main');
    expect(funcs.body.data).toEqual([]);
  });

  it('answers the error and its line for a draft that does not import, with no functions', async () => {
    await t.add('/api/v1/scripts/do/add', { id: 'disc__broken', codeDraft: "@DFF.API('x')\ndef x(a):\n    return a\n\nraise ValueError('at import')\n" });
    const d = await discover('disc__broken');
    expect(d.funcs).toEqual([]);
    expect(d.error).toMatchObject({ exceptionType: 'ValueError', message: 'at import', line: 5 });
    await t.add('/api/v1/scripts/do/add', { id: 'disc__syntax', codeDraft: 'def y(a:\n    return a\n' });
    const s = await discover('disc__syntax');
    expect(s.error).toMatchObject({ exceptionType: 'SyntaxError', line: 1 });
  });

  it('answers 404 for an unknown script', async () => {
    const r = await t.admin('POST', '/api/v1/scripts/disc__nope/do/discover', {});
    expect(r.status).toBe(404);
  });
});
