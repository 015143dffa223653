import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { findActiveWorkGroupByChannel } from '../../db/work-groups.js';
import { deliverDue } from '../../services/delivery.js';
import { nudgeByHand } from '../../services/nudges.js';
import { personFor } from '../../services/people.js';
import { mayActAsBackbone, maySetUp } from '../../services/roles.js';
import { queuedMessageStillWanted } from '../../services/still-wanted.js';
import { timeZoneOf } from '../../services/time.js';
import { summarizeWorkGroups } from '../../services/work-groups.js';
import { webSender } from '../../slack/web-sender.js';
import { helpMessage } from '../../views/help.js';
import { refusalText } from '../../views/refusals.js';
import { setupModal } from '../../views/setup-modal.js';
import { readableText } from '../../views/text.js';
import { workGroupListMessage } from '../../views/work-group-list.js';
import { workGroupModal } from '../../views/work-group-modal.js';
import type { ListenerDeps } from '../deps.js';
import { directoryFor, teamIdOf } from '../directory.js';
import { tellUser } from '../reply.js';
import { showDecisions } from './decisions.js';
import { openDataDeletion } from './delete-data.js';
import { showDigest } from './digest.js';
import { sendExport } from './export.js';
import { showIndicators } from './indicators.js';
import { openJoinForm } from './join.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

const CHANNEL_MENTION = /<#([CG][A-Z0-9]+)(?:\|[^>]*)?>/;
const USER_MENTION = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/;

/** `/concert [help|setup|group|indicators|nudge|digest|export|decisions|join|delete-data]`: the coalition's own tools, each checking who may use it. */
export function concertCommand(deps: ListenerDeps) {
  return async (args: CommandArgs): Promise<void> => {
    const { command, ack } = args;
    const [word = '', ...rest] = command.text.trim().split(/\s+/);
    switch (word.toLowerCase()) {
      case '':
      case 'help':
        await ack({ response_type: 'ephemeral', ...helpMessage() });
        return;
      case 'setup':
        await ack();
        await openSetup(deps, args);
        return;
      case 'group':
      case 'groups':
        await ack();
        await manageWorkGroups(deps, args, rest.join(' '));
        return;
      case 'nudge':
        await ack();
        await nudgePerson(deps, args, rest.join(' '));
        return;
      case 'digest':
        await ack();
        await showDigest(deps, args, rest.join(' '));
        return;
      case 'indicators':
      case 'indicator':
        await ack();
        await showIndicators(deps, args);
        return;
      case 'export':
        await ack();
        await sendExport(deps, args);
        return;
      case 'delete-data':
        await ack();
        await openDataDeletion(deps, args);
        return;
      case 'join':
        await ack();
        await openJoinForm(deps, args);
        return;
      case 'decisions':
      case 'decision':
        await ack();
        await showDecisions(deps, args);
        return;
      default:
        await ack({ response_type: 'ephemeral', ...helpMessage(readableText(word)) });
    }
  };
}

async function openSetup(deps: ListenerDeps, { command, client, context, body, respond }: CommandArgs) {
  const teamId = teamIdOf({ context, body });
  const directory = directoryFor({ client, context });
  const permission = await maySetUp(deps.db, directory, deps.adminIds, teamId, command.user_id, deps.clock());
  if (!permission.allowed) {
    await tellUser({ client, respond, userId: command.user_id }, refusalText(permission, 'set Concert up'));
    return;
  }
  const person = await personFor(deps.db, directory, teamId, command.user_id, deps.clock());
  await client.views.open({
    trigger_id: command.trigger_id,
    view: setupModal(permission.roles.workspace, timeZoneOf(person?.tz)),
  });
}

async function manageWorkGroups(
  deps: ListenerDeps,
  { command, client, context, body, respond }: CommandArgs,
  arg: string,
) {
  const teamId = teamIdOf({ context, body });
  const permission = await mayActAsBackbone(deps.db, teamId, command.user_id);
  if (!permission.allowed) {
    await tellUser(
      { client, respond, userId: command.user_id },
      refusalText(permission, 'add or edit work groups'),
    );
    return;
  }
  const channelId = CHANNEL_MENTION.exec(arg)?.[1];
  if (channelId) {
    const group = await findActiveWorkGroupByChannel(deps.db, teamId, channelId);
    const tz = timeZoneOf(permission.roles.workspace?.default_tz);
    await client.views.open({
      trigger_id: command.trigger_id,
      view: workGroupModal(group, { tz, channelId }),
    });
    return;
  }
  const message = workGroupListMessage(await summarizeWorkGroups(deps.db, teamId));
  await tellUser({ client, respond, userId: command.user_id }, message.text, message.blocks);
}

/** `/concert nudge @person`: the backbone reminds someone of everything they have due or overdue. */
async function nudgePerson(
  deps: ListenerDeps,
  { command, client, context, body, respond }: CommandArgs,
  arg: string,
) {
  const teamId = teamIdOf({ context, body });
  const userId = command.user_id;
  const permission = await mayActAsBackbone(deps.db, teamId, userId);
  if (!permission.allowed) {
    await tellUser(
      { client, respond, userId },
      refusalText(permission, 'nudge people about their action steps'),
    );
    return;
  }
  const ownerId = USER_MENTION.exec(arg)?.[1];
  if (!ownerId) {
    await tellUser({ client, respond, userId }, 'Say whom to nudge, like `/concert nudge @someone`.');
    return;
  }
  const now = deps.clock();
  const { ids, steps } = await nudgeByHand(deps.db, teamId, ownerId, userId, now);
  if (steps.length === 0) {
    await tellUser(
      { client, respond, userId },
      `<@${ownerId}> has no open action steps that are due or overdue.`,
    );
    return;
  }
  const result = await deliverDue(
    deps.db,
    webSender(client),
    queuedMessageStillWanted(deps.db),
    now,
    deps.log,
    {
      ids,
    },
  );
  const count = steps.length === 1 ? '1 action step' : `${steps.length} action steps`;
  await tellUser(
    { client, respond, userId },
    result.sent === ids.length
      ? `Nudged <@${ownerId}> by DM about ${count}.`
      : `Nudging <@${ownerId}> about ${count}: Slack did not take every message yet; Concert will keep trying.`,
  );
}
