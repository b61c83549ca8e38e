/**
 * What `@DFF.API` may export, through HTTP on a real embedded stack with Python processes: a publish
 * refuses, naming the function and its line, what could never be called (a lambda, a name a
 * function id cannot take, something that is no function of the script) and a function decorated
 * twice (one decorator's options were kept silently) and two functions exported under one name (one
 * could never be called); DataFlux Func refuses the last two too.
 */
import { describe, expect, it } from 'vitest';
import { useTestStack } from '../src/testing/test-stack.js';

const t = useTestStack();

/** The publish of `code` as script `scriptId` is refused with this message and line. */
async function refused(scriptId: string, code: string, message: RegExp, line: number, detail: Record<string, unknown> = {}): Promise<void> {
  await expect(t.publish(scriptId, code)).rejects.toMatchObject({
    code: 'EScriptPublishFailed',
    message: expect.stringMatching(message) as unknown,
    detail: { status: 400, line, ...detail },
  });
  const funcs = await t.client.listFuncs({ query: { scriptId } });
  expect(funcs).toEqual([]);
}

describe('publish refuses what @DFF.API cannot export', () => {
  it('refuses a lambda, naming it and its line and saying what a name must be', async () => {
    const code = "import os\n\nf = DFF.API('Lambda')(lambda: 1)\n";
    await refused(
      'refuse__lam',
      code,
      /DFF\.API: name of function <lambda> is not a name: a lambda has none.*define.*with def.*ASCII letters, digits and underscores.*\(line 3\)$/,
      3,
      {
        field: 'name',
        funcName: '<lambda>',
      },
    );
  });

  it('refuses a non-ASCII or otherwise invalid name, naming it and its line', async () => {
    await refused(
      'refuse__uni',
      "import os\n\n@DFF.API('Café')\ndef café():\n    return 1\n",
      /name of function café is not one a function id can take.*ASCII letters, digits and underscores, not starting with a digit \(line 3\)$/,
      3,
      {
        field: 'name',
        funcName: 'café',
      },
    );
    const renamed = "import os\n\ndef f():\n    return 1\n\nf.__name__ = 'a-b'\nDFF.API('Dash')(f)\n";
    await refused('refuse__dash', renamed, /name of function a-b is not one a function id can take \(refuse__dash\.<name> could never be called\).*\(line 3\)$/, 3, {
      field: 'name',
    });
  });

  it('refuses two functions exported under one name (one could never be called), naming both lines, as DataFlux Func does', async () => {
    await refused(
      'refuse__twin',
      "import os\n\n@DFF.API('First')\ndef twin():\n    return 1\n\n@DFF.API('Second')\ndef twin():\n    return 2\n",
      /DFF\.API: two functions are named twin \(lines 3 and 7\): a call finds its function by its name, so one of them could never be called; rename one \(line 7\)$/,
      7,
    );
  });

  it('refuses an option DFF.API does not have (a misspelt timeout would be lost), naming it and the options, as DataFlux Func does', async () => {
    await refused(
      'refuse__typo',
      "import os\n\n@DFF.API('Typo', timout=60, catgory='x')\ndef typo():\n    return 1\n",
      /DFFInvalidOption: DFF\.API: unknown options catgory, timout; the options are title, category, tags, timeout, .*integration_config \(line 3\)$/,
      3,
    );
  });

  it('refuses a negative cache_result, saying what it may be (0 or under 1: no cache)', async () => {
    await refused(
      'refuse__cache',
      "import os\n\n@DFF.API('Negative', cache_result=-1)\ndef negative():\n    return 1\n",
      /DFFInvalidOption: DFF\.API: cache_result must be a number of seconds from 0 \(under 1: no cache\) to 86400, not negative, got -1 \(line 3\)$/,
      3,
    );
  });

  it('refuses something that is no function with the line of the DFF.API call', async () => {
    await refused(
      'refuse__five',
      "import os\n\n\nx = DFF.API('Five')(5)\n",
      /DFFInvalidOption: DFF\.API: 5 \(int\) is not a function: decorate a function defined with def in this script \(line 4\)$/,
      4,
    );
    await refused('refuse__str', "import os\n\nDFF.API('Text')('hello')\n", /'hello' \(str\) is not a function.*\(line 3\)$/, 3);
  });

  it('refuses a function defined in no script (a builtin, one of the runtime, one imported from a module), naming it and the line', async () => {
    await refused(
      'refuse__print',
      "import os\n\nDFF.API('Print')(print)\n",
      /DFF\.API: function user_print \(from dff\) is not defined in a script: decorate a function defined with def in this script \(line 3\)$/,
      3,
    );
    await refused('refuse__len', "import os\n\n\nDFF.API('Len')(len)\n", /DFF\.API: len \(builtin_function_or_method\) is not a function defined in this script.*\(line 4\)$/, 4);
    await refused('refuse__json', "import json\n\nDFF.API('Dumps')(json.dumps)\n", /function dumps \(from json\) is not defined in a script.*\(line 3\)$/, 3);
  });

  it('refuses a function its name does not reach in the script (defined inside another, or the name bound again), naming it and the line', async () => {
    const nested = "import os\n\ndef make():\n    def inner():\n        return 1\n    return inner\n\nDFF.API('Nested')(make())\n";
    await refused(
      'refuse__nested',
      nested,
      /DFF\.API: function inner cannot be called by its name: the script's inner is nothing \(a function defined inside another, or its name bound again later\); decorate a function defined with def at the top level of the script \(line 8\)$/,
      8,
    );
    const rebound = "import os\n\n@DFF.API('Rebound')\ndef f():\n    return 1\n\nf = 5\n";
    await refused('refuse__rebound', rebound, /function f cannot be called by its name: the script's f is 5 \(int\).*\(line 3\)$/, 3);
  });

  it('refuses a function decorated twice, naming it and the lines of both decorators', async () => {
    const stacked = "import os\n\n@DFF.API('Outer', timeout=5)\n@DFF.API('Inner', timeout=9)\ndef twice():\n    return 1\n";
    await refused('refuse__twice', stacked, /DFF\.API: function twice is decorated twice \(lines 3 and 4\): the options of one would be lost; decorate it once \(line 3\)$/, 3);
    const calls = "import os\n\ndef again():\n    return 1\n\nDFF.API('One')(again)\nDFF.API('Two')(again)\n";
    await refused('refuse__again', calls, /function again is decorated twice \(lines 6 and 7\).*\(line 7\)$/, 7);
  });
});

describe('what @DFF.API still exports', () => {
  it("exports a function of another of the user's scripts, imported, as DataFlux Func does", async () => {
    await t.publish('keep__lib', 'import os\n\ndef helper(n=1):\n    return n * 10\n');
    await t.publish('keep__reexport', "from keep__lib import helper\n\nDFF.API('Helper')(helper)\n");
    const r = await t.admin('POST', '/api/v1/func/keep__reexport.helper', { kwargs: { n: 4 } });
    expect(r.body.data, r.text).toMatchObject({ result: 40 });
  });

  it('publishes cache_result=0 (and 0.5) as DataFlux Func takes it: recorded, and nothing cached', async () => {
    const code = [
      'import random',
      '',
      "@DFF.API('Zero', cache_result=0)",
      'def zero():',
      '    return random.random()',
      '',
      "@DFF.API('Half', cache_result=0.5)",
      'def half():',
      '    return random.random()',
      '',
    ].join('\n');
    await t.publish('keep__nocache', code);
    const funcs = await t.client.listFuncs({ query: { scriptId: 'keep__nocache' } });
    expect(funcs.find((f) => f.name === 'zero')?.extraConfigJSON).toMatchObject({ cacheResult: 0 });
    expect(funcs.find((f) => f.name === 'half')?.extraConfigJSON).toMatchObject({ cacheResult: 0.5 });
    for (const name of ['zero', 'half']) {
      const first = await t.admin('POST', `/api/v1/func/keep__nocache.${name}`, { kwargs: {} });
      const second = await t.admin('POST', `/api/v1/func/keep__nocache.${name}`, { kwargs: {} });
      expect(first.status, first.text).toBe(200);
      expect(second.headers['x-dff-cache'], name).toBeUndefined();
      expect(second.body.data, name).not.toEqual(first.body.data);
    }
  });

  it("publishes a function wrapped by the script's own decorator, one redefined (only the later exported), DataFlux Func's options (fixed_crontab as fixed_cron_expr) and a truthy is_hidden", async () => {
    const code = [
      'import functools',
      '',
      'def logged(fn):',
      '    @functools.wraps(fn)',
      '    def wrapper(*args, **kwargs):',
      '        return fn(*args, **kwargs)',
      '    return wrapper',
      '',
      "@DFF.API('Wrapped', integration='signIn', is_hidden=1)",
      '@logged',
      'def wrapped(a=1):',
      '    return a + 1',
      '',
      'def redefined():',
      '    return 1',
      '',
      "@DFF.API('Second')",
      'def redefined():',
      '    return 2',
      '',
      "@DFF.API('Old cron name', fixed_crontab='*/5 * * * *', delayed_cron_job=[10], integration_config={})",
      'def ticking():',
      '    return 3',
      '',
    ].join('\n');
    await t.publish('keep__main', code);
    const funcs = await t.client.listFuncs({ query: { scriptId: 'keep__main' } });
    expect(funcs.map((f) => [f.id, f.title]).sort()).toEqual([
      ['keep__main.redefined', 'Second'],
      ['keep__main.ticking', 'Old cron name'],
      ['keep__main.wrapped', 'Wrapped'],
    ]);
    expect(funcs.find((f) => f.name === 'ticking')?.extraConfigJSON).toMatchObject({ fixedCronExpr: '*/5 * * * *' });
    expect(funcs.find((f) => f.name === 'wrapped')).toMatchObject({ isHidden: true });
    const r = await t.admin('POST', '/api/v1/func/keep__main.wrapped', { kwargs: { a: 2 } });
    expect(r.body.data, r.text).toMatchObject({ result: 3 });
    const r2 = await t.admin('POST', '/api/v1/func/keep__main.redefined', { kwargs: {} });
    expect(r2.body.data, r2.text).toMatchObject({ result: 2 });
  });
});
