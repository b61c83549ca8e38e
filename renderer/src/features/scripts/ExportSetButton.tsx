/** Export one script set: fetch its bundle, then save it (desktop save dialog, or a browser download). */
import { useMutation } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useApi } from '../../app/session';
import { errorMessage } from '../../ui/States';
import { saveBundleFile } from './bundle-files';

export function ExportSetButton({ setId }: { setId: string }): ReactNode {
  const api = useApi();
  const run = useMutation({ mutationFn: async () => saveBundleFile(await api.exportScriptSet({ params: { id: setId } })) });
  return (
    <>
      <button
        type="button"
        className="rounded px-1.5 text-xs text-zinc-400 hover:bg-zinc-200 hover:text-zinc-700 dark:hover:bg-zinc-800 dark:hover:text-zinc-200"
        title={`Export ${setId} to a file`}
        disabled={run.isPending}
        onClick={() => run.mutate()}
        data-testid={`export-set-${setId}`}
      >
        Export
      </button>
      {run.error ? (
        <p className="basis-full px-1 text-xs text-red-600 dark:text-red-400" role="alert" data-testid={`export-error-${setId}`}>
          {errorMessage(run.error)}
        </p>
      ) : null}
    </>
  );
}
