import type { Workspace } from '../db/schema.js';
import type { ReconcileResult } from '../services/membership.js';
import { formatClockTime, weekdayName } from '../services/time.js';
import type { Message } from './help.js';
import { channel, list, user } from './text.js';

/** Posted in the backbone channel so the backbone sees who changed Concert's settings and to what. */
export function setupDoneMessage(
  workspace: Workspace,
  by: string,
  synced: readonly ReconcileResult[],
): Message {
  const count = (id: string | null) => {
    const members = synced.find((s) => s.channelId === id)?.members ?? 0;
    return `${members} ${members === 1 ? 'member' : 'members'}`;
  };
  const core = workspace.core_channel_id as string;
  const backbone = workspace.backbone_channel_id as string;
  const days = list(workspace.working_days.map(weekdayName));
  const hours = `${formatClockTime(workspace.workday_start_minute)}–${formatClockTime(workspace.workday_end_minute)}`;
  const text = [
    `${user(by)} set Concert up.`,
    `• Core: ${channel(core)} (${count(core)})`,
    `• Backbone: ${channel(backbone)} (${count(backbone)})`,
    `• Working hours: ${hours} on ${days}; default time zone ${workspace.default_tz}`,
    'Next: add each work group with `/concert group`.',
  ].join('\n');
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
