/**
 * A blueprint's canvas (DataFlux Func's LogicFlow `{nodes, edges}`) checked and turned into the
 * Python source of its deployed script (docs/blueprints.md). Pure: no store, no runner.
 *
 * The flow: `run(**data)` starts at the EntryNode and follows each node's SimpleLine; a SwitchNode
 * goes down the SwitchLine of its first item (in order, `else` last) whose expression is true, and
 * the flow goes on from that node. Every node is a function of `data` (the call's kwargs, a dict the
 * nodes change in place); `run` answers `data`. What cannot be deployed (a canvas that is not one,
 * an edge to no node, no EntryNode, a cycle, an unknown node type, a node Func's standard-library
 * runner cannot run, a property a node cannot take) is refused naming the node or edge.
 */
import { FUNC_ID } from '../../../../contract/common.js';
import { ApiError } from '../../../../contract/errors.js';

/** Node types a canvas may hold (DataFlux Func's editor's). */
export const BLUEPRINT_NODE_TYPES = [
  'EntryNode',
  'CodeNode',
  'FuncNode',
  'SwitchNode',
  'BuiltinHashNode',
  'BuiltinBase64Node',
  'BuiltinRandomNode',
  'BuiltinJSONNode',
  'BuiltinYAMLNode',
  'BuiltinHTTPNode',
  'BuiltinDingTalkNode',
] as const;
export type BlueprintNodeType = (typeof BLUEPRINT_NODE_TYPES)[number];

/** Node types refused at deploy, and why (Func's runner has Python's standard library only). */
export const UNDEPLOYABLE_NODES: Partial<Record<BlueprintNodeType, string>> = {
  BuiltinYAMLNode: "it needs the yaml module, and Func's runner has only Python's standard library (use a CodeNode with json, or a function of yours)",
  BuiltinDingTalkNode:
    "it needs the jinja2 and requests modules, and Func's runner has only Python's standard library (send the message from a FuncNode calling a function of yours, or a BuiltinHTTPNode)",
};

export const HASH_ALGORITHMS = ['md5', 'sha1', 'sha256', 'sha512'] as const;
export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
export const HTTP_CONTENT_TYPES = ['text/plain', 'application/json'] as const;
export const PARAMETER_PASSING = ['passAsFirstParameter', 'unpackAsNamedParameters', 'assignByName', 'noParameter'] as const;
/** Characters a random string is drawn from (DataFlux Func's: digits and ASCII letters), and its length bounds (its editor's). */
export const RANDOM_LENGTH_MIN = 1;
export const RANDOM_LENGTH_MAX = 100;

/** The generated source and which lines each node's function holds (a publish error's line is told as the node's). */
export interface BlueprintSource {
  code: string;
  /** Function ids FuncNodes call, with the node calling each (deploy checks they are published). */
  calls: { funcId: string; nodeId: string; nodeIndex: number }[];
  /** 1-based, inclusive; `codeStart`: the generated line of a CodeNode's first line of code. */
  nodeLines: { nodeId: string; type: BlueprintNodeType; start: number; end: number; codeStart?: number }[];
}

export interface BlueprintInput {
  id: string;
  title: string | null;
  canvasJSON: unknown;
}

interface Node {
  index: number;
  id: string;
  type: BlueprintNodeType;
  props: Record<string, unknown>;
}
interface Edge {
  index: number;
  id: string;
  type: 'SimpleLine' | 'SwitchLine';
  source: string;
  target: string;
  switchOrder?: number;
}

// The same test as connector-config.ts's isObject (and the script-set archive's isMapping, which the
// archive fixes make connector-config.ts's exported isJsonObject): one shared domain helper should
// replace these once that lands on main (not there when this was written).
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function refuse(field: string, message: string, detail: Record<string, unknown> = {}): never {
  throw new ApiError('EBlueprintDeployFailed', `${field}: ${message}`, { field, ...detail });
}

