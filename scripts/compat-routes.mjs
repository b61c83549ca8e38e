/**
 * The route table of docs/compatibility.md: every route of DataFlux Func's public route.yaml
 * against Func's contract (contract/index.ts), each implemented, aliased (an old name answering
 * as the same operation), in progress, not yet, or left out with its reason.
 *
 *   node --import tsx scripts/compat-routes.mjs PATH/TO/route.yaml            # print the table
 *   node --import tsx scripts/compat-routes.mjs PATH/TO/route.yaml --write    # replace it in docs/compatibility.md
 *
 * route.yaml comes from a snapshot of the public dataflux-func/dataflux-func repository
 * (`git --git-dir=… show HEAD:server/route.yaml > /tmp/route.yaml`); it is never committed here.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { operations } from '../contract/index.ts';

/** Routes Func does not answer, each with why (`group.*`: every route of the group). */
const LEFT_OUT = {
  'mainAPI.integratedSignIn': 'sign-in through Guance / TrueWatch (hosted cloud)',
  'indexAPI.proxy': "a proxy to DataFlux's hosted services (script market, Guance), allowed hosts only",
  'accessKeyAPI.testWebhook':
    "DataFlux Func's own handler is an unfinished placeholder (it answers an empty OK and sends nothing), and nothing in DataFlux Func ever sends an access key's webhook (its `webhookURL`, `webhookEvents`, `allowWebhookEcho` are stored only): there is no behaviour to follow, and an OK that tested nothing would mislead",
  'debugAPI.pullSystemLogs':
    "reads DataFlux's own log file from a byte position; Func writes no log file the server could read back: its roles log to stdout/stderr (the journal, `docker service logs`)",
  'debugAPI.putTask':
    "puts one of DataFlux's internal worker tasks by its class name (`Example.Success`, `Func.Runner`, `Internal.…`) raw on its Redis; Func's worker runs one kind of task, a function call, which `POST /api/v1/func/:funcId` enqueues with the same options (queue, timeout, expires, delay)",
  'debugAPI.testAPIBehavior':
    "a public check of DataFlux's own Express error handling (answers ok, throws handled and unhandled errors, answers after 3 s), used by neither its console nor its test suite; in Func it would be a public way to make 5xx answers and held connections on demand",
  'debugAPI.clearLogCacheTables':
    "truncates DataFlux's log and cache tables (task records, operation records, its table caches) at once; Func keeps task records by their per-origin limits and expiry and its operation records by their retention (docs/operations.md), and has no cache tables",
  'debugAPI.getRecentWebSocketMessages': "the messages of DataFlux's websocket link to Guance / TrueWatch (hosted cloud)",
};
const SCRIPT_MARKET = 'the script market (a DataFlux-hosted catalogue of script sets)';

/** Routes other work is building now (their table rows turn to implemented when their operations land). */
const IN_PROGRESS = {
  'mainAPI.fileService': 'file services',
  'fileServiceAPI.*': 'file services',
  'taskRecordAPI.list': 'task records',
  'taskRecordFuncAPI.getCount': 'task records',
  'operationRecordAPI.list': 'operation records',
  'scriptRecoverPointAPI.*': 'script recover points',
  'scriptSetAPI.clone': 'clone',
  'systemSettingAPI.*': 'system settings',
  'tempFlagAPI.*': 'temporary flags',
  'indexAPI.systemInfo': 'system info',
  'indexAPI.imageInfo': 'system info',
  'indexAPI.captcha': 'captcha',
  'monitorAPI.*': 'monitor',
  'authAPI.changePassword': 'change password',
  'authAPI.modifyProfile': 'profile',
  'funcCacheAPI.*': 'func caches',
  'funcStoreAPI.*': 'func stores',
};

/** Routes another issue covers (not being built now). */
const PLANNED = {};

/** Why a route Func answers differently is still compatible, or how it differs. */
const NOTES = {
  'mainAPI.callSyncAPIByPostWithFormat': 'uploaded files reach the function as there (`files[].filePath`, `docs/script-api.md`), also on the route without a format',
  'scriptMarketAPI.list': 'always `[]`: Func keeps no script market (adding or using one is left out)',
  'scriptMarketAPI.checkUpdate': 'always `[]`: Func keeps no script market, so no script set has an update from one',
  'cronJobAPI.listRecentTriggered': 'exec mode is always `cronJob`: task records do not tell a run by hand from a scheduled one',
  'crontabConfigAPI.listRecentTriggered': 'exec mode is always `cronJob`',
  'indexAPI.api':
    "Func's own description: `openapi` (default) and `swagger` answer its OpenAPI 3.1 document (as `/api/v1/openapi.json`; `virtualDir` prefixes the paths), `raw` the contract's operations by id in the envelope (not DataFlux's module/route nesting); `lang` is `en` only (`zh-CN`: 400); readable as `/api/v1/openapi.json` (general_r, or anyone with FUNC_OPENAPI_PUBLIC)",
  'indexAPI.metrics': "as in DataFlux Func, where it is deprecated: public, answers an OpenMetrics comment and no numbers; Func's metrics are at `/metrics` (FUNC_METRICS_TOKEN)",
  'indexAPI.systemReport':
    "DataFlux's keys on Func's numbers: its store's tables (rows, sizes), settings, masked config, Redis INFO in production (`NO_REDIS` in the embedded mode), plus `QUEUES` and `SERVICES`; no Node/web-client package lists",
  'indexAPI.detailedRedisReport':
    "Func's keys under its prefix (at most 100,000) grouped into patterns (`ready:<Queue>`, `cache:*`…), without DataFlux's forced 1.5 s wait; the embedded mode answers `NO_REDIS`",
  'debugAPI.clearWorkerQueues':
    'each waiting (ready or delayed) task on the queues is cancelled as `/api/v1/tasks/:id/do/cancel` would, its record ending `cancelled`; answers the count per queue',
  'scriptSetAPI.deploy':
    "into the startup script set `startup` as `startup__<id>`, the cron job `cron-starup-<id>` (DataFlux's ids); a failed publish or cron job undoes what the deploy added; a set without `<id>__example` answers nulls",
  'connectorAPI.add': "types mysql, postgresql, redis, mqtt, amqp, nats, http (docs/connectors.md); DataFlux's other types are not built",
  'connectorAPI.query': 'returnType `guanceDQLLike` is not built',
  'blueprintAPI.deploy':
    'the canvas as Python Func generates (docs/blueprints.md): YAML and DingTalk nodes are refused naming the node, the HTTP node uses urllib; a refusal deploys nothing',
  'blueprintAPI.list': 'the `title` filter looks for the text in the title (as its LIKE)',
  'scriptSetAPI.export': "DataFlux's .zip archive (META.yaml, NOTE.txt, published code); secrets left out as DataFlux leaves them (docs/script-archives.md)",
  'scriptSetAPI.import': "JSON: Func's own bundle; multipart/form-data: DataFlux's .zip archive with `checkOnly` (docs/script-archives.md)",
  'scriptSetAPI.confirmImport': 'a confirmId is good once, for 900 s, on any server (staged in the func cache)',
  'connectorAPI.listSubInfo': 'one entry per subscription of the connector, as the maintaining server (queue #6) last saw it: state, error, counts (docs/connectors.md)',
};

