/**
 * DataFlux Func's script-set archive through HTTP on a real embedded stack: export (unzipped and
 * read back with Python's zipfile and the YAML parsed), an archive built the way DataFlux Func
 * builds one (Python's zipfile, META.yaml as its js-yaml dump writes exportData) imported and its
 * functions called, the check-only import and its confirm, the history lists, the refusals (nothing
 * imported) and the permissions; secrets (never in the history nor in the staged import in clear,
 * kept on a re-import), archives that inflate to a lot, and an import refused late written back whole.
 */
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { connectorConfigOf } from '../src/domain/connectors/connector-config.js';
import { STAGE_MAX_PENDING } from '../src/server/routes/script-set-archive.js';
import { useTestStack, type ApiResponse } from '../src/testing/test-stack.js';

/** The server's upload limit, and so the import's limit on what an archive's files hold once inflated. */
const UPLOAD_LIMIT_MB = 24;
const t = useTestStack({}, { FUNC_UPLOAD_LIMIT_MB: String(UPLOAD_LIMIT_MB) });

/** A zip written by Python's zipfile (not Func's writer): `files` path → text. */
function pyZip(files: Record<string, string>): Buffer {
  const script = [
    'import io, json, sys, zipfile',
    'files = json.load(sys.stdin)',
    'buf = io.BytesIO()',
    'with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:',
    '    for name, text in files.items(): z.writestr(name, text)',
    'sys.stdout.buffer.write(buf.getvalue())',
  ].join('\n');
  return execFileSync('python3', ['-c', script], { input: JSON.stringify(files) });
}

/**
 * A zip written by Python's zipfile holding `files` and, for each of `fill` (path → [text, bytes]),
 * `text` repeated to that many bytes, written in 1 MB pieces (neither the test nor Python holds it
 * whole): a small file that inflates to a lot.
 */
function pyZipFilled(files: Record<string, string>, fill: Record<string, [string, number]>): Buffer {
  const script = [
    'import io, json, sys, zipfile',
    'spec = json.load(sys.stdin)',
    'buf = io.BytesIO()',
    'with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:',
    '    for name, text in spec["files"].items(): z.writestr(name, text)',
    '    for name, (text, size) in spec["fill"].items():',
    '        piece = (text * (1048576 // len(text) + 1)).encode()[:1048576]',
    '        with z.open(name, "w") as f:',
    '            left = size',
    '            while left > 0:',
    '                f.write(piece[:min(left, len(piece))])',
    '                left -= min(left, len(piece))',
    'sys.stdout.buffer.write(buf.getvalue())',
  ].join('\n');
  return execFileSync('python3', ['-c', script], { input: JSON.stringify({ files, fill }), maxBuffer: 64 * 1024 * 1024 });
}

/** The most memory this process has held so far (bytes). */
const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