/** The refusal of one node's problem, naming it. */
function nodeProblem(node: Pick<Node, 'index' | 'id' | 'type'>, prop: string | null, message: string): never {
  const field = `canvasJSON.nodes[${node.index}]${prop ? `.properties.${prop}` : ''}`;
  return refuse(field, `node ${JSON.stringify(node.id)} (${node.type}) ${message}`, { nodeId: node.id, nodeType: node.type });
}

/**
 * A Python string literal of `s`: ASCII only (other characters escaped, those past U+FFFF as
 * `\U…`, so Python reads them as one character), so no id, title or field name can end it or
 * the line it is on.
 */
export function pyStr(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp > 0xffff) out += `\\U${cp.toString(16).padStart(8, '0')}`;
    else out += `\\u${cp.toString(16).padStart(4, '0')}`;
  }
  return out + '"';
}

/** A finite number as Python reads it. */
const pyNum = (n: number): string => (Number.isInteger(n) ? String(n) : String(n).replace('e+', 'e'));

/**
 * Lines of user code (a CodeNode's body), line ends made `\n`, blank lines at the end dropped and
 * the indentation all lines share removed (the function's own is added): a line keeps its number.
 */
export function userCodeLines(code: string): string[] {
  const lines = code.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  let common: string | null = null;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const lead = /^[ \t]*/.exec(line)![0];
    if (common === null) common = lead;
    else {
      let i = 0;
      while (i < common.length && i < lead.length && common[i] === lead[i]) i++;
      common = common.slice(0, i);
    }
  }
  const cut = common?.length ?? 0;
  return lines.map((l) => (l.trim() === '' ? '' : l.slice(cut)));
}

/**
 * An expression the user wrote (a switch item's, an argument's, a request body's), parenthesised so a
 * comment or a line break in it cannot end the statement. Its lines stay as written (not indented:
 * inside the parentheses indentation means nothing, and a string spanning lines keeps its text);
 * the generator counts each of them as a line of the source.
 */
const pyExpr = (text: string): string => `(${text.replace(/\r\n?/g, '\n')}\n)`;

/** The canvas's nodes and edges, each checked for its shape; what is wrong names the node or edge. */
function readCanvas(canvas: unknown): { nodes: Node[]; edges: Edge[] } {
  if (!isObject(canvas)) refuse('canvasJSON', 'must be an object {nodes, edges}');
  if (!Array.isArray(canvas.nodes)) refuse('canvasJSON.nodes', 'must be a list of nodes');
  if (!Array.isArray(canvas.edges)) refuse('canvasJSON.edges', 'must be a list of edges ([] when there are none)');
  const nodes: Node[] = [];
  const seen = new Set<string>();
  (canvas.nodes as unknown[]).forEach((raw, index) => {
    const field = `canvasJSON.nodes[${index}]`;
    if (!isObject(raw)) refuse(field, 'must be an object {id, type, properties}');
    if (typeof raw.id !== 'string' || raw.id === '') refuse(`${field}.id`, 'must be a non-empty string');
    const id = raw.id;
    if (seen.has(id)) refuse(`${field}.id`, `node ${JSON.stringify(id)} appears twice`, { nodeId: id });
    seen.add(id);
    if (typeof raw.type !== 'string' || !(BLUEPRINT_NODE_TYPES as readonly string[]).includes(raw.type)) {
      refuse(`${field}.type`, `node ${JSON.stringify(id)} has an unknown type ${JSON.stringify(raw.type)} (known: ${BLUEPRINT_NODE_TYPES.join(', ')})`, { nodeId: id });
    }
    const type = raw.type as BlueprintNodeType;
    if (raw.properties !== undefined && raw.properties !== null && !isObject(raw.properties)) nodeProblem({ index, id, type }, null, 'has properties that are not an object');
    nodes.push({ index, id, type, props: isObject(raw.properties) ? raw.properties : {} });
  });
  const edges: Edge[] = [];
  (canvas.edges as unknown[]).forEach((raw, index) => {
    const field = `canvasJSON.edges[${index}]`;
    if (!isObject(raw)) refuse(field, 'must be an object {id, type, sourceNodeId, targetNodeId}');
    const id = typeof raw.id === 'string' ? raw.id : `#${index}`;
    const name = `edge ${JSON.stringify(id)}`;
    if (raw.type !== 'SimpleLine' && raw.type !== 'SwitchLine')
      refuse(`${field}.type`, `${name} has an unknown type ${JSON.stringify(raw.type)} (known: SimpleLine, SwitchLine)`, { edgeId: id });
    for (const end of ['sourceNodeId', 'targetNodeId'] as const) {
      const v = raw[end];
      if (typeof v !== 'string') refuse(`${field}.${end}`, `${name} must name a node`, { edgeId: id });
      if (!seen.has(v)) refuse(`${field}.${end}`, `${name} points to node ${JSON.stringify(v)}, which is not on the canvas`, { edgeId: id, nodeId: v });
    }
    const props = isObject(raw.properties) ? raw.properties : {};
    const edge: Edge = { index, id, type: raw.type, source: raw.sourceNodeId as string, target: raw.targetNodeId as string };
    if (raw.type === 'SwitchLine') {
      const order = props.switchOrder;
      if (typeof order !== 'number' || !Number.isInteger(order) || order < 1)
        refuse(`${field}.properties.switchOrder`, `${name} must carry the number (1, 2, …) of its switch item`, { edgeId: id });
      edge.switchOrder = order;
    }
    edges.push(edge);
  });
  return { nodes, edges };
}

