/** Connectors: the config checked per type, secrets encrypted at rest and answered masked; built-in ones are neither modified nor deleted (as DataFlux Func). */
import { ApiError } from '../../../../contract/errors.js';
import type { ConnectorType } from '../../../../contract/operations/connectors.js';
import { checkConnectorConfig, encryptConnectorConfig, maskConnectorConfig, mergeConnectorSecrets } from '../connectors/connector-config.js';
import type { SecretBox } from '../auth/secret-box.js';
import type { ConnectorRow, EntityRows, JsonObject } from '../ports/store.js';
import { pick, stamp, nothingAdded, type EntityRules } from './entity-rules.js';

/** A modify's config in clear and checked: the stored secrets kept where it sends them masked or not at all. */
export function modifiedConnectorConfig(type: ConnectorType, config: JsonObject, existing: Pick<ConnectorRow, 'configJSON'>, box: SecretBox): JsonObject {
  return checkConnectorConfig(type, mergeConnectorSecrets(config, existing.configJSON, box));
}

const pinTime = (isPinned: boolean | null | undefined, now: number): { pinTime?: number | null } =>
  isPinned === undefined || isPinned === null ? {} : { pinTime: isPinned ? now : null };

export const connectorRules: EntityRules<'connectors'> = {
  name: 'connectors',
  fromAdd: (d, deps) => {
    const config = checkConnectorConfig(d.type, d.configJSON);
    return Promise.resolve({
      id: d.id,
      title: d.title ?? null,
      description: d.description ?? null,
      type: d.type,
      configJSON: encryptConnectorConfig(config, deps.secrets),
      isBuiltin: false,
      pinTime: d.isPinned === true ? deps.now() : null,
      ...stamp(deps),
    });
  },
  fromModify: (d, e, deps) => {
    if (e.isBuiltin) throw new ApiError('EBizCondition', `Connector ${e.id} is built in: it cannot be modified`, { id: e.id });
    const patch: Partial<EntityRows['connectors']> = { ...pick(d, ['title', 'description']), ...pinTime(d.isPinned, deps.now()), updateTime: deps.now() };
    if (d.configJSON !== undefined) patch.configJSON = encryptConnectorConfig(modifiedConnectorConfig(e.type, d.configJSON, e, deps.secrets), deps.secrets);
    return Promise.resolve(patch);
  },
  beforeDelete: (row) => {
    if (row.isBuiltin) return Promise.reject(new ApiError('EBizCondition', `Connector ${row.id} is built in: it cannot be deleted`, { id: row.id }));
    return Promise.resolve();
  },
  addedView: nothingAdded,
  toApi: (row) => ({ ...row, configJSON: maskConnectorConfig(row.configJSON), isPinned: row.pinTime !== null }),
};
