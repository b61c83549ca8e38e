import { describe, expect, it } from 'vitest';
import { parseTraceback } from './traceback';

const TB = `Traceback (most recent call last):
  File "<demo__main>", line 12, in run
    return helper(x)
  File "<demo__lib>", line 3, in helper
    return 1 / x
           ~~^~~
ZeroDivisionError: division by zero`;

describe('parseTraceback', () => {
  it('finds each user-script frame with its script, line and function', () => {
    const lines = parseTraceback(TB);
    expect(lines).toHaveLength(7);
    expect(lines.filter((l) => l.frame).map((l) => l.frame)).toEqual([
      { scriptId: 'demo__main', line: 12, func: 'run' },
      { scriptId: 'demo__lib', line: 3, func: 'helper' },
    ]);
    expect(lines.map((l) => l.text).join('\n')).toBe(TB);
  });

  it('leaves other lines alone: library files, module-level frames, look-alikes', () => {
    const lines = parseTraceback(
      [
        '  File "/usr/lib/python3.11/json/__init__.py", line 346, in loads',
        '  File "<string>", line 1, in <module>',
        '  File "<demo__main>", line 4',
        '  File "<demo__main>", line 0, in f',
        'ValueError: File "<demo__main>", line 9, in x',
        '  File "<demo__main>", line 5, in <module>',
      ].join('\n'),
    );
    expect(lines.map((l) => l.frame)).toEqual([null, null, { scriptId: 'demo__main', line: 4, func: null }, null, null, { scriptId: 'demo__main', line: 5, func: '<module>' }]);
  });

  it('chained exceptions keep every frame', () => {
    const text = `${TB}\n\nDuring handling of the above exception, another exception occurred:\n\n${TB.replace('line 12', 'line 20')}`;
    expect(
      parseTraceback(text)
        .filter((l) => l.frame)
        .map((l) => l.frame!.line),
    ).toEqual([12, 3, 20, 3]);
  });
});
