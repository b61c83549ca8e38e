/** Paths of the resources folder as the console handles them: `/` between folders, `/` alone the top. */

/** '/a//b/' → '/a/b'; '' → '/'. */
export function normalizeFolder(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  return `/${parts.join('/')}`;
}

export function joinPath(folder: string, name: string): string {
  const f = normalizeFolder(folder);
  return f === '/' ? `/${name}` : `${f}/${name}`;
}

/** '/a/b' → '/a'; '/' → '/'. */
export function parentOf(path: string): string {
  const parts = normalizeFolder(path).split('/').filter(Boolean);
  return `/${parts.slice(0, -1).join('/')}`;
}

/** The breadcrumb of a folder: the top, then each folder down to it. */
export function crumbsOf(folder: string): { name: string; path: string }[] {
  const parts = normalizeFolder(folder).split('/').filter(Boolean);
  return [{ name: 'resources', path: '/' }, ...parts.map((name, i) => ({ name, path: `/${parts.slice(0, i + 1).join('/')}` }))];
}

export function isZip(name: string): boolean {
  return name.toLowerCase().endsWith('.zip');
}

/** A name for a new file or folder: refused when empty, with a slash, or `.`/`..` (the server checks too). */
export function nameProblem(name: string): string | null {
  const n = name.trim();
  if (n === '') return 'Give a name.';
  if (n.includes('/') || n.includes('\\')) return 'A name has no slashes.';
  if (n === '.' || n === '..') return 'Not a name.';
  return null;
}
