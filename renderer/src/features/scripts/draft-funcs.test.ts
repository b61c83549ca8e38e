import { describe, expect, it } from 'vitest';
import type { DraftFunc } from '@contract/operations/scripts';
import { kwargsTemplate, runnableFunctions, type Discovery } from './draft-funcs';

const func = (name: string, kwargs: DraftFunc['kwargs']): DraftFunc => ({
  name,
  title: name,
  description: '',
  category: 'general',
  tags: [],
  definition: `def ${name}(...)`,
  args: Object.keys(kwargs),
  kwargs,
  varKwargs: false,
  isHidden: false,
  defOrder: 0,
});

const CODE = "@DFF.API('F')\ndef f(\n    a,\n    b=2,\n):\n    pass\n\ndef helper(z=1):\n    pass\n";
const discovery = (funcs: DraftFunc[], error: Discovery['error'] = null): Discovery => ({ codeDraftMD5: 'm', funcs, error });

describe('kwargsTemplate', () => {
  it('defaults where the function has them, null for required arguments, a None default as null', () => {
    expect(
      kwargsTemplate({
        kwargs: { a: { hasDefault: false }, b: { default: 2, hasDefault: true }, c: { default: null, hasDefault: true }, d: { default: { x: [1] }, hasDefault: true } },
      }),
    ).toEqual({ a: null, b: 2, c: null, d: { x: [1] } });
  });
});

describe('runnableFunctions', () => {
  it("the server's functions first with its arguments, then the text's other functions as not exported", () => {
    const server = discovery([func('f', { a: { hasDefault: false }, b: { default: 2, hasDefault: true }, c: { default: 'kw', hasDefault: true } })]);
    expect(runnableFunctions(CODE, server, true)).toEqual([
      { name: 'f', exported: true, kwargsTemplate: { a: null, b: 2, c: 'kw' } },
      { name: 'helper', exported: false, kwargsTemplate: { z: 1 } },
    ]);
  });

  it('a fresh answer lists functions the text does not show (defined by code, not by a def)', () => {
    const server = discovery([func('made', {})]);
    expect(runnableFunctions('make_api("made")\n', server, true).map((f) => f.name)).toEqual(['made']);
  });

  it('a stale answer does not bring back a function renamed or deleted since', () => {
    const server = discovery([func('f', { a: { hasDefault: false } }), func('old_name', {})]);
    expect(runnableFunctions(CODE, server, false).map((f) => [f.name, f.exported])).toEqual([
      ['f', true],
      ['helper', false],
    ]);
  });

  it('a draft that fails to import: the text is read instead', () => {
    const failed = discovery([], { exceptionType: 'SyntaxError', message: 'invalid syntax', line: 3 });
    expect(runnableFunctions(CODE, failed, true)).toEqual([
      { name: 'f', exported: true, kwargsTemplate: { a: null, b: 2 } },
      { name: 'helper', exported: false, kwargsTemplate: { z: 1 } },
    ]);
  });

  it('before any answer: the text alone', () => {
    expect(runnableFunctions(CODE, undefined, false).map((f) => f.name)).toEqual(['f', 'helper']);
    expect(runnableFunctions('', undefined, false)).toEqual([]);
  });
});
