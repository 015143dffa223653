import { channelMemberIds } from '../db/channel-members.js';
import type { Db } from '../db/database.js';
import { findProposalFromGroup } from '../db/partnership-endings.js';
import { findPerson } from '../db/people.js';
import { decisionRef } from '../db/proposal-records.js';
import { findProposalByView, insertProposal, PROPOSAL_POST, postedMessageOf } from '../db/proposals.js';
import type { ActionStep, Proposal, WorkGroup, Workspace } from '../db/schema.js';
import { findWorkGroup } from '../db/work-groups.js';
import { findWorkspace } from '../db/workspaces.js';
import { insertStepWithEvent } from './action-steps.js';
import { isUnreachable } from './channel-reach.js';
import { DEFAULT_OPEN_DAYS, reminderAt } from './closing-time.js';
import type { Decision } from './consensus.js';
import { queueAssignment } from './nudges.js';
import { queueMessage } from './outgoing.js';
import { isCountedPerson } from './people.js';
import {
  type CheckedProposal,
  countedMembersOf,
  type OpenResult,
  openCheckedProposal,
  proposalRowOf,
  proposalState,
  votesNeeded,
} from './proposals.js';
import { type KnownLinks, linkKey, type SlackDirectory } from './slack-directory.js';
import { laterBy, localDate, timeZoneOf } from './time.js';

/**
 * Ending a partnership as the charter says: "the work group's members agree by consensus to end their
 * partnership before their representatives present it to the Core, after backbone and work group
 * representatives have explored what support would let it continue."
 *
 * 1. A representative (a member of both the group's channel and the Core channel) starts it with `/propose`.
 *    This opens the group's own vote (`stage = 'group'`) in the group's channel: the same positions and
 *    rules as the Core's, its voters the group's members then, its quorum over them. With it, an action
 *    step "Explore supports with <group>" (source `partnership`) goes to a backbone member (see
 *    `exploreOwner`), due the day the group's vote closes; the representatives and the backbone channel are
 *    told.
 * 2. Closed without consensus, nothing goes to the Core and the representatives are told why.
 * 3. Closed with consensus, the Core's proposal opens once (`group_decision_id` is unique), presented by the
 *    representatives and naming the group's decision. The partnership ends only if the Core agrees too.
 */

export const EXPLORE_TITLE_PREFIX = 'Explore supports with ';

/** Those of `ids` who are people (no bots, no deactivated accounts). */
async function peopleIn(
  db: Db,
  directory: SlackDirectory,
  teamId: string,
  ids: readonly string[],
  now: Date,
) {
  const counted: string[] = [];
  for (const id of ids) if (await isCountedPerson(db, directory, teamId, id, now)) counted.push(id);
  return counted;
}

/** The group's representatives now: people in both its channel and the Core channel. */
export async function representativesOf(
  db: Db,
  directory: SlackDirectory,
  workspace: Workspace,
  group: WorkGroup,
  now: Date,
): Promise<string[]> {
  const [members, core] = await Promise.all([
    channelMemberIds(db, group.team_id, group.channel_id),
    channelMemberIds(db, group.team_id, workspace.core_channel_id ?? ''),
  ]);
  return peopleIn(
    db,
    directory,
    group.team_id,
    members.filter((id) => core.includes(id)),
    now,
  );
}

/**
 * Who owns "Explore supports with <group>": a backbone member. The representative who starts it, if they
 * are in the backbone; else whoever set Concert up, if still in the backbone; else the backbone channel's
 * first member by Slack ID (a stable choice the backbone can hand on with *New date* or by making another
 * step). Undefined when the backbone channel has no person in it.
 */
async function exploreOwner(
  db: Db,
  directory: SlackDirectory,
  workspace: Workspace,
  proposerId: string,
  now: Date,
): Promise<string | undefined> {
  const backbone = await peopleIn(
    db,
    directory,
    workspace.team_id,
    await channelMemberIds(db, workspace.team_id, workspace.backbone_channel_id ?? ''),
    now,
  );
  if (backbone.includes(proposerId)) return proposerId;
  if (workspace.set_up_by && backbone.includes(workspace.set_up_by)) return workspace.set_up_by;
  return backbone[0];
}

