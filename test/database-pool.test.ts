import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { APP_POOL, DatabaseUnavailableError, openDatabase } from '../src/db/database.js';

// A server that counts the connections made to it and closes each at once: enough to see how many the app
// opens at start, whichever database the suite runs on.
async function countingServer(): Promise<{ url: string; made: () => number; close: () => Promise<void> }> {
  let made = 0;
  const server = createServer((socket) => {
    made++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `postgres://concert@127.0.0.1:${port}/concert`,
    made: () => made,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('the app’s connections to a PostgreSQL server', () => {
  it('opens at start each connection it keeps open while idle, so a click after a quiet spell makes none', async () => {
    const server = await countingServer();
    try {
      await expect(openDatabase({ kind: 'postgres', url: server.url })).rejects.toBeInstanceOf(
        DatabaseUnavailableError,
      );
      expect(APP_POOL.keepOpen).toBeGreaterThanOrEqual(2);
      expect(server.made()).toBe(APP_POOL.keepOpen);
    } finally {
      await server.close();
    }
  });
});
