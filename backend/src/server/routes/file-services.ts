/** `GET /api/v1/fs/:id/*`: a file service's files (sandboxed, with their content type) and folder listings. */
import { ApiError } from '../../../../contract/errors.js';
import { contentTypeOf } from '../../domain/resources/content-types.js';
import type { ResourceEntry } from '../../domain/resources/resource-folder.js';
import type { Handlers } from '../handler.js';
import { confineFunctionResponse } from '../send-outcome.js';
import { requireRow } from './lookups.js';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function listing(id: string, rel: string, entries: readonly ResourceEntry[]): string {
  const rows = entries.map((e) => {
    const name = e.type === 'folder' ? `${e.name}/` : e.name;
    const size = e.size === null ? '' : String(e.size);
    return `<tr><td><a href="${escapeHtml(encodeURIComponent(e.name) + (e.type === 'folder' ? '/' : ''))}">${escapeHtml(name)}</a></td><td>${size}</td><td>${new Date(e.updateTime).toISOString()}</td></tr>`;
  });
  if (rel !== '/') rows.unshift('<tr><td><a href="../">../</a></td><td></td><td></td></tr>');
  const title = escapeHtml(`${id}: ${rel}`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><table><tr><th>Name</th><th>Size</th><th>Updated</th></tr>${rows.join('')}</table></body></html>`;
}

export const fileServiceHandlers: Pick<Handlers, 'serveFileService'> = {
  serveFileService: async ({ params }, { ctx, req, reply }) => {
    const service = await requireRow(ctx, 'fileServices', params.id);
    if (service.isDisabled) throw new ApiError('EBizCondition', 'This File Service is disabled', { field: 'id', id: params.id });
    const rel = '/' + (params['*'] ?? '');
    // The service's root, then the path inside it: neither may leave the resources folder, nor the path the root.
    const rootAbs = await ctx.resources.resolve(service.root, 'root');
    const path = `${service.root.replace(/\/+$/, '')}/${rel}`;
    const abs = await ctx.resources.resolve(path, 'url');
    if (abs !== rootAbs && !abs.startsWith(rootAbs.endsWith('/') ? rootAbs : `${rootAbs}/`))
      throw new ApiError('EBizCondition', 'url: leads out of the file service', { field: 'url' });
    const info = await ctx.resources.info(path, 'url');
    if (!info) throw new ApiError('EClientNotFound', `url: no such file or folder: ${rel}`, { field: 'url' });
    confineFunctionResponse(reply);
    if ((info.mode & 0o170000) === 0o040000) {
      // Relative links need the folder's URL to end with / (the router ignores a trailing slash: the raw URL tells).
      const urlPath = req.url.split('?')[0] ?? '';
      if (!urlPath.endsWith('/')) {
        await reply.redirect(`${urlPath.split('/').pop() ?? ''}/`, 302);
        return null;
      }
      await reply.type('text/html; charset=utf-8').send(listing(params.id, rel, await ctx.resources.list(path, 'url')));
      return null;
    }
    const file = await ctx.resources.openFile(path, 'url');
    await reply.type(contentTypeOf(file.name)).header('Content-Length', file.size).send(file.stream);
    return null;
  },
};
