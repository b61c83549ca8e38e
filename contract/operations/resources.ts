/**
 * The resources folder (`FUNC_HOME/resources` by default), the file services that serve parts of
 * it, and extra Python packages: DataFlux Func's routes, methods and fields.
 */
import { z } from 'zod';
import { defineOperation, operation } from '../operation.js';
import { ENTITY_ID, queryBool } from '../common.js';

/** A path inside the resources folder (`/` between folders; a leading `/` is the folder's top). */
const resourcePath = z.string().max(4096);

export const resourceEntry = z.object({
  name: z.string(),
  type: z.enum(['folder', 'file']),
  size: z.number().nullable(),
  createTime: z.number().nullable(),
  updateTime: z.number(),
});

/** A file's info as DataFlux Func answers it (Node's fs.Stats), null when nothing is there. */
export const resourceStat = z
  .object({
    dev: z.number(),
    mode: z.number(),
    nlink: z.number(),
    uid: z.number(),
    gid: z.number(),
    rdev: z.number(),
    blksize: z.number(),
    ino: z.number(),
    size: z.number(),
    blocks: z.number(),
    atimeMs: z.number(),
    mtimeMs: z.number(),
    ctimeMs: z.number(),
    birthtimeMs: z.number(),
    atime: z.string(),
    mtime: z.string(),
    ctime: z.string(),
    birthtime: z.string(),
  })
  .nullable();

const typeFilter = z
  .string()
  .transform((v) => v.split(',').filter((t) => t !== ''))
  .pipe(z.array(z.enum(['folder', 'file'])));

export const listResources = operation('listResources', 'GET /api/v1/resources/do/list', 'general_r', {
  summary: 'Folders and files of a folder of the resources folder (`folder`, default the top; `type=folder,file` filters)',
  query: z.object({ folder: resourcePath.optional(), type: typeFilter.optional() }).loose(),
  output: z.array(resourceEntry),
});

export const getResource = operation('getResource', 'GET /api/v1/resources/do/get', 'general_r', {
  summary: "A file's or folder's info (size, times, mode), null when nothing is at `filePath`",
  query: z.object({ filePath: resourcePath }).loose(),
  output: resourceStat,
});

export const downloadResource = operation('downloadResource', 'GET /api/v1/resources/do/download', 'general_r', {
  summary: 'A file of the resources folder: as a download, or with `preview=true` inline with its content type (sandboxed, never sniffed)',
  raw: true,
  query: z.object({ filePath: resourcePath, preview: queryBool.optional() }).loose(),
  output: z.unknown(),
});

/** One file part of a multipart/form-data body (server/multipart.ts). */
export const uploadedFile = z.object({
  fieldName: z.string(),
  filename: z.string(),
  contentType: z.string(),
  data: z.instanceof(Uint8Array),
});

export const uploadResource = operation('uploadResource', 'POST /api/v1/resources/do/upload', 'general_w', {
  summary: 'Uploads a file (multipart/form-data, one file part, up to FUNC_UPLOAD_LIMIT_MB) into `folder` (default the top), as `rename` when given; replaces a file of that name',
  body: z
    .object({
      folder: resourcePath.optional(),
      rename: z.string().min(1).max(255).optional(),
      files: z.array(uploadedFile).min(1, 'one file part is required (multipart/form-data)').max(1, 'one file per upload'),
    })
    .loose(),
  output: z.null(),
});

export const RESOURCE_OPERATIONS = ['mkdir', 'zip', 'tar', '7z', 'unarchive', 'cp', 'mv', 'rm'] as const;

export const operateResource = operation('operateResource', 'POST /api/v1/resources/do/operate', 'general_w', {
  summary:
    'mkdir, cp and mv (`operationArgument`: the new path, from the top when it starts with /, else beside the target), rm, zip (`<target>.zip` beside it) and unarchive (a .zip into a folder of its name); tar and 7z are refused',
  body: z.object({ targetPath: resourcePath.min(1), operation: z.enum(RESOURCE_OPERATIONS), operationArgument: resourcePath.nullable().optional() }).loose(),
  output: z.null(),
});

