/**
 * Script-set export and import (`func-script-set/1` bundles). Import writes the set and its
 * scripts' drafts, deletes the set's scripts the bundle lacks, and can publish every script: a
 * script that fails to publish does not stop the others, and the answer names each failure.
 */
import { ApiError } from '../../../../contract/errors.js';
import { SCRIPT_SET_BUNDLE_FORMAT, type ScriptSetBundle } from '../../../../contract/operations/script-set-bundle.js';
import { md5Hex } from '../ids.js';
import { addRecoverPoint } from './recover-points.js';
import { ScriptService, type ScriptServiceDeps } from './script-service.js';

type BundleScript = ScriptSetBundle['scripts'][number];

export interface ScriptSetBundleDeps extends ScriptServiceDeps {
  now: () => number;
}

export interface ImportOptions {
  /** Replace a set that exists (else a duplicate is refused). */
  overwrite?: boolean | undefined;
  /** Publish each script after writing it. */
  publish?: boolean | undefined;
}

export interface ImportResult {
  id: string;
  scripts: string[];
  published: string[];
  /** Scripts of the set the bundle did not hold. */
  deleted: string[];
}

interface PublishFailure {
  scriptId: string;
  line: number | null;
  message: string;
}

export class ScriptSetBundles {
  private readonly scripts: ScriptService;

  constructor(private readonly deps: ScriptSetBundleDeps) {
    this.scripts = new ScriptService(deps);
  }

  /** The set and its scripts (published code and draft), or undefined when there is no such set. */
  async export(setId: string): Promise<ScriptSetBundle | undefined> {
    const set = await this.deps.store.entity('scriptSets').get(setId);
    if (!set) return undefined;
    const scripts = (await this.deps.store.entity('scripts').list({ scriptSetId: set.id })).sort((a, b) => a.id.localeCompare(b.id));
    return {
      format: SCRIPT_SET_BUNDLE_FORMAT,
      exportedAt: new Date(this.deps.now()).toISOString(),
      scriptSet: { id: set.id, title: set.title, description: set.description, requirements: set.requirements },
      scripts: scripts.map((s) => ({ id: s.id, title: s.title, description: s.description, code: s.code, codeDraft: s.codeDraft })),
    };
  }

  async import(bundle: ScriptSetBundle, { overwrite = false, publish = false }: ImportOptions = {}): Promise<ImportResult> {
    const setId = bundle.scriptSet.id;
    if (!overwrite && (await this.deps.store.entity('scriptSets').get(setId))) {
      throw new ApiError('EClientDuplicated', `Script set "${setId}" exists already; import with overwrite to replace it`, { field: 'data.scriptSet.id', id: setId });
    }
    // A recover point of every script set and script as they were (DataFlux Func takes one too).
    await addRecoverPoint(this.deps, 'import', `System: before importing script set ${setId}`);
    const now = this.deps.now();
    await this.writeSet(bundle, now);
    const deleted = await this.scripts.deleteScriptsOf(setId, new Set(bundle.scripts.map((s) => s.id)));
    for (const s of bundle.scripts) await this.writeScript(setId, s, now);
    const imported = bundle.scripts.map((s) => s.id);
    const published: string[] = [];
    const failures: PublishFailure[] = [];
    if (publish) {
      const note = `Imported (${SCRIPT_SET_BUNDLE_FORMAT} exported ${bundle.exportedAt})`;
      for (const s of bundle.scripts) {
        const failure = await this.publishOne(s, note);
        if (failure) failures.push(failure);
        else published.push(s.id);
      }
    }
    if (failures.length > 0) throw publishFailed(setId, imported, published, failures);
    return { id: setId, scripts: imported, published, deleted };
  }

  private async writeSet(b: ScriptSetBundle, now: number): Promise<void> {
    const sets = this.deps.store.entity('scriptSets');
    const { id, title, description, requirements } = b.scriptSet;
    if (await sets.get(id)) await sets.update(id, { title, description, requirements, updateTime: now });
    else await sets.insert({ id, title, description, requirements, createTime: now, updateTime: now });
  }

  private async writeScript(setId: string, s: BundleScript, now: number): Promise<void> {
    await this.scripts.writeDraft({ ...s, scriptSetId: setId }, now);
  }

  /** Publishes the bundle's published code (its draft when it has none); the stored draft stays the bundle's draft. */
  private async publishOne(s: BundleScript, note: string): Promise<PublishFailure | null> {
    const row = await this.deps.store.entity('scripts').get(s.id);
    if (!row) throw new Error(`script ${s.id} vanished during import`);
    const source = s.code ?? s.codeDraft;
    try {
      await this.scripts.publish({ ...row, codeDraft: source, codeDraftMD5: md5Hex(source) }, note, this.deps.now());
      return null;
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 'EScriptPublishFailed') throw err;
      const line = typeof err.detail.line === 'number' ? err.detail.line : null;
      return { scriptId: s.id, line, message: err.message };
    }
  }
}

function publishFailed(setId: string, imported: string[], published: string[], failures: PublishFailure[]): ApiError {
  const first = failures[0]!;
  const list = (ids: string[]): string => (ids.length > 0 ? ids.join(', ') : 'none');
  const message =
    `${first.scriptId}: ${first.message}. Imported script set ${setId} with ${imported.length} script(s) (${list(imported)}); ` +
    `published: ${list(published)}; not published: ${list(failures.map((f) => f.scriptId))}`;
  return new ApiError('EScriptPublishFailed', message, { scriptId: first.scriptId, line: first.line, failures, imported, published });
}
