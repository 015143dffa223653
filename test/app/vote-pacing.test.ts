import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Pacer } from '../../src/listeners/pacer.js';
import { amendProposal } from '../../src/services/concerns.js';
import { ALL_VOTED_WITHIN, closeIfAllVoted } from '../../src/services/proposal-closing.js';
import { queuedMessageStillWanted } from '../../src/services/still-wanted.js';
import { castVote } from '../../src/services/votes.js';
import { webDirectory } from '../../src/slack/web-directory.js';
import { webSender } from '../../src/slack/web-sender.js';
import type { TestApp } from '../harness/app.js';
import { PEOPLE, startCoalition } from '../harness/coalition.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import {
  latestProposal,
  proposalPost,
  propose,
  setCore,
  tallyOf,
  vote,
  voterIds,
} from '../harness/proposals.js';
import { jobFor } from '../harness/scheduler.js';
import { capture, deliver } from '../harness/twice.js';

/**
 * What a vote costs and how often Slack hears of it: the statements a click takes (counted on the real
 * database through a Kysely plugin, which sees every statement but a transaction's BEGIN and COMMIT), and
 * the pace of the proposal message's updates and of App Home, in a time the test moves (no sleeping).
 */

/** Counts the statements run through the database. */
class Statements implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs) {
    this.count++;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs) {
    return args.result;
  }
  /** Statements run by `work`. */
  async of(work: () => Promise<unknown>): Promise<number> {
    const before = this.count;
    await work();
    return this.count - before;
  }
}

/**
 * Time that moves only by waits: each wait ends when the time reaches it, the earliest first, and the time
 * jumps there once the work already under way has had its turn. So a wait takes no real time.
 */
class SteppedTime implements Pacer {
  #now = 0;
  readonly #pending: { at: number; resolve: () => void }[] = [];

  now = () => this.#now;

  wait = (ms: number) =>
    new Promise<void>((resolve) => {
      this.#pending.push({ at: this.#now + ms, resolve });
      setImmediate(() => this.#step());
    });

  #step() {
    this.#pending.sort((a, b) => a.at - b.at);
    const next = this.#pending.shift();
    if (!next) return;
    this.#now = Math.max(this.#now, next.at);
    next.resolve();
  }
}

let database: TestDatabase;
let t: TestApp;
const statements = new Statements();
const time = new SteppedTime();

beforeAll(async () => {
  database = await createTestDatabase();
  t = await startCoalition({ db: database.db.withPlugin(statements), pacer: time });
});
afterAll(async () => {
  await t.stop();
  await database.destroy();
});
beforeEach(() => t.fake.clearCalls());

describe('a vote click', () => {
  it('takes one statement before its ack: a redelivery is acknowledged after it and goes no further', async () => {
    await propose(t, PEOPLE.ben, 'Counted once');
    await t.settled();
    const click = await capture(t, () => vote(t, PEOPLE.cora, 'Support'));
    expect((await deliver(t, click)).status).toBe(200);
    await t.settled();
    const redelivered = await statements.of(async () => {
      expect((await deliver(t, click, 1)).status).toBe(200);
      await t.settled();
    });
    expect(redelivered).toBe(1);
  });

  it('records a first vote in one statement, a change in two more within a transaction, and one aggregate asks whether all voted', async () => {
    await propose(t, PEOPLE.ben, 'Counted statements');
    const proposal = await latestProposal(t);
    const request = { teamId: t.slack.teamId, proposalId: proposal.id, voterId: PEOPLE.carl, reason: null };
    const now = t.clock.now();
    // A first vote: one statement, no transaction. A change, and the same position again: that statement
    // finds no first vote to write, then a transaction reads and writes, or only reads.
    const first = await statements.of(() => castVote(t.db, { ...request, position: 'support' }, now));
    const change = await statements.of(() =>
      castVote(t.db, { ...request, position: 'block', reason: 'Not yet', ground: 'common_agenda' }, now),
    );
    const same = await statements.of(() =>
      castVote(t.db, { ...request, position: 'block', reason: 'Not yet', ground: 'common_agenda' }, now),
    );
    expect([first, change, same]).toEqual([1, 3, 2]);
    // The statement before the ack, the vote and the close check: three for a first vote.
    expect(1 + first + 1).toBeLessThanOrEqual(3);
  });

  it('that changes nothing takes the statement before its ack and the vote’s read, and republishes no App Home', async () => {
    await propose(t, PEOPLE.ben, 'Nothing changes');
    await vote(t, PEOPLE.cora, 'Support');
    await t.settled();
    expect(t.fake.callsTo('views.publish').map((c) => c.args.user_id)).toEqual([PEOPLE.cora]);
    t.fake.clearCalls();
    const again = await statements.of(async () => {
      await vote(t, PEOPLE.cora, 'Support');
      await t.settled();
    });
    // The statement before the ack, the first vote's statement that writes nothing, then the read (in a
    // transaction of its own) that finds nothing to change.
    expect(again).toBe(3);
    expect(t.fake.callsTo('views.publish')).toEqual([]);
    expect(t.fake.callsTo('chat.update')).toEqual([]);
  });
});

