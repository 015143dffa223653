import { type Db, withSavepoint } from '../db/database.js';
import { takeOnce, wasTaken } from '../db/interaction-effects.js';
import { votersOnEarlierText } from '../db/proposal-texts.js';
import {
  claimEffect,
  claimReminder,
  closeIfOpen,
  countNotYetVoted,
  findProposal,
  listDueProposals,
  listFullyVotedProposals,
  listRemindersDue,
  nonVotersOf,
  postedMessageOf,
  updateProposal,
  votesOf,
} from '../db/proposals.js';
import type { CloseReason, Proposal } from '../db/schema.js';
import {
  findActiveWorkGroupByChannel,
  findActiveWorkGroupByName,
  findWorkGroup,
  insertWorkGroup,
  updateWorkGroup,
} from '../db/work-groups.js';
import { findWorkspace, setBackboneChannel } from '../db/workspaces.js';
import type { Logger } from '../logger.js';
import { channel, clip, escapeMrkdwn, list, user } from '../views/text.js';
import { type Decision, decide, tallyOf } from './consensus.js';
import { deliverDue, type Senders, type StillWanted } from './delivery.js';
import { followChannels } from './membership.js';
import { type Once, REPEAT, type Repeat } from './once.js';
import { type MessageName, type Outgoing, queueMessage, queueMessages } from './outgoing.js';
import {
  lookUpBeforeGroupClose,
  openCoreFromGroup,
  tellRepresentativesOfGroupVote,
} from './partnership-endings.js';
import { currentVotes, type ProposalState, proposalState, rulesOf, votesNeeded } from './proposals.js';
import { mayActAsBackbone } from './roles.js';
import { type SlackDirectory, storedPeopleOnly } from './slack-directory.js';
import { timeZoneOf } from './time.js';

/** A new work group agreed by the Core checks in on the default schedule until the backbone changes it. */
const DEFAULT_CHECKIN = { weekday: 1, minute: 10 * 60 };

/** Enough of an unexpected error to tell the backbone what went wrong; the whole of it is in the log. */
const EFFECT_ERROR_MAX = 300;

export interface ClosingSlack {
  /** One directory, or each workspace's own (OAuth mode: each on its own token). */
  directory: SlackDirectory | ((teamId: string) => SlackDirectory);
  sender: Senders;
  log: Logger;
  stillWanted: StillWanted;
  /** The pace kept for updates of the proposal's message, where something else updates it too. */
  pace?: MessagePace;
}

export function directoryOf(slack: ClosingSlack, teamId: string): SlackDirectory {
  return typeof slack.directory === 'function' ? slack.directory(teamId) : slack.directory;
}

/**
 * Turns for updates of one proposal's message (chat.update: about one a second per message; the live
 * tally takes the others). The close's final message, and everything queued behind it in its
 * conversation, goes in the next turn rather than overtaking the last.
 */
export interface MessagePace {
  /** Milliseconds until the proposal's message may be updated again. */
  nextTurnIn(teamId: string, proposalId: number): number;
  /** Runs `send` in the message's next turn (never throws: a failure is logged, the rows stay queued). */
  inTurn(teamId: string, proposalId: number, send: () => Promise<void>): void;
}

export type EffectResult =
  | { applied: true; summary: string; followChannel?: string; ids?: number[] }
  | { applied: false; error: string };

export type CloseResult =
  | { ok: true; proposal: Proposal; decision: Decision | undefined; effect: EffectResult | undefined }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'already-closed'; proposal: Proposal }
  | { ok: false; reason: 'not-allowed'; proposal: Proposal; backboneChannelId?: string | null }
  | Repeat;

/**
 * Puts an agreed decision into effect, at most once: the conditional claim on `effect_applied_at` lets only
 * one caller through, and a retry finds it taken. What cannot be done is returned, never thrown, so the
 * close still stands and the failure can be told: that includes an error from the database (the work
 * group's name taken by another writer between the check and the insert), whose changes are undone back to
 * a savepoint while the rest of the close goes on.
 */
