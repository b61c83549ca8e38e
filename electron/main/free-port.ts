import { createServer } from 'node:net';

/** A free TCP port on loopback (the embedded stack keeps it across restarts, so the window URL stays). */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer().once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => ok(typeof a === 'object' && a ? a.port : 0));
    });
  });
}
