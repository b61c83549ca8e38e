/** What the supervisor needs of a stack process: a fork, or Electron's utilityProcess, adapted. */
export type StopSignal = 'SIGTERM' | 'SIGKILL';

export interface StackChild {
  readonly pid: number | undefined;
  kill(signal: StopSignal): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null) => void): void;
}

export type SpawnStack = (env: Record<string, string>) => StackChild;