export async function applyDecision(
  db: Db,
  proposal: Proposal,
  now: Date,
  log?: Logger,
  directory?: SlackDirectory,
): Promise<EffectResult | undefined> {
  if (!db.isTransaction)
    return db.transaction().execute((tx) => applyDecision(tx, proposal, now, log, directory));
  const claimed = await claimEffect(db, proposal.team_id, proposal.id, now);
  if (!claimed) return undefined;
  let result: EffectResult;
  try {
    result = await withSavepoint(db, 'proposal_effect', () => effectOf(db, claimed, now, directory));
  } catch (error) {
    log?.error({ err: error, proposalId: proposal.id }, 'a decision could not be put into effect');
    const detail = error instanceof Error ? error.message : String(error);
    result = {
      applied: false,
      error: `the change failed with an error (${escapeMrkdwn(clip(detail, EFFECT_ERROR_MAX))}).`,
    };
  }
  if (!result.applied) {
    await updateProposal(db, proposal.team_id, proposal.id, {
      effect_applied_at: null,
      effect_error: result.error,
    });
  }
  return result;
}

async function effectOf(
  db: Db,
  proposal: Proposal,
  now: Date,
  directory: SlackDirectory | undefined,
): Promise<EffectResult> {
  const teamId = proposal.team_id;
  const payload = proposal.payload;
  const workspace = await findWorkspace(db, teamId);
  const tz = timeZoneOf(workspace?.default_tz);
  switch (proposal.kind) {
    case 'add_work_group': {
      const name = payload.groupName ?? '';
      const channelId = payload.groupChannelId ?? '';
      if (await findActiveWorkGroupByName(db, teamId, name))
        return { applied: false, error: `a work group called “${escapeMrkdwn(name)}” already exists.` };
      const owner = await findActiveWorkGroupByChannel(db, teamId, channelId);
      if (owner)
        return {
          applied: false,
          error: `${channel(channelId)} already belongs to the work group “${escapeMrkdwn(owner.name)}”.`,
        };
      if (channelId === workspace?.core_channel_id || channelId === workspace?.backbone_channel_id)
        return { applied: false, error: `${channel(channelId)} is now the Core or backbone channel.` };
      await insertWorkGroup(db, {
        team_id: teamId,
        name,
        channel_id: channelId,
        checkin_weekday: DEFAULT_CHECKIN.weekday,
        checkin_minute: DEFAULT_CHECKIN.minute,
        tz_mode: 'group',
        tz,
        created_by: proposal.proposer_id,
        created_at: now,
        updated_at: now,
      });
      return {
        applied: true,
        summary: `The work group *${escapeMrkdwn(name)}* now works in ${channel(channelId)} and checks in Mondays at 10:00 (${tz}).`,
        followChannel: channelId,
      };
    }
    case 'end_work_group': {
      // The work group agreed among itself: what follows is the Core's proposal, not the end.
      if (proposal.stage === 'group') {
        if (!directory) return { applied: false, error: 'Concert could not read the Core’s members.' };
        const opening = await openCoreFromGroup(db, directory, proposal, now);
        if (!opening.applied) return opening;
        const { core, ids } = opening;
        const presenters = list((core.payload.presenters ?? [core.proposer_id]).map(user));
        return {
          applied: true,
          summary: `The work group agreed, so its representatives (${presenters}) now present ending the partnership to the Core in ${channel(core.channel_id)}. It ends only if the Core agrees too.`,
          ids,
        };
      }
      const group = payload.workGroupId ? await findWorkGroup(db, teamId, payload.workGroupId) : undefined;
      if (!group) return { applied: false, error: 'the work group no longer exists.' };
      if (group.status !== 'active')
        return { applied: false, error: `the work group “${escapeMrkdwn(group.name)}” had already ended.` };
      await updateWorkGroup(db, teamId, group.id, { status: 'ended', ended_at: now, updated_at: now });
      return {
        applied: true,
        summary: `The partnership with *${escapeMrkdwn(group.name)}* has ended: no more check-ins or nudges. Its history is kept.`,
      };
    }
    case 'change_backbone': {
      const channelId = payload.backboneChannelId ?? '';
      if (!workspace) return { applied: false, error: 'the workspace is no longer set up.' };
      if (channelId === workspace.core_channel_id)
        return { applied: false, error: `${channel(channelId)} is the Core channel.` };
      const owner = await findActiveWorkGroupByChannel(db, teamId, channelId);
      if (owner)
        return {
          applied: false,
          error: `${channel(channelId)} belongs to the work group “${escapeMrkdwn(owner.name)}”.`,
        };
      await setBackboneChannel(db, teamId, channelId, now);
      return {
        applied: true,
        summary: `${channel(channelId)} is now the backbone channel.`,
        followChannel: channelId,
      };
    }
    case 'other':
      return { applied: true, summary: '' };
  }
}

