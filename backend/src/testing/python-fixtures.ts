/** Python the tests and e2e specs publish or install: functions that take time or print as they run, and a wheel. */
import { writeZip } from '../domain/resources/zip.js';

/** A script of `@DFF.API('Nap') def nap(ms)`: sleeps `ms` milliseconds (`defaultMs` unless given) and answers it. */
export function napScript(defaultMs = 100): string {
  return `import time

@DFF.API('Nap')
def nap(ms=${defaultMs}):
    time.sleep(ms / 1000)
    return ms
`;
}

/**
 * For the production fault tests: `slow(i, seconds=2)` marks its start in `$TEST_MARKS` as
 * `start-<i>-<$TEST_UNIT>` (which worker replica ran it), sleeps and answers `{i, unit}`; `quick(i)`
 * answers i. Imports `os` and `time`, so more functions may follow it.
 */
export const MARKED_SLOW_AND_QUICK = `import os, time

MARKS = os.environ['TEST_MARKS']

@DFF.API('Slow', timeout=60)
def slow(i, seconds=2):
    open(os.path.join(MARKS, f'start-{i}-{os.environ["TEST_UNIT"]}'), 'w').close()
    time.sleep(seconds)
    return {'i': i, 'unit': os.environ['TEST_UNIT']}

@DFF.API('Quick')
def quick(i=0):
    return i
`;

/**
 * `@DFF.API('<Name>', <options>) def <name>(s)`: sleeps `s` seconds (`defaultS` unless given) and
 * answers s; `options` are the decorator's keywords (`queue=5, timeout=60`). The script must `import time`.
 */
export function sleepFunc(name: string, options: string, defaultS?: number): string {
  const title = name.charAt(0).toUpperCase() + name.slice(1);
  return `@DFF.API('${title}'${options ? `, ${options}` : ''})
def ${name}(s${defaultS === undefined ? '' : `=${defaultS}`}):
    time.sleep(s)
    return s
`;
}

/**
 * `@DFF.API(title) def name(n)`: prints `<word> <i>` for i in 0…n-1, one a second, and answers n
 * (`defaultN` unless given). The script must `import time`.
 */
export function tickerFunc(title: string, name: string, word: string, defaultN: number): string {
  return `@DFF.API('${title}')
def ${name}(n=${defaultN}):
    for i in range(n):
        print('${word}', i)
        time.sleep(1)
    return n
`;
}

/** A wheel of one module package `name` whose VALUE is `value` (a zip: package, METADATA, WHEEL, RECORD). */
export function testWheel(name: string, version: string, value: number): { file: string; data: Buffer } {
  const dist = `${name}-${version}.dist-info`;
  const files: [string, string][] = [
    [`${name}/__init__.py`, `VALUE = ${value}\n`],
    [`${dist}/METADATA`, `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`],
    [`${dist}/WHEEL`, 'Wheel-Version: 1.0\nGenerator: func-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n'],
  ];
  const record = [...files.map(([p]) => `${p},,`), `${dist}/RECORD,,`].join('\n') + '\n';
  const all: [string, string][] = [...files, [`${dist}/RECORD`, record]];
  return { file: `${name}-${version}-py3-none-any.whl`, data: writeZip(all.map(([p, text]) => ({ name: p, data: Buffer.from(text) }))) };
}
