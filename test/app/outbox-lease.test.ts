import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimDue, enqueue, messageRow, startTry } from '../../src/db/outbox.js';
import { LEASE_MS } from '../../src/services/delivery.js';
import { TEAM_ID } from '../harness/app.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';

// A row is one instance's from its claim until its lease runs out; each row's lease is renewed just before
// it is sent. An instance whose lease ran out before a row's turn came must not send that row: another
// instance may have claimed it since.

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.destroy());

describe('the outbox lease', () => {
  it('lets only the latest claim start a send, and renews the lease from when the send starts', async () => {
    const db = database.db;
    const at = new Date('2026-11-24T14:00:00Z');
    const row = await enqueue(db, messageRow(TEAM_ID, 'lease', '1', 'UONE', { text: 'one', blocks: [] }, at));
    expect(row).toBeDefined();

    // Instance A claims it, then stalls before its turn comes.
    const [byA] = await claimDue(db, at, new Date(at.getTime() + LEASE_MS), 10);
    expect(byA?.id).toBe(row?.id);
    // Before the lease runs out, no one else can take it.
    const early = new Date(at.getTime() + LEASE_MS - 1000);
    expect(await claimDue(db, early, new Date(early.getTime() + LEASE_MS), 10)).toEqual([]);

    // Once it has, instance B takes it, and starts its send.
    const late = new Date(at.getTime() + LEASE_MS + 1000);
    const [byB] = await claimDue(db, late, new Date(late.getTime() + LEASE_MS), 10);
    expect(byB?.attempts).toBe((byA?.attempts ?? 0) + 1);
    expect(
      await startTry(db, byB as NonNullable<typeof byB>, late, new Date(late.getTime() + LEASE_MS), true),
    ).toBe(true);

    // A wakes up: its claim is no longer the row's, and it must not send.
    expect(
      await startTry(db, byA as NonNullable<typeof byA>, late, new Date(late.getTime() + LEASE_MS), true),
    ).toBe(false);
    const stored = await db
      .selectFrom('outbox')
      .selectAll()
      .where('id', '=', row?.id as number)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ status: 'sending', attempts: byB?.attempts, unconfirmed_since: late });
    expect(stored.lease_until).toEqual(new Date(late.getTime() + LEASE_MS));
  });
});