/**
 * The votes a closed proposal's message shows as needed: as the close counted them, or none for a withdrawn
 * proposal, which was not decided.
 */
export function finalVotesNeeded(state: ProposalState): number | undefined {
  return state.proposal.status === 'withdrawn' ? undefined : votesNeeded(state);
}

/**
 * The directory a close reads inside its transaction: people as stored (`storedPeopleOnly`), after those its
 * decision may read, and the links it gives, were looked up in Slack here, outside it (`lookUpBeforeGroupClose`).
 * A failed lookup is logged and the close goes on with what is stored, without links.
 */
async function lookedUpBeforeClose(
  db: Db,
  slack: ClosingSlack,
  request: { teamId: string; proposalId: number; read?: Proposal },
  now: Date,
): Promise<SlackDirectory> {
  const { teamId, proposalId } = request;
  const directory = directoryOf(slack, teamId);
  try {
    const proposal = request.read ?? (await findProposal(db, teamId, proposalId));
    if (proposal?.status === 'open')
      return storedPeopleOnly(directory, await lookUpBeforeGroupClose(db, directory, proposal, now));
  } catch (error) {
    slack.log.warn({ err: error, teamId, proposalId }, 'could not look people up in Slack before a close');
  }
  return storedPeopleOnly(directory);
}

/**
 * Closes a proposal once, however many callers race to do it: the conditional update decides, and in the
 * same transaction the outcome is stored, an agreed decision put into effect, and the final message, the
 * threaded outcome and any failure report queued (each keyed by the proposal, so sent once). With `once`
 * (the click that closes it), the same click again is a `repeat`, answered by nobody. They are sent at
 * once, or with `slack.pace` in the proposal message's next turn (due no sooner, for any sender).
 */
