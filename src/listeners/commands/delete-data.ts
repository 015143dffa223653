import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { mayActAsBackbone } from '../../services/roles.js';
import { dataDeletionModal } from '../../views/data-deletion.js';
import { refusalText } from '../../views/refusals.js';
import type { ListenerDeps } from '../deps.js';
import { teamIdOf } from '../directory.js';
import { tellUser } from '../reply.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * The workspace's name as Slack gives it (`auth.test`'s `team`, which needs no scope), else its Slack address
 * from the command: what the person types to confirm. Under an org-wide install the token is the org's, whose
 * `auth.test` names the org, so the workspace's own address is asked for instead.
 */
export async function workspaceNameOf(
  client: CommandArgs['client'],
  teamDomain: string,
  orgWide: boolean,
): Promise<string> {
  if (orgWide) return teamDomain;
  const auth = await client.auth.test().catch(() => undefined);
  return typeof auth?.team === 'string' && auth.team.trim() ? auth.team : teamDomain;
}

/** `/concert delete-data`: a backbone member is shown what is deleted, and confirms by typing the name. */
export async function openDataDeletion(
  deps: ListenerDeps,
  { command, client, context, body, respond }: CommandArgs,
): Promise<void> {
  const teamId = teamIdOf({ context, body });
  const userId = command.user_id;
  const permission = await mayActAsBackbone(deps.db, teamId, userId);
  if (!permission.allowed) {
    await tellUser({ client, respond, userId }, refusalText(permission, 'delete the workspace’s data'));
    return;
  }
  await client.views.open({
    trigger_id: command.trigger_id,
    view: dataDeletionModal(
      await workspaceNameOf(client, command.team_domain, context.isEnterpriseInstall === true),
    ),
  });
}
