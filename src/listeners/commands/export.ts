import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { exportFiles } from '../../services/exports.js';
import { mayActAsBackbone } from '../../services/roles.js';
import { refusalText } from '../../views/refusals.js';
import type { ListenerDeps } from '../deps.js';
import { teamIdOf } from '../directory.js';
import { tellUser } from '../reply.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** `/concert export`: the records as CSV files, in the backbone member's DM with the app. */
export async function sendExport(
  deps: ListenerDeps,
  { command, client, context, body, respond }: CommandArgs,
): Promise<void> {
  const teamId = teamIdOf({ context, body });
  const userId = command.user_id;
  const permission = await mayActAsBackbone(deps.db, teamId, userId);
  if (!permission.allowed) {
    await tellUser({ client, respond, userId }, refusalText(permission, 'export the records'));
    return;
  }
  const files = await exportFiles(deps.db, teamId, deps.clock());
  const dm = await client.conversations.open({ users: userId });
  await client.files.uploadV2({
    channel_id: dm.channel?.id as string,
    initial_comment:
      'The coalition’s records: action steps with their history, check-ins, decisions with votes, and the shared indicators’ values.',
    file_uploads: files.map((f) => ({ file: f.content, filename: f.filename, title: f.title })),
  });
  await tellUser({ client, respond, userId }, 'The CSV files are in your DM with Concert.');
}