/** The node each node goes on to (SimpleLine), and the target of each SwitchNode's item; refuses what the editor would not draw. */
function readFlow(nodes: Node[], edges: Edge[]): { entry: Node; next: Map<string, string>; branches: Map<string, Map<number, string>> } {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const entries = nodes.filter((n) => n.type === 'EntryNode');
  if (entries.length === 0) refuse('canvasJSON.nodes', 'there is no EntryNode: the flow has nowhere to start');
  if (entries.length > 1) nodeProblem(entries[1]!, null, `is a second EntryNode (the first is ${JSON.stringify(entries[0]!.id)}): a flow starts at one`);
  const entry = entries[0]!;
  const next = new Map<string, string>();
  const branches = new Map<string, Map<number, string>>();
  for (const e of edges) {
    const field = `canvasJSON.edges[${e.index}]`;
    const name = `edge ${JSON.stringify(e.id)}`;
    const source = byId.get(e.source)!;
    if (e.target === entry.id)
      refuse(`${field}.targetNodeId`, `${name} points to the EntryNode ${JSON.stringify(entry.id)}: a flow cannot go back to its start`, { edgeId: e.id, nodeId: entry.id });
    if (source.type === 'SwitchNode' && e.type !== 'SwitchLine') {
      refuse(`${field}.type`, `${name} leaves the SwitchNode ${JSON.stringify(source.id)} as a SimpleLine: a SwitchNode goes on through the SwitchLine of an item`, {
        edgeId: e.id,
        nodeId: source.id,
      });
    }
    if (source.type !== 'SwitchNode' && e.type === 'SwitchLine') {
      refuse(`${field}.type`, `${name} is a SwitchLine leaving ${JSON.stringify(source.id)}, which is a ${source.type}, not a SwitchNode`, { edgeId: e.id, nodeId: source.id });
    }
    if (e.type === 'SimpleLine') {
      const before = next.get(e.source);
      if (before !== undefined) {
        refuse(field, `${name} is a second line leaving node ${JSON.stringify(e.source)} (the other goes to ${JSON.stringify(before)}): a node goes on to one node`, {
          edgeId: e.id,
          nodeId: e.source,
        });
      }
      next.set(e.source, e.target);
    } else {
      const map = branches.get(e.source) ?? new Map<number, string>();
      const before = map.get(e.switchOrder!);
      if (before !== undefined) {
        refuse(
          `${field}.properties.switchOrder`,
          `${name} is a second line for item #${e.switchOrder} of SwitchNode ${JSON.stringify(e.source)} (the other goes to ${JSON.stringify(before)})`,
          {
            edgeId: e.id,
            nodeId: e.source,
          },
        );
      }
      map.set(e.switchOrder!, e.target);
      branches.set(e.source, map);
    }
  }
  refuseCycles(nodes, edges);
  return { entry, next, branches };
}

