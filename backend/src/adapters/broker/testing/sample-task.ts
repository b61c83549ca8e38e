/** The task message the broker tests enqueue: one shape, times from the test's clock. */
import type { TaskMessage } from '../../../domain/tasks/task.js';

export function sampleTask(id: string, queue: number, clock: number, extra: Partial<TaskMessage> = {}): TaskMessage {
  return {
    id,
    funcId: 's__m.f',
    scriptId: 's__m',
    funcName: 'f',
    kwargs: {},
    origin: 'direct',
    originId: 'x',
    queue,
    timeoutMs: 1000,
    expiresAt: clock + 60_000,
    triggerTime: clock,
    ...extra,
  };
}
