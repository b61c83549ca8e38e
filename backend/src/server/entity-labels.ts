/** What an entity is called in a message to a user ("No such Script set: x", "Script set \"x\" exists already"). */
import type { EntityName } from '../domain/ports/store.js';

const LABELS: Record<EntityName, string> = {
  scriptSets: 'Script set',
  scripts: 'Script',
  funcs: 'Func',
  syncApis: 'Sync API',
  asyncApis: 'Async API',
  cronJobs: 'Cron job',
  envVariables: 'Env variable',
  users: 'User',
  accessKeys: 'Access key',
  apiAuth: 'API auth',
  fileServices: 'File service',
  connectors: 'Connector',
  blueprints: 'Blueprint',
};

/** The label of an entity (a store's entity name); another name (a record table's) as it is. */
export function entityLabel(name: string): string {
  return Object.hasOwn(LABELS, name) ? LABELS[name as EntityName] : name;
}
