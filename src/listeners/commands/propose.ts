import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { personFor } from '../../services/people.js';
import { mayProposeAnything, PROPOSAL_TITLE_MAX } from '../../services/proposals.js';
import { rolesOf } from '../../services/roles.js';
import { proposeHelp } from '../../views/help.js';
import { proposalKindModal } from '../../views/proposal-modals.js';
import { mayNotProposeText } from '../../views/proposal-refusals.js';
import { refusalText } from '../../views/refusals.js';
import { clip } from '../../views/text.js';
import type { ListenerDeps } from '../deps.js';
import { directoryFor, teamIdOf } from '../directory.js';
import { typedText } from '../typed-text.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** `/propose [title]`: the form that puts a proposal to the Core, for those who may propose. */
export function proposeCommand(deps: ListenerDeps) {
  return async ({ command, ack, client, context, body }: CommandArgs): Promise<void> => {
    const text = command.text.trim();
    if (text.toLowerCase() === 'help') {
      await ack({ response_type: 'ephemeral', ...proposeHelp() });
      return;
    }
    const teamId = teamIdOf({ context, body });
    const roles = await rolesOf(deps.db, teamId, command.user_id);
    if (!roles.isSetUp) {
      await ack({
        response_type: 'ephemeral',
        text: refusalText({ reason: 'not-set-up' }, 'make proposals'),
      });
      return;
    }
    if (!mayProposeAnything(roles)) {
      await ack({ response_type: 'ephemeral', text: mayNotProposeText(roles) });
      return;
    }
    await ack();
    await client.views.open({
      trigger_id: command.trigger_id,
      view: proposalKindModal({
        title:
          clip(await typedText(deps, { client, context }, teamId, text), PROPOSAL_TITLE_MAX) || undefined,
        channelId: command.channel_id,
      }),
    });
    // Cache the person now, so the closing time they choose is read in their own time zone.
    await personFor(deps.db, directoryFor({ client, context }), teamId, command.user_id, deps.clock());
  };
}
