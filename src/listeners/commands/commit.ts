import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { listOpenStepsOf } from '../../db/action-steps.js';
import { listActiveWorkGroups } from '../../db/work-groups.js';
import { todayFor } from '../../services/action-steps.js';
import { personFor } from '../../services/people.js';
import { rolesOf } from '../../services/roles.js';
import { myStepsMessage, stepModal } from '../../views/action-steps.js';
import { commitHelp } from '../../views/help.js';
import { refusalText } from '../../views/refusals.js';
import type { ListenerDeps } from '../deps.js';
import { directoryFor, teamIdOf } from '../directory.js';
import { typedText } from '../typed-text.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** `/commit [text]` opens the action step form, prefilled; `/commit list` shows my open steps. */
export function commitCommand(deps: ListenerDeps) {
  return async (args: CommandArgs): Promise<void> => {
    const { command, ack, client, context, body } = args;
    const text = command.text.trim();
    const word = text.toLowerCase();
    if (word === 'help') {
      await ack({ response_type: 'ephemeral', ...commitHelp() });
      return;
    }
    const teamId = teamIdOf({ context, body });
    const roles = await rolesOf(deps.db, teamId, command.user_id);
    if (!roles.isSetUp) {
      await ack({
        response_type: 'ephemeral',
        text: refusalText({ reason: 'not-set-up' }, 'make action steps'),
      });
      return;
    }
    const list = /^(?:list|mine)(?:\s+(\d+))?$/.exec(word);
    if (list) {
      await ack();
      const now = deps.clock();
      const [steps, groups] = await Promise.all([
        listOpenStepsOf(deps.db, teamId, command.user_id),
        listActiveWorkGroups(deps.db, teamId),
      ]);
      const today = await todayFor(deps.db, teamId, command.user_id, now);
      const page = Number(list[1] ?? 1);
      const message = myStepsMessage(steps, today, new Map(groups.map((g) => [g.id, g.name])), page);
      await args.respond({ response_type: 'ephemeral', ...message });
      return;
    }
    await ack();
    const [groups, title] = await Promise.all([
      listActiveWorkGroups(deps.db, teamId),
      typedText(deps, { client, context }, teamId, text),
    ]);
    await client.views.open({
      trigger_id: command.trigger_id,
      view: stepModal(
        {
          title: title || null,
          ownerId: command.user_id,
          workGroupId: roles.workGroups.length === 1 ? (roles.workGroups[0]?.id ?? null) : null,
        },
        groups,
        { source: 'commit', channelId: command.channel_id },
      ),
    });
    // Cache the person now, so their time zone is known when the form comes back.
    await personFor(deps.db, directoryFor({ client, context }), teamId, command.user_id, deps.clock());
  };
}
