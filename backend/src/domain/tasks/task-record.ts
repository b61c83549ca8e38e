/** Task records: what is stored when a task is queued, starts and ends, and how it is shown. */
import type { JsonObject, TaskRecordRow } from '../ports/store.js';
import { capExceptionType, capJson, capNullableText, capText } from './record-bounds.js';
import { recordedKwargs, recordedRequest, storedMessage } from './recorded-request.js';
import type { TaskMessage, TaskOutcome } from './task.js';

/** Stored print logs are capped: head 20,000 + tail 30,000 characters. */
export function capLogs(lines: readonly string[]): string {
  return capText(lines.join('\n'));
}

export function queuedRecord(task: TaskMessage): TaskRecordRow {
  // Masked once, for the record and the message it keeps.
  const request = recordedRequest(task.httpRequest, task.httpRequestSecrets);
  return {
    id: task.id,
    rootTaskId: task.rootTaskId ?? null,
    funcId: task.funcId,
    scriptId: task.scriptId,
    origin: task.origin,
    originId: task.originId,
    queue: task.queue,
    status: 'queued',
    triggerTimeMs: task.triggerTime,
    startTimeMs: null,
    endTimeMs: null,
    // Bounded like the return value (kwargs can come from DFF.FUNC or a raised body limit); the
    // message below keeps them whole until the task ends.
    kwargsJSON: capJson(recordedKwargs(task)) as JsonObject,
    returnValueJSON: null,
    printLogsTEXT: null,
    exceptionType: null,
    exceptionTEXT: null,
    tracebackTEXT: null,
    reason: null,
    timeoutMs: task.timeoutMs,
    attempt: 0,
    peakMemoryMb: null,
    messageJSON: storedMessage(task, request),
    httpRequestJSON: request,
    replayOf: task.replayOf ?? null,
    attemptsJSON: null,
  };
}

export function outcomePatch(outcome: TaskOutcome, attempt: number): Partial<TaskRecordRow> {
  return {
    status: outcome.status,
    startTimeMs: outcome.startTime ?? null,
    endTimeMs: outcome.endTime ?? Date.now(),
    returnValueJSON: capJson(outcome.result ?? null),
    printLogsTEXT: capLogs(outcome.printLogs),
    exceptionType: capExceptionType(outcome.exceptionType),
    exceptionTEXT: capNullableText(outcome.exception),
    tracebackTEXT: capNullableText(outcome.traceback),
    reason: outcome.reason ?? null,
    attempt,
    peakMemoryMb: outcome.peakMemoryMb ?? null,
    messageJSON: null,
  };
}

/** The API view of a record (DataFlux Func's field names); bounded again for records stored before the bounds were. */
export function recordToApi(r: TaskRecordRow): Record<string, unknown> {
  return {
    id: r.id,
    rootTaskId: r.rootTaskId ?? 'ROOT',
    scriptSetId: r.scriptId.split('__')[0] ?? null,
    scriptId: r.scriptId,
    funcId: r.funcId,
    funcCallKwargsJSON: capJson(r.kwargsJSON),
    origin: r.origin,
    originId: r.originId,
    queue: r.queue,
    timeout: Math.round(r.timeoutMs / 1000),
    status: r.status,
    triggerTimeMs: r.triggerTimeMs,
    startTimeMs: r.startTimeMs,
    endTimeMs: r.endTimeMs,
    costMs: r.startTimeMs !== null && r.endTimeMs !== null ? r.endTimeMs - r.startTimeMs : null,
    returnValueJSON: capJson(r.returnValueJSON ?? null),
    printLogsTEXT: capNullableText(r.printLogsTEXT),
    exceptionType: capExceptionType(r.exceptionType),
    exceptionTEXT: capNullableText(r.exceptionTEXT),
    tracebackTEXT: capNullableText(r.tracebackTEXT),
    reason: r.reason,
    attempt: r.attempt,
    peakMemoryMb: r.peakMemoryMb,
    httpRequest: r.httpRequestJSON ?? null,
    replayOf: r.replayOf ?? null,
    attempts: r.attemptsJSON ?? [],
  };
}
