import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { personFor } from '../../services/people.js';
import { maySetUp } from '../../services/roles.js';
import { timeZoneOf } from '../../services/time.js';
import { refusalText } from '../../views/refusals.js';
import { setupModal } from '../../views/setup-modal.js';
import type { ListenerDeps } from '../deps.js';
import { directoryFor, teamIdOf } from '../directory.js';
import { tellUser } from '../reply.js';

/** *Set up Concert* / *Concert settings* on the App Home. */
export function openSetupFromHome(deps: ListenerDeps) {
  return async ({
    ack,
    body,
    client,
    context,
  }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => {
    await ack();
    const teamId = teamIdOf({ context, body });
    const userId = body.user.id;
    const directory = directoryFor({ client, context });
    const permission = await maySetUp(deps.db, directory, deps.adminIds, teamId, userId, deps.clock());
    if (!permission.allowed) {
      await tellUser({ client, userId }, refusalText(permission, 'set Concert up'));
      return;
    }
    const person = await personFor(deps.db, directory, teamId, userId, deps.clock());
    await client.views.open({
      trigger_id: body.trigger_id,
      view: setupModal(permission.roles.workspace, timeZoneOf(person?.tz)),
    });
  };
}
