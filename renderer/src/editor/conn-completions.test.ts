import { describe, expect, it } from 'vitest';
import { CONNECTOR_TYPES } from '@contract/operations/connectors';
import { CONN_METHODS, connCompletion, type KnownConnector } from './conn-completions';
import source from '../../../backend/python/dff_members.py?raw';

/** Each connector class's public methods in the Python runtime: `def name(self, params)` and `alias = name`, with its bases'. */
function pythonMethods(): Map<string, Map<string, string>> {
  const classes = new Map<string, { base: string; methods: Map<string, string> }>();
  let current: Map<string, string> | undefined;
  for (const line of source.split('\n')) {
    const cls = /^class (\w+)(?:\((\w+)\))?:/.exec(line);
    if (cls) {
      current = new Map();
      classes.set(cls[1]!, { base: cls[2] ?? '', methods: current });
      continue;
    }
    if (/^\S/.test(line)) current = undefined;
    if (!current) continue;
    const def = /^ {4}def ([a-z]\w*)\(self(?:, )?(.*)\):$/.exec(line);
    // `(self, *_a, **_k)`: a member DataFlux Func has that is not built (it raises NotImplementedError): not offered.
    if (def && def[2] !== '*_a, **_k') current.set(def[1]!, def[2]!);
    const alias = /^ {4}([a-z]\w*) = ([a-z]\w*)$/.exec(line);
    if (alias && current.has(alias[2]!)) current.set(alias[1]!, current.get(alias[2]!)!);
  }
  const all = (name: string): Map<string, string> => {
    const c = classes.get(name);
    return c ? new Map<string, string>([...all(c.base), ...c.methods]) : new Map<string, string>();
  };
  const byType = new Map<string, Map<string, string>>();
  const table = /^CONNECTOR_CLASSES = \{\n([\s\S]*?)\n\}/m.exec(source)![1]!;
  for (const m of table.matchAll(/'(\w+)': (\w+),/g)) byType.set(m[1]!, all(m[2]!));
  return byType;
}

describe('DFF.CONN completions', () => {
  it("offer exactly the Python runtime's methods of each connector type, with its parameters", () => {
    const python = pythonMethods();
    expect([...python.keys()].sort()).toEqual([...CONNECTOR_TYPES].sort());
    for (const type of CONNECTOR_TYPES) {
      const offered = Object.fromEntries(CONN_METHODS[type].map((m) => [m.name, m.params]));
      expect(offered, type).toEqual(Object.fromEntries(python.get(type)!));
    }
  });

  const connectors: KnownConnector[] = [
    { id: 'orders_db', type: 'mysql' },
    { id: 'bus', type: 'mqtt' },
  ];

  it('offers the connector ids inside DFF.CONN( and DFF.SRC(, quoted or not', () => {
    expect(connCompletion("    db = DFF.CONN('or", '', connectors)).toEqual({ kind: 'ids', connectors, quoted: true });
    expect(connCompletion('DFF.SRC(', '', connectors)).toEqual({ kind: 'ids', connectors, quoted: false });
  });

  it("offers the type's methods after DFF.CONN('id'). and after a variable assigned from it", () => {
    expect(connCompletion("DFF.CONN('bus').pu", '', connectors)).toMatchObject({ kind: 'methods', connector: { id: 'bus' }, methods: CONN_METHODS.mqtt });
    const text = "def f():\n    db = DFF.CONN('orders_db')\n    db.\n";
    expect(connCompletion('    db.', text, connectors)).toMatchObject({ kind: 'methods', connector: { id: 'orders_db' }, methods: CONN_METHODS.mysql });
  });

  it('offers nothing for an unknown connector, another variable or DFF itself', () => {
    expect(connCompletion("DFF.CONN('nope').", '', connectors)).toBeNull();
    expect(connCompletion('    x.', 'x = compute()\n', connectors)).toBeNull();
    expect(connCompletion('DFF.', '', connectors)).toBeNull();
  });
});
