import type { WebClient } from '@slack/web-api';
import type { ChannelAccess, ChannelState, SlackDirectory, SlackUser } from '../services/slack-directory.js';

function slackError(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** The fields Concert reads of a Slack user object (users.info's `user`, `user_change`'s `user`). */
export interface SlackUserObject {
  id: string;
  name?: string;
  real_name?: string;
  tz?: string;
  is_bot?: boolean;
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  deleted?: boolean;
  profile?: { display_name?: string };
}

/** A Slack user object as the services know a person: the name people see, zone, and what kind of account. */
export function slackUserOf(user: SlackUserObject): SlackUser {
  return {
    id: user.id,
    name: user.profile?.display_name || user.real_name || user.name || user.id,
    tz: user.tz ?? null,
    isBot: Boolean(user.is_bot) || user.id === 'USLACKBOT',
    isAdmin: Boolean(user.is_admin),
    isOwner: Boolean(user.is_owner || user.is_primary_owner),
    deleted: Boolean(user.deleted),
  };
}

export function webDirectory(client: WebClient, botUserId: string | undefined): SlackDirectory {
  return {
    botUserId,

    async userInfo(userId) {
      try {
        const { user } = await client.users.info({ user: userId });
        return user?.id ? slackUserOf({ ...user, id: user.id }) : null;
      } catch (error) {
        if (slackError(error) === 'user_not_found') return null;
        throw error;
      }
    },

    async channelMemberIds(channelId) {
      const members: string[] = [];
      // The client follows next_cursor; 200 per page keeps the number of calls low for big channels.
      for await (const page of client.paginate('conversations.members', { channel: channelId, limit: 200 })) {
        members.push(...((page as { members?: string[] }).members ?? []));
      }
      return members;
    },

    async channelState(channelId): Promise<ChannelState> {
      try {
        const { channel } = await client.conversations.info({ channel: channelId });
        if (!channel) return { kind: 'not-found' };
        return {
          kind: 'found',
          isPrivate: Boolean(channel.is_private),
          isArchived: Boolean(channel.is_archived),
          isMember: Boolean(channel.is_member),
        };
      } catch (error) {
        if (slackError(error) === 'channel_not_found') return { kind: 'not-found' };
        throw error;
      }
    },

    async ensureInChannel(channelId): Promise<ChannelAccess> {
      let channel: { is_member?: boolean; is_private?: boolean } | undefined;
      try {
        ({ channel } = await client.conversations.info({ channel: channelId }));
      } catch (error) {
        if (slackError(error) === 'channel_not_found') return { kind: 'needs-invite' };
        throw error;
      }
      if (!channel) return { kind: 'not-found' };
      if (channel.is_member) return { kind: 'member', isPrivate: Boolean(channel.is_private) };
      if (channel.is_private) return { kind: 'needs-invite' };
      await client.conversations.join({ channel: channelId });
      return { kind: 'joined' };
    },

    async permalink(channelId, messageTs) {
      try {
        const { permalink } = await client.chat.getPermalink({ channel: channelId, message_ts: messageTs });
        return permalink ?? null;
      } catch (error) {
        const code = slackError(error);
        if (code === 'message_not_found' || code === 'channel_not_found') return null;
        throw error;
      }
    },
  };
}
