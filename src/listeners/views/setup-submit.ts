import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { followChannels } from '../../services/membership.js';
import { maySetUp } from '../../services/roles.js';
import { type SetupField, saveSetup } from '../../services/setup.js';
import { SETUP } from '../../views/ids.js';
import { refusalText } from '../../views/refusals.js';
import { setupDoneMessage } from '../../views/setup-done.js';
import type { ListenerDeps } from '../deps.js';
import { directoryFor, teamIdOf } from '../directory.js';
import { viewOnce } from '../interaction-key.js';
import { blockErrors, stateReader } from './state.js';

const FIELD_BLOCKS: Record<SetupField, { block: string; action: string }> = {
  coreChannel: SETUP.CORE_CHANNEL,
  backboneChannel: SETUP.BACKBONE_CHANNEL,
  defaultTz: SETUP.DEFAULT_TZ,
  workdayStart: SETUP.WORKDAY_START,
  workdayEnd: SETUP.WORKDAY_END,
  workingDays: SETUP.WORKING_DAYS,
  nudgeRepeatDays: SETUP.NUDGE_REPEAT,
  nudgeMaxOverdue: SETUP.NUDGE_MAX,
  escalateAfterDays: SETUP.ESCALATE_AFTER,
  consensusQuorum: SETUP.QUORUM,
  standAsideLimit: SETUP.STAND_ASIDE_LIMIT,
  digestWeekday: SETUP.DIGEST_DAY,
  digestTime: SETUP.DIGEST_TIME,
  recordsShowVoters: SETUP.SHOW_VOTERS,
  recordsAddress: SETUP.RECORDS_ADDRESS,
};

export function setupSubmitted(deps: ListenerDeps) {
  return async ({
    ack,
    view,
    body,
    client,
    context,
  }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
    const teamId = teamIdOf({ context, body });
    const userId = body.user.id;
    const directory = directoryFor({ client, context });
    // Rights are checked again on submit: they may have changed while the modal was open.
    const permission = await maySetUp(deps.db, directory, deps.adminIds, teamId, userId, deps.clock());
    if (!permission.allowed) {
      await ack({
        response_action: 'errors',
        errors: { [SETUP.CORE_CHANNEL.block]: refusalText(permission, 'set Concert up') },
      });
      return;
    }
    const read = stateReader(view.state.values);
    const saved = await saveSetup(
      deps.db,
      directory,
      teamId,
      userId,
      {
        coreChannelId: read.conversation(SETUP.CORE_CHANNEL),
        backboneChannelId: read.conversation(SETUP.BACKBONE_CHANNEL),
        defaultTz: read.option(SETUP.DEFAULT_TZ),
        workdayStart: read.time(SETUP.WORKDAY_START),
        workdayEnd: read.time(SETUP.WORKDAY_END),
        workingDays: read.options(SETUP.WORKING_DAYS).map(Number),
        nudgeRepeatDays: read.option(SETUP.NUDGE_REPEAT),
        nudgeMaxOverdue: read.option(SETUP.NUDGE_MAX),
        escalateAfterDays: read.option(SETUP.ESCALATE_AFTER),
        consensusQuorum: read.option(SETUP.QUORUM),
        standAsideLimit: read.option(SETUP.STAND_ASIDE_LIMIT),
        digestWeekday: read.option(SETUP.DIGEST_DAY),
        digestTime: read.time(SETUP.DIGEST_TIME),
        recordsShowVoters: read.option(SETUP.SHOW_VOTERS),
        recordsAddress: read.text(SETUP.RECORDS_ADDRESS),
        enterpriseId: context.enterpriseId ?? null,
      },
      deps.clock(),
      viewOnce(teamId, view),
    );
    if (!saved.ok) {
      // The same form again (a double click, a retry): it closes, and the first one's answer stands.
      await ack(
        saved.reason === 'repeat'
          ? undefined
          : { response_action: 'errors', errors: blockErrors(saved.errors, FIELD_BLOCKS) },
      );
      return;
    }
    await ack();
    const workspace = saved.value;
    const channels = [workspace.core_channel_id, workspace.backbone_channel_id].filter(
      (c): c is string => !!c,
    );
    const synced = await followChannels(deps.db, directory, teamId, channels, deps.clock());
    const message = setupDoneMessage(workspace, userId, synced);
    if (workspace.backbone_channel_id)
      await client.chat.postMessage({ channel: workspace.backbone_channel_id, ...message });
    deps.homes.request(deps, client, directory, teamId, userId);
  };
}
