/** Bracket keys in query strings and form bodies, as DataFlux Func's Express (qs, extended) reads them. */
import { parse as parseFlat } from 'fast-querystring';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../contract/errors.js';
import { bracketFields, MAX_PARAMETERS, mayHaveBrackets } from './bracket-fields.js';
import { formFields } from './form-body.js';
import { parseQueryString, refusedQuery } from './query-string.js';

const read = (text: string): unknown => bracketFields(parseFlat(text) as Record<string, string | string[]>, 'query');

function refusal(text: string): ApiError {
  try {
    read(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }
  throw new Error(`${text} was not refused`);
}

describe('bracket keys', () => {
  it('nest objects and make lists as qs does', () => {
    expect(read('a[b]=1')).toEqual({ a: { b: '1' } });
    expect(read('kwargs[x]=1&kwargs[y]=2')).toEqual({ kwargs: { x: '1', y: '2' } });
    expect(read('kwargs[free]=X&options[returnType]=jsonDumps')).toEqual({ kwargs: { free: 'X' }, options: { returnType: 'jsonDumps' } });
    expect(read('a[]=1&a[]=2')).toEqual({ a: ['1', '2'] });
    expect(read('a[0]=1')).toEqual({ a: ['1'] });
    expect(read('a[b][c][d]=1&a[b][e]=2')).toEqual({ a: { b: { c: { d: '1' }, e: '2' } } });
    // jQuery $.param of {a: [{b: 1, c: 2}, {b: 3}]}
    expect(read('a%5B0%5D%5Bb%5D=1&a%5B0%5D%5Bc%5D=2&a%5B1%5D%5Bb%5D=3')).toEqual({ a: [{ b: '1', c: '2' }, { b: '3' }] });
  });

  it('keeps list values in index order without gaps; an index past 20 is an object key', () => {
    expect(read('a[1]=x&a[0]=y')).toEqual({ a: ['y', 'x'] });
    expect(read('a[5]=x')).toEqual({ a: ['x'] });
    expect(read('a[20]=x')).toEqual({ a: ['x'] });
    expect(read('a[21]=x')).toEqual({ a: { '21': 'x' } });
    expect(read('a[0]=x&a[21]=y')).toEqual({ a: { '0': 'x', '21': 'y' } });
    expect(read('a[0]=x&a[k]=y')).toEqual({ a: { '0': 'x', k: 'y' } });
    expect(read('a[01]=x')).toEqual({ a: { '01': 'x' } });
    expect(read('a[99999999]=x')).toEqual({ a: { '99999999': 'x' } });
  });

  it('makes a key given again the list of its values, whatever its brackets', () => {
    expect(read('a=1&a=2&b=x&a=3')).toEqual({ a: ['1', '2', '3'], b: 'x' });
    expect(read('a[b]=1&c=0&a[b]=2')).toEqual({ a: { b: ['1', '2'] }, c: '0' });
    expect(read('a=1&a[]=2')).toEqual({ a: ['1', '2'] });
    expect(read('a[]=1&a=2')).toEqual({ a: ['1', '2'] });
    expect(read('a[][b]=1&a[][b]=2')).toEqual({ a: [{ b: ['1', '2'] }] });
    // qs: a list under [] is that list, at any level.
    expect(read('a[][]=1&a[][]=2')).toEqual({ a: ['1', '2'] });
    expect(read('a[][0]=1')).toEqual({ a: ['1'] });
    expect(read('a[b][][]=1')).toEqual({ a: { b: ['1'] } });
    // A value and an object at one place: a list of both (qs makes odder shapes of these).
    expect(read('a=1&a[b]=2')).toEqual({ a: ['1', { b: '2' }] });
    expect(read('a[b]=1&a=2')).toEqual({ a: [{ b: '1' }, '2'] });
  });

  it('reads a key without a closed [..] after a name as a plain key', () => {
    expect(read('a[b=1')).toEqual({ 'a[b': '1' });
    // qs: the name ends at the first closed [..] holding no other bracket.
    expect(read('a[b[c]=1')).toEqual({ 'a[b': { c: '1' } });
    expect(read('[a]=1&x]=2')).toEqual({ '[a]': '1', 'x]': '2' });
    expect(read('a=1&=2&b')).toEqual({ a: '1', '': '2', b: '' });
  });

  it('takes 5 levels of [..] and refuses a 6th, naming the key', () => {
    expect(read('a[b][c][d][e][f]=1')).toEqual({ a: { b: { c: { d: { e: { f: '1' } } } } } });
    const err = refusal('a[b][c][d][e][f][g]=1');
    expect(err.status).toBe(400);
    expect(err.detail.field).toBe('query.a.b.c.d.e.f.g');
    expect(err.message).toMatch(/nested deeper than 5 levels/);
  });

  it('refuses __proto__ anywhere and prototype inside constructor; other keys stay own keys', () => {
    expect(refusal('__proto__[x]=1').detail.field).toBe('query.__proto__');
    expect(refusal('a[__proto__][polluted]=1').detail.field).toBe('query.a.__proto__');
    expect(refusal('a[constructor][prototype][polluted]=1').detail.field).toBe('query.a.constructor');
    const kept = read('constructor=1&a[constructor]=2&a[toString]=3&b[c][constructor][x]=4') as Record<string, Record<string, unknown>>;
    expect(kept).toEqual({ constructor: '1', a: { constructor: '2', toString: '3' }, b: { c: { constructor: { x: '4' } } } });
    // No object made inherits anything (as fast-querystring's flat fields): a key absent reads as absent.
    for (const object of [kept, kept.a!, kept.b!, (kept.b as Record<string, Record<string, unknown>>).c!]) expect(Object.getPrototypeOf(object)).toBeNull();
    expect(read('a[x]=1') as Record<string, Record<string, unknown>>).not.toHaveProperty('a.hasOwnProperty');
    expect(JSON.stringify(kept)).toBe('{"constructor":"1","a":{"constructor":"2","toString":"3"},"b":{"c":{"constructor":{"x":"4"}}}}');
  });

  it('are looked for only in text that may hold one', () => {
    expect(mayHaveBrackets('a=1&b=x%20y')).toBe(false);
    expect(mayHaveBrackets('x=%5d%5D')).toBe(false);
    expect(mayHaveBrackets('a[b]=1')).toBe(true);
    expect(mayHaveBrackets('a%5Bb%5D=1')).toBe(true);
    expect(mayHaveBrackets('a%5bb%5d=1')).toBe(true);
  });
});

describe('query strings', () => {
  it('without brackets: read as Fastify reads them (fast-querystring)', () => {
    for (const text of ['a=1&a=2&b', 'x=%zz&y=a+b', '__proto__=x&z=1', 'a=%E4%B8%AD']) expect(parseQueryString(text)).toEqual(parseFlat(text));
    expect(parseQueryString('')).toEqual({});
  });

  it('decode an invalid escape alike with or without a bracket elsewhere', () => {
    expect(parseQueryString('x=%E4%B8')).toEqual({ x: '%E4%B8' });
    expect(parseQueryString('x=%E4%B8&a[b]=1')).toEqual({ x: '%E4%B8', a: { b: '1' } });
    expect(parseQueryString('k%5Bx%5D=a+b%20c')).toEqual({ k: { x: 'a b c' } });
  });

  it(`read only the first ${MAX_PARAMETERS} pairs, as qs`, () => {
    const pairs = (n: number, key: (i: number) => string): string => Array.from({ length: n }, (_, i) => `${key(i)}=${i}`).join('&');
    const flat = parseQueryString(pairs(1005, (i) => `k${i}`));
    expect(Object.keys(flat)).toHaveLength(MAX_PARAMETERS);
    expect(flat.k999).toBe('999');
    expect(flat.k1000).toBeUndefined();
    const nested = parseQueryString(pairs(1005, (i) => `a[k${i}]`)) as { a: Record<string, string> };
    expect(Object.keys(nested.a)).toHaveLength(MAX_PARAMETERS);
    expect(Object.keys(parseQueryString(pairs(MAX_PARAMETERS, (i) => `k${i}`)))).toHaveLength(MAX_PARAMETERS);
  });

  it('with brackets: nested; a refused key leaves the flat fields and the refusal for the route', () => {
    expect(parseQueryString('kwargs%5Bx%5D=1&kwargs%5By%5D=2&xDFFAuthToken=t')).toEqual({ kwargs: { x: '1', y: '2' }, xDFFAuthToken: 't' });
    const refused = parseQueryString('a[__proto__][x]=1&xDFFAuthToken=t');
    expect(refused.xDFFAuthToken).toBe('t');
    expect(refusedQuery(refused)?.detail.field).toBe('query.a.__proto__');
    expect(refusedQuery(parseQueryString('a[b]=1'))).toBeUndefined();
  });
});

describe('form bodies', () => {
  it('nest as query strings do, a refused key named under body', () => {
    expect(formFields('kwargs[free]=X&options[returnType]=jsonDumps&tag=1&tag=2')).toEqual({ kwargs: { free: 'X' }, options: { returnType: 'jsonDumps' }, tag: ['1', '2'] });
    expect(() => formFields('a=1&__proto__=p')).toThrow(expect.objectContaining({ detail: { field: 'body.__proto__' } }) as Error);
    expect(() => formFields('a[b]=1&__proto__=p')).toThrow(expect.objectContaining({ detail: { field: 'body.__proto__' } }) as Error);
    expect(formFields('a=1&b=x+y&a=2&c=%E4%B8')).toEqual({ a: ['1', '2'], b: 'x y', c: '%E4%B8' });
  });

  it(`refuse more than ${MAX_PARAMETERS} pairs (413, naming the limit) before reading any, as body-parser`, () => {
    const pairs = (n: number): string => Array.from({ length: n }, (_, i) => `k${i}[x]=v`).join('&');
    expect(Object.keys(formFields(pairs(MAX_PARAMETERS)))).toHaveLength(MAX_PARAMETERS);
    for (const text of [pairs(MAX_PARAMETERS + 1), pairs(450_000)]) {
      const started = performance.now();
      expect(() => formFields(text)).toThrow(expect.objectContaining({ status: 413, code: 'EClientPayloadTooLarge', detail: { field: 'body' } }) as Error);
      expect(performance.now() - started).toBeLessThan(200);
    }
    expect(() => formFields(pairs(MAX_PARAMETERS + 1))).toThrow(/too many parameters: more than 1000/);
  });
});