export async function closeProposal(
  db: Db,
  slack: ClosingSlack,
  request: {
    teamId: string;
    proposalId: number;
    reason: CloseReason;
    by: string | null;
    once?: Once;
    /** The proposal as the caller read it, open, when it has it: spares reading it again. */
    read?: Proposal;
  },
  now: Date,
): Promise<CloseResult> {
  const { teamId, proposalId, reason, by } = request;
  const directory = await lookedUpBeforeClose(db, slack, request, now);
  // The final message is due no sooner than the message's next turn, so no sender overtakes the last update.
  const finalAt = new Date(now.getTime() + (slack.pace?.nextTurnIn(teamId, proposalId) ?? 0));
  const closed = await db.transaction().execute(async (tx) => {
    if (!(await takeOnce(tx, request.once, now))) return 'repeat';
    const proposal = await closeIfOpen(tx, teamId, proposalId, {
      status: reason === 'withdrawn' ? 'withdrawn' : 'closed',
      closed_at: now,
      closed_by: by,
      close_reason: reason,
    });
    if (!proposal) return undefined;
    let decided = proposal;
    let decision: Decision | undefined;
    let effect: EffectResult | undefined;
    if (reason !== 'withdrawn') {
      const before = await proposalState(tx, proposal);
      // Only positions on the final text count: one left on an earlier text is as not voted.
      decision = decide(
        tallyOf(currentVotes(before).map((v) => v.position)),
        rulesOf(proposal, before.voters.length),
      );
      decided = await updateProposal(tx, teamId, proposalId, { outcome: decision.outcome });
      if (decision.outcome === 'consensus')
        effect = await applyDecision(tx, decided, now, slack.log, directory);
    }
    const state = await proposalState(tx, decided);
    const posted = await postedMessageOf(tx, teamId, proposalId);
    const ids: number[] = [];
    const queue = async (message: Outgoing<MessageName>) => {
      for (const row of await queueMessages(tx, message, now)) ids.push(row.id);
    };
    if (posted?.message_ts) {
      await queue({
        teamId,
        kind: 'proposal_final',
        data: { state, required: finalVotesNeeded(state) },
        to: posted.message_channel ?? decided.channel_id,
        updateTs: posted.message_ts,
        dueAt: finalAt,
      });
    }
    const threadTs = posted?.message_ts ?? undefined;
    const summary = effect?.applied ? effect.summary || undefined : undefined;
    await queue({
      teamId,
      kind: 'proposal_outcome',
      data: { state, decision, effect: summary },
      to: decided.channel_id,
      ...(threadTs ? { threadTs } : {}),
    });
    if (effect?.applied) ids.push(...(effect.ids ?? []));
    if (decision && decided.stage === 'group')
      ids.push(...(await tellRepresentativesOfGroupVote(tx, directory, decided, decision, now)));
    if (effect && !effect.applied) {
      await queue({
        teamId,
        kind: 'proposal_effect_failed',
        data: { proposal: decided, error: effect.error, where: 'thread' },
        to: decided.channel_id,
        ...(threadTs ? { threadTs } : {}),
      });
      const backbone = (await findWorkspace(tx, teamId))?.backbone_channel_id;
      if (backbone)
        await queue({
          teamId,
          kind: 'proposal_effect_failed',
          data: { proposal: decided, error: effect.error, where: 'backbone' },
          to: backbone,
        });
    }
    return { proposal: (await findProposal(tx, teamId, proposalId)) ?? decided, decision, effect, ids };
  });
  if (closed === 'repeat') return REPEAT;
  if (!closed) {
    const current = await findProposal(db, teamId, proposalId);
    return current
      ? { ok: false, reason: 'already-closed', proposal: current }
      : { ok: false, reason: 'not-found' };
  }
  const { proposal, decision, effect, ids } = closed;
  // The close has committed: nothing after this may undo it or stop a sweep that closes others.
  try {
    if (effect?.applied && effect.followChannel) {
      // The new group's or backbone's members are read from Slack once the decision stands.
      await followChannels(db, directoryOf(slack, teamId), teamId, [effect.followChannel], now);
    } else if (effect?.applied && proposal.kind === 'end_work_group' && proposal.stage === 'core') {
      await followChannels(db, directoryOf(slack, teamId), teamId, [], now);
    }
  } catch (error) {
    slack.log.warn({ err: error, proposalId }, 'could not bring the roles up to date after a decision');
  }
  const send = async () => {
    try {
      await deliverDue(db, slack.sender, slack.stillWanted, finalAt, slack.log, { ids });
    } catch (error) {
      // Queued, they go with the next sweep's sending.
      slack.log.warn({ err: error, proposalId }, 'could not send the messages about a closed proposal yet');
    }
  };
  if (slack.pace) slack.pace.inTurn(teamId, proposalId, send);
  else await send();
  return { ok: true, proposal, decision, effect };
}

/**
 * Closing before the deadline: the backbone may close a vote; only the proposer may withdraw it. With
 * `once` (the menu choice on the message as shown), the same choice again is a `repeat`: it closes
 * nothing and is not answered again.
 */
export async function closeByHand(
  db: Db,
  slack: ClosingSlack,
  request: { teamId: string; proposalId: number; userId: string; action: 'close' | 'withdraw'; once?: Once },
  now: Date,
): Promise<CloseResult> {
  const { teamId, proposalId, userId, action, once } = request;
  const proposal = await findProposal(db, teamId, proposalId);
  if (!proposal) return { ok: false, reason: 'not-found' };
  if (proposal.status !== 'open')
    return (await wasTaken(db, once)) ? REPEAT : { ok: false, reason: 'already-closed', proposal };
  if (action === 'withdraw') {
    if (proposal.proposer_id !== userId) return { ok: false, reason: 'not-allowed', proposal };
    return closeProposal(db, slack, { teamId, proposalId, reason: 'withdrawn', by: userId, once }, now);
  }
  const permission = await mayActAsBackbone(db, teamId, userId);
  if (!permission.allowed) {
    return {
      ok: false,
      reason: 'not-allowed',
      proposal,
      backboneChannelId: permission.roles.workspace?.backbone_channel_id,
    };
  }
  return closeProposal(db, slack, { teamId, proposalId, reason: 'early', by: userId, once }, now);
}

/**
 * How many other voters a first vote may have seen still awaited and yet ask whether everyone has voted. A vote
 * does not see the votes under way beside it, so one that saw at most this many may be among the last; one
 * that saw more is not, unless more than this many votes on one proposal were under way at once (across
 * instances), and then the proposals tick closes it (`closeDueProposals`). Spares a statement per vote on a
 * large Core.
 */
