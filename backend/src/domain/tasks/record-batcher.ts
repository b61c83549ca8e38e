/**
 * Group commit for task records: inserts and updates issued while a write is in flight are
 * written together in one transaction (one commit, one fsync on MySQL). Nothing is acknowledged
 * before it is stored: each call resolves when its batch has committed, so a task id is still
 * queryable the moment it is returned and a worker still acks only a stored outcome. When idle,
 * a write goes out on the next turn of the event loop, adding no delay worth measuring; with
 * `lingerMs` (worker processes) an outcome or `running` mark waits that long for company first,
 * so one commit carries the outcomes of a stream of sync calls too (less work for the database
 * on every call); a `queued` record (a task id about to be handed out, e.g. by DFF.FUNC) never
 * lingers.
 */
import type { Store, TaskRecordOps, TaskRecordRow, TaskRecordUpdate } from '../ports/store.js';

type Patch = TaskRecordUpdate['patch'];

interface Pending {
  insert?: TaskRecordRow;
  patch?: Patch;
  waiters: { resolve: () => void; reject: (err: unknown) => void }[];
}

/** Writes at most this many records per transaction. */
const MAX_BATCH = 500;

export class RecordBatcher implements TaskRecordOps {
  private pending = new Map<string, Pending>();
  private flushing: Promise<void> | null = null;
  private scheduled = false;
  /** The linger timer while one runs. */
  private lingering: ReturnType<typeof setTimeout> | undefined;
  /** Something pending must not linger. */
  private urgent = false;

  constructor(
    private readonly inner: TaskRecordOps,
    private readonly lingerMs = 0,
  ) {}

  private add(id: string, insert: TaskRecordRow | undefined, patch: Patch | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      let p = this.pending.get(id);
      if (!p) {
        p = { waiters: [] };
        this.pending.set(id, p);
      }
      if (insert) p.insert = insert;
      if (patch) {
        if (p.insert) p.insert = { ...p.insert, ...patch };
        else p.patch = { ...p.patch, ...patch };
      }
      p.waiters.push({ resolve, reject });
      // A `queued` record is written before its task id is handed out: somebody waits for it.
      if (insert?.status === 'queued') this.urgent = true;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.flushing) return;
    const linger = this.lingerMs > 0 && !this.urgent && this.pending.size < MAX_BATCH;
    if (this.scheduled) {
      // Lingering, but now something is urgent: go on the next turn instead.
      if (linger || !this.lingering) return;
      clearTimeout(this.lingering);
    }
    this.scheduled = true;
    const go = (): void => {
      this.scheduled = false;
      this.lingering = undefined;
      this.urgent = false;
      this.flushing = this.flush().finally(() => {
        this.flushing = null;
        if (this.pending.size > 0) this.schedule();
      });
    };
    if (linger) this.lingering = setTimeout(go, this.lingerMs);
    else {
      this.lingering = undefined;
      setImmediate(go);
    }
  }

  private async flush(): Promise<void> {
    const batch = [...this.pending].slice(0, MAX_BATCH);
    for (const [id] of batch) this.pending.delete(id);
    const inserts = batch.flatMap(([, p]) => (p.insert ? [p.insert] : []));
    const updates = batch.flatMap(([id, p]) => (!p.insert && p.patch ? [{ id, patch: p.patch }] : []));
    try {
      await this.inner.writeBatch(inserts, updates);
      for (const [, p] of batch) for (const w of p.waiters) w.resolve();
    } catch {
      // One bad write (a duplicate id) must not fail its neighbours: write them one by one.
      for (const [id, p] of batch) {
        try {
          if (p.insert) await this.inner.insert(p.insert);
          else if (p.patch) await this.inner.update(id, p.patch);
          for (const w of p.waiters) w.resolve();
        } catch (err) {
          for (const w of p.waiters) w.reject(err);
        }
      }
    }
  }

  insert(record: TaskRecordRow): Promise<void> {
    if (this.pending.get(record.id)?.insert) return Promise.reject(new Error(`task record ${record.id} inserted twice in one batch`));
    return this.add(record.id, record, undefined);
  }

  update(id: string, patch: Patch): Promise<void> {
    return this.add(id, undefined, patch);
  }

  writeBatch(inserts: readonly TaskRecordRow[], updates: readonly TaskRecordUpdate[]): Promise<void> {
    return this.inner.writeBatch(inserts, updates);
  }

  /** Reads see every write that has been acknowledged. */
  get: TaskRecordOps['get'] = (id) => this.inner.get(id);
  list: TaskRecordOps['list'] = (filter, options) => this.inner.list(filter, options);
  unfinishedUntil: TaskRecordOps['unfinishedUntil'] = (status, until, after, limit) => this.inner.unfinishedUntil(status, until, after, limit);
  updateIf: TaskRecordOps['updateIf'] = (id, expected, patch) => this.inner.updateIf(id, expected, patch);
  timingsSince: TaskRecordOps['timingsSince'] = (since, limit) => this.inner.timingsSince(since, limit);
  trim: TaskRecordOps['trim'] = (origin, originId, keep, from) => this.inner.trim(origin, originId, keep, from);
  countBy: TaskRecordOps['countBy'] = (field, ids) => this.inner.countBy(field, ids);
  originActivity: TaskRecordOps['originActivity'] = (origin, originIds, since, until) => this.inner.originActivity(origin, originIds, since, until);
}

/** The same store with task-record writes group-committed (see RecordBatcher for `lingerMs`). */
export function withRecordBatcher(store: Store, lingerMs = 0): Store {
  const taskRecords = new RecordBatcher(store.taskRecords, lingerMs);
  return {
    dialect: store.dialect,
    entity: (name) => store.entity(name),
    scripts: store.scripts,
    taskRecords,
    funcStore: store.funcStore,
    cron: store.cron,
    authState: store.authState,
    operationRecords: store.operationRecords,
    recoverPoints: store.recoverPoints,
    scriptSetExportHistory: store.scriptSetExportHistory,
    scriptSetImportHistory: store.scriptSetImportHistory,
    settings: store.settings,
    expiring: store.expiring,
    autoscale: store.autoscale,
    ...(store.changeMark ? { changeMark: () => store.changeMark!() } : {}),
    ...(store.isUnreachable ? { isUnreachable: (err: unknown) => store.isUnreachable!(err) } : {}),
    report: () => store.report(),
    migrate: () => store.migrate(),
    close: () => store.close(),
  };
}
