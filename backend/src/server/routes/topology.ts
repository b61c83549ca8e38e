/** The topology view, once or as server-sent events. */
import { topologyStatus } from '../../domain/topology/topology-status.js';
import type { AppContext } from '../app-context.js';
import { alertMonitor } from './alerts.js';
import type { Handlers } from '../handler.js';

export const EVENT_INTERVAL_MS = 1000;

async function current(ctx: AppContext): Promise<ReturnType<typeof topologyStatus>> {
  // A server managing a stack shows the units deployed on the swarm (read every 2 s at most).
  const topology = (await ctx.stack?.deployed.get()) ?? ctx.topology;
  return topologyStatus(ctx.mode, topology, await ctx.broker.stats(), await ctx.services(), ctx.now());
}

export const topologyHandlers: Pick<Handlers, 'getTopology' | 'events'> = {
  getTopology: (_input, { ctx }) => current(ctx),
  events: (_input, { ctx, req, reply }) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-trace-id': req.id });
    let closed = false;
    const send = async (): Promise<void> => {
      if (closed) return;
      try {
        reply.raw.write(`event: topology\ndata: ${JSON.stringify(await current(ctx))}\n\n`);
      } catch {
        reply.raw.write(`event: error\ndata: ${JSON.stringify({ message: 'topology unavailable' })}\n\n`);
      }
    };
    // Alerts: the active ones on connect, then each that fires or resolves (evaluated at most every 5 s).
    const monitor = alertMonitor(ctx);
    const unsubscribe = monitor.onChange((e) => {
      if (!closed) reply.raw.write(`event: alert\ndata: ${JSON.stringify(e)}\n\n`);
    });
    void monitor.current().then(
      (active) => {
        if (!closed) reply.raw.write(`event: alert\ndata: ${JSON.stringify({ active, fired: [], resolved: [] })}\n\n`);
      },
      () => undefined,
    );
    const timer = setInterval(() => {
      void send();
      void monitor.current().catch(() => undefined);
    }, EVENT_INTERVAL_MS);
    req.raw.on('close', () => {
      closed = true;
      clearInterval(timer);
      unsubscribe();
    });
    void send();
    return '';
  },
};
