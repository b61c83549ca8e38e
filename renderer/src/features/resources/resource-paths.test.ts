import { describe, expect, it } from 'vitest';
import { crumbsOf, isZip, joinPath, nameProblem, normalizeFolder, parentOf } from './resource-paths';

describe('resource paths', () => {
  it('normalise folders', () => {
    expect(normalizeFolder('')).toBe('/');
    expect(normalizeFolder('/a//b/')).toBe('/a/b');
    expect(normalizeFolder('a/./b')).toBe('/a/b');
  });

  it('join and take the parent', () => {
    expect(joinPath('/', 'x.txt')).toBe('/x.txt');
    expect(joinPath('/a/b/', 'x.txt')).toBe('/a/b/x.txt');
    expect(parentOf('/a/b')).toBe('/a');
    expect(parentOf('/a')).toBe('/');
    expect(parentOf('/')).toBe('/');
  });

  it('make a breadcrumb from the top', () => {
    expect(crumbsOf('/')).toEqual([{ name: 'resources', path: '/' }]);
    expect(crumbsOf('/a/b')).toEqual([
      { name: 'resources', path: '/' },
      { name: 'a', path: '/a' },
      { name: 'b', path: '/a/b' },
    ]);
  });

  it('know zips and refuse bad names', () => {
    expect(isZip('A.ZIP')).toBe(true);
    expect(isZip('a.zip.txt')).toBe(false);
    expect(nameProblem(' ')).toBe('Give a name.');
    expect(nameProblem('a/b')).toBe('A name has no slashes.');
    expect(nameProblem('..')).toBe('Not a name.');
    expect(nameProblem('data.csv')).toBeNull();
  });
});
