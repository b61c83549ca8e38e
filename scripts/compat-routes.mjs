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
  'indexAPI.api': "Func describes its API as OpenAPI at `/api/v1/openapi.json`; DataFlux's `/api` renders its own doc formats (openapi, swagger, raw) of its route list",
  'indexAPI.metrics': 'deprecated in DataFlux Func; Func serves Prometheus metrics at `/metrics` (FUNC_METRICS_TOKEN)',
  'indexAPI.systemReport': "a report of DataFlux's own MySQL tables and Redis keys; Func's state is at `/api/v1/system-info`, `/api/v1/monitor/*`, `/healthz` and `/metrics`",
  'indexAPI.detailedRedisReport': "a report of DataFlux's own Redis keys; Func's queues are at `/api/v1/monitor/*` and `/metrics`",
  'accessKeyAPI.testWebhook': "Func's access keys have no webhook (DataFlux's access-key webhook is not built)",
  'scriptSetAPI.deploy': "copies a set's example script into DataFlux's startup script set (and a cron job for it), made for script-market sets; Func has no startup script set",
  'debugAPI.*':
    "DataFlux's developer hooks into its own internals (raw task put, its worker queues and log cache tables, its websocket message buffer, its system logs); Func's tasks, dead letters and monitor routes cover what an admin needs",
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
  'connectorAPI.add': "types mysql, postgresql, redis, mqtt, amqp, nats, http (docs/connectors.md); DataFlux's other types are not built",
  'connectorAPI.query': 'returnType `guanceDQLLike` is not built',
  'blueprintAPI.deploy':
    'the canvas as Python Func generates (docs/blueprints.md): YAML and DingTalk nodes are refused naming the node, the HTTP node uses urllib; a refusal deploys nothing',
  'blueprintAPI.list': 'the `title` filter looks for the text in the title (as its LIKE)',
  'scriptSetAPI.export': "DataFlux's .zip archive (META.yaml, NOTE.txt, published code); secrets left out as DataFlux leaves them (docs/script-archives.md)",
  'scriptSetAPI.import': "JSON: Func's own bundle; multipart/form-data: DataFlux's .zip archive with `checkOnly` (docs/script-archives.md)",
  'scriptSetAPI.confirmImport': 'a confirmId is good once, for 900 s, on any server (staged in the func cache)',
  'connectorAPI.listSubInfo': 'answers `[]` until subscriptions are maintained (issue 17, items 3–5)',
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
