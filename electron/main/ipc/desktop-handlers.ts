/** The desktop-only surface: profiles, file save/open for script-set export/import, the logs folder. */
import { z } from 'zod';
import { ApiError, issueProblem, safeParseReporting } from '../../../contract/errors.js';
import { DESKTOP_CHANNELS, type DesktopChannel } from '../../common/channels.js';
import { profileId, profileInput } from '../profiles/profile-schema.js';
import type { ProfileStore } from '../profiles/profile-store.js';

const MAX_FILE_BYTES = 20 * 1024 * 1024;
const saveFileInput = z.strictObject({ defaultName: z.string().regex(/^[\w.-]{1,100}$/), content: z.string().max(MAX_FILE_BYTES) });

/** Electron's dialog, shell and fs, reduced to what the handlers need and passed in. */
export interface DesktopHost {
  showSaveDialog(defaultName: string): Promise<string | undefined>;
  showOpenDialog(): Promise<string | undefined>;
  readFile(path: string): Promise<{ size: number; text: () => Promise<string> }>;
  writeFile(path: string, content: string): Promise<void>;
  openLogsFolder(): Promise<void>;
  /** The profiles changed (CSP connect-src, window target). */
  profilesChanged(): void;
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = safeParseReporting(schema, value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = (issue?.path ?? []).map(String).join('.') || 'input';
  throw new ApiError('EClientBadRequest', `${field}: ${issueProblem(issue)}`, { field });
}

export function desktopHandlers(profiles: ProfileStore, host: DesktopHost): Record<DesktopChannel, (input: unknown) => Promise<unknown>> {
  return {
    [DESKTOP_CHANNELS.listProfiles]: () => Promise.resolve(profiles.list()),
    [DESKTOP_CHANNELS.saveProfile]: (input) => {
      const saved = profiles.save(parse(profileInput, input));
      host.profilesChanged();
      return Promise.resolve(saved);
    },
    [DESKTOP_CHANNELS.removeProfile]: (input) => {
      profiles.remove(parse(profileId, input).id);
      host.profilesChanged();
      return Promise.resolve(null);
    },
    [DESKTOP_CHANNELS.activateProfile]: (input) => {
      const p = profiles.activate(parse(profileId, input).id);
      host.profilesChanged();
      return Promise.resolve(p);
    },
    [DESKTOP_CHANNELS.saveFile]: async (input) => {
      const { defaultName, content } = parse(saveFileInput, input);
      const path = await host.showSaveDialog(defaultName);
      if (path === undefined) return { saved: false };
      await host.writeFile(path, content);
      return { saved: true };
    },
    [DESKTOP_CHANNELS.openFile]: async () => {
      const path = await host.showOpenDialog();
      if (path === undefined) return null;
      const file = await host.readFile(path);
      if (file.size > MAX_FILE_BYTES) throw new ApiError('EClientPayloadTooLarge', `the file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
      // The renderer gets the name and content, never the path.
      return { name: path.split(/[\\/]/).pop() ?? 'file', content: await file.text() };
    },
    [DESKTOP_CHANNELS.openLogsFolder]: async () => {
      await host.openLogsFolder();
      return null;
    },
  };
}
