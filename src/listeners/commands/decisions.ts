import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { decisionLog } from '../../services/proposals.js';
import { rolesOf } from '../../services/roles.js';
import { decisionsMessage } from '../../views/proposals.js';
import { refusalText } from '../../views/refusals.js';
import type { ListenerDeps } from '../deps.js';
import { teamIdOf } from '../directory.js';
import { tellUser } from '../reply.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** `/concert decisions`: the decision log is the coalition's record, open to anyone in the workspace. */
export async function showDecisions(
  deps: ListenerDeps,
  { command, client, context, body, respond }: CommandArgs,
): Promise<void> {
  const teamId = teamIdOf({ context, body });
  const userId = command.user_id;
  if (!(await rolesOf(deps.db, teamId, userId)).isSetUp) {
    await tellUser({ client, respond, userId }, refusalText({ reason: 'not-set-up' }, 'see decisions'));
    return;
  }
  const { decided, open, records } = await decisionLog(deps.db, teamId, deps.clock());
  const message = decisionsMessage(decided, open, records);
  await tellUser({ client, respond, userId }, message.text, message.blocks);
}
