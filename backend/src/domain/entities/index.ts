/** The rules of every admin entity the generic CRUD routes serve. */
import { accessKeyRules } from './access-key-rules.js';
import { apiAuthRules } from './api-auth-rules.js';
import { blueprintRules } from './blueprint-rules.js';
import { asyncApiRules, syncApiRules } from './api-rules.js';
import { funcRules, scriptSetRules } from './catalog-rules.js';
import { connectorRules } from './connector-rules.js';
import { cronJobRules } from './cron-job-rules.js';
import { envVariableRules } from './env-variable-rules.js';
import { fileServiceRules } from './file-service-rules.js';
import { userRules } from './user-rules.js';

export type { Actor, EntityRuleDeps, EntityRules, EntityTypes, EntityTypesOf } from './entity-rules.js';

export const ENTITY_RULES = {
  scriptSets: scriptSetRules,
  funcs: funcRules,
  syncApis: syncApiRules,
  asyncApis: asyncApiRules,
  cronJobs: cronJobRules,
  envVariables: envVariableRules,
  users: userRules,
  accessKeys: accessKeyRules,
  apiAuth: apiAuthRules,
  fileServices: fileServiceRules,
  connectors: connectorRules,
  blueprints: blueprintRules,
} as const;
