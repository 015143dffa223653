import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { comeBack, currentTarget, goAway, groupsToCheckInFor } from '../../services/checkins.js';
import { personFor } from '../../services/people.js';
import { rolesOf } from '../../services/roles.js';
import { formatDate } from '../../services/time.js';
import { chooseGroupMessage } from '../../views/checkins.js';
import { checkinHelp } from '../../views/help.js';
import { refusalText } from '../../views/refusals.js';
import { escapeMrkdwn, readableText } from '../../views/text.js';
import { openCheckin } from '../checkins.js';
import type { ListenerDeps } from '../deps.js';
import { directoryFor, teamIdOf } from '../directory.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

const AWAY = /^away(?:\s+until)?\s+(\S+)$/i;

/** `/checkin` opens my check-in; `/checkin away until DATE` and `/checkin back` say when I am not here. */
export function checkinCommand(deps: ListenerDeps) {
  return async (args: CommandArgs): Promise<void> => {
    const { command, ack, client, context, body } = args;
    const text = command.text.trim().replace(/\s+/g, ' ');
    const word = text.toLowerCase();
    const userId = command.user_id;
    if (word === 'help') {
      await ack({ response_type: 'ephemeral', ...checkinHelp() });
      return;
    }
    const teamId = teamIdOf({ context, body });
    const roles = await rolesOf(deps.db, teamId, userId);
    if (!roles.isSetUp) {
      await ack({ response_type: 'ephemeral', text: refusalText({ reason: 'not-set-up' }, 'check in') });
      return;
    }
    const now = deps.clock();
    // The form's dates and the away day are read on the member's own calendar.
    const directory = directoryFor({ client, context });
    if (word === 'back') {
      const { wasAway, reopened } = await comeBack(deps.db, { teamId, userId }, now);
      const more = reopened > 0 ? ' Your check-in this week is open again: `/checkin` to answer it.' : '';
      await ack({
        response_type: 'ephemeral',
        text: wasAway
          ? `Welcome back. You will be asked to check in again.${more}`
          : 'You were not marked away.',
      });
      return;
    }
    const away = AWAY.exec(text);
    if (away || word.startsWith('away')) {
      await personFor(deps.db, directory, teamId, userId, now);
      const result = await goAway(deps.db, { teamId, userId, until: away?.[1] ?? '' }, now);
      if (!result.ok) {
        const why = {
          format: 'Say the last day you are away as a date: `/checkin away until 2026-12-31`.',
          past: 'That day has already passed. Say the last day you will be away, today or later.',
          'too-far': `Say a day within a year, by ${formatDate(result.latest)} at the latest.`,
        }[result.problem];
        await ack({ response_type: 'ephemeral', text: why });
        return;
      }
      await ack({
        response_type: 'ephemeral',
        text: `You are away until ${formatDate(result.until)}, inclusive: you won’t be asked to check in, and you count as away, not missing. \`/checkin back\` if you return sooner.`,
      });
      return;
    }
    if (word !== '') {
      await ack({
        response_type: 'ephemeral',
        text: `I don’t know \`/checkin ${escapeMrkdwn(readableText(text))}\`.\n${checkinHelp().text}`,
      });
      return;
    }
    const groups = await groupsToCheckInFor(deps.db, teamId, userId);
    if (groups.length === 0) {
      await ack({
        response_type: 'ephemeral',
        text: 'Check-ins are for the members of work groups, and you are not in a work group’s channel. Join one to check in with it.',
      });
      return;
    }
    if (groups.length > 1) {
      await ack({ response_type: 'ephemeral', ...chooseGroupMessage(groups) });
      return;
    }
    await ack();
    const group = groups[0] as (typeof groups)[number];
    await openCheckin(
      deps,
      { client, context },
      {
        teamId,
        userId,
        triggerId: command.trigger_id,
        target: await currentTarget(deps.db, teamId, userId, group.id),
        channelId: command.channel_id,
      },
    );
    await personFor(deps.db, directory, teamId, userId, now);
  };
}
