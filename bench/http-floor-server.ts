/**
 * The HTTP floor of the production bench: a bare Fastify server (the framework `func server`
 * uses, no hooks, no store, no broker) in its own process, answering every POST to
 * `/api/v1/func/:funcId` with an envelope shaped like an async call's. Prints its port once
 * listening on 127.0.0.1; stops on SIGTERM.
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.post('/api/v1/func/:funcId', () => ({ ok: true, data: { id: `task-${randomUUID()}`, queuePosition: 1, predictedStartMs: null }, traceId: randomUUID() }));
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
