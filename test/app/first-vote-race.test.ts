import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { castVote, type VoteRequest, type VoteResult } from '../../src/services/votes.js';
import type { TestApp } from '../harness/app.js';
import { PEOPLE, startCoalition } from '../harness/coalition.js';
import { createTestDatabase, onRealPostgres, type TestDatabase } from '../harness/database.js';
import { latestProposal, propose } from '../harness/proposals.js';

/**
 * Two different clicks by the same voter (the proposal's message and a copy of it, say) whose first votes
 * land at once. Each is a click never taken before: the one whose vote lands second is answered as a vote
 * that changed nothing, never as a repeat (which says nothing). On PostgreSQL the two land at the same
 * moment: the proposal's row is held (as an amendment or a reminder's claim holds it, mid-transaction) until
 * both wait on it, so both read it before either vote is written. The embedded database runs one statement
 * at a time, so there the second simply follows the first.
 */

let database: TestDatabase;
let t: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await startCoalition({ db: database.db });
});
afterAll(async () => {
  await t?.stop();
  await database?.destroy();
});

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Holds the proposal's row in an open transaction until the returned function is called. */
async function holdProposalRow(proposalId: number): Promise<() => Promise<void>> {
  const held = deferred();
  const release = deferred();
  const done = t.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('proposals')
      .set({ reminded_at: t.clock.now() })
      .where('id', '=', proposalId)
      .execute();
    held.resolve();
    await release.promise;
  });
  await held.promise;
  return async () => {
    release.resolve();
    await done;
  };
}

async function waitingOnLocks(): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_stat_activity
    where datname = current_database() and wait_event_type = 'Lock'`.execute(t.db);
  return rows[0]?.n ?? 0;
}

const answer = (r: VoteResult) => (r.ok ? (r.changed ? 'taken' : 'unchanged') : r.reason);

describe('two first votes by one voter from two clicks', () => {
  it('take the vote once, and answer the other click as unchanged, not as a repeat', async () => {
    await propose(t, PEOPLE.ben, 'Same position twice');
    await t.settled();
    const proposal = await latestProposal(t);
    const now = t.clock.now();
    const request: VoteRequest = {
      teamId: t.slack.teamId,
      proposalId: proposal.id,
      voterId: PEOPLE.carl,
      position: 'support',
      reason: null,
    };
    const unhold = onRealPostgres ? await holdProposalRow(proposal.id) : undefined;
    const onMessage = castVote(t.db, request, now, { teamId: t.slack.teamId, key: 'click:message' });
    const onCopy = castVote(t.db, request, now, { teamId: t.slack.teamId, key: 'click:copy' });
    if (unhold) {
      await expect.poll(waitingOnLocks).toBe(2);
      await unhold();
    }
    const results = await Promise.all([onMessage, onCopy]);
    expect(results.map(answer).sort()).toEqual(['taken', 'unchanged']);
    const votes = await t.db
      .selectFrom('proposal_votes')
      .selectAll()
      .where('proposal_id', '=', proposal.id)
      .execute();
    expect(votes.map((v) => [v.voter_id, v.position])).toEqual([[PEOPLE.carl, 'support']]);
    // Both clicks are taken: a redelivery of either is a repeat.
    const again = await castVote(t.db, request, now, { teamId: t.slack.teamId, key: 'click:copy' });
    expect(answer(again)).toBe('repeat');
  });
});
