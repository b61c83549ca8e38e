/**
 * Read-through caches of functions and script code for the hot path (every call looks up its
 * function; every task needs its script's md5). Publishing invalidates in this process; other
 * processes see changes within `ttlMs`.
 */
import type { FuncRow, Store } from '../ports/store.js';

interface Cached<T> {
  value: T;
  at: number;
}

export class FuncCatalog {
  private readonly funcs = new Map<string, Cached<FuncRow | undefined>>();
  private readonly code = new Map<string, Cached<{ code: string; md5: string } | null>>();

  constructor(
    private readonly store: Store,
    private readonly ttlMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  async func(funcId: string): Promise<FuncRow | undefined> {
    const hit = this.funcs.get(funcId);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = await this.store.entity('funcs').get(funcId);
    this.funcs.set(funcId, { value, at: this.now() });
    return value;
  }

  /** Published code (or the draft, or a published version: never cached) of a script. */
  async script(scriptId: string, draft: boolean, version?: number): Promise<{ code: string; md5: string } | null> {
    if (version !== undefined) {
      const published = (await this.store.scripts.history(scriptId)).find((h) => h.publishVersion === version);
      return published ? { code: published.code, md5: published.codeMD5 } : null;
    }
    if (!draft) {
      const hit = this.code.get(scriptId);
      if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    }
    const row = await this.store.entity('scripts').get(scriptId);
    if (draft) return row ? { code: row.codeDraft, md5: row.codeDraftMD5 } : null;
    const value = row && row.code !== null && row.codeMD5 !== null ? { code: row.code, md5: row.codeMD5 } : null;
    this.code.set(scriptId, { value, at: this.now() });
    return value;
  }

  invalidate(scriptId?: string): void {
    if (scriptId === undefined) {
      this.funcs.clear();
      this.code.clear();
      return;
    }
    this.code.delete(scriptId);
    for (const id of this.funcs.keys()) if (id.startsWith(`${scriptId}.`)) this.funcs.delete(id);
  }
}
