import type { KnownBlock } from '@slack/types';
import { ErrorCode, LogLevel, WebClient } from '@slack/web-api';
import { LEASE_MS, type MessageSender, SendError } from '../services/delivery.js';
import { Pacer, type PostLimits, type SharedRate, SLACK_POST_LIMITS } from './pacing.js';

/** Slack answers that no retry will change. */
const PERMANENT = new Set([
  'channel_not_found',
  'user_not_found',
  'user_not_visible',
  'is_archived',
  'account_inactive',
  'invalid_blocks',
  'invalid_arguments',
  'msg_too_long',
  'no_text',
  'not_in_channel',
  'cannot_dm_bot',
  'message_not_found',
  'cant_update_message',
]);

/**
 * Slack's own answers that the call may have done its work all the same (its docs for `fatal_error`: "it's
 * possible some aspect of the operation succeeded before the error was raised").
 */
const MAYBE_DONE = new Set(['fatal_error', 'internal_error', 'service_unavailable']);

/** The event type of the metadata Concert posts every message with, carrying its outbox key. */
export const OUTBOX_EVENT_TYPE = 'concert_outbox';

/** Most time one call to Slack may take in process: no retries inside the client, and this timeout. */
export const SEND_TIMEOUT_MS = 30_000;
/** Pages of a conversation read when looking for a post whose answer was lost (200 messages a page). */
const LOOKUP_PAGES = 2;
/**
 * Most calls one row's send makes: a look before posting (conversations.open, the pages), the post, and a
 * look after an unclear answer. The outbox renews a row's lease just before; all of it ends well inside a
 * quarter of the lease (a test holds this).
 */
export const MAX_CALLS_PER_SEND = 2 * (1 + LOOKUP_PAGES) + 1;
export const MAX_SEND_MS = MAX_CALLS_PER_SEND * SEND_TIMEOUT_MS;
if (MAX_SEND_MS > LEASE_MS / 4) throw new Error('a send could outlast a quarter of the outbox lease');

/**
 * Options of the client that sends queued messages. The outbox is the only place a send is tried again, so
 * the client never retries (a retry inside it would post a message whose first try Slack may have taken) nor
 * waits out a 429 (the outbox schedules the row after Retry-After), and gives up on a call after a timeout.
 */
export const SEND_CLIENT_OPTIONS = {
  retryConfig: { retries: 0 },
  rejectRateLimitedCalls: true,
  timeout: SEND_TIMEOUT_MS,
  // Every failure is recorded on its outbox row and logged there; the client's own warnings would repeat it.
  logLevel: LogLevel.ERROR,
} as const;

const sendClients = new Map<string, WebClient>();
const pacers = new Map<string, Pacer>();

function keyOf(client: WebClient): string {
  return `${client.slackApiUrl}\n${client.token ?? ''}`;
}

/**
 * From now on, posts and updates through `client`'s token and Web API address (from every sender made for it,
 * in this process) are paced to `limits` (pacing.ts), the workspace's rate through `shared` when given (every
 * instance's together). The continuous sender asks for this when it starts; a
 * process without one (a test driving the jobs by hand) sends unpaced, one message at a time.
 */
export function paceSends(
  client: WebClient,
  limits: PostLimits = SLACK_POST_LIMITS,
  shared?: SharedRate,
): void {
  pacers.set(keyOf(client), new Pacer(limits, shared));
}

/** Forgets the send client and pacing of `client`'s token: a rotated token's, once its successor is in use. */
export function forgetSends(client: WebClient): void {
  sendClients.delete(keyOf(client));
  pacers.delete(keyOf(client));
}

/** A client for sends with the same token and Web API address as `client`, made once per pair. */
function sendClientFor(client: WebClient): WebClient {
  const key = keyOf(client);
  let sends = sendClients.get(key);
  if (!sends) {
    sends = new WebClient(client.token, { slackApiUrl: client.slackApiUrl, ...SEND_CLIENT_OPTIONS });
    sendClients.set(key, sends);
  }
  return sends;
}

