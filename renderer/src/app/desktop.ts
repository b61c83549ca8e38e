/**
 * Desktop feature detection: the Electron preload exposes `window.funcDesktop`; in a browser it
 * is absent. Declared structurally here (the renderer imports nothing from electron/).
 */
export interface FuncDesktop {
  version: number;
  desktop: {
    listProfiles(): Promise<unknown>;
    saveFile(defaultName: string, content: string): Promise<unknown>;
    openFile(): Promise<unknown>;
    openLogsFolder(): Promise<unknown>;
  };
}

export function funcDesktop(): FuncDesktop | undefined {
  const candidate = (window as unknown as { funcDesktop?: FuncDesktop }).funcDesktop;
  return candidate && typeof candidate === 'object' && candidate.version === 1 ? candidate : undefined;
}