/**
 * A flow runs each node at most once: a cycle is refused, naming its nodes in order. A depth-first
 * walk with its own stack (a canvas may hold tens of thousands of nodes: no recursion), linear in
 * nodes and edges.
 */
/** The most nodes a cycle's refusal names in its message. */
const CYCLE_NAMED = 12;

function refuseCycles(nodes: Node[], edges: Edge[]): void {
  const out = new Map<string, string[]>();
  for (const e of edges) {
    const targets = out.get(e.source);
    if (targets) targets.push(e.target);
    else out.set(e.source, [e.target]);
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const state = new Map<string, 'open' | 'done'>();
  // The walk's path from its start: each node with the index of the next of its edges to follow.
  const path: { id: string; next: number }[] = [];
  const open = (id: string): void => {
    state.set(id, 'open');
    path.push({ id, next: 0 });
  };
  for (const n of nodes) {
    if (state.has(n.id)) continue;
    open(n.id);
    while (path.length > 0) {
      const top = path[path.length - 1]!;
      const targets = out.get(top.id) ?? [];
      if (top.next === targets.length) {
        path.pop();
        state.set(top.id, 'done');
        continue;
      }
      const to = targets[top.next++]!;
      const seen = state.get(to);
      if (seen === 'open') {
        const ids = path.map((p) => p.id);
        const cycle = [...ids.slice(ids.indexOf(to)), to];
        // The message names a long cycle's first nodes and its end; detail.cycle holds all of it.
        const named =
          cycle.length <= CYCLE_NAMED
            ? cycle.map((c) => JSON.stringify(c))
            : [...cycle.slice(0, CYCLE_NAMED - 2).map((c) => JSON.stringify(c)), `… ${cycle.length - CYCLE_NAMED + 1} more`, JSON.stringify(to)];
        refuse(`canvasJSON.nodes[${byId.get(to)!.index}]`, `node ${JSON.stringify(to)} is on a cycle (${named.join(' → ')}): a flow runs each node at most once`, {
          nodeId: to,
          cycle,
        });
      }
      if (seen === undefined) open(to);
    }
  }
}

/** A node's property read as text: null when absent or null; anything else not a string is refused. */
function text(node: Node, prop: string, required = false): string | null {
  const v = node.props[prop];
  if (v === undefined || v === null || (required && v === '')) {
    if (required) nodeProblem(node, prop, `needs ${prop}`);
    return null;
  }
  if (typeof v !== 'string') nodeProblem(node, prop, `has a ${prop} that is not a string`);
  return v;
}

function oneOf<T extends string>(node: Node, prop: string, options: readonly T[], fallback?: T): T {
  const v = node.props[prop];
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  if (typeof v !== 'string' || !(options as readonly string[]).includes(v))
    nodeProblem(node, prop, `needs ${prop} one of ${options.join(', ')} (got ${JSON.stringify(v ?? null)})`);
  return v as T;
}

function num(node: Node, prop: string, fallback: number, integer: boolean): number {
  const v = node.props[prop];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isSafeInteger(v)))
    nodeProblem(node, prop, `has a ${prop} that is not ${integer ? 'a whole number' : 'a number'}`);
  return v;
}

/** `data[<field>]`, the field a builtin node reads or writes (DataFlux Func's editor fills `value`). */
const dataAt = (node: Node, prop: string): string => `data[${pyStr(text(node, prop, true)!)}]`;

