/** The progress of a Python package install, from its status list. */
export interface InstallStep {
  status: 'waiting' | 'installing' | 'success' | 'failure';
}

export interface InstallProgress {
  total: number;
  done: number;
  failed: number;
  running: boolean;
  /** 0–100, for the bar. */
  percent: number;
}

export function installProgress(steps: readonly InstallStep[]): InstallProgress {
  const total = steps.length;
  const done = steps.filter((s) => s.status === 'success' || s.status === 'failure').length;
  const failed = steps.filter((s) => s.status === 'failure').length;
  return { total, done, failed, running: done < total, percent: total === 0 ? 0 : Math.round((done / total) * 100) };
}
