import { randomUUID } from 'node:crypto';
import type { App, Context } from '@slack/bolt';
import type { Logger } from '../logger.js';
import { requestAnswers } from '../slack/answers.js';
import { errorNotice } from '../views/error-notice.js';

interface RequestShape {
  type?: string;
  command?: string;
  user_id?: string;
  channel_id?: string;
  response_url?: string;
  user?: { id?: string };
  channel?: { id?: string };
  event?: { type?: string };
  actions?: Array<{ action_id?: string }>;
  view?: { callback_id?: string };
  callback_id?: string;
}

/** Where the request came from and what it was, for the log line; never its token or payload text. */
function describe(body: RequestShape) {
  return {
    type: body.command ? 'slash_command' : body.type,
    command: body.command,
    event: body.event?.type,
    actionId: body.actions?.[0]?.action_id,
    callbackId: body.view?.callback_id ?? body.callback_id,
    userId: body.user_id ?? body.user?.id,
    channelId: body.channel_id ?? body.channel?.id,
  };
}

/**
 * The one place a failed request ends up: logged with a reference and its context, and the person who asked
 * is told, truthfully, that it did not happen and what to do.
 */
export function registerErrorHandler(app: App, log: Logger, reported: (error: object) => void): void {
  app.error(async ({ error, context, body }: { error: Error; context: Context; body: unknown }) => {
    try {
      await report(app, log, error, context, body);
    } finally {
      reported(error);
      reported((error as { original?: object }).original ?? error);
    }
  });
}

async function report(app: App, log: Logger, error: Error, context: Context, body: unknown): Promise<void> {
  const ref = randomUUID().slice(0, 8);
  const request = describe((body ?? {}) as RequestShape);
  const original = (error as { original?: unknown }).original ?? error;
  const slackError = (original as { data?: { error?: string } }).data?.error;
  log.error({ err: original, ref, teamId: context?.teamId, slackError, ...request }, 'request failed');
  const answer = typeof body === 'object' && body !== null ? requestAnswers.get(body) : undefined;
  answer?.markFailed();
  if (!request.userId || request.event) return;
  const notice = errorNotice(ref);
  // Not answered yet (it failed before its ack): the answer Slack waits for carries the notice where it can.
  if (answer && (await answer.tellInAnswer(notice.text))) return;
  try {
    const client = app.client;
    const token = context?.botToken;
    if (request.channelId && !request.channelId.startsWith('D')) {
      await client.chat.postEphemeral({
        token,
        channel: request.channelId,
        user: request.userId,
        ...notice,
      });
    } else {
      await client.chat.postMessage({ token, channel: request.userId, ...notice });
    }
  } catch (notifyError) {
    log.warn({ err: notifyError, ref }, 'could not tell the user about a failed request');
  }
}
