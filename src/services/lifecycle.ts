import { channelsOfUser } from '../db/channel-members.js';
import type { Db } from '../db/database.js';
import { findPerson } from '../db/people.js';
import type { Logger } from '../logger.js';
import { channelUnreachable } from './channel-reach.js';
import { orgUninstalled, workspaceUninstalled } from './installation.js';
import { reconcileChannel, trackedChannels } from './membership.js';
import { rememberPerson } from './people.js';
import type { SlackDirectory, SlackUser } from './slack-directory.js';

/**
 * What Slack's channel lifecycle events mean for a channel that carries a role (Slack's Events API:
 * `channel_archive`/`group_archive`, `channel_deleted`/`group_deleted`, `channel_left`/`group_left` and
 * `member_left_channel` for the app itself): Concert cannot post there; the backbone is told once.
 * Returns the notice's outbox id to send, if any. Channels without a role are ignored.
 */
export async function channelLost(
  db: Db,
  teamId: string,
  channelId: string,
  how: 'archived' | 'deleted' | 'removed',
  now: Date,
): Promise<number[]> {
  if (!(await trackedChannels(db, teamId)).has(channelId)) return [];
  const problem = how === 'deleted' ? 'not_found' : how;
  const notice = await channelUnreachable(db, teamId, channelId, problem, now);
  return notice === undefined ? [] : [notice];
}

/**
 * A channel was unarchived, or Concert invited back into it: its state is read again from Slack, its
 * members brought up to date, and what failed meanwhile queued again. Returns the notices to send.
 */
export async function channelRegained(
  db: Db,
  directory: SlackDirectory,
  teamId: string,
  channelId: string,
  now: Date,
): Promise<number[]> {
  if (!(await trackedChannels(db, teamId)).has(channelId)) return [];
  return (await reconcileChannel(db, directory, teamId, channelId, now)).notices;
}

/**
 * `user_change`: Slack's new description of someone. Only people Concert already knows are kept (cached,
 * or counted in a channel that carries a role); a deactivation takes effect at once, so a deactivated
 * member of the backbone or the Core loses the role with the event, not at the next reconcile; a
 * reactivation brings them back into their channels.
 */
export async function userChanged(
  db: Db,
  directory: SlackDirectory,
  teamId: string,
  user: SlackUser,
  now: Date,
  log: Logger,
): Promise<void> {
  const cached = await findPerson(db, teamId, user.id);
  if (!cached && (await channelsOfUser(db, teamId, user.id)).length === 0) return;
  const person = await rememberPerson(db, teamId, user, directory.botUserId, now);
  if (!(cached?.deleted && !person.deleted)) return;
  for (const channelId of await trackedChannels(db, teamId)) {
    try {
      await reconcileChannel(db, directory, teamId, channelId, now);
    } catch (error) {
      log.warn({ err: error, teamId, channelId }, 'could not reconcile a channel after a reactivation');
    }
  }
}

/**
 * `app_uninstalled`, or `tokens_revoked` naming the app's bot: every send for the workspace (for an org-wide
 * install, for every workspace of the org) stops at once and nothing queued is retried.
 */
export async function appRemoved(
  db: Db,
  from: { teamId: string; enterpriseId?: string | undefined; orgWide?: boolean | undefined },
  reason: string,
  now: Date,
): Promise<number> {
  // An org-wide install is removed from the whole Enterprise Grid org at once.
  if (from.orgWide && from.enterpriseId) return orgUninstalled(db, from.enterpriseId, reason, now);
  return workspaceUninstalled(db, from.teamId, reason, now);
}
