import { describe, expect, it } from 'vitest';
import { parseFunctions } from './parse-functions';

describe('parseFunctions (the fallback reading of a draft)', () => {
  it('lists top-level functions, exported when decorated with @DFF.API, private ones left out', () => {
    const code = `import time

@DFF.API('Add')
def add(a, b=2):
    return a + b

def helper(x):
    def inner(y):
        return y
    return x

def _private():
    pass

class K:
    def method(self, q):
        pass
`;
    expect(parseFunctions(code)).toEqual([
      { name: 'add', exported: true, kwargsTemplate: { a: null, b: 2 } },
      { name: 'helper', exported: false, kwargsTemplate: { x: null } },
    ]);
  });

  it('reads a signature over several lines, with a trailing comma', () => {
    expect(parseFunctions("@DFF.API('F')\ndef f(\n    a,\n    b=2,\n):\n    return a\n")).toEqual([{ name: 'f', exported: true, kwargsTemplate: { a: null, b: 2 } }]);
  });

  it('a decorator over several lines still exports the function under it', () => {
    const code = "@DFF.API(\n    'Title',\n    category='x',\n)\ndef f(a):\n    pass\n";
    expect(parseFunctions(code)).toEqual([{ name: 'f', exported: true, kwargsTemplate: { a: null } }]);
  });

  it('only the decorator right above counts: a statement in between ends it', () => {
    const code = "@DFF.API('A')\ndef a():\n    pass\n\nX = 1\n\n@other\ndef b():\n    pass\n\ndef c():\n    pass\n";
    expect(parseFunctions(code).map((f) => [f.name, f.exported])).toEqual([
      ['a', true],
      ['b', false],
      ['c', false],
    ]);
  });

  it('other decorators stacked with @DFF.API keep it exported; comments and blank lines between do not matter', () => {
    const code = "@DFF.API('A')\n# a comment\n\n@functools.lru_cache\ndef a(n):\n    pass\n";
    expect(parseFunctions(code)).toEqual([{ name: 'a', exported: true, kwargsTemplate: { n: null } }]);
  });

  it('annotations, keyword-only markers, *args and **kwargs, positional-only /', () => {
    const code = 'def f(a: int, b: Dict[str, int] = {}, /, c: str = "x", *args, d=None, e=-1.5, **kw) -> Dict[str, int]:\n    pass\n';
    expect(parseFunctions(code)[0]!.kwargsTemplate).toEqual({ a: null, b: {}, c: 'x', d: null, e: -1.5 });
    expect(parseFunctions('def g(*, k=True, m=False):\n    pass\n')[0]!.kwargsTemplate).toEqual({ k: true, m: false });
  });

  it('commas, brackets, = and # inside defaults are not separators', () => {
    const code = "def f(a='x, y)', b=(1, 2), c=[1, [2, 3]], d='#', e={\"k\": 1}, g=1 == 1):\n    pass\n";
    expect(parseFunctions(code)[0]!.kwargsTemplate).toEqual({ a: 'x, y)', b: null, c: [1, [2, 3]], d: '#', e: { k: 1 }, g: null });
  });

  it('a comment inside a multi-line signature is ignored', () => {
    const code = 'def f(\n    a,  # the first, with a comma\n    b=3,  # ) not the end\n):\n    pass\n';
    expect(parseFunctions(code)[0]!.kwargsTemplate).toEqual({ a: null, b: 3 });
  });

  it('a def inside a triple-quoted string is not a function', () => {
    const code = `DOC = """
def fake(a):
    pass
"""

def real():
    '''
def also_fake():
'''
    pass
`;
    expect(parseFunctions(code).map((f) => f.name)).toEqual(['real']);
  });

  it('async functions, CRLF line ends, backslash continuations, one-line bodies', () => {
    const code = 'async def a(x=1):\r\n    pass\r\ndef b(y, \\\n      z=2): return y\r\n';
    expect(parseFunctions(code)).toEqual([
      { name: 'a', exported: false, kwargsTemplate: { x: 1 } },
      { name: 'b', exported: false, kwargsTemplate: { y: null, z: 2 } },
    ]);
  });

  it('an unclosed signature (being typed) still gives the function, without kwargs; empty source gives none', () => {
    expect(parseFunctions('def f(a, b=2')).toEqual([{ name: 'f', exported: false, kwargsTemplate: {} }]);
    expect(parseFunctions('')).toEqual([]);
    expect(parseFunctions("x = 'unterminated\ndef g():\n    pass\n").map((f) => f.name)).toEqual(['g']);
  });

  it('strings with escapes or prefixes are not taken as plain defaults', () => {
    const code = "def f(a='it\\'s', b=r'\\d', c=f'{x}', d='ok'):\n    pass\n";
    expect(parseFunctions(code)[0]!.kwargsTemplate).toEqual({ a: null, b: null, c: null, d: 'ok' });
  });
});
