/** The resources folder (list, get, download, upload, operate) and extra Python packages. */
import { ApiError, badField } from '../../../../contract/errors.js';
import { InstallRunningError, PipMissingError } from '../../domain/ports/python-packages.js';
import { contentTypeOf } from '../../domain/resources/content-types.js';
import { operateResource } from '../../domain/resources/resource-operations.js';
import type { Handlers } from '../handler.js';
import { attachment } from '../content-disposition.js';
import { confineFunctionResponse } from '../send-outcome.js';

export const resourceHandlers: Pick<
  Handlers,
  | 'listResources'
  | 'getResource'
  | 'downloadResource'
  | 'uploadResource'
  | 'operateResource'
  | 'listInstalledPythonPackages'
  | 'getPythonPackageInstallStatus'
  | 'clearPythonPackageInstallStatus'
  | 'installPythonPackages'
> = {
  listResources: ({ query }, { ctx }) => ctx.resources.list(query.folder ?? '/', 'query.folder', query.type),
  getResource: ({ query }, { ctx }) => ctx.resources.info(query.filePath, 'query.filePath'),
  downloadResource: async ({ query }, { ctx, reply }) => {
    const file = await ctx.resources.openFile(query.filePath, 'query.filePath');
    // Content uploaded by users, on the console's origin: sandboxed and never sniffed, as functions' answers.
    confineFunctionResponse(reply);
    reply.header('Content-Length', file.size);
    if (query.preview === true) reply.type(contentTypeOf(file.name));
    else reply.type('application/octet-stream').header('Content-Disposition', attachment(file.name));
    await reply.send(file.stream);
    return null;
  },
  uploadResource: async ({ body }, { ctx }) => {
    const file = body.files[0]!;
    const name = body.rename ?? file.filename;
    if (name === '') throw badField('body.rename', 'the file part has no file name: give one');
    await ctx.resources.upload(body.folder ?? '/', name, file.data, { folder: 'body.folder', name: body.rename !== undefined ? 'body.rename' : 'body.files.0.filename' });
    return null;
  },
  operateResource: async ({ body }, { ctx }) => {
    await operateResource(ctx.resources, body);
    return null;
  },
  listInstalledPythonPackages: (_input, { ctx }) => ctx.pythonPackages.listInstalled(),
  getPythonPackageInstallStatus: (_input, { ctx }) => ctx.pythonPackages.status(ctx.now()),
  clearPythonPackageInstallStatus: (_input, { ctx }) => {
    if (!ctx.pythonPackages.clearStatus()) throw new ApiError('EBizRequestConflict', 'A Python package install is running: its status is cleared once it ends');
    return null;
  },
  installPythonPackages: async ({ body }, { ctx }) => {
    // .whl files and the wheels folder are in the resources folder (never elsewhere on the server).
    const packages: string[] = [];
    for (const [i, p] of body.packages.entries()) packages.push(p.endsWith('.whl') ? await wheelPath(ctx.resources, p, `body.packages.${i}`) : p);
    const findLinks = body.findLinks ? await ctx.resources.resolve(body.findLinks, 'body.findLinks') : undefined;
    try {
      await ctx.pythonPackages.install({ packages, indexUrl: body.pipIndexURL ?? undefined, findLinks, upgrade: body.upgrade === true });
    } catch (err) {
      if (err instanceof InstallRunningError) throw new ApiError('EBizRequestConflict', 'Previous Python package installing is not finished');
      if (err instanceof PipMissingError) throw new ApiError('EBizCondition', err.message, { field: 'FUNC_PYTHON' });
      throw err;
    }
    return null;
  },
};

async function wheelPath(
  resources: { resolve: (p: string, f: string) => Promise<string>; info: (p: string, f: string) => Promise<unknown> },
  path: string,
  field: string,
): Promise<string> {
  const abs = await resources.resolve(path, field);
  if ((await resources.info(path, field)) === null) throw new ApiError('EClientNotFound', `${field}: no such wheel in the resources folder: ${path}`, { field });
  return abs;
}
