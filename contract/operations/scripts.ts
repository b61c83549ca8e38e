/** Script-specific operations: draft save with conflict detection, publish, history. */
import { z } from 'zod';
import { defineOperation } from '../operation.js';
import { empty, idParams } from '../common.js';
import { row } from './crud.js';

export const publishScript = defineOperation({
  id: 'publishScript', methods: ['POST'], paths: ['/api/v1/scripts/:id/do/publish'], auth: 'signedIn', permission: 'general_w',
  summary: 'Publish the draft: runs it to discover @DFF.API functions; a syntax or import error refuses with the line',
  params: idParams, query: empty,
  body: z.object({ data: z.object({ note: z.string().max(5000).nullable().optional() }).loose().optional() }).loose().optional(),
  output: z.object({ id: z.string(), publishVersion: z.number(), apiFuncs: z.array(row) }),
});

export const listPublishHistory = defineOperation({
  id: 'listPublishHistory', methods: ['GET'], paths: ['/api/v1/script-publish-histories/do/list'], auth: 'signedIn', permission: 'general_r',
  summary: "A script's published versions, newest first", params: empty,
  query: z.object({ scriptId: z.string().min(1) }).loose(), body: empty.optional(), output: z.array(row),
});
