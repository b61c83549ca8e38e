/** Where the console shows a task's replay and the diff of two runs. */

/** The editor on the task's script, its function and kwargs in the run panel, ready to replay the task. */
export function replayLink(task: { id: string; funcId: string; funcCallKwargsJSON: Record<string, unknown> }): string {
  const [scriptId, funcName] = task.funcId.split('.');
  const kwargs = encodeURIComponent(JSON.stringify(task.funcCallKwargsJSON, null, 2));
  return `/scripts/${scriptId ?? ''}?func=${encodeURIComponent(funcName ?? '')}&kwargs=${kwargs}&replay=${encodeURIComponent(task.id)}`;
}

/** The diff page of two runs (`a` the earlier, e.g. the original of a replay). */
export const diffLink = (a: string, b: string): string => `/tasks/diff?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`;

/** The task records page filtered to one task, its detail open. */
export const taskLink = (id: string): string => `/tasks?id=${encodeURIComponent(id)}&task=${encodeURIComponent(id)}`;
