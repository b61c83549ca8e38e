/**
 * Desktop feature detection: the Electron preload exposes `window.funcDesktop`; in a browser it
 * is absent. Declared structurally here (the renderer imports nothing from electron/).
 */

/** A connection profile as the desktop app hands it out: never a secret, only `hasSecret`. */
export type DesktopProfile =
  | { kind: 'local'; id: string; name: string; active: boolean }
  | { kind: 'remote'; id: string; name: string; url: string; accessKeyId: string; hasSecret: boolean; active: boolean }
  | { kind: 'docker'; id: string; name: string; endpoint: string; hasSecret: boolean; active: boolean };

export interface RemoteProfileInput {
  kind: 'remote';
  id: string;
  name: string;
  url: string;
  accessKeyId: string;
  /** Sent once, when the profile is saved; main encrypts it and never hands it back. */
  accessKeySecret: string;
}

export interface FuncDesktop {
  version: number;
  /** One function per operation answering the IPC envelope; `profileId` picks the stack (main signs remote calls). */
  ops?: Record<string, (input?: unknown, profileId?: string) => Promise<unknown>>;
  desktop: {
    listProfiles(): Promise<unknown>;
    saveProfile?(profile: RemoteProfileInput): Promise<unknown>;
    removeProfile?(id: string): Promise<unknown>;
    activateProfile?(id: string): Promise<unknown>;
    saveFile(defaultName: string, content: string): Promise<unknown>;
    openFile(): Promise<unknown>;
    openLogsFolder(): Promise<unknown>;
  };
}

export function funcDesktop(): FuncDesktop | undefined {
  const candidate = (window as unknown as { funcDesktop?: FuncDesktop }).funcDesktop;
  return candidate && typeof candidate === 'object' && candidate.version === 1 ? candidate : undefined;
}

export type ProfilesDesktop = FuncDesktop & {
  ops: NonNullable<FuncDesktop['ops']>;
  desktop: Required<FuncDesktop['desktop']>;
};

/** The desktop surface with the operation bridge and profile functions: then profiles and calls go through main. */
export function profilesDesktop(): ProfilesDesktop | undefined {
  const d = funcDesktop();
  if (!d || typeof d.ops !== 'object' || d.ops === null) return undefined;
  const s = d.desktop;
  const complete = typeof s.saveProfile === 'function' && typeof s.removeProfile === 'function' && typeof s.activateProfile === 'function';
  return complete ? (d as ProfilesDesktop) : undefined;
}
