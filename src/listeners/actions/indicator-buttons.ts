import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { listActiveWorkGroups } from '../../db/work-groups.js';
import { indicatorWithGroups } from '../../services/indicators.js';
import { mayActAsBackbone } from '../../services/roles.js';
import { indicatorModal } from '../../views/indicators.js';
import { refusalText } from '../../views/refusals.js';
import { INDICATORS_WHAT } from '../commands/indicators.js';
import type { ListenerDeps } from '../deps.js';
import { teamIdOf } from '../directory.js';
import { tellUser } from '../reply.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** *Add an indicator* and *Edit*, from the list in `/concert indicators`. */
export function openIndicatorModal(deps: ListenerDeps) {
  return async ({ ack, body, action, client, context, respond }: ButtonArgs) => {
    await ack();
    const teamId = teamIdOf({ context, body });
    const userId = body.user.id;
    const permission = await mayActAsBackbone(deps.db, teamId, userId);
    if (!permission.allowed) {
      await tellUser(
        { client, respond: body.response_url ? respond : undefined, userId, channelId: body.channel?.id },
        refusalText(permission, INDICATORS_WHAT),
      );
      return;
    }
    const current = action.value
      ? await indicatorWithGroups(deps.db, teamId, Number(action.value))
      : undefined;
    const groups = await listActiveWorkGroups(deps.db, teamId);
    await client.views.open({
      trigger_id: body.trigger_id,
      view: indicatorModal(current?.indicator.status === 'active' ? current : undefined, groups),
    });
  };
}
