import { findProposal, postedMessageOf } from '../../db/proposals.js';
import type { BlockGround, Position } from '../../db/schema.js';
import { reminderAt } from '../../services/closing-time.js';
import { deliverDue } from '../../services/delivery.js';
import { type ClosingSlack, closeIfAllVoted } from '../../services/proposal-closing.js';
import { openProposal, proposalState, votesNeeded } from '../../services/proposals.js';
import { queuedMessageStillWanted } from '../../services/still-wanted.js';
import { formatClockTime, localTime } from '../../services/time.js';
import { castVote } from '../../services/votes.js';
import { webSender } from '../../slack/web-sender.js';
import { proposalMessage } from '../../views/proposals.js';
import { dayAt, type SeedContext, type SeedEvent } from './context.js';
import { PEOPLE, tzOf } from './workspace.js';

interface ProposalStory {
  proposer: string;
  title: string;
  details: string;
  /** Days from the start it opened and closes, at these UTC hours. */
  opened: { day: number; hourUtc: number };
  closes: { day: number; hourUtc: number };
  votes: readonly {
    day: number;
    hourUtc: number;
    voter: string;
    position: Position;
    reason?: string;
    ground?: BlockGround;
  }[];
}

/**
 * The Core's recent decisions: one agreed with a stand-aside (every voter voted, so it closed early), one
 * blocked at its deadline after a reminder to the one who had not voted, and one still open at the start.
 */
const STORIES: readonly ProposalStory[] = [
  {
    proposer: PEOPLE.diego,
    title: 'Adopt the shared data agreement',
    details:
      'Partners share anonymized counts (households served, surveys, placements) monthly, so the digest can show the whole coalition’s reach.',
    opened: { day: -19, hourUtc: 15 },
    closes: { day: -12, hourUtc: 15 },
    votes: [
      { day: -19, hourUtc: 18, voter: PEOPLE.priya, position: 'support' },
      { day: -18, hourUtc: 14, voter: PEOPLE.grace, position: 'support' },
      {
        day: -18,
        hourUtc: 16,
        voter: PEOPLE.tomas,
        position: 'stand_aside',
        reason: 'Housing has no one to enter data this quarter; we will follow it from spring.',
      },
      { day: -17, hourUtc: 15, voter: PEOPLE.diego, position: 'support' },
    ],
  },
  {
    proposer: PEOPLE.priya,
    title: 'Move Core meetings to Wednesday evenings',
    details: 'Daytime meetings clash with pantry shifts. Wednesdays 18:00–19:30 Central, on video.',
    opened: { day: -11, hourUtc: 16 },
    closes: { day: -4, hourUtc: 17 },
    votes: [
      { day: -11, hourUtc: 16, voter: PEOPLE.priya, position: 'support' },
      { day: -11, hourUtc: 19, voter: PEOPLE.diego, position: 'support' },
      {
        day: -10,
        hourUtc: 15,
        voter: PEOPLE.tomas,
        position: 'block',
        ground: 'common_agenda',
        reason:
          'Our tenant organizers run evening clinics on Wednesdays; an evening meeting would shut Housing out.',
      },
    ],
  },
  {
    proposer: PEOPLE.grace,
    title: 'Co-host a spring resource fair with the library',
    details:
      'One Saturday in April: every work group gets a table, the library gives the room and publicity.',
    opened: { day: -3, hourUtc: 16 },
    closes: { day: 9, hourUtc: 17 },
    votes: [{ day: -3, hourUtc: 19, voter: PEOPLE.priya, position: 'support' }],
  },
];

/**
 * Each proposal is opened, voted on and closed through the proposal services at the moments it happened;
 * the Core channel shows its message with the tally of the time, and the outcome in its thread.
 */
export function seedProposals(context: SeedContext): SeedEvent[] {
  return STORIES.flatMap((story): SeedEvent[] => {
    let proposalId: number | undefined;
    const openedAt = dayAt(context, story.opened.day, story.opened.hourUtc);
    const closesAt = dayAt(context, story.closes.day, story.closes.hourUtc);
    const id = () => {
      if (proposalId === undefined)
        throw new Error(`the sandbox seed voted on “${story.title}” before it opened`);
      return proposalId;
    };
    const open: SeedEvent = {
      at: openedAt,
      async run() {
        proposalId = await propose(context, story, openedAt, closesAt);
      },
    };
    const votes = story.votes.map((vote): SeedEvent => {
      // A vote in the same hour as the opening comes a few minutes after it.
      const at = new Date(dayAt(context, vote.day, vote.hourUtc).getTime() + 5 * 60_000);
      return { at, run: () => castAndFollow(context, id(), vote, at) };
    });
    // The proposals job runs at the reminder and the deadline, as the scheduler would.
    const remindAt = reminderAt(openedAt, closesAt);
    const jobs = [remindAt, closesAt].map(
      (at): SeedEvent => ({ at, run: () => context.runJob('proposals', at) }),
    );
    return [open, ...votes, ...jobs];
  });
}

function closingSlack(context: SeedContext): ClosingSlack {
  return {
    directory: context.directory,
    sender: webSender(context.client),
    log: context.log,
    stillWanted: queuedMessageStillWanted(context.db),
  };
}

async function propose(
  context: SeedContext,
  story: ProposalStory,
  at: Date,
  closesAt: Date,
): Promise<number> {
  const { db, directory, teamId, client, log } = context;
  // The closing time as the proposer picked it, in their own zone.
  const close = localTime(closesAt, tzOf(story.proposer));
  const opened = await openProposal(
    db,
    directory,
    {
      teamId,
      proposerId: story.proposer,
      draft: {
        kind: 'other',
        title: story.title,
        details: story.details,
        closeDate: close.date,
        closeTime: formatClockTime(close.minute),
      },
    },
    at,
  );
  if (!opened.ok)
    throw new Error(`the sandbox seed could not open “${story.title}”: ${JSON.stringify(opened.errors)}`);
  if (opened.postId !== undefined) {
    await deliverDue(db, webSender(client), queuedMessageStillWanted(db), at, log, { ids: [opened.postId] });
  }
  return opened.proposal.id;
}

/** A vote, then what the app does after one: the tally brought up to date, and the close once all have voted. */
async function castAndFollow(
  context: SeedContext,
  proposalId: number,
  vote: ProposalStory['votes'][number],
  at: Date,
): Promise<void> {
  const { db, teamId, client } = context;
  const result = await castVote(
    db,
    {
      teamId,
      proposalId,
      voterId: vote.voter,
      position: vote.position,
      reason: vote.reason ?? null,
      ground: vote.ground ?? null,
    },
    at,
  );
  if (!result.ok)
    throw new Error(`the sandbox seed could not vote on proposal ${proposalId}: ${result.reason}`);
  const proposal = await findProposal(db, teamId, proposalId);
  const posted = await postedMessageOf(db, teamId, proposalId);
  if (proposal?.status === 'open' && posted?.message_channel && posted.message_ts) {
    const state = await proposalState(db, proposal);
    const message = proposalMessage(state, votesNeeded(state));
    await webSender(client).update(posted.message_channel, posted.message_ts, message.text, message.blocks);
  }
  await closeIfAllVoted(db, closingSlack(context), result.proposal, at);
}
