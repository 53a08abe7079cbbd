/**
 * Free loopback ports for processes this machine starts itself: `cluster demo`, and the tests and
 * benchmarks that start nodes and etcd members. Never etcd's defaults (2379, 2380): a system
 * etcd may hold them.
 */
import { createServer, type Server } from 'node:net';

const ETCD_DEFAULTS = new Set([2379, 2380]);

/** `count` distinct free ports on 127.0.0.1 (all held open together, then released). */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  const ports: number[] = [];
  try {
    while (ports.length < count) {
      const srv = createServer();
      servers.push(srv);
      const port = await new Promise<number>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(0, '127.0.0.1', () => {
          const addr = srv.address();
          resolve(typeof addr === 'object' && addr ? addr.port : 0);
        });
      });
      if (port !== 0 && !ETCD_DEFAULTS.has(port)) ports.push(port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}

/** One free port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0]!;
}
