import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { followChannels } from '../../services/membership.js';
import { mayActAsBackbone } from '../../services/roles.js';
import { saveWorkGroup, type WorkGroupField } from '../../services/work-groups.js';
import { WORK_GROUP } from '../../views/ids.js';
import { refusalText } from '../../views/refusals.js';
import { workGroupSavedMessage } from '../../views/work-group-list.js';
import type { ListenerDeps } from '../deps.js';
import { directoryFor, teamIdOf } from '../directory.js';
import { viewOnce } from '../interaction-key.js';
import { blockErrors, stateReader } from './state.js';

const FIELD_BLOCKS: Record<WorkGroupField, { block: string; action: string }> = {
  name: WORK_GROUP.NAME,
  channel: WORK_GROUP.CHANNEL,
  weekday: WORK_GROUP.WEEKDAY,
  time: WORK_GROUP.TIME,
  tzMode: WORK_GROUP.TZ_MODE,
  tz: WORK_GROUP.TZ,
  reminderHours: WORK_GROUP.REMINDER_HOURS,
  closeHours: WORK_GROUP.CLOSE_HOURS,
};

function hours(value: string | null): number | null {
  return value === null ? null : Number(value);
}

function groupIdOf(privateMetadata: string | undefined): number | null {
  try {
    const id = (JSON.parse(privateMetadata || '{}') as { id?: unknown }).id;
    return typeof id === 'number' ? id : null;
  } catch {
    return null;
  }
}

export function workGroupSubmitted(deps: ListenerDeps) {
  return async ({
    ack,
    view,
    body,
    client,
    context,
  }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
    const teamId = teamIdOf({ context, body });
    const userId = body.user.id;
    const permission = await mayActAsBackbone(deps.db, teamId, userId);
    if (!permission.allowed) {
      await ack({
        response_action: 'errors',
        errors: { [WORK_GROUP.NAME.block]: refusalText(permission, 'add or edit work groups') },
      });
      return;
    }
    const directory = directoryFor({ client, context });
    const read = stateReader(view.state.values);
    const weekday = read.option(WORK_GROUP.WEEKDAY);
    const saved = await saveWorkGroup(
      deps.db,
      directory,
      teamId,
      userId,
      {
        id: groupIdOf(view.private_metadata),
        name: read.text(WORK_GROUP.NAME),
        channelId: read.conversation(WORK_GROUP.CHANNEL),
        weekday: weekday ? Number(weekday) : null,
        time: read.time(WORK_GROUP.TIME),
        tzMode: read.option(WORK_GROUP.TZ_MODE),
        tz: read.option(WORK_GROUP.TZ),
        reminderHours: hours(read.option(WORK_GROUP.REMINDER_HOURS)),
        closeHours: hours(read.option(WORK_GROUP.CLOSE_HOURS)),
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
    const { group, created, channelChanged } = saved.value;
    const synced = channelChanged
      ? await followChannels(deps.db, directory, teamId, [group.channel_id], deps.clock())
      : [];
    const backbone = permission.roles.workspace?.backbone_channel_id;
    if (backbone) {
      await client.chat.postMessage({
        channel: backbone,
        ...workGroupSavedMessage(group, userId, created, synced[0]?.members),
      });
    }
    deps.homes.request(deps, client, directory, teamId, userId);
  };
}
