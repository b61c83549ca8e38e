import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronBinary } from './electron-binary.js';

describe('electronBinary', () => {
  it('answers the path the package names when the file is there', () => {
    expect(electronBinary({ resolve: () => '/opt/electron/electron', exists: (p) => p === '/opt/electron/electron' })).toEqual({ found: true, path: '/opt/electron/electron' });
  });

  it('says which path is missing when the package names one that is not there', () => {
    expect(electronBinary({ resolve: () => '/opt/electron/electron', exists: () => false })).toEqual({ found: false, reason: '/opt/electron/electron does not exist' });
  });

  it('says why when the package cannot answer (installed without its binary)', () => {
    const b = electronBinary({
      resolve: () => {
        throw new Error('Electron failed to install correctly, please delete node_modules/electron and try installing again\nmore');
      },
      exists: () => true,
    });
    expect(b).toEqual({
      found: false,
      reason:
        'node_modules/electron has no binary (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1 or its download failed): Electron failed to install correctly, please delete node_modules/electron and try installing again',
    });
    expect(electronBinary({ resolve: () => 42, exists: () => true })).toEqual({ found: false, reason: 'the electron package did not answer a path' });
  });

  it('on this machine agrees with the package: found exactly when its path.txt names an existing file', () => {
    const pathTxt = join(import.meta.dirname, '..', 'node_modules', 'electron', 'path.txt');
    const installed = existsSync(pathTxt) && existsSync(join(import.meta.dirname, '..', 'node_modules', 'electron', 'dist'));
    expect(electronBinary().found).toBe(installed);
  });
});
