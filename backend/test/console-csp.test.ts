/**
 * The console's Content-Security-Policy and framing headers (issue 15, item 3) on every file it
 * serves: index.html for any console path, hashed assets. That the console works under it is the
 * e2e suite's part: every Playwright test fails on a CSP violation (e2e/support/fixtures.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP, registerStaticConsole } from '../src/server/static-console.js';

let dir: string;
let app: FastifyInstance;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'func-csp-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(dir, 'assets', 'index-abc.js'), 'export {};');
  app = Fastify();
  registerStaticConsole(app, dir);
  await app.ready();
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('console CSP', () => {
  it('is sent with X-Frame-Options: DENY on index.html, console routes and assets', async () => {
    for (const url of ['/', '/scripts/demo__main', '/assets/index-abc.js']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-security-policy'], url).toBe(CONSOLE_CSP);
      expect(res.headers['x-frame-options'], url).toBe('DENY');
    }
  });

  it('allows no eval, no plugins, no <base>, no framing, forms and scripts from its own origin only', () => {
    const d = directives(CONSOLE_CSP);
    expect(CONSOLE_CSP).not.toMatch(/unsafe-eval|wasm-unsafe-eval|\*/);
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('worker-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'self'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    // Inline styles: Monaco and React Flow set style attributes (docs/security.md, "Console CSP").
    expect(d.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    // Remote stacks of the stack switcher: any http(s) origin, CORS on their side decides.
    expect(d.get('connect-src')).toEqual(["'self'", 'http:', 'https:']);
  });
});