/** The body of a node's function (without the docstring), and the imports it needs. */
function nodeBody(node: Node, branches: Map<number, string> | undefined, calls: BlueprintSource['calls']): { lines: string[]; imports: string[]; userCode?: boolean } {
  const p = node.props;
  switch (node.type) {
    case 'EntryNode':
      return { lines: [], imports: [] };
    case 'CodeNode': {
      const code = text(node, 'code');
      return { lines: code === null ? [] : userCodeLines(code), imports: [], userCode: true };
    }
    case 'FuncNode': {
      const funcId = text(node, 'funcId', true)!;
      if (!FUNC_ID.test(funcId)) nodeProblem(node, 'funcId', `has a funcId ${JSON.stringify(funcId)} that is no function id (<scriptSet>__<script>.<function>)`);
      calls.push({ funcId, nodeId: node.id, nodeIndex: node.index });
      let args = '';
      switch (oneOf(node, 'parameterPassingMethod', PARAMETER_PASSING, 'noParameter')) {
        case 'passAsFirstParameter':
          args = 'data';
          break;
        case 'unpackAsNamedParameters':
          args = '**data';
          break;
        case 'assignByName': {
          const map = p.parameterAssigningMap ?? {};
          if (!isObject(map)) nodeProblem(node, 'parameterAssigningMap', 'must be an object {argument: Python expression}');
          args = Object.entries(map)
            .map(([k, v]) => {
              if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k)) nodeProblem(node, 'parameterAssigningMap', `has an argument name ${JSON.stringify(k)} that is not a Python name`);
              if (typeof v !== 'string' || v.trim() === '') nodeProblem(node, `parameterAssigningMap.${k}`, 'needs a Python expression');
              return `${k}=${pyExpr(v)}`;
            })
            .join(', ');
          break;
        }
        case 'noParameter':
          break;
      }
      const call = `${funcId}(${args})`;
      const output = text(node, 'outputField');
      return { lines: [output ? `data[${pyStr(output)}] = ${call}` : call], imports: [funcId.split('.')[0]!] };
    }
    case 'SwitchNode': {
      const raw = p.switchItems ?? [];
      if (!Array.isArray(raw)) nodeProblem(node, 'switchItems', 'must be a list of {type, expr}');
      const items = (raw as unknown[]).map((item, i) => {
        const order = i + 1;
        if (!isObject(item)) return nodeProblem(node, `switchItems[${i}]`, 'must be an object {type, expr}');
        const isElse = item.type === 'else';
        if (!isElse && (typeof item.expr !== 'string' || item.expr.trim() === '')) nodeProblem(node, `switchItems[${i}].expr`, `needs a Python expression for item #${order}`);
        const target = branches?.get(order);
        if (target === undefined) nodeProblem(node, `switchItems[${i}]`, `has no SwitchLine for item #${order}: draw where the flow goes when it is chosen`);
        return { order, isElse, expr: isElse ? '' : (item.expr as string), target };
      });
      for (const order of branches?.keys() ?? []) {
        if (order > items.length) nodeProblem(node, 'switchItems', `has ${items.length} item(s), but a SwitchLine leaves it for item #${order}`);
      }
      // Expressions in their order, then the first `else` (DataFlux Func's order); what follows an `else` is never reached.
      const firstElse = items.find((i) => i.isElse);
      const lines: string[] = [];
      items
        .filter((i) => !i.isElse)
        .forEach((item, k) => {
          lines.push(`${k === 0 ? 'if' : 'elif'} ${pyExpr(item.expr)}:`, `    return ${pyStr(item.target)}`);
        });
      if (firstElse) {
        if (lines.length === 0) lines.push(`return ${pyStr(firstElse.target)}`);
        else lines.push('else:', `    return ${pyStr(firstElse.target)}`);
      }
      lines.push('return None');
      return { lines, imports: [] };
    }
    case 'BuiltinHashNode': {
      const alg = oneOf(node, 'hashAlgorithm', HASH_ALGORITHMS, 'md5');
      return { lines: [`${dataAt(node, 'outputField')} = hashlib.${alg}(str(${dataAt(node, 'inputField')}).encode('utf-8')).hexdigest()`], imports: ['hashlib'] };
    }
    case 'BuiltinBase64Node': {
      const way = oneOf(node, 'encodeOrDecode', ['encode', 'decode'] as const);
      const input = `str(${dataAt(node, 'inputField')})`;
      const value = way === 'encode' ? `base64.b64encode(${input}.encode('utf-8')).decode('ascii')` : `base64.b64decode(${input}).decode('utf-8')`;
      return { lines: [`${dataAt(node, 'outputField')} = ${value}`], imports: ['base64'] };
    }
    case 'BuiltinRandomNode': {
      const type = oneOf(node, 'randomType', ['string', 'integer', 'float'] as const);
      const out = dataAt(node, 'outputField');
      if (type === 'string') {
        const n = num(node, 'randomLength', 8, true);
        if (n < RANDOM_LENGTH_MIN || n > RANDOM_LENGTH_MAX) nodeProblem(node, 'randomLength', `must be ${RANDOM_LENGTH_MIN} to ${RANDOM_LENGTH_MAX}`);
        return { lines: [`${out} = ''.join(random.choice(string.digits + string.ascii_letters) for _ in range(${n}))`], imports: ['random', 'string'] };
      }
      const integer = type === 'integer';
      const lo = num(node, 'minValue', 0, integer);
      const hi = num(node, 'maxValue', 100, integer);
      return { lines: [`a, b = sorted([${pyNum(lo)}, ${pyNum(hi)}])`, `${out} = random.${integer ? 'randint' : 'uniform'}(a, b)`], imports: ['random'] };
    }
    case 'BuiltinJSONNode': {
      const way = oneOf(node, 'serializeOrDeserialize', ['serialize', 'deserialize'] as const);
      return { lines: [`${dataAt(node, 'outputField')} = json.${way === 'serialize' ? 'dumps' : 'loads'}(${dataAt(node, 'inputField')})`], imports: ['json'] };
    }
    case 'BuiltinHTTPNode': {
      const method = oneOf(node, 'httpMethod', HTTP_METHODS);
      const url = text(node, 'url', true)!;
      if (!/^https?:\/\/[^\s]+$/i.test(url)) nodeProblem(node, 'url', `needs an http(s) URL (got ${JSON.stringify(url)})`);
      const sends = method === 'post' || method === 'put' || method === 'patch';
      const type = sends ? oneOf(node, 'httpContentType', HTTP_CONTENT_TYPES, 'text/plain') : null;
      const body = sends ? text(node, 'httpBody') : null;
      const payload = body !== null && body.trim() !== '' ? pyExpr(body) : 'None';
      return {
        lines: [`_bp_http(${pyStr(method.toUpperCase())}, ${pyStr(url)}, ${type === null ? 'None' : pyStr(type)}, ${payload})`],
        imports: ['json', 'urllib.parse', 'urllib.request'],
      };
    }
    case 'BuiltinYAMLNode':
    case 'BuiltinDingTalkNode':
      return nodeProblem(node, null, `cannot be deployed: ${UNDEPLOYABLE_NODES[node.type]!}`);
  }
}

