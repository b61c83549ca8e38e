/** The API as data: every operation, declared once; server, clients and docs are built from this table. */
import * as system from './operations/system.js';
import * as apiDescription from './operations/api-description.js';
import * as systemReport from './operations/system-report.js';
import * as debugHooks from './operations/debug-hooks.js';
import * as scriptSetDeploy from './operations/script-set-deploy.js';
import * as auth from './operations/auth.js';
import * as admin from './operations/admin.js';
import * as calls from './operations/calls.js';
import * as scriptOps from './operations/scripts.js';
import * as topology from './operations/topology.js';
import * as bundle from './operations/script-set-bundle.js';
import * as archive from './operations/script-set-archive.js';
import * as stackOps from './operations/stack.js';
import * as autoscaleOps from './operations/autoscale.js';
import * as cronForecastOps from './operations/cron-forecast.js';
import * as alertOps from './operations/alerts.js';
import * as deadLetterOps from './operations/dead-letters.js';
import * as debugging from './operations/debugging.js';
import * as funcDataOps from './operations/func-data.js';
import * as resourceOps from './operations/resources.js';
import { fileServices } from './operations/file-services.js';
import { connectors, listConnectorSubInfo, queryConnector } from './operations/connectors.js';
import { blueprints, deployBlueprint } from './operations/blueprints.js';
import { accessKeys, apiAuth_ as apiAuth, asyncApis, cronJobs, envVariables, funcs, scriptSets, scripts, syncApis, users } from './operations/entities.js';
import { asyncApiBulk, cronJobBulk, syncApiBulk } from './operations/bulk.js';
import * as funcCatalog from './operations/func-catalog.js';
import * as scriptMarkets from './operations/script-markets.js';
import type { Operation } from './operation.js';

export const entityOperations = { scriptSets, scripts, funcs, syncApis, asyncApis, cronJobs, envVariables, accessKeys, users, apiAuth } as const;

