import type { AllMiddlewareArgs, RespondFn } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';

interface ReplyTarget {
  client: AllMiddlewareArgs['client'];
  respond?: RespondFn | undefined;
  userId: string;
  channelId?: string | undefined;
}

/**
 * Tells one person something only they see: through the response_url when Slack gave one (works in any
 * conversation), else as an ephemeral message in the channel, else (or when that fails) in their DM with the app.
 */
export async function tellUser(target: ReplyTarget, text: string, blocks?: KnownBlock[]): Promise<void> {
  const message = { text, ...(blocks ? { blocks } : {}) };
  if (target.respond) {
    await target.respond({ response_type: 'ephemeral', replace_original: false, ...message });
  } else if (target.channelId && !target.channelId.startsWith('D')) {
    try {
      await target.client.chat.postEphemeral({ channel: target.channelId, user: target.userId, ...message });
    } catch {
      // Not in that channel (or it is gone): their DM with the app always works.
      await target.client.chat.postMessage({ channel: target.userId, ...message });
    }
  } else {
    await target.client.chat.postMessage({ channel: target.userId, ...message });
  }
}
