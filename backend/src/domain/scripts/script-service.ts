/**
 * What changes scripts beyond a plain row write: publishing, deleting one, and deleting a set's
 * scripts. Each leaves this process's function catalog fresh (other processes see the change
 * within the catalog's TTL). The routes, the script-set cascade and the bundle import go through
 * here, so the rule lives once.
 */
import type { FuncRunnerPool } from '../ports/runner.js';
import type { ScriptRow, Store } from '../ports/store.js';
import type { FuncCatalog } from './func-catalog.js';
import { md5Hex } from '../ids.js';
import { publishScript, type PublishResult } from './publish-script.js';

/** What an import or a recover writes of a script. */
export interface DraftWrite {
  id: string;
  scriptSetId: string;
  title: string | null;
  description: string | null;
  codeDraft: string;
}

export interface ScriptServiceDeps {
  store: Store;
  catalog: Pick<FuncCatalog, 'invalidate'>;
  discoverer: Pick<FuncRunnerPool, 'discover'>;
}

export class ScriptService {
  constructor(private readonly deps: ScriptServiceDeps) {}

  /** Publishes `script.codeDraft` (a bundle may pass its own source as the draft); the catalog is refreshed whatever the outcome. */
  async publish(script: ScriptRow, note: string | null, now: number): Promise<PublishResult> {
    try {
      return await publishScript(this.deps.store, this.deps.discoverer, script, note, now);
    } finally {
      this.deps.catalog.invalidate(script.id);
    }
  }

  /** False when there is no such script. */
  async deleteScript(id: string): Promise<boolean> {
    const deleted = await this.deps.store.scripts.deleteScript(id);
    this.deps.catalog.invalidate(id);
    return deleted;
  }

  /** Deletes the scripts of a set but those in `keep`; answers the ids deleted, sorted. */
  async deleteScriptsOf(scriptSetId: string, keep: ReadonlySet<string> = new Set()): Promise<string[]> {
    const deleted: string[] = [];
    for (const s of await this.deps.store.entity('scripts').list({ scriptSetId })) {
      if (keep.has(s.id)) continue;
      await this.deleteScript(s.id);
      deleted.push(s.id);
    }
    return deleted.sort();
  }

  /** A script's code changed outside publishing (a bundle wrote its draft). */
  changed(id: string): void {
    this.deps.catalog.invalidate(id);
  }

  /**
   * Writes a script's title, description and draft as an import or a recover brings them: a new
   * script (not published yet) or the existing one's draft replaced. Answers whether it existed.
   */
  async writeDraft(s: DraftWrite, now: number): Promise<boolean> {
    const repo = this.deps.store.entity('scripts');
    const codeDraftMD5 = md5Hex(s.codeDraft);
    const existed = (await repo.get(s.id)) !== undefined;
    if (existed) {
      await this.deps.store.scripts.saveDraft(s.id, s.codeDraft, codeDraftMD5, undefined, now);
      await repo.update(s.id, { title: s.title, description: s.description, updateTime: now });
    } else {
      await repo.insert({
        id: s.id,
        scriptSetId: s.scriptSetId,
        title: s.title,
        description: s.description,
        code: null,
        codeMD5: null,
        codeDraft: s.codeDraft,
        codeDraftMD5,
        publishVersion: 0,
        createTime: now,
        updateTime: now,
      });
    }
    this.changed(s.id);
    return existed;
  }
}
