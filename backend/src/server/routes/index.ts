/** All handlers, keyed by operation id (the type checks that none is missing). */
import type { Handlers } from '../handler.js';
import { adminHandlers } from './admin.js';
import { apiHandlers } from './apis.js';
import { apiDescriptionHandlers } from './api-description.js';
import { systemReportHandlers } from './system-report.js';
import { debugHookHandlers } from './debug-hooks.js';
import { scriptSetDeployHandlers } from './script-set-deploy.js';
import { autoscaleHandlers } from './autoscale.js';
import { cronForecastHandlers } from './cron-forecast.js';
import { alertHandlers } from './alerts.js';
import { authHandlers } from './auth.js';
import { callHandlers } from './calls.js';
import { capacityHandlers } from './capacity.js';
import { compatHandlers } from './compat.js';
import { deadLetterHandlers } from './dead-letters.js';
import { debuggingHandlers } from './debugging.js';
import { funcDataHandlers } from './func-data.js';
import { accessKeyCrud, apiAuthCrud, asyncApiCrud, cronJobCrud, envVariableCrud, fileServiceCrud, funcCrud, scriptSetCrud, syncApiCrud, userCrud } from './entities.js';
import { fileServiceHandlers } from './file-services.js';
import { connectorHandlers } from './connectors.js';
import { blueprintHandlers } from './blueprints.js';
import { resourceHandlers } from './resources.js';
import { scriptSetBundleHandlers } from './script-set-bundle.js';
import { scriptSetArchiveHandlers } from './script-set-archive.js';
import { stackHandlers } from './stack.js';
import { publishHandlers, scriptCrud } from './scripts.js';
import { systemHandlers } from './system.js';
import { taskHandlers } from './tasks.js';
import { topologyHandlers } from './topology.js';

export function createHandlers(): Handlers {
  return {
    ...systemHandlers,
    ...apiDescriptionHandlers,
    ...systemReportHandlers,
    ...debugHookHandlers,
    ...scriptSetDeployHandlers,
    ...adminHandlers,
    ...authHandlers,
    ...callHandlers,
    ...apiHandlers,
    ...taskHandlers,
    ...publishHandlers,
    ...scriptSetBundleHandlers,
    ...scriptSetArchiveHandlers,
    ...topologyHandlers,
    ...capacityHandlers,
    ...deadLetterHandlers,
    ...debuggingHandlers,
    ...funcDataHandlers,
    ...stackHandlers,
    ...autoscaleHandlers,
    ...cronForecastHandlers,
    ...alertHandlers,
    ...compatHandlers,
    ...resourceHandlers,
    ...fileServiceHandlers,
    ...connectorHandlers,
    ...blueprintHandlers,
    listFileServices: fileServiceCrud.list,
    getFileService: fileServiceCrud.get,
    addFileService: fileServiceCrud.add,
    modifyFileService: fileServiceCrud.modify,
    deleteFileService: fileServiceCrud.delete,
    listScriptSets: scriptSetCrud.list,
    getScriptSet: scriptSetCrud.get,
    addScriptSet: scriptSetCrud.add,
    modifyScriptSet: scriptSetCrud.modify,
    deleteScriptSet: scriptSetCrud.delete,
    listScripts: scriptCrud.list,
    getScript: scriptCrud.get,
    addScript: scriptCrud.add,
    modifyScript: scriptCrud.modify,
    deleteScript: scriptCrud.delete,
    listFuncs: funcCrud.list,
    getFunc: funcCrud.get,
    listSyncApis: syncApiCrud.list,
    getSyncApi: syncApiCrud.get,
    addSyncApi: syncApiCrud.add,
    modifySyncApi: syncApiCrud.modify,
    deleteSyncApi: syncApiCrud.delete,
    listAsyncApis: asyncApiCrud.list,
    getAsyncApi: asyncApiCrud.get,
    addAsyncApi: asyncApiCrud.add,
    modifyAsyncApi: asyncApiCrud.modify,
    deleteAsyncApi: asyncApiCrud.delete,
    listCronJobs: cronJobCrud.list,
    getCronJob: cronJobCrud.get,
    addCronJob: cronJobCrud.add,
    modifyCronJob: cronJobCrud.modify,
    deleteCronJob: cronJobCrud.delete,
    listEnvVariables: envVariableCrud.list,
    getEnvVariable: envVariableCrud.get,
    addEnvVariable: envVariableCrud.add,
    modifyEnvVariable: envVariableCrud.modify,
    deleteEnvVariable: envVariableCrud.delete,
    listAccessKeys: accessKeyCrud.list,
    getAccessKey: accessKeyCrud.get,
    addAccessKey: accessKeyCrud.add,
    modifyAccessKey: accessKeyCrud.modify,
    deleteAccessKey: accessKeyCrud.delete,
    listApiAuth: apiAuthCrud.list,
    getApiAuth: apiAuthCrud.get,
    addApiAuth: apiAuthCrud.add,
    modifyApiAuth: apiAuthCrud.modify,
    deleteApiAuth: apiAuthCrud.delete,
    listUsers: userCrud.list,
    getUser: userCrud.get,
    addUser: userCrud.add,
    modifyUser: userCrud.modify,
    deleteUser: userCrud.delete,
  };
}
