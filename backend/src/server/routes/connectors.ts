/**
 * Connectors: DataFlux Func's CRUD with a connection test on add and modify (skipTest skips it,
 * testOnly on add tests and stores nothing), `:id/do/query` and `:id/sub-info/do/list`.
 */
import { ApiError, badField } from '../../../../contract/errors.js';
import type { ConnectorType } from '../../../../contract/operations/connectors.js';
import { checkConnectorConfig, connectorSpec } from '../../domain/connectors/connector-config.js';
import { ENTITY_RULES } from '../../domain/entities/index.js';
import { checkTopicHandlers, modifiedConnectorConfig } from '../../domain/entities/connector-rules.js';
import { SUB_INFO_KEY, type SubInfoSnapshot } from '../../subscriptions/maintainer.js';
import type { Handlers } from '../handler.js';
import { crudHandlers } from './entities.js';
import { requireRow } from './lookups.js';

const crud = crudHandlers(ENTITY_RULES.connectors);
const SQL_TYPES: readonly ConnectorType[] = ['mysql', 'postgresql'];

/** A Redis command line as its words (`"…"` and `'…'` quote a word with spaces). */
function redisWords(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]!));
  return words;
}

export const connectorHandlers: Pick<
  Handlers,
  'listConnectors' | 'getConnector' | 'addConnector' | 'modifyConnector' | 'deleteConnector' | 'queryConnector' | 'listConnectorSubInfo'
> = {
  listConnectors: crud.list,
  getConnector: crud.get,
  addConnector: async (input, call) => {
    const { ctx } = call;
    const { data, skipTest, testOnly } = input.body;
    if (testOnly !== true && (await ctx.store.entity('connectors').get(data.id)))
      throw new ApiError('EClientDuplicated', `A connector with id ${data.id} exists already`, { field: 'data.id', id: data.id });
    const config = checkConnectorConfig(data.type, data.configJSON);
    // What the add would refuse is refused before the test connects anywhere.
    if (testOnly !== true) await checkTopicHandlers(config, ctx);
    if (skipTest !== true) await ctx.connectors.test({ id: data.id, type: data.type, config });
    if (testOnly === true) return { id: data.id };
    return crud.add(input, call);
  },
  modifyConnector: async (input, call) => {
    const { ctx } = call;
    const existing = await requireRow(ctx, 'connectors', input.params.id);
    const { data, skipTest } = input.body;
    if (data.configJSON !== undefined && skipTest !== true && !existing.isBuiltin) {
      const config = modifiedConnectorConfig(existing.type, data.configJSON, existing, ctx.secrets);
      await checkTopicHandlers(config, ctx, existing.configJSON);
      await ctx.connectors.test({ id: existing.id, type: existing.type, config });
    }
    const out = await crud.modify(input, call);
    await ctx.connectors.forget(existing.id);
    return out;
  },
  deleteConnector: async (input, call) => {
    const out = await crud.delete(input, call);
    await call.ctx.connectors.forget(input.params.id);
    return out;
  },
  queryConnector: async ({ params, body }, { ctx }) => {
    const row = await requireRow(ctx, 'connectors', params.id);
    const spec = connectorSpec(row, ctx.secrets, body.database, 'body.database');
    if (body.command) return ctx.connectors.run(spec, body.command, body.commandArgs ?? [], body.commandKwargs ?? {});
    const statement = body.queryStatement;
    if (!statement) throw badField('command', 'either command or queryStatement must be given');
    if (SQL_TYPES.includes(row.type)) return ctx.connectors.run(spec, 'query', [statement]);
    if (row.type === 'redis') return ctx.connectors.run(spec, 'query', redisWords(statement));
    throw badField('queryStatement', `a ${row.type} connector takes a command (publish, …), not a statement`);
  },
  listConnectorSubInfo: async ({ params }, { ctx }) => {
    const row = await requireRow(ctx, 'connectors', params.id);
    // The maintainer's last snapshot (any server's: it is in the store), joined with the connector's own entries.
    const now = ctx.now();
    const snap = (await ctx.store.expiring.get(SUB_INFO_KEY, now))?.value as SubInfoSnapshot | undefined;
    const live = new Map((snap?.subscriptions ?? []).filter((s) => s.connectorId === row.id).map((s) => [s.topic, s]));
    const handlers = Array.isArray(row.configJSON['topicHandlers']) ? (row.configJSON['topicHandlers'] as { topic: string; funcId: string; isDisabled?: boolean }[]) : [];
    return handlers.map((h) => {
      const s = live.get(h.topic);
      return {
        connectorId: row.id,
        topic: h.topic,
        funcId: h.funcId,
        isDisabled: h.isDisabled === true,
        state: h.isDisabled === true ? 'disabled' : (s?.state ?? 'not maintained'),
        error: s?.error ?? null,
        received: s?.received ?? 0,
        dispatched: s?.dispatched ?? 0,
        failed: s?.failed ?? 0,
        lastMessageTime: s?.lastMessageTime ?? null,
        lastMinuteCount: s?.lastMinuteCount ?? 0,
        lastTaskId: s?.lastTaskId ?? null,
        maintainer: s ? (snap?.maintainer ?? null) : null,
        queue: snap?.queue ?? ctx.topology.queueMap.subscription,
        backlog: snap?.backlog ?? null,
      };
    });
  },
};