/** An archive's files as Python's zipfile reads them (not Func's reader). */
function pyUnzip(zip: Buffer): Record<string, string> {
  const script = [
    'import io, json, sys, zipfile',
    'z = zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))',
    'print(json.dumps({n: z.read(n).decode("utf-8") for n in z.namelist()}))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script], { input: zip }).toString('utf8')) as Record<string, string>;
}

function multipart(fields: Record<string, string>, file?: { name: string; content: Buffer }): { body: Buffer; contentType: string } {
  const boundary = `----func-archive-${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
    parts.push(file.content, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The import route with DataFlux Func's multipart body (raw HTTP: the typed client sends JSON). */
async function importZip(zip: Buffer, fields: Record<string, string> = {}, token = t.token): Promise<ApiResponse> {
  const { body, contentType } = multipart(fields, { name: 'dataflux-func.zip', content: zip });
  const res = await t.stack.app.inject({
    method: 'POST',
    url: '/api/v1/script-sets/do/import',
    payload: body,
    headers: { 'content-type': contentType, 'x-dff-auth-token': token },
  });
  const parsed = JSON.parse(res.body) as ApiResponse['body'];
  return { status: res.statusCode, body: parsed, data: parsed.data, text: res.body, headers: res.headers };
}

/** The export route: a download (raw HTTP), its bytes. */
async function exportZip(body: Record<string, unknown>, token = t.token): Promise<{ status: number; zip: Buffer; headers: Record<string, unknown>; text: string }> {
  const res = await t.stack.app.inject({ method: 'POST', url: '/api/v1/script-sets/do/export', payload: body, headers: { 'x-dff-auth-token': token } });
  return { status: res.statusCode, zip: res.rawPayload, headers: res.headers, text: res.body };
}

const UTIL = `RATE = 3
`;
const MAIN = `import dffarc__util

@DFF.API('Triple')
def triple(x):
    return x * dffarc__util.RATE
`;

/** META.yaml as DataFlux Func's yaml.dump writes its exportData (2-space indents, block lists, ISO times as quoted strings). */
const DFF_META = `version: 2
scriptSets:
  - id: dffarc
    title: DFF archive
    description: null
    requirements: |-
      requests>=2.0
      arrow[extra]
    origin: user
    originId: u-123
    scripts:
      - id: dffarc__main
        title: Main
        description: null
        publishVersion: 4
        type: python
        codeMD5: 0123456789abcdef0123456789abcdef
        updateTime: '2024-05-01T08:00:00.000Z'
        funcs:
          - id: dffarc__main.triple
            name: triple
            title: Triple
            description: null
            definition: triple(x)
            argsJSON:
              - x
            kwargsJSON:
              x: {}
            extraConfigJSON: null
            category: general
            integration: null
            tagsJSON: null
            defOrder: 0
      - id: dffarc__util
        title: Util
        description: null
        publishVersion: 1
        type: python
        codeMD5: fedcba9876543210fedcba9876543210
        updateTime: '2024-05-01T08:00:00.000Z'
        funcs: []
    originMD5: 00000000000000000000000000000000
extra:
  exportUser: Admin (admin)
  exportTime: '2024-05-01T08:00:00.000Z'
  note: from DataFlux Func
syncAPIs:
  - id: sapi-dffarc
    funcId: dffarc__main.triple
    funcCallKwargsJSON:
      x: FROM_PARAMETER
    expireTime: null
    throttlingJSON: null
    origin: user
    originId: u-123
    showInDoc: false
    isDisabled: false
    note: null
crontabConfigs:
  - id: cron-dffarc
    funcId: dffarc__main.triple
    funcCallKwargsJSON:
      x: 1
    cronExpr: '*/5 * * * *'
    tagsJSON: null
    scope: GLOBAL
    expireTime: null
    origin: user
    originId: u-123
    isDisabled: true
    note: null
envVariables:
  - id: DFFARC_RATE
    title: Rate
    description: null
    autoTypeCasting: integer
    valueTEXT: '3'
`;

/** The archive DataFlux Func writes, inside a top folder (as an unpacked and zipped-again export is). */
function dffArchive(meta = DFF_META, extra: Record<string, string> = {}): Buffer {
  return pyZip({
    'dataflux-func-20240501_160000/META.yaml': meta,
    'dataflux-func-20240501_160000/NOTE.txt': 'from DataFlux Func',
    'dataflux-func-20240501_160000/script-sets/dffarc/main.py': MAIN,
    'dataflux-func-20240501_160000/script-sets/dffarc/util.py': UTIL,
    ...extra,
  });
}

const call = async (funcId: string, kwargs: Record<string, unknown>): Promise<ApiResponse> => t.admin('POST', `/api/v1/func/${funcId}`, { kwargs });
const setIds = async (): Promise<string[]> => (await t.client.listScriptSets({ query: {} })).map((s) => s.id).sort();

describe('import of a DataFlux Func archive', () => {
  it('imports sets, scripts (published, in dependency order), APIs, cron jobs (old name) and env variables; its functions answer', async () => {
    const r = await importZip(dffArchive());
    expect(r.status, r.text).toBe(200);
    expect(r.data).toEqual({
      requirements: { requests: '2.0', arrow: null },
      confirmId: null,
      diff: {
        scriptSets: [{ id: 'dffarc', title: 'DFF archive', diffType: 'add' }],
        envVariables: [{ id: 'DFFARC_RATE', title: 'Rate', diffType: 'add' }],
        syncAPIs: [{ id: 'sapi-dffarc', funcId: 'dffarc__main.triple', diffType: 'add' }],
        cronJobs: [{ id: 'cron-dffarc', funcId: 'dffarc__main.triple', diffType: 'add' }],
      },
      note: 'from DataFlux Func',
    });
    const called = await call('dffarc__main.triple', { x: 5 });
    expect(called.status, called.text).toBe(200);
    expect((called.data as { result: unknown }).result).toBe(15);
    const sync = await t.api('POST', '/api/v1/sync/sapi-dffarc', { kwargs: { x: 7 } });
    expect(sync.status, sync.text).toBe(200);
    expect(sync.text).toBe('21');
    const cron = await t.client.getCronJob({ params: { id: 'cron-dffarc' } });
    expect(cron).toMatchObject({ funcId: 'dffarc__main.triple', cronExpr: '*/5 * * * *', isDisabled: true });
    expect(await t.client.getEnvVariable({ params: { id: 'DFFARC_RATE' } })).toMatchObject({ autoTypeCasting: 'integer', valueTEXT: '3' });
    const scripts = await t.client.listScripts({ query: { scriptSetId: 'dffarc' } });
    expect(scripts.map((s) => [s.id, s.title]).sort()).toEqual([
      ['dffarc__main', 'Main'],
      ['dffarc__util', 'Util'],
    ]);
    const history = await t.admin('GET', '/api/v1/script-set-import-history/do/list');
    expect(history.status, history.text).toBe(200);
    const rows = history.data as { note: string; summaryJSON: Record<string, unknown[]> }[];
    expect(rows[0]!.note).toBe('from DataFlux Func');
    expect(rows[0]!.summaryJSON.scripts!.map((s) => (s as { id: string }).id)).toEqual(['dffarc__main', 'dffarc__util']);
    expect(JSON.stringify(rows[0]!.summaryJSON)).not.toContain('RATE = 3');
    const points = await t.admin('GET', '/api/v1/script-recover-points/do/list');
    expect((points.data as { type: string; note: string }[])[0]).toMatchObject({ type: 'import' });
  });

  it("a cron job holding a caller's placeholder (DataFlux Func keeps it) is imported disabled, the diff says so; enabling it needs the value", async () => {
    const meta = DFF_META.replace('      x: 1\n    cronExpr', '      x: INPUT_BY_CALLER\n    cronExpr').replace(
      '    isDisabled: true\n    note: null\nenvVariables',
      '    isDisabled: false\n    note: null\nenvVariables',
    );
    expect(meta).toContain('x: INPUT_BY_CALLER\n    cronExpr');
    const entry = {
      id: 'cron-dffarc',
      funcId: 'dffarc__main.triple',
      disabledOnImport: expect.stringMatching(/imported disabled: "x" left to a caller \(a placeholder such as INPUT_BY_CALLER\)/) as unknown,
    };
    const r = await importZip(dffArchive(meta));
    expect(r.status, r.text).toBe(200);
    expect((r.data as { diff: Record<string, unknown> }).diff.cronJobs).toEqual([expect.objectContaining(entry)]);
    // The preview (checkOnly) says so too, and its confirm imports it so.
    const checked = await importZip(dffArchive(meta), { checkOnly: 'true' });
    expect(checked.status, checked.text).toBe(200);
    const { diff, confirmId } = checked.data as { diff: Record<string, unknown>; confirmId: string };
    expect(diff.cronJobs).toEqual([expect.objectContaining({ ...entry, diffType: 'replace' })]);
    expect((await t.admin('POST', '/api/v1/script-sets/do/confirm-import', { confirmId })).status).toBe(200);
    const cron = await t.client.getCronJob({ params: { id: 'cron-dffarc' } });
    expect(cron).toMatchObject({ funcCallKwargsJSON: { x: 'INPUT_BY_CALLER' }, isDisabled: true, nextRunTime: null });
    // Nor is it run by hand with the placeholder's text (DataFlux Func would hand "INPUT_BY_CALLER" to the function).
    const byHand = await t.admin('POST', '/api/v1/cron/cron-dffarc');
    expect(byHand.status, byHand.text).toBe(400);
    expect(byHand.body.detail?.field).toBe('funcCallKwargsJSON.x');
    const enable = await t.admin('POST', '/api/v1/cron-jobs/cron-dffarc/do/modify', { data: { isDisabled: false } });
    expect(enable.status, enable.text).toBe(400);
    expect(enable.body.detail?.field).toBe('funcCallKwargsJSON.x');
    const fixed = await t.admin('POST', '/api/v1/cron-jobs/cron-dffarc/do/modify', { data: { isDisabled: false, funcCallKwargsJSON: { x: 2 } } });
    expect(fixed.status, fixed.text).toBe(200);
    expect(await t.client.getCronJob({ params: { id: 'cron-dffarc' } })).toMatchObject({ funcCallKwargsJSON: { x: 2 }, isDisabled: false });
    // The archive as it was (its job disabled, x given): the diff marks nothing.
    expect(JSON.stringify((await importZip(dffArchive())).data)).not.toContain('disabledOnImport');
  });

  it('an import again replaces: the diff says replace, a script the archive lacks is deleted', async () => {
    await t.client.addScript({ body: { data: { id: 'dffarc__extra', codeDraft: 'x = 1\n' } } });
    const r = await importZip(dffArchive());
    expect(r.status, r.text).toBe(200);
    expect((r.data as { diff: Record<string, { diffType: string }[]> }).diff.scriptSets).toEqual([{ id: 'dffarc', title: 'DFF archive', diffType: 'replace' }]);
    const scripts = await t.client.listScripts({ query: { scriptSetId: 'dffarc' } });
    expect(scripts.map((s) => s.id).sort()).toEqual(['dffarc__main', 'dffarc__util']);
  });

  it("reads DataFlux Func's older layout: scriptSets.yaml and one YAML file per kind, the note in NOTE.txt", async () => {
    const sets = `- id: oldarc
  title: Old layout
  scripts:
    - id: oldarc__main
      type: python
`;
    const zip = pyZip({
      'scriptSets.yaml': sets,
      'authLinks.yaml': '- id: sapi-oldarc\n  funcId: oldarc__main.hello\n  funcCallKwargsJSON: {}\n',
      'NOTE.txt': 'old export',
      'script-sets/oldarc/main.py': "@DFF.API('Hello')\ndef hello():\n    return 'old'\n",
    });
    const r = await importZip(zip);
    expect(r.status, r.text).toBe(200);
    expect(r.data).toMatchObject({ note: 'old export', diff: { syncAPIs: [{ id: 'sapi-oldarc', diffType: 'add' }] } });
    expect(((await call('oldarc__main.hello', {})).data as { result: unknown }).result).toBe('old');
  });
});

describe("a connector whose subscriptions the archive's own scripts handle", () => {
  const archive = (funcName: string): Buffer =>
    pyZip({
      'META.yaml': `scriptSets:
  - id: subarc
    scripts:
      - id: subarc__main
        type: python
connectors:
  - id: subarc_redis
    type: redis
    configJSON:
      host: 127.0.0.1
      topicHandlers:
        - topic: subarc-topic
          funcId: subarc__main.${funcName}
`,
      'script-sets/subarc/main.py': "@DFF.API('On message')\ndef on_msg(topic, message):\n    return message\n",
    });

  it('imports (checked after the publish), and a handler the archive does not define refuses the whole import', async () => {
    const missing = await importZip(archive('nope'));
    expect(missing.status, missing.text).toBe(400);
    expect(missing.body.detail?.field).toBe('connectors.0.configJSON.topicHandlers.0.funcId');
    expect(await setIds()).not.toContain('subarc');
    expect((await t.admin('GET', '/api/v1/connectors/subarc_redis/do/get')).status).toBe(404);
    const checked = await importZip(archive('on_msg'), { checkOnly: 'true' });
    expect(checked.status, checked.text).toBe(200);
    await t.stack.ctx.cache.command('del', [`func:stage:importScriptSet:${(checked.data as { confirmId: string }).confirmId}`]);
    const r = await importZip(archive('on_msg'));
    expect(r.status, r.text).toBe(200);
    const row = await t.admin('GET', '/api/v1/connectors/subarc_redis/do/get');
    expect((row.data as { configJSON: { topicHandlers: unknown[] } }).configJSON.topicHandlers).toEqual([{ topic: 'subarc-topic', funcId: 'subarc__main.on_msg' }]);
  });
});

describe('check only, then confirm', () => {
  let confirmId = '';

  it('checkOnly answers the diff and a confirmId and changes nothing', async () => {
    const meta = DFF_META.replaceAll('dffarc', 'chkarc').replaceAll('DFFARC', 'CHKARC');
    const zip = pyZip({ 'META.yaml': meta, 'script-sets/chkarc/main.py': MAIN.replaceAll('dffarc', 'chkarc'), 'script-sets/chkarc/util.py': UTIL });
    const r = await importZip(zip, { checkOnly: 'true' });
    expect(r.status, r.text).toBe(200);
    const data = r.data as { confirmId: string; requirements: object; diff: Record<string, unknown> };
    expect(data.confirmId).toMatch(/^import-/);
    expect(data.requirements).toEqual({});
    expect(data.diff.scriptSets).toEqual([{ id: 'chkarc', title: 'DFF archive', diffType: 'add' }]);
    expect(await setIds()).not.toContain('chkarc');
    expect((await call('chkarc__main.triple', { x: 1 })).status).toBe(404);
    confirmId = data.confirmId;
  });

  it('confirm imports it; a second confirm is refused (a confirmId is good once)', async () => {
    const r = await t.admin('POST', '/api/v1/script-sets/do/confirm-import', { confirmId });
    expect(r.status, r.text).toBe(200);
    expect(r.data).toEqual({ requirements: { requests: '2.0', arrow: null } });
    expect(((await call('chkarc__main.triple', { x: 2 })).data as { result: unknown }).result).toBe(6);
    const again = await t.admin('POST', '/api/v1/script-sets/do/confirm-import', { confirmId });
    expect(again.status).toBe(403);
    expect(again.body.reason).toBe('EBizCondition.ConfirmingImportTimeout');
  });

  it('an unknown confirmId, and one past its time, answer 403 EBizCondition.ConfirmingImportTimeout naming it', async () => {
    const unknown = await t.admin('POST', '/api/v1/script-sets/do/confirm-import', { confirmId: 'import-nope' });
    expect(unknown.status).toBe(403);
    expect(unknown.body.reason).toBe('EBizCondition.ConfirmingImportTimeout');
    expect(unknown.body.message).toContain('import-nope');
    expect(unknown.body.detail?.field).toBe('confirmId');

    const staged = await importZip(pyZip({ 'META.yaml': 'scriptSets:\n  - id: lateart\n' }), { checkOnly: '1' });
    expect(staged.status, staged.text).toBe(200);
    const id = (staged.data as { confirmId: string }).confirmId;
    // The staged archive's time runs out (the func cache's expiry, as its 900 s would).
    await t.stack.ctx.cache.command('expire', [`func:stage:importScriptSet:${id}`, 1]);
    await new Promise((r) => setTimeout(r, 1100));
    const late = await t.admin('POST', '/api/v1/script-sets/do/confirm-import', { confirmId: id });
    expect(late.status).toBe(403);
    expect(late.body.reason).toBe('EBizCondition.ConfirmingImportTimeout');
    expect(await setIds()).not.toContain('lateart');
  });

  it("checkOnly runs the import's checks: a bad env value or a function nowhere is refused then, not only at confirm", async () => {
    const badEnv = await importZip(pyZip({ 'META.yaml': 'scriptSets: []\nenvVariables:\n  - id: CHKENV_N\n    autoTypeCasting: integer\n    valueTEXT: abc\n' }), {
      checkOnly: 'true',
    });
    expect(badEnv.status, badEnv.text).toBe(400);
    expect(badEnv.body.detail?.field).toBe('envVariables.0.valueTEXT');
    const noFunc = await importZip(pyZip({ 'META.yaml': 'scriptSets: []\nsyncAPIs:\n  - id: sapi-chknone\n    funcId: chknone__main.f\n    funcCallKwargsJSON: {}\n' }), {
      checkOnly: 'true',
    });
    expect(noFunc.status, noFunc.text).toBe(400);
    expect(noFunc.body.detail?.field).toBe('syncAPIs.0.funcId');
    expect(noFunc.body.message).toContain('chknone__main.f');
  });

  it(`a server stages at most ${STAGE_MAX_PENDING} check-only imports at once: then 429 naming checkOnly, until one is confirmed`, async () => {
    const zip = pyZip({ 'META.yaml': 'scriptSets: []\n' });
    const staged: string[] = [];
    let refused: ApiResponse | undefined;
    for (let i = 0; i <= STAGE_MAX_PENDING && refused === undefined; i++) {
      const r = await importZip(zip, { checkOnly: 'true' });
      if (r.status === 200) staged.push((r.data as { confirmId: string }).confirmId);
      else refused = r;
    }
    expect(refused?.status, refused?.text).toBe(429);
    expect(refused!.body.detail?.field).toBe('checkOnly');
    expect(refused!.body.message).toContain('confirm one');
    const confirmed = await t.admin('POST', '/api/v1/script-sets/do/confirm-import', { confirmId: staged[0] });
    expect(confirmed.status, confirmed.text).toBe(200);
    const again = await importZip(zip, { checkOnly: 'true' });
    expect(again.status, again.text).toBe(200);
    staged.push((again.data as { confirmId: string }).confirmId);
    // Leave nothing staged for the tests after this one.
    for (const id of staged.slice(1)) await t.stack.ctx.cache.command('del', [`func:stage:importScriptSet:${id}`]);
  });

  it(`${2 * STAGE_MAX_PENDING} check-only imports at the same time: exactly ${STAGE_MAX_PENDING} staged, the rest 429`, async () => {
    const zip = pyZip({ 'META.yaml': 'scriptSets: []\n' });
    // The staged key written 50 ms late, as over a slow link to Redis: a reservation whose key is not
    // written yet must still count for the imports checked meanwhile.
    const cache = t.stack.ctx.cache;
    const command = cache.command.bind(cache);
    cache.command = async (name, args) => {
      if (name === 'set' && String(args[0]).startsWith('func:stage:importScriptSet:')) await new Promise((r) => setTimeout(r, 50));
      return command(name, args);
    };
    const answers = await Promise.all(Array.from({ length: 2 * STAGE_MAX_PENDING }, () => importZip(zip, { checkOnly: 'true' }))).finally(() => {
      cache.command = command;
    });
    const staged = answers.filter((r) => r.status === 200).map((r) => (r.data as { confirmId: string }).confirmId);
    expect(answers.map((r) => r.status).sort()).toEqual([...Array<number>(STAGE_MAX_PENDING).fill(200), ...Array<number>(STAGE_MAX_PENDING).fill(429)]);
    for (const id of staged) await t.stack.ctx.cache.command('del', [`func:stage:importScriptSet:${id}`]);
  });
});

/** META.yaml of an archive holding only a MySQL and an HTTP connector `<prefix>_mysql`, `<prefix>_http`. */
function connectorsArchive(prefix: string, c: { host: string; password: string; url: string; token: string }): string {
  return `scriptSets: []
connectors:
  - id: ${prefix}_mysql
    type: mysql
    configJSON: {host: ${c.host}, port: 3306, user: root, password: '${c.password}'}
  - id: ${prefix}_http
    type: http
    configJSON: {url: '${c.url}', headers: {X-Token: '${c.token}'}}
`;
}

describe('secrets in an archive', () => {
  const SECRETS = ['pw-in-archive-0001', 'cipher-in-archive-0001', 'hdr-in-archive-0001', 'env-in-archive-0001'];
  const META = `scriptSets: []
connectors:
  - id: secarc_mysql
    title: MySQL
    type: mysql
    configJSON:
      host: 127.0.0.1
      port: 3306
      user: root
      password: pw-in-archive-0001
      passwordCipher: cipher-in-archive-0001
  - id: secarc_http
    title: HTTP
    type: http
    configJSON:
      url: http://127.0.0.1:9/
      headers:
        X-Token: hdr-in-archive-0001
envVariables:
  - id: SECARC_PASSWORD
    autoTypeCasting: password
    valueTEXT: env-in-archive-0001
extra:
  note: with secrets
`;

  it('the staged check-only import and the import history hold none of the secrets an archive gives; the connectors and variable get them', async () => {
    const checked = await importZip(pyZip({ 'META.yaml': META }), { checkOnly: 'true' });
    expect(checked.status, checked.text).toBe(200);
    const confirmId = (checked.data as { confirmId: string }).confirmId;
    const staged = await t.stack.ctx.cache.command('get', [`func:stage:importScriptSet:${confirmId}`]);
    expect(typeof staged).toBe('string');
    expect(SECRETS.filter((x) => (staged as string).includes(x))).toEqual([]);

    const confirmed = await t.admin('POST', '/api/v1/script-sets/do/confirm-import', { confirmId });
    expect(confirmed.status, confirmed.text).toBe(200);
    const history = await t.admin('GET', '/api/v1/script-set-import-history/do/list?note=with%20secrets');
    expect(history.status, history.text).toBe(200);
    const rows = history.data as { summaryJSON: { connectors: { id: string; configJSON: Record<string, unknown> }[]; envVariables: Record<string, unknown>[] } }[];
    expect(rows).toHaveLength(1);
    const summary = rows[0]!.summaryJSON;
    expect(SECRETS.filter((x) => JSON.stringify(summary).includes(x))).toEqual([]);
    expect(summary.connectors.map((c) => c.id)).toEqual(['secarc_mysql', 'secarc_http']);
    expect(summary.connectors[0]!.configJSON).toMatchObject({ host: '127.0.0.1', password: '', passwordCipher: '' });
    expect(summary.connectors[1]!.configJSON).toEqual({ url: 'http://127.0.0.1:9/', headers: { 'X-Token': '' } });
    expect(summary.envVariables[0]).toMatchObject({ id: 'SECARC_PASSWORD', autoTypeCasting: 'password', valueTEXT: '' });

    const mysql = await t.stack.store.entity('connectors').get('secarc_mysql');
    expect(connectorConfigOf(mysql!, t.stack.ctx.secrets).password).toBe('pw-in-archive-0001');
    const env = await t.stack.store.entity('envVariables').get('SECARC_PASSWORD');
    expect(t.stack.ctx.secrets.decrypt(env!.valueTEXT)).toBe('env-in-archive-0001');
  });

  it('connectors round trip: the export blanks their secrets, its import keeps the stored ones, an archive giving one replaces it', async () => {
    await t.client.addScriptSet({ body: { data: { id: 'conarc' } } });
    // Arranged by an archive giving the secrets (adding a connector here would try to reach its server).
    const arranged = connectorsArchive('conarc', { host: '127.0.0.1', password: 'mysql-stored-0001', url: 'http://127.0.0.1:9/', token: 'hdr-stored-0001' });
    expect((await importZip(pyZip({ 'META.yaml': arranged }))).status).toBe(200);
    const stored = async (): Promise<[unknown, unknown]> => {
      const mysql = await t.stack.store.entity('connectors').get('conarc_mysql');
      const http = await t.stack.store.entity('connectors').get('conarc_http');
      return [connectorConfigOf(mysql!, t.stack.ctx.secrets).password, connectorConfigOf(http!, t.stack.ctx.secrets).headers];
    };

    const r = await exportZip({ scriptSetIds: ['conarc'], connectorIds: ['conarc_mysql', 'conarc_http'] });
    expect(r.status, r.text).toBe(200);
    const files = pyUnzip(r.zip);
    expect(Object.entries(files).filter(([, text]) => text.includes('mysql-stored-0001') || text.includes('hdr-stored-0001'))).toEqual([]);
    const meta = parseYaml(files['META.yaml']!) as { connectors: { id: string; configJSON: Record<string, unknown> }[] };
    expect(meta.connectors.map((c) => [c.id, c.configJSON])).toEqual([
      ['conarc_http', { url: 'http://127.0.0.1:9/', headers: { 'X-Token': '' } }],
      ['conarc_mysql', { host: '127.0.0.1', port: 3306, user: 'root', password: '' }],
    ]);

    const back = await importZip(r.zip);
    expect(back.status, back.text).toBe(200);
    expect(await stored()).toEqual(['mysql-stored-0001', { 'X-Token': 'hdr-stored-0001' }]);

    meta.connectors[0]!.configJSON.headers = { 'X-Token': 'hdr-given-0002' };
    meta.connectors[1]!.configJSON.password = 'mysql-given-0002';
    const given = await importZip(pyZip({ 'META.yaml': stringifyYaml(meta) }));
    expect(given.status, given.text).toBe(200);
    expect(await stored()).toEqual(['mysql-given-0002', { 'X-Token': 'hdr-given-0002' }]);
  });

  it('an archive pointing a stored connector at another host, port, user or URL does not keep its secrets for it', async () => {
    const arranged = connectorsArchive('movarc', { host: '127.0.0.1', password: 'mysql-stored-0003', url: 'http://127.0.0.1:9/', token: 'hdr-stored-0003' });
    expect((await importZip(pyZip({ 'META.yaml': arranged }))).status).toBe(200);
    // Exported blank, then moved: the secrets are not kept (as DataFlux Func's import, which keeps none).
    const moved = connectorsArchive('movarc', { host: '10.9.9.9', password: '', url: 'http://127.0.0.1:9/elsewhere/', token: '' });
    const r = await importZip(pyZip({ 'META.yaml': moved }));
    expect(r.status, r.text).toBe(200);
    const mysql = await t.stack.store.entity('connectors').get('movarc_mysql');
    const http = await t.stack.store.entity('connectors').get('movarc_http');
    const plainMysql = connectorConfigOf(mysql!, t.stack.ctx.secrets);
    expect(plainMysql).toMatchObject({ host: '10.9.9.9' });
    expect(plainMysql['password'] ?? '').toBe('');
    expect(connectorConfigOf(http!, t.stack.ctx.secrets).headers).toEqual({ 'X-Token': '' });
  });
});

describe('export', () => {
  const PASSWORD = 's3cr3t-archive-0001';
  beforeAll(async () => {
    await t.client.addScriptSet({ body: { data: { id: 'exparc', title: 'Export me', requirements: 'arrow' } } });
    await t.publish('exparc__main', "@DFF.API('Plus one')\ndef plus(x):\n    return x + 1\n");
    await t.client.addScript({ body: { data: { id: 'exparc__draft', codeDraft: '# a draft only\n' } } });
    await t.client.addSyncApi({ body: { data: { id: 'sapi-exparc', funcId: 'exparc__main.plus', funcCallKwargsJSON: { x: 'FROM_PARAMETER' } } } });
    await t.client.addCronJob({ body: { data: { id: 'cron-exparc', funcId: 'exparc__main.plus', funcCallKwargsJSON: { x: 1 }, cronExpr: '0 * * * *' } } });
    await t.client.addEnvVariable({ body: { data: { id: 'EXPARC_PASSWORD', autoTypeCasting: 'password', valueTEXT: PASSWORD } } });
    await t.client.addEnvVariable({ body: { data: { id: 'EXPARC_PLAIN', autoTypeCasting: 'string', valueTEXT: 'plain' } } });
  }, 60_000);

  it("answers DataFlux Func's zip: META.yaml (no code), NOTE.txt, the published code per script; secrets left out; a history row", async () => {
    const before = Date.now();
    const r = await exportZip({
      scriptSetIds: ['exparc'],
      includeSyncAPIs: true,
      includeCrontabConfigs: true,
      envVariableIds: ['EXPARC_PASSWORD', 'EXPARC_PLAIN'],
      note: 'to DFF',
    });
    expect(r.status, r.text).toBe(200);
    expect(r.headers['content-type']).toBe('application/zip');
    const name = /filename="(dataflux-func-(\d{8})_(\d{6})\.zip)"/.exec(String(r.headers['content-disposition']));
    expect(name, String(r.headers['content-disposition'])).not.toBeNull();
    // The time in the name is UTC+8, as DataFlux Func names it.
    const cn = new Date(before + 8 * 3600_000).toISOString();
    expect(name![2]).toBe(cn.slice(0, 10).replaceAll('-', ''));
    const files = pyUnzip(r.zip);
    expect(Object.entries(files).filter(([, text]) => text.includes(PASSWORD))).toEqual([]);
    expect(Object.keys(files).sort()).toEqual(['META.yaml', 'NOTE.txt', 'script-sets/exparc/draft.py', 'script-sets/exparc/main.py']);
    expect(files['NOTE.txt']).toBe('to DFF');
    expect(files['script-sets/exparc/main.py']).toContain('return x + 1');
    // Never published: DataFlux Func writes its (published) code, none.
    expect(files['script-sets/exparc/draft.py']).toBe('');
    const meta = parseYaml(files['META.yaml']!) as Record<string, unknown>;
    expect(meta.version).toBe(2);
    const extra = meta.extra as { exportUser: string; exportTime: string; note: string };
    expect(extra.note).toBe('to DFF');
    expect(extra.exportUser).toContain('admin');
    expect(Date.parse(extra.exportTime)).toBeGreaterThanOrEqual(before - 1000);
    const sets = meta.scriptSets as { id: string; requirements: string; scripts: Record<string, unknown>[] }[];
    expect(sets.map((s) => s.id)).toEqual(['exparc']);
    expect(sets[0]!.scripts.map((s) => s.id)).toEqual(['exparc__draft', 'exparc__main']);
    expect(sets[0]!.scripts.every((s) => !('code' in s) && !('codeDraft' in s))).toBe(true);
    expect((sets[0]!.scripts[1]!.funcs as { id: string }[]).map((f) => f.id)).toEqual(['exparc__main.plus']);
    expect((meta.syncAPIs as { id: string }[]).map((s) => s.id)).toEqual(['sapi-exparc']);
    expect(meta.authLinks).toEqual(meta.syncAPIs);
    expect((meta.cronJobs as { id: string; cronExpr: string }[])[0]).toMatchObject({ id: 'cron-exparc', cronExpr: '0 * * * *' });
    expect(meta.envVariables).toEqual([
      { id: 'EXPARC_PASSWORD', title: null, description: null, autoTypeCasting: 'string', valueTEXT: '' },
      { id: 'EXPARC_PLAIN', title: null, description: null, autoTypeCasting: 'string', valueTEXT: 'plain' },
    ]);
    expect(meta.asyncAPIs).toBeUndefined();

    const history = await t.admin('GET', '/api/v1/script-set-export-history/do/list?pageSize=1');
    expect(history.status, history.text).toBe(200);
    const rows = history.data as { note: string; summaryJSON: Record<string, unknown[]> }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.note).toBe('to DFF');
    expect(rows[0]!.summaryJSON.scripts!.map((s) => (s as { id: string }).id)).toEqual(['exparc__draft', 'exparc__main']);
    expect(rows[0]!.summaryJSON.funcs!.map((f) => (f as { id: string }).id)).toEqual(['exparc__main.plus']);
    expect(JSON.stringify(rows[0]!.summaryJSON)).not.toContain('return x + 1');
  });

  it('round trip: the export imported after the set is deleted answers again; the password variable keeps its stored secret', async () => {
    const r = await exportZip({ scriptSetIds: ['exparc'], includeSyncAPIs: true, envVariableIds: ['EXPARC_PASSWORD'] });
    expect(r.status, r.text).toBe(200);
    expect((await t.admin('GET', '/api/v1/script-sets/exparc/do/delete')).status).toBe(200);
    expect((await call('exparc__main.plus', { x: 1 })).status).toBe(404);
    const imported = await importZip(r.zip);
    expect(imported.status, imported.text).toBe(200);
    expect(((await call('exparc__main.plus', { x: 41 })).data as { result: unknown }).result).toBe(42);
    expect(await t.client.getEnvVariable({ params: { id: 'EXPARC_PASSWORD' } })).toMatchObject({ autoTypeCasting: 'password' });
    const value = await t.stack.store.entity('envVariables').get('EXPARC_PASSWORD');
    expect(t.stack.ctx.secrets.decrypt(value!.valueTEXT)).toBe(PASSWORD);
  });

  it('refuses a set that does not exist (404 naming it) and an empty list (400)', async () => {
    const missing = await exportZip({ scriptSetIds: ['exparc', 'nosuchset'] });
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('nosuchset');
    const none = await exportZip({ scriptSetIds: [] });
    expect(none.status).toBe(400);
    expect(none.text).toContain('scriptSetIds');
  });

  it('the history lists filter by id and note, and page', async () => {
    await exportZip({ scriptSetIds: ['exparc'], note: 'second export' });
    const all = (await t.admin('GET', '/api/v1/script-set-export-history/do/list')).data as { id: string; note: string }[];
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(all[0]!.note).toBe('second export');
    const byNote = (await t.admin('GET', '/api/v1/script-set-export-history/do/list?note=second')).data as { id: string }[];
    expect(byNote.map((r) => r.id)).toEqual([all[0]!.id]);
    const byId = (await t.admin('GET', `/api/v1/script-set-export-history/do/list?id=${all[1]!.id}`)).data as { id: string }[];
    expect(byId.map((r) => r.id)).toEqual([all[1]!.id]);
    const page2 = (await t.admin('GET', '/api/v1/script-set-export-history/do/list?pageSize=1&pageNumber=2')).data as { id: string }[];
    expect(page2.map((r) => r.id)).toEqual([all[1]!.id]);
  });
});

describe('refusals: a 4xx naming the problem, nothing imported', () => {
  const nothingImported = async (setId: string): Promise<void> => {
    expect(await setIds()).not.toContain(setId);
  };

  it('not a zip: 403 EBizCondition.InvalidImportFile', async () => {
    const r = await importZip(Buffer.from('this is not a zip archive at all, just text'));
    expect(r.status).toBe(403);
    expect(r.body.reason).toBe('EBizCondition.InvalidImportFile');
    expect(r.body.message).toContain('not a zip');
  });

  it('a zip with neither META.yaml nor scriptSets.yaml: 400', async () => {
    const r = await importZip(pyZip({ 'readme.txt': 'hello' }));
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('META.yaml');
  });

  it('META.yaml that is not a mapping, or not YAML: 400 naming the file', async () => {
    const list = await importZip(pyZip({ 'META.yaml': '- a\n- b\n' }));
    expect(list.status).toBe(400);
    expect(list.body.message).toMatch(/^META\.yaml: must be a YAML mapping/);
    const broken = await importZip(pyZip({ 'META.yaml': 'scriptSets: [\n' }));
    expect(broken.status).toBe(400);
    expect(broken.body.message).toMatch(/^META\.yaml: is not YAML/);
  });

  it('META.yaml whose alias refers to itself: 400 naming the file; aliases without a cycle are read', async () => {
    const cyclic = await importZip(pyZip({ 'META.yaml': 'scriptSets: []\nextra: &x {note: n, self: *x}\n' }));
    expect(cyclic.status, cyclic.text).toBe(400);
    expect(cyclic.body.message).toMatch(/^META\.yaml: .*cycle/);
    expect(cyclic.body.detail?.field).toBe('META.yaml');
    const aliased = await importZip(pyZip({ 'META.yaml': 'kwargs: &k {x: 1}\nscriptSets: []\nextra: &e {note: aliased, kwargs: *k}\nagain: *e\n' }), { checkOnly: 'true' });
    expect(aliased.status, aliased.text).toBe(200);
    expect((aliased.data as { note: string }).note).toBe('aliased');
  });

  it('a small upload that inflates to a lot: entries the import does not need are left unread, a script file recording more than its limit is refused unread', async () => {
    const BIG = 190 * 1024 * 1024;
    const unread = pyZipFilled({ 'META.yaml': 'scriptSets: []\nextra: {note: padded}\n' }, { 'padding.bin': ['\0', BIG] });
    expect(unread.length).toBeLessThan(1024 * 1024);
    let peak = peakRss();
    let started = Date.now();
    const r = await importZip(unread, { checkOnly: 'true' });
    expect(r.status, r.text).toBe(200);
    expect((r.data as { note: string }).note).toBe('padded');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(peakRss() - peak).toBeLessThan(64 * 1024 * 1024);
    await t.stack.ctx.cache.command('del', [`func:stage:importScriptSet:${(r.data as { confirmId: string }).confirmId}`]);

    const script = pyZipFilled(
      { 'META.yaml': 'scriptSets:\n  - id: bombarc\n    scripts:\n      - id: bombarc__main\n        type: python\n' },
      {
        'script-sets/bombarc/main.py': ['#', BIG],
      },
    );
    peak = peakRss();
    started = Date.now();
    const big = await importZip(script);
    expect(big.status, big.text).toBe(400);
    expect(big.body.message).toMatch(/^script-sets\/bombarc\/main\.py: is larger than 5000000 bytes/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(peakRss() - peak).toBeLessThan(64 * 1024 * 1024);
    await nothingImported('bombarc');
  });

  it("what the files read inflate to is bounded by the server's upload limit: 400 naming the limit", async () => {
    const scripts = [1, 2, 3, 4, 5, 6].map((n) => `      - id: sumarc__s${n}\n        type: python\n`).join('');
    const zip = pyZipFilled(
      { 'META.yaml': `scriptSets:\n  - id: sumarc\n    scripts:\n${scripts}` },
      Object.fromEntries([1, 2, 3, 4, 5, 6].map((n) => [`script-sets/sumarc/s${n}.py`, ['# padding\n', 4_500_000] as [string, number]])),
    );
    const r = await importZip(zip, { checkOnly: 'true' });
    expect(r.status, r.text).toBe(400);
    expect(r.body.detail?.field).toBe('files.0');
    expect(r.body.message).toContain(`more than ${UPLOAD_LIMIT_MB * 1024 * 1024} bytes in all`);
    await nothingImported('sumarc');
  });

  it('a set id or script id that breaks the id rules: 400 naming the path', async () => {
    const badSet = await importZip(pyZip({ 'META.yaml': 'scriptSets:\n  - id: bad-set\n' }));
    expect(badSet.status).toBe(400);
    expect(badSet.body.detail?.field).toBe('scriptSets.0.id');
    const badScript = await importZip(pyZip({ 'META.yaml': 'scriptSets:\n  - id: refarc\n    scripts:\n      - id: other__main\n        type: python\n' }));
    expect(badScript.status).toBe(400);
    expect(badScript.body.detail?.field).toBe('scriptSets.0.scripts.0.id');
    expect(badScript.body.message).toContain('must start with "refarc__"');
    await nothingImported('refarc');
  });

  it('an oversize script file: 400 naming it', async () => {
    const big = `# ${'x'.repeat(5_000_001)}\n`;
    const r = await importZip(
      pyZip({ 'META.yaml': 'scriptSets:\n  - id: bigarc\n    scripts:\n      - id: bigarc__main\n        type: python\n', 'script-sets/bigarc/main.py': big }),
    );
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('script-sets/bigarc/main.py');
    await nothingImported('bigarc');
  });

  it('an entity row the rules refuse (bad env value) is refused before anything is written', async () => {
    const meta = 'scriptSets:\n  - id: envarc\nenvVariables:\n  - id: ENVARC_N\n    autoTypeCasting: integer\n    valueTEXT: abc\n';
    const r = await importZip(pyZip({ 'META.yaml': meta }));
    expect(r.status).toBe(400);
    expect(r.body.detail?.field).toBe('envVariables.0.valueTEXT');
    await nothingImported('envarc');
  });

  it('a script that does not publish: 400 naming it; an existing set is left as it was', async () => {
    const before = await t.client.listScripts({ query: { scriptSetId: 'dffarc' } });
    const points = ((await t.admin('GET', '/api/v1/script-recover-points/do/list')).data as unknown[]).length;
    const imports = ((await t.admin('GET', '/api/v1/script-set-import-history/do/list')).data as unknown[]).length;
    const r = await importZip(dffArchive(DFF_META.replace('title: DFF archive', 'title: Changed'), { 'dataflux-func-20240501_160000/script-sets/dffarc/util.py': 'RATE = (\n' }));
    expect(r.status, r.text).toBe(400);
    expect(r.body.reason).toBe('EScriptPublishFailed');
    expect(r.body.message).toContain('dffarc__util');
    expect((await t.client.getScriptSet({ params: { id: 'dffarc' } })).title).toBe('DFF archive');
    const after = await t.client.listScripts({ query: { scriptSetId: 'dffarc' } });
    expect(after.map((s) => [s.id, s.codeMD5, s.codeDraftMD5])).toEqual(before.map((s) => [s.id, s.codeMD5, s.codeDraftMD5]));
    expect(((await call('dffarc__main.triple', { x: 2 })).data as { result: unknown }).result).toBe(6);
    expect(((await t.admin('GET', '/api/v1/script-recover-points/do/list')).data as unknown[]).length).toBe(points);
    expect(((await t.admin('GET', '/api/v1/script-set-import-history/do/list')).data as unknown[]).length).toBe(imports);
  });

  it('an API naming a function the imported script does not define: 400, the new set and its scripts written back away', async () => {
    const meta =
      'scriptSets:\n  - id: apiarc\n    scripts:\n      - id: apiarc__main\n        type: python\nsyncAPIs:\n  - id: sapi-apiarc\n    funcId: apiarc__main.missing\n    funcCallKwargsJSON: {}\n';
    const r = await importZip(pyZip({ 'META.yaml': meta, 'script-sets/apiarc/main.py': "@DFF.API('F')\ndef f():\n    return 1\n" }));
    expect(r.status, r.text).toBe(400);
    expect(r.body.detail?.field).toBe('syncAPIs.0.funcId');
    await nothingImported('apiarc');
    expect((await t.client.listScripts({ query: { scriptSetId: 'apiarc' } })).length).toBe(0);
    expect((await call('apiarc__main.f', {})).status).toBe(404);
    expect((await t.client.listSyncApis({ query: { id: 'sapi-apiarc' } })).length).toBe(0);
  });

  it('refused after its scripts are published: everything written back without running them, the refusal answered as it was', async () => {
    const LIB = "def helper():\n    return 'old helper'\n\n@DFF.API('Lib')\ndef lib():\n    return 1\n";
    const APP = "from undoarc__lib import helper\n\n@DFF.API('App')\ndef app():\n    return helper()\n";
    // app is written first, so the set's scripts are read (and were written back) app first.
    await t.client.addScriptSet({ body: { data: { id: 'undoarc' } } });
    await t.client.addScript({ body: { data: { id: 'undoarc__app', codeDraft: APP } } });
    await t.publish('undoarc__lib', LIB);
    await t.publish('undoarc__app', APP);
    expect((await t.stack.store.entity('scripts').list({ scriptSetId: 'undoarc' })).map((s) => s.id)).toEqual(['undoarc__app', 'undoarc__lib']);
    const snapshot = async (): Promise<unknown> => ({
      scripts: (await t.stack.store.entity('scripts').list({ scriptSetId: 'undoarc' })).map((s) => [s.id, s.code, s.codeMD5, s.codeDraft, s.title]).sort(),
      funcs: (await t.stack.store.entity('funcs').list({ scriptSetId: 'undoarc' })).map((f) => [f.id, f.definition, f.title]).sort(),
    });
    const before = await snapshot();
    const points = ((await t.admin('GET', '/api/v1/script-recover-points/do/list')).data as unknown[]).length;
    // The new lib drops helper, which the old app imports; the archive lists app first; its API names a function nowhere.
    const meta =
      'scriptSets:\n  - id: undoarc\n    scripts:\n      - id: undoarc__app\n        type: python\n      - id: undoarc__lib\n        type: python\n' +
      'syncAPIs:\n  - id: sapi-undoarc\n    funcId: undoarc__lib.missing\n    funcCallKwargsJSON: {}\n';
    const r = await importZip(
      pyZip({
        'META.yaml': meta,
        'script-sets/undoarc/app.py': "@DFF.API('App')\ndef app():\n    return 'new app'\n",
        'script-sets/undoarc/lib.py': "@DFF.API('Lib')\ndef lib():\n    return 2\n",
      }),
    );
    expect(r.status, r.text).toBe(400);
    expect(r.body.detail?.field).toBe('syncAPIs.0.funcId');
    expect(r.body.message).not.toContain('writing back');
    expect(await snapshot()).toEqual(before);
    const called = await call('undoarc__app.app', {});
    expect(called.status, called.text).toBe(200);
    expect((called.data as { result: unknown }).result).toBe('old helper');
    expect(((await call('undoarc__lib.lib', {})).data as { result: unknown }).result).toBe(1);
    expect((await t.client.listSyncApis({ query: { id: 'sapi-undoarc' } })).length).toBe(0);
    expect(((await t.admin('GET', '/api/v1/script-recover-points/do/list')).data as unknown[]).length).toBe(points);
  });

  it('a checkOnly value that is not a flag: 400 naming it', async () => {
    const r = await importZip(pyZip({ 'META.yaml': 'scriptSets: []\n' }), { checkOnly: 'maybe' });
    expect(r.status).toBe(400);
    expect(r.body.detail?.field).toBe('body.checkOnly');
  });
});

