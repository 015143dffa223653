import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import { embeddedDatabase, openPGlite } from '../src/db/database.js';
import { urgently } from '../src/db/urgent.js';

// The embedded database serves one small instance: it keeps a small buffer pool, so an idle app stays small
// (`npm run bench:start` measures the resident set).
describe('the embedded database', () => {
  it('opens with 32 MB of shared buffers instead of 128 MB', async () => {
    // The suite's migrated template when the run made one (not on a PostgreSQL server's run).
    const template = inject('pgliteTemplate');
    const pglite = await openPGlite(undefined, template ? new Blob([readFileSync(template)]) : undefined);
    try {
      const { rows } = await pglite.query<{ shared_buffers: string }>('show shared_buffers');
      expect(rows).toEqual([{ shared_buffers: '32MB' }]);
    } finally {
      await pglite.close();
    }
  });
});

// What must precede an ack (listeners/middleware) runs ahead of the work already waiting for the one connection.
describe('urgent statements on the embedded database', () => {
  it('wait only for the transaction under way, not for the statements queued before them', async () => {
    const template = inject('pgliteTemplate');
    const db = embeddedDatabase(
      await openPGlite(undefined, template ? new Blob([readFileSync(template)]) : undefined),
    );
    try {
      const order: string[] = [];
      let finishTransaction = () => {};
      const holding = new Promise<void>((resolve) => (finishTransaction = resolve));
      let begun = () => {};
      const inTransaction = new Promise<void>((resolve) => (begun = resolve));
      const transaction = db.transaction().execute(async (tx) => {
        await sql`select 1`.execute(tx);
        begun();
        await holding;
        order.push('transaction');
      });
      await inTransaction;
      const queued = Array.from({ length: 5 }, (_, i) =>
        sql`select ${i}::int as n`.execute(db).then(() => order.push(`queued ${i}`)),
      );
      const urgent = urgently(() => sql`select 42 as n`.execute(db)).then((result) => {
        order.push('urgent');
        return result.rows;
      });
      finishTransaction();
      expect(await urgent).toEqual([{ n: 42 }]);
      await Promise.all([transaction, ...queued]);
      expect(order).toEqual(['transaction', 'urgent', ...[0, 1, 2, 3, 4].map((i) => `queued ${i}`)]);
    } finally {
      await db.destroy();
    }
  });
});
