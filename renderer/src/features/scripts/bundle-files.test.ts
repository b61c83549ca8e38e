import { describe, expect, it } from 'vitest';
import { bundleFileName, parseBundle } from './bundle-files';

const bundle = {
  format: 'func-script-set/1',
  exportedAt: '2024-01-02T03:04:05.000Z',
  scriptSet: { id: 'demo', title: 'Demo', description: null, requirements: null },
  scripts: [{ id: 'demo__main', title: null, description: null, code: null, codeDraft: 'x = 1\n' }],
};

describe('parseBundle', () => {
  it('accepts a bundle as exported', () => {
    const r = parseBundle(JSON.stringify(bundle));
    expect(r).toEqual({ ok: true, bundle });
  });

  it('says the file is not JSON', () => {
    const r = parseBundle('{"format":');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/^The file is not JSON: /);
  });

  it('names the wrong field, with its index', () => {
    const r = parseBundle(JSON.stringify({ ...bundle, scripts: [{ ...bundle.scripts[0], id: 'other__main' }] }));
    expect(!r.ok && r.message).toBe('Not a script-set bundle: scripts.0.id: must start with "demo__" (the script set\'s id)');
  });

  it('refuses a JSON value that is not an object, and another format', () => {
    expect(parseBundle('[]').ok).toBe(false);
    expect(parseBundle('null').ok).toBe(false);
    const other = parseBundle(JSON.stringify({ ...bundle, format: 'func-script-set/2' }));
    expect(!other.ok && other.message).toMatch(/^Not a script-set bundle: format: /);
  });
});

describe('bundleFileName', () => {
  it('is the set id with the bundle suffix', () => {
    expect(bundleFileName('demo_1')).toBe('demo_1.func-script-set.json');
  });
});
