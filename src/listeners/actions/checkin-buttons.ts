import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { refreshCheckinMessages } from '../../services/checkin-rounds.js';
import { currentTarget, skipCheckin } from '../../services/checkins.js';
import { webSender } from '../../slack/web-sender.js';
import { escapeMrkdwn } from '../../views/text.js';
import { checkinRefusalText, openCheckin } from '../checkins.js';
import type { ListenerDeps } from '../deps.js';
import { directoryFor, teamIdOf } from '../directory.js';
import { actionOnce } from '../interaction-key.js';
import { tellUser } from '../reply.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

function channelOf(body: BlockButtonAction): string | undefined {
  return body.channel?.id ?? body.container?.channel_id;
}

/** *Start check-in* and *Edit check-in* on a prompt, App Home or the confirmation: the form for that check-in. */
export function startCheckinButton(deps: ListenerDeps) {
  return async ({ ack, body, action, client, context }: ButtonArgs) => {
    await ack();
    await openCheckin(
      deps,
      { client, context },
      {
        teamId: teamIdOf({ context, body }),
        userId: body.user.id,
        triggerId: body.trigger_id,
        target: { checkinId: Number(action.value) },
        channelId: channelOf(body),
      },
    );
  };
}

/** A group chosen from `/checkin`'s question: that group's check-in now. */
export function startGroupCheckinButton(deps: ListenerDeps) {
  return async ({ ack, body, action, client, context, respond }: ButtonArgs) => {
    await ack();
    const teamId = teamIdOf({ context, body });
    const target = await currentTarget(deps.db, teamId, body.user.id, Number(action.value));
    await openCheckin(
      deps,
      { client, context },
      { teamId, userId: body.user.id, triggerId: body.trigger_id, target, channelId: channelOf(body) },
    );
    if (body.response_url) await respond({ delete_original: true });
  };
}

/** *Skip this week*: a skip is recorded, so the member counts as having said so rather than as missing. */
export function skipCheckinButton(deps: ListenerDeps) {
  return async ({ ack, body, action, client, context }: ButtonArgs) => {
    await ack();
    const teamId = teamIdOf({ context, body });
    const userId = body.user.id;
    const reply = (text: string) => tellUser({ client, userId, channelId: channelOf(body) }, text);
    const result = await skipCheckin(
      deps.db,
      { teamId, userId, checkinId: Number(action.value) },
      deps.clock(),
      actionOnce(teamId, body, action),
    );
    if (!result.ok) {
      switch (result.reason) {
        case 'repeat':
          return;
        case 'answered':
          await reply(
            'You have already checked in this week, so there is nothing to skip. *Edit check-in* changes your answer.',
          );
          return;
        case 'closed':
          await reply(
            'This week’s check-in has closed, so it can no longer be skipped. A late report still counts: use *Check in late*.',
          );
          return;
        default:
          await reply(checkinRefusalText(result));
          return;
      }
    }
    await refreshCheckinMessages(deps.db, webSender(client), result.checkin, result.group, deps.log);
    await reply(
      `Skipped: you won’t be reminded about this week’s check-in for *${escapeMrkdwn(result.group.name)}*.`,
    );
    deps.homes.request(deps, client, directoryFor({ client, context }), teamId, userId);
  };
}
