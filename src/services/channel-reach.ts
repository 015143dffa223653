import { clearChannelProblem, findChannelProblem, recordChannelProblem } from '../db/channel-problems.js';
import { atomically, type Db } from '../db/database.js';
import { requeueFailedFor } from '../db/outbox.js';
import type { ChannelProblem, Workspace } from '../db/schema.js';
import { findActiveWorkGroupByChannel } from '../db/work-groups.js';
import { findWorkspace } from '../db/workspaces.js';
import { queueMessage } from './outgoing.js';

/** What a channel is to Concert, as notices about it name it. */
export type ChannelRole = { kind: 'work-group'; name: string } | { kind: 'core' } | { kind: 'backbone' };

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * What an answer of Slack's says about a channel Concert posts in (Slack's docs for chat.postMessage and
 * conversations.*): `is_archived`, `not_in_channel` (removed from a public channel), `channel_not_found`
 * (removed from a private one, deleted, or never visible). Any other answer is not about the channel.
 */
export function channelProblemOf(slackError: string): ChannelProblem | undefined {
  switch (slackError) {
    case 'is_archived':
      return 'archived';
    case 'not_in_channel':
      return 'removed';
    case 'channel_not_found':
      return 'not_found';
    default:
      return undefined;
  }
}

/** A DM is addressed by the person's user ID (U…, W…) or a D… conversation; those are not channels. */
export function isChannel(id: string): boolean {
  return /^[CG]/.test(id);
}

async function roleOf(db: Db, workspace: Workspace, channelId: string): Promise<ChannelRole | undefined> {
  if (channelId === workspace.backbone_channel_id) return { kind: 'backbone' };
  if (channelId === workspace.core_channel_id) return { kind: 'core' };
  const group = await findActiveWorkGroupByChannel(db, workspace.team_id, channelId);
  return group ? { kind: 'work-group', name: group.name } : undefined;
}

/** Who hears about a channel: the backbone channel, or for the backbone channel itself whoever set Concert up. */
function noticeRecipient(workspace: Workspace, channelId: string): string | undefined {
  if (channelId !== workspace.backbone_channel_id) return workspace.backbone_channel_id ?? undefined;
  return workspace.set_up_by ?? undefined;
}

/**
 * Records that Concert cannot reach a channel that carries a role, and queues, once per problem, the notice
 * that says what to do. Returns the queued notice's outbox id, to send at once, or undefined when there was
 * nothing new to say (already known, or a channel that carries no role).
 */
export async function channelUnreachable(
  db: Db,
  teamId: string,
  channelId: string,
  problem: ChannelProblem,
  now: Date,
): Promise<number | undefined> {
  return atomically(db, async (tx) => {
    const workspace = await findWorkspace(tx, teamId);
    if (!workspace) return undefined;
    const role = await roleOf(tx, workspace, channelId);
    if (!role) return undefined;
    const { row, isNew } = await recordChannelProblem(tx, teamId, channelId, problem, now);
    const to = noticeRecipient(workspace, channelId);
    if (!isNew || !to) return undefined;
    const notice = await queueMessage(
      tx,
      { teamId, kind: 'channel_problem', data: { channelId, role, problem, since: row.since }, to },
      now,
    );
    return notice?.id;
  });
}

/**
 * A channel Concert could not reach is reachable again: the problem is forgotten, what failed for it while
 * it was unreachable is queued again, and the backbone is told. Returns the outbox ids to send, or [] when the
 * channel had no problem.
 */
export async function channelReachable(
  db: Db,
  teamId: string,
  channelId: string,
  now: Date,
): Promise<number[]> {
  return atomically(db, async (tx) => {
    const cleared = await clearChannelProblem(tx, teamId, channelId);
    if (!cleared) return [];
    // What failed for this problem: made since shortly before it was found (a message queued just before),
    // and not older than a month, whatever the problem's age.
    const from = Math.max(cleared.since.getTime() - DAY_MS, now.getTime() - 30 * DAY_MS);
    await requeueFailedFor(tx, teamId, channelId, new Date(from), now);
    const workspace = await findWorkspace(tx, teamId);
    const role = workspace ? await roleOf(tx, workspace, channelId) : undefined;
    const to = workspace ? noticeRecipient(workspace, channelId) : undefined;
    if (!role || !to) return [];
    const notice = await queueMessage(
      tx,
      { teamId, kind: 'channel_back', data: { channelId, role, since: cleared.since }, to },
      now,
    );
    return notice ? [notice.id] : [];
  });
}

/** Whether Concert knows it cannot post in this channel now. */
export async function isUnreachable(db: Db, teamId: string, channelId: string): Promise<boolean> {
  return (await findChannelProblem(db, teamId, channelId)) !== undefined;
}
