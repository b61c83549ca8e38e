/**
 * Read-through caches of functions and script code for the hot path (every call looks up its
 * function; every task needs its script's md5). Publishing invalidates in this process; other
 * processes see changes within `ttlMs`. A lookup in flight is shared: the calls that miss together
 * (a burst of subscription messages, of API calls) make one query, not one each.
 */
import type { FuncRow, Store } from '../ports/store.js';

interface Cached<T> {
  value: Promise<T>;
  at: number;
}

export class FuncCatalog {
  private readonly funcs = new Map<string, Cached<FuncRow | undefined>>();
  private readonly code = new Map<string, Cached<{ code: string; md5: string; updateTime: number } | null>>();

  constructor(
    private readonly store: Store,
    private readonly ttlMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached value of `key`, or `load`'s, shared by whoever asks while it loads; a failure is not kept. */
  private read<T>(cache: Map<string, Cached<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const hit = cache.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const entry: Cached<T> = { value: load(), at: this.now() };
    cache.set(key, entry);
    entry.value.catch(() => {
      if (cache.get(key) === entry) cache.delete(key);
    });
    return entry.value;
  }

  async func(funcId: string): Promise<FuncRow | undefined> {
    return this.read(this.funcs, funcId, () => this.store.entity('funcs').get(funcId));
  }

  /**
   * Published code (or the draft, or a published version: never cached) of a script. `publishedAt`:
   * the task was built from a publish this recent (its function row's update time); code cached from
   * before it is read again (another process published it less than `ttlMs` ago: calls of a function
   * just added failed `FuncNotFound` until the cache expired).
   */
  async script(scriptId: string, draft: boolean, version?: number, publishedAt?: number): Promise<{ code: string; md5: string } | null> {
    if (version !== undefined) {
      const published = (await this.store.scripts.history(scriptId)).find((h) => h.publishVersion === version);
      return published ? { code: published.code, md5: published.codeMD5 } : null;
    }
    if (draft) {
      const row = await this.store.entity('scripts').get(scriptId);
      return row ? { code: row.codeDraft, md5: row.codeDraftMD5 } : null;
    }
    const load = async (): Promise<{ code: string; md5: string; updateTime: number } | null> => {
      const row = await this.store.entity('scripts').get(scriptId);
      return row && row.code !== null && row.codeMD5 !== null ? { code: row.code, md5: row.codeMD5, updateTime: row.updateTime } : null;
    };
    const cached = await this.read(this.code, scriptId, load);
    if (publishedAt === undefined || (cached !== null && cached.updateTime >= publishedAt)) return cached;
    this.code.delete(scriptId);
    return this.read(this.code, scriptId, load);
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