/** What a BuiltinHTTPNode calls: DataFlux Func's request (requests' post/put/patch with a body, raise_for_status) on urllib. */
const HTTP_HELPER = [
  'def _bp_http(method, url, content_type, payload):',
  '    body = None',
  '    headers = {}',
  '    if content_type is not None:',
  "        headers['Content-Type'] = content_type",
  "        if content_type == 'application/json':",
  "            body = json.dumps(payload).encode('utf-8')",
  '        elif isinstance(payload, dict):',
  "            body = urllib.parse.urlencode(payload).encode('utf-8')",
  '        elif isinstance(payload, bytes):',
  '            body = payload',
  '        elif payload is not None:',
  "            body = str(payload).encode('utf-8')",
  '    request = urllib.request.Request(url, data=body, headers=headers, method=method)',
  '    # An answer of 400 or more raises urllib.error.HTTPError (as raise_for_status)',
  '    with urllib.request.urlopen(request, timeout=60) as response:',
  '        response.read()',
];

/** Checks the canvas and answers the deployed script's source; a problem is refused (EBlueprintDeployFailed) naming the node or edge. */
export function generateBlueprintCode(blueprint: BlueprintInput): BlueprintSource {
  const { nodes, edges } = readCanvas(blueprint.canvasJSON);
  const { entry, next, branches } = readFlow(nodes, edges);
  // Entry first, then by id (DataFlux Func's order), so the source does not change with the editor's order.
  const ordered = [entry, ...nodes.filter((n) => n !== entry).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))];
  const funcName = new Map(ordered.map((n, i) => [n.id, `_bp_node_${i}`]));
  const calls: BlueprintSource['calls'] = [];
  const bodies = ordered.map((n) => ({ node: n, ...nodeBody(n, branches.get(n.id), calls) }));

  const lines: string[] = [];
  const nodeLines: BlueprintSource['nodeLines'] = [];
  lines.push(`# Generated by deploying blueprint ${pyStr(blueprint.id)}: do not edit (the next deploy replaces it).`, '');
  const modules = [...new Set(bodies.flatMap((b) => b.imports))];
  const stdlib = modules.filter((m) => !m.includes('__')).sort();
  const scripts = modules.filter((m) => m.includes('__')).sort();
  for (const m of stdlib) lines.push(`import ${m}`);
  if (stdlib.length > 0 && scripts.length > 0) lines.push('');
  for (const m of scripts) lines.push(`import ${m}`);
  if (bodies.some((b) => b.node.type === 'BuiltinHTTPNode')) lines.push('', '', ...HTTP_HELPER);
  for (const b of bodies) {
    lines.push('', '');
    const start = lines.length + 1;
    lines.push(`def ${funcName.get(b.node.id)!}(data):`);
    const title = typeof b.node.props.title === 'string' && b.node.props.title !== '' ? b.node.props.title : null;
    lines.push(`    ${pyStr(`${b.node.type} ${b.node.id}${title ? `: ${title}` : ''}`)}`);
    const codeStart = lines.length + 1;
    // A line of a body may hold an expression's line breaks (pyExpr): each physical line is counted, as Python counts them.
    for (const l of b.lines) {
      const [first, ...rest] = l.split('\n');
      lines.push(first === '' ? '' : `    ${first}`, ...rest);
    }
    nodeLines.push({ nodeId: b.node.id, type: b.node.type, start, end: lines.length, ...(b.userCode ? { codeStart } : {}) });
  }
  const switches = ordered.filter((n) => n.type === 'SwitchNode').map((n) => pyStr(n.id));
  lines.push('', '', '# Each node: its function, and the node the flow goes on to (a SwitchNode answers the node of the branch it chose).', '_BP_FLOW = {');
  for (const n of ordered) lines.push(`    ${pyStr(n.id)}: (${funcName.get(n.id)!}, ${next.has(n.id) ? pyStr(next.get(n.id)!) : 'None'}),`);
  lines.push('}', `_BP_SWITCHES = {${switches.join(', ')}}`);
  lines.push(
    '',
    '',
    `@DFF.API(${pyStr(blueprint.title || blueprint.id)})`,
    'def run(**data):',
    `    node_id = ${pyStr(entry.id)}`,
    '    while node_id is not None:',
    '        node, next_id = _BP_FLOW[node_id]',
    '        chosen = node(data)',
    '        node_id = chosen if node_id in _BP_SWITCHES else next_id',
    '    return data',
  );
  return { code: lines.join('\n') + '\n', calls, nodeLines };
}

/** Where a line of the generated source is: the node whose function holds it (and the line of a CodeNode's own code), for a publish error. */
export function nodeAtLine(source: BlueprintSource, line: number): { nodeId: string; type: BlueprintNodeType; codeLine?: number } | null {
  const at = source.nodeLines.find((n) => line >= n.start && line <= n.end);
  if (!at) return null;
  return { nodeId: at.nodeId, type: at.type, ...(at.codeStart !== undefined && line >= at.codeStart ? { codeLine: line - at.codeStart + 1 } : {}) };
}
