import type { FakeSlack, PostedMessage, SharedFile } from './emulator/fake-slack.js';
import { CHANNELS } from './seed/index.js';

// biome-ignore lint/suspicious/noExplicitAny: blocks and views are arbitrary JSON from the app
type Json = any;

/** One line in a conversation as the page draws it: a message, or an ephemeral only this person sees. */
export interface PageMessage {
  ts: string;
  user: string;
  text: string;
  blocks: Json[];
  threadTs?: string;
  /** Files shared with it, to download from the page server. */
  files: SharedFile[];
  replyCount: number;
  /** Set on ephemerals: clicks on them answer through this response URL. */
  responseUrl?: string;
  ephemeral: boolean;
}

export interface PageConversation {
  id: string;
  name: string;
  kind: 'channel' | 'dm';
  isPrivate: boolean;
  member: boolean;
  /** The newest top-level ts, so the page can mark conversations with something new. */
  latest: string | null;
}

/** The roles a person holds, read from their channels the way Concert reads them. */
function rolesOf(fake: FakeSlack, user: string): string[] {
  const inChannel = (id: string) => fake.channels.get(id)?.members.includes(user) ?? false;
  const roles: string[] = [];
  if (inChannel(CHANNELS.backbone)) roles.push('Backbone');
  if (inChannel(CHANNELS.core)) roles.push('Core');
  for (const [id, name] of [
    [CHANNELS.food, 'Food Access'],
    [CHANNELS.housing, 'Housing'],
    [CHANNELS.youth, 'Youth Jobs'],
  ] as const) {
    if (inChannel(id)) roles.push(name);
  }
  return roles;
}

export function people(fake: FakeSlack) {
  return [...fake.users.values()].map((u) => ({
    id: u.id,
    name: u.name,
    realName: u.realName ?? u.name,
    tz: u.tz ?? 'America/New_York',
    isBot: u.isBot ?? false,
    roles: u.isBot ? [] : rolesOf(fake, u.id),
  }));
}

function latestOf(messages: readonly PostedMessage[]): string | null {
  const top = messages.filter((m) => !m.thread_ts || m.thread_ts === m.ts);
  return top.at(-1)?.ts ?? null;
}

export function conversations(fake: FakeSlack, user: string): PageConversation[] {
  const channels: PageConversation[] = [...fake.channels.values()]
    .filter((c) => !c.isPrivate || c.members.includes(user))
    .map(
      (c): PageConversation => ({
        id: c.id,
        name: c.name,
        kind: 'channel',
        isPrivate: c.isPrivate ?? false,
        member: c.members.includes(user),
        latest: latestOf(fake.messages(c.id)),
      }),
    )
    .sort((a, b) => a.name.localeCompare(b.name));
  const dm: PageConversation = {
    id: fake.dmChannelOf(user),
    name: 'Concert',
    kind: 'dm',
    isPrivate: true,
    member: true,
    latest: latestOf(fake.messages(user)),
  };
  return [...channels, dm];
}

const byTs = (a: { ts: string }, b: { ts: string }) => Number(a.ts) - Number(b.ts);

function pageMessage(message: PostedMessage, all: readonly PostedMessage[]): PageMessage {
  return {
    ts: message.ts,
    user: message.user,
    text: message.text,
    blocks: message.blocks ?? [],
    files: message.files ?? [],
    ...(message.thread_ts ? { threadTs: message.thread_ts } : {}),
    replyCount: all.filter((m) => m.thread_ts === message.ts && m.ts !== message.ts).length,
    ephemeral: false,
  };
}

/** A conversation's top-level messages, with this person's ephemerals in it placed by when they came. */
export function timeline(fake: FakeSlack, user: string, channel: string): PageMessage[] {
  const all = fake.messages(channel);
  const top = all.filter((m) => !m.thread_ts || m.thread_ts === m.ts).map((m) => pageMessage(m, all));
  const mine = fake
    .ephemerals(user)
    .filter((e) => e.channel === channel)
    .map(
      (e): PageMessage => ({
        ts: e.ts,
        user: fake.botUserId,
        text: e.text,
        blocks: e.blocks ?? [],
        files: [],
        replyCount: 0,
        ...(e.responseUrl ? { responseUrl: e.responseUrl } : {}),
        ephemeral: true,
      }),
    );
  return [...top, ...mine].sort(byTs);
}

export function thread(fake: FakeSlack, channel: string, ts: string): PageMessage[] {
  const all = fake.messages(channel);
  return all
    .filter((m) => m.ts === ts || m.thread_ts === ts)
    .map((m) => pageMessage(m, all))
    .sort(byTs);
}

/** Every channel's name, for mentions; the page hides private ones from people outside them. */
export function channelDirectory(fake: FakeSlack, user: string) {
  return Object.fromEntries(
    [...fake.channels.values()].map((c) => [
      c.id,
      { name: c.name, isPrivate: c.isPrivate ?? false, member: c.members.includes(user) },
    ]),
  );
}