export const ALL_VOTED_WITHIN = 50;

/**
 * After a first vote: once every eligible voter has voted, there is nothing left to wait for. `othersAwaited`
 * is how many other voters the vote saw without a position (`VoteResult`); over `ALL_VOTED_WITHIN`, nothing is
 * asked.
 */
export async function closeIfAllVoted(
  db: Db,
  slack: ClosingSlack,
  proposal: Proposal,
  now: Date,
  othersAwaited = 0,
): Promise<CloseResult | undefined> {
  if (othersAwaited > ALL_VOTED_WITHIN) return undefined;
  if ((await countNotYetVoted(db, proposal.id)) > 0) return undefined;
  return closeProposal(
    db,
    slack,
    { teamId: proposal.team_id, proposalId: proposal.id, reason: 'all_voted', by: null, read: proposal },
    now,
  );
}

/**
 * The scheduled sweep: every proposal whose deadline has passed is closed (once, whoever else tries), and
 * every open one everyone has voted on (left by its votes: see `ALL_VOTED_WITHIN`). One that fails to close
 * is logged and left for the next sweep; the others close all the same.
 */
export async function closeDueProposals(db: Db, slack: ClosingSlack, now: Date): Promise<number> {
  const [due, voted] = await Promise.all([listDueProposals(db, now), listFullyVotedProposals(db)]);
  const closing = [
    ...due.map((proposal) => ({ proposal, reason: 'deadline' as const })),
    ...voted
      .filter((proposal) => !due.some((d) => d.id === proposal.id))
      .map((proposal) => ({ proposal, reason: 'all_voted' as const })),
  ];
  let closedCount = 0;
  for (const { proposal, reason } of closing) {
    try {
      const result = await closeProposal(
        db,
        slack,
        { teamId: proposal.team_id, proposalId: proposal.id, reason, by: null, read: proposal },
        now,
      );
      if (result.ok) closedCount++;
    } catch (error) {
      slack.log.error(
        { err: error, teamId: proposal.team_id, proposalId: proposal.id },
        reason === 'deadline'
          ? 'could not close a proposal at its deadline'
          : 'could not close a proposal everyone has voted on',
      );
    }
  }
  return closedCount;
}

/**
 * Queues the one reminder per proposal, by DM, to the eligible voters who have not voted. The claim and the
 * messages commit together: a failure leaves the reminder unclaimed for the next sweep, never marked as
 * sent with nothing queued.
 */
export async function planProposalReminders(db: Db, now: Date, log: Logger): Promise<number> {
  let queued = 0;
  for (const due of await listRemindersDue(db, now)) {
    try {
      queued += await db.transaction().execute(async (tx) => {
        const proposal = await claimReminder(tx, due.team_id, due.id, now);
        if (!proposal) return 0;
        let count = 0;
        for (const voter of await nonVotersOf(tx, proposal.id)) {
          const row = await queueMessage(
            tx,
            { teamId: proposal.team_id, kind: 'proposal_reminder', data: { proposal, voter }, to: voter },
            now,
          );
          if (row) count++;
        }
        // Those whose position stands on an earlier text are reminded to confirm or change it.
        for (const voter of await votersOnEarlierText(tx, proposal.id, proposal.text_version)) {
          const row = await queueMessage(
            tx,
            {
              teamId: proposal.team_id,
              kind: 'proposal_confirm_reminder',
              data: { proposal, voter },
              to: voter,
            },
            now,
          );
          if (row) count++;
        }
        return count;
      });
    } catch (error) {
      log.error(
        { err: error, teamId: due.team_id, proposalId: due.id },
        'could not queue a proposal’s reminders',
      );
    }
  }
  return queued;
}

/** The message that puts a proposal to the Core goes out only while the vote is open. */
export async function proposalStillOpen(db: Db, teamId: string, proposalId: number): Promise<boolean> {
  return (await findProposal(db, teamId, proposalId))?.status === 'open';
}

/** A reminder goes out only while the vote is open and its voter has not voted since it was queued. */
export async function voterStillAwaited(
  db: Db,
  teamId: string,
  { proposalId, voter }: { proposalId: number; voter: string },
): Promise<boolean> {
  if (!(await proposalStillOpen(db, teamId, proposalId))) return false;
  const votes = await votesOf(db, proposalId);
  return !votes.some((v) => v.voter_id === voter);
}