describe('a storm of votes', () => {
  it('updates the proposal’s message at most once a second, the final message included, and ends on the final state', async () => {
    const voters = voterIds(30);
    await setCore(t, [PEOPLE.ben, ...voters]);
    await propose(t, PEOPLE.ben, 'Storm');
    await t.settled();
    const { ts } = proposalPost(t, 'Storm');
    t.fake.clearCalls();
    const at: number[] = [];
    let seen = 0;
    const stop = t.fake.subscribe(() => {
      const updates = t.fake.callsTo('chat.update').filter((c) => c.args.ts === ts);
      for (; seen < updates.length; seen++) at.push(time.now());
    });
    try {
      // Everyone at once, in the same moment of the app's time; then the last voter, which closes the vote.
      await Promise.all(voters.map((v) => vote(t, v, 'Support')));
      await vote(t, PEOPLE.ben, 'Support');
      await t.settled();
    } finally {
      stop();
    }
    expect(await latestProposal(t)).toMatchObject({ status: 'closed', close_reason: 'all_voted' });
    const updates = t.fake.callsTo('chat.update').filter((c) => c.args.ts === ts);
    expect(updates.length).toBe(at.length);
    expect(updates.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < at.length; i++)
      expect((at[i] as number) - (at[i - 1] as number)).toBeGreaterThanOrEqual(1000);
    // The message ends as the final state: no buttons, every vote counted.
    const post = proposalPost(t, 'Storm');
    expect(post.blocks?.some((b) => b.type === 'actions')).toBe(false);
    expect(tallyOf(t, 'Storm')).toMatch(/^\*Support\* \(31\): /);
    // Each voter's App Home once (their first vote took the proposal off what awaits them).
    const published = t.fake.callsTo('views.publish').map((c) => c.args.user_id as string);
    expect(new Set(published).size).toBe(published.length);
    expect(published.sort()).toEqual([PEOPLE.ben, ...voters].sort());
    expect(t.fake.rejections).toEqual([]);
    await setCore(t, [PEOPLE.ben, PEOPLE.cora, PEOPLE.carl]);
  });
});

describe('App Home during a storm', () => {
  it('is published within views.publish’s tier: no more than 100 at once, then 100 a minute', async () => {
    const voters = voterIds(130, 'UH');
    await setCore(t, [PEOPLE.ben, ...voters]);
    await propose(t, PEOPLE.ben, 'Many homes');
    await t.settled();
    t.fake.clearCalls();
    const at: number[] = [];
    let seen = 0;
    const stop = t.fake.subscribe(() => {
      const publishes = t.fake.callsTo('views.publish');
      for (; seen < publishes.length; seen++) at.push(time.now());
    });
    const started = time.now();
    try {
      await Promise.all(voters.map((v) => vote(t, v, 'Support')));
      await t.settled();
    } finally {
      stop();
    }
    expect(at).toHaveLength(130);
    // Within any minute from the start: the burst of 100 and what refilled since.
    expect(at.filter((ms) => ms - started < 1).length).toBeLessThanOrEqual(100);
    for (const ms of at) {
      const inMinuteBefore = at.filter((other) => other > ms - 60_000 && other <= ms).length;
      expect(inMinuteBefore).toBeLessThanOrEqual(100 + Math.ceil(((ms - started) * 100) / 60_000));
    }
    expect(at.at(-1) as number).toBeGreaterThanOrEqual(started + 29 * 600);
    await setCore(t, [PEOPLE.ben, PEOPLE.cora, PEOPLE.carl]);
  });
});

