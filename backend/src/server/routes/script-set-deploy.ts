/** POST /api/v1/script-sets/:id/do/deploy (DataFlux Func's deploy to the startup script set). */
import { deployScriptSet } from '../../domain/scripts/script-set-deploy.js';
import type { Handlers } from '../handler.js';
import { cronJobCrud } from './entities.js';
import { scriptService } from './lookups.js';

export const scriptSetDeployHandlers: Pick<Handlers, 'deployScriptSet'> = {
  deployScriptSet: async ({ params, body }, call) => {
    const { ctx } = call;
    return deployScriptSet(
      {
        store: ctx.store,
        scripts: scriptService(ctx),
        now: ctx.now,
        addCronJob: async (data) => {
          await cronJobCrud.add({ body: { data } }, call);
        },
      },
      params.id,
      {
        withCronJob: body?.withCronJob === true || body?.withCrontabConfig === true,
        startupScriptTitle: body?.startupScriptTitle ?? null,
        configReplacer: body?.configReplacer ?? {},
      },
    );
  },
};
