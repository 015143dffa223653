/**
 * What the services need to know from Slack about people and channels. Implemented over the Web API in
 * src/slack/; services depend only on this shape, never on Bolt.
 */
export interface SlackUser {
  id: string;
  name: string;
  tz: string | null;
  isBot: boolean;
  isAdmin: boolean;
  isOwner: boolean;
  deleted: boolean;
}

export type ChannelAccess =
  | { kind: 'member'; isPrivate: boolean }
  | { kind: 'joined' }
  /** Private channels cannot be joined; someone in them has to invite the app. */
  | { kind: 'needs-invite' }
  | { kind: 'not-found' };

/** What conversations.info says of a channel Concert works in; `not-found` when Slack will not show it. */
export type ChannelState =
  | { kind: 'found'; isPrivate: boolean; isArchived: boolean; isMember: boolean }
  | { kind: 'not-found' };

export interface SlackDirectory {
  /** The app's own bot user, which is never a member of anything the coalition counts. */
  readonly botUserId: string | undefined;
  userInfo(userId: string): Promise<SlackUser | null>;
  /** Every member of a channel, all pages. */
  channelMemberIds(channelId: string): Promise<string[]>;
  /** Whether the channel is there, archived, and has Concert in it. */
  channelState(channelId: string): Promise<ChannelState>;
  /** Makes sure the app is in the channel so it hears joins and leaves there. */
  ensureInChannel(channelId: string): Promise<ChannelAccess>;
  /**
   * A link to one message (`chat.getPermalink`: no scope needed, "hundreds of requests per minute" by Slack's
   * docs), or null when Slack has no such message or channel.
   * Errors: Slack's, for anything else.
   */
  permalink(channelId: string, messageTs: string): Promise<string | null>;
}

/** Links to messages looked up before a transaction, by `linkKey`, for `storedPeopleOnly` to answer from. */
export type KnownLinks = ReadonlyMap<string, string>;

export function linkKey(channelId: string, messageTs: string): string {
  return `${channelId}/${messageTs}`;
}

/**
 * The directory as Concert already knows it, for work inside a transaction, which must never wait on Slack
 * while it holds its locks (on the embedded database, its one connection): people are answered from their
 * stored copies however old (`userInfo` answers null, so `personFor` keeps the copy), and asking Slack about
 * a channel is refused with an error. Look the people up before the transaction begins. A message's link is
 * answered from `links` (looked up before), else null.
 */
export function storedPeopleOnly(directory: SlackDirectory, links: KnownLinks = new Map()): SlackDirectory {
  const refused = (what: string) => () =>
    Promise.reject(new Error(`${what} asks Slack, which is never done inside a transaction`));
  return {
    botUserId: directory.botUserId,
    userInfo: async () => null,
    channelMemberIds: refused('channelMemberIds'),
    channelState: refused('channelState'),
    ensureInChannel: refused('ensureInChannel'),
    permalink: async (channelId, messageTs) => links.get(linkKey(channelId, messageTs)) ?? null,
  };
}
