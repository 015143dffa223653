import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { defaultClosing } from '../../services/closing-time.js';
import { mayProposeFromRequest } from '../../services/join-requests.js';
import { zoneOf } from '../../services/proposals.js';
import { rolesOf } from '../../services/roles.js';
import { proposalModal } from '../../views/proposal-modals.js';
import { channel } from '../../views/text.js';
import type { ListenerDeps } from '../deps.js';
import { teamIdOf } from '../directory.js';
import { tellUser } from '../reply.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** *Propose adding this group*, on a request to join: the "add work group" proposal, prefilled, for the backbone. */
export function proposeFromRequestButton(deps: ListenerDeps) {
  return async ({ ack, body, client, context, action, respond }: ButtonArgs) => {
    await ack();
    const teamId = teamIdOf({ context, body });
    const userId = body.user.id;
    const channelId = body.channel?.id ?? body.container?.channel_id;
    const may = await mayProposeFromRequest(deps.db, { teamId, requestId: Number(action.value), userId });
    if (!may.ok) {
      await tellUser(
        { client, respond: body.response_url ? respond : undefined, userId, channelId },
        may.reason === 'not-found'
          ? 'That request to join no longer exists.'
          : `Only members of the backbone channel${may.backboneChannelId ? ` ${channel(may.backboneChannelId)}` : ''} can propose adding a work group. Ask one of them to propose it.`,
      );
      return;
    }
    const { request } = may;
    const roles = await rolesOf(deps.db, teamId, userId);
    const tz = await zoneOf(deps.db, roles, userId);
    const closing = defaultClosing(deps.clock(), tz);
    await client.views.open({
      trigger_id: body.trigger_id,
      view: proposalModal(
        'add_work_group',
        {
          title: `Add ${request.group_name} as a work group`.slice(0, 150),
          closeDate: closing.date,
          closeTime: closing.time,
          tz,
          represented: roles.representativeOf,
          prefill: {
            groupName: request.group_name,
            groupChannelId: request.channel_id,
            details: request.purpose,
          },
        },
        { kind: 'add_work_group', joinRequestId: request.id, ...(channelId ? { channelId } : {}) },
      ),
    });
  };
}