describe('a large Core', () => {
  const closingSlack = () => ({
    directory: webDirectory(t.concert.app.client, t.concert.botUserId),
    sender: webSender(t.concert.app.client),
    log: t.log,
    stillWanted: queuedMessageStillWanted(t.db),
  });
  /** A proposal put to a Core of Ben and ALL_VOTED_WITHIN + 5 others. */
  const openToLargeCore = async (title: string) => {
    const voters = voterIds(ALL_VOTED_WITHIN + 5, 'UL');
    await setCore(t, [PEOPLE.ben, ...voters]);
    await propose(t, PEOPLE.ben, title);
    await t.settled();
    return { voters, proposal: await latestProposal(t) };
  };
  const closedByAllVoting = (id: number) => ({
    id,
    status: 'closed',
    close_reason: 'all_voted',
    outcome: 'consensus',
  });

  it('asks whether all voted only once few enough others are awaited, and its last vote closes it', async () => {
    const { voters, proposal } = await openToLargeCore('A large Core decides');
    const [firstVoter = '', ...rest] = voters;
    const now = t.clock.now();
    const cast = () =>
      castVote(
        t.db,
        {
          teamId: t.slack.teamId,
          proposalId: proposal.id,
          voterId: firstVoter,
          position: 'support',
          reason: null,
        },
        now,
      );
    const first = await cast();
    // Ben and the 54 others are awaited: no statement asks whether all voted; with 50 awaited, one does.
    expect(first).toMatchObject({ ok: true, first: true, othersAwaited: ALL_VOTED_WITHIN + 5 });
    // The same position again counts the same others, the voter not among them.
    expect(await cast()).toMatchObject({ ok: true, changed: false, othersAwaited: ALL_VOTED_WITHIN + 5 });
    // Once the text is amended, confirming it counts the others too, not the voter who confirms.
    const amended = await amendProposal(
      t.db,
      {
        teamId: t.slack.teamId,
        proposalId: proposal.id,
        userId: PEOPLE.ben,
        fromVersion: proposal.text_version,
        title: 'A large Core decides, amended',
        details: null,
        note: null,
      },
      now,
    );
    expect(amended).toMatchObject({ ok: true });
    expect(await cast()).toMatchObject({ ok: true, confirmed: true, othersAwaited: ALL_VOTED_WITHIN + 5 });
    const ask = (othersAwaited: number) =>
      closeIfAllVoted(t.db, closingSlack(), proposal, now, othersAwaited);
    const skipped = await statements.of(() => ask(ALL_VOTED_WITHIN + 5));
    const asked = await statements.of(() => ask(ALL_VOTED_WITHIN));
    expect([skipped, asked]).toEqual([0, 1]);
    // Everyone else votes by clicking; the last click closes it, with no tick.
    for (const voter of [...rest, PEOPLE.ben]) await vote(t, voter, 'Support');
    await t.settled();
    expect(await latestProposal(t)).toMatchObject(closedByAllVoting(proposal.id));
  });

  it('closes at the next proposals tick one whose every voter voted but whose votes left it open', async () => {
    const { voters, proposal } = await openToLargeCore('Votes under way at once');
    // As when more than ALL_VOTED_WITHIN votes were under way at once: each saw too many awaited to ask.
    await t.db
      .insertInto('proposal_votes')
      .values(
        [PEOPLE.ben, ...voters].map((voter_id) => ({
          team_id: proposal.team_id,
          proposal_id: proposal.id,
          voter_id,
          position: 'support' as const,
          reason: null,
          voted_at: t.clock.now(),
          text_version: proposal.text_version,
          block_ground: null,
        })),
      )
      .execute();
    await jobFor(t, 'proposals').run(t.clock.now());
    await t.settled();
    expect(await latestProposal(t)).toMatchObject(closedByAllVoting(proposal.id));
    await setCore(t, [PEOPLE.ben, PEOPLE.cora, PEOPLE.carl]);
  });
});