export const operations = {
  ping: system.ping,
  echo: system.echo,
  healthz: system.healthz,
  metrics: system.metrics,
  openapi: system.openapi,
  describeApi: apiDescription.describeApi,
  deprecatedMetrics: apiDescription.deprecatedMetrics,
  getSystemReport: systemReport.getSystemReport,
  getDetailedRedisReport: systemReport.getDetailedRedisReport,
  clearWorkerQueues: debugHooks.clearWorkerQueues,
  deployScriptSet: scriptSetDeploy.deployScriptSet,
  signIn: auth.signIn,
  signOut: auth.signOut,
  profile: auth.profile,
  changePassword: admin.changePassword,
  modifyProfile: admin.modifyProfile,
  getCaptcha: admin.getCaptcha,
  imageInfo: admin.imageInfo,
  systemInfo: admin.systemInfo,
  getSystemSettings: admin.getSystemSettings,
  setSystemSetting: admin.setSystemSetting,
  deleteSystemSetting: admin.deleteSystemSetting,
  getTemporaryFlags: admin.getTemporaryFlags,
  setTemporaryFlag: admin.setTemporaryFlag,
  clearTemporaryFlag: admin.clearTemporaryFlag,
  getSystemMetrics: admin.getSystemMetrics,
  listAbnormalRequests: admin.listAbnormalRequests,
  listOperationRecords: admin.listOperationRecords,
  listScriptRecoverPoints: admin.listScriptRecoverPoints,
  addScriptRecoverPoint: admin.addScriptRecoverPoint,
  recoverScriptRecoverPoint: admin.recoverScriptRecoverPoint,
  cloneScriptSet: admin.cloneScriptSet,
  getTaskRecordCount: admin.getTaskRecordCount,
  listScriptMarkets: scriptMarkets.listScriptMarkets,
  checkScriptMarketUpdate: scriptMarkets.checkScriptMarketUpdate,
  callFunc: calls.callFunc,
  callFuncDraft: calls.callFuncDraft,
  callSyncApi: calls.callSyncApi,
  callAsyncApi: calls.callAsyncApi,
  runCronJob: calls.runCronJob,
  getTask: calls.getTask,
  cancelTask: calls.cancelTask,
  listTaskRecords: calls.listTaskRecords,
  replayTask: debugging.replayTask,
  diffTaskRecords: debugging.diffTaskRecords,
  streamTaskLogs: debugging.streamTaskLogs,
  listDeadLetters: deadLetterOps.listDeadLetters,
  requeueDeadLetters: deadLetterOps.requeueDeadLetters,
  listFuncCaches: funcDataOps.listFuncCaches,
  getFuncCache: funcDataOps.getFuncCache,
  deleteFuncCache: funcDataOps.deleteFuncCache,
  listFuncStores: funcDataOps.listFuncStores,
  getFuncStore: funcDataOps.getFuncStore,
  deleteFuncStore: funcDataOps.deleteFuncStore,
  getTopology: topology.getTopology,
  events: topology.events,
  getCapacity: stackOps.getCapacity,
  getStack: stackOps.getStack,
  planStackChange: stackOps.planStackChange,
  applyStackChange: stackOps.applyStackChange,
  getStackChange: stackOps.getStackChange,
  listStackChanges: stackOps.listStackChanges,
  listAutoscalePolicies: autoscaleOps.listAutoscalePolicies,
  setAutoscalePolicy: autoscaleOps.setAutoscalePolicy,
  pauseAutoscalePolicy: autoscaleOps.pauseAutoscalePolicy,
  deleteAutoscalePolicy: autoscaleOps.deleteAutoscalePolicy,
  getCronForecast: cronForecastOps.getCronForecast,
  getAlerts: alertOps.getAlerts,
  setAlertRules: alertOps.setAlertRules,
  publishScript: scriptOps.publishScript,
  discoverScriptDraft: scriptOps.discoverScriptDraft,
  listPublishHistory: scriptOps.listPublishHistory,
  listScriptPublishHistory: scriptOps.listScriptPublishHistory,
  exportScriptSet: bundle.exportScriptSet,
  importScriptSet: bundle.importScriptSet,
  exportScriptSets: archive.exportScriptSets,
  confirmImportScriptSets: archive.confirmImportScriptSets,
  listScriptSetExportHistory: archive.listScriptSetExportHistory,
  listScriptSetImportHistory: archive.listScriptSetImportHistory,
  listScriptSets: scriptSets.list,
  getScriptSet: scriptSets.get,
  addScriptSet: scriptSets.add,
  modifyScriptSet: scriptSets.modify,
  deleteScriptSet: scriptSets.delete,
  listScripts: scripts.list,
  getScript: scripts.get,
  addScript: scripts.add,
  modifyScript: scripts.modify,
  deleteScript: scripts.delete,
  listFuncs: funcs.list,
  getFunc: funcs.get,
  listSyncApis: syncApis.list,
  getSyncApi: syncApis.get,
  addSyncApi: syncApis.add,
  modifySyncApi: syncApis.modify,
  deleteSyncApi: syncApis.delete,
  listAsyncApis: asyncApis.list,
  getAsyncApi: asyncApis.get,
  addAsyncApi: asyncApis.add,
  modifyAsyncApi: asyncApis.modify,
  deleteAsyncApi: asyncApis.delete,
  listCronJobs: cronJobs.list,
  getCronJob: cronJobs.get,
  addCronJob: cronJobs.add,
  modifyCronJob: cronJobs.modify,
  deleteCronJob: cronJobs.delete,
  listEnvVariables: envVariables.list,
  getEnvVariable: envVariables.get,
  addEnvVariable: envVariables.add,
  modifyEnvVariable: envVariables.modify,
  deleteEnvVariable: envVariables.delete,
  listAccessKeys: accessKeys.list,
  getAccessKey: accessKeys.get,
  addAccessKey: accessKeys.add,
  modifyAccessKey: accessKeys.modify,
  deleteAccessKey: accessKeys.delete,
  listApiAuth: apiAuth.list,
  getApiAuth: apiAuth.get,
  addApiAuth: apiAuth.add,
  modifyApiAuth: apiAuth.modify,
  deleteApiAuth: apiAuth.delete,
  listUsers: users.list,
  getUser: users.get,
  addUser: users.add,
  modifyUser: users.modify,
  deleteUser: users.delete,
  addManySyncApis: syncApiBulk.addMany,
  modifyManySyncApis: syncApiBulk.modifyMany,
  deleteManySyncApis: syncApiBulk.deleteMany,
  addManyAsyncApis: asyncApiBulk.addMany,
  modifyManyAsyncApis: asyncApiBulk.modifyMany,
  deleteManyAsyncApis: asyncApiBulk.deleteMany,
  addManyCronJobs: cronJobBulk.addMany,
  modifyManyCronJobs: cronJobBulk.modifyMany,
  deleteManyCronJobs: cronJobBulk.deleteMany,
  listCronJobRecentTriggered: funcCatalog.listCronJobRecentTriggered,
  describeFunc: funcCatalog.describeFunc,
  funcOverview: funcCatalog.funcOverview,
  funcList: funcCatalog.funcList,
  funcTagList: funcCatalog.funcTagList,
  funcApiList: funcCatalog.funcApiList,
  authLinkFuncList: funcCatalog.authLinkFuncList,
  callFuncMany: funcCatalog.callFuncMany,
  listResources: resourceOps.listResources,
  getResource: resourceOps.getResource,
  downloadResource: resourceOps.downloadResource,
  uploadResource: resourceOps.uploadResource,
  operateResource: resourceOps.operateResource,
  listInstalledPythonPackages: resourceOps.listInstalledPythonPackages,
  getPythonPackageInstallStatus: resourceOps.getPythonPackageInstallStatus,
  clearPythonPackageInstallStatus: resourceOps.clearPythonPackageInstallStatus,
  installPythonPackages: resourceOps.installPythonPackages,
  serveFileService: resourceOps.serveFileService,
  listFileServices: fileServices.list,
  getFileService: fileServices.get,
  addFileService: fileServices.add,
  modifyFileService: fileServices.modify,
  deleteFileService: fileServices.delete,
  listConnectors: connectors.list,
  getConnector: connectors.get,
  addConnector: connectors.add,
  modifyConnector: connectors.modify,
  deleteConnector: connectors.delete,
  queryConnector,
  listConnectorSubInfo,
  listBlueprints: blueprints.list,
  getBlueprint: blueprints.get,
  addBlueprint: blueprints.add,
  modifyBlueprint: blueprints.modify,
  deleteBlueprint: blueprints.delete,
  deployBlueprint,
} as const satisfies Record<string, Operation>;

export type Operations = typeof operations;
export type OperationId = keyof Operations;

export * from './operation.js';
export * from './permissions.js';
export * from './errors.js';
export * from './envelope.js';
export * from './common.js';
export { callOptions, MAX_DELAY_S, type CallOptions } from './operations/calls.js';
export { ENV_TYPES } from './operations/entities.js';
export { scriptSetBundle, SCRIPT_SET_BUNDLE_FORMAT, type ScriptSetBundle } from './operations/script-set-bundle.js';
export { topologyStatus, type TopologyStatus } from './operations/topology.js';
export { DEAD_LETTER_LIMIT_MAX, type DeadLetter } from './operations/dead-letters.js';
