/**
 * Current md5 of published scripts, to tell a runner process that a script it imported changed.
 *
 * Each process reports the published scripts it has loaded (id → md5). Before a task is sent, those md5s are
 * compared with the current ones. Current md5s come from `RunnerHost.getScript` and are trusted for
 * `maxAgeMs` (so the common case is synchronous); the main script's md5 given with each task refreshes its entry
 * for free.
 */
import type { RunnerHost } from '../../domain/ports/runner.js';

interface Known {
  md5: string | null;
  at: number;
}

export class ScriptVersions {
  private readonly known = new Map<string, Known>();
  private readonly inflight = new Map<string, Promise<string | null>>();

  constructor(
    private readonly host: RunnerHost,
    private readonly maxAgeMs: number,
  ) {}

  /** A fresh md5 for a published script (e.g. the main script of a task). */
  note(scriptId: string, md5: string): void {
    const k = this.known.get(scriptId);
    if (k === undefined) this.known.set(scriptId, { md5, at: Date.now() });
    else {
      k.md5 = md5;
      k.at = Date.now();
    }
  }

  /** Whether any of `loaded` changed; synchronous when every md5 is known and fresh enough. */
  changed(loaded: ReadonlyMap<string, string>): boolean | Promise<boolean> {
    const now = Date.now();
    let refresh: string[] | null = null;
    for (const [id, md5] of loaded) {
      const k = this.known.get(id);
      if (k !== undefined && now - k.at <= this.maxAgeMs) {
        if (k.md5 !== md5) return true;
      } else {
        (refresh ??= []).push(id);
      }
    }
    if (refresh === null) return false;
    const ids = refresh;
    return Promise.all(ids.map((id) => this.fetch(id))).then((md5s) => md5s.some((m, i) => m !== loaded.get(ids[i]!)));
  }

  private fetch(scriptId: string): Promise<string | null> {
    let p = this.inflight.get(scriptId);
    if (p) return p;
    const started = Date.now();
    p = this.host.getScript(scriptId, false).then(
      (s) => {
        const md5 = s?.md5 ?? null;
        this.known.set(scriptId, { md5, at: started });
        return md5;
      },
      () => null,
    );
    const done = p.finally(() => this.inflight.delete(scriptId));
    this.inflight.set(scriptId, done);
    return done;
  }
}