describe('permissions (general_w for export, import and confirm; general_r for the history)', () => {
  let viewer = '';
  beforeAll(async () => {
    await t.client.addUser({ body: { data: { username: 'arcviewer', password: 'viewer-password-1', name: 'Viewer', roles: ['readonlyUser'] } } });
    viewer = (await t.client.signIn({ body: { signIn: { username: 'arcviewer', password: 'viewer-password-1' } } })).xAuthToken;
  });

  it('a read-only user is refused export, import and confirm, and may list the history', async () => {
    const ex = await exportZip({ scriptSetIds: ['dffarc'] }, viewer);
    expect(ex.status).toBe(403);
    expect(ex.text).toContain('EUserPrivilege');
    const im = await importZip(dffArchive(), {}, viewer);
    expect(im.status).toBe(403);
    const confirm = await t.api('POST', '/api/v1/script-sets/do/confirm-import', { confirmId: 'import-x' }, { 'x-dff-auth-token': viewer });
    expect(confirm.status).toBe(403);
    expect(confirm.body.reason).toBe('EUserPrivilege');
    expect((await t.api('GET', '/api/v1/script-set-import-history/do/list', undefined, { 'x-dff-auth-token': viewer })).status).toBe(200);
    expect((await t.api('GET', '/api/v1/script-set-export-history/do/list', undefined, { 'x-dff-auth-token': viewer })).status).toBe(200);
  });

  it('without a sign-in: 401', async () => {
    expect((await exportZip({ scriptSetIds: ['dffarc'] }, '')).status).toBe(401);
  });
});