export type StartResult = OpenResult & { step?: ActionStep | undefined; ids?: number[] };

const NOBODY_IN_GROUP =
  'Concert knows of nobody in the work group’s channel yet, so nobody could decide. Try again in a minute.';

/**
 * Starts ending a partnership from a checked `end_work_group` form: opens the group's own vote in its
 * channel, makes the explore step and tells the representatives and the backbone, in one transaction. One
 * form starts it once (`viewId`), however often it is submitted. `ids`: the queued messages, to send now.
 */
export async function startPartnershipEnding(
  db: Db,
  directory: SlackDirectory,
  checked: CheckedProposal,
  viewId: string | null,
  now: Date,
): Promise<StartResult> {
  const { teamId } = checked;
  if (viewId) {
    const opened = await findProposalByView(db, teamId, viewId);
    if (opened) return { ok: true, proposal: opened, postId: undefined, duplicate: true };
  }
  const [group, workspace] = await Promise.all([
    findWorkGroup(db, teamId, checked.payload.workGroupId ?? 0),
    findWorkspace(db, teamId),
  ]);
  if (group?.status !== 'active' || !workspace)
    return { ok: false, errors: { workGroup: 'That work group has ended already.' } };
  if (await isUnreachable(db, teamId, group.channel_id))
    return {
      ok: false,
      errors: {
        workGroup:
          'Concert can’t post in the work group’s channel right now (archived, or Concert was removed from it); the backbone has been told how to fix it. Try again once it is back.',
      },
    };
  const voters = await countedMembersOf(db, directory, teamId, group.channel_id, now);
  if (voters.length === 0) return { ok: false, errors: { workGroup: NOBODY_IN_GROUP } };
  const owner = await exploreOwner(db, directory, workspace, checked.proposerId, now);
  const representatives = await representativesOf(db, directory, workspace, group, now);
  return db.transaction().execute(async (tx): Promise<StartResult> => {
    const proposal = await insertProposal(
      tx,
      proposalRowOf(checked, viewId, now, {
        stage: 'group',
        channelId: group.channel_id,
        payload: { workGroupId: group.id },
      }),
      voters,
    );
    if (!proposal) {
      const opened = viewId ? await findProposalByView(tx, teamId, viewId) : undefined;
      if (opened) return { ok: true, proposal: opened, postId: undefined, duplicate: true };
      // Another representative's vote on it opened at the same moment (proposals_one_open_group_ending).
      return {
        ok: false,
        errors: {
          workGroup: `Another representative has just opened ${group.name}’s own vote on ending its partnership. Vote there, in its channel.`,
        },
      };
    }
    const ids: number[] = [];
    const state = await proposalState(tx, proposal);
    const post = await queueMessage(
      tx,
      { teamId, kind: PROPOSAL_POST, data: { state, required: votesNeeded(state) }, to: group.channel_id },
      now,
    );
    if (post) ids.push(post.id);
    let step: ActionStep | undefined;
    if (owner) {
      const ownerZone = timeZoneOf((await findPerson(tx, teamId, owner))?.tz, workspace.default_tz);
      step = await insertStepWithEvent(
        tx,
        {
          teamId,
          createdBy: checked.proposerId,
          source: 'partnership',
          sourceRef: decisionRef(proposal.id),
          draft: {
            title: `${EXPLORE_TITLE_PREFIX}${group.name}`,
            details: `Before ${group.name} decides whether to end its partnership (its vote closes on this date), the backbone and the group’s representatives explore what support would let it continue.`,
            ownerId: owner,
            workGroupId: group.id,
            dueDate: localDate(checked.closesAt, ownerZone),
          },
        },
        now,
      );
      if (owner !== checked.proposerId) {
        const id = await queueAssignment(tx, step, now);
        if (id) ids.push(id);
      }
    }
    const told = [
      ...representatives.filter((id) => id !== checked.proposerId),
      ...(workspace.backbone_channel_id ? [workspace.backbone_channel_id] : []),
    ];
    for (const to of told) {
      const row = await queueMessage(
        tx,
        {
          teamId,
          kind: 'partnership_started',
          data: {
            proposal,
            group,
            step,
            to,
            audience: to === workspace.backbone_channel_id ? 'backbone' : 'representative',
          },
          to,
        },
        now,
      );
      if (row) ids.push(row.id);
    }
    return { ok: true, proposal, postId: post?.id, duplicate: false, step, ids };
  });
}

