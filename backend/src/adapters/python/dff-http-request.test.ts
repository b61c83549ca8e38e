/**
 * backend/python/dff_http_request.py: the request's headers as the function sees them, found
 * whatever the case of the name asked for, and built in bulk (every API call builds them).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PYTHON_DIR = fileURLToPath(new URL('../../../python', import.meta.url));

const SCRIPT = `
import json, sys
sys.path.insert(0, sys.argv[1])
import dff_http_request as m

writes = []
original = m.IgnoreCaseDict.__setitem__
def counted(self, key, value):
    writes.append(key)
    original(self, key, value)
m.IgnoreCaseDict.__setitem__ = counted

r = m.prepared({'method': 'GET', 'headers': {'X-Auth-Token': 'T', 'host': 'h', 'Accept': 'a'}})
built = len(writes)
h = r['headers']
h['X-Later'] = 'l'
copied = h.copy()
print(json.dumps({
    'built': built,
    'names': sorted(dict.keys(h)),
    'found': [h['x-auth-token'], h.get('X-AUTH-TOKEN'), 'HOST' in h, h['x-later']],
    'copy': [type(copied).__name__, copied['X-Auth-Token']],
    'kw': sorted(dict.keys(m.IgnoreCaseDict([('A', 1)], B=2))),
    'body': r['body'],
}))
`;

describe('_DFF_HTTP_REQUEST headers', () => {
  it('are built without a Python-level write per header, lower-cased, found whatever the case; later writes lower-case', () => {
    const out = JSON.parse(execFileSync('python3', ['-c', SCRIPT, PYTHON_DIR], { encoding: 'utf8' })) as Record<string, unknown>;
    expect(out).toEqual({
      built: 0,
      names: ['accept', 'host', 'x-auth-token', 'x-later'],
      found: ['T', 'T', true, 'l'],
      copy: ['IgnoreCaseDict', 'T'],
      kw: ['a', 'b'],
      body: {},
    });
  });
});
