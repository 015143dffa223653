import { createServer, type Server, Socket } from 'node:net';
import type { KyselyPlugin } from 'kysely';
import { type Db, postgresDatabase } from '../../src/db/database.js';
import type { TestDatabase } from '../harness/database.js';

/**
 * A database the test can stop and start while the app uses it. On a PostgreSQL server the app connects
 * through a loopback TCP proxy: `stop()` closes it and cuts every connection (the app then sees what a stopped
 * server gives: refused connections), `hang()` keeps taking connections but passes nothing on (a server or
 * network that stalls), `start()` opens it again on the same port. The embedded database runs in the
 * process, so there every statement fails while stopped, as a lost connection would make it fail.
 */
export interface DatabaseFault {
  /** The handle the app gets; the test reads through the test database's own. */
  db: Db;
  stop(): Promise<void>;
  hang(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

class TcpProxy {
  #server: Server | undefined;
  #sockets = new Set<Socket>();
  #hanging = false;
  #port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  get port(): number {
    return this.#port;
  }

  static async open(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await proxy.#listen();
    return proxy;
  }

  /** Listens on its port (a free one the first time). */
  #listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = createServer((client) => this.#connect(client));
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => {
        this.#server = server;
        const address = server.address();
        if (typeof address === 'object' && address) this.#port = address.port;
        resolve();
      });
    });
  }

  #connect(client: Socket): void {
    this.#sockets.add(client);
    client.on('close', () => this.#sockets.delete(client));
    client.on('error', () => {});
    if (this.#hanging) return;
    const upstream = new Socket();
    this.#sockets.add(upstream);
    upstream.on('close', () => {
      this.#sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.connect(this.target.port, this.target.host, () => {
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }

  #cut(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    this.#hanging = false;
    this.#cut();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async hang(): Promise<void> {
    this.#cut();
    this.#hanging = true;
    if (!this.#server) await this.#listen();
  }

  async start(): Promise<void> {
    this.#hanging = false;
    this.#cut();
    if (!this.#server) await this.#listen();
  }
}

export async function faultyDatabase(database: TestDatabase): Promise<DatabaseFault> {
  if (database.url) {
    const url = new URL(database.url);
    const proxy = await TcpProxy.open({ host: url.hostname, port: Number(url.port || 5432) });
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    const db = postgresDatabase(url.toString());
    return {
      db,
      stop: () => proxy.stop(),
      hang: () => proxy.hang(),
      start: () => proxy.start(),
      async close() {
        await proxy.start();
        await db.destroy();
        await proxy.stop();
      },
    };
  }
  let down = false;
  const outage: KyselyPlugin = {
    transformQuery(args) {
      if (down)
        throw Object.assign(new Error('connect ECONNREFUSED (database stopped by the test)'), {
          code: 'ECONNREFUSED',
        });
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return {
    db: database.db.withPlugin(outage),
    stop: async () => {
      down = true;
    },
    // In the process nothing can stall without stalling the test too: a stall is a stop here.
    hang: async () => {
      down = true;
    },
    start: async () => {
      down = false;
    },
    close: async () => {},
  };
}
