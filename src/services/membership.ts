import {
  addChannelMember,
  forgetChannelsExcept,
  removeChannelMember,
  replaceChannelMembers,
} from '../db/channel-members.js';
import type { Db } from '../db/database.js';
import { listActiveWorkGroups } from '../db/work-groups.js';
import { findWorkspace } from '../db/workspaces.js';
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
}

/** Makes stored membership match Slack's for one channel: missed joins and leaves are fixed here. */
export async function reconcileChannel(
  db: Db,
  directory: SlackDirectory,
  teamId: string,
  channelId: string,
  now: Date,
): Promise<ReconcileResult> {
  const humans = await humansAmong(db, directory, teamId, await directory.channelMemberIds(channelId), now);
  const { added, removed } = await replaceChannelMembers(db, teamId, channelId, humans, now);
  return { channelId, members: humans.length, added, removed };
}

/** Reconciles every tracked channel and drops membership kept for channels that no longer carry a role. */
export async function reconcileWorkspace(
  db: Db,
  directory: SlackDirectory,
  teamId: string,
  now: Date,
): Promise<ReconcileResult[]> {
  const tracked = await trackedChannels(db, teamId);
  const results: ReconcileResult[] = [];
  for (const channelId of tracked)
    results.push(await reconcileChannel(db, directory, teamId, channelId, now));
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
    results.push(await reconcileChannel(db, directory, teamId, channelId, now));
  await forgetChannelsExcept(db, teamId, await trackedChannels(db, teamId));
  return results;
}
