import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { listActiveWorkGroups } from '../../db/work-groups.js';
import { indicatorsWithGroups } from '../../services/indicators.js';
import { mayActAsBackbone } from '../../services/roles.js';
import { indicatorListMessage } from '../../views/indicators.js';
import { refusalText } from '../../views/refusals.js';
import type { ListenerDeps } from '../deps.js';
import { teamIdOf } from '../directory.js';
import { tellUser } from '../reply.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** What the backbone may do with indicators, in the words of a refusal. */
export const INDICATORS_WHAT = 'define or change the shared indicators';

/** `/concert indicators`: the coalition's shared indicators, with buttons to add and edit, for the backbone. */
export async function showIndicators(
  deps: ListenerDeps,
  { command, client, context, body, respond }: CommandArgs,
): Promise<void> {
  const teamId = teamIdOf({ context, body });
  const userId = command.user_id;
  const permission = await mayActAsBackbone(deps.db, teamId, userId);
  if (!permission.allowed) {
    await tellUser({ client, respond, userId }, refusalText(permission, INDICATORS_WHAT));
    return;
  }
  const [indicators, groups] = await Promise.all([
    indicatorsWithGroups(deps.db, teamId),
    listActiveWorkGroups(deps.db, teamId),
  ]);
  const message = indicatorListMessage(indicators, groups);
  await tellUser({ client, respond, userId }, message.text, message.blocks);
}
