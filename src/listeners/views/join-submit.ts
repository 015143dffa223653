import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { deliverDue } from '../../services/delivery.js';
import { type JoinField, requestToJoin } from '../../services/join-requests.js';
import { queuedMessageStillWanted } from '../../services/still-wanted.js';
import { webSender } from '../../slack/web-sender.js';
import { JOIN } from '../../views/ids.js';
import type { JoinModalMetadata } from '../../views/join-requests.js';
import { channel, escapeMrkdwn } from '../../views/text.js';
import type { ListenerDeps } from '../deps.js';
import { directoryFor, teamIdOf } from '../directory.js';
import { tellUser } from '../reply.js';
import { blockErrors, stateReader, viewMetadata } from './state.js';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const FIELD_BLOCKS: Record<JoinField, { block: string; action: string }> = {
  groupName: JOIN.NAME,
  channel: JOIN.CHANNEL,
  purpose: JOIN.PURPOSE,
  contact: JOIN.CONTACT,
  willing: JOIN.WILLING,
};

/** A request to join: checked under its fields, then put before the backbone in its channel. */
export function joinSubmitted(deps: ListenerDeps) {
  return async ({ ack, view, body, client, context }: SubmitArgs) => {
    const teamId = teamIdOf({ context, body });
    const userId = body.user.id;
    const meta = viewMetadata<JoinModalMetadata>(view.private_metadata);
    const read = stateReader(view.state.values);
    const now = deps.clock();
    const result = await requestToJoin(
      deps.db,
      directoryFor({ client, context }),
      {
        teamId,
        userId,
        draft: {
          groupName: read.text(JOIN.NAME),
          channelId: read.conversation(JOIN.CHANNEL),
          purpose: read.text(JOIN.PURPOSE),
          contactId: read.user(JOIN.CONTACT),
          willing: read.options(JOIN.WILLING).includes('willing'),
        },
        viewId: view.id,
      },
      now,
    );
    if (!result.ok) {
      const errors =
        result.reason === 'invalid'
          ? blockErrors(result.errors, FIELD_BLOCKS)
          : { [JOIN.NAME.block]: 'Concert isn’t set up yet: there is no coalition to join.' };
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    if (result.duplicate) return;
    await deliverDue(deps.db, webSender(client), queuedMessageStillWanted(deps.db), now, deps.log, {
      ids: result.ids,
    });
    await tellUser(
      { client, userId, channelId: meta.channelId },
      `The backbone has *${escapeMrkdwn(result.request.group_name)}*’s request to join, for ${channel(result.request.channel_id)}. They will put it to the Core, which decides by consensus.`,
    );
  };
}
