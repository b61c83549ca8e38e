/**
 * Blueprints (DataFlux Func's `blueprints`, docs/blueprints.md): CRUD with its fields, deploy of a
 * canvas into the published script `_bp_<id>__main` whose `run` runs the flow (called through
 * /api/v1/func), the builtin nodes, each refusal (naming the node, nothing deployed), a re-deploy
 * after a modify, delete.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBlueprintCode } from '../src/domain/blueprints/blueprint-code.js';
import { MAX_DEPLOYED_NODES } from '../src/domain/blueprints/deploy-blueprint.js';
import { taskSucceeded } from '../src/testing/test-client.js';
import { useTestStack } from '../src/testing/test-stack.js';

const LIB = `
@DFF.API('Plus')
def plus(a, b):
    return a + b

@DFF.API('Shout')
def shout(data):
    return str(data.get('word', '')).upper() + '!'

@DFF.API('Names')
def names(**kwargs):
    return sorted(kwargs)

@DFF.API('Ping')
def ping():
    return 'pong'
`;

const t = useTestStack({ lib__main: LIB });

type Canvas = { nodes: Record<string, unknown>[]; edges: Record<string, unknown>[] };
const entry = { id: 'entry', type: 'EntryNode', x: 240, y: 40, properties: {} };
const line = (id: string, from: string, to: string): Record<string, unknown> => ({ id, type: 'SimpleLine', sourceNodeId: from, targetNodeId: to, properties: {} });
const switchLine = (id: string, from: string, to: string, order: number): Record<string, unknown> => ({
  id,
  type: 'SwitchLine',
  sourceNodeId: from,
  targetNodeId: to,
  properties: { switchOrder: order },
});
const node = (id: string, type: string, properties: Record<string, unknown>): Record<string, unknown> => ({ id, type, x: 0, y: 0, properties });

/** Entry → Code (n doubled) → Switch (n > 10: a CodeNode; else: a FuncNode calling lib__main.plus) → on from the FuncNode: Hash. */
const branching = (threshold: number): Canvas => ({
  nodes: [
    entry,
    node('code-prep', 'CodeNode', {
      title: 'Double "n"\nand say so',
      // Indented as pasted, with a blank line and a nested block: the generator dedents and indents it again.
      code: "    n = int(data.get('n', 0))\n\n    data['n'] = n * 2\n    if data['n'] > 100:\n        data['huge'] = True\n",
    }),
    node('switch-1', 'SwitchNode', {
      title: "n's size",
      switchItems: [
        { type: 'expr', expr: `data['n'] > ${threshold}  # big`, switchOrder: 1 },
        { type: 'else', expr: '' },
      ],
    }),
    node('code-big', 'CodeNode', { code: "data['branch'] = 'big'\nreturn 'ignored: the flow goes on by the canvas'" }),
    node('func-small', 'FuncNode', { funcId: 'lib__main.plus', parameterPassingMethod: 'assignByName', parameterAssigningMap: { a: "data['n']", b: '1' }, outputField: 'sum' }),
    node('hash-1', 'BuiltinHashNode', { inputField: 'sum', outputField: 'sumMD5', hashAlgorithm: 'md5' }),
  ],
  edges: [
    line('l1', 'entry', 'code-prep'),
    line('l2', 'code-prep', 'switch-1'),
    switchLine('s1', 'switch-1', 'code-big', 1),
    switchLine('s2', 'switch-1', 'func-small', 2),
    line('l3', 'func-small', 'hash-1'),
  ],
});

/** Entry → n0 → n1 → … : `count` CodeNodes, each adding 1 to data['n']; with `loop`, the last goes back to n0. */
const chain = (count: number, loop = false): Canvas => {
  const ids = Array.from({ length: count }, (_, i) => `n${i}`);
  return {
    nodes: [entry, ...ids.map((id) => node(id, 'CodeNode', { code: "data['n'] = data.get('n', 0) + 1" }))],
    edges: [...ids.map((id, i) => line(`l${i}`, i === 0 ? 'entry' : ids[i - 1]!, id)), ...(loop ? [line('back', ids[count - 1]!, ids[0]!)] : [])],
  };
};

