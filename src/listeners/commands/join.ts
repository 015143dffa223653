import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { rolesOf } from '../../services/roles.js';
import { joinModal } from '../../views/join-requests.js';
import { refusalText } from '../../views/refusals.js';
import type { ListenerDeps } from '../deps.js';
import { teamIdOf } from '../directory.js';
import { tellUser } from '../reply.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * `/concert join`: a group that wants to join the coalition says so, in a form sent to the backbone. Anyone
 * of a set-up workspace may ask; typed in the group's channel, the form starts with it.
 */
export async function openJoinForm(
  deps: ListenerDeps,
  { command, client, context, body, respond }: CommandArgs,
): Promise<void> {
  const teamId = teamIdOf({ context, body });
  const userId = command.user_id;
  const roles = await rolesOf(deps.db, teamId, userId);
  if (!roles.isSetUp) {
    await tellUser({ client, respond, userId }, refusalText({ reason: 'not-set-up' }, 'ask to join'));
    return;
  }
  const here = command.channel_id;
  const roleChannel =
    here === roles.workspace?.core_channel_id || here === roles.workspace?.backbone_channel_id;
  await client.views.open({
    trigger_id: command.trigger_id,
    view: joinModal(
      { channelId: here },
      { channelId: here && !here.startsWith('D') && !roleChannel ? here : null, contactId: userId },
    ),
  });
}
