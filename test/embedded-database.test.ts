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

// What must precede an ack (listeners/middleware) runs ahead of the work already waiting on the database's thread.
describe('urgent statements on the embedded database', () => {
  it('wait only for the transaction under way, not for the statements sent before them', async () => {
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
      // Every statement above is sent within this turn of the event loop: they all wait on the thread now.
      await new Promise((resolve) => setImmediate(resolve));
      finishTransaction();
      expect(await urgent).toEqual([{ n: 42 }]);
      await Promise.all([transaction, ...queued]);
      expect(order).toEqual(['transaction', 'urgent', ...[0, 1, 2, 3, 4].map((i) => `queued ${i}`)]);
    } finally {
      await db.destroy();
    }
  });
});

// PGlite runs each statement on the thread that calls it: on its own thread, a long statement leaves the app's
// thread free to read and answer Slack's requests meanwhile.
describe('the embedded database’s thread', () => {
  it('runs a statement while the app’s thread goes on', async () => {
    const db = embeddedDatabase(await openPGlite(undefined));
    try {
      const order: string[] = [];
      const long = sql`select pg_sleep(0.3)`.execute(db).then(() => order.push('statement'));
      await new Promise((resolve) => setTimeout(resolve, 0)).then(() => order.push('timer'));
      await long;
      expect(order).toEqual(['timer', 'statement']);
    } finally {
      await db.destroy();
    }
  });

  it('keeps PostgreSQL’s error code and constraint, and the transaction’s rollback', async () => {
    const db = embeddedDatabase(await openPGlite(undefined));
    try {
      await sql`create table t (id int primary key)`.execute(db);
      await sql`insert into t values (1)`.execute(db);
      const failed = await db
        .transaction()
        .execute(async (tx) => {
          await sql`insert into t values (2)`.execute(tx);
          await sql`insert into t values (1)`.execute(tx);
        })
        .catch((error: unknown) => error);
      expect(failed).toMatchObject({ code: '23505', constraint: 't_pkey' });
      // Where the statement was sent from, in the app's thread, and not only where it failed in the other.
      expect((failed as Error).stack).toContain('ThreadConnection.executeQuery');
      const { rows } = await sql<{ id: number }>`select id from t order by id`.execute(db);
      expect(rows).toEqual([{ id: 1 }]);
    } finally {
      await db.destroy();
    }
  });

  it('refuses statements once closed, saying so, instead of leaving them waiting', async () => {
    const pglite = await openPGlite(undefined);
    // No statement ran: Kysely alone would leave its driver, and so the thread, as it was.
    await embeddedDatabase(pglite).destroy();
    expect(pglite.closed).toBe(true);
    await expect(pglite.query('select 1')).rejects.toThrow('the embedded database is closed');
  });

  it('refuses a parameter that cannot be sent to the thread, and goes on with the next statement', async () => {
    const pglite = await openPGlite(undefined);
    try {
      await expect(pglite.query('select $1::text as f', [() => 1])).rejects.toThrow(/could not be cloned/);
      const { rows } = await pglite.query('select 1 as n');
      expect(rows).toEqual([{ n: 1 }]);
    } finally {
      await pglite.close();
    }
  });
});