/** @typedef {{ key: string, method: string, urls: string[] }} Route */

/** @param {string} file @returns {Route[]} */
function routesOf(file) {
  const doc = parse(readFileSync(file, 'utf8'));
  /** @type {Route[]} */
  const out = [];
  for (const [group, routes] of Object.entries(doc)) {
    if (group.startsWith('$') || typeof routes !== 'object') continue;
    for (const [name, r] of Object.entries(routes)) {
      if (name.startsWith('$') || typeof r !== 'object' || !r.url || !r.method) continue;
      out.push({ key: `${group}.${name}`, method: r.method.toUpperCase(), urls: Array.isArray(r.url) ? r.url : [r.url] });
    }
  }
  return out;
}

/** @param {string} path */
const shape = (path) => path.replace(/:\w+/g, ':_');

/** The operation answering `method path`, and whether `path` is its main path or another (an alias). */
/** @param {string} method @param {string} path */
function match(method, path) {
  for (const [id, op] of Object.entries(operations)) {
    if (!op.methods.includes(method)) continue;
    const i = op.paths.findIndex((p) => shape(p) === shape(path));
    if (i >= 0) return { id, op, main: i === 0 };
  }
  return undefined;
}

/** @param {Record<string, string>} table @param {string} key */
function lookup(table, key) {
  return table[key] ?? table[`${key.split('.')[0]}.*`];
}

/** @param {Route} r */
function rowFor(r) {
  const paths = r.urls.map((u) => `\`${u}\``).join(', ');
  const found = r.urls.map((u) => ({ url: u, m: match(r.method, u) }));
  const hits = found.filter((f) => f.m);
  let status;
  let note = NOTES[r.key] ?? '';
  if (hits.length > 0) {
    const first = hits[0].m;
    status = first.main ? 'implemented' : 'aliased';
    if (!first.main) note = [`same operation as \`${first.op.paths[0]}\``, note].filter(Boolean).join('; ');
    const missing = found.filter((f) => !f.m).map((f) => `\`${f.url}\``);
    if (missing.length > 0) {
      status = `${status}, partly`;
      note = [`not answered: ${missing.join(', ')}`, note].filter(Boolean).join('; ');
    }
    note = [`\`${first.id}\``, note].filter(Boolean).join(': ');
  } else if (r.key.startsWith('scriptMarketAPI.')) {
    status = 'left out';
    note = SCRIPT_MARKET;
  } else if (lookup(LEFT_OUT, r.key)) {
    status = 'left out';
    note = lookup(LEFT_OUT, r.key);
  } else if (lookup(IN_PROGRESS, r.key)) {
    status = 'in progress';
    note = [lookup(IN_PROGRESS, r.key), note].filter(Boolean).join('; ');
  } else {
    status = 'not yet';
    note = [lookup(PLANNED, r.key), note].filter(Boolean).join('; ');
  }
  return `| ${r.key} | ${r.method} | ${paths} | ${status} | ${note.replace(/\|/g, '\\|')} |`;
}

/** @param {string} file */
function table(file) {
  const routes = routesOf(file);
  const rows = routes.map(rowFor);
  const count = (s) => rows.filter((row) => row.split(' | ')[3].startsWith(s)).length;
  const summary = `${routes.length} routes: ${count('implemented')} implemented, ${count('aliased')} aliased, ${count('in progress')} in progress, ${count('not yet')} not yet, ${count('left out')} left out.`;
  return [summary, '', '| DataFlux Func route | Method | Path | Func | Note |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

const [file, flag] = process.argv.slice(2);
if (!file) {
  console.error('usage: node --import tsx scripts/compat-routes.mjs PATH/TO/route.yaml [--write]');
  process.exit(2);
}
const generated = table(file);
if (flag === '--write') {
  const doc = 'docs/compatibility.md';
  const text = readFileSync(doc, 'utf8');
  const begin = '<!-- route-table:begin -->';
  const end = '<!-- route-table:end -->';
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${doc} has no ${begin} … ${end} section`);
  writeFileSync(doc, `${text.slice(0, a + begin.length)}\n${generated}\n${text.slice(b)}`);
  console.log(`${doc}: ${generated.split('\n')[0]}`);
} else {
  console.log(generated);
}
