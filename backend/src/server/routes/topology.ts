/** The topology view, once or as server-sent events. */
import { topologyStatus } from '../../domain/topology/topology-status.js';
import type { AppContext } from '../app-context.js';
import { alertMonitor } from './alerts.js';
import type { Handlers } from '../handler.js';
import { openEventStream } from '../event-streams.js';

export const EVENT_INTERVAL_MS = 1000;

async function current(ctx: AppContext): Promise<ReturnType<typeof topologyStatus>> {
  // A server managing a stack shows the units deployed on the swarm (read every 2 s at most).
  const topology = (await ctx.stack?.deployed.get()) ?? ctx.topology;
  return topologyStatus(ctx.mode, topology, await ctx.broker.stats(), await ctx.services(), ctx.now());
}

export const topologyHandlers: Pick<Handlers, 'getTopology' | 'events'> = {
  getTopology: (_input, { ctx }) => current(ctx),
  events: (_input, { ctx, req, reply }) => {
    let closed = false;
    let unsubscribe = (): void => undefined;
    const res = openEventStream(req, reply, () => {
      closed = true;
      clearInterval(timer);
      unsubscribe();
    });
    const write = (event: string, data: unknown): void => {
      if (!closed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const send = async (): Promise<void> => {
      if (closed) return;
      try {
        write('topology', await current(ctx));
      } catch {
        write('error', { message: 'topology unavailable' });
      }
    };
    // Alerts: the active ones on connect, then each that fires or resolves (evaluated at most every 5 s).
    const monitor = alertMonitor(ctx);
    unsubscribe = monitor.onChange((e) => write('alert', e));
    void monitor.current().then(
      (active) => write('alert', { active, fired: [], resolved: [] }),
      () => undefined,
    );
    const timer = setInterval(() => {
      void send();
      void monitor.current().catch(() => undefined);
    }, EVENT_INTERVAL_MS);
    void send();
    return '';
  },
};
