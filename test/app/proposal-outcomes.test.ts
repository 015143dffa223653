import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../harness/app.js';
import { PEOPLE, startCoalition } from '../harness/coalition.js';
import {
  latestProposal,
  propose,
  setCore,
  threadOf,
  vote,
  voterIds,
  voteWithReason,
} from '../harness/proposals.js';
import { fireSlot } from '../harness/scheduler.js';

let t: TestApp;
beforeAll(async () => {
  // The rate of tally updates is another test's subject; here each vote need not wait a second for it.
  t = await startCoalition({ liveTallyIntervalMs: 20 });
});
afterAll(() => t.stop());

const DAY = 24 * 60 * 60 * 1000;
const START = Date.parse('2026-11-23T15:00:00Z');

type Vote = 'S' | 'A' | 'B';
type Close = 'deadline' | 'backbone' | 'withdraw' | 'all voted';

interface Case {
  name: string;
  eligible: number;
  votes: Vote[];
  close: Close;
  expected: { status: string; outcome: string | null; close_reason: string };
}

const cases: Case[] = [
  {
    name: 'one Block among supporters blocks',
    eligible: 3,
    votes: ['S', 'S', 'B'],
    close: 'all voted',
    expected: { status: 'closed', outcome: 'blocked', close_reason: 'all_voted' },
  },
  {
    name: '9 eligible need ⌈6⌉: 5 votes is no quorum',
    eligible: 9,
    votes: ['S', 'S', 'S', 'S', 'S'],
    close: 'deadline',
    expected: { status: 'closed', outcome: 'no_quorum', close_reason: 'deadline' },
  },
  {
    name: '9 eligible: 6 votes reach the quorum',
    eligible: 9,
    votes: ['S', 'S', 'S', 'S', 'S', 'S'],
    close: 'deadline',
    expected: { status: 'closed', outcome: 'consensus', close_reason: 'deadline' },
  },
  {
    name: '4 eligible need ⌈8/3⌉ = 3: 2 votes is no quorum',
    eligible: 4,
    votes: ['S', 'S'],
    close: 'deadline',
    expected: { status: 'closed', outcome: 'no_quorum', close_reason: 'deadline' },
  },
  {
    name: '4 eligible: 3 votes reach the quorum',
    eligible: 4,
    votes: ['S', 'S', 'S'],
    close: 'deadline',
    expected: { status: 'closed', outcome: 'consensus', close_reason: 'deadline' },
  },
  {
    name: '3 of 7 standing aside is more than ⅓: no consensus',
    eligible: 7,
    votes: ['S', 'S', 'S', 'S', 'A', 'A', 'A'],
    close: 'all voted',
    expected: { status: 'closed', outcome: 'no_consensus', close_reason: 'all_voted' },
  },
  {
    name: '2 of 6 votes standing aside is exactly ⅓: consensus',
    eligible: 7,
    votes: ['S', 'S', 'S', 'S', 'A', 'A'],
    close: 'deadline',
    expected: { status: 'closed', outcome: 'consensus', close_reason: 'deadline' },
  },
  {
    name: 'closed early by the backbone, decided on the votes so far',
    eligible: 3,
    votes: ['S', 'S'],
    close: 'backbone',
    expected: { status: 'closed', outcome: 'consensus', close_reason: 'early' },
  },
  {
    name: 'withdrawn by the proposer: nothing decided',
    eligible: 3,
    votes: ['B'],
    close: 'withdraw',
    expected: { status: 'withdrawn', outcome: null, close_reason: 'withdrawn' },
  },
];

describe('proposal outcomes, through the app', () => {
  it.each(cases.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    const start = START + i * 8 * DAY;
    t.clock.set(new Date(start));
    const voters = voterIds(c.eligible, `UC${i}`);
    // Closing early takes a backbone member who can see the Core's message: Ben is in both.
    if (c.close === 'backbone') voters[c.eligible - 1] = PEOPLE.ben;
    await setCore(t, voters);
    const proposer = voters[0] as string;
    const title = `Case ${i + 1}`;
    expect((await propose(t, proposer, title)).body).toBe('');
    for (const [n, position] of c.votes.entries()) {
      const voter = voters[n] as string;
      if (position === 'S') await vote(t, voter, 'Support');
      else
        expect(
          (await voteWithReason(t, voter, position === 'A' ? 'Stand aside' : 'Block', `reason ${n}`)).body,
        ).toBe('');
    }
    if (c.close === 'deadline') await fireSlot(t, 'proposals', new Date(start + 7 * DAY));
    if (c.close === 'backbone')
      await t.slack.chooseOption(PEOPLE.ben, 'Close the vote now', { in: 'message' });
    if (c.close === 'withdraw') await t.slack.chooseOption(proposer, 'Withdraw', { in: 'message' });

    const proposal = await latestProposal(t);
    expect(proposal.title).toBe(title);
    expect({
      status: proposal.status,
      outcome: proposal.outcome,
      close_reason: proposal.close_reason,
    }).toEqual(c.expected);
    if (c.close === 'backbone') expect(proposal.closed_by).toBe(PEOPLE.ben);
    // Whatever closed it, the thread says how it ended, once.
    const thread = threadOf(t, title);
    expect(thread).toHaveLength(1);
    expect(thread[0]?.text).toMatch(
      c.expected.outcome === null
        ? /withdrew/
        : new RegExp(
            `^${['Blocked', 'No quorum', 'No consensus', 'Consensus reached'][['blocked', 'no_quorum', 'no_consensus', 'consensus'].indexOf(c.expected.outcome)]}:`,
          ),
    );
    expect(t.fake.rejections).toEqual([]);
  });
});
