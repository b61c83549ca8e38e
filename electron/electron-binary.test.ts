import { describe, expect, it } from 'vitest';
import { electronBinary } from './electron-binary.js';

describe('electronBinary', () => {
  it('answers a path or a reason, never throws', () => {
    const b = electronBinary();
    if (b.found) expect(b.path).toMatch(/electron/i);
    else expect(b.reason).toMatch(/binary|exist|path/);
  });
});