function asSendError(error: unknown): SendError {
  if (error instanceof SendError) return error;
  const e = error as {
    code?: string;
    data?: { error?: string };
    statusCode?: number;
    message?: string;
    retryAfter?: number;
  };
  if (e.code === ErrorCode.PlatformError) {
    const code = e.data?.error ?? 'unknown_error';
    return new SendError(code, PERMANENT.has(code), { ambiguous: MAYBE_DONE.has(code) });
  }
  if (e.code === ErrorCode.RateLimitedError)
    return new SendError('ratelimited', false, { retryAfterMs: (e.retryAfter ?? 60) * 1000 });
  // A 5xx from Slack or a gateway in front of it, a reset, a timeout: Slack may have done it.
  if (e.code === ErrorCode.HTTPError)
    return new SendError(`http_${e.statusCode ?? 'error'}`, false, { ambiguous: true });
  return new SendError(e.message ?? 'request_failed', false, { ambiguous: true });
}

interface Metadata {
  event_type?: string;
  event_payload?: { key?: unknown };
}

/**
 * Posts and updates messages with a client that leaves every retry to the outbox; each post carries its
 * outbox key as message metadata, so a post whose answer was lost can be found in the conversation
 * (conversations.history or .replies, which need the channels:history, groups:history and im:history scopes).
 */
export function webSender(appClient: WebClient): MessageSender {
  const client = sendClientFor(appClient);
  const pacer = pacers.get(keyOf(appClient));
  /** Waits for the call's turn, and on a 429 holds the conversation alone for as long as Slack said. */
  const paced = async <T>(channel: string, call: () => Promise<T>): Promise<T> => {
    try {
      await pacer?.turn(channel);
    } catch {
      // The shared rate could not be read (the database): nothing was posted, and the row is tried again.
      throw new SendError('pacing_unavailable', false);
    }
    try {
      return await call();
    } catch (error) {
      const failure = asSendError(error);
      if (failure.retryAfterMs !== undefined) pacer?.holdChannel(channel, failure.retryAfterMs);
      throw failure;
    }
  };
  return {
    async post(channel, text, blocks, threadTs, key) {
      return paced(channel, async () => {
        const answer = await client.chat.postMessage({
          channel,
          text,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          ...(blocks ? { blocks: blocks as KnownBlock[] } : {}),
          ...(key ? { metadata: { event_type: OUTBOX_EVENT_TYPE, event_payload: { key } } } : {}),
          unfurl_links: false,
        });
        return { channel: answer.channel as string, ts: answer.ts as string };
      });
    },
    async update(channel, ts, text, blocks) {
      await paced(channel, async () => {
        await client.chat.update({
          channel,
          ts,
          text,
          ...(blocks ? { blocks: blocks as KnownBlock[] } : {}),
        });
      });
    },
    async upload(file) {
      try {
        const answer = await client.files.uploadV2({
          file_uploads: [{ file: Buffer.from(file.content), filename: file.filename, title: file.title }],
        });
        const completed = (answer as { files?: { files?: { id?: string }[] }[] }).files?.[0]?.files?.[0];
        if (!completed?.id) throw new SendError('upload_without_file', false, { ambiguous: true });
        return completed.id;
      } catch (error) {
        throw asSendError(error);
      }
    },
    async find(channel, key, since, threadTs) {
      try {
        // A DM is queued to the person; its history is the DM conversation's.
        const conversation = channel.startsWith('U')
          ? ((await client.conversations.open({ users: channel })).channel?.id as string)
          : channel;
        const oldest = (since.getTime() / 1000).toFixed(6);
        let cursor: string | undefined;
        for (let page = 0; page < LOOKUP_PAGES; page++) {
          const args = {
            channel: conversation,
            oldest,
            include_all_metadata: true,
            limit: 200,
            ...(cursor ? { cursor } : {}),
          };
          const answer = threadTs
            ? await client.conversations.replies({ ...args, ts: threadTs })
            : await client.conversations.history(args);
          for (const message of answer.messages ?? []) {
            const metadata = (message as { metadata?: Metadata }).metadata;
            if (metadata?.event_type === OUTBOX_EVENT_TYPE && metadata.event_payload?.key === key)
              return { channel: conversation, ts: message.ts as string };
          }
          cursor = answer.response_metadata?.next_cursor || undefined;
          if (!cursor) return undefined;
        }
        // More than the pages read were written since the first try: it is not among the newest, so the post
        // goes; a copy cannot be excluded there, and clicks on any copy act on the real record.
        return undefined;
      } catch (error) {
        throw asSendError(error);
      }
    },
  };
}