export const serveFileService = defineOperation('serveFileService', {
  paths: ['/api/v1/fs/:id/*', '/api/v1/fs/:id'],
  auth: 'none',
  summary: "A file service's file (with its content type, sandboxed) or folder listing (HTML); refused when the service is disabled",
  raw: true,
  params: z.object({ id: z.string().regex(ENTITY_ID, 'invalid id'), '*': z.string().max(4096).optional() }),
  output: z.unknown(),
});

export const installedPythonPackage = z.object({ name: z.string(), builtinVersion: z.string().optional(), userInstalledVersion: z.string().optional() });
export const pythonPackageInstallStatus = z.object({
  order: z.number(),
  package: z.string(),
  status: z.enum(['waiting', 'installing', 'success', 'failure']),
  startTimeMs: z.number().nullable(),
  endTimeMs: z.number().nullable(),
  error: z.string().nullable(),
  nowMs: z.number().optional(),
});

export const listInstalledPythonPackages = operation('listInstalledPythonPackages', 'GET /api/v1/python-packages/installed/do/list', 'general_r', {
  summary: "Python packages: each one's version in the runners' interpreter (builtinVersion) and in the extra packages folder (userInstalledVersion)",
  output: z.array(installedPythonPackage),
});

export const getPythonPackageInstallStatus = operation('getPythonPackageInstallStatus', 'GET /api/v1/python-packages/install-status/do/get', 'general_r', {
  summary: 'The progress of the last install: each package waiting, installing, success or failure (with pip’s output)',
  output: z.array(pythonPackageInstallStatus),
});

export const clearPythonPackageInstallStatus = operation('clearPythonPackageInstallStatus', 'GET|POST /api/v1/python-packages/install-status/do/clear', 'general_w', {
  summary: 'Forgets the status of the last install (refused while it runs)',
  output: z.null(),
});

/** A requirement (`name`, `name==1.0`, `name[extra]>=1,<2`) or a `.whl` file of the resources folder; never an option. */
const PACKAGE_TOKEN =
  /^(?:[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[A-Za-z0-9._,-]+\])?(?:(?:===|==|!=|~=|>=|<=|>|<)[A-Za-z0-9.*+!_-]+)?(?:,(?:===|==|!=|~=|>=|<=|>|<)?[A-Za-z0-9.*+!_-]+)*|\/?[A-Za-z0-9._/+-]+\.whl)$/;

export const installPythonPackages = operation('installPythonPackages', 'POST /api/v1/python-packages/do/install', 'general_w', {
  summary:
    'Installs packages (space-separated requirements, or .whl files of the resources folder) with pip into the extra packages folder, one after the other in the background: progress through install-status. `pipIndexURL` (default FUNC_PIP_INDEX_URL), `findLinks`: a folder of wheels in the resources folder (default FUNC_PIP_FIND_LINKS; without an index URL pip then uses no index)',
  body: z
    .object({
      pipIndexURL: z
        .string()
        .regex(/^https?:\/\/\S+$/, 'must be an http(s) URL')
        .max(2048)
        .nullable()
        .optional(),
      packages: z
        .string()
        .max(10_000)
        .transform((v) =>
          v
            .trim()
            .split(/\s+/)
            .filter((p) => p !== ''),
        )
        .pipe(
          z
            .array(z.string().max(512).regex(PACKAGE_TOKEN, 'each package must be a requirement like name, name==1.0 or name[extra]>=1, or a .whl file of the resources folder'))
            .min(1, 'name at least one package')
            .max(100),
        ),
      upgrade: z.boolean().optional(),
      findLinks: resourcePath.min(1).nullable().optional(),
    })
    .loose(),
  output: z.null(),
});
