import {
  addChannelMember,
  forgetChannelsExcept,
  removeChannelMember,
  replaceChannelMembers,
} from '../db/channel-members.js';
import type { Db } from '../db/database.js';
import type { ChannelProblem } from '../db/schema.js';
import { listActiveWorkGroups } from '../db/work-groups.js';
import { findWorkspace } from '../db/workspaces.js';
import type { Logger } from '../logger.js';
import { channelReachable, channelUnreachable } from './channel-reach.js';
import { eachAlone } from './isolation.js';
import { isCountedPerson } from './people.js';
import type { SlackDirectory } from './slack-directory.js';

/** Channels whose membership carries a role: Core, backbone and every active work group's channel. */
export async function trackedChannels(db: Db, teamId: string): Promise<Set<string>> {
  const [workspace, groups] = await Promise.all([
    findWorkspace(db, teamId),
    listActiveWorkGroups(db, teamId),
  ]);
  const ids = [
    workspace?.core_channel_id,
    workspace?.backbone_channel_id,
    ...groups.map((g) => g.channel_id),
  ];
  return new Set(ids.filter((id): id is string => !!id));
}

export async function memberJoined(
  db: Db,
  directory: SlackDirectory,
  teamId: string,
  channelId: string,
  userId: string,
  now: Date,
): Promise<boolean> {
  if (!(await trackedChannels(db, teamId)).has(channelId)) return false;
  if (!(await isCountedPerson(db, directory, teamId, userId, now))) return false;
  return addChannelMember(db, teamId, channelId, userId, now);
}

export async function memberLeft(
  db: Db,
  teamId: string,
  channelId: string,
  userId: string,
): Promise<boolean> {
  return removeChannelMember(db, teamId, channelId, userId);
}

/** Looks up several people at a time: fast for a big channel, gentle on users.info's rate limit. */
async function humansAmong(
  db: Db,
  directory: SlackDirectory,
  teamId: string,
  userIds: readonly string[],
  now: Date,
  concurrency = 4,
): Promise<string[]> {
  const humans: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < userIds.length) {
      const id = userIds[next++] as string;
      if (await isCountedPerson(db, directory, teamId, id, now)) humans.push(id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, userIds.length) }, worker));
  return humans.sort();
}

export interface ReconcileResult {
  channelId: string;
  members: number;
  added: string[];
  removed: string[];
  /** Set when Concert cannot reach the channel: its stored members are left as they were. */
  problem?: ChannelProblem;
  /** Notices queued for the backbone (a channel lost or back), to send. */
  notices: number[];
}

/**
 * What the channel's state says Concert cannot do there. A public channel Concert is not in is joined only
 * when `join` (a channel just given a role); otherwise someone removed Concert, and that choice stands until
 * a person invites it back.
 */
async function problemWith(
  directory: SlackDirectory,
  channelId: string,
  join: boolean,
): Promise<ChannelProblem | undefined> {
  const state = await directory.channelState(channelId);
  if (state.kind === 'not-found') return 'not_found';
  if (state.isArchived) return 'archived';
  if (state.isMember) return undefined;
  if (state.isPrivate || !join) return 'removed';
  const access = await directory.ensureInChannel(channelId);
  return access.kind === 'member' || access.kind === 'joined' ? undefined : 'removed';
}

/**
 * Makes stored membership match Slack's for one channel: missed joins and leaves are fixed here. A channel
 * Concert cannot reach (archived, deleted, or Concert removed from it) is recorded as such and the backbone
 * told once; one that is reachable again is recorded as back. With `join`, a public channel Concert is not
 * in is joined (it was just given a role).
 */
export async function reconcileChannel(
  db: Db,
  directory: SlackDirectory,
  teamId: string,
  channelId: string,
  now: Date,
  join = false,
): Promise<ReconcileResult> {
  const problem = await problemWith(directory, channelId, join);
  if (problem) {
    const notice = await channelUnreachable(db, teamId, channelId, problem, now);
    return { channelId, members: 0, added: [], removed: [], problem, notices: notice ? [notice] : [] };
  }
  const humans = await humansAmong(db, directory, teamId, await directory.channelMemberIds(channelId), now);
  const { added, removed } = await replaceChannelMembers(db, teamId, channelId, humans, now);
  const notices = await channelReachable(db, teamId, channelId, now);
  return { channelId, members: humans.length, added, removed, notices };
}

/**
 * Reconciles every tracked channel, each on its own (one Slack refuses leaves the others reconciled), and
 * drops membership kept for channels that no longer carry a role.
 */
export async function reconcileWorkspace(
  db: Db,
  directory: SlackDirectory,
  teamId: string,
  now: Date,
  log: Logger,
): Promise<ReconcileResult[]> {
  const tracked = await trackedChannels(db, teamId);
  const results: ReconcileResult[] = [];
  await eachAlone(
    tracked,
    async (channelId) => {
      results.push(await reconcileChannel(db, directory, teamId, channelId, now));
    },
    log,
    (channelId) => ({ teamId, channelId }),
    'reconciling a channel',
  );
  await forgetChannelsExcept(db, teamId, tracked);
  return results;
}

/** After settings change which channels carry a role: sync the named ones and forget those left behind. */
export async function followChannels(
  db: Db,
  directory: SlackDirectory,
  teamId: string,
  channelIds: readonly string[],
  now: Date,
): Promise<ReconcileResult[]> {
  const results: ReconcileResult[] = [];
  for (const channelId of new Set(channelIds))
    results.push(await reconcileChannel(db, directory, teamId, channelId, now, true));
  await forgetChannelsExcept(db, teamId, await trackedChannels(db, teamId));
  return results;
}
