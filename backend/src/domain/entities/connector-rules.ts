/** Connectors: the config checked per type, secrets encrypted at rest and answered masked; built-in ones are neither modified nor deleted (as DataFlux Func). */
import { ApiError } from '../../../../contract/errors.js';
import type { ConnectorType } from '../../../../contract/operations/connectors.js';
import { checkConnectorConfig, encryptConnectorConfig, maskConnectorConfig, mergeConnectorSecrets } from '../connectors/connector-config.js';
import type { SecretBox } from '../auth/secret-box.js';
import type { ConnectorRow, EntityRows, JsonObject } from '../ports/store.js';
import { pick, stamp, nothingAdded, requirePublishedFunc, type EntityRuleDeps, type EntityRules } from './entity-rules.js';

/** A modify's config in clear and checked: the stored secrets kept where it sends them masked or not at all, refused (400) where its target changes. */
export function modifiedConnectorConfig(type: ConnectorType, config: JsonObject, existing: Pick<ConnectorRow, 'configJSON'>, box: SecretBox): JsonObject {
  return checkConnectorConfig(type, mergeConnectorSecrets(type, config, existing.configJSON, box, { onTargetChange: 'refuse' }));
}

type Handler = { topic?: unknown; funcId?: unknown; isDisabled?: unknown };

const handlersOf = (config: JsonObject | null | undefined): Handler[] => {
  const list = config?.['topicHandlers'];
  return Array.isArray(list) ? (list as Handler[]) : [];
};

/**
 * Each subscription's handler is a published function (as an API's is), or a 400 naming it: else
 * every message of its topic would be dropped. Only an enabled entry the connector did not have
 * already (`before`): one whose function went away since stays until it is changed, so the
 * connector's title or password can still be changed.
 */
export async function checkTopicHandlers(config: JsonObject, deps: Pick<EntityRuleDeps, 'catalog'>, before?: JsonObject | null): Promise<void> {
  const kept = new Set(handlersOf(before).map((h) => `${String(h.topic)}\n${String(h.funcId)}`));
  for (const [i, h] of handlersOf(config).entries()) {
    if (typeof h.funcId !== 'string' || h.isDisabled === true || kept.has(`${String(h.topic)}\n${h.funcId}`)) continue;
    await requirePublishedFunc(deps, h.funcId, `configJSON.topicHandlers.${i}.funcId`);
  }
}

const pinTime = (isPinned: boolean | null | undefined, now: number): { pinTime?: number | null } =>
  isPinned === undefined || isPinned === null ? {} : { pinTime: isPinned ? now : null };

export const connectorRules: EntityRules<'connectors'> = {
  name: 'connectors',
  fromAdd: async (d, deps) => {
    const config = checkConnectorConfig(d.type, d.configJSON);
    await checkTopicHandlers(config, deps);
    return {
      id: d.id,
      title: d.title ?? null,
      description: d.description ?? null,
      type: d.type,
      configJSON: encryptConnectorConfig(config, deps.secrets),
      isBuiltin: false,
      pinTime: d.isPinned === true ? deps.now() : null,
      ...stamp(deps),
    };
  },
  fromModify: async (d, e, deps) => {
    if (e.isBuiltin) throw new ApiError('EBizCondition', `Connector ${e.id} is built in: it cannot be modified`, { id: e.id });
    const patch: Partial<EntityRows['connectors']> = { ...pick(d, ['title', 'description']), ...pinTime(d.isPinned, deps.now()), updateTime: deps.now() };
    if (d.configJSON !== undefined) {
      const config = modifiedConnectorConfig(e.type, d.configJSON, e, deps.secrets);
      await checkTopicHandlers(config, deps, e.configJSON);
      patch.configJSON = encryptConnectorConfig(config, deps.secrets);
    }
    return patch;
  },
  beforeDelete: (row) => {
    if (row.isBuiltin) return Promise.reject(new ApiError('EBizCondition', `Connector ${row.id} is built in: it cannot be deleted`, { id: row.id }));
    return Promise.resolve();
  },
  addedView: nothingAdded,
  toApi: (row) => ({ ...row, configJSON: maskConnectorConfig(row.configJSON), isPinned: row.pinTime !== null }),
};