const run = async (id: string, kwargs: Record<string, unknown>): Promise<unknown> => {
  const out = await t.client.callFunc({ params: { funcId: `_bp_${id}__main.run` }, body: { kwargs } });
  if (!('result' in out)) throw new Error(`a sync call answered no result: ${JSON.stringify(out)}`);
  return out.result;
};
const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
const deploy = (id: string): ReturnType<typeof t.client.deployBlueprint> => t.client.deployBlueprint({ params: { id } });
const addBlueprint = (id: string, canvasJSON: Canvas | Record<string, unknown>, title: string | null = null): Promise<unknown> =>
  t.client.addBlueprint({ body: { data: { id, title, canvasJSON } } });

// A small HTTP service for the HTTP node: records what it got; /fail answers 500; what `before` holds for a path runs before the answer.
let server: Server;
let base = '';
const got: { method: string; url: string; type: string | undefined; body: string }[] = [];
const before = new Map<string, () => Promise<void>>();
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      got.push({ method: req.method ?? '', url: req.url ?? '', type: req.headers['content-type'], body });
      const hook = before.get(req.url ?? '');
      before.delete(req.url ?? '');
      void (hook ?? (() => Promise.resolve()))().then(
        () => {
          res.statusCode = req.url === '/fail' ? 500 : 200;
          res.end('ok');
        },
        (err: unknown) => {
          res.statusCode = 599;
          res.end(String(err));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('blueprints: CRUD', () => {
  it('adds, lists (canvas only with _withCanvas; by id, title text, isDeployed), gets, modifies and deletes with DataFlux Func fields', async () => {
    const canvas = branching(10);
    expect(await t.client.addBlueprint({ body: { data: { id: 'crud_a', title: 'Order Flow', description: 'routes orders', canvasJSON: canvas, viewJSON: { zoom: 1 } } } })).toEqual(
      { id: 'crud_a' },
    );
    await t.client.addBlueprint({ body: { data: { id: 'crud_b', title: 'Other' } } });

    const got = await t.client.getBlueprint({ params: { id: 'crud_a' } });
    expect(got).toMatchObject({ id: 'crud_a', title: 'Order Flow', description: 'routes orders', canvasJSON: canvas, viewJSON: { zoom: 1 }, isDeployed: false });
    expect(typeof got.createTime).toBe('number');
    // Added without a canvas: the entry node alone (DataFlux Func's new blueprint).
    expect((await t.client.getBlueprint({ params: { id: 'crud_b' } })).canvasJSON).toEqual({ nodes: [entry], edges: [] });

    const plain = await t.client.listBlueprints({ query: { id: 'crud_a,crud_b' } });
    expect(plain.map((b) => b.id).sort()).toEqual(['crud_a', 'crud_b']);
    expect(plain[0]).not.toHaveProperty('canvasJSON');
    expect(plain[0]).not.toHaveProperty('viewJSON');
    const withCanvas = await t.client.listBlueprints({ query: { id: 'crud_a', _withCanvas: 'true' } });
    expect(withCanvas).toEqual([expect.objectContaining({ id: 'crud_a', canvasJSON: canvas, viewJSON: { zoom: 1 } })]);
    expect((await t.client.listBlueprints({ query: { title: 'order' } })).map((b) => b.id)).toEqual(['crud_a']);

    await t.client.modifyBlueprint({ params: { id: 'crud_a' }, body: { data: { title: 'Renamed', canvasJSON: { nodes: [entry], edges: [] }, isDeployed: true } } });
    expect(await t.client.getBlueprint({ params: { id: 'crud_a' } })).toMatchObject({
      title: 'Renamed',
      description: 'routes orders',
      canvasJSON: { nodes: [entry], edges: [] },
      isDeployed: true,
    });
    expect((await t.client.listBlueprints({ query: { isDeployed: 'true', id: 'crud_a,crud_b' } })).map((b) => b.id)).toEqual(['crud_a']);

    expect(await t.client.deleteBlueprint({ params: { id: 'crud_a' } })).toEqual({ id: 'crud_a' });
    await expect(t.client.getBlueprint({ params: { id: 'crud_a' } })).rejects.toMatchObject({ code: 'EClientNotFound' });
  });

  it('refuses a canvasJSON that is not an object, an id that is no name or would not make a script id, and a duplicate', async () => {
    for (const canvasJSON of [[1, 2], 'nodes', 3]) {
      const r = await t.admin('POST', '/api/v1/blueprints/do/add', { data: { id: 'bad_canvas', canvasJSON } });
      expect(r.status, r.text).toBe(400);
      expect(r.body.detail?.field).toBe('body.data.canvasJSON');
    }
    await t.client.addBlueprint({ body: { data: { id: 'dup' } } });
    const modify = await t.admin('POST', '/api/v1/blueprints/dup/do/modify', { data: { canvasJSON: [] } });
    expect(modify.status, modify.text).toBe(400);
    expect(modify.body.detail?.field).toBe('body.data.canvasJSON');
    for (const id of ['1abc', 'a-b', 'a__b', 'ends_', 'x'.repeat(55)]) {
      const r = await t.admin('POST', '/api/v1/blueprints/do/add', { data: { id } });
      expect(r.status, `${id}: ${r.text}`).toBe(400);
      expect(r.body.detail?.field).toBe('body.data.id');
    }
    await expect(t.client.addBlueprint({ body: { data: { id: 'dup' } } })).rejects.toMatchObject({ detail: { status: 409 } });
    expect((await t.client.listBlueprints({ query: { id: 'bad_canvas' } })).length).toBe(0);
  });
});

describe('blueprints: deploy', () => {
  it('deploys Entry → Code → Switch → (Code | Func → Hash) as _bp_<id>__main.run, whose branches answer by the input', async () => {
    await addBlueprint('flow', branching(10), 'Routes "numbers"');
    expect(await deploy('flow')).toEqual({ scriptSetId: '_bp_flow', scriptId: '_bp_flow__main' });
    // n = 8 → 16 > 10: the CodeNode branch.
    expect(await run('flow', { n: 8 })).toEqual({ n: 16, branch: 'big' });
    // n = 2 → 4: else, the FuncNode calling lib__main.plus(a=4, b=1), then the Hash node it leads to.
    expect(await run('flow', { n: 2 })).toEqual({ n: 4, sum: 5, sumMD5: md5('5') });
    expect(await run('flow', { n: 60 })).toEqual({ n: 120, huge: true, branch: 'big' });

    const func = await t.client.getFunc({ params: { id: '_bp_flow__main.run' } });
    expect(func).toMatchObject({ scriptSetId: '_bp_flow', title: 'Routes "numbers"' });
    expect((await t.client.getScriptSet({ params: { id: '_bp_flow' } })).title).toBe('Routes "numbers"');
    // DataFlux Func's deploy does not set isDeployed; neither does Func's.
    expect((await t.client.getBlueprint({ params: { id: 'flow' } })).isDeployed).toBe(false);
  });

  it('a FuncNode passes data as the first argument, unpacked, or nothing; a switch with no true item and no else ends the flow', async () => {
    await addBlueprint('passing', {
      nodes: [
        entry,
        node('f1', 'FuncNode', { funcId: 'lib__main.shout', parameterPassingMethod: 'passAsFirstParameter', outputField: 'shouted' }),
        node('c1', 'CodeNode', { code: "data['a'] = 2\ndata['b'] = 3" }),
        node('f2', 'FuncNode', { funcId: 'lib__main.names', parameterPassingMethod: 'unpackAsNamedParameters', outputField: 'names' }),
        node('f3', 'FuncNode', { funcId: 'lib__main.ping', parameterPassingMethod: 'noParameter', outputField: 'pong' }),
        node('f4', 'FuncNode', { funcId: 'lib__main.ping', parameterPassingMethod: null }),
        node('sw', 'SwitchNode', { switchItems: [{ type: 'expr', expr: "data['a'] > 100" }] }),
        node('never', 'CodeNode', { code: "data['never'] = True" }),
      ],
      edges: [
        line('1', 'entry', 'f1'),
        line('2', 'f1', 'c1'),
        line('3', 'c1', 'f2'),
        line('4', 'f2', 'f3'),
        line('5', 'f3', 'f4'),
        line('6', 'f4', 'sw'),
        switchLine('7', 'sw', 'never', 1),
      ],
    });
    await deploy('passing');
    expect(await run('passing', { word: 'hey' })).toEqual({ word: 'hey', shouted: 'HEY!', a: 2, b: 3, names: ['a', 'b', 'shouted', 'word'], pong: 'pong' });
  });

  it('runs the builtin nodes: hash, base64 both ways, random (string, integer, float), JSON both ways, HTTP (urllib)', async () => {
    await addBlueprint('builtins', {
      nodes: [
        entry,
        node('h1', 'BuiltinHashNode', { inputField: 'text', outputField: 'sha1', hashAlgorithm: 'sha1' }),
        node('h2', 'BuiltinHashNode', { inputField: 'text', outputField: 'sha512', hashAlgorithm: 'sha512' }),
        node('b1', 'BuiltinBase64Node', { inputField: 'text', outputField: 'b64', encodeOrDecode: 'encode' }),
        node('b2', 'BuiltinBase64Node', { inputField: 'b64', outputField: 'back', encodeOrDecode: 'decode' }),
        node('r1', 'BuiltinRandomNode', { outputField: 'token', randomType: 'string', randomLength: 12 }),
        node('r2', 'BuiltinRandomNode', { outputField: 'dice', randomType: 'integer', minValue: 6, maxValue: 1 }),
        node('r3', 'BuiltinRandomNode', { outputField: 'ratio', randomType: 'float', minValue: 0.5, maxValue: 0.75 }),
        node('j1', 'BuiltinJSONNode', { inputField: 'obj', outputField: 'objText', serializeOrDeserialize: 'serialize' }),
        node('j2', 'BuiltinJSONNode', { inputField: 'objText', outputField: 'objBack', serializeOrDeserialize: 'deserialize' }),
        node('w1', 'BuiltinHTTPNode', {
          httpMethod: 'post',
          url: `${base}/hook?x=1`,
          httpContentType: 'application/json',
          httpBody: "{'text': data['text'], 'dice': data['dice']}",
        }),
        node('w2', 'BuiltinHTTPNode', { httpMethod: 'get', url: `${base}/ping` }),
      ],
      edges: [
        line('1', 'entry', 'h1'),
        line('2', 'h1', 'h2'),
        line('3', 'h2', 'b1'),
        line('4', 'b1', 'b2'),
        line('5', 'b2', 'r1'),
        line('6', 'r1', 'r2'),
        line('7', 'r2', 'r3'),
        line('8', 'r3', 'j1'),
        line('9', 'j1', 'j2'),
        line('10', 'j2', 'w1'),
        line('11', 'w1', 'w2'),
      ],
    });
    await deploy('builtins');
    got.length = 0;
    const out = (await run('builtins', { text: 'héllo', obj: { a: [1, 2] } })) as Record<string, unknown>;
    expect(out).toMatchObject({
      b64: Buffer.from('héllo').toString('base64'),
      back: 'héllo',
      objText: '{"a": [1, 2]}',
      objBack: { a: [1, 2] },
    });
    expect(out.sha1).toBe(createHash('sha1').update('héllo').digest('hex'));
    expect(out.sha512).toBe(createHash('sha512').update('héllo').digest('hex'));
    expect(out.token).toMatch(/^[0-9a-zA-Z]{12}$/);
    expect(out.dice).toSatisfy((d: unknown) => Number.isInteger(d) && (d as number) >= 1 && (d as number) <= 6);
    expect(out.ratio).toSatisfy((r: unknown) => typeof r === 'number' && r >= 0.5 && r <= 0.75);
    expect(got).toEqual([
      // Python's json.dumps (ensure_ascii, ", " and ": ").
      { method: 'POST', url: '/hook?x=1', type: 'application/json', body: `{"text": "h\\u00e9llo", "dice": ${String(out.dice)}}` },
      { method: 'GET', url: '/ping', type: undefined, body: '' },
    ]);

    // An answer of 500 fails the run, as DataFlux Func's raise_for_status.
    await addBlueprint('http_fail', { nodes: [entry, node('w', 'BuiltinHTTPNode', { httpMethod: 'delete', url: `${base}/fail` })], edges: [line('1', 'entry', 'w')] });
    await deploy('http_fail');
    await expect(run('http_fail', {})).rejects.toMatchObject({ code: 'EFuncFailed' });
    await expect(run('http_fail', {})).rejects.toThrow(/HTTP Error 500/);
  });

  it('deploys again after a modify: the function runs the new flow', async () => {
    await addBlueprint('again', branching(10));
    await deploy('again');
    expect(await run('again', { n: 4 })).toEqual({ n: 8, sum: 9, sumMD5: md5('9') });
    await t.client.modifyBlueprint({ params: { id: 'again' }, body: { data: { canvasJSON: branching(5) } } });
    // Not deployed yet: the old flow still runs.
    expect(await run('again', { n: 4 })).toEqual({ n: 8, sum: 9, sumMD5: md5('9') });
    await deploy('again');
    expect(await run('again', { n: 4 })).toEqual({ n: 8, branch: 'big' });
    expect((await t.client.listPublishHistory({ query: { scriptId: '_bp_again__main' } })).length).toBe(2);
  });

  it('delete removes the blueprint and leaves what it deployed (as DataFlux Func); deploying a deleted one is a 404', async () => {
    await addBlueprint('gone', branching(10));
    await deploy('gone');
    await t.client.deleteBlueprint({ params: { id: 'gone' } });
    expect((await t.client.listBlueprints({ query: { id: 'gone' } })).length).toBe(0);
    await expect(deploy('gone')).rejects.toMatchObject({ code: 'EClientNotFound' });
    expect(await run('gone', { n: 1 })).toEqual({ n: 2, sum: 3, sumMD5: md5('3') });
  });

  it(`deploys a canvas of ${MAX_DEPLOYED_NODES} nodes (the most: the entry and a chain of the rest) and runs all of it`, async () => {
    await addBlueprint('long_chain', chain(MAX_DEPLOYED_NODES - 1));
    expect(await deploy('long_chain')).toEqual({ scriptSetId: '_bp_long_chain', scriptId: '_bp_long_chain__main' });
    expect(await run('long_chain', { n: 5 })).toEqual({ n: 5 + MAX_DEPLOYED_NODES - 1 });
  }, 60_000);

  it(`refuses a chain of 20,000 nodes with a 400 naming the limit (${MAX_DEPLOYED_NODES}), in little time`, async () => {
    await addBlueprint('too_long', chain(20_000));
    const started = Date.now();
    const err = await deploy('too_long').then(
      () => null,
      (e: unknown) => e as { code: string; message: string; detail: Record<string, unknown> },
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(err, 'deploy refused').not.toBeNull();
    expect(err!.code).toBe('EBlueprintDeployFailed');
    expect(err!.detail).toMatchObject({ status: 400, field: 'canvasJSON.nodes', count: 20_001, max: MAX_DEPLOYED_NODES });
    expect(err!.message).toBe(`canvasJSON.nodes: the canvas holds 20001 nodes; a deployed canvas holds at most ${MAX_DEPLOYED_NODES} (MAX_DEPLOYED_NODES)`);
    await expect(t.client.getScriptSet({ params: { id: '_bp_too_long' } })).rejects.toMatchObject({ code: 'EClientNotFound' });
  }, 60_000);
});

describe('DFF.BLUEPRINT: a deployed blueprint called from a script, as DataFlux Func calls it', () => {
  it('enqueues `_bp_<id>__main.run` with the kwargs and queue given, answering the task id; a bad id is a TypeError naming it', async () => {
    await addBlueprint('from_script', chain(3));
    await deploy('from_script');
    await t.publish(
      'bpcall__main',
      [
        "@DFF.API('Call a blueprint')",
        'def call(n=0):',
        "    return DFF.BLUEPRINT('from_script', kwargs={'n': n}, queue=4)",
        '',
        "@DFF.API('A bad id')",
        'def bad():',
        '    try:',
        '        DFF.BLUEPRINT(42)',
        '    except TypeError as e:',
        '        return str(e)',
        '',
      ].join('\n'),
    );
    const called = await t.client.callFunc({ params: { funcId: 'bpcall__main.call' }, body: { kwargs: { n: 10 } } });
    const taskId = (called as { result: unknown }).result as string;
    expect(taskId).toMatch(/^task-/);
    const task = await taskSucceeded(t.client, taskId);
    expect(task).toMatchObject({ funcId: '_bp_from_script__main.run', queue: 4, origin: 'func' });
    expect((task.returnValueJSON as { n: number }).n).toBe(13);
    const bad = await t.client.callFunc({ params: { funcId: 'bpcall__main.bad' }, body: { kwargs: {} } });
    expect((bad as { result: unknown }).result).toBe('DFF.BLUEPRINT: blueprint_id must be a non-empty str, not 42');
  }, 60_000);
});

describe('blueprints: the generator on large canvases (no recursion, linear)', () => {
  it('turns a 50,000-node chain into its source, and refuses it closed into a cycle naming the cycle, each in little time', () => {
    let started = Date.now();
    const source = generateBlueprintCode({ id: 'big', title: null, canvasJSON: chain(50_000) });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(source.nodeLines.length).toBe(50_001);
    expect(source.nodeLines.at(-1)).toMatchObject({ nodeId: 'n9999', type: 'CodeNode' });

    started = Date.now();
    let err: unknown = null;
    try {
      generateBlueprintCode({ id: 'big', title: null, canvasJSON: chain(50_000, true) });
    } catch (e) {
      err = e;
    }
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(err).toMatchObject({ code: 'EBlueprintDeployFailed', detail: { field: 'canvasJSON.nodes[1]', nodeId: 'n0' } });
    const cycle = (err as { detail: { cycle: string[] } }).detail.cycle;
    expect(cycle.length).toBe(50_001);
    expect([cycle[0], cycle[1], cycle.at(-2), cycle.at(-1)]).toEqual(['n0', 'n1', 'n49999', 'n0']);
    expect((err as Error).message).toBe(
      'canvasJSON.nodes[1]: node "n0" is on a cycle ("n0" → "n1" → "n2" → "n3" → "n4" → "n5" → "n6" → "n7" → "n8" → "n9" → … 49990 more → "n0"): a flow runs each node at most once',
    );
  });
});

describe('blueprints: refused deploys name the node and deploy nothing', () => {
  const flowWith = (extra: Record<string, unknown>[], edges: Record<string, unknown>[] = []): Canvas => ({
    nodes: [entry, ...extra],
    edges: [line('l0', 'entry', extra[0]!.id as string), ...edges],
  });
  const cases: { name: string; canvas: Record<string, unknown>; field: string; nodeId?: string; codeLine?: number; message: RegExp }[] = [
    { name: 'nodes missing', canvas: { edges: [] }, field: 'canvasJSON.nodes', message: /list of nodes/ },
    { name: 'edges missing', canvas: { nodes: [entry] }, field: 'canvasJSON.edges', message: /list of edges/ },
    { name: 'a node that is not an object', canvas: { nodes: [entry, 'code'], edges: [] }, field: 'canvasJSON.nodes[1]', message: /must be an object/ },
    {
      name: 'an edge to a missing node',
      canvas: { nodes: [entry], edges: [line('l9', 'entry', 'ghost')] },
      field: 'canvasJSON.edges[0].targetNodeId',
      nodeId: 'ghost',
      message: /edge "l9" points to node "ghost", which is not on the canvas/,
    },
    { name: 'no EntryNode', canvas: { nodes: [node('c', 'CodeNode', {})], edges: [] }, field: 'canvasJSON.nodes', message: /no EntryNode/ },
    {
      name: 'a cycle',
      canvas: flowWith([node('a', 'CodeNode', {}), node('b', 'CodeNode', {})], [line('l1', 'a', 'b'), line('l2', 'b', 'a')]),
      field: 'canvasJSON.nodes[1]',
      nodeId: 'a',
      message: /node "a" is on a cycle \("a" → "b" → "a"\)/,
    },
    {
      name: 'an unknown node type',
      canvas: flowWith([node('m', 'MagicNode', {})]),
      field: 'canvasJSON.nodes[1].type',
      nodeId: 'm',
      message: /node "m" has an unknown type "MagicNode"/,
    },
    {
      name: 'a YAML node',
      canvas: flowWith([node('y', 'BuiltinYAMLNode', { inputField: 'a', outputField: 'b', serializeOrDeserialize: 'serialize' })]),
      field: 'canvasJSON.nodes[1]',
      nodeId: 'y',
      message: /yaml module/,
    },
    {
      name: 'a DingTalk node',
      canvas: flowWith([node('d', 'BuiltinDingTalkNode', { url: 'http://x', dingTalkMessageType: 'text' })]),
      field: 'canvasJSON.nodes[1]',
      nodeId: 'd',
      message: /jinja2/,
    },
    {
      name: 'a FuncNode calling no published function',
      canvas: flowWith([node('f', 'FuncNode', { funcId: 'lib__main.nope', parameterPassingMethod: 'noParameter' })]),
      field: 'canvasJSON.nodes[1].properties.funcId',
      nodeId: 'f',
      message: /calls lib__main\.nope, which is not a published function/,
    },
    {
      name: 'a switch item without its line',
      canvas: flowWith([node('s', 'SwitchNode', { switchItems: [{ type: 'expr', expr: 'True' }] })]),
      field: 'canvasJSON.nodes[1].properties.switchItems[0]',
      nodeId: 's',
      message: /no SwitchLine for item #1/,
    },
    {
      name: 'a hash node without its fields',
      canvas: flowWith([node('h', 'BuiltinHashNode', { hashAlgorithm: 'crc' })]),
      field: 'canvasJSON.nodes[1].properties.hashAlgorithm',
      nodeId: 'h',
      message: /hashAlgorithm one of md5, sha1, sha256, sha512/,
    },
    {
      name: 'a CodeNode whose code does not compile (its line told)',
      canvas: flowWith([node('bad-code', 'CodeNode', { code: "x = 1\ny = (\ndata['x'] = x" })]),
      field: 'line',
      nodeId: 'bad-code',
      codeLine: 2,
      message: /SyntaxError: '\(' was never closed \(line \d+: node "bad-code" \(CodeNode\), line 2 of its code\)$/,
    },
    {
      // The switch item's expression is written on two lines (`if (True\n):`): b's line is counted past them.
      name: 'a CodeNode after a SwitchNode whose code does not compile (its line counted past the expression)',
      canvas: flowWith([node('a', 'SwitchNode', { switchItems: [{ type: 'expr', expr: 'True' }] }), node('b', 'CodeNode', { code: 'x = (' })], [switchLine('s1', 'a', 'b', 1)]),
      field: 'line',
      nodeId: 'b',
      codeLine: 1,
      message: /SyntaxError: '\(' was never closed \(line \d+: node "b" \(CodeNode\), line 1 of its code\)$/,
    },
  ];

  for (const c of cases) {
    it(`refuses ${c.name}`, async () => {
      const id = `ref_${cases.indexOf(c)}`;
      await addBlueprint(id, c.canvas);
      const err = await deploy(id).then(
        () => null,
        (e: unknown) => e as { code: string; message: string; detail: Record<string, unknown> },
      );
      expect(err, 'deploy refused').not.toBeNull();
      expect(err!.code).toBe('EBlueprintDeployFailed');
      expect(err!.detail.status).toBe(400);
      expect(err!.message).toMatch(c.message);
      if (c.field !== 'line') expect(err!.detail.field).toBe(c.field);
      if (c.nodeId) expect(err!.detail.nodeId).toBe(c.nodeId);
      if (c.codeLine !== undefined) expect(err!.detail.codeLine).toBe(c.codeLine);
      // Nothing deployed.
      await expect(t.client.getScriptSet({ params: { id: `_bp_${id}` } })).rejects.toMatchObject({ code: 'EClientNotFound' });
      await expect(t.client.getScript({ params: { id: `_bp_${id}__main` } })).rejects.toMatchObject({ code: 'EClientNotFound' });
    });
  }

  it('a re-deploy refused by its checks (before anything is written) leaves the previous deployment running', async () => {
    await addBlueprint('keep', branching(10));
    await deploy('keep');
    await t.client.modifyBlueprint({ params: { id: 'keep' }, body: { data: { canvasJSON: flowWith([node('oops', 'CodeNode', { code: 'def (' })]) } } });
    await expect(deploy('keep')).rejects.toMatchObject({ code: 'EBlueprintDeployFailed', detail: { nodeId: 'oops' } });
    expect(await run('keep', { n: 8 })).toEqual({ n: 16, branch: 'big' });
    const script = await t.client.getScript({ params: { id: '_bp_keep__main' } });
    expect(script.publishVersion).toBe(1);
    expect(script.codeDraft).toBe(script.code);
  });

  it('a re-deploy whose publish fails after the writes (a script a FuncNode calls deleted meanwhile) puts back the previous deployment and the titles', async () => {
    await addBlueprint('undo', branching(10), 'Before');
    await deploy('undo');
    const set = await t.client.getScriptSet({ params: { id: '_bp_undo' } });
    const script = await t.client.getScript({ params: { id: '_bp_undo__main' } });
    expect(set.title).toBe('Before');
    // Someone's script in the deployed set: a deploy deletes it only once it has published.
    await t.client.addScript({ body: { data: { id: '_bp_undo__extra', codeDraft: 'x = 1\n' } } });

    // A script whose import tells the HTTP service; that deletes the script before answering, so the deploy's
    // check imports it, and the publish (after the writes) finds it gone.
    const path = '/imported/flaky__main';
    await t.publish(
      'flaky__main',
      `import urllib.request\nurllib.request.urlopen(${JSON.stringify(base + path)}, timeout=30).read()\n\n@DFF.API('Flaky')\ndef f():\n    return 1\n`,
    );
    before.set(path, async () => {
      await t.client.deleteScript({ params: { id: 'flaky__main' } });
    });
    await t.client.modifyBlueprint({
      params: { id: 'undo' },
      body: { data: { title: 'After', canvasJSON: flowWith([node('calls-flaky', 'FuncNode', { funcId: 'flaky__main.f', outputField: 'flaky' })]) } },
    });
    const err = await deploy('undo').then(
      () => null,
      (e: unknown) => e as { code: string; message: string; detail: Record<string, unknown> },
    );
    expect(before.has(path), 'the import reached the HTTP service').toBe(false);
    expect(err, 'deploy refused').not.toBeNull();
    expect(err!.code).toBe('EBlueprintDeployFailed');
    expect(err!.detail.status).toBe(400);
    expect(err!.message).toMatch(/cannot be published: ModuleNotFoundError: .*flaky__main/);

    // The previous deployment runs, its script, set and function as they were.
    expect(await run('undo', { n: 8 })).toEqual({ n: 16, branch: 'big' });
    const after = await t.client.getScript({ params: { id: '_bp_undo__main' } });
    expect(after).toMatchObject({ title: 'Before', publishVersion: 1, code: script.code, codeDraft: script.code, updateTime: script.updateTime });
    expect(await t.client.getScriptSet({ params: { id: '_bp_undo' } })).toMatchObject({ title: 'Before', updateTime: set.updateTime });
    expect((await t.client.getFunc({ params: { id: '_bp_undo__main.run' } })).title).toBe('Before');
    expect((await t.client.listScripts({ query: { id: '_bp_undo__extra' } })).length).toBe(1);
    expect((await t.client.listPublishHistory({ query: { scriptId: '_bp_undo__main' } })).length).toBe(1);
  });

  it('ids, titles and field names cannot break the generated Python', async () => {
    const nasty = 'x"\'\\\n\u2028😀 """ #';
    await addBlueprint(
      'quotes',
      {
        nodes: [
          { ...entry, id: nasty },
          node(`c${nasty}`, 'CodeNode', { title: nasty, code: "data['marker'] = 'ok'" }),
          node(`b${nasty}`, 'BuiltinBase64Node', { inputField: nasty, outputField: `out${nasty}`, encodeOrDecode: 'encode' }),
        ],
        edges: [line('1', nasty, `c${nasty}`), line('2', `c${nasty}`, `b${nasty}`)],
      },
      nasty,
    );
    await deploy('quotes');
    expect(await run('quotes', { [nasty]: 'ok' })).toEqual({ [nasty]: 'ok', marker: 'ok', [`out${nasty}`]: Buffer.from('ok').toString('base64') });
    expect((await t.client.getFunc({ params: { id: '_bp_quotes__main.run' } })).title).toBe(nasty);
  });
});
