import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimDue, enqueue, markFailed, messageRow, startTry } from '../../src/db/outbox.js';
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

describe('one conversation’s order', () => {
  beforeEach(() => database.db.deleteFrom('outbox').execute());

  it('takes no row while an earlier one to its channel is another claim’s or waits for its retry', async () => {
    const db = database.db;
    const at = new Date('2026-11-25T14:00:00Z');
    const queue = (key: string, channel: string) =>
      enqueue(db, messageRow(TEAM_ID, 'order', key, channel, { text: key, blocks: [] }, at));
    const first = await queue('first', 'CORDER');
    await queue('second', 'CORDER');
    const elsewhere = await queue('elsewhere', 'COTHER');
    const lease = new Date(at.getTime() + LEASE_MS);

    // Instance A takes the first; B, at the same moment, must not take the second past it.
    const byA = await claimDue(db, at, lease, 1, undefined);
    expect(byA.map((r) => r.id)).toEqual([first?.id]);
    const byB = await claimDue(db, at, lease, 10);
    expect(byB.map((r) => r.id)).toEqual([elsewhere?.id]);

    // The first fails and waits for its retry: the second still waits behind it.
    await markFailed(db, first?.id as number, 'internal_error', new Date(at.getTime() + 60_000));
    expect(await claimDue(db, at, lease, 10)).toEqual([]);

    // When the retry comes, both go in one claim, in the order they were queued.
    const later = new Date(at.getTime() + 60_000);
    const both = await claimDue(db, later, new Date(later.getTime() + LEASE_MS), 10);
    expect(both.map((r) => r.text)).toEqual(['first', 'second']);
  });

  it('asked for one row, takes the earlier ones due to its conversation with it', async () => {
    const db = database.db;
    const at = new Date('2026-11-26T14:00:00Z');
    const queue = (key: string) =>
      enqueue(db, messageRow(TEAM_ID, 'asked', key, 'CASKED', { text: key, blocks: [] }, at));
    await queue('earlier');
    const asked = await queue('asked');
    await enqueue(db, messageRow(TEAM_ID, 'asked', 'unrelated', 'CUNRELATED', { text: 'x', blocks: [] }, at));
    const claimed = await claimDue(db, at, new Date(at.getTime() + LEASE_MS), 10, [asked?.id as number]);
    expect(claimed.map((r) => r.text)).toEqual(['earlier', 'asked']);
  });

  it('is not held by an earlier message queued for a later moment and never tried', async () => {
    const db = database.db;
    const at = new Date('2026-11-27T14:00:00Z');
    const paced = messageRow(TEAM_ID, 'later', 'paced', 'CPACED', { text: 'paced', blocks: [] }, at);
    await enqueue(db, { ...paced, next_attempt_at: new Date(at.getTime() + 1000) });
    await enqueue(db, messageRow(TEAM_ID, 'later', 'now', 'CPACED', { text: 'now', blocks: [] }, at));
    const claimed = await claimDue(db, at, new Date(at.getTime() + LEASE_MS), 10);
    expect(claimed.map((r) => r.text)).toEqual(['now']);
  });

  it('gives no place in a claim to rows waiting behind a retry, however many wait', async () => {
    const db = database.db;
    const at = new Date('2026-11-28T14:00:00Z');
    const queue = (key: string, channel: string) =>
      enqueue(db, messageRow(TEAM_ID, 'crowd', key, channel, { text: key, blocks: [] }, at));
    const first = await queue('first', 'CCROWDED');
    for (let i = 0; i < 5; i++) await queue(`behind ${i}`, 'CCROWDED');
    await queue('elsewhere', 'CQUIET');
    await claimDue(db, at, new Date(at.getTime() + LEASE_MS), 1);
    await markFailed(db, first?.id as number, 'internal_error', new Date(at.getTime() + 60_000));
    // A claim of three: the five waiting behind the retry would fill it; the quiet conversation's row goes.
    const claimed = await claimDue(db, at, new Date(at.getTime() + LEASE_MS), 3);
    expect(claimed.map((r) => r.text)).toEqual(['elsewhere']);
  });
});
