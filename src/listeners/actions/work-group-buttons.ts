import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { findWorkGroup } from '../../db/work-groups.js';
import { mayActAsBackbone } from '../../services/roles.js';
import { timeZoneOf } from '../../services/time.js';
import { refusalText } from '../../views/refusals.js';
import { workGroupModal } from '../../views/work-group-modal.js';
import type { ListenerDeps } from '../deps.js';
import { teamIdOf } from '../directory.js';
import { tellUser } from '../reply.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** *Add a work group* and *Edit*, from the list in `/concert group` or the backbone's App Home. */
export function openWorkGroupModal(deps: ListenerDeps) {
  return async ({ ack, body, action, client, context, respond }: ButtonArgs) => {
    await ack();
    const teamId = teamIdOf({ context, body });
    const userId = body.user.id;
    const permission = await mayActAsBackbone(deps.db, teamId, userId);
    if (!permission.allowed) {
      await tellUser(
        { client, respond: body.response_url ? respond : undefined, userId, channelId: body.channel?.id },
        refusalText(permission, 'add or edit work groups'),
      );
      return;
    }
    const group = action.value ? await findWorkGroup(deps.db, teamId, Number(action.value)) : undefined;
    const tz = timeZoneOf(permission.roles.workspace?.default_tz);
    await client.views.open({
      trigger_id: body.trigger_id,
      view: workGroupModal(group?.status === 'active' ? group : undefined, { tz }),
    });
  };
}
