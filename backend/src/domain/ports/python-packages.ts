/** Port: extra Python packages for the functions, installed with pip into a folder on the runners' `sys.path`. */

/** One installed distribution: its version in the interpreter itself and in the extra folder (DataFlux Func's fields). */
export interface InstalledPackage {
  name: string;
  builtinVersion?: string;
  userInstalledVersion?: string;
}

export type PackageInstallState = 'waiting' | 'installing' | 'success' | 'failure';

/** The progress of one requested package (DataFlux Func's install status). */
export interface PackageInstallStatus {
  order: number;
  package: string;
  status: PackageInstallState;
  startTimeMs: number | null;
  endTimeMs: number | null;
  /** pip's output (its tail) when it failed. */
  error: string | null;
  /** The server's clock when the status was read (a console shows elapsed times by it). */
  nowMs?: number;
}

export interface PackageInstallRequest {
  /** Requirement specifiers (`name`, `name==1.0`, `name[extra]>=2`) or absolute paths of `.whl` files. */
  packages: readonly string[];
  /** pip's index (`-i`); undefined: the configured one, else pip's default. */
  indexUrl?: string | undefined;
  /** Absolute folder of wheels (`--find-links`); undefined: the configured one. */
  findLinks?: string | undefined;
  upgrade: boolean;
}

export interface PythonPackages {
  /** The folder packages are installed into. */
  readonly dir: string;
  listInstalled(): Promise<InstalledPackage[]>;
  status(now: number): PackageInstallStatus[];
  /** Forgets the status of a finished install; refused (false) while one runs. */
  clearStatus(): boolean;
  /**
   * Checks that pip is there (throws PipMissingError otherwise) and that no install runs (throws
   * InstallRunningError), records every package as waiting and installs them one after the other
   * in the background.
   */
  install(request: PackageInstallRequest): Promise<void>;
  /** Resolves when the install running now (if any) has ended (tests, shutdown). */
  idle(): Promise<void>;
}

export class PipMissingError extends Error {}
export class InstallRunningError extends Error {}
