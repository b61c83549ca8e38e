/** Where Electron's binary is, or why there is none (the npm package installs without it under ELECTRON_SKIP_BINARY_DOWNLOAD). */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

export interface ElectronLookup {
  /** What `require('electron')` answers (the package's path.txt resolved), or throws. */
  resolve: () => unknown;
  exists: (path: string) => boolean;
}

const realLookup: ElectronLookup = { resolve: (): unknown => createRequire(import.meta.url)('electron') as unknown, exists: existsSync };

export function electronBinary(lookup: ElectronLookup = realLookup): ElectronBinary {
  try {
    const path = lookup.resolve();
    if (typeof path !== 'string') return { found: false, reason: 'the electron package did not answer a path' };
    return lookup.exists(path) ? { found: true, path } : { found: false, reason: `${path} does not exist` };
  } catch (err) {
    const why = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
    return { found: false, reason: `node_modules/electron has no binary (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1 or its download failed): ${why}` };
  }
}