/**
 * Looks up in Slack, before a work group's vote closes, everyone its close reads: the Core's members (the
 * voters of the Core's proposal it opens) and the group's (its representatives); then the link to the group
 * vote's message, which the Core's proposal links to. The close then reads people as stored and the link from
 * what this returns (`storedPeopleOnly`), so it never waits on Slack while holding its transaction. Anything
 * else: nothing, and no links. Errors: Slack's, as `users.info` or `chat.getPermalink` throw them (the people
 * looked up by then stay stored).
 */
export async function lookUpBeforeGroupClose(
  db: Db,
  directory: SlackDirectory,
  proposal: Proposal,
  now: Date,
): Promise<KnownLinks> {
  if (proposal.kind !== 'end_work_group' || proposal.stage !== 'group') return new Map();
  const teamId = proposal.team_id;
  const [workspace, group, posted] = await Promise.all([
    findWorkspace(db, teamId),
    findWorkGroup(db, teamId, proposal.payload.workGroupId ?? 0),
    postedMessageOf(db, teamId, proposal.id),
  ]);
  if (workspace?.core_channel_id)
    await countedMembersOf(db, directory, teamId, workspace.core_channel_id, now);
  if (group) await countedMembersOf(db, directory, teamId, group.channel_id, now);
  const where = posted && messageOf(posted);
  if (!where) return new Map();
  const link = await directory.permalink(where.channel, where.ts);
  return new Map(link ? [[linkKey(where.channel, where.ts), link]] : []);
}

/** Where a sent message is in Slack, when Slack said. */
function messageOf(posted: { message_channel: string | null; message_ts: string | null }) {
  return posted.message_channel && posted.message_ts
    ? { channel: posted.message_channel, ts: posted.message_ts }
    : undefined;
}

/** The Core's proposal opened (now, or before: `ids` empty), or why it could not be. */
export type CoreOpening =
  | { applied: true; core: Proposal; ids: number[] }
  | { applied: false; error: string };

/**
 * The group agreed: opens the Core's proposal to end its partnership, once (a second call, another
 * instance's or a retried close's, finds it opened and queues nothing). Runs inside the group vote's close.
 * Its voters are the Core's members now; its rules the workspace's now; it closes a week from now; it is
 * presented by the group's representatives now (or, with none left, by whoever started it). Inside the
 * close's transaction `directory` is `storedPeopleOnly`: see `lookUpBeforeGroupClose`.
 */
