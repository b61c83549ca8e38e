import { describe, expect, it } from 'vitest';
import { namesEtag, weakEtag } from './not-modified.js';

describe('not-modified', () => {
  it('tags a body by its length and hash, weakly; equal bodies, string or bytes, get one tag', () => {
    const tag = weakEtag('{"v":"1"}');
    expect(tag).toMatch(/^W\/"9-[A-Za-z0-9+/]{27}"$/);
    expect(weakEtag(Buffer.from('{"v":"1"}'))).toBe(tag);
    expect(weakEtag('{"v":"2"}')).not.toBe(tag);
    expect(weakEtag('')).toMatch(/^W\/"0-/);
  });

  it('finds the tag in If-None-Match, compared weakly, among others, or *', () => {
    const tag = weakEtag('x');
    expect(namesEtag(tag, tag)).toBe(true);
    expect(namesEtag(tag.slice(2), tag)).toBe(true);
    expect(namesEtag(`"a", ${tag} ,"b"`, tag)).toBe(true);
    expect(namesEtag('*', tag)).toBe(true);
    expect(namesEtag('"a", "b"', tag)).toBe(false);
    expect(namesEtag('', tag)).toBe(false);
    expect(namesEtag(undefined, tag)).toBe(false);
  });
});
