import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { withUploadedCharts } from '../../services/chart-files.js';
import { digestChartsNow, digestFigures, WEEKS_MAX, weeksOf } from '../../services/digest.js';
import { mayActAsBackbone } from '../../services/roles.js';
import { webSender } from '../../slack/web-sender.js';
import { digestChartMessages } from '../../views/charts.js';
import { digestMessages } from '../../views/digest.js';
import { refusalText } from '../../views/refusals.js';
import type { ListenerDeps } from '../deps.js';
import { teamIdOf } from '../directory.js';
import { tellUser } from '../reply.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** `/concert digest [weeks]`: the backbone's figures, shown only to the one who asked, with a button to post them. */
export async function showDigest(
  deps: ListenerDeps,
  { command, client, context, body, respond }: CommandArgs,
  arg: string,
): Promise<void> {
  const teamId = teamIdOf({ context, body });
  const userId = command.user_id;
  const reply = (text: string, blocks?: Parameters<typeof tellUser>[2]) =>
    tellUser({ client, respond, userId }, text, blocks);
  const permission = await mayActAsBackbone(deps.db, teamId, userId);
  if (!permission.allowed) {
    await reply(refusalText(permission, 'see the digest'));
    return;
  }
  const weeks = weeksOf(arg);
  if (weeks === undefined) {
    await reply(`Say how many weeks, from 1 to ${WEEKS_MAX}: \`/concert digest 4\`.`);
    return;
  }
  const now = deps.clock();
  const figures = await digestFigures(deps.db, teamId, now, weeks);
  for (const message of digestMessages(figures, { weeks, offerPost: true }))
    await reply(message.text, message.blocks);
  const { charts, period } = await digestChartsNow(deps.db, teamId, now);
  for (const message of digestChartMessages(charts, period)) {
    const blocks = await withUploadedCharts(deps.db, webSender(client), teamId, message.blocks, now).catch(
      (error: unknown) => {
        // Shown without its images (each chart's line of numbers stays), and the reason logged.
        deps.log.warn({ err: error, teamId }, 'the digest’s charts could not be uploaded');
        return message.blocks.filter((b) => b.type !== 'image');
      },
    );
    await reply(message.text, blocks as KnownBlock[]);
  }
}