export async function openCoreFromGroup(
  tx: Db,
  directory: SlackDirectory,
  groupVote: Proposal,
  now: Date,
): Promise<CoreOpening> {
  const teamId = groupVote.team_id;
  const opened = await findProposalFromGroup(tx, teamId, groupVote.id);
  if (opened) return { applied: true, core: opened, ids: [] };
  const [workspace, group] = await Promise.all([
    findWorkspace(tx, teamId),
    findWorkGroup(tx, teamId, groupVote.payload.workGroupId ?? 0),
  ]);
  if (!workspace?.core_channel_id) return { applied: false, error: 'Concert has no Core channel set up.' };
  if (!group) return { applied: false, error: 'the work group no longer exists.' };
  if (group.status !== 'active') return { applied: false, error: 'the work group had already ended.' };
  if (await isUnreachable(tx, teamId, workspace.core_channel_id))
    return {
      applied: false,
      error: 'Concert can’t post in the Core channel (archived, or Concert was removed from it).',
    };
  const voters = await countedMembersOf(tx, directory, teamId, workspace.core_channel_id, now);
  if (voters.length === 0) return { applied: false, error: 'Concert knows of nobody in the Core channel.' };
  const [representatives, posted] = await Promise.all([
    representativesOf(tx, directory, workspace, group, now),
    postedMessageOf(tx, teamId, groupVote.id),
  ]);
  const presenters = representatives.length > 0 ? representatives : [groupVote.proposer_id];
  const where = posted && messageOf(posted);
  const groupDecisionLink = (where && (await directory.permalink(where.channel, where.ts))) ?? undefined;
  const closesAt = laterBy(now, timeZoneOf(workspace.default_tz), { days: DEFAULT_OPEN_DAYS });
  const proposal = await insertProposal(
    tx,
    {
      team_id: teamId,
      kind: 'end_work_group',
      stage: 'core',
      title: groupVote.title,
      details: groupVote.details,
      proposer_id: groupVote.proposer_id,
      channel_id: workspace.core_channel_id,
      payload: JSON.stringify({ workGroupId: group.id, presenters, groupDecisionLink }),
      quorum: workspace.consensus_quorum,
      stand_aside_limit: workspace.stand_aside_limit,
      opened_at: now,
      closes_at: closesAt,
      remind_at: reminderAt(now, closesAt),
      view_id: null,
      group_decision_id: groupVote.id,
    },
    voters,
  );
  if (!proposal) {
    const raced = await findProposalFromGroup(tx, teamId, groupVote.id);
    if (!raced)
      throw new Error(`the Core proposal from group vote ${groupVote.id} was neither inserted nor found`);
    return { applied: true, core: raced, ids: [] };
  }
  const state = await proposalState(tx, proposal);
  const post = await queueMessage(
    tx,
    { teamId, kind: PROPOSAL_POST, data: { state, required: votesNeeded(state) }, to: proposal.channel_id },
    now,
  );
  return { applied: true, core: proposal, ids: post ? [post.id] : [] };
}

/**
 * After the group's vote closes (not withdrawn), each representative hears the outcome by DM: with
 * consensus, that the Core's proposal is open; without, that nothing goes to the Core and why.
 */
export async function tellRepresentativesOfGroupVote(
  tx: Db,
  directory: SlackDirectory,
  groupVote: Proposal,
  decision: Decision,
  now: Date,
): Promise<number[]> {
  const teamId = groupVote.team_id;
  const [workspace, group, core] = await Promise.all([
    findWorkspace(tx, teamId),
    findWorkGroup(tx, teamId, groupVote.payload.workGroupId ?? 0),
    findProposalFromGroup(tx, teamId, groupVote.id),
  ]);
  if (!workspace || !group) return [];
  const representatives = await representativesOf(tx, directory, workspace, group, now);
  const to = new Set([...representatives, groupVote.proposer_id]);
  const ids: number[] = [];
  for (const rep of to) {
    const row = await queueMessage(
      tx,
      {
        teamId,
        kind: 'partnership_group_outcome',
        data: { proposal: groupVote, group, decision, core: core ?? null, to: rep },
        to: rep,
      },
      now,
    );
    if (row) ids.push(row.id);
  }
  return ids;
}

/**
 * Opens what a checked `/propose` form asks for: ending a partnership starts with the work group's own
 * vote; every other kind is put to the Core at once.
 */
export function openFromForm(
  db: Db,
  directory: SlackDirectory,
  checked: CheckedProposal,
  viewId: string | null,
  now: Date,
): Promise<StartResult> {
  return checked.kind === 'end_work_group'
    ? startPartnershipEnding(db, directory, checked, viewId, now)
    : openCheckedProposal(db, directory, checked, viewId, now);
}
