/** The DFF runtime's members, for completions and hover docs in the editor. */
export interface DffMember {
  name: string;
  signature: string;
  doc: string;
  snippet?: string;
}

export const DFF_MEMBERS: DffMember[] = [
  {
    name: 'API',
    signature: "@DFF.API(title, category='general', tags=None, timeout=None, api_timeout=None, expires=None, cache_result=None, queue=None, fixed_cron_expr=None, is_hidden=False)",
    doc: 'Exports the function: publishing makes it callable as `<script>.<name>` from sync/async APIs, cron jobs and direct calls.',
    snippet: "API('${1:Title}')",
  },
  { name: 'ENV', signature: 'DFF.ENV(name)', doc: 'The value of an env variable, cast by its type (password values decrypted).', snippet: "ENV('${1:NAME}')" },
  { name: 'CACHE', signature: 'DFF.CACHE.get/set/delete/incr/hget/hset/lpush/…', doc: 'A Redis-like cache shared by all functions, scoped to the script by default.' },
  { name: 'STORE', signature: 'DFF.STORE.get/set/delete/keys', doc: 'Persistent key-value store, scoped to the script by default.' },
  { name: 'CTX', signature: 'DFF.CTX', doc: 'A dict living for one task.' },
  { name: 'VAR', signature: 'DFF.VAR', doc: 'Variables of the call (origin, trigger time, …), read-only.' },
  { name: 'LOG', signature: 'DFF.LOG(msg)', doc: 'Writes a line to the task log (like print).', snippet: 'LOG(${1:msg})' },
  {
    name: 'FUNC',
    signature: 'DFF.FUNC(func_id, kwargs=None, queue=None, timeout=None, expires=None)',
    doc: 'Calls another published function asynchronously.',
    snippet: "FUNC('${1:set__script.func}', kwargs=${2:{}})",
  },
  {
    name: 'BLUEPRINT',
    signature: 'DFF.BLUEPRINT(blueprint_id, kwargs=None, queue=None)',
    doc: "Calls a deployed blueprint's function (_bp_<id>__main.run) asynchronously; answers the task id.",
    snippet: "BLUEPRINT('${1:blueprint_id}', kwargs=${2:{}})",
  },
  {
    name: 'RESP',
    signature: 'DFF.RESP(data=None, status_code=200, content_type=None, headers=None, allow_304=False, download_file=False)',
    doc: 'A custom HTTP response for sync APIs.',
    snippet: 'RESP(${1:data})',
  },
  { name: 'RESP_FILE', signature: 'DFF.RESP_FILE(file_path, status_code=200, headers=None, allow_304=False, auto_delete=False, download_file=True)', doc: 'Answers a file.' },
  { name: 'REDIRECT', signature: 'DFF.REDIRECT(url)', doc: 'Answers a redirect.' },
  {
    name: 'SQL',
    signature: 'DFF.SQL(sql, sql_params=None, pretty=False)',
    doc: 'Formats SQL with safely quoted values from the list sql_params (`?` placeholders, `??` identifiers); pretty puts list and dict items on their own lines.',
  },
  { name: 'SIGN', signature: 'DFF.SIGN.md5/sha1/sha256/sha512/hmac_sha1/hmac_sha256/uuid4', doc: 'Hash and signature helpers.' },
];
