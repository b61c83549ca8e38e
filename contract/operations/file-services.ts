/** File services (DataFlux Func's `file-services`): a folder of the resources folder, served at `/api/v1/fs/:id/`. */
import { z } from 'zod';
import { crudOperations, optionalId } from './crud.js';
import { LIST_FILTERS } from './entities.js';

export const fileServiceView = z.object({ id: z.string(), root: z.string(), isDisabled: z.boolean(), note: z.string().nullable(), createTime: z.number(), updateTime: z.number() });

/** Folder-relative (a leading / is the resources folder's top); `..` is refused by the rules. */
const root = z.string().min(1).max(4096);
const note = z.string().max(5000).nullable().optional();

export const fileServices = crudOperations({
  segment: 'file-services',
  name: 'FileService',
  filters: LIST_FILTERS.fileServices,
  read: 'general_r',
  write: 'general_w',
  output: fileServiceView,
  add: z.object({ id: optionalId, root, isDisabled: z.boolean().optional(), note }).loose(),
  modify: z.object({ root: root.optional(), isDisabled: z.boolean().optional(), note }).loose(),
});
