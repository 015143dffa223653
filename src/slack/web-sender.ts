import type { KnownBlock } from '@slack/types';
import { ErrorCode, type WebClient } from '@slack/web-api';
import { type MessageSender, SendError } from '../services/delivery.js';

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

function asSendError(error: unknown): SendError {
  const e = error as { code?: string; data?: { error?: string }; statusCode?: number; message?: string };
  if (e.code === ErrorCode.PlatformError) {
    const code = e.data?.error ?? 'unknown_error';
    return new SendError(code, PERMANENT.has(code));
  }
  if (e.code === ErrorCode.RateLimitedError) return new SendError('ratelimited', false);
  if (e.code === ErrorCode.HTTPError) return new SendError(`http_${e.statusCode ?? 'error'}`, false);
  return new SendError(e.message ?? 'request_failed', false);
}

/** Posts and updates messages with the Web API client, whose own retry and rate-limit handling applies. */
export function webSender(client: WebClient): MessageSender {
  return {
    async post(channel, text, blocks, threadTs) {
      try {
        const answer = await client.chat.postMessage({
          channel,
          text,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          ...(blocks ? { blocks: blocks as KnownBlock[] } : {}),
          unfurl_links: false,
        });
        return { channel: answer.channel as string, ts: answer.ts as string };
      } catch (error) {
        throw asSendError(error);
      }
    },
    async update(channel, ts, text, blocks) {
      try {
        await client.chat.update({
          channel,
          ts,
          text,
          ...(blocks ? { blocks: blocks as KnownBlock[] } : {}),
        });
      } catch (error) {
        throw asSendError(error);
      }
    },
  };
}
